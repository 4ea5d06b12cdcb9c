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
 * for MATCHER_REPAIR_ROUNDS rounds; the best feasible result is kept.
 * Every community that was over its cap in some round, or that could not
 * take some pair at all, is named in `capped`.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/assign.h"
#include "matcher/cand.h"
#include "matcher/matcher.h"

#define MATCHER_REPAIR_ROUNDS	3

/* Everything a run works on; owned by matcher_run. */
struct matcher_run {
	const struct matcher_input *in;
	struct cand_set	 cs;
	int		*cap_left;	/* per offer, after fixed pairs */
	int64_t		*comm_left;	/* per community, after fixed pairs */
	unsigned char	*need_fixed;	/* per need */
	unsigned char	*capped;	/* per community */
	int		*used;		/* per offer, this run's pairs */
	int64_t		*left;		/* per community, during a method */
};

static int	 matcher_id_cmp(const void *, const void *);
static int	 matcher_ids_distinct(const int64_t *, size_t);
static int	 matcher_fits(struct matcher_run *, int, int64_t);
static void	 matcher_charge(struct matcher_run *, int, int64_t, int);
static int	 matcher_heap_less(const struct matcher_run *, const size_t *,
		    int32_t, int32_t);
static void	 matcher_heap_down(const struct matcher_run *, const size_t *,
		    int32_t *, size_t, size_t);
static int	 matcher_greedy_fill(struct matcher_run *, int64_t *);
static int	 matcher_stable(struct matcher_run *, int64_t *);
static int	 matcher_drop_cmp(const void *, const void *);
static int	 matcher_repair(struct matcher_run *, int64_t *, int32_t *);
static int	 matcher_optimal(struct matcher_run *, int64_t *, int *);
static int	 matcher_result(struct matcher_run *, const int64_t *, int,
		    struct matcher_result *);
static int	 matcher_prepare(const struct matcher_input *,
		    struct matcher_run *);
static void	 matcher_run_free(struct matcher_run *);

static int
matcher_id_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return (a > b) - (a < b);
}

/* Whether ids[0..n) are pairwise distinct.  -1 when out of memory. */
static int
matcher_ids_distinct(const int64_t *ids, size_t n)
{
	int64_t *c;
	size_t i;
	int ok = 1;

	if (n < 2)
		return 1;
	c = malloc(n * sizeof(*c));
	if (c == NULL)
		return -1;
	memcpy(c, ids, n * sizeof(*c));
	qsort(c, n, sizeof(*c), matcher_id_cmp);
	for (i = 1; i < n; i++)
		if (c[i] == c[i - 1])
			ok = 0;
	free(c);
	return ok;
}

int
matcher_input_check(const struct matcher_input *in)
{
	int64_t *ids;
	unsigned char *seen;
	size_t i;
	int j, ok;

	if (in == NULL || score_weights_check(&in->weights) == -1 ||
	    in->min_score < 0)
		return -1;
	if (in->nneeds >= INT32_MAX || in->noffers >= INT32_MAX ||
	    in->ncommunities >= INT32_MAX)
		return -1;
	if ((in->nneeds && in->needs == NULL) ||
	    (in->noffers && in->offers == NULL) ||
	    (in->ncommunities && in->communities == NULL) ||
	    (in->nforbidden && in->forbidden == NULL) ||
	    (in->nfixed && in->fixed == NULL))
		return -1;
	for (i = 0; i < in->nneeds; i++) {
		const struct matcher_need *n = &in->needs[i];

		if (n->community < 0 || (size_t)n->community >=
		    in->ncommunities || n->street < 0 || n->budget_fen < 0 ||
		    n->npartners < 0 || (n->npartners && n->partners == NULL))
			return -1;
		for (j = 0; j < n->npartners; j++)
			if (n->partners[j] < 0 || (size_t)n->partners[j] >=
			    in->ncommunities)
				return -1;
	}
	for (i = 0; i < in->noffers; i++) {
		const struct matcher_offer *o = &in->offers[i];

		if (o->price_fen < 0 || o->capacity < 0 || o->nstreets < 0 ||
		    (o->nstreets && o->streets == NULL))
			return -1;
		for (j = 0; j < o->nstreets; j++)
			if (o->streets[j] < 0)
				return -1;
	}
	for (i = 0; i < in->nforbidden; i++)
		if (in->forbidden[i].need < 0 || in->forbidden[i].offer < 0 ||
		    (size_t)in->forbidden[i].need >= in->nneeds ||
		    (size_t)in->forbidden[i].offer >= in->noffers)
			return -1;
	seen = calloc(in->nneeds + 1, 1);
	if (seen == NULL)
		return -1;
	for (i = 0, ok = 1; i < in->nfixed && ok; i++) {
		const struct matcher_pair *p = &in->fixed[i];

		if (p->need < 0 || p->offer < 0 || (size_t)p->need >=
		    in->nneeds || (size_t)p->offer >= in->noffers ||
		    seen[p->need])
			ok = 0;
		else
			seen[p->need] = 1;
	}
	free(seen);
	if (!ok)
		return -1;
	ids = malloc((in->nneeds > in->noffers ? in->nneeds : in->noffers) *
	    sizeof(*ids) + 1);
	if (ids == NULL)
		return -1;
	for (i = 0; i < in->nneeds; i++)
		ids[i] = in->needs[i].id;
	ok = matcher_ids_distinct(ids, in->nneeds);
	if (ok == 1) {
		for (i = 0; i < in->noffers; i++)
			ids[i] = in->offers[i].id;
		ok = matcher_ids_distinct(ids, in->noffers);
	}
	free(ids);
	return ok == 1 ? 0 : -1;
}

void
matcher_shares(const struct matcher_need *n, int64_t amount, int64_t *shares)
{
	int64_t k = 1 + (n->npartners > 0 ? n->npartners : 0);
	int64_t j;

	for (j = 0; j < k; j++)
		shares[j] = amount / k + (j < amount % k ? 1 : 0);
}

/* Whether need n's shares of amount fit its communities' cap left now. */
static int
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

/* Take (sign 1) or give back (sign -1) need n's shares of amount. */
static void
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

/*
 * Global candidate order between the head arcs of needs a and b: higher
 * score, lower price, lower offer id, lower need id.
 */
static int
matcher_heap_less(const struct matcher_run *r, const size_t *ptr, int32_t a,
    int32_t b)
{
	const struct matcher_offer *oa, *ob;
	size_t x = ptr[a], y = ptr[b];

	if (r->cs.score[x] != r->cs.score[y])
		return r->cs.score[x] > r->cs.score[y];
	oa = &r->in->offers[r->cs.offer[x]];
	ob = &r->in->offers[r->cs.offer[y]];
	if (oa->price_fen != ob->price_fen)
		return oa->price_fen < ob->price_fen;
	if (oa->id != ob->id)
		return oa->id < ob->id;
	return r->in->needs[a].id < r->in->needs[b].id;
}

static void
matcher_heap_down(const struct matcher_run *r, const size_t *ptr,
    int32_t *heap, size_t n, size_t at)
{
	int32_t v = heap[at];
	size_t c;

	for (;;) {
		c = 2 * at + 1;
		if (c >= n)
			break;
		if (c + 1 < n && matcher_heap_less(r, ptr, heap[c + 1],
		    heap[c]))
			c++;
		if (!matcher_heap_less(r, ptr, heap[c], v))
			break;
		heap[at] = heap[c];
		at = c;
	}
	heap[at] = v;
}

/*
 * Greedy over the candidates (each need's arcs in preference order) for
 * the needs not matched yet in match: the best remaining arc over all
 * needs is taken when its offer has capacity and its shares fit the caps.
 * Arcs of score <= 0 are never taken.  r->used and r->left must describe
 * match on entry and describe the result on return.  A rejected arc can
 * never become feasible later (capacity and caps only fill up), so a merge
 * of the needs' lists by a heap is the same as a sort of all arcs.
 * Returns 0 or -1 when out of memory.
 */
static int
matcher_greedy_fill(struct matcher_run *r, int64_t *match)
{
	const struct matcher_input *in = r->in;
	size_t *ptr, nh = 0, i;
	int32_t *heap, n;

	ptr = calloc(in->nneeds + 1, sizeof(*ptr));
	heap = calloc(in->nneeds + 1, sizeof(*heap));
	if (ptr == NULL || heap == NULL) {
		free(ptr);
		free(heap);
		return -1;
	}
	for (i = 0; i < in->nneeds; i++) {
		ptr[i] = r->cs.start[i];
		if (match[i] < 0 && ptr[i] < r->cs.start[i + 1] &&
		    r->cs.score[ptr[i]] > 0)
			heap[nh++] = (int32_t)i;
	}
	for (i = nh / 2; i-- > 0; )
		matcher_heap_down(r, ptr, heap, nh, i);
	while (nh > 0) {
		size_t a;
		int32_t o;

		n = heap[0];
		a = ptr[n];
		o = r->cs.offer[a];
		if (r->used[o] < r->cap_left[o] &&
		    matcher_fits(r, n, in->offers[o].price_fen)) {
			match[n] = (int64_t)a;
			r->used[o]++;
			matcher_charge(r, n, in->offers[o].price_fen, 1);
			heap[0] = heap[--nh];
		} else if (++ptr[n] >= r->cs.start[n + 1] ||
		    r->cs.score[ptr[n]] <= 0)
			heap[0] = heap[--nh];
		if (nh > 0)
			matcher_heap_down(r, ptr, heap, nh, 0);
	}
	free(ptr);
	free(heap);
	return 0;
}

/*
 * Deferred acceptance: free needs propose down their preference lists in
 * need order; an offer holds its best cap_left proposals (higher score,
 * then lower need id).  A proposal whose shares do not fit the caps, with
 * what is held now, is skipped.  Without binding caps the result is the
 * need-optimal stable matching.  Returns 0 or -1 when out of memory.
 */
static int
matcher_stable(struct matcher_run *r, int64_t *match)
{
	const struct matcher_input *in = r->in;
	size_t *next, *base, qh = 0, qn = 0, nq = in->nneeds, i, s, worst;
	int32_t *queue, *hold;
	int rc = -1;

	next = calloc(in->nneeds + 1, sizeof(*next));
	queue = calloc(in->nneeds + 1, sizeof(*queue));
	base = calloc(in->noffers + 1, sizeof(*base));
	if (next == NULL || queue == NULL || base == NULL)
		goto out;
	for (i = 0; i < in->noffers; i++)
		base[i + 1] = base[i] + (size_t)r->cap_left[i];
	hold = malloc((base[in->noffers] + 1) * sizeof(*hold));
	if (hold == NULL)
		goto out;
	for (i = 0; i < in->nneeds; i++) {
		next[i] = r->cs.start[i];
		if (next[i] < r->cs.start[i + 1])
			queue[(qh + qn++) % nq] = (int32_t)i;
	}
	while (qn > 0) {
		int32_t n = queue[qh], o, w;
		size_t a;
		int64_t price;

		qh = (qh + 1) % nq;
		qn--;
		while (next[n] < r->cs.start[n + 1]) {
			a = next[n]++;
			if (r->cs.score[a] <= 0)
				break;
			o = r->cs.offer[a];
			price = in->offers[o].price_fen;
			if (!matcher_fits(r, n, price))
				continue;
			if (r->used[o] < r->cap_left[o]) {
				hold[base[o] + (size_t)r->used[o]++] = n;
				match[n] = (int64_t)a;
				matcher_charge(r, n, price, 1);
				break;
			}
			/* Full: find the held need the offer likes least. */
			worst = base[o];
			for (s = base[o] + 1; s < base[o + 1]; s++) {
				int32_t x = hold[s], y = hold[worst];
				int32_t sx = r->cs.score[match[x]];
				int32_t sy = r->cs.score[match[y]];

				if (sx < sy || (sx == sy &&
				    in->needs[x].id > in->needs[y].id))
					worst = s;
			}
			w = hold[worst];
			if (r->cs.score[match[w]] > r->cs.score[a] ||
			    (r->cs.score[match[w]] == r->cs.score[a] &&
			    in->needs[w].id < in->needs[n].id))
				continue;
			matcher_charge(r, w, price, -1);
			match[w] = -1;
			queue[(qh + qn++) % nq] = w;
			hold[worst] = n;
			match[n] = (int64_t)a;
			matcher_charge(r, n, price, 1);
			break;
		}
	}
	free(hold);
	rc = 0;
 out:
	free(next);
	free(queue);
	free(base);
	return rc;
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
static int
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

/*
 * optimal: exact b-matching, then the cap repair when a cap is passed.
 * *exact is set when the result is proven optimal.  Returns 0 or -1.
 */
static int
matcher_optimal(struct matcher_run *r, int64_t *match, int *exact)
{
	const struct matcher_input *in = r->in;
	struct assign_graph g;
	int32_t *ban = NULL;
	int64_t *cur = NULL, best = -1, tot;
	size_t i, round;
	int rc = -1, over;

	g.nneeds = (int)in->nneeds;
	g.noffers = (int)in->noffers;
	g.start = r->cs.start;
	g.offer = r->cs.offer;
	g.score = r->cs.score;
	g.cap = r->cap_left;
	if (assign_optimal(&g, match) == -1)
		return -1;
	for (i = 0; i < in->nneeds; i++)
		if (match[i] >= 0) {
			r->used[r->cs.offer[match[i]]]++;
			matcher_charge(r, (int)i,
			    in->offers[r->cs.offer[match[i]]].price_fen, 1);
		}
	for (i = 0, over = 0; i < in->ncommunities; i++)
		if (r->left[i] < 0 && r->left[i] < r->comm_left[i])
			over = 1;
	if (!over) {
		*exact = 1;
		return 0;
	}
	*exact = 0;

	/*
	 * A cap bound: repair rounds over preference-sorted arcs.  Round 0
	 * repairs the matching just found (its arcs renumbered by the sort),
	 * later rounds solve again without the banned arcs.
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
	memcpy(ban, r->cs.score, r->cs.n * sizeof(*ban));
	g.score = ban;
	for (round = 0; round < MATCHER_REPAIR_ROUNDS; round++) {
		if (round > 0) {
			memset(r->used, 0, in->noffers * sizeof(*r->used));
			memcpy(r->left, r->comm_left, in->ncommunities *
			    sizeof(*r->left));
			if (assign_optimal(&g, cur) == -1)
				goto out;
			for (i = 0; i < in->nneeds; i++)
				if (cur[i] >= 0) {
					r->used[r->cs.offer[cur[i]]]++;
					matcher_charge(r, (int)i, in->offers[
					    r->cs.offer[cur[i]]].price_fen, 1);
				}
		}
		over = matcher_repair(r, cur, ban);
		if (over == -1 || matcher_greedy_fill(r, cur) == -1)
			goto out;
		tot = 0;
		for (i = 0; i < in->nneeds; i++)
			if (cur[i] >= 0)
				tot += r->cs.score[cur[i]];
		if (tot > best) {
			best = tot;
			memcpy(match, cur, in->nneeds * sizeof(*match));
		}
		if (!over)
			break;
	}
	rc = 0;
 out:
	free(ban);
	free(cur);
	return rc;
}

/*
 * Build *out from the fixed pairs and match (arc per need).  Returns 0 or
 * -1 when out of memory.
 */
static int
matcher_result(struct matcher_run *r, const int64_t *match, int exact,
    struct matcher_result *out)
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
		if (matcher_optimal(&r, match, &exact) == -1)
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
	rc = matcher_result(&r, match, exact, out);
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
