/*
 * greedy.c: the greedy and stable methods, and the greedy fill that the
 * optimal method's cap repair uses to take up what a repair freed.
 */
#include <stdlib.h>

#include "matcher/run.h"

static int	 matcher_heap_less(const struct matcher_run *, const size_t *,
		    int32_t, int32_t);
static void	 matcher_heap_down(const struct matcher_run *, const size_t *,
		    int32_t *, size_t, size_t);

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
 * of the needs' lists by a heap is the same as a sort of all arcs, and a
 * need passes all its arcs that do not fit at once.
 * Returns 0 or -1 when out of memory.
 */
int
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
		} else {
			/*
			 * Pass the arcs that do not fit now at once: they
			 * never will.
			 */
			while (++ptr[n] < r->cs.start[n + 1] &&
			    r->cs.score[ptr[n]] > 0) {
				o = r->cs.offer[ptr[n]];
				if (r->used[o] < r->cap_left[o] &&
				    matcher_fits(r, n, in->offers[o].price_fen))
					break;
			}
			if (ptr[n] >= r->cs.start[n + 1] ||
			    r->cs.score[ptr[n]] <= 0)
				heap[0] = heap[--nh];
		}
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
int
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
