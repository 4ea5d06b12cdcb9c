/*
 * run.h: the state of one matcher_run, shared by the files of the matcher
 * (matcher.c, greedy.c, bound.c).  Internal: the daemon uses matcher.h.
 */
#ifndef MATCHER_RUN_H
#define MATCHER_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "matcher/assign.h"
#include "matcher/cand.h"
#include "matcher/matcher.h"

/*
 * Warm solves (assign_optimal_warm) weigh an arc MATCHER_UNIT x its score
 * in hundredths: they are within a unit a need of the optimum, and the
 * Lagrangian's adjustments round to a unit.
 */
#define MATCHER_UNIT	16

/*
 * Everything a run works on; owned by matcher_run.  A matching is an
 * array of arcs of cs, one per need (-1: unmatched); used and left
 * describe the matching being worked on.
 */
struct matcher_run {
	const struct matcher_input *in;
	struct cand_set	 cs;
	int		*cap_left;	/* per offer, after fixed pairs */
	int64_t		*comm_left;	/* per community, after fixed pairs */
	unsigned char	*need_fixed;	/* per need */
	unsigned char	*capped;	/* per community */
	int		*used;		/* per offer, this run's pairs */
	int64_t		*left;		/* per community, during a method */
};

/*
 * Whether need n's shares of amount fit its communities' r->left; a
 * community that turns it away is marked in r->capped.
 */
int	 matcher_fits(struct matcher_run *r, int n, int64_t amount);

/* Take (sign 1) or give back (sign -1) need n's shares of amount. */
void	 matcher_charge(struct matcher_run *r, int n, int64_t amount,
	    int sign);

/*
 * Set r->used and r->left from scratch for match (r->left starts from
 * r->comm_left).
 */
void	 matcher_account(struct matcher_run *r, const int64_t *match);

/*
 * Greedy over the preference-sorted arcs for the needs unmatched in
 * match, taking the best arc over all needs while its offer has capacity
 * and its shares fit the caps (greedy.c).  Returns 0 or -1.
 */
int	 matcher_greedy_fill(struct matcher_run *r, int64_t *match);

/* Deferred acceptance, needs proposing (greedy.c).  Returns 0 or -1. */
int	 matcher_stable(struct matcher_run *r, int64_t *match);

/*
 * Make match fit the caps by dropping, in each community over its cap,
 * the pairs of lowest score per fen of its share; ban[a] is set to 0 for
 * each dropped arc a (ban may be NULL).  Returns 1 if a community was
 * over its cap, 0 if none, -1 when out of memory.
 */
int	 matcher_repair(struct matcher_run *r, int64_t *match, int32_t *ban);

/* The total score of the run's pairs in match (hundredths). */
int64_t	 matcher_total(const struct matcher_run *r, const int64_t *match);

/*
 * The Lagrangian bound under the caps (bound.c).  w holds the prices of
 * the last solve on r's sorted arcs, in MATCHER_UNIT (it goes on being
 * used: the caller frees it).  On entry match is a feasible matching (the
 * repair's) and uncapped the best total without caps; on return match is
 * the best feasible matching found, never worse, and *bound an upper
 * bound on the run's pairs' total under the caps (fixed pairs not
 * included), at most uncapped.  r->used and r->left are left undefined.
 * Returns 0 or -1.
 */
int	 bound_lagrange(struct matcher_run *r, struct assign_warm *w,
	    int64_t *match, int64_t uncapped, int64_t *bound);

#endif
