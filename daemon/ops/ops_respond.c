/*
 * ops_respond.c: answering matches (match.respond: a confirmed pair
 * becomes a project, ops_projects.c) and closing fairs (fair.close).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/caps.h"
#include "daemon/ops/projects.h"

/* Both sides accepted: the need is matched, the offer serves one more. */
static int
respond_confirm(struct op_ctx *ctx, const cJSON *match, struct error *err)
{
	cJSON	*need = NULL, *offer = NULL;
	int	 remaining, rc = -1;

	if (store_record_get(ctx->store, STORE_NEED, (int64_t)ops_num(match,
	    "need"), &need, err) != 0 || store_record_get(ctx->store,
	    STORE_OFFER, (int64_t)ops_num(match, "offer"), &offer, err) != 0)
		goto out;
	if (strcmp(ops_str(need, "status"), "open") != 0) {
		error_set(err, ERR_CONFLICT, NULL, "need %lld is %s already",
		    (long long)ops_num(need, "id"), ops_str(need, "status"));
		goto out;
	}
	remaining = (int)ops_num(offer, "remaining");
	if (strcmp(ops_str(offer, "status"), "withdrawn") == 0 ||
	    remaining < 1) {
		error_set(err, ERR_CONFLICT, NULL, "offer %lld has no capacity "
		    "left", (long long)ops_num(offer, "id"));
		goto out;
	}
	/* The cap of the need's year: the project reserves from now on. */
	if (caps_check(ctx->store, need, (int64_t)llround(ops_num(match,
	    "amount") * 100), (int)ops_num(need, "year"), err) == -1)
		goto out;
	rc = project_take(ctx, need, offer, err);
out:
	cJSON_Delete(need);
	cJSON_Delete(offer);
	return rc;
}

int
op_match_respond(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	long long	 id = args_int(args, "match", 0);
	int		 accept = strcmp(args_str(args, "decision", ""),
			    "accept") == 0;
	int64_t		 project;
	int		 is_comm, rc, last;
	const char	*st, *next;
	cJSON		*m = NULL, *fair = NULL, *out;

	ops_object_id(ctx, id);
	if ((rc = store_match_get(ctx->store, id, &m, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "match", "there is no "
		    "match %lld", id);
	is_comm = ctx->who->role == ROLE_COMMUNITY;
	if (!(is_comm && strcmp(ops_str(m, "community"),
	    ctx->who->acct.code) == 0) && !(ctx->who->role == ROLE_ORG &&
	    strcmp(ops_str(m, "org"), ctx->who->acct.code) == 0)) {
		error_set(err, ERR_FORBIDDEN, NULL, "match %lld is answered by "
		    "community %s and organisation %s only", id,
		    ops_str(m, "community"), ops_str(m, "org"));
		goto fail;
	}
	if (store_fair_get(ctx->store, (int64_t)ops_num(m, "fair"), &fair,
	    err) != 0 || store_run_last(ctx->store, (int64_t)ops_num(m,
	    "fair"), &last, err) == -1)
		goto fail;
	st = ops_str(m, "status");
	if (strcmp(ops_str(fair, "status"), "open") != 0) {
		error_set(err, ERR_CONFLICT, NULL, "fair %lld is closed",
		    (long long)ops_num(fair, "id"));
		goto fail;
	}
	if ((int)ops_num(m, "run") != last) {
		error_set(err, ERR_CONFLICT, NULL, "match %lld belongs to run "
		    "%d, replaced by run %d; answer the latest run", id,
		    (int)ops_num(m, "run"), last);
		goto fail;
	}
	if (strcmp(st, "confirmed") == 0 || strcmp(st, "declined") == 0) {
		error_set(err, ERR_CONFLICT, NULL, "match %lld is %s; that is "
		    "final", id, st);
		goto fail;
	}
	if (!accept)
		next = "declined";
	else if (strcmp(st, is_comm ? "accepted_by_org" :
	    "accepted_by_community") == 0)
		next = "confirmed";
	else
		next = is_comm ? "accepted_by_community" : "accepted_by_org";
	if (strcmp(next, "confirmed") == 0 &&
	    respond_confirm(ctx, m, err) == -1)
		goto fail;
	if (store_match_set_status(ctx->store, id, next, err) == -1)
		goto fail;
	/* A confirmed pair is a project from now on, in deliberation. */
	if (strcmp(next, "confirmed") == 0 && project_open(ctx,
	    (int64_t)ops_num(m, "need"), (int64_t)ops_num(m, "offer"), id,
	    llround(ops_num(m, "amount") * 100), &project, err) == -1)
		goto fail;
	if (store_match_get(ctx->store, id, &out, err) != 0)
		goto fail;
	cJSON_Delete(m);
	cJSON_Delete(fair);
	*result = ops_wrap("match", out);
	return *result ? 0 : ops_oom(err);
fail:
	cJSON_Delete(m);
	cJSON_Delete(fair);
	return -1;
}

int
op_fair_close(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*fair, *out;
	int64_t	 id;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	id = (int64_t)ops_num(fair, "id");
	if (ops_fair_runnable(ctx, fair, err) == -1 ||
	    store_fair_set_status(ctx->store, id, "closed", err) == -1) {
		cJSON_Delete(fair);
		return -1;
	}
	cJSON_Delete(fair);
	if (store_fair_get(ctx->store, id, &out, err) != 0)
		return -1;
	*result = ops_wrap("fair", out);
	return *result ? 0 : ops_oom(err);
}
