/*
 * cand.h: candidate generation under the hard filters (internal to the
 * matcher; the public entry is matcher_candidates).
 */
#ifndef MATCHER_CAND_H
#define MATCHER_CAND_H

#include <stddef.h>
#include <stdint.h>

#include "matcher/matcher.h"

/*
 * Candidates as a compact graph: the arcs of need i are
 * [start[i], start[i + 1]), to offer[a] with total score[a] (hundredths).
 * Owns its arrays; free with cand_set_free.
 */
struct cand_set {
	size_t		 nneeds;
	size_t		 n;
	size_t		*start;
	int32_t		*offer;
	int32_t		*score;
};

/*
 * Build the candidates of in.  cap_left (per offer) is the capacity left
 * after the fixed pairs, comm_left (per community) the cap left, need_fixed
 * (per need) marks needs in a fixed pair.  A pair whose need's share does
 * not fit a community's cap left is dropped and that community is marked in
 * cap_hit (per community).  When sorted is set each need's arcs are in
 * preference order (higher score, lower price, lower offer id); otherwise
 * in ascending offer index.  Returns 0 or -1 when out of memory.
 */
int	 cand_build(const struct matcher_input *in, const int *cap_left,
	    const int64_t *comm_left, const unsigned char *need_fixed,
	    int sorted, unsigned char *cap_hit, struct cand_set *out);
void	 cand_set_free(struct cand_set *c);

/*
 * Sort each need's arcs of c into preference order (higher score, lower
 * price, lower offer id).  Returns 0 or -1 when out of memory.
 */
int	 cand_sort(const struct matcher_input *in, struct cand_set *c);

/* The interest level of (need n, offer o) in in, 0 when none. */
int	 cand_interest(const struct matcher_input *in, int n, int o);

/* Score the pair (need n, offer o) of in, filters aside. */
void	 cand_score(const struct matcher_input *in, int n, int o,
	    struct score_parts *out);

#endif
