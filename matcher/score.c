/*
 * score.c: the pair score: five parts, and interest in fair runs.
 */
#include <math.h>

#include "matcher/score.h"

void
score_weights_default(struct score_weights *w)
{
	w->category = SCORE_W_CATEGORY;
	w->budget = SCORE_W_BUDGET;
	w->text = SCORE_W_TEXT;
	w->library = SCORE_W_LIBRARY;
	w->locality = SCORE_W_LOCALITY;
	w->interest = SCORE_W_INTEREST;
}

int
score_weights_check(const struct score_weights *w)
{
	const double v[6] = { w->category, w->budget, w->text, w->library,
	    w->locality, w->interest };
	int i;

	for (i = 0; i < 6; i++)
		if (!isfinite(v[i]) || v[i] < 0.0 || v[i] > 1000.0)
			return -1;
	return 0;
}

/*
 * The small bias makes values that are exactly on a half hundredth in
 * decimal (12.345 = 25 x 0.4938) round up although their binary double is
 * a hair below; no real part lies within 1e-7 of a half below it.
 */
int32_t
score_round(double points)
{
	if (!(points > 0.0))
		return 0;
	return (int32_t)floor(points * 100.0 + 0.5 + 1e-7);
}

void
score_compute(const struct score_weights *w, const struct score_facts *f,
    struct score_parts *out)
{
	double ratio;

	if (f->same_sub)
		out->category = score_round(w->category);
	else if (f->same_family)
		out->category = score_round(w->category * SCORE_FAMILY_ONLY /
		    SCORE_W_CATEGORY);
	else
		out->category = 0;

	ratio = 0.0;
	if (f->budget_fen > 0 && f->price_fen > 0)
		ratio = (double)f->price_fen / (double)f->budget_fen;
	if (ratio > 1.0)
		ratio = 1.0;
	out->budget = score_round(w->budget * ratio);
	out->text = score_round(w->text * text_dice(f->need_text,
	    f->offer_text));
	out->library = f->in_library ? score_round(w->library) : 0;
	out->locality = f->local ? score_round(w->locality) : 0;
	out->interest = f->want ? score_round(w->interest) : 0;
	out->total = out->category + out->budget + out->text + out->library +
	    out->locality + out->interest;
}
