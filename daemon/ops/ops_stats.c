/*
 * ops_stats.c: stats.streets (needs posted and answered, money, caps, fairs
 * and the rank by progress per street), stats.categories (posted vs matched
 * per sub-category) and stats.orgs (each organisation's confirmed matches).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/ops/oversight.h"
#include "matcher/matcher.h"
#include "matcher/text.h"

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

/* qsort_r's comparison: arg is the interned street names (no global:
 * reader threads sort at once). */
static int
ov_street_cmp(const void *x, const void *y, void *arg)
{
	const struct ov_street *a = x, *b = y;
	const struct intern *names = arg;
	int c = ov_street_key_cmp(a, b);

	if (c != 0)
		return c;
	return strcmp(intern_str(names, a->idx), intern_str(names, b->idx));
}

/* Whether an offer's streets serve street s (by name), "*" included. */

int
op_stats_streets(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov		 ov;
	struct ov_period	 p;
	struct ov_street	*st;
	const char		*only = NULL;
	size_t			 ns, i, k, *seen = NULL;
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, s, *os = NULL;
	int64_t			 shares[1 + OV_MAX_PARTNERS];
	cJSON			*res, *items, *it;

	ov_period(args, &p);
	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov,
	    p.year, 0, err) == -1)
		return -1;
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
		nc = ov_shares(&ov, &ov.needs[m->need], m->amount, comms,
		    shares);
		for (j = 0; j < nc; j++)
			st[ov.comm[comms[j]].street].amount += shares[j];
	}
	/* Each open offer counts once in each street it serves. */
	if ((seen = calloc(ns + 1, sizeof(*seen))) == NULL ||
	    (os = calloc(intern_count(ov.ostreets) + 1, sizeof(*os))) == NULL) {
		free(seen);
		free(st);
		ov_free(&ov);
		return ops_oom(err);
	}
	for (k = 0; k < intern_count(ov.ostreets); k++)
		os[k] = intern_find(ov.streets, intern_str(ov.ostreets, (int)k));
	for (i = 0; i < ov.noffers; i++) {
		const struct ov_offer *o = &ov.offers[i];

		if (o->status != 'o')
			continue;
		if (o->all) {
			for (k = 0; k < ns; k++)
				st[k].offers++;
			continue;
		}
		for (j = 0; j < o->ns; j++)
			if ((s = os[ov.spool[o->soff + j]]) >= 0 &&
			    seen[s] != i + 1) {
				seen[s] = i + 1;
				st[s].offers++;
			}
	}
	free(seen);
	free(os);
	for (i = 0; i < ov.nfairs; i++)
		if (ov.fairs[i].street >= 0 && ov.fairs[i].runs > 0 &&
		    ov_in_period(&p, ov.fairs[i].date))
			st[ov.fairs[i].street].fairs++;

	qsort_r(st, ns, sizeof(*st), ov_street_cmp, ov.streets);
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

	ov_period(args, &p);
	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov,
	    p.year, 0, err) == -1)
		return -1;
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
	for (i = 0; i < intern_count(ov.cats); i++)
		if (intern_add(names, intern_str(ov.cats, (int)i)) == -1)
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
		k = intern_find(names, intern_str(ov.cats, n->cat));
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
		cat[intern_find(names, intern_str(ov.cats, n->cat))].amount +=
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

	ov_period(args, &p);
	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov,
	    p.year, OV_NO_NEEDS, err) == -1)
		return -1;
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
