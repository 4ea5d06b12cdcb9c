/*
 * ops_needs.c: communities' needs (need.post/get/list/update/withdraw).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "daemon/domain/events.h"
#include "daemon/ops/ops.h"

/*
 * Check that every partner is an existing community other than the poster.
 */
static int
need_check_partners(struct op_ctx *ctx, const char *community,
    const cJSON *partners, struct error *err)
{
	const cJSON	*p;
	cJSON		*c;
	int		 rc;

	cJSON_ArrayForEach(p, partners) {
		if (strcmp(p->valuestring, community) == 0)
			return error_set(err, ERR_INVALID_ARGUMENT, "partners",
			    "partners lists the other communities that share "
			    "the need, not %s itself", community);
		rc = store_community_get(ctx->store, p->valuestring, &c, err);
		if (rc == -1)
			return -1;
		cJSON_Delete(c);
		if (rc == 1)
			return error_set(err, ERR_INVALID_ARGUMENT, "partners",
			    "partner community %s does not exist",
			    p->valuestring);
	}
	return 0;
}

/* Copy the postable fields present in args onto need. */
static void
need_apply(cJSON *need, const cJSON *args)
{
	static const char *const fields[] = { "title", "category", "budget",
	    "description", "beneficiaries", "partners", "window" };
	const cJSON	*w;
	size_t		 i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (args_has(args, fields[i]))
			ops_set_dup(need, fields[i], args_get(args, fields[i]));
	/* The year of a need is the year its window opens, else this year. */
	w = cJSON_GetObjectItemCaseSensitive(need, "window");
	if (cJSON_IsObject(w))
		ops_set(need, "year", cJSON_CreateNumber(atoi(
		    cJSON_GetObjectItemCaseSensitive(w, "from")->valuestring)));
}

/* Load need id for its owner (or the admin); not_found / forbidden. */
static int
need_load_owned(struct op_ctx *ctx, const cJSON *args, cJSON **need,
    struct error *err)
{
	long long	 id = args_int(args, "id", 0);
	const char	*owner;
	int		 rc;

	ops_object_id(ctx, id);
	if ((rc = store_need_get(ctx->store, id, need, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "id", "there is no need "
		    "%lld", id);
	owner = ops_str(*need, "community");
	if (!ops_is_admin(ctx) && strcmp(owner, ctx->who->acct.code) != 0) {
		error_set(err, ERR_FORBIDDEN, NULL, "need %lld belongs to "
		    "community %s; only it may change it", id, owner);
		cJSON_Delete(*need);
		*need = NULL;
		return -1;
	}
	return 0;
}

static const char *
need_status(const cJSON *need)
{
	return cJSON_GetObjectItemCaseSensitive(need, "status")->valuestring;
}

/* Read need id back and wrap it as {"need": …}. */
static int
need_result(struct op_ctx *ctx, int64_t id, cJSON **result,
    struct error *err)
{
	cJSON *n;

	if (store_need_get(ctx->store, id, &n, err) != 0)
		return error_set(err, ERR_INTERNAL, NULL, "need %lld vanished",
		    (long long)id);
	if ((*result = ops_wrap("need", n)) == NULL)
		return ops_oom(err);
	return 0;
}

int
op_need_post(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*community = args_str(args, "community", NULL);
	const char	*ref = args_str(args, "ref", NULL);
	const cJSON	*partners = args_get(args, "partners");
	cJSON		*c = NULL, *n = NULL, *old;
	int64_t		 id;
	int		 rc;

	if (!ops_is_admin(ctx)) {
		if (community && strcmp(community, ctx->who->acct.code) != 0)
			return error_set(err, ERR_FORBIDDEN, "community",
			    "a community posts only its own needs");
		community = ctx->who->acct.code;
	} else if (community == NULL)
		return error_set(err, ERR_INVALID_ARGUMENT, "community",
		    "community is required when the admin posts a need");
	ops_object_code(ctx, community);
	if (ref != NULL) {
		rc = store_need_by_ref(ctx->store, community, ref, &old, err);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			/* Posted before: answer with what is stored. */
			ops_object_id(ctx, (long long)cJSON_GetObjectItem(old,
			    "id")->valuedouble);
			*result = ops_wrap("need", old);
			return *result ? 0 : ops_oom(err);
		}
	}
	/* A community's own street is in its principal; the admin names one. */
	if (ops_is_admin(ctx)) {
		if ((rc = store_community_get(ctx->store, community, &c,
		    err)) == -1)
			return -1;
		if (rc == 1)
			return error_set(err, ERR_NOT_FOUND, "community",
			    "there is no community %s", community);
	}
	if (partners && need_check_partners(ctx, community, partners,
	    err) == -1)
		goto fail;
	if ((n = cJSON_CreateObject()) == NULL)
		goto oom;
	ops_add(n, "community", cJSON_CreateString(community));
	ops_add(n, "partners", cJSON_CreateArray());
	if (c != NULL)
		ops_add(n, "street", cJSON_Duplicate(cJSON_GetObjectItem(c,
		    "street"), 1));
	else
		ops_add(n, "street", cJSON_CreateString(ctx->who->acct.street));
	ops_add(n, "description", cJSON_CreateString(""));
	ops_add(n, "beneficiaries", cJSON_CreateNumber(0));
	ops_add(n, "window", cJSON_CreateNull());
	ops_add(n, "year", cJSON_CreateNumber(ops_this_year()));
	ops_add(n, "status", cJSON_CreateString("open"));
	if (ref)
		ops_add(n, "ref", cJSON_CreateString(ref));
	need_apply(n, args);
	if (store_need_insert(ctx->store, n, &id, err) == -1 ||
	    events_need_posted(ctx->store, n, err) == -1)
		goto fail;
	ops_object_id(ctx, id);
	cJSON_Delete(c);
	/* The completed record is the answer: n passes to the result. */
	*result = ops_wrap("need", n);
	return *result ? 0 : ops_oom(err);
oom:
	ops_oom(err);
fail:
	cJSON_Delete(c);
	cJSON_Delete(n);
	return -1;
}

int
op_need_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	long long	 id = args_int(args, "id", 0);
	char		*text;
	int		 rc;

	ops_object_id(ctx, id);
	/* Printed from the row: a read builds no tree of the record. */
	if ((rc = store_need_get_text(ctx->store, id, &text, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "id", "there is no need "
		    "%lld", id);
	*result = ops_wrap("need", cJSON_CreateRaw(text));
	free(text);
	return *result ? 0 : ops_oom(err);
}

int
op_need_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct list_filter f;

	ops_list_filter(args, &f);
	f.owner = args_str(args, "community", NULL);
	return store_need_list(ctx->store, &f, result, err);
}

int
op_need_update(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*n;
	int64_t	 id;

	if (need_load_owned(ctx, args, &n, err) == -1)
		return -1;
	id = (int64_t)args_int(args, "id", 0);
	if (strcmp(need_status(n), "open") != 0) {
		error_set(err, ERR_CONFLICT, NULL, "need %lld is %s and can no "
		    "longer be changed", (long long)id, need_status(n));
		goto fail;
	}
	if (args_has(args, "partners") && need_check_partners(ctx,
	    cJSON_GetObjectItem(n, "community")->valuestring,
	    args_get(args, "partners"), err) == -1)
		goto fail;
	need_apply(n, args);
	if (store_need_update(ctx->store, n, err) == -1)
		goto fail;
	cJSON_Delete(n);
	return need_result(ctx, id, result, err);
fail:
	cJSON_Delete(n);
	return -1;
}

int
op_need_withdraw(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*n;
	int64_t	 id;

	if (need_load_owned(ctx, args, &n, err) == -1)
		return -1;
	id = (int64_t)args_int(args, "id", 0);
	if (strcmp(need_status(n), "withdrawn") == 0) {
		error_set(err, ERR_CONFLICT, NULL, "need %lld is already "
		    "withdrawn", (long long)id);
		goto fail;
	}
	if (strcmp(need_status(n), "matched") == 0) {
		error_set(err, ERR_CONFLICT, NULL, "need %lld is matched to a "
		    "confirmed project and cannot be withdrawn", (long long)id);
		goto fail;
	}
	ops_set(n, "status", cJSON_CreateString("withdrawn"));
	if (store_need_update(ctx->store, n, err) == -1)
		goto fail;
	cJSON_Delete(n);
	return need_result(ctx, id, result, err);
fail:
	cJSON_Delete(n);
	return -1;
}
