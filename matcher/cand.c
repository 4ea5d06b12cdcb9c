/*
 * cand.c: candidate pairs under the hard filters of docs/design.md
 * ("Matching").
 *
 * Offers are indexed by (family, street, price): one entry per served
 * street, or one entry under CAND_ALL for offers serving every street.  A
 * need looks up its (family, street) and (family, CAND_ALL) groups and
 * walks only the prefix priced within its budget, so the work is the
 * number of affordable offers, never all needs x offers.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/cand.h"

#define CAND_ALL	INT_MIN		/* the street key of `*` offers */

struct cand_entry {
	int		family;
	int		street;
	int64_t		price;
	int32_t		offer;
};

/* A candidate of one need while it is being sorted. */
struct cand_tmp {
	int32_t		offer;
	int32_t		score;
	int64_t		price;
	int64_t		id;
};

static int	 cand_entry_cmp(const void *, const void *);
static int	 cand_ord_cmp(const void *, const void *);
static int	 cand_tmp_cmp(const void *, const void *);
static int	 cand_int_cmp(const void *, const void *);
static int	 cand_u64_cmp(const void *, const void *);
static size_t	 cand_lower(const struct cand_entry *, size_t, int, int,
		    int64_t);
static int	 cand_fits(const struct matcher_input *, int, int64_t,
		    const int64_t *, unsigned char *);
static int	 cand_index(const struct matcher_input *, const int *,
		    struct cand_entry **, size_t *);
static int	 cand_interest_cmp(const void *, const void *);
static void	 cand_score_level(const struct matcher_input *, int, int, int,
		    struct score_parts *);

static int
cand_entry_cmp(const void *pa, const void *pb)
{
	const struct cand_entry *a = pa, *b = pb;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->street != b->street)
		return a->street < b->street ? -1 : 1;
	if (a->price != b->price)
		return a->price < b->price ? -1 : 1;
	return (a->offer > b->offer) - (a->offer < b->offer);
}

/* Preference order: higher score, lower price, lower offer id. */
static int
cand_tmp_cmp(const void *pa, const void *pb)
{
	const struct cand_tmp *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->price != b->price)
		return a->price < b->price ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static int
cand_int_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;

	return (a > b) - (a < b);
}

static int
cand_u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

/* First entry not below (family, street, price) in the sorted index. */
static size_t
cand_lower(const struct cand_entry *e, size_t n, int family, int street,
    int64_t price)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e[mid].family < family || (e[mid].family == family &&
		    (e[mid].street < street || (e[mid].street == street &&
		    e[mid].price < price))))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Whether need n's shares of amount fit every one of its communities' cap
 * left; a community that does not fit is marked in cap_hit.
 */
static int
cand_fits(const struct matcher_input *in, int n, int64_t amount,
    const int64_t *comm_left, unsigned char *cap_hit)
{
	const struct matcher_need *nd = &in->needs[n];
	int64_t k = 1 + (nd->npartners > 0 ? nd->npartners : 0);
	int64_t base = amount / k, rem = amount % k, share;
	int j, c, ok = 1;

	for (j = 0; j < k; j++) {
		c = j == 0 ? nd->community : nd->partners[j - 1];
		share = base + (j < rem ? 1 : 0);
		if (share > comm_left[c]) {
			cap_hit[c] = 1;
			ok = 0;
		}
	}
	return ok;
}

/*
 * Build the sorted (family, street, price) index of offers that can take
 * a need.  On success *out is owned by the caller.  Returns 0 or -1.
 */
static int
cand_index(const struct matcher_input *in, const int *cap_left,
    struct cand_entry **out, size_t *nout)
{
	struct cand_entry *e;
	size_t n = 0, o;
	int *tmp = NULL, j, k, ntmp;

	*out = NULL;
	*nout = 0;
	for (o = 0; o < in->noffers; o++) {
		const struct matcher_offer *of = &in->offers[o];

		if (!of->eligible || cap_left[o] <= 0)
			continue;
		n += of->all_streets ? 1 : (size_t)of->nstreets;
	}
	e = calloc(n + 1, sizeof(*e));
	if (e == NULL)
		return -1;
	n = 0;
	for (o = 0; o < in->noffers; o++) {
		const struct matcher_offer *of = &in->offers[o];

		if (!of->eligible || cap_left[o] <= 0)
			continue;
		if (of->all_streets) {
			e[n].family = of->family;
			e[n].street = CAND_ALL;
			e[n].price = of->price_fen;
			e[n++].offer = (int32_t)o;
			continue;
		}
		/* Serve each street once even if listed twice. */
		free(tmp);
		tmp = malloc(((size_t)of->nstreets + 1) * sizeof(*tmp));
		if (tmp == NULL) {
			free(e);
			return -1;
		}
		if (of->nstreets > 0)
			memcpy(tmp, of->streets, (size_t)of->nstreets *
			    sizeof(*tmp));
		qsort(tmp, (size_t)of->nstreets, sizeof(*tmp), cand_int_cmp);
		for (j = 0, ntmp = 0; j < of->nstreets; j++)
			if (j == 0 || tmp[j] != tmp[j - 1])
				tmp[ntmp++] = tmp[j];
		for (k = 0; k < ntmp; k++) {
			if (tmp[k] == CAND_ALL)
				continue;
			e[n].family = of->family;
			e[n].street = tmp[k];
			e[n].price = of->price_fen;
			e[n++].offer = (int32_t)o;
		}
	}
	free(tmp);
	qsort(e, n, sizeof(*e), cand_entry_cmp);
	*out = e;
	*nout = n;
	return 0;
}

static int
cand_interest_cmp(const void *pk, const void *pe)
{
	const struct matcher_interest *k = pk, *e = pe;

	if (k->need != e->need)
		return k->need < e->need ? -1 : 1;
	return (k->offer > e->offer) - (k->offer < e->offer);
}

int
cand_interest(const struct matcher_input *in, int n, int o)
{
	struct matcher_interest key;
	const struct matcher_interest *x;

	if (in->ninterests == 0)
		return 0;
	key.need = n;
	key.offer = o;
	x = bsearch(&key, in->interests, in->ninterests, sizeof(*x),
	    cand_interest_cmp);
	return x != NULL ? x->level : 0;
}

void
cand_score(const struct matcher_input *in, int n, int o,
    struct score_parts *out)
{
	cand_score_level(in, n, o, cand_interest(in, n, o), out);
}

/* Score (n, o) whose interest level is known. */
static void
cand_score_level(const struct matcher_input *in, int n, int o, int level,
    struct score_parts *out)
{
	const struct matcher_need *nd = &in->needs[n];
	const struct matcher_offer *of = &in->offers[o];
	struct score_facts f;

	f.same_family = nd->family == of->family;
	f.same_sub = f.same_family && nd->sub == of->sub;
	f.price_fen = of->price_fen;
	f.budget_fen = nd->budget_fen;
	f.need_text = nd->tokens;
	f.offer_text = of->tokens;
	f.in_library = of->in_library;
	f.local = of->org_street == nd->street;
	f.want = (level & MATCHER_WANT) != 0;
	score_compute(&in->weights, &f, out);
}

/* A need in processing order: grouped by (family, street). */
struct cand_ord {
	int	family;
	int	street;
	int32_t	need;
};

static int
cand_ord_cmp(const void *pa, const void *pb)
{
	const struct cand_ord *a = pa, *b = pb;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->street != b->street)
		return a->street < b->street ? -1 : 1;
	return (a->need > b->need) - (a->need < b->need);
}

/*
 * Needs are processed grouped by (family, street), so consecutive needs
 * walk the same offers and those offers' texts stay in cache; the arcs are
 * then moved into need order.
 */
int
cand_build(const struct matcher_input *in, const int *cap_left,
    const int64_t *comm_left, const unsigned char *need_fixed, int sorted,
    unsigned char *cap_hit, struct cand_set *out)
{
	struct cand_entry *e = NULL;
	struct cand_tmp *tmp = NULL, *nt;
	struct cand_ord *ord = NULL;
	uint64_t *forb = NULL;
	size_t ne, i, alloc = 0, talloc = 0, nforb = 0, g, lo, hi, a, k, nn;
	size_t *pos = NULL, nw = 0;
	int32_t *no, *nsc, *woff = NULL, *wsc = NULL;
	int street, level;

	memset(out, 0, sizeof(*out));
	out->nneeds = in->nneeds;
	out->start = calloc(in->nneeds + 1, sizeof(*out->start));
	pos = calloc(in->nneeds + 1, sizeof(*pos));
	ord = calloc(in->nneeds + 1, sizeof(*ord));
	if (out->start == NULL || pos == NULL || ord == NULL ||
	    cand_index(in, cap_left, &e, &ne) == -1)
		goto fail;
	if (in->nforbidden > 0) {
		forb = malloc(in->nforbidden * sizeof(*forb));
		if (forb == NULL)
			goto fail;
		for (i = 0; i < in->nforbidden; i++)
			forb[nforb++] = (uint64_t)(uint32_t)in->forbidden[i].need
			    << 32 | (uint32_t)in->forbidden[i].offer;
		qsort(forb, nforb, sizeof(*forb), cand_u64_cmp);
	}
	for (i = 0, nn = 0; i < in->nneeds; i++) {
		if (!in->needs[i].eligible || need_fixed[i])
			continue;
		ord[nn].family = in->needs[i].family;
		ord[nn].street = in->needs[i].street;
		ord[nn++].need = (int32_t)i;
	}
	qsort(ord, nn, sizeof(*ord), cand_ord_cmp);
	for (k = 0; k < nn; k++) {
		const struct matcher_need *nd;
		size_t nti = 0, q;

		i = (size_t)ord[k].need;
		nd = &in->needs[i];
		for (g = 0; g < 2; g++) {
			street = g == 0 ? CAND_ALL : nd->street;
			lo = cand_lower(e, ne, nd->family, street, INT64_MIN);
			hi = nd->budget_fen == INT64_MAX ? cand_lower(e, ne,
			    nd->family, street, INT64_MAX) : cand_lower(e, ne,
			    nd->family, street, nd->budget_fen + 1);
			for (a = lo; a < hi; a++) {
				int32_t o = e[a].offer;
				struct score_parts sp;

				if (nforb > 0) {
					uint64_t key = (uint64_t)(uint32_t)i <<
					    32 | (uint32_t)o;

					if (bsearch(&key, forb, nforb,
					    sizeof(*forb), cand_u64_cmp) != NULL)
						continue;
				}
				level = cand_interest(in, (int)i, o);
				if (level & MATCHER_NO)
					continue;
				if (in->same_sub &&
				    in->offers[o].sub != nd->sub)
					continue;
				/* min_score applies after the interest part. */
				cand_score_level(in, (int)i, o, level, &sp);
				if (sp.total < in->min_score ||
				    !cand_fits(in, (int)i, e[a].price,
				    comm_left, cap_hit))
					continue;
				if (nti == talloc) {
					talloc = talloc ? talloc * 2 : 64;
					nt = realloc(tmp, talloc * sizeof(*tmp));
					if (nt == NULL)
						goto fail;
					tmp = nt;
				}
				tmp[nti].offer = o;
				tmp[nti].score = sp.total;
				tmp[nti].price = e[a].price;
				tmp[nti++].id = in->offers[o].id;
			}
		}
		if (sorted && nti > 1)
			qsort(tmp, nti, sizeof(*tmp), cand_tmp_cmp);
		if (nw + nti > alloc) {
			size_t na = alloc ? alloc : 1024;

			while (na < nw + nti)
				na *= 2;
			no = realloc(woff, na * sizeof(*no));
			if (no == NULL)
				goto fail;
			woff = no;
			nsc = realloc(wsc, na * sizeof(*nsc));
			if (nsc == NULL)
				goto fail;
			wsc = nsc;
			alloc = na;
		}
		pos[i] = nw;
		out->start[i + 1] = nti;	/* a count until the sums below */
		for (q = 0; q < nti; q++) {
			woff[nw] = tmp[q].offer;
			wsc[nw++] = tmp[q].score;
		}
	}
	/* Counts to offsets, then the arcs into need order. */
	for (i = 0; i < in->nneeds; i++)
		out->start[i + 1] += out->start[i];
	out->n = nw;
	out->offer = malloc((nw + 1) * sizeof(*out->offer));
	out->score = malloc((nw + 1) * sizeof(*out->score));
	if (out->offer == NULL || out->score == NULL)
		goto fail;
	for (i = 0; i < in->nneeds; i++) {
		size_t len = out->start[i + 1] - out->start[i];

		if (len == 0)
			continue;
		memcpy(out->offer + out->start[i], woff + pos[i],
		    len * sizeof(*woff));
		memcpy(out->score + out->start[i], wsc + pos[i],
		    len * sizeof(*wsc));
	}
	free(e);
	free(tmp);
	free(forb);
	free(ord);
	free(pos);
	free(woff);
	free(wsc);
	return 0;
 fail:
	free(e);
	free(tmp);
	free(forb);
	free(ord);
	free(pos);
	free(woff);
	free(wsc);
	cand_set_free(out);
	return -1;
}

int
cand_sort(const struct matcher_input *in, struct cand_set *c)
{
	struct cand_tmp *tmp = NULL, *nt;
	size_t i, a, k, talloc = 0, len;

	for (i = 0; i < c->nneeds; i++) {
		len = c->start[i + 1] - c->start[i];
		if (len < 2)
			continue;
		if (len > talloc) {
			nt = realloc(tmp, len * sizeof(*tmp));
			if (nt == NULL) {
				free(tmp);
				return -1;
			}
			tmp = nt;
			talloc = len;
		}
		for (a = c->start[i], k = 0; k < len; a++, k++) {
			tmp[k].offer = c->offer[a];
			tmp[k].score = c->score[a];
			tmp[k].price = in->offers[c->offer[a]].price_fen;
			tmp[k].id = in->offers[c->offer[a]].id;
		}
		qsort(tmp, len, sizeof(*tmp), cand_tmp_cmp);
		for (a = c->start[i], k = 0; k < len; a++, k++) {
			c->offer[a] = tmp[k].offer;
			c->score[a] = tmp[k].score;
		}
	}
	free(tmp);
	return 0;
}

void
cand_set_free(struct cand_set *c)
{
	if (c == NULL)
		return;
	free(c->start);
	free(c->offer);
	free(c->score);
	memset(c, 0, sizeof(*c));
}
