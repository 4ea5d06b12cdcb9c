/*
 * input.c: checking a matcher's input before a run (matcher.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/matcher.h"

static int	 matcher_id_cmp(const void *, const void *);
static int	 matcher_ids_distinct(const int64_t *, size_t);

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
	    (in->ninterests && in->interests == NULL) ||
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
	for (i = 0; i < in->ninterests; i++) {
		const struct matcher_interest *x = &in->interests[i];

		if (x->need < 0 || x->offer < 0 || (size_t)x->need >=
		    in->nneeds || (size_t)x->offer >= in->noffers ||
		    x->level == 0 || (x->level & ~(MATCHER_WANT |
		    MATCHER_MUST | MATCHER_NO)) != 0)
			return -1;
		/* Strictly ascending: sorted, one entry a pair. */
		if (i > 0 && (x[-1].need > x->need || (x[-1].need == x->need &&
		    x[-1].offer >= x->offer)))
			return -1;
	}
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
