/*
 * ops_interests.c: what the parties of a fair say about pairs before its
 * runs (fair.interest) and reading them back (fair.interests).
 *
 * A community speaks of an offer, for one of its needs or (need absent)
 * all of them; an organisation of a need, for one of its offers or all of
 * them.  match_interests.c resolves the rows into the matcher's levels.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/domain/match_input.h"
#include "daemon/ops/ops.h"

/* What fair.interest looks for among the fair's enrolled needs or offers. */
struct interest_find {
	int64_t		 id;
	int		 found;
	char		 owner[64];	/* its community or org */
};

static int
interest_find_need(void *arg, const struct store_need_row *r,
    struct error *err)
{
	struct interest_find *f = arg;

	(void)err;
	if (r->id == f->id) {
		f->found = 1;
		snprintf(f->owner, sizeof(f->owner), "%s", r->community);
	}
	return 0;
}

static int
interest_find_offer(void *arg, const struct store_offer_row *r,
    struct error *err)
{
	struct interest_find *f = arg;

	(void)err;
	if (r->id == f->id) {
		f->found = 1;
		snprintf(f->owner, sizeof(f->owner), "%s", r->org);
	}
	return 0;
}

/*
 * Check that need (offer) id is enrolled in fair and, when mine, that it
 * is the caller's own.  0, or -1 with err set naming key.
 */
static int
interest_subject(struct op_ctx *ctx, int64_t fair, const char *key,
    int64_t id, int mine, struct error *err)
{
	struct interest_find	 f;
	int			 rc;

	memset(&f, 0, sizeof(f));
	f.id = id;
	rc = strcmp(key, "need") == 0 ? store_needs_each(ctx->store, fair,
	    interest_find_need, &f, err) : store_offers_each(ctx->store,
	    fair, interest_find_offer, &f, err);
	if (rc == -1)
		return -1;
	if (!f.found)
		return error_set(err, ERR_NOT_FOUND, key, "%s %lld is not "
		    "enrolled in fair %lld", key, (long long)id,
		    (long long)fair);
	if (mine && strcmp(f.owner, ctx->who->acct.code) != 0) {
		error_set(err, ERR_FORBIDDEN, key, "%s %lld is not yours", key,
		    (long long)id);
		return error_reason(err, "not_yours");
	}
	return 0;
}

int
op_fair_interest(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct store_interest	 in;
	const char		*level = args_str(args, "level", "none");
	int			 community = ctx->who->role == ROLE_COMMUNITY;
	cJSON			*fair, *ids = NULL, *o;
	int64_t			 fid;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	fid = (int64_t)ops_num(fair, "id");
	memset(&in, 0, sizeof(in));
	in.side = community ? "community" : "org";
	in.party = ctx->who->acct.code;
	in.need = args_int(args, "need", 0);
	in.offer = args_int(args, "offer", 0);
	in.level = strcmp(level, "none") == 0 ? NULL : level;
	if (strcmp(ops_str(fair, "status"), "open") != 0) {
		error_set(err, ERR_CONFLICT, NULL, "fair %lld is closed",
		    (long long)fid);
		error_reason(err, "fair_closed");
		goto fail;
	}
	/* A community names the offer, an org the need. */
	if ((community ? in.offer : in.need) == 0) {
		error_set(err, ERR_INVALID_ARGUMENT, community ? "offer" :
		    "need", "a %s names the %s it speaks of", in.side,
		    community ? "offer" : "need");
		goto fail;
	}
	if ((in.need && interest_subject(ctx, fid, "need", in.need, community,
	    err) == -1) || (in.offer && interest_subject(ctx, fid, "offer",
	    in.offer, !community, err) == -1))
		goto fail;
	if ((ids = cJSON_CreateArray()) == NULL) {
		ops_oom(err);
		goto fail;
	}
	if (store_interest_set(ctx->store, fid, &in, err) == -1 ||
	    (in.level != NULL && strcmp(in.level, "no") == 0 &&
	    (store_matches_supersede_pair(ctx->store, fid, in.need, in.offer,
	    community ? in.party : NULL, community ? NULL : in.party, ids,
	    err) == -1 || events_matches_superseded(ctx->store, ids,
	    community ? "社区表示不愿合作" : "服务组织表示不愿合作",
	    err) == -1)))
		goto fail;
	if ((*result = cJSON_CreateObject()) == NULL ||
	    (o = cJSON_AddObjectToObject(*result, "interest")) == NULL) {
		ops_oom(err);
		goto fail;
	}
	cJSON_AddNumberToObject(o, "fair", (double)fid);
	cJSON_AddStringToObject(o, "side", in.side);
	cJSON_AddStringToObject(o, "party", in.party);
	if (in.need)
		cJSON_AddNumberToObject(o, "need", (double)in.need);
	else
		cJSON_AddNullToObject(o, "need");
	if (in.offer)
		cJSON_AddNumberToObject(o, "offer", (double)in.offer);
	else
		cJSON_AddNullToObject(o, "offer");
	cJSON_AddStringToObject(o, "level", level);
	cJSON_AddItemToObject(*result, "superseded", ids);
	cJSON_Delete(fair);
	return 0;
fail:
	cJSON_Delete(*result);
	*result = NULL;
	cJSON_Delete(ids);
	cJSON_Delete(fair);
	return -1;
}

int
op_fair_interests(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*community = NULL, *org = NULL;
	cJSON		*fair, *items;
	int64_t		 fid;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	fid = (int64_t)ops_num(fair, "id");
	if (ops_fair_reader(ctx, fair, &community, &org, err) == -1) {
		cJSON_Delete(fair);
		return -1;
	}
	cJSON_Delete(fair);
	if (store_interests_list(ctx->store, fid, community, org, &items,
	    err) == -1)
		return -1;
	if ((*result = ops_wrap("items", items)) == NULL)
		return ops_oom(err);
	return 0;
}
