/*
 * matcher.h: matching needs to offers (docs/design.md, "Matching").
 *
 * The daemon copies needs, offers and communities from its store into plain
 * arrays, calls matcher_run, and stores the result.  Everything here is pure
 * C over those arrays: no I/O.  Indexes, not ids, link the arrays; ids are
 * used only to break ties.  Amounts are integer fen (1 yuan = 100 fen).
 * All input is borrowed: the matcher never keeps a pointer to it after a
 * call returns.
 */
#ifndef MATCHER_MATCHER_H
#define MATCHER_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "matcher/score.h"
#include "matcher/text.h"

struct matcher_need {
	int64_t				 id;
	int				 community;	/* index */
	/*
	 * A cross-community need: its amount counts in equal shares against
	 * community and each partner (integer fen; the remainder goes one
	 * fen each to the first of community, partners[0], ...).
	 */
	const int			*partners;	/* indexes, may be NULL */
	int				 npartners;
	int				 street;	/* index */
	int				 family;	/* category family id */
	int				 sub;		/* sub-category id */
	int64_t				 budget_fen;
	const struct text_tokens	*tokens;	/* may be NULL */
	int				 eligible;	/* open, and enrolled */
};

struct matcher_offer {
	int64_t				 id;
	int				 org;		/* index */
	int				 org_street;	/* street the org is based in */
	int				 family;
	int				 sub;
	int64_t				 price_fen;
	/*
	 * How many needs the offer can still take, counting the fixed pairs
	 * of this call (they consume it) but not other confirmed matches.
	 */
	int				 capacity;
	const int			*streets;	/* served street indexes */
	int				 nstreets;
	int				 all_streets;	/* streets hold `*` */
	int				 in_library;
	const struct text_tokens	*tokens;	/* may be NULL */
	int				 eligible;	/* open, and enrolled */
};

/*
 * One cap: a community's for one year.  When a run holds needs of several
 * years, the caller passes one entry per (community, need year) and points
 * each need (and its partners) at the entries of its year.
 */
struct matcher_community {
	int64_t	cap_fen;	/* yearly cap */
	/*
	 * Confirmed matches of the year, not counting the fixed pairs of this
	 * call (they are added).
	 */
	int64_t	used_fen;
};

struct matcher_pair {
	int	need;		/* index */
	int	offer;		/* index */
};

/*
 * What the two sides of a pair said about it before the fair's run
 * (docs/protocol.md, "fair.interest", "fair.schedule"), as bits: the caller resolves party-level
 * interests, overrides and both sides into one set per pair.
 */
#define MATCHER_WANT	0x1	/* adds weights.interest to the score */
#define MATCHER_MUST	0x2	/* for the schedule; nothing here */
#define MATCHER_NO	0x4	/* never a candidate; wins over the others */

struct matcher_interest {
	int	need;		/* index */
	int	offer;		/* index */
	int	level;		/* MATCHER_WANT | MATCHER_MUST | MATCHER_NO */
};

enum matcher_method {
	MATCHER_OPTIMAL,
	MATCHER_GREEDY,
	MATCHER_STABLE
};

struct matcher_input {
	const struct matcher_need	*needs;
	size_t				 nneeds;
	const struct matcher_offer	*offers;
	size_t				 noffers;
	const struct matcher_community	*communities;
	size_t				 ncommunities;
	/* Pairs declined earlier in the fair: never candidates. */
	const struct matcher_pair	*forbidden;
	size_t				 nforbidden;
	/*
	 * Pairs confirmed earlier: always in the result, each consuming its
	 * offer's capacity and its communities' caps.  A need appears in at
	 * most one fixed pair.
	 */
	const struct matcher_pair	*fixed;
	size_t				 nfixed;
	/*
	 * Interests, in ascending (need, offer) order, one entry a pair,
	 * level not 0; may be NULL.  A `no` pair is never a candidate (a
	 * fixed pair stays); a `want` pair scores weights.interest more, as
	 * the part `interest`, fixed pairs too.
	 */
	const struct matcher_interest	*interests;
	size_t				 ninterests;
	struct score_weights		 weights;
	/*
	 * A fair's rules for candidates: same_sub 1 asks for the same
	 * sub-category (0: the same family is enough, as suggestions keep
	 * it); a candidate scores at least min_score (hundredths of a point).
	 */
	int				 same_sub;
	int32_t				 min_score;
};

/* One candidate pair: it passed the hard filters. */
struct matcher_cand {
	int			need;
	int			offer;
	struct score_parts	score;
};

/*
 * All candidates, grouped by need in need order; within a need in
 * preference order (higher score, lower price, lower offer id).  The
 * candidates of need i are c[start[i] .. start[i + 1]).
 */
struct matcher_cands {
	struct matcher_cand	*c;
	size_t			 n;
	size_t			*start;		/* nneeds + 1 entries */
	size_t			 nneeds;
};

struct matcher_match {
	int			need;
	int			offer;
	int			fixed;		/* a fixed pair of the input */
	int64_t			amount_fen;	/* the offer's price */
	struct score_parts	score;
};

struct matcher_result {
	struct matcher_match	*matches;	/* by need index */
	size_t			 nmatches;
	int64_t			 total_score;	/* hundredths, fixed included */
	int64_t			 total_fen;
	/* Communities whose cap bound, ascending indexes. */
	int			*capped;
	size_t			 ncapped;
	/*
	 * 1 when the result is proven to have the largest total score: always
	 * for optimal when no cap bound, and when bound == total_score; 0 for
	 * greedy and stable.
	 */
	int			 exact;
	/*
	 * optimal only (0 for greedy and stable): an upper bound on the
	 * largest total score any matching under the caps could have, fixed
	 * pairs included, in hundredths (a whole number of hundredths: the
	 * Lagrangian bound of matcher/bound.c rounded down, which stays above
	 * every total since totals are whole hundredths).  bound ==
	 * total_score when no cap bound (exact).
	 */
	int64_t			 bound;
	/* (bound - total_score) / bound; 0 when bound is 0 or exact. */
	double			 gap;
};

/*
 * Check an input: indexes in range, ids distinct, weights sane, amounts and
 * capacities non-negative, each need in at most one fixed pair, interests
 * sorted, distinct and of known levels.  Returns 0 or -1.  matcher_run and
 * matcher_candidates call it first.
 */
int	 matcher_input_check(const struct matcher_input *in);

/*
 * Generate every candidate pair under the hard filters (both eligible, the
 * offer has capacity left after the fixed pairs, same family (and same
 * sub-category with same_sub), a score of at least min_score, price <=
 * budget, the offer serves the need's street, not forbidden, no interest
 * `no`, the need not in a fixed pair, and the need's share fits each of
 * its communities' remaining caps), scored.  Indexed by (family, street,
 * price): the cost is
 * the number of offers within budget, never all needs x offers.
 * On success *out owns the arrays (free with matcher_cands_free) and 0 is
 * returned; -1 on bad input or out of memory.
 */
int	 matcher_candidates(const struct matcher_input *in,
	    struct matcher_cands *out);
void	 matcher_cands_free(struct matcher_cands *c);

/*
 * Assign needs to offers by the given method (docs/design.md, "Matching").
 * Fixed pairs are kept; caps and capacities are never exceeded.  Deterministic:
 * the same input gives the same result.  On success *out owns its arrays
 * (free with matcher_result_free) and 0 is returned; -1 on bad input or
 * out of memory.
 */
int	 matcher_run(const struct matcher_input *in, enum matcher_method m,
	    struct matcher_result *out);
void	 matcher_result_free(struct matcher_result *r);

/*
 * Each community's share of amount for need n, in fen: community first,
 * then partners.  shares must have room for 1 + npartners entries.
 */
void	 matcher_shares(const struct matcher_need *n, int64_t amount,
	    int64_t *shares);

#endif
