/*
 * ops_needs.c: communities' needs: what is a need's own in need.post, get,
 * list, update and withdraw (ops_record.c runs them): the partners and
 * their consent (need.consent), the street, the year, the budget within
 * the cap, and when a need may no longer change.
 *
 * A shared need's states:
 *
 *   pending_partners --(the last partner agrees: need.consent)--> open
 *   pending_partners --(a partner refuses: it leaves partners)--> open
 *                      when every partner left has agreed
 *   open --(need.update adds a partner)--> pending_partners
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/ops/ops.h"
#include "matcher/matcher.h"
#include "protocol/json_print.h"

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

/*
 * A budget above the yearly cap is refused: of the community, or for a
 * shared need its equal share (matcher_shares) above any paying
 * community's own cap.  Budgets that together pass the cap are allowed:
 * the council chooses among them; confirmations are what the cap bounds.
 */
static int
need_check_budget(struct op_ctx *ctx, const cJSON *n, struct error *err)
{
	struct matcher_need	 mn;
	int64_t			 shares[1 + 16], cap;
	const char		*code;
	const cJSON		*p;
	int			 k = 0, rc;

	memset(&mn, 0, sizeof(mn));
	mn.npartners = cJSON_GetArraySize(args_get(n, "partners"));
	if (mn.npartners > 16)
		mn.npartners = 16;
	matcher_shares(&mn, (int64_t)llround(ops_num(n, "budget") * 100),
	    shares);
	p = args_get(n, "partners") ? args_get(n, "partners")->child : NULL;
	for (k = 0; k <= mn.npartners; k++) {
		code = k == 0 ? ops_str(n, "community") : p->valuestring;
		if (k > 0)
			p = p->next;
		if ((rc = store_community_cap(ctx->store, code, &cap,
		    err)) == -1)
			return -1;
		if (rc == 1)
			continue;
		if (shares[k] <= cap)
			continue;
		if (mn.npartners == 0)
			error_set(err, ERR_INVALID_ARGUMENT, "budget", "a budget "
			    "of %.2f yuan is above the yearly cap of community "
			    "%s (%.2f yuan)", ops_num(n, "budget"), code,
			    cap / 100.0);
		else
			error_set(err, ERR_INVALID_ARGUMENT, "budget", "the "
			    "share of %.2f yuan that community %s pays of this "
			    "shared budget is above its yearly cap (%.2f yuan)",
			    shares[k] / 100.0, code, cap / 100.0);
		return error_reason(err, "budget_over_cap");
	}
	return 0;
}

/* A new need of n's community: the defaults a post starts from. */
static int
need_post(struct op_ctx *ctx, const cJSON *args, cJSON *n,
    struct error *err)
{
	const char	*community = ops_str(n, "community");
	cJSON		*c = NULL;
	int		 rc;

	(void)args;
	/* A community's own street is in its principal; the admin names one. */
	if (ops_is_admin(ctx)) {
		if ((rc = store_community_get(ctx->store, community, &c,
		    err)) == -1)
			return -1;
		if (rc == 1)
			return error_set(err, ERR_NOT_FOUND, "community",
			    "there is no community %s", community);
	}
	ops_add(n, "partners", cJSON_CreateArray());
	if (c != NULL)
		ops_add(n, "street", cJSON_Duplicate(args_get(c, "street"), 1));
	else
		ops_add(n, "street", cJSON_CreateString(ctx->who->acct.street));
	cJSON_Delete(c);
	ops_add(n, "description", cJSON_CreateString(""));
	ops_add(n, "beneficiaries", cJSON_CreateNumber(0));
	ops_add(n, "window", cJSON_CreateNull());
	ops_add(n, "year", cJSON_CreateNumber(ops_this_year()));
	ops_add(n, "status", cJSON_CreateString("open"));
	return 0;
}

/*
 * Whether need n waits for its partners: pending_partners while one of
 * them has not agreed, else open.  A new need (id 0) waits for all.
 */
static int
need_consent_status(struct op_ctx *ctx, cJSON *n, struct error *err)
{
	const cJSON	*p = args_get(n, "partners");
	char		*text;
	int		 missing = cJSON_GetArraySize(p), rc = 0;

	if (ops_num(n, "id") > 0) {
		if ((text = json_print(p, NULL)) == NULL)
			return ops_oom(err);
		rc = store_consent_missing(ctx->store, (int64_t)ops_num(n,
		    "id"), text, &missing, err);
		cJSON_free(text);
	}
	if (rc == 0)
		ops_set(n, "status", cJSON_CreateString(missing > 0 ?
		    "pending_partners" : "open"));
	return rc;
}

/* After a post's or an update's arguments are on n (before: the need as
 * it was, NULL for a post): the partners named, the year of the window,
 * the budget within the caps, and whether it waits for its partners. */
static int
need_apply(struct op_ctx *ctx, const cJSON *args, const cJSON *before,
    cJSON *n, struct error *err)
{
	const cJSON *w;

	if (args_has(args, "partners") && need_check_partners(ctx,
	    ops_str(n, "community"), args_get(args, "partners"), err) == -1)
		return -1;
	/* The year of a need is the year its window opens, else this year. */
	w = args_get(n, "window");
	if (cJSON_IsObject(w))
		ops_set(n, "year", cJSON_CreateNumber(atoi(ops_str(w,
		    "from"))));
	if (need_check_budget(ctx, n, err) == -1)
		return -1;
	if (before == NULL || !cJSON_Compare(args_get(before, "partners"),
	    args_get(n, "partners"), 1))
		return need_consent_status(ctx, n, err);
	return 0;
}

/* A matched need stays: it is a confirmed project. */
static int
need_withdraw(const cJSON *n, struct error *err)
{
	if (strcmp(ops_str(n, "status"), "matched") == 0) {
		error_set(err, ERR_CONFLICT, NULL, "need %lld is matched to a "
		    "confirmed project and cannot be withdrawn",
		    (long long)ops_num(n, "id"));
		return error_reason(err, "need_matched");
	}
	return 0;
}

static const char *const need_changeable[] = { "open", "pending_partners",
    NULL };

const struct ops_record ops_need = { STORE_NEED, "need", "a need",
    "community", "a community", "community", need_changeable, need_post,
    need_apply, need_withdraw, events_need_posted };

/*
 * need.consent: a partner community agrees to share a need, or refuses
 * and leaves its partners.  Once every partner left has agreed the need
 * is open.
 */
int
op_need_consent(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*me = ctx->who->acct.code;
	int		 agree = strcmp(args_str(args, "decision", ""),
			    "agree") == 0;
	cJSON		*n, *p, *c, *keep;
	int		 partner = 0;

	if (ops_record_load(ctx, &ops_need, args, "need", 0, &n, err) == -1)
		return -1;
	p = cJSON_GetObjectItemCaseSensitive(n, "partners");
	cJSON_ArrayForEach(c, p)
		if (cJSON_IsString(c) && strcmp(c->valuestring, me) == 0)
			partner = 1;
	if (!partner) {
		error_set(err, ERR_FORBIDDEN, "need", "need %.0f is not shared "
		    "with community %s", ops_num(n, "id"), me);
		error_reason(err, "not_partner");
		goto fail;
	}
	if (strcmp(ops_str(n, "status"), "pending_partners") != 0) {
		error_set(err, ERR_CONFLICT, "need", "need %.0f is %s: its "
		    "partners have answered", ops_num(n, "id"),
		    ops_str(n, "status"));
		error_reason(err, "not_pending");
		goto fail;
	}
	if (!agree) {
		/* A refusal takes the partner out; the poster may post again. */
		if ((keep = cJSON_CreateArray()) == NULL) {
			ops_oom(err);
			goto fail;
		}
		cJSON_ArrayForEach(c, p)
			if (strcmp(c->valuestring, me) != 0)
				cJSON_AddItemToArray(keep,
				    cJSON_CreateString(c->valuestring));
		ops_set(n, "partners", keep);
	}
	if (store_consent_set(ctx->store, (int64_t)ops_num(n, "id"), me,
	    agree, err) == -1 || need_consent_status(ctx, n, err) == -1)
		goto fail;
	/* EVENT: need.consent (a partner agreed or refused) */
	return ops_record_save(ctx, &ops_need, n, result, err);
fail:
	cJSON_Delete(n);
	return -1;
}
