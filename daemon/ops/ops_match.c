/*
 * ops_match.c: fair runs through the pure matcher (fair.match) and the
 * published run (fair.publish).
 *
 * A fair publishes one run at a time: the one parties see, answer and
 * that schedules use.
 *
 *   fair.match (publish)		the new run is published; live
 *					matches of the run it replaces are
 *					superseded
 *   fair.match publish:false	the new run waits for the organizer
 *   fair.publish {run}		that run is published; live matches of
 *					the run it replaces are superseded
 *					(each keeping the status it had), and
 *					those a publication had superseded in
 *					it return, where their need and offer
 *					are still open on their terms
 *
 * The published run holds every confirmed pair of the fair: a run carries
 * the confirmed pairs in when it is made and again when it is published.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/domain/match_input.h"
#include "daemon/ops/ops.h"

static const char *const method_names[] = { "optimal", "greedy", "stable" };

/* Add code to the capped list once (a community capped in two years). */
static void
summary_capped(cJSON *capped, const char *code)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, capped)
		if (strcmp(c->valuestring, code) == 0)
			return;
	cJSON_AddItemToArray(capped, cJSON_CreateString(code));
}

/*
 * Record what the run left unmatched: open needs without a pair, and
 * offers with no pair at all, as they stood when it ran.
 */
static int
fair_store_unmatched(struct op_ctx *ctx, int64_t fair, int run,
    const struct match_input *mi, const struct matcher_result *r,
    struct error *err)
{
	unsigned char	*nm, *om;
	size_t		 i;
	int		 rc = -1;

	nm = calloc(mi->nneeds + 1, 1);
	om = calloc(mi->noffers + 1, 1);
	if (nm == NULL || om == NULL) {
		ops_oom(err);
		goto out;
	}
	for (i = 0; i < r->nmatches; i++) {
		nm[r->matches[i].need] = 1;
		om[r->matches[i].offer] = 1;
	}
	for (i = 0; i < mi->nneeds; i++)
		if (!nm[i] && mi->needs[i].eligible &&
		    store_run_unmatched_insert(ctx->store, fair, run, 0,
		    mi->needs[i].id, err) == -1)
			goto out;
	for (i = 0; i < mi->noffers; i++)
		if (!om[i] && mi->offers[i].eligible &&
		    store_run_unmatched_insert(ctx->store, fair, run, 1,
		    mi->offers[i].id, err) == -1)
			goto out;
	rc = 0;
out:
	free(nm);
	free(om);
	return rc;
}

/* Store a run's pairs and summary as run `run` of fair. */
static int
fair_store_run(struct op_ctx *ctx, int64_t fair, int run, const char *algo,
    const struct match_input *mi, const struct matcher_result *r,
    cJSON **summary, struct error *err)
{
	struct store_match	 m;
	cJSON			*capped;
	size_t			 i, eligible = 0;
	int64_t			 id;

	for (i = 0; i < mi->nneeds; i++)
		eligible += mi->needs[i].eligible;
	if ((*summary = cJSON_CreateObject()) == NULL)
		return ops_oom(err);
	cJSON_AddNumberToObject(*summary, "run", run);
	cJSON_AddNumberToObject(*summary, "pairs", (double)r->nmatches);
	cJSON_AddNumberToObject(*summary, "matched_needs", (double)r->nmatches);
	/* Fixed pairs' needs are matched already, not eligible. */
	cJSON_AddNumberToObject(*summary, "unmatched_needs",
	    (double)(eligible + mi->nfixed - r->nmatches));
	cJSON_AddNumberToObject(*summary, "total_score",
	    r->total_score / 100.0);
	cJSON_AddNumberToObject(*summary, "total_amount", r->total_fen / 100.0);
	capped = cJSON_AddArrayToObject(*summary, "capped");
	for (i = 0; capped != NULL && i < r->ncapped; i++)
		summary_capped(capped, match_input_account(mi, r->capped[i]));
	cJSON_AddBoolToObject(*summary, "exact", r->exact);
	/* The certified optimum under caps: optimal runs only. */
	if (strcmp(algo, "optimal") == 0) {
		cJSON_AddNumberToObject(*summary, "bound", r->bound / 100.0);
		cJSON_AddNumberToObject(*summary, "gap",
		    round(r->gap * 1e6) / 1e6);
	}
	if (store_run_insert(ctx->store, fair, run, algo, *summary, err) == -1)
		return -1;
	if (fair_store_unmatched(ctx, fair, run, mi, r, err) == -1)
		return -1;
	for (i = 0; i < r->nmatches; i++) {
		const struct matcher_match *x = &r->matches[i];

		m.fair = fair;
		m.run = run;
		m.need = mi->needs[x->need].id;
		m.offer = mi->offers[x->offer].id;
		m.community = match_input_community(mi, x->need);
		m.org = intern_str(mi->orgs, mi->offers[x->offer].org);
		m.score = x->score.total;
		m.parts[0] = x->score.category;
		m.parts[1] = x->score.budget;
		m.parts[2] = x->score.text;
		m.parts[3] = x->score.library;
		m.parts[4] = x->score.locality;
		m.parts[5] = x->score.interest;
		m.amount = x->amount_fen;
		m.status = x->fixed ? "confirmed" : "proposed";
		if (store_match_insert(ctx->store, &m, &id, err) == -1)
			return -1;
	}
	return 0;
}

int
ops_fair_publish_run(struct op_ctx *ctx, const cJSON *fair, int run,
    cJSON *superseded, struct error *err)
{
	int64_t		fid = (int64_t)ops_num(fair, "id");
	const cJSON	*p = args_get(fair, "published_run");
	int		again = cJSON_IsNumber(p) && (int)p->valuedouble == run;
	char		why[64];

	snprintf(why, sizeof(why), "已改为发布第 %d 轮匹配结果", run);
	if (cJSON_IsNumber(p) && !again && (store_matches_supersede(
	    ctx->store, STORE_LIVE_RUN, fid, (int)p->valuedouble, 0,
	    superseded, err) == -1 || events_matches_superseded(ctx->store,
	    superseded, why, err) == -1))
		return -1;
	if (store_fair_publish(ctx->store, fid, run, err) == -1 ||
	    store_matches_restore(ctx->store, fid, run, err) == -1 ||
	    store_matches_carry(ctx->store, fid, run, err) == -1)
		return -1;
	/* The parties hear of the publication and of its proposals; the
	 * published run published again changes nothing, and says nothing. */
	if (!again && (events_fair_published(ctx->store, fid, run,
	    ctx->conf->events_remind_after_hours, err) == -1 ||
	    events_run_proposed(ctx->store, fid, run, err) == -1))
		return -1;
	return 0;
}

int
op_fair_match(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct match_input	 mi;
	struct matcher_result	 r;
	const char		*algo = args_str(args, "algorithm", "optimal");
	int			 publish = args_bool(args, "publish", 1);
	cJSON			*fair, *ids = NULL;
	int64_t			 fid;
	int			 run, m;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	memset(&r, 0, sizeof(r));
	memset(&mi, 0, sizeof(mi));
	fid = (int64_t)ops_num(fair, "id");
	for (m = 0; m < 3; m++)
		if (strcmp(method_names[m], algo) == 0)
			break;
	if (ops_fair_runnable(ctx, fair, err) == -1 ||
	    match_input_init(&mi, ctx->conf, err) == -1 ||
	    store_needs_each(ctx->store, fid, match_input_add_need, &mi,
	    err) == -1 ||
	    store_offers_each(ctx->store, fid, match_input_add_offer, &mi,
	    err) == -1 ||
	    match_input_pairs(&mi, ctx->store, fid, err) == -1 ||
	    match_input_interests(&mi, ctx->store, fid, err) == -1 ||
	    match_input_caps(&mi, ctx->store, fid, err) == -1)
		goto fail;
	match_input_rules(&mi, ops_str(fair, "rule"), ops_num(fair,
	    "min_score"));
	if (matcher_run(&mi.in, (enum matcher_method)m, &r) == -1) {
		error_set(err, ERR_INTERNAL, NULL, "the matcher failed");
		goto fail;
	}
	if ((ids = cJSON_CreateArray()) == NULL) {
		ops_oom(err);
		goto fail;
	}
	if (store_run_last(ctx->store, fid, &run, err) == -1 ||
	    fair_store_run(ctx, fid, run + 1, algo, &mi, &r, result,
	    err) == -1 || (publish && ops_fair_publish_run(ctx, fair, run + 1,
	    ids, err) == -1))
		goto fail;
	cJSON_AddBoolToObject(*result, "published", publish);
	cJSON_AddItemToObject(*result, "superseded", ids);
	matcher_result_free(&r);
	match_input_free(&mi);
	cJSON_Delete(fair);
	return 0;
fail:
	cJSON_Delete(ids);
	cJSON_Delete(*result);
	*result = NULL;
	matcher_result_free(&r);
	match_input_free(&mi);
	cJSON_Delete(fair);
	return -1;
}

int
op_fair_publish(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	int		 run = (int)args_int(args, "run", 0), last;
	cJSON		*fair, *ids = NULL, *fresh = NULL;
	int64_t		 fid;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	fid = (int64_t)ops_num(fair, "id");
	if (ops_fair_runnable(ctx, fair, err) == -1 ||
	    store_run_last(ctx->store, fid, &last, err) == -1)
		goto fail;
	if (run > last) {
		error_set(err, ERR_NOT_FOUND, "run", "fair %lld has %d runs",
		    (long long)fid, last);
		goto fail;
	}
	if ((ids = cJSON_CreateArray()) == NULL) {
		ops_oom(err);
		goto fail;
	}
	if (ops_fair_publish_run(ctx, fair, run, ids, err) == -1 ||
	    store_fair_get(ctx->store, fid, &fresh, err) != 0)
		goto fail;
	cJSON_Delete(fair);
	if ((*result = ops_wrap("fair", fresh)) == NULL) {
		cJSON_Delete(ids);
		return ops_oom(err);
	}
	cJSON_AddItemToObject(*result, "superseded", ids);
	return 0;
fail:
	cJSON_Delete(ids);
	cJSON_Delete(fair);
	return -1;
}
