/*
 * ops_offers.c: organisations' offers: what is an offer's own in
 * offer.post, get, list, update and withdraw (ops_record.c runs them): the
 * joint application and the partner's consent (offer.consent), the
 * service area, the capacity; and the library of proven local projects
 * (library.set).
 *
 * A joint offer's states:
 *
 *   pending_partners --(the partner agrees: offer.consent)--> open
 *   pending_partners --(the partner refuses)--> withdrawn
 *   open --(offer.update names another partner)--> pending_partners
 */
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

/* A new offer of o's organisation: its partner, and the defaults a post
 * starts from. */
static int
offer_post(struct op_ctx *ctx, const cJSON *args, cJSON *o,
    struct error *err)
{
	const char	*code = ops_str(o, "org");
	const char	*partner = args_str(args, "partner", NULL);
	long long	 cap = args_int(args, "capacity", 1);
	cJSON		*org;
	int		 rc;

	if ((rc = store_org_get(ctx->store, code, &org, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "org", "there is no "
		    "organisation %s", code);
	if (offer_check_partner(ctx, org, partner, err) == -1 ||
	    offer_area_check(org, args_get(args, "streets"), err) == -1) {
		cJSON_Delete(org);
		return -1;
	}
	ops_add(o, "partner", partner ? cJSON_CreateString(partner) :
	    cJSON_CreateNull());
	/* streets defaults to the organisation's service area. */
	ops_set_dup(o, "streets", args_get(org, "streets"));
	cJSON_Delete(org);
	ops_add(o, "description", cJSON_CreateString(""));
	ops_add(o, "capacity", cJSON_CreateNumber((double)cap));
	ops_add(o, "remaining", cJSON_CreateNumber((double)cap));
	ops_add(o, "in_library", cJSON_CreateFalse());
	/* A joint offer waits for its partner's consent. */
	ops_add(o, "status", cJSON_CreateString(partner ? "pending_partners" :
	    "open"));
	return 0;
}

/*
 * After an update's arguments are on o (before: the offer as it was): a
 * new partner, who must consent again, and the capacity.  An offer that
 * already serves a confirmed match keeps its terms: updating it is a
 * conflict.
 */
static int
offer_apply(struct op_ctx *ctx, const cJSON *args, const cJSON *before,
    cJSON *o, struct error *err)
{
	cJSON		*org = NULL;
	const char	*partner;
	long long	 cap;
	int		 rc, pending;

	if (before == NULL)
		return 0;
	if (ops_num(before, "remaining") < ops_num(before, "capacity")) {
		error_set(err, ERR_CONFLICT, NULL, "offer %lld serves a "
		    "confirmed match; its terms are agreed and can no longer "
		    "change", (long long)ops_num(o, "id"));
		return error_reason(err, "offer_confirmed");
	}
	if (args_has(args, "partner") || args_has(args, "streets")) {
		rc = store_org_get(ctx->store, ops_str(o, "org"), &org, err) !=
		    0 || (args_has(args, "partner") && offer_check_partner(ctx,
		    org, args_str(args, "partner", NULL), err) == -1) ||
		    offer_area_check(org, args_get(args, "streets"), err) ==
		    -1 ? -1 : 0;
		cJSON_Delete(org);
		if (rc == -1)
			return -1;
	}
	cap = args_int(args, "capacity", (long long)ops_num(o, "capacity"));
	ops_set(o, "capacity", cJSON_CreateNumber((double)cap));
	ops_set(o, "remaining", cJSON_CreateNumber((double)cap));
	/* Another partner has not agreed to this offer yet. */
	partner = ops_str(o, "partner");
	pending = partner != NULL && (strcmp(ops_str(before, "status"),
	    "pending_partners") == 0 || ops_str(before, "partner") == NULL ||
	    strcmp(ops_str(before, "partner"), partner) != 0);
	ops_set(o, "status", cJSON_CreateString(pending ? "pending_partners" :
	    "open"));
	return 0;
}

/* An offer that serves a confirmed match stays. */
static int
offer_withdraw(const cJSON *o, struct error *err)
{
	if (ops_num(o, "remaining") < ops_num(o, "capacity")) {
		error_set(err, ERR_CONFLICT, NULL, "offer %lld has confirmed "
		    "matches and cannot be withdrawn",
		    (long long)ops_num(o, "id"));
		return error_reason(err, "offer_confirmed");
	}
	return 0;
}

static const char *const offer_changeable[] = { "open", "full",
    "pending_partners", NULL };

const struct ops_record ops_offer = { STORE_OFFER, "offer", "an offer",
    "org", "an organisation", "organisation", offer_changeable, offer_post,
    offer_apply, offer_withdraw, events_offer_posted };

int
op_library_set(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON *o;

	if (ops_record_load(ctx, &ops_offer, args, "offer", 0, &o,
	    err) == -1)
		return -1;
	ops_set(o, "in_library", cJSON_CreateBool(args_bool(args,
	    "in_library", 0)));
	return ops_record_save(ctx, &ops_offer, o, result, err);
}

/*
 * offer.consent: the registered partner of a joint offer agrees (the offer
 * opens) or refuses (it is withdrawn: nobody offers in its name unasked).
 */
int
op_offer_consent(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*me = ctx->who->acct.code, *partner;
	int		 agree = strcmp(args_str(args, "decision", ""),
			    "agree") == 0;
	cJSON		*o;

	if (ops_record_load(ctx, &ops_offer, args, "offer", 0, &o,
	    err) == -1)
		return -1;
	partner = ops_str(o, "partner");
	if (partner == NULL || strcmp(partner, me) != 0) {
		error_set(err, ERR_FORBIDDEN, "offer", "offer %.0f does not "
		    "name organisation %s as its partner", ops_num(o, "id"), me);
		error_reason(err, "not_partner");
		goto fail;
	}
	if (strcmp(ops_str(o, "status"), "pending_partners") != 0) {
		error_set(err, ERR_CONFLICT, "offer", "offer %.0f is %s: its "
		    "partner has answered", ops_num(o, "id"),
		    ops_str(o, "status"));
		error_reason(err, "not_pending");
		goto fail;
	}
	ops_set(o, "status", cJSON_CreateString(!agree ? "withdrawn" :
	    ops_num(o, "remaining") > 0 ? "open" : "full"));
	/* EVENT: offer.consent (the partner agreed or refused) */
	return ops_record_save(ctx, &ops_offer, o, result, err);
fail:
	cJSON_Delete(o);
	return -1;
}
