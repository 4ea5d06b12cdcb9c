/*
 * score.h: the score of a (need, offer) pair (docs/design.md, "Matching"):
 * five parts, and in fair runs a sixth, `interest` (docs/protocol.md,
 * "Interests"), which is 0 unless a side said `want` (suggestions never
 * pass that).  Pure: no I/O.
 */
#ifndef MATCHER_SCORE_H
#define MATCHER_SCORE_H

#include <stdint.h>

#include "matcher/text.h"

/* Default weights: the maximum of each part. */
#define SCORE_W_CATEGORY	40.0
#define SCORE_W_BUDGET		25.0
#define SCORE_W_TEXT		20.0
#define SCORE_W_LIBRARY		10.0
#define SCORE_W_LOCALITY	5.0
#define SCORE_W_INTEREST	5.0	/* weights.interest */
/* The category part for the same family only, at the default weight. */
#define SCORE_FAMILY_ONLY	15.0

/* Configured weights (`[weights]`): each the maximum of its part. */
struct score_weights {
	double	category;
	double	budget;
	double	text;
	double	library;
	double	locality;
	double	interest;	/* added once for a `want` pair of a fair */
};

/*
 * A score and its parts, in hundredths of a point: each part is rounded to
 * two decimals and total is the sum of the rounded parts, so the breakdown
 * adds up exactly.  total is also the integer the optimizer maximises.
 */
struct score_parts {
	int32_t	category;
	int32_t	budget;
	int32_t	text;
	int32_t	library;
	int32_t	locality;
	int32_t	interest;	/* 0 outside fair runs */
	int32_t	total;
};

/* What the score of one pair depends on. */
struct score_facts {
	int				 same_sub;	/* same sub-category */
	int				 same_family;	/* same family */
	int64_t				 price_fen;	/* offer price */
	int64_t				 budget_fen;	/* need budget, > 0 */
	const struct text_tokens	*need_text;	/* may be NULL */
	const struct text_tokens	*offer_text;	/* may be NULL */
	int				 in_library;
	int				 local;		/* org based in need's street */
	int				 want;		/* a side said `want` */
};

/* Fill *w with the default weights 40/25/20/10/5 and interest 5. */
void	 score_weights_default(struct score_weights *w);

/*
 * Check weights: each finite, >= 0 and <= 1000 (interest too).  Returns 0
 * or -1.
 */
int	 score_weights_check(const struct score_weights *w);

/*
 * Score one pair: category w.category for the same sub-category,
 * w.category x 15/40 for the same family only, else 0; budget
 * w.budget x price / budget (at most w.budget); text w.text x Dice;
 * library w.library; locality w.locality; interest w.interest when
 * f->want (w.interest is not read otherwise).  Each part is rounded half
 * up to hundredths.  Pure.
 */
void	 score_compute(const struct score_weights *w,
	    const struct score_facts *f, struct score_parts *out);

/* Round a non-negative value of points to hundredths, half up. */
int32_t	 score_round(double points);

#endif
