/*
 * ops_match.c: suggestions and fair runs (match.suggest, fair.match,
 * fair.matches), through the pure matcher.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/caps.h"
#include "daemon/domain/match_input.h"
#include "daemon/domain/suggest_index.h"
#include "daemon/store/store_reader.h"
#include "daemon/store/store_scan.h"
#include "daemon/ops/ops.h"
#include "protocol/json_print.h"

static const char *const method_names[] = { "optimal", "greedy", "stable" };

/* {category, budget, text, library, locality} of score parts, in points. */
static cJSON *
breakdown(const struct score_parts *p)
{
	cJSON *b = cJSON_CreateObject();

	if (b == NULL)
		return NULL;
	cJSON_AddNumberToObject(b, "category", p->category / 100.0);
	cJSON_AddNumberToObject(b, "budget", p->budget / 100.0);
	cJSON_AddNumberToObject(b, "text", p->text / 100.0);
	cJSON_AddNumberToObject(b, "library", p->library / 100.0);
	cJSON_AddNumberToObject(b, "locality", p->locality / 100.0);
	return b;
}

static int
offer_obj_add(struct match_input *mi, struct store *s, const cJSON *o,
    struct error *err)
{
	struct store_offer_row	 r;
	cJSON			*org = NULL;
	char			*streets;
	int			 rc;

	if (store_org_get(s, ops_str(o, "org"), &org, err) != 0)
		return -1;
	streets = json_print(cJSON_GetObjectItem(o, "streets"), NULL);
	r.id = (int64_t)ops_num(o, "id");
	r.org = ops_str(o, "org");
	r.org_street = ops_str(org, "street") ? ops_str(org, "street") : "";
	r.category = ops_str(o, "category");
	r.title = ops_str(o, "title");
	r.description = ops_str(o, "description");
	r.status = ops_str(o, "status");
	r.streets = streets ? streets : "[]";
	r.price = (int64_t)llround(ops_num(o, "price") * 100);
	r.capacity = (int)ops_num(o, "capacity");
	r.remaining = (int)ops_num(o, "remaining");
	r.in_library = cJSON_IsTrue(cJSON_GetObjectItem(o, "in_library"));
	rc = match_input_add_offer(mi, &r, err);
	cJSON_free(streets);
	cJSON_Delete(org);
	return rc;
}

/* Whether an organizer's scope holds need n (street) or offer o (streets). */
static int
suggest_in_scope(const struct op_ctx *ctx, const cJSON *obj, int is_offer)
{
	const char	*st = ctx->who->acct.street;
	const cJSON	*c;

	if (st[0] == '\0')
		return 1;
	if (!is_offer)
		return strcmp(ops_str(obj, "street"), st) == 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(obj, "streets"))
		if (strcmp(c->valuestring, "*") == 0 ||
		    strcmp(c->valuestring, st) == 0)
			return 1;
	return 0;
}

/* A candidate of the scan path (suggestions for an offer). */
struct scan_pick {
	const struct matcher_cand	*c;
	int64_t				 need_id, offer_id, price;
};

static int
suggestion_cmp(const void *pa, const void *pb)
{
	const struct scan_pick *a = pa, *b = pb;

	if (a->c->score.total != b->c->score.total)
		return a->c->score.total > b->c->score.total ? -1 : 1;
	if (a->price != b->price)
		return a->price < b->price ? -1 : 1;
	if (a->offer_id != b->offer_id)
		return a->offer_id < b->offer_id ? -1 : 1;
	return (a->need_id > b->need_id) - (a->need_id < b->need_id);
}

/*
 * Suggestions for need n from the index of open offers: the same filters
 * and scores as the matcher's candidates, without reading every offer.
 */
static int
suggest_for_need(struct op_ctx *ctx, const cJSON *n, int limit,
    cJSON **result, struct error *err)
{
	struct suggest_need	 sn;
	struct suggestion	*sg;
	const char		*codes[1 + CAPS_MAX_PARTNERS];
	cJSON			*items, *it;
	int			 i, got, rc = -1;

	memset(&sn, 0, sizeof(sn));
	if ((sg = calloc((size_t)limit + 1, sizeof(*sg))) == NULL)
		return ops_oom(err);
	sn.street = ops_str(n, "street");
	sn.category = ops_str(n, "category");
	sn.budget = (int64_t)llround(ops_num(n, "budget") * 100);
	sn.title = ops_str(n, "title");
	sn.description = ops_str(n, "description");
	if ((sn.ncommunities = caps_left_of_need(ctx->store, n,
	    ops_this_year(), codes, sn.left, err)) == -1)
		goto out;
	/* Only an open need is a candidate for anything. */
	got = strcmp(ops_str(n, "status"), "open") != 0 ? 0 :
	    suggest_index_for_need(ctx->sindex, ctx->store, ctx->conf, &sn,
	    limit, sg, err);
	if (got == -1)
		goto out;
	if ((*result = cJSON_CreateObject()) == NULL ||
	    (items = cJSON_AddArrayToObject(*result, "items")) == NULL) {
		ops_oom(err);
		goto out;
	}
	for (i = 0; i < got; i++) {
		if ((it = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddNumberToObject(it, "need", ops_num(n, "id"));
		cJSON_AddNumberToObject(it, "offer", (double)sg[i].offer);
		cJSON_AddStringToObject(it, "community", codes[0]);
		cJSON_AddStringToObject(it, "org", sg[i].org);
		cJSON_AddNumberToObject(it, "price", sg[i].price / 100.0);
		cJSON_AddNumberToObject(it, "score", sg[i].score.total / 100.0);
		cJSON_AddItemToObject(it, "breakdown", breakdown(&sg[i].score));
		cJSON_AddItemToArray(items, it);
	}
	rc = 0;
out:
	free(sg);
	return rc;
}

/*
 * Suggestions for offer o: every open need in the district through the
 * matcher's candidate generation, best first.  The caller owns o.
 */
static int
suggest_for_offer(struct op_ctx *ctx, const cJSON *o, long long limit,
    cJSON **result, struct error *err)
{
	struct match_input	 mi;
	struct matcher_cands	 cands;
	struct scan_pick	*sg = NULL;
	const cJSON		*st;
	cJSON			*items, *it;
	const char		*cat, *dot;
	char			 family[TAX_NAME_MAX + 1], *streets;
	size_t			 i, n = 0;
	int			 idx, all, rc = -1;

	memset(&cands, 0, sizeof(cands));
	/* Only the needs the offer could serve (family, budget, street):
	 * SQLite drops the others before they are read into C. */
	cat = ops_str(o, "category");
	dot = strchr(cat, '.');
	snprintf(family, sizeof(family), "%.*s", dot ? (int)(dot - cat) :
	    (int)strlen(cat), cat);
	streets = json_print(cJSON_GetObjectItem(o, "streets"), NULL);
	all = 0;
	cJSON_ArrayForEach(st, cJSON_GetObjectItem(o, "streets"))
		if (cJSON_IsString(st) && strcmp(st->valuestring, "*") == 0)
			all = 1;
	if (streets == NULL) {
		memset(&mi, 0, sizeof(mi));
		ops_oom(err);
		goto out;
	}
	idx = match_input_init(&mi, ctx->conf, err) == -1 ||
	    store_needs_for_offer(ctx->store, family,
	    (int64_t)llround(ops_num(o, "price") * 100), all, streets,
	    match_input_add_need, &mi, err) == -1 ? -1 : 0;
	cJSON_free(streets);
	if (idx == -1)
		goto out;
	if (offer_obj_add(&mi, ctx->store, o, err) == -1 ||
	    match_input_caps(&mi, ctx->store, ops_this_year(), 0, err) == -1)
		goto out;
	if (matcher_candidates(&mi.in, &cands) == -1) {
		error_set(err, ERR_INTERNAL, NULL, "the matcher failed");
		goto out;
	}
	if ((sg = calloc(cands.n + 1, sizeof(*sg))) == NULL) {
		ops_oom(err);
		goto out;
	}
	idx = match_input_offer(&mi, (int64_t)ops_num(o, "id"));
	for (i = 0; i < cands.n; i++) {
		if (cands.c[i].offer != idx)
			continue;
		sg[n].c = &cands.c[i];
		sg[n].need_id = mi.needs[cands.c[i].need].id;
		sg[n].offer_id = mi.offers[cands.c[i].offer].id;
		sg[n].price = mi.offers[cands.c[i].offer].price_fen;
		n++;
	}
	qsort(sg, n, sizeof(*sg), suggestion_cmp);
	if ((*result = cJSON_CreateObject()) == NULL ||
	    (items = cJSON_AddArrayToObject(*result, "items")) == NULL) {
		ops_oom(err);
		goto out;
	}
	for (i = 0; i < n && (long long)i < limit; i++) {
		if ((it = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddNumberToObject(it, "need", (double)sg[i].need_id);
		cJSON_AddNumberToObject(it, "offer", (double)sg[i].offer_id);
		cJSON_AddStringToObject(it, "community", intern_str(
		    mi.communities, mi.needs[sg[i].c->need].community));
		cJSON_AddStringToObject(it, "org", intern_str(mi.orgs,
		    mi.offers[sg[i].c->offer].org));
		cJSON_AddNumberToObject(it, "price", sg[i].price / 100.0);
		cJSON_AddNumberToObject(it, "score",
		    sg[i].c->score.total / 100.0);
		cJSON_AddItemToObject(it, "breakdown",
		    breakdown(&sg[i].c->score));
		cJSON_AddItemToArray(items, it);
	}
	rc = 0;
out:
	free(sg);
	matcher_cands_free(&cands);
	match_input_free(&mi);
	return rc;
}

int
op_match_suggest(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	int		 is_offer = args_has(args, "offer");
	long long	 id = args_int(args, is_offer ? "offer" : "need", 0);
	long long	 limit = args_int(args, "limit", 10);
	const char	*owner;
	cJSON		*obj;
	int		 rc;

	if (is_offer == args_has(args, "need"))
		return error_set(err, ERR_INVALID_ARGUMENT, "need", "name "
		    "either a need or an offer");
	ops_object_id(ctx, id);
	rc = is_offer ? store_offer_get(ctx->store, id, &obj, err) :
	    store_need_get(ctx->store, id, &obj, err);
	if (rc == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, is_offer ? "offer" : "need",
		    "there is no %s %lld", is_offer ? "offer" : "need", id);
	owner = ops_str(obj, is_offer ? "org" : "community");
	if (((ctx->who->role & (ROLE_COMMUNITY | ROLE_ORG)) &&
	    ((ctx->who->role == ROLE_ORG) != is_offer ||
	    strcmp(owner, ctx->who->acct.code) != 0)) ||
	    (ctx->who->role == ROLE_ORGANIZER &&
	    !suggest_in_scope(ctx, obj, is_offer))) {
		cJSON_Delete(obj);
		return error_set(err, ERR_FORBIDDEN, NULL, "suggestions for "
		    "this %s are for its owner, its street's organizer and the "
		    "admin", is_offer ? "offer" : "need");
	}
	/* A need is answered from the index of open offers. */
	assert(is_offer || ctx->sindex != NULL);
	rc = is_offer ? suggest_for_offer(ctx, obj, limit, result, err) :
	    suggest_for_need(ctx, obj, (int)limit, result, err);
	cJSON_Delete(obj);
	return rc;
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
	/* Each list as one JSON array, written by one statement: a fair of
	 * 50,000 needs leaves 40,000 unmatched, and this runs on the loop. */
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

/* Store a run's pairs and summary as run `run` of fair. */
static int
fair_store_run(struct op_ctx *ctx, int64_t fair, int run, const char *algo,
    const struct match_input *mi, const struct matcher_result *r,
    cJSON **summary, struct error *err)
{
	struct json_buf		 b;
	cJSON			*capped;
	char			*rows;
	size_t			 i, eligible = 0;
	int			 k, rc;

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
		cJSON_AddItemToArray(capped, cJSON_CreateString(intern_str(
		    mi->communities, r->capped[i])));
	cJSON_AddBoolToObject(*summary, "exact", r->exact);
	if (store_run_insert(ctx->store, fair, run, algo, *summary, err) == -1)
		return -1;
	if (fair_store_unmatched(ctx, fair, run, mi, r, err) == -1)
		return -1;
	/* The pairs as one JSON array of rows, written by one statement (a
	 * statement per pair costs 13 us each on the loop thread). */
	json_buf_init(&b);
	json_buf_raw(&b, "[", 1);
	for (i = 0; i < r->nmatches; i++) {
		const struct matcher_match *x = &r->matches[i];
		const int32_t v[] = { x->score.total, x->score.category,
		    x->score.budget, x->score.text, x->score.library,
		    x->score.locality };

		json_buf_raw(&b, i ? ",[" : "[", i ? 2 : 1);
		json_buf_number(&b, (double)mi->needs[x->need].id);
		json_buf_raw(&b, ",", 1);
		json_buf_number(&b, (double)mi->offers[x->offer].id);
		json_buf_raw(&b, ",", 1);
		json_buf_string(&b, intern_str(mi->communities,
		    mi->needs[x->need].community));
		json_buf_raw(&b, ",", 1);
		json_buf_string(&b, intern_str(mi->orgs,
		    mi->offers[x->offer].org));
		for (k = 0; k < 6; k++) {
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
 * fair.match, the long part (on a reader thread, over a snapshot): read
 * the fair's enrolled needs and offers, its pairs and the caps, and run
 * the matcher.  The run is written by op_fair_match.
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
	    match_input_init(&fr->mi, ctx->conf, err) == -1 ||
	    store_needs_each(ctx->store, fr->fid, match_input_add_need,
	    &fr->mi, err) == -1 ||
	    store_offers_each(ctx->store, fr->fid, match_input_add_offer,
	    &fr->mi, err) == -1 ||
	    match_input_pairs(&fr->mi, ctx->store, fr->fid, err) == -1 ||
	    match_input_caps(&fr->mi, ctx->store, atoi(ops_str(fair, "date")),
	    fr->fid, err) == -1)
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

/* fair.match, the write (on the loop): store what compute found as the
 * fair's next run. */
int
op_fair_match(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct fair_run	*fr = ctx->state;
	int		 run;

	(void)args;
	ops_object_id(ctx, fr->fid);
	if (store_run_last(ctx->store, fr->fid, &run, err) == -1 ||
	    fair_store_run(ctx, fr->fid, run + 1, fr->algo, &fr->mi, &fr->r,
	    result, err) == -1)
		return -1;
	return 0;
}

int
op_fair_matches(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*community = NULL, *org = NULL;
	cJSON		*fair, *items = NULL, *needs = NULL, *offers = NULL, *u;
	int64_t		 fid;
	int		 run, last;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	fid = (int64_t)ops_num(fair, "id");
	if (ctx->who->role == ROLE_COMMUNITY)
		community = ctx->who->acct.code;
	else if (ctx->who->role == ROLE_ORG)
		org = ctx->who->acct.code;
	else if (!ops_fair_in_scope(ctx, fair)) {
		error_set(err, ERR_FORBIDDEN, NULL, "fair %lld is outside your "
		    "street", (long long)fid);
		goto fail;
	}
	if (store_run_last(ctx->store, fid, &last, err) == -1)
		goto fail;
	run = (int)args_int(args, "run", last);
	if (run > last || (args_has(args, "run") && run < 1)) {
		error_set(err, ERR_NOT_FOUND, "run", "fair %lld has %d runs",
		    (long long)fid, last);
		goto fail;
	}
	if (store_matches_list(ctx->store, fid, run, community, org, &items,
	    err) == -1 || store_unmatched(ctx->store, fid, run, community, org,
	    &needs, &offers, err) == -1)
		goto fail;
	if ((*result = cJSON_CreateObject()) == NULL)
		goto oom;
	if (run > 0)
		cJSON_AddNumberToObject(*result, "run", run);
	else
		cJSON_AddNullToObject(*result, "run");
	cJSON_AddItemToObject(*result, "items", items);
	items = NULL;
	if ((u = cJSON_AddObjectToObject(*result, "unmatched")) == NULL)
		goto oom;
	cJSON_AddItemToObject(u, "needs", needs);
	cJSON_AddItemToObject(u, "offers", offers);
	cJSON_Delete(fair);
	return 0;
oom:
	ops_oom(err);
fail:
	cJSON_Delete(items);
	cJSON_Delete(needs);
	cJSON_Delete(offers);
	cJSON_Delete(fair);
	return -1;
}
