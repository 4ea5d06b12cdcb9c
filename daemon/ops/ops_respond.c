/*
 * ops_respond.c: answering matches (match.respond: a confirmed pair
 * becomes a project, ops_projects.c) and closing fairs (fair.close).
 *
 * A match's states (docs/protocol.md, "Statuses"):
 *
 *   proposed --(community accepts)--> accepted_by_community --+
 *   proposed --(org accepts)--------> accepted_by_org --------+--> confirmed
 *   proposed / accepted_by_* --(either declines)--> declined
 *   proposed / accepted_by_* --(its need or offer changes; another pair
 *	of its need, or the last capacity of its offer, is confirmed;
 *	another run is published)--> superseded
 *   proposed / accepted_by_* --(fair.close)--> expired
 *
 * Only the published run's live matches of an open fair are answered;
 * confirmed, declined, superseded and expired are final (a publication's
 * superseded return when their run is published again: ops_match.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/domain/caps.h"
#include "daemon/ops/projects.h"

/*
 * Both sides accepted: the need is matched, the offer serves one more, and
 * the other live matches of the need (and of the offer, when this took its
 * last capacity) are superseded, in every fair.  The amount counts against
 * the caps of the need's year, whatever the fair's date.
 */
static int
respond_confirm(struct op_ctx *ctx, const cJSON *match, struct error *err)
{
	cJSON	*need = NULL, *offer = NULL, *by_need, *by_offer;
	int	 remaining, rc = -1;

	if (store_record_get(ctx->store, STORE_NEED, (int64_t)ops_num(match,
	    "need"), &need, err) != 0 || store_record_get(ctx->store,
	    STORE_OFFER, (int64_t)ops_num(match, "offer"), &offer, err) != 0)
		goto out;
	if (strcmp(ops_str(need, "status"), "open") != 0) {
		error_set(err, ERR_CONFLICT, NULL, "need %lld is %s already",
		    (long long)ops_num(need, "id"), ops_str(need, "status"));
		error_reason(err, "need_not_open");
		goto out;
	}
	remaining = (int)ops_num(offer, "remaining");
	if (strcmp(ops_str(offer, "status"), "open") != 0 || remaining < 1) {
		error_set(err, ERR_CONFLICT, NULL, "offer %lld has no capacity "
		    "left", (long long)ops_num(offer, "id"));
		error_reason(err, "offer_not_open");
		goto out;
	}
	/* The cap of the need's year: the project reserves from now on. */
	if (caps_check(ctx->store, need, (int64_t)llround(ops_num(match,
	    "amount") * 100), (int)ops_num(need, "year"), err) == -1)
		goto out;
	/* The parties of the others hear why (match.superseded). */
	by_need = cJSON_CreateArray();
	by_offer = cJSON_CreateArray();
	if (by_need == NULL || by_offer == NULL)
		ops_oom(err);
	else
		rc = project_take(ctx, need, offer, err) == -1 ||
		    store_matches_supersede(ctx->store, STORE_LIVE_NEED,
		    (int64_t)ops_num(need, "id"), 0, (int64_t)ops_num(match,
		    "id"), by_need, err) == -1 || (remaining == 1 &&
		    store_matches_supersede(ctx->store, STORE_LIVE_OFFER,
		    (int64_t)ops_num(offer, "id"), 0, (int64_t)ops_num(match,
		    "id"), by_offer, err) == -1) ||
		    events_matches_superseded(ctx->store, by_need,
		    "需求已与其他服务确认", err) == -1 ||
		    events_matches_superseded(ctx->store, by_offer,
		    "服务项目名额已满", err) == -1 ? -1 : 0;
	cJSON_Delete(by_need);
	cJSON_Delete(by_offer);
out:
	cJSON_Delete(need);
	cJSON_Delete(offer);
	return rc;
}

/*
 * Whether match m (of fair, whose published run is published) may be
 * answered: 0, or -1 with err set (conflict, with a reason).
 */
static int
respond_answerable(const cJSON *m, const cJSON *fair, struct error *err)
{
	const char	*st = ops_str(m, "status");
	const cJSON	*pub = args_get(fair, "published_run");
	char		 reason[48];

	if (strcmp(ops_str(fair, "status"), "open") != 0) {
		error_set(err, ERR_CONFLICT, NULL, "fair %.0f is closed",
		    ops_num(fair, "id"));
		return error_reason(err, "fair_closed");
	}
	if (strcmp(st, "confirmed") == 0 || strcmp(st, "declined") == 0 ||
	    strcmp(st, "superseded") == 0 || strcmp(st, "expired") == 0) {
		error_set(err, ERR_CONFLICT, NULL, "match %.0f is %s; that is "
		    "final", ops_num(m, "id"), st);
		snprintf(reason, sizeof(reason), "match_%s", st);
		return error_reason(err, reason);
	}
	if (!cJSON_IsNumber(pub) || pub->valuedouble != ops_num(m, "run")) {
		error_set(err, ERR_CONFLICT, NULL, "match %.0f belongs to run "
		    "%.0f, which is not the published run of fair %.0f",
		    ops_num(m, "id"), ops_num(m, "run"), ops_num(fair, "id"));
		return error_reason(err, "run_not_published");
	}
	return 0;
}

int
op_match_respond(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	long long	 id = args_int(args, "match", 0);
	int		 accept = strcmp(args_str(args, "decision", ""),
			    "accept") == 0;
	int64_t		 project;
	int		 is_comm, rc;
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
		error_reason(err, "not_party");
		goto fail;
	}
	if (store_fair_get(ctx->store, (int64_t)ops_num(m, "fair"), &fair,
	    err) != 0 || respond_answerable(m, fair, err) == -1)
		goto fail;
	st = ops_str(m, "status");
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
	if (events_match_answered(ctx->store, id, ctx->who->acct.name,
	    err) == -1 || store_match_get(ctx->store, id, &out, err) != 0)
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

/* fair.close: the fair's live matches expire; confirmed pairs stay. */
int
op_fair_close(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*fair, *out;
	int64_t	 id;
	int	 expired;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	id = (int64_t)ops_num(fair, "id");
	/* EVENT: match.expired (the fair's live matches) */
	if (ops_fair_runnable(ctx, fair, err) == -1 ||
	    store_matches_expire(ctx->store, id, &expired, err) == -1 ||
	    store_fair_set_status(ctx->store, id, "closed", err) == -1) {
		cJSON_Delete(fair);
		return -1;
	}
	cJSON_Delete(fair);
	if (store_fair_get(ctx->store, id, &out, err) != 0)
		return -1;
	if ((*result = ops_wrap("fair", out)) == NULL)
		return ops_oom(err);
	cJSON_AddNumberToObject(*result, "expired", expired);
	return 0;
}
