/*
 * oversight_cache.c: the oversight ops' needs from the cache of needs
 * (domain/need_cache.h) when they run on a reader thread, instead of a
 * million rows read from the store per call.  The needs kept are those
 * the store's read would give (ov_need_wanted), with the same fields:
 * ov_load reads either way, and every answer is the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/need_cache.h"
#include "daemon/ops/oversight.h"

/* The cache's interned codes as ov's indexes (-1: not one of ov's). */
struct ov_xlat {
	int	*comm, *street, *cat;	/* cat: -2 until a need uses it */
};

static void
ov_xlat_free(struct ov_xlat *x)
{
	free(x->comm);
	free(x->street);
	free(x->cat);
}

static int
ov_xlat_init(struct ov_xlat *x, const struct need_cache_view *v,
    const struct ov *ov)
{
	size_t i, nc = intern_count(v->comms), ns = intern_count(v->streets);
	size_t nk = intern_count(v->cats);

	x->comm = calloc(nc + 1, sizeof(*x->comm));
	x->street = calloc(ns + 1, sizeof(*x->street));
	x->cat = calloc(nk + 1, sizeof(*x->cat));
	if (x->comm == NULL || x->street == NULL || x->cat == NULL)
		return -1;
	for (i = 0; i < nc; i++)
		x->comm[i] = intern_find(ov->comms, intern_str(v->comms,
		    (int)i));
	for (i = 0; i < ns; i++)
		x->street[i] = intern_find(ov->streets, intern_str(v->streets,
		    (int)i));
	/* A category joins ov.cats only when a need read has it, as the
	 * store's rows add them (stats.categories lists ov.cats). */
	for (i = 0; i < nk; i++)
		x->cat[i] = -2;
	return 0;
}

/* Need x of the cache as n, its partners into ov.pool.  0 or -1. */
static int
ov_need_from(struct ov *ov, const struct need_cache_view *v,
    struct ov_xlat *t, const struct nc_need *x, int flags, struct ov_need *n)
{
	int	c, j;

	memset(n, 0, sizeof(*n));
	n->id = x->id;
	n->comm = t->comm[x->comm];
	n->street = t->street[x->street];
	if (t->cat[x->cat] == -2 && (t->cat[x->cat] = intern_add(ov->cats,
	    intern_str(v->cats, x->cat))) == -1)
		return -1;
	n->cat = t->cat[x->cat];
	n->status = x->status;
	memcpy(n->created, x->created, sizeof(n->created));
	memcpy(n->wfrom, x->wfrom, sizeof(n->wfrom));
	n->year = x->year;
	n->budget = x->budget;
	/* The cache's title and tokens, valid while ov holds the cache
	 * (cast: ov's titles are owned when read without the cache). */
	n->title = (flags & OV_TITLES) ? (char *)(uintptr_t)(v->tpool +
	    x->toff) : NULL;
	n->tok = v->kpool + x->koff;
	n->ntok = x->nk;
	n->poff = (int)ov->npool;
	/* The partners that are communities, the first OV_MAX_PARTNERS of
	 * them (as the store's row keeps them). */
	for (j = 0; j < x->np && n->np < OV_MAX_PARTNERS; j++) {
		if ((c = t->comm[v->pool[x->poff + j]]) < 0)
			continue;
		if (OV_PUSH(ov, pool, npool, apool) == NULL)
			return -1;
		ov->pool[ov->npool - 1] = c;
		n->np++;
	}
	return 0;
}

/*
 * The needs from the cache's view (a reader thread's job, which holds the
 * cache until ov_free): those ov_need_wanted keeps, in id order, in the
 * cache's scratch (reused call after call: a million needs copied into
 * fresh pages each call would fault them all in again).
 */
int
ov_needs_cached(const struct need_cache_view *v, struct ov *ov, int year,
    int flags, struct error *err)
{
	struct ov_xlat	t;
	size_t		i;

	memset(&t, 0, sizeof(t));
	ov->titles_borrowed = 1;
	if (ov_xlat_init(&t, v, ov) == -1 ||
	    (ov->needs = need_cache_scratch(ov->ncache, (v->n + 1) *
	    sizeof(*ov->needs))) == NULL)
		goto oom;
	ov->needs_borrowed = 1;
	ov->aneeds = v->n + 1;
	for (i = 0; i < v->n; i++) {
		const struct nc_need *x = &v->needs[i];

		if (!ov_need_wanted(ov, year, flags, x->year, x->id))
			continue;
		if (ov_need_from(ov, v, &t, x, flags,
		    &ov->needs[ov->nneeds++]) == -1)
			goto oom;
	}
	ov_xlat_free(&t);
	return 0;
oom:
	ov_xlat_free(&t);
	return ops_oom(err);
}
