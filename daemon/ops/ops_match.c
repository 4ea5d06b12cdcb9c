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
#include "daemon/store/store_reader.h"
#include "daemon/store/store_scan.h"
#include "daemon/ops/ops.h"
#include "protocol/json_print.h"

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
 * offers with no pair at all, as they stood when it ran.  Each list is
 * one JSON array written by one statement: a fair of 50,000 needs leaves
 * 40,000 unmatched, and this runs on the loop thread.
 */
static int
fair_store_unmatched(struct op_ctx *ctx, int64_t fair, int run,
    const struct match_input *mi, const struct matcher_result *r,
    struct error *err)
{
	struct json_buf	 b[2];
	unsigned char	*nm, *om;
	char		*ids[2] = { NULL, NULL };
	size_t		 i;
	int		 k, rc = -1;

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
	for (k = 0; k < 2; k++) {
		json_buf_init(&b[k]);
		json_buf_raw(&b[k], "[", 1);
	}
	for (i = 0; i < mi->nneeds; i++)
		if (!nm[i] && mi->needs[i].eligible) {
			json_buf_number(&b[0], (double)mi->needs[i].id);
			json_buf_raw(&b[0], ",", 1);
		}
	for (i = 0; i < mi->noffers; i++)
		if (!om[i] && mi->offers[i].eligible) {
			json_buf_number(&b[1], (double)mi->offers[i].id);
			json_buf_raw(&b[1], ",", 1);
		}
	for (k = 0; k < 2; k++) {
		json_buf_raw(&b[k], "0]", 2);	/* 0 is no id: skipped */
		if ((ids[k] = json_buf_finish(&b[k], NULL)) == NULL) {
			ops_oom(err);
			goto out;
		}
	}
	if (store_run_unmatched_all(ctx->store, fair, run, 0, ids[0],
	    err) == -1 || store_run_unmatched_all(ctx->store, fair, run, 1,
	    ids[1], err) == -1)
		goto out;
	rc = 0;
out:
	free(ids[0]);
	free(ids[1]);
	free(nm);
	free(om);
	return rc;
}

/*
 * The run's pairs as one JSON array of rows (store_matches_insert_all's
 * shape), written by one statement: a statement per pair costs 13 us each
 * on the loop thread.
 */
static int
fair_store_pairs(struct op_ctx *ctx, int64_t fair, int run,
    const struct match_input *mi, const struct matcher_result *r,
    struct error *err)
{
	struct json_buf	 b;
	char		*rows;
	size_t		 i;
	int		 k, rc;

	json_buf_init(&b);
	json_buf_raw(&b, "[", 1);
	for (i = 0; i < r->nmatches; i++) {
		const struct matcher_match *x = &r->matches[i];
		const int32_t v[] = { x->score.total, x->score.category,
		    x->score.budget, x->score.text, x->score.library,
		    x->score.locality, x->score.interest };

		json_buf_raw(&b, i ? ",[" : "[", i ? 2 : 1);
		json_buf_number(&b, (double)mi->needs[x->need].id);
		json_buf_raw(&b, ",", 1);
		json_buf_number(&b, (double)mi->offers[x->offer].id);
		json_buf_raw(&b, ",", 1);
		json_buf_string(&b, match_input_community(mi, x->need));
		json_buf_raw(&b, ",", 1);
		json_buf_string(&b, intern_str(mi->orgs,
		    mi->offers[x->offer].org));
		for (k = 0; k < 7; k++) {
			json_buf_raw(&b, ",", 1);
			json_buf_number(&b, v[k]);
		}
		json_buf_raw(&b, ",", 1);
		json_buf_number(&b, (double)x->amount_fen);
		json_buf_raw(&b, x->fixed ? ",\"confirmed\"]" :
		    ",\"proposed\"]", x->fixed ? 13 : 12);
	}
	json_buf_raw(&b, "]", 1);
	if ((rows = json_buf_finish(&b, NULL)) == NULL)
		return ops_oom(err);
	rc = store_matches_insert_all(ctx->store, fair, run, rows, err);
	free(rows);
	return rc;
}

/* Store a run's pairs and summary as run `run` of fair. */
static int
fair_store_run(struct op_ctx *ctx, int64_t fair, int run, const char *algo,
    const struct match_input *mi, const struct matcher_result *r,
    cJSON **summary, struct error *err)
{
	cJSON			*capped;
	size_t			 i, eligible = 0;

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
	if (store_run_insert(ctx->store, fair, run, algo, *summary, err) == -1 ||
	    fair_store_unmatched(ctx, fair, run, mi, r, err) == -1 ||
	    fair_store_pairs(ctx, fair, run, mi, r, err) == -1)
		return -1;
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

/* What fair.match computed, for the write (OP_SPLIT: ctx->state). */
struct fair_run {
	struct match_input	 mi;
	struct matcher_result	 r;
	int64_t			 fid;
	const char		*algo;		/* static */
};

static void
fair_run_free(void *arg)
{
	struct fair_run *fr = arg;

	if (fr == NULL)
		return;
	matcher_result_free(&fr->r);
	match_input_free(&fr->mi);
	free(fr);
}

/*
 * fair.match, the long part (on a reader thread, over a snapshot; on the
 * loop when there are no readers): read the fair's enrolled needs and
 * offers, its pairs, interests and the caps, and run the matcher.  The
 * run is written by op_fair_match, which finds it in ctx->state.
 */
int
op_fair_match_compute(struct op_ctx *ctx, const cJSON *args,
    struct error *err)
{
	struct fair_run	*fr;
	const char	*algo = args_str(args, "algorithm", "optimal");
	cJSON		*fair;
	int		 m;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	if ((fr = calloc(1, sizeof(*fr))) == NULL) {
		cJSON_Delete(fair);
		return ops_oom(err);
	}
	ctx->state = fr;
	ctx->state_free = fair_run_free;
	fr->fid = (int64_t)ops_num(fair, "id");
	for (m = 0; m < 2 && strcmp(method_names[m], algo) != 0; m++)
		;
	fr->algo = method_names[m];
	if (ops_fair_runnable(ctx, fair, err) == -1 ||
	    match_input_fair(&fr->mi, ctx->conf, ctx->store, fr->fid,
	    ops_str(fair, "rule"), ops_num(fair, "min_score"), err) == -1)
		goto fail;
	/* All read: the snapshot need not be held while the matcher runs
	 * (the write checks that nothing read has changed since). */
	store_read_done(ctx->store);
	if (matcher_run(&fr->mi.in, (enum matcher_method)m, &fr->r) == -1) {
		error_set(err, ERR_INTERNAL, NULL, "the matcher failed");
		goto fail;
	}
	cJSON_Delete(fair);
	return 0;
fail:
	cJSON_Delete(fair);
	return -1;
}

/*
 * fair.match, the write (on the loop, in the turn's transaction): store
 * what op_fair_match_compute found as the fair's next run, and publish it
 * unless publish is false.
 */
int
op_fair_match(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct fair_run	*fr = ctx->state;
	int		 publish = args_bool(args, "publish", 1);
	cJSON		*fair = NULL, *ids = NULL;
	int		 run;

	ops_object_id(ctx, fr->fid);
	if ((ids = cJSON_CreateArray()) == NULL)
		return ops_oom(err);
	/* The fair as it is now: its published run may have moved since the
	 * computation read it (publishing is no reason to compute again). */
	if (store_fair_get(ctx->store, fr->fid, &fair, err) != 0 ||
	    store_run_last(ctx->store, fr->fid, &run, err) == -1 ||
	    fair_store_run(ctx, fr->fid, run + 1, fr->algo, &fr->mi, &fr->r,
	    result, err) == -1 || (publish && ops_fair_publish_run(ctx, fair,
	    run + 1, ids, err) == -1)) {
		if (err->code == ERR_NONE)
			error_set(err, ERR_NOT_FOUND, "fair", "there is no "
			    "fair %lld", (long long)fr->fid);
		cJSON_Delete(ids);
		cJSON_Delete(*result);
		*result = NULL;
		cJSON_Delete(fair);
		return -1;
	}
	cJSON_AddBoolToObject(*result, "published", publish);
	cJSON_AddItemToObject(*result, "superseded", ids);
	cJSON_Delete(fair);
	return 0;
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
