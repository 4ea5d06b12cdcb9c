/*
 * oversight.c: loading the district for the oversight ops, once per call,
 * into a struct ov (plain arrays, indexes instead of codes), and the
 * definitions they share.  Amounts stay integer fen until written out;
 * every threshold comparison is made on integers (thresholds read to six
 * decimals, as parts per million), so "exactly at a threshold" is exact.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/base/clock.h"
#include "daemon/domain/need_cache.h"
#include "daemon/ops/oversight.h"
#include "matcher/matcher.h"
#include "matcher/text.h"
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
	if ((c->name = strdup(r->text[1])) == NULL)
		return ops_oom(err);
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

static int
ov_cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static int
ov_has(const int64_t *ids, size_t n, int64_t id)
{
	return n > 0 && bsearch(&id, ids, n, sizeof(*ids), ov_cmp_id) != NULL;
}

int
ov_need_wanted(const struct ov *ov, int year, int flags, int nyear,
    int64_t id)
{
	if (year != 0 && nyear != year && !ov_has(ov->pneed, ov->npneed, id))
		return 0;
	return !(flags & OV_NO_NEEDS) || ov_has(ov->mneed, ov->nmneed, id);
}

/* One id of STORE_OV_PROJECT_NEEDS (ascending). */
static int
ov_pneed_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	*ov = arg;
	int64_t		*p;

	if ((p = OV_PUSH(ov, pneed, npneed, apneed)) == NULL)
		return ops_oom(err);
	*p = r->num[0];
	return 0;
}

/* The needs of the matches, ascending, for OV_NO_NEEDS. */
static int
ov_match_needs(struct ov *ov, struct error *err)
{
	size_t i;

	if ((ov->mneed = calloc(ov->nmatches + 1, sizeof(*ov->mneed))) == NULL)
		return ops_oom(err);
	for (i = 0; i < ov->nmatches; i++)
		ov->mneed[i] = ov->matches[i].need_id;
	ov->nmneed = ov->nmatches;
	qsort(ov->mneed, ov->nmneed, sizeof(*ov->mneed), ov_cmp_id);
	return 0;
}

struct ov_load {
	struct ov	*ov;
	int		 year, flags;
};

/* One partner of the need being read (the last of ov.needs). */
static int
ov_partner(void *arg, const char *code, size_t len)
{
	struct ov	*ov = arg;
	int		*p, k;

	(void)len;
	if ((k = intern_find(ov->comms, code)) < 0)
		return 0;
	if (ov->needs[ov->nneeds - 1].np == OV_MAX_PARTNERS)
		return 0;
	if ((p = OV_PUSH(ov, pool, npool, apool)) == NULL)
		return -1;
	*p = k;
	ov->needs[ov->nneeds - 1].np++;
	return 0;
}

/*
 * One need of STORE_OV_NEEDS, lean (the store's path; oversight_cache.c
 * is the cache's): the category interned, the title copied only with
 * OV_TITLES, the partners parsed only when there are some.  Not
 * cJSON_Parse: this runs on reader threads (json_strings.h).
 */
static int
ov_need_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov_load	*ld = arg;
	struct ov	*ov = ld->ov;
	struct ov_need	*n;
	size_t		 start = ov->npool;

	if (!ov_need_wanted(ov, ld->year, ld->flags, (int)r->num[9],
	    r->num[0]))
		return 0;
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
	    ((ld->flags & OV_TITLES) &&
	    (n->title = strdup(r->text[5])) == NULL))
		return ops_oom(err);
	n->poff = (int)start;
	/* Not an array of strings: no partners at all. */
	if (strcmp(r->text[2], "[]") != 0 &&
	    json_strings_each(r->text[2], ov_partner, ov) == -1) {
		ov->npool = start;
		n->np = 0;
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
	/* Streets that are not an array of strings fail the call, as a
	 * parse that failed did. */
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

/* A confirmed match: a project that holds its amount (ov_project_row);
 * ov_resolve_matches finds its need once the needs are read. */
int
ov_match_add(struct ov *ov, int64_t need_id, const char *org, int64_t amount,
    const char *date, struct error *err)
{
	struct ov_match	*m;

	if ((m = OV_PUSH(ov, matches, nmatches, amatches)) == NULL)
		return ops_oom(err);
	m->need_id = need_id;
	m->need = -1;
	m->org = intern_find(ov->orgs, org);
	m->amount = amount;
	ov_copy_date(m->date, date);
	m->year = atoi(m->date);
	return 0;
}

/* Each match's need; a match of a need not read (or of no community we
 * know) is left out. */
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
	intern_free(ov->ostreets);
	for (i = 0; i < ov->norg; i++)
		free(ov->org_name[i]);
	for (i = 0; i < ov->ncomm; i++)
		free(ov->comm[i].name);
	ov_free_projects(ov);
	for (i = 0; !ov->titles_borrowed && i < ov->nneeds; i++)
		free(ov->needs[i].title);
	for (i = 0; i < ov->noffers; i++)
		free(ov->offers[i].category);
	free(ov->pool);
	free(ov->spool);
	free(ov->pneed);
	free(ov->mneed);
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

/* The needs, from the cache when ov holds it, else from the store. */
static int
ov_load_needs(struct op_ctx *ctx, struct ov *ov,
    const struct need_cache_view *view, int year, int flags,
    struct error *err)
{
	struct ov_load	ld = { ov, year, flags };
	char		y[16];

	snprintf(y, sizeof(y), "%d", year);
	if (year != 0 && store_oversight_each_at(ctx->store,
	    STORE_OV_PROJECT_NEEDS, y, ov_pneed_row, ov, err) == -1)
		return -1;
	if ((flags & OV_NO_NEEDS) && ov_match_needs(ov, err) == -1)
		return -1;
	if (ov->ncache != NULL)
		return ov_needs_cached(view, ov, year, flags, err);
	return store_oversight_each_at(ctx->store, STORE_OV_NEEDS,
	    year ? y : NULL, ov_need_row, &ld, err);
}

/* Read the district into ov, of year (0: every year; docs/oversight.md
 * says what a year holds), as flags say (oversight.h).  0, or -1 with
 * err set (ov is then freed). */
int
ov_load(struct op_ctx *ctx, struct ov *ov, int year, int flags,
    struct error *err)
{
	struct need_cache_view	view;
	char			y[16];

	memset(ov, 0, sizeof(*ov));
	memset(&view, 0, sizeof(view));
	snprintf(y, sizeof(y), "%d", year);
	if ((ov->comms = intern_new()) == NULL ||
	    (ov->streets = intern_new()) == NULL ||
	    (ov->orgs = intern_new()) == NULL ||
	    (ov->cats = intern_new()) == NULL ||
	    (ov->ostreets = intern_new()) == NULL) {
		ov_free(ov);
		return ops_oom(err);
	}
	/* With the cache, its snapshot is the one everything is read in:
	 * take it first (it restarts the read transaction). */
	if (ctx->ncache != NULL) {
		if (need_cache_acquire(ctx->ncache, ctx->store, &view,
		    err) == -1) {
			ov_free(ov);
			return -1;
		}
		ov->ncache = ctx->ncache;	/* ov_free releases it */
	}
	/* The projects before the needs: the needs of the year's projects
	 * and (OV_NO_NEEDS) of the matches are read with them. */
	if (store_oversight_each(ctx->store, STORE_OV_COMMUNITIES, ov_comm_row,
	    ov, err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_ORGS, ov_org_row, ov,
	    err) == -1 ||
	    ov_load_projects(ctx, ov, year ? y : NULL, err) == -1 ||
	    ov_load_needs(ctx, ov, &view, year, flags, err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_OFFERS, ov_offer_row, ov,
	    err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_FAIRS, ov_fair_row, ov,
	    err) == -1) {
		ov_free(ov);
		return -1;
	}
	ov_resolve_matches(ov);
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
	struct tm	tm;
	time_t		now = clock_now();

	p->year = (int)args_int(args, "year", ops_this_year());
	p->month = (int)args_int(args, "month", 0);
	snprintf(p->end, sizeof(p->end), "%04d-%02d-31", p->year,
	    p->month ? p->month : 12);
	/* The first second after the period, less one. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = p->year - 1900 + (p->month == 0 || p->month == 12);
	tm.tm_mon = p->month == 0 || p->month == 12 ? 0 : p->month;
	tm.tm_mday = 1;
	p->as_of = timegm(&tm) - 1;
	p->now = p->as_of >= now;
	if (p->now)
		p->as_of = now;
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

		if (m->year != year || m->org < 0)
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
