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
 * Record n of the unmatched ids from ids: one JSON array written by one
 * statement (a fair of 50,000 needs leaves 40,000 unmatched, and this runs
 * on the loop thread).
 */
static int
fair_store_unmatched(struct op_ctx *ctx, int64_t fair, int run, int is_offer,
    const int64_t *ids, size_t n, struct error *err)
{
	struct json_buf	 b;
	char		*json;
	size_t		 i;
	int		 rc;

	json_buf_init(&b);
	json_buf_raw(&b, "[", 1);
	for (i = 0; i < n; i++) {
		json_buf_number(&b, (double)ids[i]);
		json_buf_raw(&b, ",", 1);
	}
	json_buf_raw(&b, "0]", 2);	/* 0 is no id: skipped */
	if ((json = json_buf_finish(&b, NULL)) == NULL)
		return ops_oom(err);
	rc = store_run_unmatched_all(ctx->store, fair, run, is_offer, json,
	    err);
	free(json);
	return rc;
}

/*
 * The run's pairs from..to-1 as one JSON array of rows
 * (store_matches_insert_all's shape), written by one statement: a
 * statement per pair costs 13 us each on the loop thread.
 */
static int
fair_store_pairs(struct op_ctx *ctx, int64_t fair, int run,
    const struct match_input *mi, const struct matcher_result *r,
    size_t from, size_t to, struct error *err)
{
	struct json_buf	 b;
	char		*rows;
	size_t		 i;
	int		 k, rc;

	json_buf_init(&b);
	json_buf_raw(&b, "[", 1);
	for (i = from; i < to; i++) {
		const struct matcher_match *x = &r->matches[i];
		const int32_t v[] = { x->score.total, x->score.category,
		    x->score.budget, x->score.text, x->score.library,
		    x->score.locality, x->score.interest };

		json_buf_raw(&b, i > from ? ",[" : "[", i > from ? 2 : 1);
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

/* Store a run's row and summary as run `run` of fair (*summary: the
 * caller's, even on failure). */
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
	return store_run_insert(ctx->store, fair, run, algo, *summary, err);
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

/*
 * The steps of fair.match's write (op_fair_match), in order; each but the
 * first and FAIR_PUBLISH writes by slices when the run is written in
 * slices (ctx->slice_rows), all at once otherwise:
 *
 *   FAIR_BEGIN       the run's row and summary; what it left unmatched
 *   FAIR_UNMATCHED   those ids, the needs' then the offers', slice_rows
 *                    * 5 a statement
 *   FAIR_PAIRS       the pairs, slice_rows / 2 a statement
 *   FAIR_SUPERSEDE   (publish, a run was published) its live matches
 *                    superseded, and their events, slice_rows a window of
 *                    match ids
 *   FAIR_PUBLISH     the fair's published run; restore, carry
 *   FAIR_AUDIENCE    fair.published: its audience read by windows of the
 *                    run's match ids, then the event
 *   FAIR_PROPOSED    match.proposed, by windows of the run's match ids
 *   FAIR_DONE
 *
 * The rows are the same either way: each slice takes the next ids in
 * order, and a window's statements keep the order of the whole one's.
 */
enum fair_step {
	FAIR_BEGIN, FAIR_UNMATCHED, FAIR_PAIRS, FAIR_SUPERSEDE, FAIR_PUBLISH,
	FAIR_AUDIENCE, FAIR_PROPOSED, FAIR_DONE
};

/* What fair.match computed, for the write (OP_SPLIT: ctx->state), and
 * how far the write has come. */
struct fair_run {
	struct match_input	 mi;
	struct matcher_result	 r;
	int64_t			 fid;
	const char		*algo;		/* static */
	/* The write (op_fair_match), from FAIR_BEGIN on. */
	enum fair_step		 step;
	int			 publish;
	int			 run;		/* the new run's number */
	int			 replaced;	/* the published run, or 0 */
	int64_t			*unmatched[2];	/* needs', offers' ids */
	size_t			 nunmatched[2];
	int			 kind;		/* FAIR_UNMATCHED: 0, 1 */
	size_t			 next;		/* the next id or pair */
	int64_t			 after;		/* windows: the last match id */
	cJSON			*summary;	/* the answer, owned */
	cJSON			*superseded;	/* its ids, owned */
	struct events_published	*pb;		/* FAIR_AUDIENCE, owned */
};

static void
fair_run_free(void *arg)
{
	struct fair_run *fr = arg;

	if (fr == NULL)
		return;
	matcher_result_free(&fr->r);
	match_input_free(&fr->mi);
	free(fr->unmatched[0]);
	free(fr->unmatched[1]);
	cJSON_Delete(fr->summary);
	cJSON_Delete(fr->superseded);
	events_published_free(fr->pb);
	free(fr);
}

/*
 * The ids of what the run left unmatched into fr->unmatched: open needs
 * without a pair ([0]), and offers with no pair at all ([1]), as they
 * stood when it ran.  0, or -1 with err set.
 */
static int
fair_unmatched_ids(struct fair_run *fr, struct error *err)
{
	const struct match_input	*mi = &fr->mi;
	unsigned char			*nm, *om;
	size_t				 i;
	int				 rc = -1;

	nm = calloc(mi->nneeds + 1, 1);
	om = calloc(mi->noffers + 1, 1);
	fr->unmatched[0] = calloc(mi->nneeds + 1, sizeof(int64_t));
	fr->unmatched[1] = calloc(mi->noffers + 1, sizeof(int64_t));
	if (nm == NULL || om == NULL || fr->unmatched[0] == NULL ||
	    fr->unmatched[1] == NULL) {
		ops_oom(err);
		goto out;
	}
	for (i = 0; i < fr->r.nmatches; i++) {
		nm[fr->r.matches[i].need] = 1;
		om[fr->r.matches[i].offer] = 1;
	}
	for (i = 0; i < mi->nneeds; i++)
		if (!nm[i] && mi->needs[i].eligible)
			fr->unmatched[0][fr->nunmatched[0]++] =
			    mi->needs[i].id;
	for (i = 0; i < mi->noffers; i++)
		if (!om[i] && mi->offers[i].eligible)
			fr->unmatched[1][fr->nunmatched[1]++] =
			    mi->offers[i].id;
	rc = 0;
out:
	free(nm);
	free(om);
	return rc;
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

/* The window of at most rows of run's matches after fr->after (rows 0:
 * all of them) into *upto.  0, or -1. */
static int
fair_window(struct op_ctx *ctx, struct fair_run *fr, int run, size_t rows,
    int64_t *upto, struct error *err)
{
	*upto = INT64_MAX;
	if (rows == 0)
		return 0;
	return store_matches_run_window(ctx->store, fr->fid, run, fr->after,
	    (int)rows, upto, err);
}

/* FAIR_BEGIN: the fair as it is now (its published run may have moved
 * since the computation read it: publishing is no reason to compute
 * again), the run's row and summary, what it left unmatched. */
static int
fair_write_begin(struct op_ctx *ctx, struct fair_run *fr, struct error *err)
{
	const cJSON	*p;
	cJSON		*fair = NULL;
	int		 rc = -1;

	if (store_fair_get(ctx->store, fr->fid, &fair, err) != 0 ||
	    store_run_last(ctx->store, fr->fid, &fr->run, err) == -1)
		goto out;
	fr->run++;
	p = args_get(fair, "published_run");
	fr->replaced = cJSON_IsNumber(p) ? (int)p->valuedouble : 0;
	if ((fr->superseded = cJSON_CreateArray()) == NULL) {
		ops_oom(err);
		goto out;
	}
	if (fair_store_run(ctx, fr->fid, fr->run, fr->algo, &fr->mi, &fr->r,
	    &fr->summary, err) == -1 || fair_unmatched_ids(fr, err) == -1)
		goto out;
	rc = 0;
out:
	cJSON_Delete(fair);
	return rc;
}

/* A window up to upto is written: the next begins after it, or, after
 * the last (upto INT64_MAX), the next step, from the first match. */
static void
fair_window_done(struct fair_run *fr, int64_t upto)
{
	fr->after = upto;
	if (upto == INT64_MAX) {
		fr->step++;
		fr->after = 0;
	}
}

/* FAIR_SUPERSEDE: the replaced run's live matches of the next window
 * superseded, and their events; their ids onto fr->superseded. */
static int
fair_write_supersede(struct op_ctx *ctx, struct fair_run *fr, size_t rows,
    struct error *err)
{
	cJSON	*ids, *id;
	char	 why[64];
	int64_t	 upto;
	int	 rc = -1;

	snprintf(why, sizeof(why), "已改为发布第 %d 轮匹配结果", fr->run);
	if ((ids = cJSON_CreateArray()) == NULL)
		return ops_oom(err);
	if (fair_window(ctx, fr, fr->replaced, rows, &upto, err) == -1 ||
	    store_matches_publish_out(ctx->store, fr->fid, fr->replaced,
	    fr->after, upto, ids, err) == -1 ||
	    events_matches_superseded(ctx->store, ids, why, err) == -1)
		goto out;
	while ((id = cJSON_DetachItemFromArray(ids, 0)) != NULL)
		cJSON_AddItemToArray(fr->superseded, id);
	fair_window_done(fr, upto);
	rc = 0;
out:
	cJSON_Delete(ids);
	return rc;
}

/* FAIR_AUDIENCE and FAIR_PROPOSED: the next window of the run's matches. */
static int
fair_write_events(struct op_ctx *ctx, struct fair_run *fr, size_t rows,
    struct error *err)
{
	int64_t upto;

	if (fair_window(ctx, fr, fr->run, rows, &upto, err) == -1)
		return -1;
	if (fr->step == FAIR_AUDIENCE) {
		if (events_published_add(fr->pb, fr->run, fr->after, upto,
		    err) == -1 || (upto == INT64_MAX &&
		    events_published_emit(fr->pb, fr->run,
		    ctx->conf->events_remind_after_hours, err) == -1))
			return -1;
	} else if (events_published_proposed(fr->pb, fr->run, fr->after, upto,
	    err) == -1)
		return -1;
	fair_window_done(fr, upto);
	return 0;
}

/* The least of n and what is left after next. */
static size_t
fair_chunk(size_t n, size_t next, size_t total)
{
	return n == 0 || n > total - next ? total - next : n;
}

/*
 * Write the next slice of fr's run (rows 0: a whole step); fr->step says
 * what is left (FAIR_DONE: nothing).  0, or -1 with err set.
 */
static int
fair_write_step(struct op_ctx *ctx, struct fair_run *fr, size_t rows,
    struct error *err)
{
	size_t n;

	switch (fr->step) {
	case FAIR_BEGIN:
		if (fair_write_begin(ctx, fr, err) == -1)
			return -1;
		fr->step = FAIR_UNMATCHED;
		return 0;
	case FAIR_UNMATCHED:
		n = fair_chunk(rows * 5, fr->next, fr->nunmatched[fr->kind]);
		if (fair_store_unmatched(ctx, fr->fid, fr->run, fr->kind,
		    fr->unmatched[fr->kind] + fr->next, n, err) == -1)
			return -1;
		if ((fr->next += n) == fr->nunmatched[fr->kind]) {
			fr->next = 0;
			if (fr->kind++ == 1)
				fr->step = FAIR_PAIRS;
		}
		return 0;
	case FAIR_PAIRS:
		n = fair_chunk(rows > 1 ? rows / 2 : rows, fr->next,
		    fr->r.nmatches);
		if (fair_store_pairs(ctx, fr->fid, fr->run, &fr->mi, &fr->r,
		    fr->next, fr->next + n, err) == -1)
			return -1;
		if ((fr->next += n) == fr->r.nmatches)
			fr->step = !fr->publish ? FAIR_DONE : fr->replaced > 0 ?
			    FAIR_SUPERSEDE : FAIR_PUBLISH;
		return 0;
	case FAIR_SUPERSEDE:
		return fair_write_supersede(ctx, fr, rows, err);
	case FAIR_PUBLISH:
		if (store_fair_publish(ctx->store, fr->fid, fr->run, err) == -1 ||
		    store_matches_restore(ctx->store, fr->fid, fr->run,
		    err) == -1 || store_matches_carry(ctx->store, fr->fid,
		    fr->run, err) == -1 || (fr->pb = events_published_new(
		    ctx->store, fr->fid, err)) == NULL)
			return -1;
		fr->step = FAIR_AUDIENCE;
		return 0;
	case FAIR_AUDIENCE:
	case FAIR_PROPOSED:
		return fair_write_events(ctx, fr, rows, err);
	case FAIR_DONE:
		break;
	}
	return 0;
}

/*
 * fair.match, the write (on the loop, in the turn's transaction): store
 * what op_fair_match_compute found as the fair's next run, and publish it
 * unless publish is false.  With ctx->slice_rows, a step at a time (more
 * set until the last); a run of at most slice_rows pairs is still written
 * at once.
 */
int
op_fair_match(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct fair_run	*fr = ctx->state;
	size_t		 rows = (size_t)ctx->slice_rows;

	ops_object_id(ctx, fr->fid);
	if (fr->step == FAIR_BEGIN)
		fr->publish = args_bool(args, "publish", 1);
	if (fr->r.nmatches <= rows && fr->mi.nneeds + fr->mi.noffers <=
	    rows * 10)
		rows = 0;
	do {
		if (fair_write_step(ctx, fr, rows, err) == -1) {
			if (err->code == ERR_NONE)
				error_set(err, ERR_NOT_FOUND, "fair", "there "
				    "is no fair %lld", (long long)fr->fid);
			return -1;
		}
	} while (fr->step != FAIR_DONE && rows == 0);
	if (fr->step != FAIR_DONE) {
		ctx->more = 1;
		return 0;
	}
	cJSON_AddBoolToObject(fr->summary, "published", fr->publish);
	cJSON_AddItemToObject(fr->summary, "superseded", fr->superseded);
	fr->superseded = NULL;
	*result = fr->summary;
	fr->summary = NULL;
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
