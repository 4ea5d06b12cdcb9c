/*
 * ops_needs.c: communities' needs: what is a need's own in need.post, get,
 * list, update and withdraw (ops_record.c runs them): the partners, the
 * street, the year, and when a need may no longer change.
 */
#include <stdlib.h>
#include <string.h>

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

/* After a post's or an update's arguments are on n: the partners named,
 * and the year of the window. */
static int
need_apply(struct op_ctx *ctx, const cJSON *args, cJSON *n, int posting,
    struct error *err)
{
	const cJSON *w;

	(void)posting;
	if (args_has(args, "partners") && need_check_partners(ctx,
	    ops_str(n, "community"), args_get(args, "partners"), err) == -1)
		return -1;
	/* The year of a need is the year its window opens, else this year. */
	w = args_get(n, "window");
	if (cJSON_IsObject(w))
		ops_set(n, "year", cJSON_CreateNumber(atoi(ops_str(w,
		    "from"))));
	return 0;
}

/* A matched need stays: it is a confirmed project. */
static int
need_withdraw(const cJSON *n, struct error *err)
{
	if (strcmp(ops_str(n, "status"), "matched") == 0)
		return error_set(err, ERR_CONFLICT, NULL, "need %lld is "
		    "matched to a confirmed project and cannot be withdrawn",
		    (long long)ops_num(n, "id"));
	return 0;
}

static const char *const need_changeable[] = { "open", NULL };

const struct ops_record ops_need = { STORE_NEED, "need", "a need",
    "community", "a community", "community", need_changeable, need_post,
    need_apply, need_withdraw, events_need_posted };
