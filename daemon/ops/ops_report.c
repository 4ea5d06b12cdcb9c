/*
 * ops_report.c: report.monthly, the bureau's monthly report (通报) to the
 * streets (docs/protocol.md, "The bureau's monthly report"): the ranking
 * of stats.streets as at the month's end, the projects by stage, the
 * overdue projects and the risk flags still open, as one object, or as a
 * printable page or a workbook (GET /v1/reports/<year>-<month>.html and
 * .xlsx).  A street organizer's report covers its street.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "daemon/base/clock.h"
#include "daemon/domain/programme.h"
#include "daemon/domain/report.h"
#include "daemon/ops/oversight.h"

struct report_late {
	const struct ov_project	*pr;
	int64_t			 days;
};

static int
report_late_cmp(const void *x, const void *y)
{
	const struct report_late *a = x, *b = y;

	if (a->days != b->days)
		return a->days > b->days ? -1 : 1;
	return (a->pr->id > b->pr->id) - (a->pr->id < b->pr->id);
}

/* Whether pr counts in the report: of its year, there at its end, in
 * the street asked for. */
static int
report_counts(const struct ov_project *pr, const struct ov_period *p,
    int street)
{
	return pr->at_stage >= 0 && pr->year == p->year &&
	    (street < 0 || pr->street == street);
}

/* The overdue projects, latest first (most days over), into items. */
static int
report_overdue(struct op_ctx *ctx, const struct ov *ov,
    const struct ov_period *p, int street, cJSON *items)
{
	struct report_late	*v;
	char			 t[CLOCK_TEXT_LEN];
	time_t			 due;
	size_t			 i, n = 0;
	cJSON			*it;

	if ((v = calloc(ov->nprojects + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < ov->nprojects; i++) {
		const struct ov_project *pr = &ov->projects[i];

		if (!report_counts(pr, p, street) ||
		    !ov_project_overdue(ctx->conf, pr, p))
			continue;
		programme_due(ctx->conf, pr->at_stage, pr->at_since, &due);
		v[n].pr = pr;
		v[n++].days = (p->as_of - due) / 86400;
	}
	qsort(v, n, sizeof(*v), report_late_cmp);
	for (i = 0; i < n; i++) {
		const struct ov_project *pr = v[i].pr;

		if ((it = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(items, it);
		cJSON_AddNumberToObject(it, "project", (double)pr->id);
		cJSON_AddStringToObject(it, "title", pr->title);
		cJSON_AddStringToObject(it, "street", pr->street >= 0 ?
		    intern_str(ov->streets, pr->street) : "");
		cJSON_AddStringToObject(it, "community", pr->comm >= 0 ?
		    intern_str(ov->comms, pr->comm) : "");
		cJSON_AddStringToObject(it, "community_name", pr->comm >= 0 ?
		    ov->comm[pr->comm].name : "");
		cJSON_AddStringToObject(it, "org", pr->org >= 0 ?
		    intern_str(ov->orgs, pr->org) : "");
		cJSON_AddStringToObject(it, "org_name", pr->org >= 0 ?
		    ov->org_name[pr->org] : "");
		cJSON_AddStringToObject(it, "stage",
		    programme_stages[pr->at_stage]);
		clock_format(pr->at_since, t);
		cJSON_AddStringToObject(it, "since", t);
		programme_due(ctx->conf, pr->at_stage, pr->at_since, &due);
		clock_format(due, t);
		cJSON_AddStringToObject(it, "due", t);
		cJSON_AddNumberToObject(it, "days_over", (double)v[i].days);
	}
	free(v);
	return i == n ? 0 : -1;
}

/* The report as an object into *out. */
static int
report_build(struct op_ctx *ctx, const cJSON *args, cJSON **out,
    struct error *err)
{
	struct ov		 ov;
	struct ov_period	 p;
	struct ov_flags		 fl;
	const char		*only = NULL;
	int64_t			 stages[PS_STAGES] = { 0 };
	char			 t[CLOCK_TEXT_LEN];
	cJSON			*res, *st;
	size_t			 i;
	int			 street = -1, k, rc = -1;

	ov_period(args, &p);
	/* The titles too: the risks are risk.flags'. */
	if (ov_scope(ctx, args, &only, err) == -1 || ov_load(ctx, &ov, p.year,
	    OV_TITLES, err) == -1)
		return -1;
	ov_mark_answered(&ov, &p);
	if (only != NULL && (street = intern_find(ov.streets, only)) < 0)
		street = (int)intern_count(ov.streets);	/* none there */
	if (ov_at(ctx, &ov, &p, err) == -1 ||
	    (res = cJSON_CreateObject()) == NULL)
		goto out;
	*out = res;
	cJSON_AddNumberToObject(res, "year", p.year);
	cJSON_AddNumberToObject(res, "month", p.month);
	if (only != NULL)
		cJSON_AddStringToObject(res, "street", only);
	else
		cJSON_AddNullToObject(res, "street");
	clock_format(p.as_of, t);
	cJSON_AddStringToObject(res, "as_of", t);
	for (i = 0; i < ov.nprojects; i++)
		if (report_counts(&ov.projects[i], &p, street))
			stages[ov.projects[i].at_stage]++;
	if ((st = cJSON_AddObjectToObject(res, "stages")) != NULL)
		for (k = 0; k < PS_STAGES; k++)
			cJSON_AddNumberToObject(st, programme_stages[k],
			    (double)stages[k]);
	memset(&fl, 0, sizeof(fl));
	fl.ctx = ctx;
	fl.ov = &ov;
	fl.street = street;
	fl.street_name = only;
	fl.year = p.year;
	if (ov_streets(ctx, &ov, &p, only, cJSON_AddArrayToObject(res,
	    "streets")) == -1 || report_overdue(ctx, &ov, &p, street,
	    cJSON_AddArrayToObject(res, "overdue")) == -1 ||
	    (fl.items = cJSON_AddArrayToObject(res, "risks")) == NULL) {
		ops_oom(err);
		goto out;
	}
	rc = ov_flags_all(&fl, 0, err);
out:
	ov_free(&ov);
	if (rc == -1 && *out != NULL) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

int
op_report_monthly(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char		*format = args_str(args, "format", "json");
	const char		*tmp = getenv("TMPDIR");
	struct export_file	 f = { NULL, 0 };
	cJSON			*rep = NULL;
	char			 name[64], *b64 = NULL;
	size_t			 blen;
	int			 rc, xlsx = strcmp(format, "xlsx") == 0;

	if (report_build(ctx, args, &rep, err) == -1)
		return -1;
	if (strcmp(format, "json") == 0) {
		*result = rep;
		return 0;
	}
	rc = xlsx ? report_monthly_xlsx(rep, tmp ? tmp : "/tmp", &f) :
	    report_monthly_html(rep, &f);
	snprintf(name, sizeof(name), "report-%04d-%02d.%s",
	    (int)args_int(args, "year", 0), (int)args_int(args, "month", 0),
	    xlsx ? "xlsx" : "html");
	cJSON_Delete(rep);
	if (rc == -1)
		return error_set(err, ERR_INTERNAL, NULL, "the %s report could "
		    "not be made", format);
	if (xlsx) {
		blen = sodium_base64_encoded_len(f.len,
		    sodium_base64_VARIANT_ORIGINAL);
		if ((b64 = malloc(blen)) == NULL) {
			free(f.data);
			return ops_oom(err);
		}
		sodium_bin2base64(b64, blen, (const unsigned char *)f.data,
		    f.len, sodium_base64_VARIANT_ORIGINAL);
	}
	if ((*result = cJSON_CreateObject()) != NULL) {
		cJSON_AddStringToObject(*result, "filename", name);
		cJSON_AddStringToObject(*result, "content_type", xlsx ?
		    "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet" : "text/html; charset=utf-8");
		cJSON_AddStringToObject(*result, "encoding", xlsx ? "base64" :
		    "utf-8");
		cJSON_AddStringToObject(*result, "data", xlsx ? b64 : f.data);
	}
	free(b64);
	free(f.data);
	return *result ? 0 : ops_oom(err);
}
