/*
 * ops_events.c: events.watch (its answer: the watching itself is the
 * native transport's, daemon/net/watch.c) and the webhooks.
 */
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/domain/webhook.h"
#include "daemon/ops/ops.h"

/* events.watch: {"watching": true, "last": the newest stored id}. */
int
op_events_watch(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	int64_t last;

	(void)args;
	if (store_event_last(ctx->store, &last, err) == -1)
		return -1;
	if ((*result = cJSON_CreateObject()) == NULL)
		return ops_oom(err);
	cJSON_AddTrueToObject(*result, "watching");
	cJSON_AddNumberToObject(*result, "last", (double)last);
	return 0;
}

/*
 * webhook.create: the admin's webhook sees every event, an organizer's
 * what the organizer sees.  Delivery starts after the newest event now.
 * The secret is in this answer only.
 */
int
op_webhook_create(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct store_webhook	 w;
	const cJSON		*kinds = args_get(args, "kinds");
	char			 secret[WEBHOOK_SECRET_HEX + 1], *ktext;
	cJSON			*hook;
	int64_t			 id;
	int			 rc;

	memset(&w, 0, sizeof(w));
	w.url = args_str(args, "url", "");
	if (webhook_url_check(w.url, strcmp(ctx->conf->events_allow_private_hooks,
	    "true") == 0, err) == -1)
		return -1;
	if (args_has(args, "secret"))
		snprintf(secret, sizeof(secret), "%s", args_str(args,
		    "secret", ""));
	else
		webhook_secret_new(secret);
	w.secret = secret;
	w.format = args_str(args, "format", "json");
	w.role = ctx->who->acct.role;
	w.code = ctx->who->acct.code;
	w.street = ctx->who->acct.street[0] ? ctx->who->acct.street : NULL;
	if ((ktext = kinds ? cJSON_PrintUnformatted(kinds) : NULL) == NULL &&
	    kinds != NULL)
		return ops_oom(err);
	w.kinds = ktext ? ktext : "[]";
	rc = store_event_last(ctx->store, &w.position, err) == -1 ||
	    store_webhook_insert(ctx->store, &w, &id, err) == -1 ||
	    store_webhook_get(ctx->store, id, &hook, err) != 0 ? -1 : 0;
	cJSON_free(ktext);
	if (rc == -1)
		return -1;
	ops_object_id(ctx, id);
	cJSON_AddStringToObject(hook, "secret", secret);
	*result = ops_wrap("webhook", hook);
	return *result ? 0 : ops_oom(err);
}

int
op_webhook_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*items;
	int	 admin = ops_is_admin(ctx);

	(void)args;
	if (store_webhook_list(ctx->store, admin ? NULL : ctx->who->acct.role,
	    admin ? NULL : ctx->who->acct.code, &items, err) == -1)
		return -1;
	*result = ops_wrap("items", items);
	return *result ? 0 : ops_oom(err);
}

int
op_webhook_delete(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	long long	 id = args_int(args, "id", 0);
	cJSON		*hook, *owner;
	int		 rc, mine;

	ops_object_id(ctx, id);
	if ((rc = store_webhook_get(ctx->store, id, &hook, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "id", "there is no "
		    "webhook %lld", id);
	owner = cJSON_GetObjectItem(hook, "owner");
	mine = strcmp(ops_str(owner, "role"), ctx->who->acct.role) == 0 &&
	    strcmp(ops_str(owner, "code"), ctx->who->acct.code) == 0;
	if (!ops_is_admin(ctx) && !mine) {
		cJSON_Delete(hook);
		return error_set(err, ERR_FORBIDDEN, NULL, "webhook %lld is "
		    "not yours: an organizer deletes only its own", id);
	}
	if (store_webhook_delete(ctx->store, id, err) == -1) {
		cJSON_Delete(hook);
		return -1;
	}
	*result = ops_wrap("webhook", hook);
	return *result ? 0 : ops_oom(err);
}
