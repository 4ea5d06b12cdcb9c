/*
 * ops_util.c: small helpers the handlers share.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "daemon/base/clock.h"
#include "daemon/ops/ops.h"

/* {key: obj}; takes ownership of obj.  NULL when out of memory. */
cJSON *
ops_wrap(const char *key, cJSON *obj)
{
	cJSON *o;

	if (obj == NULL || (o = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(obj);
		return NULL;
	}
	cJSON_AddItemToObject(o, key, obj);
	return o;
}

int
ops_refuse(struct error *err, enum err_code code, const char *field,
    const char *reason, const char *fmt, ...)
{
	va_list	ap;
	char	msg[sizeof(err->message)];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_set(err, code, field, "%s", msg);
	/* Until protocol/error.h gives error_reason(): the same member. */
	snprintf(err->reason, sizeof(err->reason), "%s", reason ? reason : "");
	return -1;
}

int
ops_oom(struct error *err)
{
	return error_set(err, ERR_INTERNAL, NULL, "out of memory");
}

/* The id in decimal, as "%lld" prints it; by hand: every request that
 * names a record sets it, and an audit row is written for few of them. */
void
ops_object_id(struct op_ctx *ctx, long long id)
{
	char			 buf[24], *p = buf + sizeof(buf);
	unsigned long long	 u = id < 0 ? 0 - (unsigned long long)id :
				    (unsigned long long)id;

	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (id < 0)
		*--p = '-';
	memcpy(ctx->object, p, (size_t)(buf + sizeof(buf) - p));
}

void
ops_object_code(struct op_ctx *ctx, const char *code)
{
	snprintf(ctx->object, sizeof(ctx->object), "%s", code);
}

int
ops_is_admin(const struct op_ctx *ctx)
{
	return ctx->who != NULL && ctx->who->role == ROLE_ADMIN;
}

/* Fill the filter fields that need.list and offer.list share. */
int
ops_list_filter(const cJSON *args, struct list_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->street = args_str(args, "street", NULL);
	f->category = args_str(args, "category", NULL);
	f->status = args_str(args, "status", NULL);
	f->in_library = args_has(args, "in_library") ?
	    args_bool(args, "in_library", 0) : -1;
	f->after = args_int(args, "after", 0);
	f->limit = (int)args_int(args, "limit", 50);
	return 0;
}

void
ops_add(cJSON *obj, const char *key, cJSON *item)
{
	if (item != NULL && !cJSON_AddItemToObjectCS(obj, key, item))
		cJSON_Delete(item);
}

void
ops_set(cJSON *obj, const char *key, cJSON *item)
{
	cJSON *old = (cJSON *)(uintptr_t)args_get(obj, key);

	if (item == NULL || !cJSON_AddItemToObjectCS(obj, key, item)) {
		cJSON_Delete(item);
		return;
	}
	/* Keyed (without a copy), the item moves into old's place. */
	if (old != NULL)
		cJSON_ReplaceItemViaPointer(obj, old,
		    cJSON_DetachItemViaPointer(obj, item));
}

void
ops_set_dup(cJSON *obj, const char *key, const cJSON *v)
{
	ops_set(obj, key, cJSON_Duplicate(v, 1));
}

/* Shorthands of args_str and args_num for members of records and rows. */
const char *
ops_str(const cJSON *obj, const char *key)
{
	return args_str(obj, key, NULL);
}

double
ops_num(const cJSON *obj, const char *key)
{
	return args_num(obj, key, 0);
}

int
ops_this_year(void)
{
	return clock_year();
}
