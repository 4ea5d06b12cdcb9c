/*
 * store_audit.c: the audit trail, one row for every request that came with
 * an operation (dispatch.c writes it, audit.list reads it).
 */
#include <string.h>

#include "daemon/store/store_priv.h"

#define AUDIT_FILTER " AND (?3 IS NULL OR op = ?3)" \
	" AND (?4 IS NULL OR code = ?4) AND (?5 IS NULL OR time >= ?5)"

/* Rows of six columns, numbered in order: row r's column c is r*6+c+1. */
#define AUDIT_COLS	6
#define AUDIT_INTO	"INSERT INTO audit (time, role, code, op, object," \
	" outcome) VALUES "
#define AUDIT_1		"(?, ?, ?, ?, ?, ?)"
#define AUDIT_4		AUDIT_1 "," AUDIT_1 "," AUDIT_1 "," AUDIT_1
#define AUDIT_8		AUDIT_4 "," AUDIT_4
#define AUDIT_32	AUDIT_8 "," AUDIT_8 "," AUDIT_8 "," AUDIT_8

const char *const store_sql_audit[ST_COUNT] = {
	[ST_AUDIT_INSERT] = "INSERT INTO audit (time, role, code, op, object,"
	    " outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_AUDIT_INSERT_8] = AUDIT_INTO AUDIT_8,
	[ST_AUDIT_INSERT_32] = AUDIT_INTO AUDIT_32,
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

/* Copy src into a field of n bytes: 0, or -1 when it does not fit. */
static int
audit_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		return -1;
	memcpy(dst, src, len + 1);
	return 0;
}

int
store_audit_add(struct store *s, const char *role, const char *code,
    const char *op, const char *object, const char *outcome,
    struct error *err)
{
	struct store_audit_row	*r;

	if (!store_in_txn(s))
		return store_audit_insert(s, role, code, op, object, outcome,
		    err);
	if (s->naudit == STORE_AUDIT_ROWS && store_audit_flush(s, err) == -1)
		return -1;
	r = &s->audit[s->naudit];
	r->has = 0;
	if (audit_copy(r->op, sizeof(r->op), op) == -1 ||
	    audit_copy(r->outcome, sizeof(r->outcome), outcome) == -1 ||
	    (role != NULL && audit_copy(r->role, sizeof(r->role), role) == -1) ||
	    (code != NULL && audit_copy(r->code, sizeof(r->code), code) == -1) ||
	    (object != NULL && audit_copy(r->object, sizeof(r->object),
	    object) == -1)) {
		/* Too long to hold: written now, after the rows held. */
		if (store_audit_flush(s, err) == -1)
			return -1;
		return store_audit_insert(s, role, code, op, object, outcome,
		    err);
	}
	r->has = (role ? STORE_AUDIT_HAS_ROLE : 0) |
	    (code ? STORE_AUDIT_HAS_CODE : 0) |
	    (object ? STORE_AUDIT_HAS_OBJECT : 0);
	store_now(r->time);
	s->naudit++;
	return 0;
}

/* Bind row r as the row'th of a multi-row INSERT. */
static void
audit_bind(sqlite3_stmt *st, int row, const struct store_audit_row *r)
{
	int i = row * AUDIT_COLS;

	store_bind_text(st, i + 1, r->time);
	store_bind_text(st, i + 2, r->has & STORE_AUDIT_HAS_ROLE ? r->role :
	    NULL);
	store_bind_text(st, i + 3, r->has & STORE_AUDIT_HAS_CODE ? r->code :
	    NULL);
	store_bind_text(st, i + 4, r->op);
	store_bind_text(st, i + 5, r->has & STORE_AUDIT_HAS_OBJECT ?
	    r->object : NULL);
	store_bind_text(st, i + 6, r->outcome);
}

/*
 * The held rows in order: by 32, then by 8, then one at a time (each a
 * prepared statement; a turn of posts holds one row a request).
 */
int
store_audit_flush(struct store *s, struct error *err)
{
	static const struct { enum stmt_id id; int rows; } by[] = {
		{ ST_AUDIT_INSERT_32, 32 }, { ST_AUDIT_INSERT_8, 8 },
		{ ST_AUDIT_INSERT, 1 },
	};
	sqlite3_stmt	*st;
	size_t		 b;
	int		 done = 0, i, rc = 0;

	for (b = 0; rc == 0 && b < sizeof(by) / sizeof(by[0]); b++)
		while (rc == 0 && s->naudit - done >= by[b].rows) {
			st = store_stmt(s, by[b].id);
			for (i = 0; i < by[b].rows; i++)
				audit_bind(st, i, &s->audit[done + i]);
			rc = store_step_done(s, st, "audit insert", err);
			done += by[b].rows;
		}
	s->naudit = 0;
	return rc;
}

void
store_audit_drop(struct store *s)
{
	s->naudit = 0;
}

int
store_audit_list(struct store *s, const struct store_audit_filter *f,
    int64_t after, int limit, cJSON **page, struct error *err)
{
	sqlite3_stmt *st;

	/* The rows held for the commit are this transaction's own: a list
	 * read in it shows them, as it would show any write before it. */
	if (s->naudit > 0 && store_audit_flush(s, err) == -1)
		return -1;
	st = store_stmt(s, f->newest ? ST_AUDIT_LIST_NEWEST : ST_AUDIT_LIST);

	sqlite3_bind_int64(st, 1, f->newest && after == 0 ? INT64_MAX : after);
	store_bind_text(st, 3, f->op);
	store_bind_text(st, 4, f->code);
	store_bind_text(st, 5, f->since);
	sqlite3_bind_int(st, 2, limit + 1);
	return store_get_page(s, st, store_record_tree, &audit_shape, limit,
	    page, err);
}
