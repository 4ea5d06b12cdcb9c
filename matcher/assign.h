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

struct assign_state;

/*
 * What a series of solves carries from one to the next: graphs with the
 * same arcs and capacities whose weights change a little between solves
 * (the steps of the Lagrangian bound, bound.c).  Zero it before the first
 * solve; free with assign_warm_free.
 */
struct assign_warm {
	struct assign_state	*st;	/* prices and holdings; owned */
	int32_t			*last;	/* the last solve's weights; owned */
	/*
	 * In: the next solve is the exact one of assign_optimal (the same
	 * result), from scratch; its state is kept for warm solves after
	 * assign_warm_units.  Cleared by the solve.
	 */
	int			 exact;
	/*
	 * Out, warm solves: the value of the dual solution the final prices
	 * define, in weight units: whatever the prices, at least the largest
	 * total (weak duality), and here within nneeds of it.
	 */
	int64_t			 dual;
	/*
	 * Out, warm solves: per offer the cheapest of its slots' prices
	 * (INT64_MAX for an offer without capacity), valid until the next
	 * solve or assign_warm_free.  dual is the sum of the slot prices
	 * (psum) and of each need's best profit (at least 0) at these.
	 */
	const int64_t		*minp;
	int64_t			 psum;
};

/*
 * The auction of assign_optimal from the prices and holdings of the last
 * solve in *w (none the first time), which it updates; the first epsilon
 * is a quarter of the largest weight change since the last solve.  Unlike
 * assign_optimal it works on the weights unscaled, so it takes half the
 * phases and the matching is within nneeds of the largest total (the
 * caller scales the weights up for the precision it needs); w->dual is
 * exact.  With w->exact, exactly assign_optimal.  Returns 0 or -1 (then
 * *w is freed).
 */
int	 assign_optimal_warm(const struct assign_graph *g, int64_t *match,
	    struct assign_warm *w);

/*
 * After an exact solve, and after the graph's arcs were reordered within
 * each need in place (the same arrays): arc[i] is the arc need i holds in
 * the new order (matched needs only), and the warm solves to come weigh
 * unit x the weights of that solve.  Returns 0 or -1 when out of memory.
 */
int	 assign_warm_units(struct assign_warm *w, const int64_t *arc,
	    int unit);
void	 assign_warm_free(struct assign_warm *w);

/* The sum of the weights of the arcs in match (-1 entries skipped). */
int64_t	 assign_total(const struct assign_graph *g, const int64_t *match);

#endif
