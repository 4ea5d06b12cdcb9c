/*
 * store_audit.c: the audit trail, one row for every request that came with
 * an operation (dispatch.c writes it, audit.list reads it).
 */
#include "daemon/store/store_priv.h"

#define AUDIT_FILTER " AND (?3 IS NULL OR op = ?3)" \
	" AND (?4 IS NULL OR code = ?4) AND (?5 IS NULL OR time >= ?5)"

const char *const store_sql_audit[ST_COUNT] = {
	[ST_AUDIT_INSERT] = "INSERT INTO audit (time, role, code, op, object,"
	    " outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_AUDIT_LIST] = "SELECT id, time, role, code, op, object, outcome"
	    " FROM audit WHERE id > ?1" AUDIT_FILTER " ORDER BY id LIMIT ?2",
	[ST_AUDIT_LIST_NEWEST] = "SELECT id, time, role, code, op, object,"
	    " outcome FROM audit WHERE id < ?1" AUDIT_FILTER
	    " ORDER BY id DESC LIMIT ?2",
};

static const struct store_field audit_fields[] = {
	STORE_SHOWN("id", STORE_ID),
	STORE_SHOWN("time", STORE_TEXT),
	STORE_SHOWN("role", STORE_TEXT),
	STORE_SHOWN("code", STORE_TEXT),
	STORE_SHOWN("op", STORE_TEXT),
	STORE_SHOWN("object", STORE_TEXT),
	STORE_SHOWN("outcome", STORE_TEXT),
	{ NULL }
};
static const struct store_record_type audit_shape = {
	"audit", NULL, audit_fields
};

int
store_audit_insert(struct store *s, const char *role, const char *code,
    const char *op, const char *object, const char *outcome,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_AUDIT_INSERT);
	char		 now[21];

	store_now(now);
	store_bind_text(st, 1, now);
	store_bind_text(st, 2, role);
	store_bind_text(st, 3, code);
	store_bind_text(st, 4, op);
	store_bind_text(st, 5, object);
	store_bind_text(st, 6, outcome);
	return store_step_done(s, st, "audit insert", err);
}

int
store_audit_list(struct store *s, const struct store_audit_filter *f,
    int64_t after, int limit, cJSON **page, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, f->newest ? ST_AUDIT_LIST_NEWEST :
	    ST_AUDIT_LIST);

	sqlite3_bind_int64(st, 1, f->newest && after == 0 ? INT64_MAX : after);
	store_bind_text(st, 3, f->op);
	store_bind_text(st, 4, f->code);
	store_bind_text(st, 5, f->since);
	sqlite3_bind_int(st, 2, limit + 1);
	return store_get_page(s, st, store_record_tree, &audit_shape, limit,
	    page, err);
}
