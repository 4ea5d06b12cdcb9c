/*
 * ops_suggest.c: suggestions (match.suggest), through the suggestion index
 * for a need and the matcher's candidates for an offer.  Suggestions keep
 * the family rule and no least score: they show alternatives.  Caps are
 * those of each need's own year.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/caps.h"
#include "daemon/domain/match_input.h"
#include "daemon/domain/suggest_index.h"
#include "daemon/ops/ops.h"
#include "daemon/store/store_scan.h"
#include "protocol/json_print.h"

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
	streets = json_print(args_get(o, "streets"), NULL);
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
	r.in_library = cJSON_IsTrue(args_get(o, "in_library"));
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
	cJSON_ArrayForEach(c, args_get(obj, "streets"))
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
 * Suggestions for need n from the index of open offers x: the same
 * filters and scores as the matcher's candidates, without reading every
 * offer.
 */
static int
suggest_for_need(struct op_ctx *ctx, struct suggest_index *x, const cJSON *n,
    int limit, cJSON **result, struct error *err)
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
	    (int)ops_num(n, "year"), codes, sn.left, err)) == -1)
		goto out;
	/* Only an open need is a candidate for anything. */
	got = strcmp(ops_str(n, "status"), "open") != 0 ? 0 :
	    suggest_index_for_need(x, ctx->store, ctx->conf, &sn, limit, sg,
	    err);
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
	const char		*cat = ops_str(o, "category"), *dot;
	char			 family[TAX_NAME_MAX + 1], *streets;
	size_t			 i, n = 0;
	int			 idx, all = 0, rc = -1;

	memset(&cands, 0, sizeof(cands));
	memset(&mi, 0, sizeof(mi));
	/* Only the needs the offer could serve, as the matcher's candidates
	 * (matcher/cand.c): its family, a budget of at least its price, a
	 * street it serves.  SQLite drops the others before they are read
	 * into C: a city's million needs took seconds. */
	dot = strchr(cat, '.');
	snprintf(family, sizeof(family), "%.*s", dot ? (int)(dot - cat) :
	    (int)strlen(cat), cat);
	cJSON_ArrayForEach(st, cJSON_GetObjectItem(o, "streets"))
		if (cJSON_IsString(st) && strcmp(st->valuestring, "*") == 0)
			all = 1;
	if ((streets = json_print(cJSON_GetObjectItem(o, "streets"),
	    NULL)) == NULL) {
		ops_oom(err);
		goto out;
	}
	idx = match_input_init(&mi, ctx->conf, err) == -1 ||
	    store_needs_for_offer(ctx->store, family, (int64_t)llround(
	    ops_num(o, "price") * 100), all, streets, match_input_add_need,
	    &mi, err) == -1 ? -1 : 0;
	cJSON_free(streets);
	if (idx == -1 || offer_obj_add(&mi, ctx->store, o, err) == -1 ||
	    match_input_caps(&mi, ctx->store, 0, err) == -1)
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
		cJSON_AddStringToObject(it, "community",
		    match_input_community(&mi, sg[i].c->need));
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

/*
 * On a reader (OP_INDEX: the loop's index has a burst of offer writes to
 * read again): suggestions for need n from an index of this snapshot's
 * open offers, read for this request (0.3 s at 100,000 offers; the loop's
 * is read again meanwhile on another reader, core/jobs.c).
 */
static int
suggest_own_index(struct op_ctx *ctx, const cJSON *n, int limit,
    cJSON **result, struct error *err)
{
	struct suggest_index	*x;
	int			 rc = -1;

	if ((x = suggest_index_new()) == NULL)
		return ops_oom(err);
	if (suggest_index_build(x, ctx->store, ctx->conf, err) == 0)
		rc = suggest_for_need(ctx, x, n, limit, result, err);
	suggest_index_free(x);
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
	rc = store_record_get(ctx->store, is_offer ? STORE_OFFER : STORE_NEED,
	    id, &obj, err);
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
	if (is_offer)
		rc = suggest_for_offer(ctx, obj, limit, result, err);
	else if (ctx->sindex != NULL)
		/* A need is answered from the loop's index of open offers. */
		rc = suggest_for_need(ctx, ctx->sindex, obj, (int)limit,
		    result, err);
	else
		rc = suggest_own_index(ctx, obj, (int)limit, result, err);
	cJSON_Delete(obj);
	return rc;
}

