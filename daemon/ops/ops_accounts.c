/*
 * ops_accounts.c: ping, whoami, accounts, tokens and the audit trail.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "daemon/ops/ops.h"
#include "protocol/json_print.h"

int
op_ping(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	(void)ctx;
	(void)args;
	if ((*result = cJSON_CreateObject()) == NULL ||
	    cJSON_AddTrueToObject(*result, "pong") == NULL ||
	    cJSON_AddStringToObject(*result, "version", MATCHD_VERSION) == NULL)
		return ops_oom(err);
	return 0;
}

int
op_whoami(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const struct account *a = &ctx->who->acct;

	(void)args;
	if ((*result = cJSON_CreateObject()) == NULL)
		return ops_oom(err);
	cJSON_AddStringToObject(*result, "role", a->role);
	cJSON_AddStringToObject(*result, "code", a->code);
	cJSON_AddStringToObject(*result, "name", a->name);
	if (a->street[0] != '\0')
		cJSON_AddStringToObject(*result, "street", a->street);
	else
		cJSON_AddNullToObject(*result, "street");
	return 0;
}

/* {key: obj, "token": token}, wiping the token copy it was given. */
static int
account_result(const char *key, cJSON *obj, char *token, cJSON **result,
    struct error *err)
{
	*result = ops_wrap(key, obj);
	if (*result == NULL ||
	    cJSON_AddStringToObject(*result, "token", token) == NULL) {
		sodium_memzero(token, strlen(token));
		return ops_oom(err);
	}
	sodium_memzero(token, strlen(token));
	return 0;
}

/* Refuse a code already held by an account of that role. */
static int
code_free(struct op_ctx *ctx, const char *role, const char *what,
    const char *code, struct error *err)
{
	struct account	a;
	int		rc;

	rc = store_account_by_code(ctx->store, role, code, &a, err);
	if (rc == -1)
		return -1;
	if (rc == 0)
		return error_set(err, ERR_CONFLICT, "code", "%s %s already "
		    "exists; codes are unique", what, code);
	return 0;
}

int
op_community_create(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*code = args_str(args, "code", NULL);
	char		 token[TOKEN_HEX_LEN + 1];
	int64_t		 id;
	cJSON		*c;

	ops_object_code(ctx, code);
	if (code_free(ctx, "community", "community", code, err) == -1 ||
	    auth_account_create(ctx->store, "community", code,
	    args_str(args, "name", NULL), args_str(args, "street", NULL),
	    token, &id, err) == -1 ||
	    store_community_insert(ctx->store, code, args_fen(args, "cap",
	    ctx->conf->community_cap), id, err) == -1 ||
	    store_community_get(ctx->store, code, &c, err) != 0)
		return -1;
	return account_result("community", c, token, result, err);
}

int
op_org_create(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*code = args_str(args, "code", NULL);
	const char	*street = args_str(args, "street", NULL);
	const cJSON	*streets = args_get(args, "streets");
	char		 token[TOKEN_HEX_LEN + 1], *sj;
	int64_t		 id;
	cJSON		*o, *def = NULL;
	int		 rc;

	ops_object_code(ctx, code);
	/* streets defaults to [street] when street is given, else ["*"]. */
	if (streets == NULL) {
		def = cJSON_CreateArray();
		cJSON_AddItemToArray(def, cJSON_CreateString(street ? street :
		    "*"));
		streets = def;
	}
	sj = json_print(streets, NULL);
	cJSON_Delete(def);
	if (sj == NULL)
		return ops_oom(err);
	rc = code_free(ctx, "org", "organisation", code, err);
	if (rc == 0)
		rc = auth_account_create(ctx->store, "org", code,
		    args_str(args, "name", NULL), street, token, &id, err);
	if (rc == 0)
		rc = store_org_insert(ctx->store, code, args_str(args, "kind",
		    NULL), sj, id, err);
	cJSON_free(sj);
	if (rc == -1 || store_org_get(ctx->store, code, &o, err) != 0)
		return -1;
	return account_result("org", o, token, result, err);
}

int
op_organizer_create(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*code = args_str(args, "code", NULL);
	char		 token[TOKEN_HEX_LEN + 1], gen[32];
	int64_t		 id;
	cJSON		*o;

	if (code == NULL) {
		snprintf(gen, sizeof(gen), "organizer-%lld",
		    (long long)store_account_next_id(ctx->store));
		code = gen;
	}
	ops_object_code(ctx, code);
	if (code_free(ctx, "organizer", "organizer", code, err) == -1 ||
	    auth_account_create(ctx->store, "organizer", code,
	    args_str(args, "name", NULL), args_str(args, "street", NULL),
	    token, &id, err) == -1 ||
	    store_organizer_get(ctx->store, code, &o, err) != 0)
		return -1;
	return account_result("organizer", o, token, result, err);
}

int
op_token_rotate(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*role = args_str(args, "role", NULL);
	const char	*code = args_str(args, "code", NULL);
	struct account	 target;
	unsigned char	 hash[TOKEN_HASH_BYTES];
	char		 token[TOKEN_HEX_LEN + 1];
	int		 rc;

	if ((role == NULL) != (code == NULL))
		return error_set(err, ERR_INVALID_ARGUMENT, role ? "code" :
		    "role", "role and code go together: name both, or "
		    "neither to rotate your own token");
	if (role == NULL) {
		target = ctx->who->acct;
	} else {
		/* Only the admin rotates another account's token. */
		if (!ops_is_admin(ctx) &&
		    (strcmp(role, ctx->who->acct.role) != 0 ||
		    strcmp(code, ctx->who->acct.code) != 0))
			return error_set(err, ERR_FORBIDDEN, NULL, "only the "
			    "admin may rotate another account's token");
		rc = store_account_by_code(ctx->store, role, code, &target,
		    err);
		if (rc == -1)
			return -1;
		if (rc == 1)
			return error_set(err, ERR_NOT_FOUND, "code", "there "
			    "is no %s with code %s", role, code);
	}
	snprintf(ctx->object, sizeof(ctx->object), "%s:%s", target.role,
	    target.code);
	auth_token_new(token, hash);
	if (store_account_set_hash(ctx->store, target.id, hash, err) == -1) {
		sodium_memzero(token, sizeof(token));
		return -1;
	}
	if ((*result = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(*result, "token", token) == NULL) {
		sodium_memzero(token, sizeof(token));
		return ops_oom(err);
	}
	sodium_memzero(token, sizeof(token));
	return 0;
}

int
op_audit_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct store_audit_filter f = {
		args_str(args, "op", NULL), args_str(args, "code", NULL),
		args_str(args, "since", NULL),
		strcmp(args_str(args, "order", "asc"), "desc") == 0
	};

	return store_audit_list(ctx->store, &f, args_int(args, "after", 0),
	    (int)args_int(args, "limit", 50), result, err);
}
