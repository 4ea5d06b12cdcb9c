/*
 * matcher.c: the three assignment methods over the candidates, fixed pairs,
 * community caps, and the result.
 *
 * Caps.  optimal solves the maximum-weight b-matching without caps first
 * (exact, assign.c).  If no community passes its cap that matching is
 * optimal for the capped problem too and the result is marked exact.
 * Otherwise a repair runs (a heuristic; the capped problem is a
 * multi-dimensional knapsack, NP-hard): each community over its cap drops
 * its matched pairs of lowest score per fen of its share until it fits, the
 * dropped pairs are banned, the freed needs and capacity are filled
 * greedily, and the b-matching is solved again without the banned pairs,
 * for MATCHER_REPAIR_ROUNDS rounds.
 * Every community that was over its cap in some round, or that could not
 * take some pair at all, is named in `capped`.  Then the Lagrangian bound
 * (bound.c) proves how far from the optimum the result can be, and
 * improves it: the best feasible result is kept.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/assign.h"
#include "matcher/run.h"

#define MATCHER_REPAIR_ROUNDS	3

static int	 matcher_drop_cmp(const void *, const void *);
static int	 matcher_optimal(struct matcher_run *, int64_t *, int *,
		    int64_t *);
static int	 matcher_result(struct matcher_run *, const int64_t *, int,
		    int64_t, struct matcher_result *);
static int	 matcher_prepare(const struct matcher_input *,
		    struct matcher_run *);
static void	 matcher_run_free(struct matcher_run *);

void
matcher_shares(const struct matcher_need *n, int64_t amount, int64_t *shares)
{
	int64_t k = 1 + (n->npartners > 0 ? n->npartners : 0);
	int64_t j;

	for (j = 0; j < k; j++)
		shares[j] = amount / k + (j < amount % k ? 1 : 0);
}

int
matcher_fits(struct matcher_run *r, int n, int64_t amount)
{
	const struct matcher_need *nd = &r->in->needs[n];
	int64_t k = 1 + (nd->npartners > 0 ? nd->npartners : 0), j;
	int c;

	for (j = 0; j < k; j++) {
		c = j == 0 ? nd->community : nd->partners[j - 1];
		if (amount / k + (j < amount % k ? 1 : 0) > r->left[c]) {
			/* A pair turned away by a cap: that cap bound. */
			r->capped[c] = 1;
			return 0;
		}
	}
	return 1;
}

void
matcher_charge(struct matcher_run *r, int n, int64_t amount, int sign)
{
	const struct matcher_need *nd = &r->in->needs[n];
	int64_t k = 1 + (nd->npartners > 0 ? nd->npartners : 0), j;
	int c;

	for (j = 0; j < k; j++) {
		c = j == 0 ? nd->community : nd->partners[j - 1];
		r->left[c] -= sign * (amount / k + (j < amount % k ? 1 : 0));
	}
}

/* A matched pair of a community over its cap, while choosing drops. */
struct matcher_drop {
	int32_t	need;
	int32_t	score;
	int64_t	share;
};

/*
 * Drop order: lower score per fen of the community's share first (a
 * share of 0 last), then lower score, then higher need index.
 */
static int
matcher_drop_cmp(const void *pa, const void *pb)
{
	const struct matcher_drop *a = pa, *b = pb;
	int64_t x = (int64_t)a->score * b->share;
	int64_t y = (int64_t)b->score * a->share;

	if (x != y)
		return x < y ? -1 : 1;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return (a->need < b->need) - (a->need > b->need);
}

/*
 * Make match fit the caps: every community over its cap (r->left < 0)
 * drops its matched pairs of lowest score per fen of its share until it
 * fits; dropped arcs get score 0 in ban.  Returns 1 if some community was
 * over its cap, 0 if none, -1 when out of memory.
 */
int
matcher_repair(struct matcher_run *r, int64_t *match, int32_t *ban)
{
	const struct matcher_input *in = r->in;
	struct matcher_drop *d = NULL;
	size_t c, i, nd, k, *off = NULL, *fill = NULL;
	int32_t *bucket = NULL;
	int over = 0, rc = -1, j, nk;

	/* The matched needs of each community, bucketed once. */
	off = calloc(in->ncommunities + 2, sizeof(*off));
	fill = calloc(in->ncommunities + 1, sizeof(*fill));
	if (off == NULL || fill == NULL)
		goto out;
	for (i = 0; i < in->nneeds; i++) {
		const struct matcher_need *n = &in->needs[i];

		if (match[i] < 0)
			continue;
		for (j = 0; j <= n->npartners; j++)
			off[(j == 0 ? n->community : n->partners[j - 1]) + 1]++;
	}
	for (c = 0; c < in->ncommunities; c++)
		off[c + 1] += off[c];
	bucket = malloc((off[in->ncommunities] + 1) * sizeof(*bucket));
	d = malloc((off[in->ncommunities] + 1) * sizeof(*d));
	if (bucket == NULL || d == NULL)
		goto out;
	memcpy(fill, off, in->ncommunities * sizeof(*fill));
	for (i = 0; i < in->nneeds; i++) {
		const struct matcher_need *n = &in->needs[i];

		if (match[i] < 0)
			continue;
		for (j = 0; j <= n->npartners; j++)
			bucket[fill[j == 0 ? n->community :
			    n->partners[j - 1]]++] = (int32_t)i;
	}
	for (c = 0; c < in->ncommunities; c++) {
		/* Fixed pairs alone may pass the cap: this run must not add. */
		int64_t floor_left = r->comm_left[c] < 0 ? r->comm_left[c] : 0;

		if (r->left[c] >= floor_left)
			continue;
		for (k = off[c], nd = 0; k < off[c + 1]; k++) {
			const struct matcher_need *n;
			int64_t amount;

			i = (size_t)bucket[k];
			if (match[i] < 0)
				continue;	/* dropped for another community */
			n = &in->needs[i];
			nk = 1 + n->npartners;
			for (j = 0; j < nk; j++)
				if ((size_t)(j == 0 ? n->community :
				    n->partners[j - 1]) == c)
					break;
			amount = in->offers[r->cs.offer[match[i]]].price_fen;
			d[nd].need = (int32_t)i;
			d[nd].score = r->cs.score[match[i]];
			d[nd++].share = amount / nk + (j < amount % nk ? 1 : 0);
		}
		qsort(d, nd, sizeof(*d), matcher_drop_cmp);
		over = 1;
		r->capped[c] = 1;
		for (k = 0; k < nd && r->left[c] < floor_left; k++) {
			int32_t n = d[k].need;
			int32_t o = r->cs.offer[match[n]];

			if (ban != NULL)
				ban[match[n]] = 0;
			r->used[o]--;
			matcher_charge(r, n, in->offers[o].price_fen, -1);
			match[n] = -1;
		}
	}
	rc = over;
 out:
	free(d);
	free(off);
	free(fill);
	free(bucket);
	return rc;
}

void
matcher_account(struct matcher_run *r, const int64_t *match)
{
	const struct matcher_input *in = r->in;
	size_t i;

	memset(r->used, 0, in->noffers * sizeof(*r->used));
	memcpy(r->left, r->comm_left, in->ncommunities * sizeof(*r->left));
	for (i = 0; i < in->nneeds; i++)
		if (match[i] >= 0) {
			r->used[r->cs.offer[match[i]]]++;
			matcher_charge(r, (int)i,
			    in->offers[r->cs.offer[match[i]]].price_fen, 1);
		}
}

int64_t
matcher_total(const struct matcher_run *r, const int64_t *match)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < r->in->nneeds; i++)
		if (match[i] >= 0)
			t += r->cs.score[match[i]];
	return t;
}

/*
 * optimal: exact b-matching, then the cap repair and the Lagrangian bound
 * (bound.c) when a cap is passed.  *bound is set to an upper bound on the
 * run's pairs' total (their total when no cap is passed) and *exact when
 * the result is proven optimal.  Returns 0 or -1.
 */
static int
matcher_optimal(struct matcher_run *r, int64_t *match, int *exact,
    int64_t *bound)
{
	const struct matcher_input *in = r->in;
	struct assign_graph g;
	struct assign_warm warm;
	int32_t *ban = NULL;
	int64_t *cur = NULL, best = -1, tot, uncapped;
	size_t i, round;
	int rc = -1, over;

	memset(&warm, 0, sizeof(warm));
	g.nneeds = (int)in->nneeds;
	g.noffers = (int)in->noffers;
	g.start = r->cs.start;
	g.offer = r->cs.offer;
	g.score = r->cs.score;
	g.cap = r->cap_left;
	/* assign_optimal's solve, its prices kept for the rounds below. */
	warm.exact = 1;
	if (assign_optimal_warm(&g, match, &warm) == -1)
		goto out;
	matcher_account(r, match);
	uncapped = matcher_total(r, match);
	for (i = 0, over = 0; i < in->ncommunities; i++)
		if (r->left[i] < 0 && r->left[i] < r->comm_left[i])
			over = 1;
	if (!over) {
		*exact = 1;
		*bound = uncapped;
		rc = 0;
		goto out;
	}

	/*
	 * A cap bound: repair rounds over preference-sorted arcs.  Round 0
	 * repairs the matching just found (its arcs renumbered by the sort),
	 * later rounds solve again without the banned arcs.  The first
	 * solve's prices wait for the Lagrangian steps.
	 */
	ban = malloc((r->cs.n + 1) * sizeof(*ban));
	cur = malloc((in->nneeds + 1) * sizeof(*cur));
	if (ban == NULL || cur == NULL)
		goto out;
	for (i = 0; i < in->nneeds; i++)
		cur[i] = match[i] >= 0 ? r->cs.offer[match[i]] : -1;
	if (cand_sort(in, &r->cs) == -1)
		goto out;
	for (i = 0; i < in->nneeds; i++) {
		size_t a;

		if (cur[i] < 0)
			continue;
		for (a = r->cs.start[i]; r->cs.offer[a] != cur[i]; a++)
			assert(a + 1 < r->cs.start[i + 1]);
		cur[i] = (int64_t)a;
	}
	if (assign_warm_units(&warm, cur, MATCHER_UNIT) == -1)
		goto out;
	memcpy(ban, r->cs.score, r->cs.n * sizeof(*ban));
	g.score = ban;
	for (round = 0; round < MATCHER_REPAIR_ROUNDS; round++) {
		if (round > 0) {
			/* Cold, as before bound.c: never worse than that. */
			if (assign_optimal(&g, cur) == -1)
				goto out;
			matcher_account(r, cur);
		}
		over = matcher_repair(r, cur, ban);
		if (over == -1 || matcher_greedy_fill(r, cur) == -1)
			goto out;
		tot = matcher_total(r, cur);
		if (tot > best) {
			best = tot;
			memcpy(match, cur, in->nneeds * sizeof(*match));
		}
		if (!over)
			break;
	}
	/* The bound, and better matchings found on the way to it. */
	if (bound_lagrange(r, &warm, match, uncapped, bound) == -1)
		goto out;
	*exact = *bound == matcher_total(r, match);
	rc = 0;
 out:
	assign_warm_free(&warm);
	free(ban);
	free(cur);
	return rc;
}

/*
 * Build *out from the fixed pairs and match (arc per need); bound is the
 * bound on the run's pairs (optimal) or -1.  Returns 0 or -1 when out of
 * memory.
 */
static int
matcher_result(struct matcher_run *r, const int64_t *match, int exact,
    int64_t bound, struct matcher_result *out)
{
	const struct matcher_input *in = r->in;
	int32_t *fixed_offer = NULL;
	size_t i, k = 0;

	fixed_offer = malloc((in->nneeds + 1) * sizeof(*fixed_offer));
	if (fixed_offer == NULL)
		return -1;
	for (i = 0; i < in->nneeds; i++)
		fixed_offer[i] = -1;
	for (i = 0; i < in->nfixed; i++)
		fixed_offer[in->fixed[i].need] = in->fixed[i].offer;
	for (i = 0; i < in->nneeds; i++)
		if (fixed_offer[i] >= 0 || match[i] >= 0)
			k++;
	out->matches = calloc(k + 1, sizeof(*out->matches));
	out->capped = calloc(in->ncommunities + 1, sizeof(*out->capped));
	if (out->matches == NULL || out->capped == NULL) {
		free(fixed_offer);
		matcher_result_free(out);
		return -1;
	}
	for (i = 0; i < in->nneeds; i++) {
		struct matcher_match *m;

		if (fixed_offer[i] < 0 && match[i] < 0)
			continue;
		m = &out->matches[out->nmatches++];
		m->need = (int)i;
		m->fixed = fixed_offer[i] >= 0;
		m->offer = m->fixed ? fixed_offer[i] : r->cs.offer[match[i]];
		m->amount_fen = in->offers[m->offer].price_fen;
		cand_score(in, m->need, m->offer, &m->score);
		assert(m->fixed || m->score.total == r->cs.score[match[i]]);
		out->total_score += m->score.total;
		out->total_fen += m->amount_fen;
	}
	for (i = 0; i < in->ncommunities; i++)
		if (r->capped[i])
			out->capped[out->ncapped++] = (int)i;
	out->exact = exact;
	if (bound >= 0) {
		/* The fixed pairs count on both sides of the gap. */
		out->bound = bound + out->total_score - matcher_total(r, match);
		assert(out->bound >= out->total_score);
		if (out->bound > 0)
			out->gap = (double)(out->bound - out->total_score) /
			    (double)out->bound;
	}
	free(fixed_offer);
	return 0;
}

/*
 * Fill the run's arrays: capacity and cap left after the fixed pairs, and
 * the candidates (preference-sorted unless for optimal).  Returns 0 or -1.
 */
static int
matcher_prepare(const struct matcher_input *in, struct matcher_run *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->in = in;
	r->cap_left = calloc(in->noffers + 1, sizeof(*r->cap_left));
	r->used = calloc(in->noffers + 1, sizeof(*r->used));
	r->comm_left = calloc(in->ncommunities + 1, sizeof(*r->comm_left));
	r->left = calloc(in->ncommunities + 1, sizeof(*r->left));
	r->capped = calloc(in->ncommunities + 1, 1);
	r->need_fixed = calloc(in->nneeds + 1, 1);
	if (r->cap_left == NULL || r->used == NULL || r->comm_left == NULL ||
	    r->left == NULL || r->capped == NULL || r->need_fixed == NULL)
		return -1;
	for (i = 0; i < in->noffers; i++)
		r->cap_left[i] = in->offers[i].capacity;
	for (i = 0; i < in->ncommunities; i++)
		r->left[i] = in->communities[i].cap_fen -
		    in->communities[i].used_fen;
	for (i = 0; i < in->nfixed; i++) {
		const struct matcher_pair *p = &in->fixed[i];

		r->need_fixed[p->need] = 1;
		if (r->cap_left[p->offer] > 0)
			r->cap_left[p->offer]--;
		matcher_charge(r, p->need, in->offers[p->offer].price_fen, 1);
	}
	memcpy(r->comm_left, r->left, in->ncommunities * sizeof(*r->left));
	return 0;
}

static void
matcher_run_free(struct matcher_run *r)
{
	cand_set_free(&r->cs);
	free(r->cap_left);
	free(r->comm_left);
	free(r->need_fixed);
	free(r->capped);
	free(r->used);
	free(r->left);
}

int
matcher_candidates(const struct matcher_input *in, struct matcher_cands *out)
{
	struct matcher_run r;
	size_t i, a;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (matcher_input_check(in) == -1)
		return -1;
	if (matcher_prepare(in, &r) == -1 ||
	    cand_build(in, r.cap_left, r.comm_left, r.need_fixed, 1, r.capped,
	    &r.cs) == -1)
		goto out;
	out->c = calloc(r.cs.n + 1, sizeof(*out->c));
	out->start = calloc(in->nneeds + 1, sizeof(*out->start));
	if (out->c == NULL || out->start == NULL) {
		matcher_cands_free(out);
		goto out;
	}
	/* Ownership of the counts moves to out; the arcs are copied. */
	out->n = r.cs.n;
	out->nneeds = in->nneeds;
	memcpy(out->start, r.cs.start, (in->nneeds + 1) * sizeof(*out->start));
	for (i = 0; i < in->nneeds; i++)
		for (a = r.cs.start[i]; a < r.cs.start[i + 1]; a++) {
			out->c[a].need = (int)i;
			out->c[a].offer = r.cs.offer[a];
			cand_score(in, (int)i, r.cs.offer[a], &out->c[a].score);
		}
	rc = 0;
 out:
	matcher_run_free(&r);
	return rc;
}

void
matcher_cands_free(struct matcher_cands *c)
{
	if (c == NULL)
		return;
	free(c->c);
	free(c->start);
	memset(c, 0, sizeof(*c));
}

int
matcher_run(const struct matcher_input *in, enum matcher_method m,
    struct matcher_result *out)
{
	struct matcher_run r;
	int64_t *match = NULL;
	size_t i;
	int64_t bound = -1;
	int rc = -1, exact = 0;

	memset(out, 0, sizeof(*out));
	if (matcher_input_check(in) == -1)
		return -1;
	if (matcher_prepare(in, &r) == -1 ||
	    cand_build(in, r.cap_left, r.comm_left, r.need_fixed,
	    m != MATCHER_OPTIMAL, r.capped, &r.cs) == -1)
		goto out;
	match = malloc((in->nneeds + 1) * sizeof(*match));
	if (match == NULL)
		goto out;
	for (i = 0; i < in->nneeds; i++)
		match[i] = -1;
	switch (m) {
	case MATCHER_OPTIMAL:
		if (matcher_optimal(&r, match, &exact, &bound) == -1)
			goto out;
		break;
	case MATCHER_GREEDY:
		if (matcher_greedy_fill(&r, match) == -1)
			goto out;
		break;
	case MATCHER_STABLE:
		if (matcher_stable(&r, match) == -1)
			goto out;
		break;
	default:
		goto out;
	}
	rc = matcher_result(&r, match, exact, bound, out);
 out:
	free(match);
	matcher_run_free(&r);
	return rc;
}

void
matcher_result_free(struct matcher_result *r)
{
	if (r == NULL)
		return;
	free(r->matches);
	free(r->capped);
	memset(r, 0, sizeof(*r));
}
