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

#include "daemon/domain/programme.h"
#include "daemon/ops/oversight.h"
#include "matcher/matcher.h"
#include "matcher/text.h"

/* ---- stats.streets ----------------------------------------------------- */

struct ov_street {
	int		 idx;
	int		 communities;
	int64_t		 posted, answered, offers, amount, cap, fairs;
	int64_t		 stages[PS_STAGES], overdue, served, accepted;
	int64_t		 accepted_amount, paid_amount;
	int		 rank;
};

/* Better first: progress (answered / posted), then accepted projects,
 * then beneficiaries served; never money (docs/oversight.md).  Streets
 * equal on all three share a rank and are listed by name. */
static int
ov_street_key_cmp(const struct ov_street *a, const struct ov_street *b)
{
	long double l = (long double)a->answered * (b->posted ? b->posted : 1);
	long double r = (long double)b->answered * (a->posted ? a->posted : 1);

	if (l != r)
		return l > r ? -1 : 1;
	if (a->accepted != b->accepted)
		return a->accepted > b->accepted ? -1 : 1;
	if (a->served != b->served)
		return a->served > b->served ? -1 : 1;
	return 0;
}

/* qsort_r's: no global, as two reader threads may sort at once. */
static int
ov_street_cmp(const void *x, const void *y, void *names)
{
	const struct ov_street *a = x, *b = y;
	int c = ov_street_key_cmp(a, b);

	if (c != 0)
		return c;
	return strcmp(intern_str(names, a->idx), intern_str(names, b->idx));
}

/* The projects of the period's year as at its end, into their streets. */
static void
ov_street_projects(struct op_ctx *ctx, const struct ov *ov,
    const struct ov_period *p, struct ov_street *st)
{
	size_t i;

	for (i = 0; i < ov->nprojects; i++) {
		const struct ov_project *pr = &ov->projects[i];
		struct ov_street *s;

		if (pr->street < 0 || pr->at_stage < 0 || pr->year != p->year)
			continue;
		s = &st[pr->street];
		s->stages[pr->at_stage]++;
		s->overdue += ov_project_overdue(ctx->conf, pr, p);
		if (pr->at_stage == PS_COMPLETED ||
		    pr->at_stage == PS_ACCEPTED || pr->at_stage == PS_SETTLED)
			s->served += pr->served;
		if (pr->at_stage == PS_ACCEPTED || pr->at_stage == PS_SETTLED) {
			s->accepted++;
			s->accepted_amount += pr->amount;
		}
		if (pr->at_stage == PS_SETTLED)
			s->paid_amount += pr->paid;
	}
}

static void
ov_street_item(const struct ov *ov, const struct ov_street *s, cJSON *it)
{
	cJSON	*stages;
	int	 k;

	cJSON_AddStringToObject(it, "street", intern_str(ov->streets, s->idx));
	cJSON_AddNumberToObject(it, "rank", s->rank);
	cJSON_AddNumberToObject(it, "progress", ov_ratio(s->answered,
	    s->posted));
	cJSON_AddNumberToObject(it, "communities", s->communities);
	cJSON_AddNumberToObject(it, "needs_posted", (double)s->posted);
	cJSON_AddNumberToObject(it, "needs_matched", (double)s->answered);
	cJSON_AddNumberToObject(it, "offers_active", (double)s->offers);
	cJSON_AddNumberToObject(it, "confirmed_amount", ov_yuan(s->amount));
	cJSON_AddNumberToObject(it, "cap_total", ov_yuan(s->cap));
	cJSON_AddNumberToObject(it, "cap_used_pct", ov_ratio(s->amount * 100,
	    s->cap));
	cJSON_AddNumberToObject(it, "fairs_held", (double)s->fairs);
	if ((stages = cJSON_AddObjectToObject(it, "projects")) != NULL)
		for (k = 0; k < PS_STAGES; k++)
			cJSON_AddNumberToObject(stages, programme_stages[k],
			    (double)s->stages[k]);
	cJSON_AddNumberToObject(it, "overdue", (double)s->overdue);
	cJSON_AddNumberToObject(it, "projects_accepted", (double)s->accepted);
	cJSON_AddNumberToObject(it, "beneficiaries_served", (double)s->served);
	cJSON_AddNumberToObject(it, "accepted_amount",
	    ov_yuan(s->accepted_amount));
	cJSON_AddNumberToObject(it, "paid_amount", ov_yuan(s->paid_amount));
}

int
ov_streets(struct op_ctx *ctx, struct ov *ov, const struct ov_period *p,
    const char *only, cJSON *items)
{
	struct ov_street	*st;
	size_t			 ns, i, k;
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, s;
	int			*os = NULL;
	size_t			*seen = NULL;
	int64_t			 shares[1 + OV_MAX_PARTNERS];
	cJSON			*it;

	ns = intern_count(ov->streets);
	if ((st = calloc(ns ? ns : 1, sizeof(*st))) == NULL)
		return -1;
	for (i = 0; i < ns; i++)
		st[i].idx = (int)i;
	for (i = 0; i < ov->ncomm; i++) {
		st[ov->comm[i].street].communities++;
		st[ov->comm[i].street].cap += ov->comm[i].cap;
	}
	for (i = 0; i < ov->nneeds; i++) {
		const struct ov_need *n = &ov->needs[i];

		if (n->street < 0 || !ov_need_posted(p, n))
			continue;
		st[n->street].posted++;
		if (n->answered)
			st[n->street].answered++;
	}
	for (i = 0; i < ov->nmatches; i++) {
		const struct ov_match *m = &ov->matches[i];

		if (!ov_in_period(p, m->date))
			continue;
		nc = ov_shares(ov, &ov->needs[m->need], m->amount, comms,
		    shares);
		for (j = 0; j < nc; j++)
			st[ov->comm[comms[j]].street].amount += shares[j];
	}
	/* Each open offer counts once in each street it serves: the
	 * streets offers name as ov.streets indexes (-1: none of ours). */
	if ((seen = calloc(ns + 1, sizeof(*seen))) == NULL ||
	    (os = calloc(intern_count(ov->ostreets) + 1,
	    sizeof(*os))) == NULL) {
		free(seen);
		free(st);
		return -1;
	}
	for (k = 0; k < intern_count(ov->ostreets); k++)
		os[k] = intern_find(ov->streets, intern_str(ov->ostreets,
		    (int)k));
	for (i = 0; i < ov->noffers; i++) {
		const struct ov_offer *o = &ov->offers[i];

		if (o->status != 'o')
			continue;
		if (o->all) {
			for (k = 0; k < ns; k++)
				st[k].offers++;
			continue;
		}
		for (j = 0; j < o->ns; j++)
			if ((s = os[ov->spool[o->soff + j]]) >= 0 &&
			    seen[s] != i + 1) {
				seen[s] = i + 1;
				st[s].offers++;
			}
	}
	free(seen);
	free(os);
	for (i = 0; i < ov->nfairs; i++)
		if (ov->fairs[i].street >= 0 && ov->fairs[i].runs > 0 &&
		    ov_in_period(p, ov->fairs[i].date))
			st[ov->fairs[i].street].fairs++;
	ov_street_projects(ctx, ov, p, st);

	qsort_r(st, ns, sizeof(*st), ov_street_cmp, ov->streets);
	for (i = 0; i < ns; i++)
		st[i].rank = i > 0 && ov_street_key_cmp(&st[i - 1],
		    &st[i]) == 0 ? st[i - 1].rank : (int)i + 1;
	for (i = 0; i < ns; i++) {
		if (only != NULL && strcmp(only, intern_str(ov->streets,
		    st[i].idx)) != 0)
			continue;
		if ((it = cJSON_CreateObject()) == NULL) {
			free(st);
			return -1;
		}
		cJSON_AddItemToArray(items, it);
		ov_street_item(ov, &st[i], it);
	}
	free(st);
	return 0;
}

int
op_stats_streets(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov		 ov;
	struct ov_period	 p;
	const char		*only = NULL;
	cJSON			*res, *items;

	ov_period(args, &p);
	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov, p.year,
	    0, err) == -1)
		return -1;
	ov_mark_answered(&ov, &p);
	if (ov_at(ctx, &ov, &p, err) == -1) {
		ov_free(&ov);
		return -1;
	}
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "year", p.year);
	if (p.month)
		cJSON_AddNumberToObject(res, "month", p.month);
	else
		cJSON_AddNullToObject(res, "month");
	items = cJSON_AddArrayToObject(res, "items");
	if (items == NULL || ov_streets(ctx, &ov, &p, only, items) == -1) {
		cJSON_Delete(res);
		res = NULL;
	}
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
	int			 f, s, k, *kc = NULL;
	cJSON			*res, *items, *it;

	ov_period(args, &p);
	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov, p.year,
	    0, err) == -1)
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
	/* ov.cats: the categories of the needs read, each once; kc maps
	 * them to names'. */
	if ((kc = calloc(intern_count(ov.cats) + 1, sizeof(*kc))) == NULL)
		goto oom;
	for (i = 0; i < intern_count(ov.cats); i++)
		if ((kc[i] = intern_add(names, intern_str(ov.cats,
		    (int)i))) == -1)
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
		k = kc[n->cat];
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
		cat[kc[n->cat]].amount += ov.matches[i].amount;
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
	free(kc);
	intern_free(names);
	ov_free(&ov);
	return ov_answer(res, result, err);
oom:
	free(kc);
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
	/* Only the needs of the matches: the sums are the matches'. */
	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov, p.year,
	    OV_NO_NEEDS, err) == -1)
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
