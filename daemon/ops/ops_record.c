/*
 * ops_record.c: the operations every record type has, driven by its
 * struct ops_record (the op table names it with each op):
 *
 *   <r>.post	the owner (the caller, or named by the admin), an earlier
 *		post of the same ref answered as it is stored, the type's
 *		defaults, the arguments its fields let a post copy, its rules;
 *		the completed record is the answer
 *   <r>.get	printed from the row (no tree of the record is built)
 *   <r>.list	the list filters, the owner's argument as owner
 *   <r>.update	its owner or the admin, while its status allows, the
 *		arguments its fields let an update copy, its rules; an update
 *		that changes a value supersedes the record's live matches
 *		(their terms are frozen), listed in the answer's superseded
 *   <r>.withdraw its owner or the admin, once, when its rules allow; its
 *		live matches are superseded likewise
 *
 * Each type's own rules (partners, the joint application, capacity ...)
 * stay in its file: ops_needs.c, ops_offers.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/ops/ops.h"

/* Copy onto rec the fields of its type that flag lets args set. */
static void
record_copy(const struct ops_record *rt, const cJSON *args, cJSON *rec,
    unsigned flag)
{
	const struct store_field *f;

	for (f = store_record_type(rt->type)->fields; f->key != NULL; f++)
		if ((f->flags & flag) && args_has(args, f->key))
			ops_set_dup(rec, f->key, args_get(args, f->key));
}

/* The ref argument of a post, the member of the type's ref field. */
static const char *
record_ref(const struct ops_record *rt, const cJSON *args, const char **key)
{
	const struct store_field *f;

	for (f = store_record_type(rt->type)->fields; f->key != NULL; f++)
		if (f->flags & STORE_REF) {
			*key = f->key;
			return args_str(args, f->key, NULL);
		}
	return NULL;
}

int
ops_record_load(struct op_ctx *ctx, const struct ops_record *rt,
    const cJSON *args, const char *key, int owned, cJSON **rec,
    struct error *err)
{
	long long	 id = args_int(args, key, 0);
	const char	*owner;
	int		 rc;

	ops_object_id(ctx, id);
	if ((rc = store_record_get(ctx->store, rt->type, id, rec, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, key, "there is no %s %lld",
		    rt->name, id);
	owner = ops_str(*rec, rt->owner);
	if (owned && !ops_is_admin(ctx) &&
	    strcmp(owner, ctx->who->acct.code) != 0) {
		error_set(err, ERR_FORBIDDEN, NULL, "%s %lld belongs to %s %s; "
		    "only it may change it", rt->name, id, rt->owner_kind,
		    owner);
		cJSON_Delete(*rec);
		*rec = NULL;
		return -1;
	}
	return 0;
}

/* {name: record id}, printed from the stored row (builds no tree). */
static int
record_answer(struct op_ctx *ctx, const struct ops_record *rt, int64_t id,
    cJSON **result, struct error *err)
{
	char *text;

	if (store_record_get_text(ctx->store, rt->type, id, &text, err) != 0)
		return error_set(err, ERR_INTERNAL, NULL, "%s %lld vanished",
		    rt->name, (long long)id);
	*result = ops_wrap(rt->name, cJSON_CreateRaw(text));
	free(text);
	return *result ? 0 : ops_oom(err);
}

int
ops_record_save(struct op_ctx *ctx, const struct ops_record *rt, cJSON *rec,
    cJSON **result, struct error *err)
{
	int64_t	id = (int64_t)ops_num(rec, "id");
	int	rc;

	rc = store_record_update(ctx->store, rt->type, rec, err);
	cJSON_Delete(rec);
	if (rc == -1)
		return -1;
	return record_answer(ctx, rt, id, result, err);
}

int
op_record_post(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const struct ops_record	*rt = ctx->op->record;
	const char		*owner = args_str(args, rt->owner, NULL);
	const char		*refkey = NULL;
	const char		*ref = record_ref(rt, args, &refkey);
	cJSON			*rec, *old;
	int64_t			 id;
	int			 rc;

	if (!ops_is_admin(ctx)) {
		if (owner && strcmp(owner, ctx->who->acct.code) != 0)
			return error_set(err, ERR_FORBIDDEN, rt->owner,
			    "%s posts only its own %ss", rt->an_owner,
			    rt->name);
		owner = ctx->who->acct.code;
	} else if (owner == NULL)
		return error_set(err, ERR_INVALID_ARGUMENT, rt->owner,
		    "%s is required when the admin posts %s", rt->owner,
		    rt->a_name);
	ops_object_code(ctx, owner);
	if (ref != NULL) {
		if ((rc = store_record_by_ref(ctx->store, rt->type, owner, ref,
		    &old, err)) == -1)
			return -1;
		if (rc == 0) {
			/* Posted before: answer with what is stored. */
			ops_object_id(ctx, (long long)ops_num(old, "id"));
			*result = ops_wrap(rt->name, old);
			return *result ? 0 : ops_oom(err);
		}
	}
	if ((rec = cJSON_CreateObject()) == NULL)
		return ops_oom(err);
	ops_add(rec, rt->owner, cJSON_CreateString(owner));
	if (rt->post(ctx, args, rec, err) == -1)
		goto fail;
	if (ref != NULL)
		ops_add(rec, refkey, cJSON_CreateString(ref));
	record_copy(rt, args, rec, STORE_POST);
	if (rt->apply(ctx, args, NULL, rec, err) == -1 ||
	    store_record_insert(ctx->store, rt->type, rec, &id, err) == -1 ||
	    rt->posted(ctx->store, rec, err) == -1)
		goto fail;
	ops_object_id(ctx, id);
	/* The completed record is the answer: rec passes to the result. */
	*result = ops_wrap(rt->name, rec);
	return *result ? 0 : ops_oom(err);
fail:
	cJSON_Delete(rec);
	return -1;
}

int
op_record_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const struct ops_record	*rt = ctx->op->record;
	long long		 id = args_int(args, "id", 0);
	char			*text;
	int			 rc;

	ops_object_id(ctx, id);
	/* Printed from the row: a read builds no tree of the record. */
	if ((rc = store_record_get_text(ctx->store, rt->type, id, &text,
	    err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "id", "there is no "
		    "%s %lld", rt->name, id);
	*result = ops_wrap(rt->name, cJSON_CreateRaw(text));
	free(text);
	return *result ? 0 : ops_oom(err);
}

int
op_record_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const struct ops_record	*rt = ctx->op->record;
	struct list_filter	 f;

	ops_list_filter(args, &f);
	f.owner = args_str(args, rt->owner, NULL);
	return store_record_list(ctx->store, rt->type, &f, result, err);
}

/* Whether an update may change a record of this status. */
static int
record_changeable(const struct ops_record *rt, const char *status)
{
	const char *const *s;

	for (s = rt->changeable; *s != NULL; s++)
		if (strcmp(*s, status) == 0)
			return 1;
	return 0;
}

/* Why rec's matches are superseded, as match.superseded says it. */
static const char *
record_why(const struct ops_record *rt, const cJSON *rec)
{
	int withdrawn = strcmp(ops_str(rec, "status"), "withdrawn") == 0;

	if (rt->type == STORE_NEED)
		return withdrawn ? "需求已撤回" : "需求已修改";
	return withdrawn ? "服务项目已撤回" : "服务项目已修改";
}

/*
 * Supersede the live matches of record rec of type rt (they were proposed
 * on terms that no longer hold) and answer {name: rec as saved,
 * "superseded": [ids]}.  Takes rec.
 */
static int
record_save_superseding(struct op_ctx *ctx, const struct ops_record *rt,
    cJSON *rec, int supersede, cJSON **result, struct error *err)
{
	cJSON *ids = cJSON_CreateArray();

	if (ids == NULL) {
		cJSON_Delete(rec);
		return ops_oom(err);
	}
	if (supersede && (store_matches_supersede(ctx->store, rt->type ==
	    STORE_NEED ? STORE_LIVE_NEED : STORE_LIVE_OFFER,
	    (int64_t)ops_num(rec, "id"), 0, 0, ids, err) == -1 ||
	    events_matches_superseded(ctx->store, ids, record_why(rt, rec),
	    err) == -1)) {
		cJSON_Delete(ids);
		cJSON_Delete(rec);
		return -1;
	}
	if (ops_record_save(ctx, rt, rec, result, err) == -1) {
		cJSON_Delete(ids);
		return -1;
	}
	ops_add(*result, "superseded", ids);
	return 0;
}

int
op_record_update(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const struct ops_record	*rt = ctx->op->record;
	long long		 id = args_int(args, "id", 0);
	cJSON			*rec, *before = NULL;
	int			 changed;

	if (ops_record_load(ctx, rt, args, "id", 1, &rec, err) == -1)
		return -1;
	if (!record_changeable(rt, ops_str(rec, "status"))) {
		error_set(err, ERR_CONFLICT, NULL, "%s %lld is %s and can no "
		    "longer be changed", rt->name, id, ops_str(rec, "status"));
		error_reason(err, "status_not_changeable");
		goto fail;
	}
	if ((before = cJSON_Duplicate(rec, 1)) == NULL) {
		ops_oom(err);
		goto fail;
	}
	record_copy(rt, args, rec, STORE_UPDATE);
	if (rt->apply(ctx, args, before, rec, err) == -1)
		goto fail;
	changed = !cJSON_Compare(before, rec, 1);
	cJSON_Delete(before);
	return record_save_superseding(ctx, rt, rec, changed, result, err);
fail:
	cJSON_Delete(before);
	cJSON_Delete(rec);
	return -1;
}

int
op_record_withdraw(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const struct ops_record	*rt = ctx->op->record;
	int			 rc;
	cJSON			*rec;

	if (ops_record_load(ctx, rt, args, "id", 1, &rec, err) == -1)
		return -1;
	if (strcmp(ops_str(rec, "status"), "withdrawn") == 0) {
		rc = error_set(err, ERR_CONFLICT, NULL, "%s %lld is already "
		    "withdrawn", rt->name, (long long)ops_num(rec, "id"));
		error_reason(err, "withdrawn");
	} else
		rc = rt->withdraw(rec, err);
	if (rc == -1) {
		cJSON_Delete(rec);
		return -1;
	}
	ops_set(rec, "status", cJSON_CreateString("withdrawn"));
	return record_save_superseding(ctx, rt, rec, 1, result, err);
}
