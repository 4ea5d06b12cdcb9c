/*
 * assign.h: exact maximum-weight b-matching on a bipartite candidate graph:
 * each need takes at most one offer, each offer at most its capacity, and
 * needs may stay unmatched.  Pure: no I/O.
 */
#ifndef MATCHER_ASSIGN_H
#define MATCHER_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

/*
 * The graph, borrowed: the arcs of need i are [start[i], start[i + 1]),
 * arc a goes to offer[a] with integer weight score[a].  Arcs of weight
 * <= 0 and arcs to offers of capacity 0 are ignored.
 */
struct assign_graph {
	int		 nneeds;
	int		 noffers;
	const size_t	*start;		/* nneeds + 1 */
	const int32_t	*offer;		/* start[nneeds] arcs */
	const int32_t	*score;
	const int	*cap;		/* per offer */
};

/*
 * Solve exactly: store in match[i] the arc chosen for need i, or -1, such
 * that the sum of the chosen weights is the largest possible.  The method
 * is a forward/reverse auction with epsilon scaling over the offers'
 * capacity slots, on weights scaled by (needs + 1) so that the final
 * epsilon of 1 leaves a gap below one unscaled unit: the result is optimal,
 * not approximate.  Deterministic.  Returns 0, or -1 when out of memory or
 * the graph is too large for 32-bit arc indexes.
 */
int	 assign_optimal(const struct assign_graph *g, int64_t *match);

/* The sum of the weights of the arcs in match (-1 entries skipped). */
int64_t	 assign_total(const struct assign_graph *g, const int64_t *match);

#endif
