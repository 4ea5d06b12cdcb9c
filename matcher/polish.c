/*
 * polish.c: a feasible matching under the caps from a nearly feasible one
 * (the Lagrangian steps' matchings, bound.c).
 *
 * A community over its cap gives up fen by moves, each a need of it
 * switching to a cheaper candidate whose offer has room, or dropping its
 * pair: the move that loses the least score per fen freed, unless one move
 * that covers the whole excess loses less than that rate would (the
 * greedy of the knapsack's linear relaxation, with the needs' cheaper
 * options as its items).  Then unmatched needs are filled greedily, each
 * matched need moves up to its best candidate that fits, and the fill
 * runs again for what the moves freed.
 */
#include <stdlib.h>
#include <string.h>

#include "matcher/polish.h"

static int64_t	 polish_share(const struct matcher_run *, int32_t, int,
		    int64_t);
static void	 polish_move(struct matcher_run *, int64_t *, int32_t,
		    int64_t);
static int	 polish_chain(struct polish *, const int64_t *, int32_t,
		    size_t *);
static int	 polish_fit(struct polish *, int64_t *, int);
static int	 polish_fits(const struct matcher_run *, int32_t, int64_t,
		    int64_t);
static void	 polish_up(struct polish *, int64_t *);

/* Need n's share of amount that falls to community c (0 if none). */
static int64_t
polish_share(const struct matcher_run *r, int32_t n, int c, int64_t amount)
{
	const struct matcher_need *nd = &r->in->needs[n];
	int64_t k = 1 + nd->npartners, j, s = 0;

	for (j = 0; j < k; j++)
		if ((j == 0 ? nd->community : nd->partners[j - 1]) == c)
			s += amount / k + (j < amount % k ? 1 : 0);
	return s;
}

/* Move need n from its arc to arc a (-1: unmatched), accounting. */
static void
polish_move(struct matcher_run *r, int64_t *match, int32_t n, int64_t a)
{
	const struct matcher_offer *of = r->in->offers;
	int32_t o;

	if (match[n] >= 0) {
		o = r->cs.offer[match[n]];
		r->used[o]--;
		matcher_charge(r, n, of[o].price_fen, -1);
	}
	match[n] = a;
	if (a >= 0) {
		o = r->cs.offer[a];
		r->used[o]++;
		matcher_charge(r, n, of[o].price_fen, 1);
	}
}

/*
 * Need n's cheaper options into p->opt from *nopt on: the arcs to offers
 * with room that no other such arc beats on both score and price (arcs
 * come in preference order, so a pass keeps each arc cheaper than all
 * before it), cheaper than n's own, most expensive first.  Returns 0 or
 * -1.
 */
static int
polish_chain(struct polish *p, const int64_t *match, int32_t n, size_t *nopt)
{
	struct matcher_run *r = p->r;
	const struct matcher_offer *of = r->in->offers;
	int64_t own = of[r->cs.offer[match[n]]].price_fen, minp = INT64_MAX;
	size_t a, need = *nopt + (r->cs.start[n + 1] - r->cs.start[n]);
	int64_t *no;

	if (need > p->optcap) {
		p->optcap = need * 2;
		no = realloc(p->opt, p->optcap * sizeof(*no));
		if (no == NULL)
			return -1;
		p->opt = no;
	}
	for (a = r->cs.start[n]; a < r->cs.start[n + 1]; a++) {
		int64_t price = of[r->cs.offer[a]].price_fen;

		if (r->cs.score[a] <= 0 || price >= minp ||
		    r->used[r->cs.offer[a]] >= r->cap_left[r->cs.offer[a]])
			continue;
		minp = price;
		if (price < own)
			p->opt[(*nopt)++] = (int64_t)a;
	}
	return 0;
}

/* Bring community c within its cap by moves (see the file comment). */
static int
polish_fit(struct polish *p, int64_t *match, int c)
{
	struct matcher_run *r = p->r;
	const struct matcher_offer *of = r->in->offers;
	int64_t floor_left = r->comm_left[c] < 0 ? r->comm_left[c] : 0;
	int64_t excess, s0, loss, freed, bloss, bfreed, closs, bmove, cmove;
	int64_t arc;
	int32_t n, bn, cn, o;
	size_t q, k, nopt = 0, nb = p->cstart[c + 1] - p->cstart[c];

	if (floor_left - r->left[c] <= 0)
		return 0;
	/* Each matched need's options: p->opt[p->ofs[q] .. p->ofs[q+1]). */
	for (q = 0; q < nb; q++) {
		n = p->cneed[p->cstart[c] + q];
		p->ofs[q] = nopt;
		if (match[n] >= 0 && polish_chain(p, match, n, &nopt) == -1)
			return -1;
	}
	p->ofs[nb] = nopt;
	while ((excess = floor_left - r->left[c]) > 0) {
		bn = cn = -1;
		bmove = cmove = -1;
		bloss = bfreed = closs = 0;
		for (q = 0; q < nb; q++) {
			n = p->cneed[p->cstart[c] + q];
			if (match[n] < 0)
				continue;
			s0 = polish_share(r, n, c,
			    of[r->cs.offer[match[n]]].price_fen);
			if (s0 <= 0)
				continue;
			/* Options from the chain, then dropping the pair. */
			for (k = p->ofs[q]; k <= p->ofs[q + 1]; k++) {
				arc = k < p->ofs[q + 1] ? p->opt[k] : -1;
				if (arc >= 0) {
					o = r->cs.offer[arc];
					if (r->used[o] >= r->cap_left[o] ||
					    of[o].price_fen >= of[r->cs.offer[
					    match[n]]].price_fen)
						continue;
					freed = s0 - polish_share(r, n, c,
					    of[o].price_fen);
					loss = r->cs.score[match[n]] -
					    r->cs.score[arc];
				} else {
					freed = s0;
					loss = r->cs.score[match[n]];
				}
				if (freed <= 0)
					continue;
				/* loss / freed < bloss / bfreed */
				if (bn < 0 || loss * bfreed < bloss * freed) {
					bn = n;
					bmove = arc;
					bloss = loss;
					bfreed = freed;
				}
				if (freed >= excess && (cn < 0 ||
				    loss < closs)) {
					cn = n;
					cmove = arc;
					closs = loss;
				}
			}
		}
		if (bn < 0)
			break;	/* cannot happen: dropping always frees */
		/* One covering move, if cheaper than the rate predicts. */
		if (cn >= 0 && closs * bfreed <= bloss * excess)
			polish_move(r, match, cn, cmove);
		else
			polish_move(r, match, bn, bmove);
	}
	return 0;
}

/*
 * Whether need n can move from its arc (whose offer's price is old) to
 * arc a: a's offer has room and every community's cap takes the change.
 */
static int
polish_fits(const struct matcher_run *r, int32_t n, int64_t old, int64_t a)
{
	const struct matcher_need *nd = &r->in->needs[n];
	int64_t amount = r->in->offers[r->cs.offer[a]].price_fen;
	int64_t k = 1 + nd->npartners, j, d;
	int32_t o = r->cs.offer[a];
	int c;

	if (r->used[o] >= r->cap_left[o])
		return 0;
	for (j = 0; j < k; j++) {
		c = j == 0 ? nd->community : nd->partners[j - 1];
		d = (amount / k + (j < amount % k ? 1 : 0)) -
		    (old / k + (j < old % k ? 1 : 0));
		if (d > 0 && d > r->left[c])
			return 0;
	}
	return 1;
}

/* Each matched need, in order, to its best candidate that fits. */
static void
polish_up(struct polish *p, int64_t *match)
{
	struct matcher_run *r = p->r;
	const struct matcher_offer *of = r->in->offers;
	size_t i, a;
	int64_t old;

	for (i = 0; i < r->in->nneeds; i++) {
		if (match[i] < 0)
			continue;
		old = of[r->cs.offer[match[i]]].price_fen;
		/* Arcs are in preference order: the better come first. */
		for (a = r->cs.start[i]; a < (size_t)match[i]; a++)
			if (r->cs.score[a] > r->cs.score[match[i]] &&
			    polish_fits(r, (int32_t)i, old, (int64_t)a)) {
				polish_move(r, match, (int32_t)i, (int64_t)a);
				break;
			}
	}
}

int
polish_init(struct polish *p, struct matcher_run *r)
{
	const struct matcher_input *in = r->in;
	size_t i, nc = in->ncommunities, big;
	int j, c, pass;

	memset(p, 0, sizeof(*p));
	p->r = r;
	p->cstart = calloc(nc + 2, sizeof(*p->cstart));
	if (p->cstart == NULL)
		return -1;
	/*
	 * Needs with candidates, bucketed by each of their communities: a
	 * pass to count, then one to fill.
	 */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < in->nneeds; i++) {
			if (r->cs.start[i] == r->cs.start[i + 1])
				continue;
			for (j = 0; j <= in->needs[i].npartners; j++) {
				c = j == 0 ? in->needs[i].community :
				    in->needs[i].partners[j - 1];
				if (pass == 0)
					p->cstart[c + 2]++;
				else
					p->cneed[p->cstart[c + 1]++] =
					    (int32_t)i;
			}
		}
		if (pass == 1)
			break;
		for (i = 0; i < nc; i++)
			p->cstart[i + 2] += p->cstart[i + 1];
		p->cneed = malloc((p->cstart[nc + 1] + 1) *
		    sizeof(*p->cneed));
		if (p->cneed == NULL)
			return -1;
	}
	for (i = 0, big = 0; i < nc; i++)
		if (p->cstart[i + 1] - p->cstart[i] > big)
			big = p->cstart[i + 1] - p->cstart[i];
	p->ofs = malloc((big + 1) * sizeof(*p->ofs));
	if (p->ofs == NULL)
		return -1;
	return 0;
}

int
polish_apply(struct polish *p, int64_t *match)
{
	struct matcher_run *r = p->r;
	size_t c;

	matcher_account(r, match);
	for (c = 0; c < r->in->ncommunities; c++)
		if (polish_fit(p, match, (int)c) == -1)
			return -1;
	if (matcher_greedy_fill(r, match) == -1)
		return -1;
	polish_up(p, match);
	return matcher_greedy_fill(r, match);
}

void
polish_free(struct polish *p)
{
	free(p->cstart);
	free(p->cneed);
	free(p->ofs);
	free(p->opt);
	memset(p, 0, sizeof(*p));
}
