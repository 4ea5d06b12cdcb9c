/*
 * ops_offers.c: organisations' offers (offer.post/get/list/update/withdraw)
 * and the library of proven local projects (library.set).
 */
#include <stdio.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/ops/offer_area.h"
#include "daemon/ops/ops.h"

/*
 * The joint-application rule: a filed organisation names a registered one
 * as partner; any partner must be a registered organisation other than
 * the offering one.  partner may be NULL.
 */
static int
offer_check_partner(struct op_ctx *ctx, const cJSON *org, const char *partner,
    struct error *err)
{
	const char	*code = ops_str(org, "code");
	cJSON		*p;
	int		 rc, registered;

	if (partner == NULL) {
		if (strcmp(ops_str(org, "kind"), "filed") == 0)
			return error_set(err, ERR_INVALID_ARGUMENT, "partner",
			    "%s is a filed community organisation: its offer "
			    "must name a registered social organisation as "
			    "partner (joint application)", code);
		return 0;
	}
	if (strcmp(partner, code) == 0)
		return error_set(err, ERR_INVALID_ARGUMENT, "partner", "an "
		    "organisation cannot be its own partner");
	if ((rc = store_org_get(ctx->store, partner, &p, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_INVALID_ARGUMENT, "partner",
		    "partner organisation %s does not exist", partner);
	registered = strcmp(ops_str(p, "kind"), "registered") == 0;
	cJSON_Delete(p);
	if (!registered)
		return error_set(err, ERR_INVALID_ARGUMENT, "partner",
		    "partner %s is not a registered social organisation",
		    partner);
	return 0;
}

static int
offer_result(struct op_ctx *ctx, int64_t id, cJSON **result,
    struct error *err)
{
	cJSON *o;

	if (store_offer_get(ctx->store, id, &o, err) != 0)
		return error_set(err, ERR_INTERNAL, NULL, "offer %lld vanished",
		    (long long)id);
	if ((*result = ops_wrap("offer", o)) == NULL)
		return ops_oom(err);
	return 0;
}

/* Load offer id (by arg key) for its owner or the admin. */
static int
offer_load(struct op_ctx *ctx, const char *key, const cJSON *args,
    int owned, cJSON **offer, struct error *err)
{
	long long	 id = args_int(args, key, 0);
	const char	*owner;
	int		 rc;

	ops_object_id(ctx, id);
	if ((rc = store_offer_get(ctx->store, id, offer, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, key, "there is no offer "
		    "%lld", id);
	owner = ops_str(*offer, "org");
	if (owned && !ops_is_admin(ctx) &&
	    strcmp(owner, ctx->who->acct.code) != 0) {
		error_set(err, ERR_FORBIDDEN, NULL, "offer %lld belongs to "
		    "organisation %s; only it may change it", id, owner);
		cJSON_Delete(*offer);
		*offer = NULL;
		return -1;
	}
	return 0;
}

int
op_offer_post(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	static const char *const fields[] = { "title", "category", "price",
	    "description", "streets" };
	const char	*code = args_str(args, "org", NULL);
	const char	*ref = args_str(args, "ref", NULL);
	const char	*partner = args_str(args, "partner", NULL);
	cJSON		*org = NULL, *o = NULL, *old;
	long long	 cap = args_int(args, "capacity", 1);
	int64_t		 id;
	size_t		 i;
	int		 rc;

	if (!ops_is_admin(ctx)) {
		if (code && strcmp(code, ctx->who->acct.code) != 0)
			return error_set(err, ERR_FORBIDDEN, "org", "an "
			    "organisation posts only its own offers");
		code = ctx->who->acct.code;
	} else if (code == NULL)
		return error_set(err, ERR_INVALID_ARGUMENT, "org", "org is "
		    "required when the admin posts an offer");
	ops_object_code(ctx, code);
	if (ref != NULL) {
		if ((rc = store_offer_by_ref(ctx->store, code, ref, &old,
		    err)) == -1)
			return -1;
		if (rc == 0) {
			ops_object_id(ctx, (long long)ops_num(old, "id"));
			*result = ops_wrap("offer", old);
			return *result ? 0 : ops_oom(err);
		}
	}
	if ((rc = store_org_get(ctx->store, code, &org, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "org", "there is no "
		    "organisation %s", code);
	if (offer_check_partner(ctx, org, partner, err) == -1 ||
	    offer_area_check(org, args_get(args, "streets"), err) == -1)
		goto fail;
	if ((o = cJSON_CreateObject()) == NULL) {
		ops_oom(err);
		goto fail;
	}
	cJSON_AddStringToObject(o, "org", code);
	if (partner)
		cJSON_AddStringToObject(o, "partner", partner);
	else
		cJSON_AddNullToObject(o, "partner");
	/* streets defaults to the organisation's service area. */
	ops_set_dup(o, "streets", cJSON_GetObjectItem(org, "streets"));
	cJSON_AddStringToObject(o, "description", "");
	cJSON_AddNumberToObject(o, "capacity", (double)cap);
	cJSON_AddNumberToObject(o, "remaining", (double)cap);
	cJSON_AddFalseToObject(o, "in_library");
	cJSON_AddStringToObject(o, "status", "open");
	if (ref)
		cJSON_AddStringToObject(o, "ref", ref);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (args_has(args, fields[i]))
			ops_set_dup(o, fields[i], args_get(args, fields[i]));
	if (store_offer_insert(ctx->store, o, &id, err) == -1 ||
	    events_offer_posted(ctx->store, o, err) == -1)
		goto fail;
	ops_object_id(ctx, id);
	cJSON_Delete(org);
	/* The completed record is the answer: o passes to the result. */
	*result = ops_wrap("offer", o);
	return *result ? 0 : ops_oom(err);
fail:
	cJSON_Delete(org);
	cJSON_Delete(o);
	return -1;
}

int
op_offer_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON *o;

	if (offer_load(ctx, "id", args, 0, &o, err) == -1)
		return -1;
	*result = ops_wrap("offer", o);
	return *result ? 0 : ops_oom(err);
}

int
op_offer_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct list_filter f;

	ops_list_filter(args, &f);
	f.owner = args_str(args, "org", NULL);
	return store_offer_list(ctx->store, &f, result, err);
}

int
op_offer_update(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	static const char *const fields[] = { "title", "category", "price",
	    "description", "streets", "partner" };
	cJSON		*o, *org = NULL;
	int64_t		 id = (int64_t)args_int(args, "id", 0);
	long long	 cap, used;
	size_t		 i;

	if (offer_load(ctx, "id", args, 1, &o, err) == -1)
		return -1;
	if (strcmp(ops_str(o, "status"), "withdrawn") == 0) {
		error_set(err, ERR_CONFLICT, NULL, "offer %lld is withdrawn "
		    "and can no longer be changed", (long long)id);
		goto fail;
	}
	if (args_has(args, "partner") || args_has(args, "streets")) {
		if (store_org_get(ctx->store, ops_str(o, "org"), &org,
		    err) != 0 || (args_has(args, "partner") &&
		    offer_check_partner(ctx, org, args_str(args, "partner",
		    NULL), err) == -1) || offer_area_check(org,
		    args_get(args, "streets"), err) == -1)
			goto fail;
	}
	/* Capacity: what is already used stays used. */
	used = (long long)ops_num(o, "capacity") -
	    (long long)ops_num(o, "remaining");
	cap = args_int(args, "capacity", (long long)ops_num(o, "capacity"));
	if (cap < used) {
		error_set(err, ERR_CONFLICT, "capacity", "offer %lld already "
		    "serves %lld needs; capacity cannot go below that",
		    (long long)id, used);
		goto fail;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (args_has(args, fields[i]))
			ops_set_dup(o, fields[i], args_get(args, fields[i]));
	ops_set(o, "capacity", cJSON_CreateNumber((double)cap));
	ops_set(o, "remaining", cJSON_CreateNumber((double)(cap - used)));
	ops_set(o, "status", cJSON_CreateString(cap > used ? "open" : "full"));
	if (store_offer_update(ctx->store, o, err) == -1)
		goto fail;
	cJSON_Delete(o);
	cJSON_Delete(org);
	return offer_result(ctx, id, result, err);
fail:
	cJSON_Delete(o);
	cJSON_Delete(org);
	return -1;
}

int
op_offer_withdraw(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*o;
	int64_t	 id = (int64_t)args_int(args, "id", 0);

	if (offer_load(ctx, "id", args, 1, &o, err) == -1)
		return -1;
	if (strcmp(ops_str(o, "status"), "withdrawn") == 0) {
		error_set(err, ERR_CONFLICT, NULL, "offer %lld is already "
		    "withdrawn", (long long)id);
		goto fail;
	}
	if (ops_num(o, "remaining") < ops_num(o, "capacity")) {
		error_set(err, ERR_CONFLICT, NULL, "offer %lld has confirmed "
		    "matches and cannot be withdrawn", (long long)id);
		goto fail;
	}
	ops_set(o, "status", cJSON_CreateString("withdrawn"));
	if (store_offer_update(ctx->store, o, err) == -1)
		goto fail;
	cJSON_Delete(o);
	return offer_result(ctx, id, result, err);
fail:
	cJSON_Delete(o);
	return -1;
}

int
op_library_set(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*o;
	int64_t	 id = (int64_t)args_int(args, "offer", 0);

	if (offer_load(ctx, "offer", args, 0, &o, err) == -1)
		return -1;
	ops_set(o, "in_library", cJSON_CreateBool(args_bool(args,
	    "in_library", 0)));
	if (store_offer_update(ctx->store, o, err) == -1) {
		cJSON_Delete(o);
		return -1;
	}
	cJSON_Delete(o);
	return offer_result(ctx, id, result, err);
}
