/*
 * ops_streets.c: the registry of streets (street.create, street.list) and
 * the one check that every street argument names a registered street.
 */
#include <string.h>

#include "daemon/ops/ops.h"

/* Refuse name unless it is a registered street ("*" too where star). */
static int
streets_known(struct op_ctx *ctx, const char *field, const char *name,
    int star, struct error *err)
{
	int rc;

	if (star && strcmp(name, "*") == 0)
		return 0;
	if ((rc = store_street_exists(ctx->store, name, err)) == -1)
		return -1;
	if (rc == 1) {
		error_set(err, ERR_INVALID_ARGUMENT, field, "\"%.64s\" is not a "
		    "street of the district (street.list names them)", name);
		return error_reason(err, "unknown_street");
	}
	return 0;
}

int
ops_streets_check(struct op_ctx *ctx, const struct arg_spec *specs,
    const cJSON *args, struct error *err)
{
	const struct arg_spec	*sp;
	const cJSON		*v, *c;

	for (sp = specs; sp->name != NULL; sp++) {
		if ((v = args_get(args, sp->name)) == NULL)
			continue;
		if (sp->type == ARG_STREET && streets_known(ctx, sp->name,
		    v->valuestring, 0, err) == -1)
			return -1;
		if (sp->type != ARG_STREETS)
			continue;
		cJSON_ArrayForEach(c, v)
			if (streets_known(ctx, sp->name, c->valuestring, 1,
			    err) == -1)
				return -1;
	}
	return 0;
}

int
op_street_create(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*name = args_str(args, "name", "");
	const char	*code = args_str(args, "code", NULL);
	cJSON		*st = NULL;
	int		 rc;

	ops_object_code(ctx, name);
	if (strcmp(name, "*") == 0) {
		error_set(err, ERR_INVALID_ARGUMENT, "name", "\"*\" stands for "
		    "the whole district, not a street");
		return error_reason(err, "reserved_name");
	}
	if ((rc = store_street_get(ctx->store, name, NULL, &st, err)) == -1)
		return -1;
	cJSON_Delete(st);
	if (rc == 0) {
		error_set(err, ERR_CONFLICT, "name", "street %s is registered "
		    "already", name);
		return error_reason(err, "street_exists");
	}
	if (code != NULL) {
		if ((rc = store_street_get(ctx->store, NULL, code, &st,
		    err)) == -1)
			return -1;
		cJSON_Delete(st);
		if (rc == 0) {
			error_set(err, ERR_CONFLICT, "code", "street code %s "
			    "is taken", code);
			return error_reason(err, "street_code_exists");
		}
	}
	if (store_street_insert(ctx->store, name, code, err) == -1 ||
	    store_street_get(ctx->store, name, NULL, &st, err) != 0)
		return -1;
	*result = ops_wrap("street", st);
	return *result ? 0 : ops_oom(err);
}

int
op_street_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON *items;

	(void)args;
	if (store_street_list(ctx->store, &items, err) == -1)
		return -1;
	*result = ops_wrap("items", items);
	return *result ? 0 : ops_oom(err);
}
