/*
 * ops_oversight.c: programme oversight.
 *
 *	stats.streets		per street: needs posted and answered, money,
 *				caps, fairs, and the rank by progress
 *	stats.categories	needs posted vs matched per sub-category
 *	stats.orgs		each organisation's confirmed matches
 *	risk.flags		padding, inflated_price, concentration,
 *				duplicate_need (DESIGN.md section 6)
 *
 * Every op loads the district once through store_oversight_each into a
 * struct ov (plain arrays, indexes instead of codes) and computes from it, so
 * that the same definitions hold everywhere: docs/oversight.md is the prose
 * of this file.  Amounts stay integer fen until they are written out; every
 * threshold comparison is made on integers (thresholds read to six decimals,
 * as parts per million), so "exactly at a threshold" is exact.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/intern.h"
#include "daemon/ops.h"
#include "matcher/matcher.h"
#include "matcher/text.h"

#define OV_MAX_PARTNERS	16
#define OV_PPM		1000000LL

struct ov_comm {
	int		 street;		/* index in ov.streets */
	int64_t		 cap;			/* fen */
};

struct ov_need {
	int64_t		 id;
	int		 comm;			/* index in ov.comms */
	int		 np;
	int		 partners[OV_MAX_PARTNERS];
	int		 street;		/* the poster's street, or -1 */
	char		*category;
	char		*title;
	char		 status;		/* 'o'pen, 'm'atched, 'w'ithdrawn */
	char		 created[11];		/* YYYY-MM-DD */
	char		 wfrom[11];		/* "" when no window */
	int		 year;
	int64_t		 budget;		/* fen */
	int		 answered;		/* confirmed in the period */
};

struct ov_offer {
	int64_t		 id;
	int		 org;			/* index in ov.orgs */
	char		*category;
	int64_t		 price;			/* fen */
	cJSON		*streets;		/* parsed array */
	char		 status;
};

struct ov_match {
	int		 need;			/* index in ov.needs */
	int		 org;
	int64_t		 amount;		/* fen */
	char		 date[11];		/* the fair's */
};

struct ov_fair {
	int		 street;		/* -1: a district fair */
	char		 date[11];
	int		 runs;
};

struct ov {
	struct intern	*comms, *streets, *orgs;
	struct ov_comm	*comm;
	char		**org_name;
	struct ov_need	*needs;
	struct ov_offer	*offers;
	struct ov_match	*matches;
	struct ov_fair	*fairs;
	size_t		 ncomm, norg, nneeds, noffers, nmatches, nfairs;
	size_t		 acomm, aorg, aneeds, aoffers, amatches, afairs;
};

/* ---- loading ----------------------------------------------------------- */

/* Make room for one more element in *arr (n used of *alloc). */
static int
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

#define OV_PUSH(ov, arr, n, a) \
	(ov_grow((void **)&(ov)->arr, &(ov)->a, (ov)->n, \
	    sizeof(*(ov)->arr)) == -1 ? NULL : &(ov)->arr[(ov)->n++])

static void
ov_copy_date(char dst[11], const char *src)
{
	snprintf(dst, 11, "%s", src);
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

static int
ov_need_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	*ov = arg;
	struct ov_need	*n;
	cJSON		*p, *c;
	int		 k;

	if ((n = OV_PUSH(ov, needs, nneeds, aneeds)) == NULL)
		return ops_oom(err);
	n->id = r->num[0];
	n->comm = intern_find(ov->comms, r->text[1]);
	n->street = intern_find(ov->streets, r->text[3]);
	n->status = r->text[6][0];
	ov_copy_date(n->created, r->text[7]);
	ov_copy_date(n->wfrom, r->text[8]);
	n->year = (int)r->num[9];
	n->budget = r->num[10];
	if ((n->category = strdup(r->text[4])) == NULL ||
	    (n->title = strdup(r->text[5])) == NULL)
		return ops_oom(err);
	p = cJSON_Parse(r->text[2]);
	cJSON_ArrayForEach(c, p) {
		if (n->np == OV_MAX_PARTNERS)
			break;
		if (cJSON_IsString(c) &&
		    (k = intern_find(ov->comms, c->valuestring)) >= 0)
			n->partners[n->np++] = k;
	}
	cJSON_Delete(p);
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
	if ((o->category = strdup(r->text[2])) == NULL ||
	    (o->streets = cJSON_Parse(r->text[4])) == NULL)
		return ops_oom(err);
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

static int
ov_match_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov	*ov = arg;
	struct ov_match	*m;
	int		 need = ov_need_index(ov, r->num[1]);

	if (need < 0 || ov->needs[need].comm < 0)
		return 0;
	if ((m = OV_PUSH(ov, matches, nmatches, amatches)) == NULL)
		return ops_oom(err);
	m->need = need;
	m->org = intern_find(ov->orgs, r->text[2]);
	m->amount = r->num[3];
	ov_copy_date(m->date, r->text[4]);
	return 0;
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

static void
ov_free(struct ov *ov)
{
	size_t i;

	intern_free(ov->comms);
	intern_free(ov->streets);
	intern_free(ov->orgs);
	for (i = 0; i < ov->norg; i++)
		free(ov->org_name[i]);
	for (i = 0; i < ov->nneeds; i++) {
		free(ov->needs[i].category);
		free(ov->needs[i].title);
	}
	for (i = 0; i < ov->noffers; i++) {
		free(ov->offers[i].category);
		cJSON_Delete(ov->offers[i].streets);
	}
	free(ov->comm);
	free(ov->org_name);
	free(ov->needs);
	free(ov->offers);
	free(ov->matches);
	free(ov->fairs);
	memset(ov, 0, sizeof(*ov));
}

/* Read the district into ov.  0, or -1 with err set (ov is then freed). */
static int
ov_load(struct op_ctx *ctx, struct ov *ov, struct error *err)
{
	memset(ov, 0, sizeof(*ov));
	if ((ov->comms = intern_new()) == NULL ||
	    (ov->streets = intern_new()) == NULL ||
	    (ov->orgs = intern_new()) == NULL) {
		ov_free(ov);
		return ops_oom(err);
	}
	if (store_oversight_each(ctx->store, STORE_OV_COMMUNITIES, ov_comm_row,
	    ov, err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_ORGS, ov_org_row, ov,
	    err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_NEEDS, ov_need_row, ov,
	    err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_OFFERS, ov_offer_row, ov,
	    err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_CONFIRMED, ov_match_row,
	    ov, err) == -1 ||
	    store_oversight_each(ctx->store, STORE_OV_FAIRS, ov_fair_row, ov,
	    err) == -1) {
		ov_free(ov);
		return -1;
	}
	return 0;
}

/* ---- shared definitions ------------------------------------------------ */

/* The period of a figure: a year, and with month > 0 the year up to the
 * end of that month. */
struct ov_period {
	int	year;
	int	month;
	char	end[11];	/* last date of the period, "YYYY-MM-31" */
};

static int
ov_this_year(void)
{
	time_t		now = time(NULL);
	struct tm	tm;

	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}

static void
ov_period(const cJSON *args, struct ov_period *p)
{
	p->year = (int)args_int(args, "year", ov_this_year());
	p->month = (int)args_int(args, "month", 0);
	snprintf(p->end, sizeof(p->end), "%04d-%02d-31", p->year,
	    p->month ? p->month : 12);
}

/* Whether a date (YYYY-MM-DD) lies in the period. */
static int
ov_in_period(const struct ov_period *p, const char *date)
{
	return atoi(date) == p->year && strcmp(date, p->end) <= 0;
}

/* A need counts as posted in the period: of that year, not withdrawn, and
 * (for a month) posted by the end of that month. */
static int
ov_need_posted(const struct ov_period *p, const struct ov_need *n)
{
	return n->comm >= 0 && n->year == p->year && n->status != 'w' &&
	    strcmp(n->created, p->end) <= 0;
}

/* Mark the needs answered in the period: a confirmed match (latest run)
 * at a fair dated in it. */
static void
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
 * The shares of amount that need n puts on each of its communities (DESIGN
 * section 1: equal shares, the remainder a fen each to the first ones):
 * comms[k] gets shares[k]; returns how many communities.
 */
static int
ov_shares(const struct ov_need *n, int64_t amount,
    int comms[1 + OV_MAX_PARTNERS], int64_t shares[1 + OV_MAX_PARTNERS])
{
	struct matcher_need	mn;
	int			k;

	memset(&mn, 0, sizeof(mn));
	mn.npartners = n->np;
	matcher_shares(&mn, amount, shares);
	comms[0] = n->comm;
	for (k = 0; k < n->np; k++)
		comms[k + 1] = n->partners[k];
	return 1 + n->np;
}

/* A threshold as parts per million (thresholds are read to 6 decimals). */
static int64_t
ov_ppm(double t)
{
	return (int64_t)(t * OV_PPM + 0.5);
}

/* a >= t * b and a > t * b, exactly, with t in parts per million. */
static int
ov_ge(int64_t a, int64_t tppm, int64_t b)
{
	return (long double)a * OV_PPM >= (long double)tppm * b;
}

static int
ov_gt(int64_t a, int64_t tppm, int64_t b)
{
	return (long double)a * OV_PPM > (long double)tppm * b;
}

static double
ov_yuan(int64_t fen)
{
	return (double)fen / 100.0;
}

/* num / den rounded to 4 decimals (0 when den is 0). */
static double
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
static int
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

static int
ov_answer(cJSON *res, cJSON **result, struct error *err)
{
	if (res == NULL)
		return ops_oom(err);
	*result = res;
	return 0;
}

/* ---- stats.streets ----------------------------------------------------- */

struct ov_street {
	int		 idx;
	int		 communities;
	int64_t		 posted, answered, offers, amount, cap, fairs;
	int		 rank;
};

/* Better first: progress (answered / posted), fairs held, needs answered,
 * then the street's name (only to order equals; they share a rank). */
static int
ov_street_key_cmp(const struct ov_street *a, const struct ov_street *b)
{
	long double l = (long double)a->answered * (b->posted ? b->posted : 1);
	long double r = (long double)b->answered * (a->posted ? a->posted : 1);

	if (l != r)
		return l > r ? -1 : 1;
	if (a->fairs != b->fairs)
		return a->fairs > b->fairs ? -1 : 1;
	if (a->answered != b->answered)
		return a->answered > b->answered ? -1 : 1;
	return 0;
}

static const struct intern *ov_sort_names;

static int
ov_street_cmp(const void *x, const void *y)
{
	const struct ov_street *a = x, *b = y;
	int c = ov_street_key_cmp(a, b);

	if (c != 0)
		return c;
	return strcmp(intern_str(ov_sort_names, a->idx),
	    intern_str(ov_sort_names, b->idx));
}

/* Whether an offer's streets serve street s (by name), "*" included. */
static int
ov_serves(const cJSON *streets, const char *s)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, streets)
		if (cJSON_IsString(c) && (strcmp(c->valuestring, "*") == 0 ||
		    strcmp(c->valuestring, s) == 0))
			return 1;
	return 0;
}

int
op_stats_streets(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov		 ov;
	struct ov_period	 p;
	struct ov_street	*st;
	const char		*only = NULL;
	size_t			 ns, i, k;
	int			 comms[1 + OV_MAX_PARTNERS], nc, j;
	int64_t			 shares[1 + OV_MAX_PARTNERS];
	cJSON			*res, *items, *it;

	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov,
	    err) == -1)
		return -1;
	ov_period(args, &p);
	ov_mark_answered(&ov, &p);
	ns = intern_count(ov.streets);
	if ((st = calloc(ns ? ns : 1, sizeof(*st))) == NULL) {
		ov_free(&ov);
		return ops_oom(err);
	}
	for (i = 0; i < ns; i++)
		st[i].idx = (int)i;
	for (i = 0; i < ov.ncomm; i++) {
		st[ov.comm[i].street].communities++;
		st[ov.comm[i].street].cap += ov.comm[i].cap;
	}
	for (i = 0; i < ov.nneeds; i++) {
		const struct ov_need *n = &ov.needs[i];

		if (n->street < 0 || !ov_need_posted(&p, n))
			continue;
		st[n->street].posted++;
		if (n->answered)
			st[n->street].answered++;
	}
	for (i = 0; i < ov.nmatches; i++) {
		const struct ov_match *m = &ov.matches[i];

		if (!ov_in_period(&p, m->date))
			continue;
		nc = ov_shares(&ov.needs[m->need], m->amount, comms, shares);
		for (j = 0; j < nc; j++)
			st[ov.comm[comms[j]].street].amount += shares[j];
	}
	for (i = 0; i < ov.noffers; i++)
		if (ov.offers[i].status == 'o')
			for (k = 0; k < ns; k++)
				if (ov_serves(ov.offers[i].streets,
				    intern_str(ov.streets, (int)k)))
					st[k].offers++;
	for (i = 0; i < ov.nfairs; i++)
		if (ov.fairs[i].street >= 0 && ov.fairs[i].runs > 0 &&
		    ov_in_period(&p, ov.fairs[i].date))
			st[ov.fairs[i].street].fairs++;

	ov_sort_names = ov.streets;
	qsort(st, ns, sizeof(*st), ov_street_cmp);
	for (i = 0; i < ns; i++)
		st[i].rank = i > 0 && ov_street_key_cmp(&st[i - 1],
		    &st[i]) == 0 ? st[i - 1].rank : (int)i + 1;

	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "year", p.year);
	if (p.month)
		cJSON_AddNumberToObject(res, "month", p.month);
	else
		cJSON_AddNullToObject(res, "month");
	items = cJSON_AddArrayToObject(res, "items");
	for (i = 0; i < ns && items != NULL; i++) {
		const char *name = intern_str(ov.streets, st[i].idx);

		if (only != NULL && strcmp(only, name) != 0)
			continue;
		if ((it = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(items, it);
		cJSON_AddStringToObject(it, "street", name);
		cJSON_AddNumberToObject(it, "rank", st[i].rank);
		cJSON_AddNumberToObject(it, "progress",
		    ov_ratio(st[i].answered, st[i].posted));
		cJSON_AddNumberToObject(it, "communities", st[i].communities);
		cJSON_AddNumberToObject(it, "needs_posted",
		    (double)st[i].posted);
		cJSON_AddNumberToObject(it, "needs_matched",
		    (double)st[i].answered);
		cJSON_AddNumberToObject(it, "offers_active",
		    (double)st[i].offers);
		cJSON_AddNumberToObject(it, "confirmed_amount",
		    ov_yuan(st[i].amount));
		cJSON_AddNumberToObject(it, "cap_total", ov_yuan(st[i].cap));
		cJSON_AddNumberToObject(it, "cap_used_pct",
		    ov_ratio(st[i].amount * 100, st[i].cap));
		cJSON_AddNumberToObject(it, "fairs_held", (double)st[i].fairs);
	}
	free(st);
	ov_free(&ov);
	return ov_answer(res, result, err);
}

/* ---- stats.categories -------------------------------------------------- */

struct ov_cat {
	const char	*name;
	int64_t		 posted, answered, budget, amount;
};

static int
ov_cat_cmp(const void *x, const void *y)
{
	return strcmp(((const struct ov_cat *)x)->name,
	    ((const struct ov_cat *)y)->name);
}

int
op_stats_categories(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov		 ov;
	struct ov_period	 p;
	struct intern		*names;
	struct ov_cat		*cat;
	const char		*only = NULL;
	char			 buf[2 * TAX_NAME_MAX + 2];
	const struct taxonomy	*tax = &ctx->conf->taxonomy;
	size_t			 nc, i;
	int			 f, s, k;
	cJSON			*res, *items, *it;

	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov,
	    err) == -1)
		return -1;
	ov_period(args, &p);
	ov_mark_answered(&ov, &p);
	if ((names = intern_new()) == NULL)
		goto oom;
	/* Every category of the taxonomy, then any older one still used. */
	for (f = 0; f < tax->nfamilies; f++)
		for (s = 0; s < tax->fam[f].nsubs; s++) {
			snprintf(buf, sizeof(buf), "%s.%s", tax->fam[f].name,
			    tax->fam[f].subs[s]);
			if (intern_add(names, buf) == -1)
				goto oom;
		}
	for (i = 0; i < ov.nneeds; i++)
		if (intern_add(names, ov.needs[i].category) == -1)
			goto oom;
	nc = intern_count(names);
	if ((cat = calloc(nc, sizeof(*cat))) == NULL)
		goto oom;
	for (i = 0; i < nc; i++)
		cat[i].name = intern_str(names, (int)i);
	for (i = 0; i < ov.nneeds; i++) {
		const struct ov_need *n = &ov.needs[i];

		if (!ov_need_posted(&p, n) || (only != NULL && (n->street < 0 ||
		    strcmp(intern_str(ov.streets, n->street), only) != 0)))
			continue;
		k = intern_find(names, n->category);
		cat[k].posted++;
		cat[k].budget += n->budget;
		cat[k].answered += n->answered;
	}
	for (i = 0; i < ov.nmatches; i++) {
		const struct ov_need *n = &ov.needs[ov.matches[i].need];

		if (!ov_in_period(&p, ov.matches[i].date) ||
		    !ov_need_posted(&p, n) || (only != NULL &&
		    (n->street < 0 || strcmp(intern_str(ov.streets, n->street),
		    only) != 0)))
			continue;
		cat[intern_find(names, n->category)].amount +=
		    ov.matches[i].amount;
	}
	qsort(cat, nc, sizeof(*cat), ov_cat_cmp);
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "year", p.year);
	items = cJSON_AddArrayToObject(res, "items");
	for (i = 0; i < nc && items != NULL; i++) {
		if ((it = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(items, it);
		cJSON_AddStringToObject(it, "category", cat[i].name);
		cJSON_AddNumberToObject(it, "needs_posted",
		    (double)cat[i].posted);
		cJSON_AddNumberToObject(it, "needs_matched",
		    (double)cat[i].answered);
		cJSON_AddNumberToObject(it, "matched_share",
		    ov_ratio(cat[i].answered, cat[i].posted));
		cJSON_AddNumberToObject(it, "budget_posted",
		    ov_yuan(cat[i].budget));
		cJSON_AddNumberToObject(it, "confirmed_amount",
		    ov_yuan(cat[i].amount));
	}
	free(cat);
	intern_free(names);
	ov_free(&ov);
	return ov_answer(res, result, err);
oom:
	intern_free(names);
	ov_free(&ov);
	return ops_oom(err);
}

/* ---- stats.orgs -------------------------------------------------------- */

struct ov_orgsum {
	int		 org;
	int64_t		 matches, amount;
};

static int
ov_orgsum_cmp(const void *x, const void *y)
{
	const struct ov_orgsum *a = x, *b = y;

	if (a->amount != b->amount)
		return a->amount > b->amount ? -1 : 1;
	if (a->matches != b->matches)
		return a->matches > b->matches ? -1 : 1;
	return a->org - b->org;
}

/*
 * What each organisation holds of the confirmed amount of year in street
 * (NULL: the district): sums[org] gets the matches that put a share on the
 * street and those shares.  Returns the street's (district's) total.
 */
static int64_t
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
		nc = ov_shares(&ov->needs[m->need], m->amount, comms, shares);
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

int
op_stats_orgs(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov		 ov;
	struct ov_period	 p;
	struct ov_orgsum	*sums;
	const char		*only;
	int64_t			 total;
	int			 street = -1;
	size_t			 i;
	cJSON			*res, *items, *it;

	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov,
	    err) == -1)
		return -1;
	ov_period(args, &p);
	if (only != NULL && (street = intern_find(ov.streets, only)) < 0)
		street = (int)intern_count(ov.streets);	/* no community there */
	if ((sums = calloc(ov.norg ? ov.norg : 1, sizeof(*sums))) == NULL) {
		ov_free(&ov);
		return ops_oom(err);
	}
	total = ov_org_sums(&ov, p.year, street, sums);
	qsort(sums, ov.norg, sizeof(*sums), ov_orgsum_cmp);
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "year", p.year);
	if (only != NULL)
		cJSON_AddStringToObject(res, "street", only);
	else
		cJSON_AddNullToObject(res, "street");
	cJSON_AddNumberToObject(res, "total_amount", ov_yuan(total));
	items = cJSON_AddArrayToObject(res, "items");
	for (i = 0; i < ov.norg && items != NULL; i++) {
		if (sums[i].matches == 0)
			continue;
		if ((it = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(items, it);
		cJSON_AddStringToObject(it, "org",
		    intern_str(ov.orgs, sums[i].org));
		cJSON_AddStringToObject(it, "name", ov.org_name[sums[i].org]);
		cJSON_AddNumberToObject(it, "matches",
		    (double)sums[i].matches);
		cJSON_AddNumberToObject(it, "amount", ov_yuan(sums[i].amount));
		cJSON_AddNumberToObject(it, "share",
		    ov_ratio(sums[i].amount, total));
	}
	free(sums);
	ov_free(&ov);
	return ov_answer(res, result, err);
}

/* ---- risk.flags -------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
static long
ov_days(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
ov_date(long z, char out[11])
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* Years of the period (2000-2200) keep to four digits. */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
	    (unsigned)m % 100u, (unsigned)d % 100u);
}

/* The first of the last `days` days of year: 31 December minus days - 1. */
static void
ov_late_from(int year, long days, char out[11])
{
	ov_date(ov_days(year, 12, 31) - (days - 1), out);
}

/* A need is late when posted, or due to start, from `from` on. */
static int
ov_late(const struct ov_need *n, const char *from)
{
	return strcmp(n->created, from) >= 0 ||
	    (n->wfrom[0] != '\0' && strcmp(n->wfrom, from) >= 0);
}

struct ov_flags {
	struct op_ctx		*ctx;
	struct ov		*ov;
	int			 street;	/* -1: every street */
	const char		*street_name;
	int			 year;		/* 0: every year */
	cJSON			*items;
};

static cJSON *
ov_flag(struct ov_flags *fl, const char *kind)
{
	cJSON *it = cJSON_CreateObject();

	if (it == NULL)
		return NULL;
	cJSON_AddItemToArray(fl->items, it);
	cJSON_AddStringToObject(it, "kind", kind);
	return it;
}

/* The years with needs or confirmed matches, ascending, or just fl->year. */
static int
ov_years(const struct ov_flags *fl, int *years, int max)
{
	int	n = 0, y, i, j;
	size_t	k;

	if (fl->year) {
		years[0] = fl->year;
		return 1;
	}
	for (k = 0; k < fl->ov->nneeds + fl->ov->nmatches; k++) {
		y = k < fl->ov->nneeds ? fl->ov->needs[k].year :
		    atoi(fl->ov->matches[k - fl->ov->nneeds].date);
		for (i = 0; i < n && years[i] != y; i++)
			;
		if (i < n || n == max)
			continue;
		for (j = n++; j > 0 && years[j - 1] > y; j--)
			years[j] = years[j - 1];
		years[j] = y;
	}
	return n;
}

#define OV_MAX_YEARS	64

static int
ov_padding(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*open, *cnt, *late, *used;
	int64_t			 shares[1 + OV_MAX_PARTNERS], left;
	int64_t			 share_ppm = ov_ppm(conf->risk_padding_share);
	int64_t			 late_ppm = ov_ppm(conf->risk_padding_late_share);
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, ny, y;
	int			 years[OV_MAX_YEARS];
	char			 from[11];
	size_t			 i, c;
	cJSON			*it, *d, *ids;

	open = calloc(ov->ncomm + 1, sizeof(*open));
	cnt = calloc(ov->ncomm + 1, sizeof(*cnt));
	late = calloc(ov->ncomm + 1, sizeof(*late));
	used = calloc(ov->ncomm + 1, sizeof(*used));
	if (open == NULL || cnt == NULL || late == NULL || used == NULL)
		goto oom;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	for (y = 0; y < ny; y++) {
		memset(open, 0, ov->ncomm * sizeof(*open));
		memset(cnt, 0, ov->ncomm * sizeof(*cnt));
		memset(late, 0, ov->ncomm * sizeof(*late));
		memset(used, 0, ov->ncomm * sizeof(*used));
		ov_late_from(years[y], conf->risk_padding_days, from);
		for (i = 0; i < ov->nneeds; i++) {
			const struct ov_need *n = &ov->needs[i];

			if (n->comm < 0 || n->status != 'o' ||
			    n->year != years[y])
				continue;
			nc = ov_shares(n, n->budget, comms, shares);
			for (j = 0; j < nc; j++) {
				open[comms[j]] += shares[j];
				cnt[comms[j]]++;
				late[comms[j]] += ov_late(n, from);
			}
		}
		for (i = 0; i < ov->nmatches; i++) {
			if (atoi(ov->matches[i].date) != years[y])
				continue;
			nc = ov_shares(&ov->needs[ov->matches[i].need],
			    ov->matches[i].amount, comms, shares);
			for (j = 0; j < nc; j++)
				used[comms[j]] += shares[j];
		}
		for (c = 0; c < ov->ncomm; c++) {
			if (fl->street >= 0 && ov->comm[c].street != fl->street)
				continue;
			left = ov->comm[c].cap - used[c];
			if (cnt[c] == 0 || !ov_ge(open[c], share_ppm, left) ||
			    !ov_gt(late[c], late_ppm, cnt[c]))
				continue;
			if ((it = ov_flag(fl, "padding")) == NULL)
				goto oom;
			cJSON_AddStringToObject(it, "community",
			    intern_str(ov->comms, (int)c));
			cJSON_AddStringToObject(it, "street",
			    intern_str(ov->streets, ov->comm[c].street));
			ids = cJSON_AddArrayToObject(it, "needs");
			for (i = 0; i < ov->nneeds && ids != NULL; i++) {
				const struct ov_need *n = &ov->needs[i];

				if (n->comm < 0 || n->status != 'o' ||
				    n->year != years[y])
					continue;
				for (j = -1; j < n->np; j++)
					if ((j < 0 ? n->comm :
					    n->partners[j]) == (int)c) {
						cJSON_AddItemToArray(ids,
						    cJSON_CreateNumber(
						    (double)n->id));
						break;
					}
			}
			d = cJSON_AddObjectToObject(it, "detail");
			cJSON_AddNumberToObject(d, "year", years[y]);
			cJSON_AddNumberToObject(d, "cap",
			    ov_yuan(ov->comm[c].cap));
			cJSON_AddNumberToObject(d, "confirmed",
			    ov_yuan(used[c]));
			cJSON_AddNumberToObject(d, "cap_left", ov_yuan(left));
			cJSON_AddNumberToObject(d, "open_needs",
			    (double)cnt[c]);
			cJSON_AddNumberToObject(d, "open_amount",
			    ov_yuan(open[c]));
			if (left > 0)
				cJSON_AddNumberToObject(d, "share",
				    ov_ratio(open[c], left));
			else
				cJSON_AddNullToObject(d, "share");
			cJSON_AddNumberToObject(d, "late_needs",
			    (double)late[c]);
			cJSON_AddNumberToObject(d, "late_share",
			    ov_ratio(late[c], cnt[c]));
			cJSON_AddStringToObject(d, "late_from", from);
			cJSON_AddNumberToObject(d, "padding_share",
			    conf->risk_padding_share);
			cJSON_AddNumberToObject(d, "padding_late_share",
			    conf->risk_padding_late_share);
		}
	}
	free(open);
	free(cnt);
	free(late);
	free(used);
	return 0;
oom:
	free(open);
	free(cnt);
	free(late);
	free(used);
	return -1;
}

static int
ov_cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static int
ov_inflated(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*prices, median2;
	int64_t			 factor_ppm = ov_ppm(conf->risk_inflated_factor);
	size_t			 i, j, n;
	cJSON			*it, *d;

	if ((prices = calloc(ov->noffers + 1, sizeof(*prices))) == NULL)
		return -1;
	for (i = 0; i < ov->noffers; i++) {
		const struct ov_offer *o = &ov->offers[i];

		if (o->status == 'w' || (fl->street_name != NULL &&
		    !ov_serves(o->streets, fl->street_name)))
			continue;
		/* The median of the offers of its sub-category, not
		 * withdrawn, the district over, itself included. */
		for (j = 0, n = 0; j < ov->noffers; j++)
			if (ov->offers[j].status != 'w' && strcmp(
			    ov->offers[j].category, o->category) == 0)
				prices[n++] = ov->offers[j].price;
		qsort(prices, n, sizeof(*prices), ov_cmp_i64);
		median2 = n % 2 ? 2 * prices[n / 2] :
		    prices[n / 2 - 1] + prices[n / 2];
		if (!ov_gt(2 * o->price, factor_ppm, median2))
			continue;
		if ((it = ov_flag(fl, "inflated_price")) == NULL) {
			free(prices);
			return -1;
		}
		cJSON_AddNumberToObject(it, "offer", (double)o->id);
		cJSON_AddStringToObject(it, "org", o->org >= 0 ?
		    intern_str(ov->orgs, o->org) : "");
		d = cJSON_AddObjectToObject(it, "detail");
		cJSON_AddStringToObject(d, "category", o->category);
		cJSON_AddNumberToObject(d, "price", ov_yuan(o->price));
		cJSON_AddNumberToObject(d, "median", (double)median2 / 200.0);
		cJSON_AddNumberToObject(d, "ratio", ov_ratio(2 * o->price,
		    median2));
		cJSON_AddNumberToObject(d, "offers", (double)n);
		cJSON_AddNumberToObject(d, "inflated_factor",
		    conf->risk_inflated_factor);
	}
	free(prices);
	return 0;
}

static int
ov_concentration(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	struct ov_orgsum	*sums;
	int64_t			 total;
	int64_t			 ppm = ov_ppm(conf->risk_concentration_share);
	int			 years[OV_MAX_YEARS], ny, y, s, ns;
	size_t			 i;
	cJSON			*it, *d;

	if ((sums = calloc(ov->norg + 1, sizeof(*sums))) == NULL)
		return -1;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	ns = (int)intern_count(ov->streets);
	for (y = 0; y < ny; y++)
		for (s = 0; s < ns; s++) {
			if (fl->street >= 0 && s != fl->street)
				continue;
			total = ov_org_sums(ov, years[y], s, sums);
			for (i = 0; i < ov->norg; i++) {
				if (sums[i].matches == 0 ||
				    !ov_gt(sums[i].amount, ppm, total))
					continue;
				if ((it = ov_flag(fl, "concentration")) ==
				    NULL) {
					free(sums);
					return -1;
				}
				cJSON_AddStringToObject(it, "org",
				    intern_str(ov->orgs, (int)i));
				cJSON_AddStringToObject(it, "street",
				    intern_str(ov->streets, s));
				d = cJSON_AddObjectToObject(it, "detail");
				cJSON_AddNumberToObject(d, "year", years[y]);
				cJSON_AddNumberToObject(d, "org_amount",
				    ov_yuan(sums[i].amount));
				cJSON_AddNumberToObject(d, "street_amount",
				    ov_yuan(total));
				cJSON_AddNumberToObject(d, "share",
				    ov_ratio(sums[i].amount, total));
				cJSON_AddNumberToObject(d, "matches",
				    (double)sums[i].matches);
				cJSON_AddNumberToObject(d,
				    "concentration_share",
				    conf->risk_concentration_share);
			}
		}
	free(sums);
	return 0;
}

struct ov_dup {
	int			 need;		/* index in ov.needs */
	struct text_tokens	 tok;		/* of its title */
};

static const struct ov *ov_sort_ov;

/* Needs by community, year, id. */
static int
ov_dup_cmp(const void *x, const void *y)
{
	const struct ov_need *a = &ov_sort_ov->needs[
	    ((const struct ov_dup *)x)->need];
	const struct ov_need *b = &ov_sort_ov->needs[
	    ((const struct ov_dup *)y)->need];

	if (a->comm != b->comm)
		return a->comm - b->comm;
	if (a->year != b->year)
		return a->year - b->year;
	return (a->id > b->id) - (a->id < b->id);
}

static int
ov_duplicates(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	struct ov_dup		*v;
	int64_t			 ppm = ov_ppm(conf->risk_duplicate_similarity);
	int64_t			 common, sum;
	int			 n = 0, i, j, rc = -1;
	cJSON			*it, *d;

	if ((v = calloc(ov->nneeds + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < (int)ov->nneeds; i++) {
		const struct ov_need *nd = &ov->needs[i];

		if (nd->comm < 0 || nd->status == 'w' ||
		    (fl->year && nd->year != fl->year) ||
		    (fl->street >= 0 && ov->comm[nd->comm].street !=
		    fl->street))
			continue;
		if (text_tokenize(nd->title, strlen(nd->title),
		    &v[n].tok) == -1)
			goto out;
		v[n++].need = i;
	}
	ov_sort_ov = ov;
	qsort(v, (size_t)n, sizeof(*v), ov_dup_cmp);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const struct ov_need *a = &ov->needs[v[i].need];
			const struct ov_need *b = &ov->needs[v[j].need];

			if (a->comm != b->comm || a->year != b->year)
				break;
			common = (int64_t)text_common(&v[i].tok, &v[j].tok);
			sum = (int64_t)(v[i].tok.n + v[j].tok.n);
			if (sum == 0 || !ov_ge(2 * common, ppm, sum))
				continue;
			if ((it = ov_flag(fl, "duplicate_need")) == NULL)
				goto out;
			cJSON_AddNumberToObject(it, "need", (double)b->id);
			cJSON_AddNumberToObject(it, "duplicate_of",
			    (double)a->id);
			cJSON_AddStringToObject(it, "community",
			    intern_str(ov->comms, b->comm));
			d = cJSON_AddObjectToObject(it, "detail");
			cJSON_AddNumberToObject(d, "year", b->year);
			cJSON_AddStringToObject(d, "title", b->title);
			cJSON_AddStringToObject(d, "duplicate_of_title",
			    a->title);
			cJSON_AddNumberToObject(d, "similarity",
			    ov_ratio(2 * common, sum));
			cJSON_AddNumberToObject(d, "duplicate_similarity",
			    conf->risk_duplicate_similarity);
		}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		text_tokens_free(&v[i].tok);
	free(v);
	return rc;
}

int
op_risk_flags(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov	 ov;
	struct ov_flags	 fl;
	cJSON		*res;

	memset(&fl, 0, sizeof(fl));
	if (ov_scope(ctx, args, &fl.street_name, err) == -1 ||
	    ov_load(ctx, &ov, err) == -1)
		return -1;
	fl.ctx = ctx;
	fl.ov = &ov;
	fl.street = -1;
	fl.year = (int)args_int(args, "year", 0);
	if (fl.street_name != NULL &&
	    (fl.street = intern_find(ov.streets, fl.street_name)) < 0)
		fl.street = (int)intern_count(ov.streets);	/* none there */
	if ((res = cJSON_CreateObject()) == NULL ||
	    (fl.items = cJSON_AddArrayToObject(res, "items")) == NULL ||
	    ov_padding(&fl) == -1 || ov_inflated(&fl) == -1 ||
	    ov_concentration(&fl) == -1 || ov_duplicates(&fl) == -1) {
		cJSON_Delete(res);
		ov_free(&ov);
		return ops_oom(err);
	}
	ov_free(&ov);
	*result = res;
	return 0;
}
