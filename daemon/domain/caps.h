/*
 * caps.h: what each community has used of its yearly cap: the amounts of
 * its projects of needs of that year that are not rejected or cancelled
 * (a confirmation reserves the amount, a rejection or cancellation
 * releases it), a cross-community need counted in equal shares
 * (matcher_shares) across its communities.  The cap checks of
 * match.respond and project.create, the matcher's input and the community
 * objects all read it from here.
 */
#ifndef DAEMON_CAPS_H
#define DAEMON_CAPS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "daemon/base/intern.h"
#include "daemon/store/store.h"

struct caps_used {
	struct intern	*codes;		/* owned: communities seen */
	int64_t		*used;		/* fen, by index in codes */
	size_t		 cap;
};

/*
 * Sum the projects of year, leaving out those of fair `except` (0: none).
 * Returns 0, or -1 with err set; release with caps_used_free either way.
 */
int	caps_used_load(struct caps_used *, struct store *, int year,
	    int64_t except, struct error *err);
void	caps_used_free(struct caps_used *);

/* The fen community has used (0 when it has no confirmed match). */
int64_t	caps_used_of(const struct caps_used *, const char *community);

/*
 * The communities a need counts against (its own, then its partners, at
 * most CAPS_MAX_PARTNERS) into codes (borrowed from need), and what each
 * has left of its cap in year, in fen, into left.  Returns how many, or -1
 * with err set.
 */
#define CAPS_MAX_PARTNERS	16
int	caps_left_of_need(struct store *, const cJSON *need, int year,
	    const char *codes[1 + CAPS_MAX_PARTNERS],
	    int64_t left[1 + CAPS_MAX_PARTNERS], struct error *err);

/*
 * Whether amount (fen) for need fits what each of its communities has left
 * in year: 0, or -1 with err set (conflict, reason over_cap, when a share
 * does not fit).
 */
int	caps_check(struct store *, const cJSON *need, int64_t amount,
	    int year, struct error *err);

#endif
