/*
 * caps.h: what each community has used of its yearly cap: the amounts of
 * its confirmed matches on needs of that year (the need's year, whatever
 * the fair's date), a cross-community need counted in equal shares
 * (matcher_shares) across its communities.  The cap check of
 * match.respond, the matcher's input (per community and need year),
 * suggestions and the community objects all read it from here: this is
 * the one place that says what "used" is.
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
 * Sum the confirmed matches on needs of year, leaving out fair `except`
 * (0: none).  Returns 0, or -1 with err set; release with caps_used_free
 * either way.
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

#endif
