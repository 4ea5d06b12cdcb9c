/*
 * match_interests.c: a fair's interests (fair.interest) resolved into the
 * matcher's one level a pair (docs/protocol.md, "fair.interest").
 *
 * A row is pair-level (a community about (need, offer), an org about
 * (need, offer)) or party-level (a community about an offer for all its
 * enrolled needs, an org about a need for all its offers).  Each side's
 * level of a pair is its pair-level row, else its party-level one; the
 * pair's bits are both sides' together, and `no` from either stands alone.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/match_input.h"

/* What a row says, keyed for lookup: kind, then two indexes. */
enum { K_CPAIR, K_CPARTY, K_OPAIR, K_OPARTY };

struct mi_key {
	int	kind, a, b, level;
};

struct mi_resolve {
	struct match_input	*mi;
	struct mi_key		*keys;
	size_t			 nkeys, capkeys;
	struct matcher_pair	*pairs;
	size_t			 npairs, cappairs;
};

static int
mi_key_cmp(const void *x, const void *y)
{
	const struct mi_key *p = x, *q = y;

	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

static int
mi_pair_cmp(const void *x, const void *y)
{
	const struct matcher_pair *p = x, *q = y;

	if (p->need != q->need)
		return p->need < q->need ? -1 : 1;
	return p->offer < q->offer ? -1 : p->offer > q->offer;
}

static int
mi_pair_cmp_interest(const void *x, const void *y)
{
	const struct matcher_interest *p = x, *q = y;

	if (p->need != q->need)
		return p->need < q->need ? -1 : 1;
	return p->offer < q->offer ? -1 : p->offer > q->offer;
}

static int
mi_level_bits(const char *level)
{
	if (strcmp(level, "must") == 0)
		return MATCHER_MUST;
	if (strcmp(level, "want") == 0)
		return MATCHER_WANT;
	return MATCHER_NO;
}

static int
mi_push_pair(struct mi_resolve *r, int need, int offer)
{
	struct matcher_pair	*p;
	size_t			 c;

	if (r->npairs == r->cappairs) {
		c = r->cappairs ? r->cappairs * 2 : 64;
		if ((p = realloc(r->pairs, c * sizeof(*p))) == NULL)
			return -1;
		r->pairs = p;
		r->cappairs = c;
	}
	r->pairs[r->npairs++] = (struct matcher_pair){ need, offer };
	return 0;
}

/* Keep one row as a key, and the pairs it may decide as pairs. */
static int
mi_interest_row(void *arg, const struct store_interest *in,
    struct error *err)
{
	struct mi_resolve	*r = arg;
	struct match_input	*mi = r->mi;
	struct mi_key		 k;
	struct mi_key		*nk;
	size_t			 i, c;
	int			 n = -1, o = -1, rc = 0;

	if (in->need > 0 && (n = match_input_need(mi, in->need)) < 0)
		return 0;
	if (in->offer > 0 && (o = match_input_offer(mi, in->offer)) < 0)
		return 0;
	k.level = mi_level_bits(in->level);
	if (n >= 0 && o >= 0) {
		k.kind = strcmp(in->side, "community") == 0 ? K_CPAIR : K_OPAIR;
		k.a = n;
		k.b = o;
		rc = mi_push_pair(r, n, o);
	} else if (o >= 0) {
		/* A community about an offer: each of its enrolled needs. */
		k.kind = K_CPARTY;
		if ((k.a = intern_find(mi->communities, in->party)) < 0)
			return 0;
		k.b = o;
		for (i = 0; rc == 0 && i < mi->nneeds; i++)
			if (mi->party[i] == k.a)
				rc = mi_push_pair(r, (int)i, o);
	} else if (n >= 0) {
		/* An org about a need: each of its enrolled offers. */
		k.kind = K_OPARTY;
		k.a = n;
		if ((k.b = intern_find(mi->orgs, in->party)) < 0)
			return 0;
		for (i = 0; rc == 0 && i < mi->noffers; i++)
			if (mi->offers[i].org == k.b)
				rc = mi_push_pair(r, n, (int)i);
	} else
		return 0;
	if (rc == 0 && r->nkeys == r->capkeys) {
		c = r->capkeys ? r->capkeys * 2 : 64;
		if ((nk = realloc(r->keys, c * sizeof(*nk))) == NULL)
			rc = -1;
		else {
			r->keys = nk;
			r->capkeys = c;
		}
	}
	if (rc == -1)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	/* Rows come in id order: a later row of one subject replaces. */
	r->keys[r->nkeys++] = k;
	return 0;
}

/* The level of key (kind, a, b): 0 when no row says it. */
static int
mi_find(const struct mi_resolve *r, int kind, int a, int b)
{
	struct mi_key	 k = { kind, a, b, 0 };
	struct mi_key	*f;

	f = bsearch(&k, r->keys, r->nkeys, sizeof(k), mi_key_cmp);
	return f != NULL ? f->level : 0;
}

int
match_input_interests(struct match_input *mi, struct store *s, int64_t fair,
    struct error *err)
{
	struct mi_resolve	 r;
	size_t			 i;
	int			 n, o, c, g, bits, rc = -1;

	memset(&r, 0, sizeof(r));
	r.mi = mi;
	if (store_interests_each(s, fair, mi_interest_row, &r, err) == -1)
		goto out;
	/* The store keeps one row a subject, so keys are distinct. */
	if (r.nkeys > 1)
		qsort(r.keys, r.nkeys, sizeof(*r.keys), mi_key_cmp);
	if (r.npairs > 1)
		qsort(r.pairs, r.npairs, sizeof(*r.pairs), mi_pair_cmp);
	free(mi->interests);
	mi->ninterests = 0;
	if ((mi->interests = calloc(r.npairs + 1,
	    sizeof(*mi->interests))) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < r.npairs; i++) {
		n = r.pairs[i].need;
		o = r.pairs[i].offer;
		if (i > 0 && n == r.pairs[i - 1].need &&
		    o == r.pairs[i - 1].offer)
			continue;
		if ((c = mi_find(&r, K_CPAIR, n, o)) == 0)
			c = mi_find(&r, K_CPARTY, mi->party[n], o);
		if ((g = mi_find(&r, K_OPAIR, n, o)) == 0)
			g = mi_find(&r, K_OPARTY, n, mi->offers[o].org);
		if ((bits = c | g) & MATCHER_NO)
			bits = MATCHER_NO;
		if (bits != 0)
			mi->interests[mi->ninterests++] =
			    (struct matcher_interest){ n, o, bits };
	}
	mi->in.interests = mi->interests;
	mi->in.ninterests = mi->ninterests;
	rc = 0;
out:
	free(r.keys);
	free(r.pairs);
	return rc;
}

int
match_input_level(const struct match_input *mi, int need, int offer)
{
	struct matcher_interest	 k = { need, offer, 0 };
	struct matcher_interest	*f;

	f = bsearch(&k, mi->interests, mi->ninterests, sizeof(k),
	    mi_pair_cmp_interest);
	return f != NULL ? f->level : 0;
}
