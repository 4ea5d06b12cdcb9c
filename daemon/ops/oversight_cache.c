/*
 * oversight_cache.c: the oversight ops' needs from the cache of needs
 * (domain/need_cache.h) when they run on a reader thread, instead of a
 * million rows read from the store per call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/need_cache.h"
#include "daemon/ops/oversight.h"

static int
ov_cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/*
 * The needs from the cache's view (a reader thread's job, which holds the
 * cache until ov_free): those of year (all with 0, none with OV_NO_NEEDS)
 * and those in a confirmed match, their codes translated to ov's indexes.
 * Titles are the cache's.
 */
int
ov_needs_cached(const struct need_cache_view *vp, struct ov *ov, int year,
    int flags, struct error *err)
{
	const struct need_cache_view v = *vp;
	struct ov_need		*n;
	int64_t			*ids = NULL;
	int			*tc = NULL, *ts = NULL, *tk = NULL, c;
	size_t			 i, j, nc, nst, ncat;

	ov->titles_borrowed = 1;
	nc = intern_count(v.comms);
	nst = intern_count(v.streets);
	ncat = intern_count(v.cats);
	if ((ids = calloc(ov->nmatches + 1, sizeof(*ids))) == NULL ||
	    (tc = calloc(nc + 1, sizeof(*tc))) == NULL ||
	    (ts = calloc(nst + 1, sizeof(*ts))) == NULL ||
	    (tk = calloc(ncat + 1, sizeof(*tk))) == NULL)
		goto oom;
	/* Room for them all in the cache's scratch, reused call after call
	 * (ov_free leaves it). */
	if ((ov->needs = need_cache_scratch(ov->ncache, (v.n + 1) *
	    sizeof(*ov->needs))) == NULL)
		goto oom;
	ov->needs_borrowed = 1;
	ov->aneeds = v.n + 1;
	for (i = 0; i < ov->nmatches; i++)
		ids[i] = ov->matches[i].need_id;
	qsort(ids, ov->nmatches, sizeof(*ids), ov_cmp_id);
	for (i = 0; i < nc; i++)
		tc[i] = intern_find(ov->comms, intern_str(v.comms, (int)i));
	for (i = 0; i < nst; i++)
		ts[i] = intern_find(ov->streets, intern_str(v.streets, (int)i));
	for (i = 0; i < ncat; i++)
		if ((tk[i] = intern_add(ov->cats, intern_str(v.cats,
		    (int)i))) == -1)
			goto oom;
	for (i = 0; i < v.n; i++) {
		const struct nc_need *x = &v.needs[i];

		if (((flags & OV_NO_NEEDS) || (year != 0 && x->year != year)) &&
		    bsearch(&x->id, ids, ov->nmatches, sizeof(*ids),
		    ov_cmp_id) == NULL)
			continue;
		n = &ov->needs[ov->nneeds++];
		memset(n, 0, sizeof(*n));
		n->id = x->id;
		n->comm = tc[x->comm];
		n->street = ts[x->street];
		n->cat = tk[x->cat];
		n->status = x->status;
		memcpy(n->created, x->created, sizeof(n->created));
		memcpy(n->wfrom, x->wfrom, sizeof(n->wfrom));
		n->year = x->year;
		n->budget = x->budget;
		/* The cache's title and tokens (cast: ov's titles are owned
		 * when read without the cache). */
		n->title = (flags & OV_TITLES) ? (char *)(uintptr_t)(v.tpool +
		    x->toff) : NULL;
		n->tok = v.kpool + x->koff;
		n->ntok = x->nk;
		n->poff = (int)ov->npool;
		for (j = 0; j < (size_t)x->np && n->np < OV_MAX_PARTNERS; j++) {
			if ((c = tc[v.pool[x->poff + (int)j]]) < 0)
				continue;
			if (OV_PUSH(ov, pool, npool, apool) == NULL)
				goto oom;
			ov->pool[ov->npool - 1] = c;
			n->np++;
		}
	}
	free(ids);
	free(tc);
	free(ts);
	free(tk);
	return 0;
oom:
	free(ids);
	free(tc);
	free(ts);
	free(tk);
	return ops_oom(err);
}
