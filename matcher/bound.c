/*
 * bound.c: the Lagrangian bound on the best total under the community
 * caps, and the better matchings found on the way (docs/design.md, "The
 * bound under caps", tells the method at length).
 *
 * The caps are the only constraints that make the problem hard: without
 * them it is a b-matching, solved exactly (assign.c).  Each capped
 * community c gets a multiplier lambda_c >= 0 (hundredths of a point per
 * fen); a pair then weighs its score less lambda_c x its share for each of
 * its communities, and
 *
 *   L(lambda) = max over b-matchings M of the adjusted weight of M
 *               + sum over c of lambda_c x cap left_c
 *
 * is at least the best total under the caps for every lambda >= 0.  Its
 * first term is the value of the b-matching linear program, so any dual
 * solution of that program bounds it from above: the auction's slot prices
 * give one, exactly in integers (assign_warm.dual).  Weights are integers
 * in 1/MATCHER_UNIT of a hundredth with the adjustment rounded down, so that
 * no weight is below its true value: the bound stays a bound.
 *
 * The multipliers move by block steps: with the offers' prices of the last
 * solve held, each community's multiplier in turn is set to the exact
 * minimiser of the dual in it (a convex piecewise-linear function of one
 * variable; its breakpoints are where a need's best option changes).  The
 * b-matching is then solved again from the last prices (warm), which gives
 * the next value of L.  L never rises from step to step.
 *
 * Every step's matching is made feasible by polish.c and the best kept.
 * The steps stop when the gap is below BOUND_GAP, when L has stopped
 * falling (BOUND_STALL), or after BOUND_STEPS solves: no clock, so the
 * result is deterministic.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/assign.h"
#include "matcher/polish.h"

#define BOUND_STEPS	12	/* solves at most */
#define BOUND_GAP	0.004	/* stop below this gap */
#define BOUND_STALL	0.0002	/* stop when L falls by less, relatively */
#define BOUND_MARGIN	1e-4	/* above any rounding error, hundredths */

/* Where a need's best option changes as one multiplier grows. */
struct bound_event {
	double	at;		/* the multiplier; for a line, intercept */
	double	dusage;		/* the change of the share; for a line, slope */
};

struct bound {
	struct matcher_run	*r;
	size_t			 ncomm;
	double			*lambda;	/* per community */
	double			*capl;		/* cap left, fen, >= 0 */
	int64_t			*price;		/* per offer, fen */
	int32_t			*w;		/* adjusted weights, per arc */
	int64_t			*x;		/* the step's matching */
	int64_t			*cur;		/* its polished copy */
	unsigned char		*capped;	/* stands in for r->capped */
	struct bound_event	*ev;		/* scratch: events */
	size_t			 nev, evcap;
	struct bound_event	*lines;		/* scratch: a need's options */
	struct polish		 pol;
	struct assign_warm	*warm;		/* the caller's */
};

static void	 bound_weights(struct bound *);
static int	 bound_event_cmp(const void *, const void *);
static int	 bound_need_events(struct bound *, int32_t, int, double *);
static int	 bound_block(struct bound *);
static int	 bound_alloc(struct bound *, struct matcher_run *);
static void	 bound_free(struct bound *);

/*
 * The adjusted weights of every arc: MATCHER_UNIT x (score - the sum over
 * the need's communities of lambda x share), the adjustment rounded down
 * (never a weight below its true value), 0 where not positive.
 */
static void
bound_weights(struct bound *b)
{
	const struct matcher_run *r = b->r;
	const struct matcher_input *in = r->in;
	int64_t amount, k, j, d;
	size_t i, a;
	double adj, fl;
	int c;

	for (i = 0; i < in->nneeds; i++) {
		const struct matcher_need *n = &in->needs[i];

		k = 1 + n->npartners;
		for (a = r->cs.start[i]; a < r->cs.start[i + 1]; a++) {
			amount = b->price[r->cs.offer[a]];
			adj = 0.0;
			for (j = 0; j < k; j++) {
				c = j == 0 ? n->community : n->partners[j - 1];
				if (b->lambda[c] > 0.0)
					adj += b->lambda[c] * (double)(amount /
					    k + (j < amount % k ? 1 : 0));
			}
			adj *= MATCHER_UNIT;
			fl = adj > BOUND_MARGIN ? floor(adj - BOUND_MARGIN) :
			    0.0;
			d = (int64_t)r->cs.score[a] * MATCHER_UNIT;
			b->w[a] = fl >= (double)d ? 0 : (int32_t)(d -
			    (int64_t)fl);
		}
	}
}

static int
bound_event_cmp(const void *pa, const void *pb)
{
	const struct bound_event *a = pa, *b = pb;

	return (a->at > b->at) - (a->at < b->at);
}

/*
 * The options of need n as lines in community c's multiplier x: arc a is
 * worth (score - the other communities' charges - its offer's price) -
 * x * share_c(a), staying unmatched 0.  Walk the upper envelope from x = 0
 * and append an event where the best option changes to b->ev; *usage0 is
 * the share of the best option at x = 0.  Returns 0 or -1.
 */
static int
bound_need_events(struct bound *b, int32_t n, int c, double *usage0)
{
	const struct matcher_run *r = b->r;
	const struct matcher_need *nd = &r->in->needs[n];
	const int64_t *minp = b->warm->minp;
	int64_t k = 1 + nd->npartners, j, amount, sh;
	double cb = 0.0, cs = 0.0, nb, bx, sx, cross, best;
	size_t a, e = r->cs.start[n + 1], nl = 0, q;
	struct bound_event *ne;
	int cc;

	/* Lines into b->lines: intercept, slope. */
	for (a = r->cs.start[n]; a < e; a++) {
		int32_t o = r->cs.offer[a];

		if (minp[o] == INT64_MAX)
			continue;
		amount = b->price[o];
		bx = (double)r->cs.score[a] - (double)minp[o] / MATCHER_UNIT;
		sx = 0.0;
		for (j = 0; j < k; j++) {
			cc = j == 0 ? nd->community : nd->partners[j - 1];
			sh = amount / k + (j < amount % k ? 1 : 0);
			if (cc == c)
				sx += (double)sh;
			else
				bx -= b->lambda[cc] * (double)sh;
		}
		if (bx <= 0.0)
			continue;	/* never above staying unmatched */
		b->lines[nl].at = bx;
		b->lines[nl++].dusage = sx;
	}
	/* The best at x = 0, the smallest share among equals. */
	for (q = 0; q < nl; q++)
		if (b->lines[q].at > cb || (b->lines[q].at == cb &&
		    b->lines[q].dusage < cs)) {
			cb = b->lines[q].at;
			cs = b->lines[q].dusage;
		}
	*usage0 += cs;
	while (cs > 0.0) {
		/* The first line of a smaller share to overtake: a cheaper
		 * option, or staying unmatched (the line 0). */
		best = cb / cs;
		nb = 0.0;
		sx = 0.0;
		for (q = 0; q < nl; q++) {
			if (b->lines[q].dusage >= cs)
				continue;
			cross = (cb - b->lines[q].at) /
			    (cs - b->lines[q].dusage);
			if (cross < best || (cross == best &&
			    b->lines[q].dusage < sx)) {
				best = cross;
				nb = b->lines[q].at;
				sx = b->lines[q].dusage;
			}
		}
		if (b->nev == b->evcap) {
			b->evcap = b->evcap ? 2 * b->evcap : 1024;
			ne = realloc(b->ev, b->evcap * sizeof(*ne));
			if (ne == NULL)
				return -1;
			b->ev = ne;
		}
		b->ev[b->nev].at = best > 0.0 ? best : 0.0;
		b->ev[b->nev++].dusage = sx - cs;
		cb = nb;
		cs = sx;
	}
	return 0;
}

/*
 * The multipliers' block step: with the offers' prices of the last solve
 * fixed, set each community's multiplier to the exact minimiser of the
 * dual in it alone (communities in order, each seeing those before).
 * Returns 0 or -1.
 */
static int
bound_block(struct bound *b)
{
	double usage, target;
	size_t c, q;

	for (c = 0; c < b->ncomm; c++) {
		b->nev = 0;
		usage = 0.0;
		for (q = b->pol.cstart[c]; q < b->pol.cstart[c + 1]; q++)
			if (bound_need_events(b, b->pol.cneed[q], (int)c,
			    &usage) == -1)
				return -1;
		target = b->capl[c];
		if (usage <= target) {
			b->lambda[c] = 0.0;
			continue;
		}
		qsort(b->ev, b->nev, sizeof(*b->ev), bound_event_cmp);
		for (q = 0; q < b->nev; q++) {
			usage += b->ev[q].dusage;
			if (usage <= target + 1e-6)
				break;
		}
		b->lambda[c] = q < b->nev ? b->ev[q].at : b->lambda[c];
	}
	return 0;
}

static int
bound_alloc(struct bound *b, struct matcher_run *r)
{
	const struct matcher_input *in = r->in;
	size_t i, maxdeg = 0;

	memset(b, 0, sizeof(*b));
	b->r = r;
	b->ncomm = in->ncommunities;
	b->lambda = calloc(b->ncomm + 1, sizeof(*b->lambda));
	b->capl = calloc(b->ncomm + 1, sizeof(*b->capl));
	b->capped = calloc(b->ncomm + 1, 1);
	b->price = calloc(in->noffers + 1, sizeof(*b->price));
	b->w = calloc(r->cs.n + 1, sizeof(*b->w));
	b->x = calloc(in->nneeds + 1, sizeof(*b->x));
	b->cur = calloc(in->nneeds + 1, sizeof(*b->cur));
	for (i = 0; i < in->nneeds; i++)
		if (r->cs.start[i + 1] - r->cs.start[i] > maxdeg)
			maxdeg = r->cs.start[i + 1] - r->cs.start[i];
	b->lines = calloc(maxdeg + 1, sizeof(*b->lines));
	if (b->lambda == NULL || b->capl == NULL || b->capped == NULL ||
	    b->price == NULL || b->w == NULL || b->x == NULL ||
	    b->cur == NULL || b->lines == NULL)
		return -1;
	for (i = 0; i < b->ncomm; i++)
		b->capl[i] = r->comm_left[i] > 0 ? (double)r->comm_left[i] : 0;
	for (i = 0; i < in->noffers; i++)
		b->price[i] = in->offers[i].price_fen;
	return polish_init(&b->pol, r);
}

static void
bound_free(struct bound *b)
{
	free(b->lambda);
	free(b->capl);
	free(b->capped);
	free(b->price);
	free(b->w);
	free(b->x);
	free(b->cur);
	free(b->ev);
	free(b->lines);
	polish_free(&b->pol);
}

int
bound_lagrange(struct matcher_run *r, struct assign_warm *w, int64_t *match,
    int64_t uncapped, int64_t *bound)
{
	const struct matcher_input *in = r->in;
	struct assign_graph gr;
	struct bound b;
	unsigned char *capped = r->capped;
	long double lv, last = INFINITY;
	int64_t lb, ub = uncapped, t;
	size_t i;
	int step, rc = -1;

	if (bound_alloc(&b, r) == -1)
		goto out;
	b.warm = w;
	/* The steps' fills must not name communities in `capped`. */
	r->capped = b.capped;
	lb = matcher_total(r, match);
	gr.nneeds = (int)in->nneeds;
	gr.noffers = (int)in->noffers;
	gr.start = r->cs.start;
	gr.offer = r->cs.offer;
	gr.score = b.w;
	gr.cap = r->cap_left;
	for (step = 0; step < BOUND_STEPS && ub > lb; step++) {
		bound_weights(&b);
		if (assign_optimal_warm(&gr, b.x, w) == -1)
			goto out;
		lv = (long double)w->dual / MATCHER_UNIT;
		for (i = 0; i < b.ncomm; i++)
			lv += (long double)b.lambda[i] * b.capl[i];
		/* Totals are whole hundredths: the floor still bounds. */
		t = (int64_t)floorl(lv + BOUND_MARGIN);
		if (t < ub)
			ub = t;
		memcpy(b.cur, b.x, in->nneeds * sizeof(*b.cur));
		if (polish_apply(&b.pol, b.cur) == -1)
			goto out;
		t = matcher_total(r, b.cur);
		if (t > lb) {
			lb = t;
			memcpy(match, b.cur, in->nneeds * sizeof(*match));
		}
		if ((double)(ub - lb) <= BOUND_GAP * (double)ub ||
		    (step >= 2 && last - lv < BOUND_STALL * lv))
			break;
		last = lv;
		if (bound_block(&b) == -1)
			goto out;
	}
	assert(ub >= lb);
	*bound = ub;
	rc = 0;
 out:
	r->capped = capped;
	bound_free(&b);
	return rc;
}
