/*
 * ops_risk_projects.c: the risk flags of the project lifecycle
 * (docs/oversight.md, "Risk flags of projects"): split_project, stalled,
 * settled_over and failed_acceptance, each with its stable key, and
 * risk.resolve, which records that a flag was looked into.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base/clock.h"
#include "daemon/domain/programme.h"
#include "daemon/ops/oversight.h"

#define SPLIT_DAYS	90
#define FAILED_MIN	2	/* failed acceptances of an org in a year */

/* Whether project pr is in fl's scope (street and year). */
static int
risk_in_scope(const struct ov_flags *fl, const struct ov_project *pr)
{
	return (fl->street < 0 || pr->street == fl->street) &&
	    (fl->year == 0 || pr->year == fl->year);
}

/* Projects by organisation, community, creation, id (qsort_r's: no
 * global, as two reader threads may sort at once). */
static int
risk_split_cmp(const void *x, const void *y, void *arg)
{
	const struct ov *ov = arg;
	const struct ov_project *a = &ov->projects[*(const int *)x];
	const struct ov_project *b = &ov->projects[*(const int *)y];

	if (a->org != b->org)
		return a->org - b->org;
	if (a->comm != b->comm)
		return a->comm - b->comm;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* One split_project flag: projects v[from..to] of one org and community. */
static int
risk_split_flag(struct ov_flags *fl, const int *v, int from, int to,
    int64_t sum)
{
	const struct ov		*ov = fl->ov;
	const struct ov_project	*first = &ov->projects[v[from]];
	const struct ov_project	*last = &ov->projects[v[to]];
	char			 t[CLOCK_TEXT_LEN];
	cJSON			*it, *d, *ids;
	int			 k;

	if ((it = ov_flag(fl, "split_project")) == NULL)
		return -1;
	ov_key(it, "split_project:%s:%s:%lld", intern_str(ov->orgs,
	    first->org), intern_str(ov->comms, first->comm),
	    (long long)first->id);
	cJSON_AddStringToObject(it, "org", intern_str(ov->orgs, first->org));
	cJSON_AddStringToObject(it, "community", intern_str(ov->comms,
	    first->comm));
	if (first->street >= 0)
		cJSON_AddStringToObject(it, "street", intern_str(ov->streets,
		    first->street));
	if ((ids = cJSON_AddArrayToObject(it, "projects")) != NULL)
		for (k = from; k <= to; k++)
			cJSON_AddItemToArray(ids, cJSON_CreateNumber(
			    (double)ov->projects[v[k]].id));
	d = cJSON_AddObjectToObject(it, "detail");
	cJSON_AddNumberToObject(d, "count", to - from + 1);
	cJSON_AddNumberToObject(d, "total", ov_yuan(sum));
	clock_format(first->created, t);
	cJSON_AddStringToObject(d, "first", t);
	clock_format(last->created, t);
	cJSON_AddStringToObject(d, "last", t);
	cJSON_AddNumberToObject(d, "days", SPLIT_DAYS);
	cJSON_AddNumberToObject(d, "split_threshold",
	    ov_yuan(fl->ctx->conf->risk_split_threshold));
	return 0;
}

/*
 * split_project: one organisation and one community with two or more
 * projects (not rejected or cancelled) created within SPLIT_DAYS of the
 * first, each under the threshold, that together pass it.  Windows are
 * taken from the earliest project on and do not overlap.
 */
int
ov_split(struct ov_flags *fl)
{
	const struct ov	*ov = fl->ov;
	int64_t		 limit = fl->ctx->conf->risk_split_threshold, sum;
	int		*v, n = 0, i, j;
	size_t		 p;

	if ((v = calloc(ov->nprojects + 1, sizeof(*v))) == NULL)
		return -1;
	for (p = 0; p < ov->nprojects; p++) {
		const struct ov_project *pr = &ov->projects[p];

		if (programme_holds_cap(pr->stage) && pr->org >= 0 &&
		    pr->comm >= 0 && pr->amount < limit &&
		    risk_in_scope(fl, pr))
			v[n++] = (int)p;
	}
	qsort_r(v, (size_t)n, sizeof(*v), risk_split_cmp, fl->ov);
	for (i = 0; i < n; i = j) {
		const struct ov_project *a = &ov->projects[v[i]];

		sum = 0;
		for (j = i; j < n; j++) {
			const struct ov_project *b = &ov->projects[v[j]];

			if (b->org != a->org || b->comm != a->comm ||
			    b->created - a->created > SPLIT_DAYS * 86400L)
				break;
			sum += b->amount;
		}
		if (j - i >= 2 && sum > limit) {
			if (risk_split_flag(fl, v, i, j - 1, sum) == -1) {
				free(v);
				return -1;
			}
		} else
			j = i + 1;
	}
	free(v);
	return 0;
}

/* stalled: every project overdue now (docs/oversight.md, "Deadlines"). */
int
ov_stalled(struct ov_flags *fl)
{
	const struct ov	*ov = fl->ov;
	time_t		 now = clock_now(), due;
	char		 t[CLOCK_TEXT_LEN], since[CLOCK_TEXT_LEN];
	cJSON		*it, *d;
	size_t		 p;

	for (p = 0; p < ov->nprojects; p++) {
		const struct ov_project *pr = &ov->projects[p];

		if (!risk_in_scope(fl, pr) || !programme_due(fl->ctx->conf,
		    pr->stage, pr->since, &due) || now <= due)
			continue;
		if ((it = ov_flag(fl, "stalled")) == NULL)
			return -1;
		clock_format(pr->since, since);
		ov_key(it, "stalled:%lld:%s:%.10s", (long long)pr->id,
		    programme_stages[pr->stage], since);
		cJSON_AddNumberToObject(it, "project", (double)pr->id);
		if (pr->street >= 0)
			cJSON_AddStringToObject(it, "street",
			    intern_str(ov->streets, pr->street));
		if (pr->comm >= 0)
			cJSON_AddStringToObject(it, "community",
			    intern_str(ov->comms, pr->comm));
		if (pr->org >= 0)
			cJSON_AddStringToObject(it, "org",
			    intern_str(ov->orgs, pr->org));
		d = cJSON_AddObjectToObject(it, "detail");
		cJSON_AddStringToObject(d, "title", pr->title);
		cJSON_AddStringToObject(d, "stage", programme_stages[pr->stage]);
		cJSON_AddStringToObject(d, "since", since);
		clock_format(due, t);
		cJSON_AddStringToObject(d, "due", t);
		cJSON_AddNumberToObject(d, "days_over",
		    (double)((now - due) / 86400));
	}
	return 0;
}

/* settled_over: a payment above the amount.  The store refuses one
 * (projects.paid <= amount), so this stays empty: it is checked. */
int
ov_settled_over(struct ov_flags *fl)
{
	const struct ov	*ov = fl->ov;
	cJSON		*it, *d;
	size_t		 p;

	for (p = 0; p < ov->nprojects; p++) {
		const struct ov_project *pr = &ov->projects[p];

		if (pr->paid <= pr->amount || !risk_in_scope(fl, pr))
			continue;
		if ((it = ov_flag(fl, "settled_over")) == NULL)
			return -1;
		ov_key(it, "settled_over:%lld", (long long)pr->id);
		cJSON_AddNumberToObject(it, "project", (double)pr->id);
		d = cJSON_AddObjectToObject(it, "detail");
		cJSON_AddNumberToObject(d, "amount", ov_yuan(pr->amount));
		cJSON_AddNumberToObject(d, "paid", ov_yuan(pr->paid));
	}
	return 0;
}

/* Whether failure b counts with a for fl: one org, one year, the street. */
static int
risk_same(const struct ov_flags *fl, const struct ov_failed *a,
    const struct ov_failed *b)
{
	return a->org == b->org && a->year == b->year &&
	    (fl->street < 0 || b->street == fl->street);
}

/* failed_acceptance: an organisation with FAILED_MIN or more failed
 * acceptances in a year (of projects of the street, with one). */
int
ov_failed_acceptance(struct ov_flags *fl)
{
	const struct ov	*ov = fl->ov;
	size_t		 i, j;
	int		 n;
	cJSON		*it, *d, *ids;

	for (i = 0; i < ov->nfailed; i++) {
		const struct ov_failed *f = &ov->failed[i];

		if (f->org < 0 || (fl->year && f->year != fl->year) ||
		    (fl->street >= 0 && f->street != fl->street))
			continue;
		/* Once per organisation and year: at its first failure. */
		for (j = 0; j < i && !risk_same(fl, f, &ov->failed[j]); j++)
			;
		if (j < i)
			continue;
		for (j = i, n = 0; j < ov->nfailed; j++)
			n += risk_same(fl, f, &ov->failed[j]);
		if (n < FAILED_MIN)
			continue;
		if ((it = ov_flag(fl, "failed_acceptance")) == NULL)
			return -1;
		ov_key(it, "failed_acceptance:%s:%d", intern_str(ov->orgs,
		    f->org), f->year);
		cJSON_AddStringToObject(it, "org", intern_str(ov->orgs,
		    f->org));
		ids = cJSON_AddArrayToObject(it, "projects");
		for (j = i; j < ov->nfailed && ids != NULL; j++)
			if (risk_same(fl, f, &ov->failed[j]))
				cJSON_AddItemToArray(ids, cJSON_CreateNumber(
				    (double)ov->failed[j].project));
		d = cJSON_AddObjectToObject(it, "detail");
		cJSON_AddNumberToObject(d, "year", f->year);
		cJSON_AddNumberToObject(d, "failures", n);
		cJSON_AddNumberToObject(d, "failed_min", FAILED_MIN);
	}
	return 0;
}

int
op_risk_resolve(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*key = args_str(args, "key", "");
	cJSON		*res, *r, *hit = NULL;

	ops_object_code(ctx, key);
	if (strchr(key, ':') == NULL)
		return ops_refuse(err, ERR_INVALID_ARGUMENT, "key", "bad_key",
		    "\"%s\" is not the key of a risk flag (kind:...), as "
		    "risk.flags lists it", key);
	if (store_risk_resolve(ctx->store, key, args_str(args, "note", ""),
	    ctx->who->acct.role, ctx->who->acct.code, err) == -1) {
		if (err->code == ERR_CONFLICT)
			return ops_refuse(err, ERR_CONFLICT, "key",
			    "already_resolved", "risk flag %s is resolved "
			    "already", key);
		return -1;
	}
	if (store_risk_resolutions(ctx->store, &res, err) == -1)
		return -1;
	cJSON_ArrayForEach(r, res)
		if (strcmp(ops_str(r, "key"), key) == 0)
			hit = r;
	*result = ops_wrap("resolution", cJSON_Duplicate(hit, 1));
	cJSON_Delete(res);
	return *result ? 0 : ops_oom(err);
}
