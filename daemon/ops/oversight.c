/*
 * oversight.c: loading the district for the oversight ops, once per call,
 * into a struct ov (plain arrays, indexes instead of codes), and the
 * definitions they share.  Amounts stay integer fen until written out;
 * every threshold comparison is made on integers (thresholds read to six
 * decimals, as parts per million), so "exactly at a threshold" is exact.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/ops/oversight.h"
#include "matcher/matcher.h"
#include "matcher/text.h"
#include "daemon/domain/need_cache.h"
#include "daemon/store/store_reader.h"
#include "daemon/store/store_scan.h"
#include "protocol/json_strings.h"

/* ---- loading ----------------------------------------------------------- */

/* Make room for one more element in *arr (n used of *alloc). */
int
ov_grow(void **arr, size_t *alloc, size_t n, size_t size)
{
	void	*p;
	size_t	 na;

	if (n < *alloc)
		return 0;
	na = *alloc ? *alloc * 2 : 64;
	if ((p = realloc(*arr, na * size)) == NULL)
		return -1;
	memset((char *)p + *alloc * size, 0, (na - *alloc) * size);
	*arr = p;
	*alloc = na;
	return 0;
}

static void
ov_copy_date(char dst[11], const char *src)
{
	size_t n = strnlen(src, 10);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int
ov_comm_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	*ov = arg;
	struct ov_comm	*c;
	int		 s;

	if ((c = OV_PUSH(ov, comm, ncomm, acomm)) == NULL ||
	    intern_add(ov->comms, r->text[0]) == -1 ||
	    (s = intern_add(ov->streets, r->text[2])) == -1)
		return ops_oom(err);
	c->street = s;
	c->cap = r->num[3];
	return 0;
}

static int
ov_org_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	 *ov = arg;
	char		**name;

	if ((name = OV_PUSH(ov, org_name, norg, aorg)) == NULL ||
	    intern_add(ov->orgs, r->text[0]) == -1 ||
	    (*name = strdup(r->text[1])) == NULL)
		return ops_oom(err);
	return 0;
}

struct ov_load {
	struct ov	*ov;
	int		 titles;
};

static int
ov_partner(void *arg, const char *code, size_t len)
{
	struct ov	*ov = arg;
	int		*p, k;

	(void)len;
	if ((k = intern_find(ov->comms, code)) < 0)
		return 0;
	if ((p = OV_PUSH(ov, pool, npool, apool)) == NULL)
		return -1;
	*p = k;
	return 0;
}

/*
 * One need, lean: a million of them are read for stats.  The category is
 * interned, the title copied only for risk.flags, the partners parsed
 * only when there are some.
 */
static int
ov_need_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov_load	*ld = arg;
	struct ov	*ov = ld->ov;
	struct ov_need	*n;
	size_t		 start;

	if ((n = OV_PUSH(ov, needs, nneeds, aneeds)) == NULL)
		return ops_oom(err);
	n->ntok = -1;
	n->id = r->num[0];
	n->comm = intern_find(ov->comms, r->text[1]);
	n->street = intern_find(ov->streets, r->text[3]);
	n->status = r->text[6][0];
	ov_copy_date(n->created, r->text[7]);
	ov_copy_date(n->wfrom, r->text[8]);
	n->year = (int)r->num[9];
	n->budget = r->num[10];
	if ((n->cat = intern_add(ov->cats, r->text[4])) == -1 ||
	    (ld->titles && (n->title = strdup(r->text[5])) == NULL))
		return ops_oom(err);
	n->poff = (int)ov->npool;
	if (strcmp(r->text[2], "[]") != 0) {
		start = ov->npool;
		if (json_strings_each(r->text[2], ov_partner, ov) == -1 &&
		    ov->npool == start)
			return 0;	/* not an array: no partners */
		if (ov->npool - start > OV_MAX_PARTNERS)
			ov->npool = start + OV_MAX_PARTNERS;
		n->np = (int)(ov->npool - start);
	}
	return 0;
}

/* One street of the offer being read (the last of ov.offers). */
static int
ov_offer_street(void *arg, const char *name, size_t len)
{
	struct ov	*ov = arg;
	int		 k;

	(void)len;
	if (strcmp(name, "*") == 0) {
		ov->offers[ov->noffers - 1].all = 1;
		return 0;
	}
	if ((k = intern_add(ov->ostreets, name)) == -1 ||
	    OV_PUSH(ov, spool, nspool, aspool) == NULL)
		return -1;
	ov->spool[ov->nspool - 1] = k;
	return 0;
}

static int
ov_offer_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	*ov = arg;
	struct ov_offer	*o;

	if ((o = OV_PUSH(ov, offers, noffers, aoffers)) == NULL)
		return ops_oom(err);
	o->id = r->num[0];
	o->org = intern_find(ov->orgs, r->text[1]);
	o->price = r->num[3];
	o->status = r->text[5][0];
	o->soff = (int)ov->nspool;
	if ((o->category = strdup(r->text[2])) == NULL ||
	    json_strings_each(r->text[4], ov_offer_street, ov) == -1)
		return ops_oom(err);
	o->ns = (int)ov->nspool - o->soff;
	return 0;
}

/* The index of need id (needs are read in id order), or -1. */
static int
ov_need_index(const struct ov *ov, int64_t id)
{
	size_t lo = 0, hi = ov->nneeds, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ov->needs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ov->nneeds && ov->needs[lo].id == id ? (int)lo : -1;
}

/* A confirmed match; its need is found once the needs are read
 * (ov_resolve_matches). */
static int
ov_match_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	*ov = arg;
	struct ov_match	*m;

	if ((m = OV_PUSH(ov, matches, nmatches, amatches)) == NULL)
		return ops_oom(err);
	m->need_id = r->num[1];
	m->need = -1;
	m->org = intern_find(ov->orgs, r->text[2]);
	m->amount = r->num[3];
	ov_copy_date(m->date, r->text[4]);
	return 0;
}

/* Each match's need; a match of a need not read (or of no community we
 * know) is left out, as before. */
static void
ov_resolve_matches(struct ov *ov)
{
	size_t	i, k = 0;
	int	need;

	for (i = 0; i < ov->nmatches; i++) {
		need = ov_need_index(ov, ov->matches[i].need_id);
		if (need < 0 || ov->needs[need].comm < 0)
			continue;
		ov->matches[k] = ov->matches[i];
		ov->matches[k++].need = need;
	}
	ov->nmatches = k;
}

static int
ov_fair_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	*ov = arg;
	struct ov_fair	*f;

	if ((f = OV_PUSH(ov, fairs, nfairs, afairs)) == NULL)
		return ops_oom(err);
	f->street = r->text[1][0] ? intern_find(ov->streets, r->text[1]) : -1;
	ov_copy_date(f->date, r->text[2]);
	f->runs = (int)r->num[3];
	return 0;
}

void
ov_free(struct ov *ov)
{
	size_t i;

	intern_free(ov->comms);
	intern_free(ov->streets);
	intern_free(ov->orgs);
	intern_free(ov->cats);
	for (i = 0; i < ov->norg; i++)
		free(ov->org_name[i]);
	for (i = 0; !ov->titles_borrowed && i < ov->nneeds; i++)
		free(ov->needs[i].title);
	for (i = 0; i < ov->noffers; i++)
		free(ov->offers[i].category);
	intern_free(ov->ostreets);
	free(ov->spool);
	free(ov->pool);
	free(ov->comm);
	free(ov->org_name);
	if (!ov->needs_borrowed)
		free(ov->needs);
	free(ov->offers);
	free(ov->matches);
	free(ov->fairs);
	if (ov->ncache != NULL)
		need_cache_release(ov->ncache);
	memset(ov, 0, sizeof(*ov));
}

static int
ov_need_id_cmp(const void *x, const void *y)
{
	const struct ov_need *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

/* Needs in id order (ov_need_index searches them): store_ov_needs reads
 * the year's, then others in a match. */
static int
ov_sort_needs(struct ov *ov, struct error *err)
{
	size_t i;

	(void)err;
	for (i = 1; i < ov->nneeds; i++)
		if (ov->needs[i - 1].id > ov->needs[i].id) {
			qsort(ov->needs, ov->nneeds, sizeof(*ov->needs),
			    ov_need_id_cmp);
			break;
		}
	return 0;
}

/* Read the district into ov (ov_load's flags in oversight.h).  0, or -1
 * with err set (ov is then freed). */
int
ov_load(struct op_ctx *ctx, struct ov *ov, int year, int flags,
    struct error *err)
{
	struct ov_load		ld = { ov, flags & OV_TITLES };
	struct need_cache_view	view;

	memset(ov, 0, sizeof(*ov));
	if ((ov->comms = intern_new()) == NULL ||
	    (ov->streets = intern_new()) == NULL ||
	    (ov->orgs = intern_new()) == NULL ||
	    (ov->cats = intern_new()) == NULL ||
	    (ov->ostreets = intern_new()) == NULL) {
		ov_free(ov);
		return ops_oom(err);
	}
	/* With the cache, its snapshot is the one everything is read in:
	 * take it first. */
	if (ctx->ncache != NULL) {
		if (need_cache_acquire(ctx->ncache, ctx->store, &view,
		    err) == -1) {
			ov_free(ov);
			return -1;
		}
		ov->ncache = ctx->ncache;	/* ov_free releases it */
	}
	if (store_oversight_each(ctx->store, STORE_OV_COMMUNITIES, ov_comm_row,
	    ov, err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_ORGS, ov_org_row, ov,
	    err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_CONFIRMED, ov_match_row,
	    ov, err) == -1 ||
	    (ctx->ncache != NULL ? ov_needs_cached(&view, ov, year, flags,
	    err) : store_ov_needs(ctx->store, flags & OV_NO_NEEDS ? -1 : year,
	    ld.titles, ov_need_row, &ld, err)) == -1 ||
	    ov_sort_needs(ov, err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_OFFERS, ov_offer_row, ov,
	    err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_FAIRS, ov_fair_row, ov,
	    err) == -1) {
		ov_free(ov);
		return -1;
	}
	ov_resolve_matches(ov);
	/* All read (a reader's snapshot can go; the cache stays held). */
	store_read_done(ctx->store);
	return 0;
}

int
ov_need_comm(const struct ov *ov, const struct ov_need *n, int k)
{
	return k == 0 ? n->comm : ov->pool[n->poff + k - 1];
}

/* ---- shared definitions ------------------------------------------------ */

/* The period of a figure: a year, and with month > 0 the year up to the
 * end of that month. */
void
ov_period(const cJSON *args, struct ov_period *p)
{
	p->year = (int)args_int(args, "year", ops_this_year());
	p->month = (int)args_int(args, "month", 0);
	snprintf(p->end, sizeof(p->end), "%04d-%02d-31", p->year,
	    p->month ? p->month : 12);
}

/* Whether a date (YYYY-MM-DD) lies in the period. */
int
ov_in_period(const struct ov_period *p, const char *date)
{
	return atoi(date) == p->year && strcmp(date, p->end) <= 0;
}

/* A need counts as posted in the period: of that year, not withdrawn, and
 * (for a month) posted by the end of that month. */
int
ov_need_posted(const struct ov_period *p, const struct ov_need *n)
{
	return n->comm >= 0 && n->year == p->year && n->status != 'w' &&
	    strcmp(n->created, p->end) <= 0;
}

/* Mark the needs answered in the period: a confirmed match (latest run)
 * at a fair dated in it. */
void
ov_mark_answered(struct ov *ov, const struct ov_period *p)
{
	size_t i;

	for (i = 0; i < ov->nneeds; i++)
		ov->needs[i].answered = 0;
	for (i = 0; i < ov->nmatches; i++)
		if (ov_in_period(p, ov->matches[i].date))
			ov->needs[ov->matches[i].need].answered = 1;
}

/*
 * The shares of amount that need n puts on each of its communities
 * (docs/design.md, "Caps and money": equal shares, the remainder a fen each
 * to the first ones): comms[k] gets shares[k]; returns how many communities.
 */
int
ov_shares(const struct ov *ov, const struct ov_need *n, int64_t amount,
    int comms[1 + OV_MAX_PARTNERS], int64_t shares[1 + OV_MAX_PARTNERS])
{
	struct matcher_need	mn;
	int			k;

	memset(&mn, 0, sizeof(mn));
	mn.npartners = n->np;
	matcher_shares(&mn, amount, shares);
	for (k = 0; k <= n->np; k++)
		comms[k] = ov_need_comm(ov, n, k);
	return 1 + n->np;
}

/* A threshold as parts per million (thresholds are read to 6 decimals). */
int64_t
ov_ppm(double t)
{
	return (int64_t)(t * OV_PPM + 0.5);
}

/* a >= t * b and a > t * b, exactly, with t in parts per million. */
int
ov_ge(int64_t a, int64_t tppm, int64_t b)
{
	return (long double)a * OV_PPM >= (long double)tppm * b;
}

int
ov_gt(int64_t a, int64_t tppm, int64_t b)
{
	return (long double)a * OV_PPM > (long double)tppm * b;
}

double
ov_yuan(int64_t fen)
{
	return (double)fen / 100.0;
}

/* num / den rounded to 4 decimals (0 when den is 0). */
double
ov_ratio(int64_t num, int64_t den)
{
	if (den == 0)
		return 0;
	return (double)llroundl((long double)num * 10000 / den) / 10000.0;
}

/*
 * The street a caller may see: a street organizer its own (naming another
 * is forbidden), anyone else the `street` argument or NULL for all.
 * Returns 0 or -1 with err set.
 */
int
ov_scope(struct op_ctx *ctx, const cJSON *args, const char **street,
    struct error *err)
{
	const char *want = args_str(args, "street", NULL);
	const char *own = ctx->who->acct.street;

	*street = want;
	if (ctx->who->role == ROLE_ORGANIZER && own[0] != '\0') {
		if (want != NULL && strcmp(want, own) != 0)
			return error_set(err, ERR_FORBIDDEN, "street", "you "
			    "oversee %s only", own);
		*street = own;
	}
	return 0;
}

int
ov_answer(cJSON *res, cJSON **result, struct error *err)
{
	if (res == NULL)
		return ops_oom(err);
	*result = res;
	return 0;
}

int
ov_serves(const struct ov *ov, const struct ov_offer *o, int s)
{
	int k;

	if (o->all)
		return 1;
	for (k = 0; k < o->ns; k++)
		if (ov->spool[o->soff + k] == s)
			return 1;
	return 0;
}

/*
 * What each organisation holds of the confirmed amount of year in street
 * (NULL: the district): sums[org] gets the matches that put a share on the
 * street and those shares.  Returns the street's (district's) total.
 */
int64_t
ov_org_sums(const struct ov *ov, int year, int street,
    struct ov_orgsum *sums)
{
	int		 comms[1 + OV_MAX_PARTNERS], nc, j, hit;
	int64_t		 shares[1 + OV_MAX_PARTNERS], total = 0;
	size_t		 i;

	for (i = 0; i < ov->norg; i++) {
		sums[i].org = (int)i;
		sums[i].matches = sums[i].amount = 0;
	}
	for (i = 0; i < ov->nmatches; i++) {
		const struct ov_match *m = &ov->matches[i];

		if (atoi(m->date) != year || m->org < 0)
			continue;
		nc = ov_shares(ov, &ov->needs[m->need], m->amount, comms,
		    shares);
		hit = 0;
		for (j = 0; j < nc; j++)
			if (street < 0 || ov->comm[comms[j]].street == street) {
				sums[m->org].amount += shares[j];
				total += shares[j];
				hit = 1;
			}
		sums[m->org].matches += hit;
	}
	return total;
}
