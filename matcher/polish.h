/*
 * polish.h: making a matching fit the caps, and better (internal to the
 * matcher; polish.c).
 */
#ifndef MATCHER_POLISH_H
#define MATCHER_POLISH_H

#include <stddef.h>
#include <stdint.h>

#include "matcher/run.h"

struct polish {
	struct matcher_run	*r;
	/* The needs with candidates of each community (partners too). */
	size_t			*cstart;	/* ncommunities + 2 */
	int32_t			*cneed;
	/* Scratch: the cheaper options of a community's needs. */
	size_t			*ofs;		/* per need of the community */
	int64_t			*opt;		/* arcs */
	size_t			 optcap;
};

/*
 * Prepare for r, whose candidate arcs are preference-sorted (cand_sort).
 * Returns 0 or -1 (then free with polish_free).
 */
int	 polish_init(struct polish *p, struct matcher_run *r);

/*
 * Make match (an arc per need, any capacity-feasible matching) fit the
 * caps and improve it; on return r->used and r->left describe it.
 * Returns 0 or -1 when out of memory.
 */
int	 polish_apply(struct polish *p, int64_t *match);
void	 polish_free(struct polish *p);

#endif
