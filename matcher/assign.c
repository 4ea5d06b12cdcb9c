/*
 * assign.c: exact maximum-weight b-matching by auction with epsilon scaling.
 *
 * Each offer of capacity c is c slots, each with its own price.  A need's
 * profit from a slot is its scaled weight minus the slot's price; every need
 * also has a private "stay unmatched" object of value 0 and price 0.
 *
 * Forward phase (Bertsekas): an unassigned need bids for the cheapest slot
 * of its best offer, raising the price to make its profit the second best
 * value minus epsilon, and displaces the holder.  At the end every need
 * holds a slot or stays unmatched within epsilon of its best choice
 * (epsilon complementary slackness, eps-CS).
 *
 * Reverse phase (Bertsekas and Castanon's asymmetric assignment): a slot
 * left empty with a positive price would break the dual's complementary
 * slackness (an offer that is not full must have price 0), so such a slot
 * bids for the need that values it most, lowering its price to the second
 * best value minus epsilon, or to 0 when nobody values it by epsilon.  This
 * keeps eps-CS and ends with no empty slot priced above 0.
 *
 * Then the duality gap is at most needs x epsilon.  Weights are scaled by
 * (needs + 1) and the last phase has epsilon 1, so the gap is below one
 * unscaled unit: with integer weights the matching is optimal.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/assign.h"

#define ASSIGN_UNASSIGNED	(-1)
#define ASSIGN_DUMMY		(-2)
#ifndef ASSIGN_THETA
#define ASSIGN_THETA		10	/* epsilon divisor per phase */
#endif

/* An arc seen from its offer: weight kept here to spare a lookup. */
struct assign_rarc {
	int32_t		 need;
	int32_t		 score;
};

struct assign_state {
	const struct assign_graph *g;
	int64_t		 scale;
	int64_t		 eps;
	size_t		 nslots;
	size_t		*base;		/* noffers + 1: slots of each offer */
	int32_t		*slot_offer;	/* nslots */
	int64_t		*price;		/* nslots */
	int32_t		*holder;	/* nslots: need or -1 */
	int64_t		*minp;		/* noffers: cheapest slot price */
	int32_t		*need_slot;	/* nneeds */
	int32_t		*need_arc;	/* nneeds */
	int64_t		*profit;	/* nneeds, reverse phase */
	int32_t		*queue;		/* nneeds, ring */
	int32_t		*badq;		/* nslots, ring */
	unsigned char	*inbad;		/* nslots */
	/* Offer-side adjacency for the reverse phase, built on first use. */
	size_t		*rstart;	/* noffers + 1 */
	struct assign_rarc *radj;	/* the need and weight of each */
	int32_t		*rarc;		/* the arc of each */
};

static int	 assign_usable(const struct assign_graph *, size_t);
static void	 assign_minp(struct assign_state *, int32_t);
static int	 assign_content(const struct assign_state *, int32_t);
static void	 assign_forward(struct assign_state *, int);
static int	 assign_reverse(struct assign_state *);
static int	 assign_build_reverse(struct assign_state *);
static void	 assign_state_free(struct assign_state *);
static int	 assign_state_init(struct assign_state *,
		    const struct assign_graph *);
static int64_t	 assign_dual(const struct assign_state *);
static int	 assign_solve(const struct assign_graph *, int64_t *,
		    struct assign_warm *);

/* Whether arc a takes part: positive weight, offer with capacity. */
static int
assign_usable(const struct assign_graph *g, size_t a)
{
	return g->score[a] > 0 && g->cap[g->offer[a]] > 0;
}

/* Recompute the cheapest slot price of offer o. */
static void
assign_minp(struct assign_state *st, int32_t o)
{
	size_t s, e = st->base[o + 1];
	int64_t m = st->price[st->base[o]];

	for (s = st->base[o] + 1; s < e; s++)
		if (st->price[s] < m)
			m = st->price[s];
	st->minp[o] = m;
}

/*
 * Whether need i, holding what it holds, is within st->eps of its best
 * profit (eps-CS).  A held arc that is no longer usable is not.
 */
static int
assign_content(const struct assign_state *st, int32_t i)
{
	const struct assign_graph *g = st->g;
	int64_t held = 0, v;
	int32_t ns = st->need_slot[i];
	size_t a;

	if (ns >= 0) {
		if (!assign_usable(g, (size_t)st->need_arc[i]))
			return 0;
		held = (int64_t)g->score[st->need_arc[i]] * st->scale -
		    st->price[ns];
	}
	for (a = g->start[i]; a < g->start[i + 1]; a++) {
		if (g->score[a] <= 0 || st->minp[g->offer[a]] == INT64_MAX)
			continue;
		v = (int64_t)g->score[a] * st->scale - st->minp[g->offer[a]];
		if (v > held + st->eps)
			return 0;
	}
	return 1;
}

/*
 * Forward auction at st->eps: every need with a usable arc starts
 * unassigned and bids until it holds a slot or its private dummy.  With
 * keep, a need keeps what it holds when that is within eps of its best
 * (warm solves: the prices and holdings of the last solve).
 */
static void
assign_forward(struct assign_state *st, int keep)
{
	const struct assign_graph *g = st->g;
	const int64_t scale = st->scale, eps = st->eps;
	size_t qh = 0, qn = 0, qcap = (size_t)g->nneeds;
	int32_t i;
	size_t s;

	if (keep) {
		for (i = 0; i < g->nneeds; i++) {
			if (assign_content(st, i)) {
				if (st->need_slot[i] < 0)
					st->need_slot[i] = ASSIGN_DUMMY;
				continue;
			}
			if (st->need_slot[i] >= 0)
				st->holder[st->need_slot[i]] = -1;
			st->need_slot[i] = ASSIGN_UNASSIGNED;
			st->queue[(qh + qn++) % qcap] = i;
		}
	} else {
		for (s = 0; s < st->nslots; s++)
			st->holder[s] = -1;
		for (i = 0; i < g->nneeds; i++) {
			size_t a;

			st->need_slot[i] = ASSIGN_DUMMY;
			for (a = g->start[i]; a < g->start[i + 1]; a++)
				if (assign_usable(g, a)) {
					st->need_slot[i] = ASSIGN_UNASSIGNED;
					st->queue[(qh + qn++) % qcap] = i;
					break;
				}
		}
	}
	while (qn > 0) {
		int64_t best = 0, second = 0, v, w = 0;
		int32_t bo = -1, barc = -1, o, h;
		size_t a, e, sbest, s2;

		i = st->queue[qh];
		qh = (qh + 1) % qcap;
		qn--;
		e = g->start[i + 1];
		for (a = g->start[i]; a < e; a++) {
			if (g->score[a] <= 0)
				continue;
			o = g->offer[a];
			/* minp is INT64_MAX for offers without slots. */
			if (st->minp[o] == INT64_MAX)
				continue;
			v = (int64_t)g->score[a] * scale - st->minp[o];
			if (v > best) {
				second = best;
				best = v;
				bo = o;
				barc = (int32_t)a;
			} else if (v > second)
				second = v;
		}
		if (bo < 0) {
			st->need_slot[i] = ASSIGN_DUMMY;
			continue;
		}
		w = (int64_t)g->score[barc] * scale;
		/* The cheapest slot of bo, and the next cheapest. */
		sbest = st->base[bo];
		for (s2 = sbest + 1; s2 < st->base[bo + 1]; s2++)
			if (st->price[s2] < st->price[sbest])
				sbest = s2;
		for (s2 = st->base[bo]; s2 < st->base[bo + 1]; s2++)
			if (s2 != sbest && w - st->price[s2] > second)
				second = w - st->price[s2];
		h = st->holder[sbest];
		if (h >= 0) {
			st->need_slot[h] = ASSIGN_UNASSIGNED;
			st->queue[(qh + qn++) % qcap] = h;
		}
		st->holder[sbest] = i;
		st->need_slot[i] = (int32_t)sbest;
		st->need_arc[i] = barc;
		st->price[sbest] = w - second + eps;
		if (st->base[bo + 1] - st->base[bo] == 1)
			st->minp[bo] = st->price[sbest];
		else
			assign_minp(st, bo);
	}
}

/* Build the offer-side adjacency.  Returns 0 or -1 when out of memory. */
static int
assign_build_reverse(struct assign_state *st)
{
	const struct assign_graph *g = st->g;
	size_t narcs = g->start[g->nneeds], a, *fill;
	int32_t i, o;

	st->rstart = calloc((size_t)g->noffers + 1, sizeof(*st->rstart));
	if (st->rstart == NULL)
		return -1;
	for (a = 0; a < narcs; a++)
		if (assign_usable(g, a))
			st->rstart[g->offer[a] + 1]++;
	for (o = 0; o < g->noffers; o++)
		st->rstart[o + 1] += st->rstart[o];
	st->radj = malloc((st->rstart[g->noffers] + 1) * sizeof(*st->radj));
	st->rarc = malloc((st->rstart[g->noffers] + 1) * sizeof(*st->rarc));
	fill = malloc(((size_t)g->noffers + 1) * sizeof(*fill));
	if (st->radj == NULL || st->rarc == NULL || fill == NULL) {
		free(fill);
		return -1;
	}
	memcpy(fill, st->rstart, ((size_t)g->noffers + 1) * sizeof(*fill));
	for (i = 0; i < g->nneeds; i++)
		for (a = g->start[i]; a < g->start[i + 1]; a++)
			if (assign_usable(g, a)) {
				o = g->offer[a];
				st->radj[fill[o]].need = i;
				st->radj[fill[o]].score = g->score[a];
				st->rarc[fill[o]++] = (int32_t)a;
			}
	free(fill);
	return 0;
}

/*
 * Reverse auction at st->eps: while some slot is empty with a positive
 * price, it lowers its price and takes the need that values it most, or
 * drops its price to 0.  Returns 0 or -1 when out of memory.
 */
static int
assign_reverse(struct assign_state *st)
{
	const struct assign_graph *g = st->g;
	const int64_t scale = st->scale, eps = st->eps;
	size_t qh = 0, qn = 0, qcap = st->nslots, s, k;
	int32_t i;

	for (s = 0; s < st->nslots; s++) {
		st->inbad[s] = 0;
		if (st->holder[s] < 0 && st->price[s] > 0) {
			st->badq[(qh + qn++) % qcap] = (int32_t)s;
			st->inbad[s] = 1;
		}
	}
	if (qn == 0)
		return 0;
	if (st->rstart == NULL && assign_build_reverse(st) == -1)
		return -1;
	for (i = 0; i < g->nneeds; i++) {
		int32_t ns = st->need_slot[i];

		st->profit[i] = ns >= 0 ? (int64_t)g->score[st->need_arc[i]] *
		    scale - st->price[ns] : 0;
	}
	while (qn > 0) {
		int64_t beta = INT64_MIN, omega = INT64_MIN, v, p;
		int32_t bi = -1, barc = -1, o, old;

		s = (size_t)st->badq[qh];
		qh = (qh + 1) % qcap;
		qn--;
		st->inbad[s] = 0;
		if (st->holder[s] >= 0 || st->price[s] <= 0)
			continue;
		o = st->slot_offer[s];
		for (k = st->rstart[o]; k < st->rstart[o + 1]; k++) {
			i = st->radj[k].need;
			v = (int64_t)st->radj[k].score * scale - st->profit[i];
			if (v > beta) {
				omega = beta;
				beta = v;
				bi = i;
				barc = (int32_t)k;
			} else if (v > omega)
				omega = v;
		}
		if (bi >= 0)
			barc = st->rarc[barc];
		if (bi < 0 || beta < eps) {
			st->price[s] = 0;
			assign_minp(st, o);
			continue;
		}
		p = omega == INT64_MIN ? 0 : omega - eps;
		if (p < 0)
			p = 0;
		old = st->need_slot[bi];
		if (old >= 0) {
			st->holder[old] = -1;
			if (st->price[old] > 0 && !st->inbad[old]) {
				st->badq[(qh + qn++) % qcap] = old;
				st->inbad[old] = 1;
			}
		}
		st->holder[s] = bi;
		st->need_slot[bi] = (int32_t)s;
		st->need_arc[bi] = barc;
		st->price[s] = p;
		st->profit[bi] = (int64_t)g->score[barc] * scale - p;
		assign_minp(st, o);
	}
	return 0;
}

static void
assign_state_free(struct assign_state *st)
{
	if (st == NULL)
		return;
	free(st->base);
	free(st->slot_offer);
	free(st->price);
	free(st->holder);
	free(st->minp);
	free(st->need_slot);
	free(st->need_arc);
	free(st->profit);
	free(st->queue);
	free(st->badq);
	free(st->inbad);
	free(st->rstart);
	free(st->radj);
	free(st->rarc);
	memset(st, 0, sizeof(*st));
}

/*
 * The dual value of the prices: the sum over needs of the best profit (0
 * at least) plus the sum of the slot prices, in weight x scale units.  For
 * any prices >= 0 this is at least scale x the largest total (weak
 * duality of the b-matching linear program).
 */
static int64_t
assign_dual(const struct assign_state *st)
{
	const struct assign_graph *g = st->g;
	int64_t d = 0, best, v;
	size_t a, s;
	int32_t i;

	for (s = 0; s < st->nslots; s++)
		d += st->price[s];
	for (i = 0; i < g->nneeds; i++) {
		best = 0;
		for (a = g->start[i]; a < g->start[i + 1]; a++) {
			if (g->score[a] <= 0 ||
			    st->minp[g->offer[a]] == INT64_MAX)
				continue;
			v = (int64_t)g->score[a] * st->scale -
			    st->minp[g->offer[a]];
			if (v > best)
				best = v;
		}
		d += best;
	}
	return d;
}

/* Allocate st for g: zero prices, every need unassigned.  0 or -1. */
static int
assign_state_init(struct assign_state *st, const struct assign_graph *g)
{
	size_t s;
	int32_t o;

	memset(st, 0, sizeof(*st));
	st->g = g;
	st->base = calloc((size_t)g->noffers + 1, sizeof(*st->base));
	st->minp = calloc((size_t)g->noffers + 1, sizeof(*st->minp));
	if (st->base == NULL || st->minp == NULL)
		return -1;
	for (o = 0; o < g->noffers; o++)
		st->base[o + 1] = st->base[o] + (size_t)(g->cap[o] > 0 ?
		    g->cap[o] : 0);
	st->nslots = st->base[g->noffers];
	if (st->nslots >= (size_t)INT32_MAX)
		return -1;
	st->slot_offer = calloc(st->nslots + 1, sizeof(*st->slot_offer));
	st->price = calloc(st->nslots + 1, sizeof(*st->price));
	st->holder = calloc(st->nslots + 1, sizeof(*st->holder));
	st->badq = calloc(st->nslots + 1, sizeof(*st->badq));
	st->inbad = calloc(st->nslots + 1, sizeof(*st->inbad));
	st->need_slot = calloc((size_t)g->nneeds, sizeof(*st->need_slot));
	st->need_arc = calloc((size_t)g->nneeds, sizeof(*st->need_arc));
	st->profit = calloc((size_t)g->nneeds, sizeof(*st->profit));
	st->queue = calloc((size_t)g->nneeds, sizeof(*st->queue));
	if (st->slot_offer == NULL || st->price == NULL ||
	    st->holder == NULL || st->badq == NULL || st->inbad == NULL ||
	    st->need_slot == NULL || st->need_arc == NULL ||
	    st->profit == NULL || st->queue == NULL)
		return -1;
	for (o = 0; o < g->noffers; o++) {
		for (s = st->base[o]; s < st->base[o + 1]; s++)
			st->slot_offer[s] = o;
		st->minp[o] = st->base[o + 1] > st->base[o] ? 0 : INT64_MAX;
	}
	for (s = 0; s < st->nslots; s++)
		st->holder[s] = -1;
	for (o = 0; o < g->nneeds; o++)
		st->need_slot[o] = ASSIGN_UNASSIGNED;
	return 0;
}

/*
 * assign_optimal (w NULL) and assign_optimal_warm: a warm solve reuses the
 * state of the last one, whose prices and holdings the new weights leave
 * nearly right, and starts from a small epsilon.
 */
static int
assign_solve(const struct assign_graph *g, int64_t *match,
    struct assign_warm *w)
{
	struct assign_state cold, *st = &cold;
	size_t narcs = g->start[g->nneeds], a;
	int64_t maxw = 0, nactive = 0, maxd = 0, d;
	int32_t i;
	int rc = -1, done, keep = 0, exact = w == NULL || w->exact;

	memset(&cold, 0, sizeof(cold));
	for (i = 0; i < g->nneeds; i++)
		match[i] = -1;
	if (w != NULL)
		w->dual = 0;
	if (narcs >= (size_t)INT32_MAX || g->nneeds <= 0)
		return narcs >= (size_t)INT32_MAX ? -1 : 0;
	if (w != NULL && w->st != NULL && !exact) {
		st = w->st;
		st->g = g;
		keep = 1;
	} else {
		if (w != NULL) {
			assign_warm_free(w);
			if ((w->st = calloc(1, sizeof(*w->st))) == NULL ||
			    (!exact && (w->last = malloc((narcs + 1) *
			    sizeof(*w->last))) == NULL))
				goto out;
			st = w->st;
		}
		if (assign_state_init(st, g) == -1)
			goto out;
	}
	for (i = 0; i < g->nneeds; i++) {
		int any = 0;

		for (a = g->start[i]; a < g->start[i + 1]; a++)
			if (assign_usable(g, a)) {
				any = 1;
				if (g->score[a] > maxw)
					maxw = g->score[a];
			}
		nactive += any;
	}
	if (w != NULL && !exact) {
		for (a = 0; keep && a < narcs; a++) {
			d = (int64_t)g->score[a] - w->last[a];
			if (d < 0)
				d = -d;
			if (d > maxd)
				maxd = d;
		}
		memcpy(w->last, g->score, narcs * sizeof(*w->last));
	}
	if (nactive == 0) {
		if (w != NULL)
			w->minp = st->minp;
		rc = 0;
		goto out;
	}
	/*
	 * Warm solves work on unscaled weights: they end within nneeds of
	 * the optimum, their dual value is exact, and they take half the
	 * phases (the caller scales the weights for the precision it needs).
	 * They start from a quarter of the largest weight change, measured
	 * the quickest.
	 */
	st->scale = exact ? nactive + 1 : 1;
	st->eps = maxw * st->scale / 4;
	if (keep && maxd / 4 < st->eps)
		st->eps = maxd / 4;
	if (st->eps < 1)
		st->eps = 1;
	for (done = 0; !done; ) {
		done = st->eps == 1;
		assign_forward(st, keep);
		if (assign_reverse(st) == -1)
			goto out;
		st->eps = st->eps / ASSIGN_THETA;
		if (st->eps < 1)
			st->eps = 1;
	}
	for (i = 0; i < g->nneeds; i++)
		if (st->need_slot[i] >= 0)
			match[i] = st->need_arc[i];
	if (w != NULL && !exact) {
		w->dual = assign_dual(st);
		w->minp = st->minp;
		for (w->psum = 0, a = 0; a < st->nslots; a++)
			w->psum += st->price[a];
	}
	rc = 0;
 out:
	if (w == NULL)
		assign_state_free(&cold);
	else if (rc == -1)
		assign_warm_free(w);
	else {
		/* The offer-side arcs carry weights: built again next time. */
		free(st->rstart);
		free(st->radj);
		free(st->rarc);
		st->rstart = NULL;
		st->radj = NULL;
		st->rarc = NULL;
		w->exact = 0;
	}
	return rc;
}

int
assign_optimal(const struct assign_graph *g, int64_t *match)
{
	return assign_solve(g, match, NULL);
}

int
assign_optimal_warm(const struct assign_graph *g, int64_t *match,
    struct assign_warm *w)
{
	return assign_solve(g, match, w);
}

int
assign_warm_units(struct assign_warm *w, const int64_t *arc, int unit)
{
	struct assign_state *st = w->st;
	const struct assign_graph *g;
	size_t s, a;
	int32_t i, o;

	if (st == NULL || st->g == NULL)
		return 0;
	g = st->g;
	if (w->last == NULL && (w->last = malloc((g->start[g->nneeds] + 1) *
	    sizeof(*w->last))) == NULL)
		return -1;
	for (i = 0; i < g->nneeds; i++)
		if (st->need_slot[i] >= 0) {
			assert(arc[i] >= 0);
			st->need_arc[i] = (int32_t)arc[i];
		}
	for (s = 0; s < st->nslots; s++)
		st->price[s] = st->price[s] * unit / (st->scale > 0 ?
		    st->scale : 1);
	for (o = 0; o < g->noffers; o++)
		if (st->base[o + 1] > st->base[o])
			assign_minp(st, o);
	/* The arrays are the same, sorted: the last weights, in units. */
	for (a = 0; a < g->start[g->nneeds]; a++)
		w->last[a] = g->score[a] * unit;
	st->scale = 1;
	return 0;
}

void
assign_warm_free(struct assign_warm *w)
{
	if (w == NULL)
		return;
	assign_state_free(w->st);
	free(w->st);
	free(w->last);
	w->st = NULL;
	w->last = NULL;
	w->dual = w->psum = 0;
	w->minp = NULL;
}

int64_t
assign_total(const struct assign_graph *g, const int64_t *match)
{
	int64_t t = 0;
	int32_t i;

	for (i = 0; i < g->nneeds; i++)
		if (match[i] >= 0)
			t += g->score[match[i]];
	return t;
}
