/*
 * ops_offers.c: organisations' offers: what is an offer's own in
 * offer.post, get, list, update and withdraw (ops_record.c runs them): the
 * joint application, the service area, the capacity; and the library of
 * proven local projects (library.set).
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
	ops_add(o, "status", cJSON_CreateString("open"));
	return 0;
}

/* After an update's arguments are on o: a new partner, and the capacity,
 * of which what is already used stays used. */
static int
offer_apply(struct op_ctx *ctx, const cJSON *args, cJSON *o, int posting,
    struct error *err)
{
	cJSON		*org = NULL;
	long long	 cap, used;
	int		 rc;

	if (posting)
		return 0;
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
	used = (long long)ops_num(o, "capacity") -
	    (long long)ops_num(o, "remaining");
	cap = args_int(args, "capacity", (long long)ops_num(o, "capacity"));
	if (cap < used)
		return error_set(err, ERR_CONFLICT, "capacity", "offer %lld "
		    "already serves %lld needs; capacity cannot go below that",
		    (long long)ops_num(o, "id"), used);
	ops_set(o, "capacity", cJSON_CreateNumber((double)cap));
	ops_set(o, "remaining", cJSON_CreateNumber((double)(cap - used)));
	ops_set(o, "status", cJSON_CreateString(cap > used ? "open" : "full"));
	return 0;
}

/* An offer that serves a confirmed match stays. */
static int
offer_withdraw(const cJSON *o, struct error *err)
{
	if (ops_num(o, "remaining") < ops_num(o, "capacity"))
		return error_set(err, ERR_CONFLICT, NULL, "offer %lld has "
		    "confirmed matches and cannot be withdrawn",
		    (long long)ops_num(o, "id"));
	return 0;
}

static const char *const offer_changeable[] = { "open", "full", NULL };

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
