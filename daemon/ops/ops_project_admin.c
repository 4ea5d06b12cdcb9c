/*
 * ops_project_admin.c: what the organizers and the bureau do with
 * projects, and reading them:
 *
 *   project.create	an organizer (of the need's street, or the whole
 *			district) or the admin: a need and an offer agreed
 *			outside a fair, taken as a confirmation takes them
 *   project.get / list	any signed-in role, as needs are (public notices)
 *   project.settle	the admin pays an accepted project, never more
 *			than its amount
 *   project.cancel	the admin, any time before acceptance
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "daemon/domain/caps.h"
#include "daemon/ops/projects.h"

/* Take need and offer for a project of amount (fen): the need is matched
 * from now on, the offer serves one fewer. */
static int
admin_take(struct op_ctx *ctx, cJSON *need, cJSON *offer, int64_t amount,
    struct error *err)
{
	int remaining = (int)ops_num(offer, "remaining");

	if (strcmp(ops_str(need, "status"), "open") != 0)
		return ops_refuse(err, ERR_CONFLICT, "need", "need_not_open",
		    "need %lld is %s: only an open need becomes a project",
		    (long long)ops_num(need, "id"), ops_str(need, "status"));
	if (strcmp(ops_str(offer, "status"), "withdrawn") == 0 ||
	    remaining < 1)
		return ops_refuse(err, ERR_CONFLICT, "offer", "no_capacity",
		    "offer %lld has no capacity left",
		    (long long)ops_num(offer, "id"));
	if (amount > llround(ops_num(need, "budget") * 100))
		return ops_refuse(err, ERR_INVALID_ARGUMENT, "amount",
		    "amount_over_budget", "the amount (%.2f) is above the "
		    "need's budget (%.2f)", (double)amount / 100.0,
		    ops_num(need, "budget"));
	if (caps_check(ctx->store, need, amount, (int)ops_num(need, "year"),
	    err) == -1)
		return -1;
	return project_take(ctx, need, offer, err);
}

int
op_project_create(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*mine = ctx->who->acct.street;
	cJSON		*need = NULL, *offer = NULL;
	int64_t		 amount, id;
	int		 rc;

	if ((rc = store_record_get(ctx->store, STORE_NEED, args_int(args,
	    "need", 0), &need, err)) == 1)
		rc = error_set(err, ERR_NOT_FOUND, "need", "there is no need "
		    "%lld", args_int(args, "need", 0));
	if (rc == 0 && (rc = store_record_get(ctx->store, STORE_OFFER,
	    args_int(args, "offer", 0), &offer, err)) == 1)
		rc = error_set(err, ERR_NOT_FOUND, "offer", "there is no offer "
		    "%lld", args_int(args, "offer", 0));
	if (rc != 0)
		goto out;
	rc = -1;
	amount = args_has(args, "amount") ? args_fen(args, "amount", 0) :
	    llround(ops_num(offer, "price") * 100);
	if (ctx->who->role == ROLE_ORGANIZER && mine[0] != '\0' &&
	    strcmp(mine, ops_str(need, "street")) != 0)
		ops_refuse(err, ERR_FORBIDDEN, "need", "not_in_scope", "need "
		    "%lld is of %s; you organize %s", (long long)ops_num(need,
		    "id"), ops_str(need, "street"), mine);
	else if (admin_take(ctx, need, offer, amount, err) == 0 &&
	    project_open(ctx, (int64_t)ops_num(need, "id"),
	    (int64_t)ops_num(offer, "id"), 0, amount, &id, err) == 0) {
		ops_object_id(ctx, (long long)id);
		rc = project_answer(ctx, id, result, err);
	}
out:
	cJSON_Delete(need);
	cJSON_Delete(offer);
	return rc;
}

int
op_project_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	long long id = args_int(args, "id", 0);

	ops_object_id(ctx, id);
	if (project_answer(ctx, id, result, err) == -1) {
		if (err->code == ERR_NOT_FOUND)
			snprintf(err->field, sizeof(err->field), "id");
		return -1;
	}
	return 0;
}

int
op_project_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct list_filter	 f;
	cJSON			*page, *items, *it, *full;
	int			 i, n;

	ops_list_filter(args, &f);
	f.owner = args_str(args, "community", NULL);
	f.org = args_str(args, "org", NULL);
	f.status = args_str(args, "stage", NULL);
	f.year = (int)args_int(args, "year", 0);
	if (store_record_list(ctx->store, STORE_PROJECT, &f, &page, err) == -1)
		return -1;
	/* Each item as project.get answers it. */
	items = cJSON_GetObjectItemCaseSensitive(page, "items");
	n = cJSON_GetArraySize(items);
	for (i = 0; i < n; i++) {
		it = cJSON_GetArrayItem(items, i);
		if (project_object(ctx, (int64_t)ops_num(it, "id"), &full,
		    err) == -1) {
			cJSON_Delete(page);
			return -1;
		}
		cJSON_ReplaceItemInArray(items, i, full);
	}
	*result = page;
	return 0;
}

int
op_project_settle(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	int64_t	 paid = args_fen(args, "paid", 0);
	cJSON	*p;
	char	 note[64];
	int	 rc;

	if (project_load(ctx, args, "project", &p, err) == -1)
		return -1;
	if (project_stage(p) != PS_ACCEPTED)
		rc = project_refuse_stage(ctx, p, "project.settle", err);
	else if (paid > llround(ops_num(p, "amount") * 100))
		rc = ops_refuse(err, ERR_INVALID_ARGUMENT, "paid",
		    "paid_over_amount", "paid (%.2f) cannot be above the "
		    "project's amount (%.2f)", (double)paid / 100.0,
		    ops_num(p, "amount"));
	else {
		ops_set(p, "paid", cJSON_CreateNumber((double)paid / 100.0));
		snprintf(note, sizeof(note), "paid %.2f", (double)paid / 100.0);
		rc = project_step(ctx, p, PS_SETTLED, NULL, note, err);
	}
	if (rc == 0)
		rc = project_answer(ctx, (int64_t)ops_num(p, "id"), result,
		    err);
	cJSON_Delete(p);
	return rc;
}

int
op_project_cancel(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*p;
	int	 rc, s;

	if (project_load(ctx, args, "project", &p, err) == -1)
		return -1;
	s = project_stage(p);
	if (s >= PS_ACCEPTED)
		rc = project_refuse_stage(ctx, p, "project.cancel", err);
	else
		rc = project_step(ctx, p, PS_CANCELLED, NULL, args_str(args,
		    "reason", ""), err);
	if (rc == 0)
		rc = project_answer(ctx, (int64_t)ops_num(p, "id"), result,
		    err);
	cJSON_Delete(p);
	return rc;
}
