/*
 * store.c: SQLite in WAL mode; every statement prepared once at open.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "daemon/base/log.h"
#include "daemon/store/store.h"
#include "daemon/store/store_priv.h"
#include "daemon/store/store_schema.h"
#include "protocol/json_print.h"
#include "protocol/json_strings.h"

const char *const store_sql_core[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SAVEPOINT] = "SAVEPOINT req",
	[ST_RELEASE] = "RELEASE req",
	[ST_ROLLBACK_TO] = "ROLLBACK TO req",
	[ST_ACCOUNT_INSERT] = "INSERT INTO accounts (role, code, name, street,"
	    " token_hash, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_ACCOUNT_BY_HASH] = "SELECT id, role, code, name, street,"
	    " token_hash FROM accounts WHERE token_hash = ?1",
	[ST_ACCOUNT_BY_CODE] = "SELECT id, role, code, name, street,"
	    " token_hash FROM accounts WHERE role = ?1 AND code = ?2",
	[ST_ACCOUNT_SET_HASH] = "UPDATE accounts SET token_hash = ?2"
	    " WHERE id = ?1",
	[ST_ACCOUNT_NEXT_ID] = "SELECT COALESCE(MAX(id), 0) + 1 FROM accounts",
	[ST_COMMUNITY_INSERT] = "INSERT INTO communities (code, cap, account)"
	    " VALUES (?1, ?2, ?3)",
	[ST_COMMUNITY_GET] = "SELECT c.code, a.name, a.street, c.cap"
	    " FROM communities c JOIN accounts a ON a.id = c.account"
	    " WHERE c.code = ?1",
	[ST_ORG_INSERT] = "INSERT INTO orgs (code, kind, streets, account)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[ST_ORG_GET] = "SELECT o.code, a.name, o.kind, a.street, o.streets"
	    " FROM orgs o JOIN accounts a ON a.id = o.account"
	    " WHERE o.code = ?1",
	[ST_COMMUNITY_LIST] = "SELECT c.code, a.name, a.street, c.cap"
	    " FROM communities c JOIN accounts a ON a.id = c.account"
	    " WHERE c.code > ?1 AND (?2 IS NULL OR a.street = ?2)"
	    " ORDER BY c.code LIMIT ?3",
	[ST_ORG_LIST] = "SELECT o.code, a.name, o.kind, a.street, o.streets"
	    " FROM orgs o JOIN accounts a ON a.id = o.account"
	    " WHERE o.code > ?1 AND (?2 IS NULL OR a.street = ?2 OR EXISTS"
	    " (SELECT 1 FROM json_each(o.streets) WHERE value IN (?2, '*')))"
	    " AND (?3 IS NULL OR o.kind = ?3)"
	    " ORDER BY o.code LIMIT ?4",
	[ST_ORGANIZER_GET] = "SELECT code, name, street FROM accounts"
	    " WHERE role = 'organizer' AND code = ?1",
	[ST_NEED_INSERT] = "INSERT INTO needs (community, partners, street,"
	    " title, category, budget, description, beneficiaries,"
	    " window_from, window_to, year, status, ref, created, updated)"
	    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " ?15, ?16)",
	[ST_NEED_UPDATE] = "UPDATE needs SET community = ?2, partners = ?3,"
	    " street = ?4, title = ?5, category = ?6, budget = ?7,"
	    " description = ?8, beneficiaries = ?9, window_from = ?10,"
	    " window_to = ?11, year = ?12, status = ?13, ref = ?14,"
	    " updated = ?16 WHERE id = ?1",
	[ST_NEED_GET] = "SELECT " NEED_COLS " FROM needs WHERE id = ?1",
	[ST_NEED_BY_REF] = "SELECT " NEED_COLS " FROM needs"
	    " WHERE community = ?1 AND ref = ?2",
	[ST_NEED_LIST] = "SELECT " NEED_COLS " FROM needs WHERE id > ?1"
	    " AND (?2 IS NULL OR street = ?2)"
	    " AND (?3 IS NULL OR community = ?3 OR EXISTS (SELECT 1 FROM"
	    " json_each(needs.partners) WHERE value = ?3))"
	    " AND " CATEGORY_MATCHES("?4")
	    " AND (?5 IS NULL OR status = ?5)"
	    " ORDER BY id LIMIT ?6",
	[ST_OFFER_INSERT] = "INSERT INTO offers (org, partner, title,"
	    " category, price, capacity, remaining, streets, in_library,"
	    " status, description, ref, created, updated) VALUES (?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	[ST_OFFER_UPDATE] = "UPDATE offers SET org = ?2, partner = ?3,"
	    " title = ?4, category = ?5, price = ?6, capacity = ?7,"
	    " remaining = ?8, streets = ?9, in_library = ?10, status = ?11,"
	    " description = ?12, ref = ?13, updated = ?15 WHERE id = ?1",
	[ST_OFFER_GET] = "SELECT " OFFER_COLS " FROM offers WHERE id = ?1",
	[ST_OFFER_BY_REF] = "SELECT " OFFER_COLS " FROM offers"
	    " WHERE org = ?1 AND ref = ?2",
	[ST_OFFER_LIST] = "SELECT " OFFER_COLS " FROM offers WHERE id > ?1"
	    " AND (?2 IS NULL OR org = ?2 OR partner = ?2)"
	    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(offers.streets)"
	    " WHERE value IN (?3, '*')))"
	    " AND " CATEGORY_MATCHES("?4")
	    " AND (?5 IS NULL OR status = ?5)"
	    " AND (?6 IS NULL OR in_library = ?6)"
	    " ORDER BY id LIMIT ?7",
	[ST_AUDIT_INSERT] = "INSERT INTO audit (time, role, code, op, object,"
	    " outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_AUDIT_LIST] = "SELECT id, time, role, code, op, object, outcome"
	    " FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
};

void
store_now(char buf[21])
{
	static time_t	last = -1;
	static char	text[21];
	time_t		now = time(NULL);
	struct tm	tm;

	/* Formatted once a second: a batch stamps hundreds of rows. */
	if (now != last) {
		gmtime_r(&now, &tm);
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = now;
	}
	memcpy(buf, text, sizeof(text));
}

/*
 * Map an SQLite result code to a protocol error.  A full disk, an I/O error
 * or a lock that would not clear means nothing was stored: unavailable.
 */
int
store_fail(struct store *s, int rc, const char *what, struct error *err)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return error_set(err, ERR_UNAVAILABLE, NULL, "the disk is full:"
		    " nothing was stored; try again later");
	case SQLITE_IOERR:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		log_warnx("%s: %s", what, sqlite3_errmsg(s->db));
		return error_set(err, ERR_UNAVAILABLE, NULL, "the store is "
		    "unavailable (%s): nothing was stored; try again later",
		    sqlite3_errstr(rc));
	case SQLITE_CONSTRAINT:
		return error_set(err, ERR_CONFLICT, NULL, "%s: %s", what,
		    sqlite3_errmsg(s->db));
	default:
		log_warnx("%s: %s", what, sqlite3_errmsg(s->db));
		return error_set(err, ERR_INTERNAL, NULL, "internal store "
		    "error");
	}
}

/* The statement, reset and unbound, ready for new bindings. */
sqlite3_stmt *
stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->st[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Run a statement that returns no rows; 0 or -1 with err set. */
int
step_done(struct store *s, sqlite3_stmt *st, const char *what,
    struct error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, what, err);
	return 0;
}

static int
store_exec(struct store *s, const char *sql, struct error *err)
{
	char	*msg = NULL;
	int	 rc;

	if ((rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg)) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "%s",
		    msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
store_migrate(struct store *s, struct error *err)
{
	sqlite3_stmt	*st;
	const char	*sql;
	char		 pragma[64];
	int		 v;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return store_fail(s, sqlite3_errcode(s->db), "user_version",
		    err);
	v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (v < 0 || v > schema_version())
		return error_set(err, ERR_INTERNAL, NULL, "the database has "
		    "schema version %d; this matchd knows up to %d", v,
		    schema_version());
	for (; (sql = schema_migration(v)) != NULL; v++) {
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    v + 1);
		if (store_exec(s, "BEGIN IMMEDIATE", err) == -1)
			return -1;
		if (store_exec(s, sql, err) == -1 ||
		    store_exec(s, pragma, err) == -1 ||
		    store_exec(s, "COMMIT", err) == -1) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		log_debug("store_migrate: schema now at version %d", v + 1);
	}
	return 0;
}

int
store_prepare(struct store *s, struct error *err)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(s->db, store_sql_core[i] ?
		    store_sql_core[i] : store_sql_fairs[i] ? store_sql_fairs[i] :
		    store_sql_runs[i] ? store_sql_runs[i] :
		    store_sql_meetings[i] ? store_sql_meetings[i] :
		    store_sql_oversight[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK)
			return error_set(err, ERR_INTERNAL, NULL, "store_open: "
			    "statement %d: %s", i, sqlite3_errmsg(s->db));
	return 0;
}

struct store *
store_open(const char *path, int sync_full, long busy_ms, long mmap_mib,
    struct error *err)
{
	struct store	*s;
	char		 pragma[64];
	int		 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot open database "
		    "%s: %s", path, s->db ? sqlite3_errmsg(s->db) :
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, (int)busy_ms);
	sqlite3_extended_result_codes(s->db, 1);
	if (store_exec(s, "PRAGMA journal_mode = WAL", err) == -1 ||
	    store_exec(s, sync_full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL", err) == -1) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot use database "
		    "%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	/* Foreign keys on after the migrations: a rebuilt table is dropped
	 * while others still refer to it (SQLite's recipe). */
	if (store_migrate(s, err) == -1)
		goto fail;
	if (store_exec(s, "PRAGMA foreign_keys = ON", err) == -1)
		goto fail;
	/* A read of a page not in SQLite's cache is then no system call. */
	snprintf(pragma, sizeof(pragma), "PRAGMA mmap_size = %lld",
	    (long long)mmap_mib * 1024 * 1024);
	if (store_exec(s, pragma, err) == -1)
		goto fail;
	if (store_prepare(s, err) == -1)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s);
}

int
store_begin(struct store *s, struct error *err)
{
	if (step_done(s, stmt(s, ST_BEGIN), "begin", err) == -1)
		return -1;
	s->in_txn = 1;
	return 0;
}

int
store_commit(struct store *s, struct error *err)
{
	int rc;

	rc = step_done(s, stmt(s, ST_COMMIT), "commit", err);
	if (rc == -1 && !sqlite3_get_autocommit(s->db))
		store_rollback(s);
	s->in_txn = 0;
	return rc;
}

void
store_rollback(struct store *s)
{
	struct error err;

	if (!sqlite3_get_autocommit(s->db))
		(void)step_done(s, stmt(s, ST_ROLLBACK), "rollback", &err);
	s->in_txn = 0;
}

/*
 * Whether a transaction is open.  SQLite rolls a transaction back by itself
 * after some errors (a full disk among them): then this turns false.
 */
int
store_in_txn(struct store *s)
{
	if (s->in_txn && sqlite3_get_autocommit(s->db))
		s->in_txn = 0;
	return s->in_txn;
}

int
store_savepoint(struct store *s, struct error *err)
{
	return step_done(s, stmt(s, ST_SAVEPOINT), "savepoint", err);
}

void
store_savepoint_release(struct store *s)
{
	struct error err;

	(void)step_done(s, stmt(s, ST_RELEASE), "release", &err);
}

void
store_savepoint_rollback(struct store *s)
{
	struct error err;

	if (sqlite3_get_autocommit(s->db))
		return;
	(void)step_done(s, stmt(s, ST_ROLLBACK_TO), "rollback to", &err);
	(void)step_done(s, stmt(s, ST_RELEASE), "release", &err);
}

/* ---- accounts ---------------------------------------------------------- */

static void
copy_col(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", t ? (const char *)t : "");
}

static int
account_row(struct store *s, sqlite3_stmt *st, struct account *a,
    struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, rc, "account", err);
	}
	a->id = sqlite3_column_int64(st, 0);
	copy_col(a->role, sizeof(a->role), st, 1);
	copy_col(a->code, sizeof(a->code), st, 2);
	copy_col(a->name, sizeof(a->name), st, 3);
	copy_col(a->street, sizeof(a->street), st, 4);
	if (sqlite3_column_bytes(st, 5) == TOKEN_HASH_BYTES)
		memcpy(a->hash, sqlite3_column_blob(st, 5), TOKEN_HASH_BYTES);
	sqlite3_reset(st);
	return 0;
}

int
store_account_insert(struct store *s, const char *role, const char *code,
    const char *name, const char *street,
    const unsigned char hash[TOKEN_HASH_BYTES], int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_ACCOUNT_INSERT);
	char		 now[21];

	store_now(now);
	bind_text(st, 1, role);
	bind_text(st, 2, code);
	bind_text(st, 3, name);
	bind_text(st, 4, street);
	sqlite3_bind_blob(st, 5, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	bind_text(st, 6, now);
	if (step_done(s, st, "account insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_account_by_hash(struct store *s,
    const unsigned char hash[TOKEN_HASH_BYTES], struct account *a,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ACCOUNT_BY_HASH);

	sqlite3_bind_blob(st, 1, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	return account_row(s, st, a, err);
}

int
store_account_by_code(struct store *s, const char *role, const char *code,
    struct account *a, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ACCOUNT_BY_CODE);

	bind_text(st, 1, role);
	bind_text(st, 2, code);
	return account_row(s, st, a, err);
}

int
store_account_set_hash(struct store *s, int64_t id,
    const unsigned char hash[TOKEN_HASH_BYTES], struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ACCOUNT_SET_HASH);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	if (s->token_hook != NULL)
		s->token_hook(s->token_hook_arg);
	return step_done(s, st, "account token", err);
}

void
store_set_token_hook(struct store *s, void (*fn)(void *), void *arg)
{
	s->token_hook = fn;
	s->token_hook_arg = arg;
}

int64_t
store_account_next_id(struct store *s)
{
	sqlite3_stmt	*st = stmt(s, ST_ACCOUNT_NEXT_ID);
	int64_t		 id = 1;

	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* ---- rows to objects --------------------------------------------------- */

void
add_item(cJSON *o, const char *key, cJSON *v)
{
	if (v != NULL && !cJSON_AddItemToObjectCS(o, key, v))
		cJSON_Delete(v);
}

void
add_num(cJSON *o, const char *key, double v)
{
	add_item(o, key, cJSON_CreateNumber(v));
}

void
add_text(cJSON *o, const char *key, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		add_item(o, key, cJSON_CreateNull());
	else
		add_item(o, key, cJSON_CreateString(
		    (const char *)sqlite3_column_text(st, col)));
}

void
add_yuan(cJSON *o, const char *key, sqlite3_stmt *st, int col)
{
	add_num(o, key, (double)sqlite3_column_int64(st, col) / 100.0);
}

void
add_json(cJSON *o, const char *key, sqlite3_stmt *st, int col)
{
	const char	*t = (const char *)sqlite3_column_text(st, col);
	cJSON		*v = t ? json_strings_parse(t) : NULL;

	if (v == NULL)
		v = cJSON_CreateArray();
	add_item(o, key, v);
}

cJSON *
need_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject(), *w;

	if (o == NULL)
		return NULL;
	add_num(o, "id", (double)sqlite3_column_int64(st, 0));
	add_text(o, "community", st, 1);
	add_json(o, "partners", st, 2);
	add_text(o, "street", st, 3);
	add_text(o, "title", st, 4);
	add_text(o, "category", st, 5);
	add_yuan(o, "budget", st, 6);
	add_text(o, "description", st, 7);
	add_num(o, "beneficiaries",
	    (double)sqlite3_column_int64(st, 8));
	if (sqlite3_column_type(st, 9) == SQLITE_NULL)
		add_item(o, "window", cJSON_CreateNull());
	else if ((w = cJSON_CreateObject()) != NULL) {
		add_text(w, "from", st, 9);
		add_text(w, "to", st, 10);
		add_item(o, "window", w);
	}
	add_num(o, "year", sqlite3_column_int(st, 11));
	add_text(o, "status", st, 12);
	add_text(o, "ref", st, 13);
	add_text(o, "created", st, 14);
	add_text(o, "updated", st, 15);
	return o;
}

/*
 * The text of need_row's object, written straight from the row: the same
 * members in the same order, each value as json_print writes it (the store
 * tests compare the two on every kind of value).  Reads answer with it and
 * build no tree.
 */
static void
text_member(struct json_buf *b, const char *key, sqlite3_stmt *st, int col)
{
	json_buf_raw(b, key, strlen(key));
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		json_buf_raw(b, "null", 4);
	else
		json_buf_string(b, (const char *)sqlite3_column_text(st, col));
}

static void
text_number(struct json_buf *b, const char *key, double v)
{
	json_buf_raw(b, key, strlen(key));
	json_buf_number(b, v);
}

/* A stored JSON array: "[]" as it is, anything else as add_json reads it. */
static void
text_json(struct json_buf *b, const char *key, sqlite3_stmt *st, int col)
{
	const char	*t = (const char *)sqlite3_column_text(st, col);
	cJSON		*v;

	json_buf_raw(b, key, strlen(key));
	if (t != NULL && strcmp(t, "[]") == 0) {
		json_buf_raw(b, "[]", 2);
		return;
	}
	if ((v = t ? json_strings_parse(t) : NULL) == NULL)
		v = cJSON_CreateArray();
	json_buf_value(b, v);
	cJSON_Delete(v);
}

static void
need_text(sqlite3_stmt *st, struct json_buf *b)
{
	text_number(b, "{\"id\":", (double)sqlite3_column_int64(st, 0));
	text_member(b, ",\"community\":", st, 1);
	text_json(b, ",\"partners\":", st, 2);
	text_member(b, ",\"street\":", st, 3);
	text_member(b, ",\"title\":", st, 4);
	text_member(b, ",\"category\":", st, 5);
	text_number(b, ",\"budget\":",
	    (double)sqlite3_column_int64(st, 6) / 100.0);
	text_member(b, ",\"description\":", st, 7);
	text_number(b, ",\"beneficiaries\":",
	    (double)sqlite3_column_int64(st, 8));
	if (sqlite3_column_type(st, 9) == SQLITE_NULL)
		json_buf_raw(b, ",\"window\":null", 14);
	else {
		text_member(b, ",\"window\":{\"from\":", st, 9);
		text_member(b, ",\"to\":", st, 10);
		json_buf_raw(b, "}", 1);
	}
	text_number(b, ",\"year\":", sqlite3_column_int(st, 11));
	text_member(b, ",\"status\":", st, 12);
	text_member(b, ",\"ref\":", st, 13);
	text_member(b, ",\"created\":", st, 14);
	text_member(b, ",\"updated\":", st, 15);
	json_buf_raw(b, "}", 1);
}

cJSON *
offer_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	add_num(o, "id", (double)sqlite3_column_int64(st, 0));
	add_text(o, "org", st, 1);
	add_text(o, "partner", st, 2);
	add_text(o, "title", st, 3);
	add_text(o, "category", st, 4);
	add_yuan(o, "price", st, 5);
	add_num(o, "capacity", sqlite3_column_int(st, 6));
	add_num(o, "remaining", sqlite3_column_int(st, 7));
	add_json(o, "streets", st, 8);
	add_item(o, "in_library", cJSON_CreateBool(sqlite3_column_int(st, 9)));
	add_text(o, "status", st, 10);
	add_text(o, "description", st, 11);
	add_text(o, "ref", st, 12);
	add_text(o, "created", st, 13);
	add_text(o, "updated", st, 14);
	return o;
}

static cJSON *
audit_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	add_num(o, "id", (double)sqlite3_column_int64(st, 0));
	add_text(o, "time", st, 1);
	add_text(o, "role", st, 2);
	add_text(o, "code", st, 3);
	add_text(o, "op", st, 4);
	add_text(o, "object", st, 5);
	add_text(o, "outcome", st, 6);
	return o;
}

/*
 * Step st to its row: 0 with the row to read (the caller resets st), or 1
 * when there is none, or -1 with err set; st is reset but for 0.
 */
static int
step_row(struct store *s, sqlite3_stmt *st, struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 0;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 1;
	return store_fail(s, rc, "get", err);
}

/* Step a statement expected to give at most one row, converted by fn. */
int
get_one(struct store *s, sqlite3_stmt *st, cJSON *(*fn)(sqlite3_stmt *),
    cJSON **out, struct error *err)
{
	int rc;

	*out = NULL;
	if ((rc = step_row(s, st, err)) != 0)
		return rc;
	*out = fn(st);
	sqlite3_reset(st);
	if (*out == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

/*
 * Collect up to limit rows into {"items": [...], "next": id|null}.  The
 * statement was bound to fetch limit + 1 rows: the extra one only tells
 * that a next page exists.
 */
int
get_page(struct store *s, sqlite3_stmt *st, cJSON *(*fn)(sqlite3_stmt *),
    int limit, cJSON **page, struct error *err)
{
	cJSON	*items, *o;
	int64_t	 last = 0;
	char	 lastcode[72] = "";
	int	 rc, n = 0, more = 0;

	*page = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(*page, "items");
	if (*page == NULL || items == NULL)
		goto oom;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		if ((o = fn(st)) == NULL)
			goto oom;
		cJSON_AddItemToArray(items, o);
		/* Pages go by id, or by code where the key is text. */
		if (sqlite3_column_type(st, 0) == SQLITE_TEXT)
			snprintf(lastcode, sizeof(lastcode), "%s",
			    sqlite3_column_text(st, 0));
		else
			last = sqlite3_column_int64(st, 0);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		cJSON_Delete(*page);
		*page = NULL;
		return store_fail(s, rc, "list", err);
	}
	if (more && lastcode[0] != '\0')
		cJSON_AddStringToObject(*page, "next", lastcode);
	else if (more)
		cJSON_AddNumberToObject(*page, "next", (double)last);
	else
		cJSON_AddNullToObject(*page, "next");
	return 0;
oom:
	sqlite3_reset(st);
	cJSON_Delete(*page);
	*page = NULL;
	return error_set(err, ERR_INTERNAL, NULL, "out of memory");
}

/* ---- communities and organisations ------------------------------------ */

int
store_community_insert(struct store *s, const char *code, int64_t cap,
    int64_t account, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_COMMUNITY_INSERT);

	bind_text(st, 1, code);
	sqlite3_bind_int64(st, 2, cap);
	sqlite3_bind_int64(st, 3, account);
	return step_done(s, st, "community insert", err);
}

static cJSON *
community_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	add_text(o, "code", st, 0);
	add_text(o, "name", st, 1);
	add_text(o, "street", st, 2);
	add_yuan(o, "cap", st, 3);
	return o;
}

int
store_community_get(struct store *s, const char *code, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_COMMUNITY_GET);

	bind_text(st, 1, code);
	return get_one(s, st, community_row, out, err);
}

int
store_community_list(struct store *s, const char *street, const char *after,
    int limit, cJSON **page, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_COMMUNITY_LIST);

	bind_text(st, 1, after ? after : "");
	bind_text(st, 2, street);
	sqlite3_bind_int(st, 3, limit + 1);
	return get_page(s, st, community_row, limit, page, err);
}

int
store_org_insert(struct store *s, const char *code, const char *kind,
    const char *streets_json, int64_t account, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ORG_INSERT);

	bind_text(st, 1, code);
	bind_text(st, 2, kind);
	bind_text(st, 3, streets_json);
	sqlite3_bind_int64(st, 4, account);
	return step_done(s, st, "org insert", err);
}

static cJSON *
org_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	add_text(o, "code", st, 0);
	add_text(o, "name", st, 1);
	add_text(o, "kind", st, 2);
	add_text(o, "street", st, 3);
	add_json(o, "streets", st, 4);
	return o;
}

int
store_org_get(struct store *s, const char *code, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ORG_GET);

	bind_text(st, 1, code);
	return get_one(s, st, org_row, out, err);
}

int
store_org_list(struct store *s, const char *street, const char *kind,
    const char *after, int limit, cJSON **page, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ORG_LIST);

	bind_text(st, 1, after ? after : "");
	bind_text(st, 2, street);
	bind_text(st, 3, kind);
	sqlite3_bind_int(st, 4, limit + 1);
	return get_page(s, st, org_row, limit, page, err);
}

static cJSON *
organizer_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	add_text(o, "code", st, 0);
	add_text(o, "name", st, 1);
	add_text(o, "street", st, 2);
	return o;
}

int
store_organizer_get(struct store *s, const char *code, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ORGANIZER_GET);

	bind_text(st, 1, code);
	return get_one(s, st, organizer_row, out, err);
}

/* ---- needs and offers -------------------------------------------------- */

static const char *
obj_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A member's integer value; 0 when it is absent or not a number. */
static int64_t
member_int(const cJSON *v)
{
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/*
 * The members of o named in keys, into m (NULL where absent), in one walk
 * of o: a record has a dozen members, and looking each up walks the list
 * again.  Keys are told apart by their first letter before strcmp.
 */
static void
obj_members(const cJSON *o, const char *const *keys, size_t n,
    const cJSON **m)
{
	const cJSON	*c;
	size_t		 i;

	memset(m, 0, n * sizeof(*m));
	for (c = o->child; c != NULL; c = c->next)
		for (i = 0; i < n; i++)
			if (c->string != NULL && c->string[0] == keys[i][0] &&
			    strcmp(c->string, keys[i]) == 0) {
				m[i] = c;
				break;
			}
}

static void
bind_member_text(sqlite3_stmt *st, int i, const cJSON *v)
{
	bind_text(st, i, cJSON_IsString(v) ? v->valuestring : NULL);
}

static void
bind_member_int(sqlite3_stmt *st, int i, const cJSON *v)
{
	sqlite3_bind_int64(st, i, member_int(v));
}

/* An amount in yuan, bound as fen. */
static void
bind_member_fen(sqlite3_stmt *st, int i, const cJSON *v)
{
	sqlite3_bind_int64(st, i, cJSON_IsNumber(v) ?
	    (int64_t)llround(v->valuedouble * 100) : 0);
}

/* Bind a JSON-valued member as text; *tmp receives what to free after. */
static void
bind_member_json(sqlite3_stmt *st, int i, const cJSON *v, char **tmp)
{
	*tmp = v ? json_print(v, NULL) : NULL;
	bind_text(st, i, *tmp ? *tmp : "[]");
}

/* A need's members, in the order of the write statements' parameters. */
enum {
	NM_ID, NM_COMMUNITY, NM_PARTNERS, NM_STREET, NM_TITLE, NM_CATEGORY,
	NM_BUDGET, NM_DESCRIPTION, NM_BENEFICIARIES, NM_WINDOW, NM_YEAR,
	NM_STATUS, NM_REF, NM_COUNT
};
static const char *const need_members[NM_COUNT] = {
	"id", "community", "partners", "street", "title", "category", "budget",
	"description", "beneficiaries", "window", "year", "status", "ref"
};

static int
need_write(struct store *s, enum stmt_id id, const cJSON *n,
    const char *now, struct error *err)
{
	sqlite3_stmt	*st = stmt(s, id);
	const cJSON	*m[NM_COUNT], *w;
	char		*partners;
	int		 rc;

	obj_members(n, need_members, NM_COUNT, m);
	w = cJSON_IsObject(m[NM_WINDOW]) ? m[NM_WINDOW] : NULL;
	bind_member_int(st, 1, m[NM_ID]);
	bind_member_text(st, 2, m[NM_COMMUNITY]);
	bind_member_json(st, 3, m[NM_PARTNERS], &partners);
	bind_member_text(st, 4, m[NM_STREET]);
	bind_member_text(st, 5, m[NM_TITLE]);
	bind_member_text(st, 6, m[NM_CATEGORY]);
	bind_member_fen(st, 7, m[NM_BUDGET]);
	bind_member_text(st, 8, m[NM_DESCRIPTION]);
	bind_member_int(st, 9, m[NM_BENEFICIARIES]);
	bind_text(st, 10, w ? obj_str(w, "from") : NULL);
	bind_text(st, 11, w ? obj_str(w, "to") : NULL);
	bind_member_int(st, 12, m[NM_YEAR]);
	bind_member_text(st, 13, m[NM_STATUS]);
	bind_member_text(st, 14, m[NM_REF]);
	bind_text(st, 15, now);
	bind_text(st, 16, now);
	rc = step_done(s, st, "need write", err);
	cJSON_free(partners);
	return rc;
}

/*
 * What an insert adds to the record: its id and times, and a null ref, so
 * that the object is what a later get answers (no read back needed).
 */
static void
store_complete(cJSON *o, int64_t id, const char *now)
{
	if (cJSON_GetObjectItemCaseSensitive(o, "ref") == NULL)
		add_item(o, "ref", cJSON_CreateNull());
	add_num(o, "id", (double)id);
	add_item(o, "created", cJSON_CreateString(now));
	add_item(o, "updated", cJSON_CreateString(now));
}

int
store_need_insert(struct store *s, cJSON *need, int64_t *id,
    struct error *err)
{
	char now[21];

	store_now(now);
	if (need_write(s, ST_NEED_INSERT, need, now, err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	store_complete(need, *id, now);
	return 0;
}

int
store_need_update(struct store *s, const cJSON *need, struct error *err)
{
	char now[21];

	store_now(now);
	if (need_write(s, ST_NEED_UPDATE, need, now, err) == -1)
		return -1;
	if (s->need_hook != NULL)
		s->need_hook(s->need_hook_arg, (int64_t)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(need, "id")));
	return 0;
}

void
store_set_need_hook(struct store *s, store_offer_hook fn, void *arg)
{
	s->need_hook = fn;
	s->need_hook_arg = arg;
}

int
store_need_get(struct store *s, int64_t id, cJSON **out, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_NEED_GET);

	sqlite3_bind_int64(st, 1, id);
	return get_one(s, st, need_row, out, err);
}

int
store_need_get_text(struct store *s, int64_t id, char **out,
    struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_NEED_GET);
	struct json_buf	 b;
	int		 rc;

	*out = NULL;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_row(s, st, err)) != 0)
		return rc;
	json_buf_init(&b);
	need_text(st, &b);
	sqlite3_reset(st);
	if ((*out = json_buf_finish(&b, NULL)) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int
store_need_by_ref(struct store *s, const char *community, const char *ref,
    cJSON **out, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_NEED_BY_REF);

	bind_text(st, 1, community);
	bind_text(st, 2, ref);
	return get_one(s, st, need_row, out, err);
}

int
store_need_list(struct store *s, const struct list_filter *f, cJSON **page,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_NEED_LIST);

	sqlite3_bind_int64(st, 1, f->after);
	bind_text(st, 2, f->street);
	bind_text(st, 3, f->owner);
	bind_text(st, 4, f->category);
	bind_text(st, 5, f->status);
	sqlite3_bind_int(st, 6, f->limit + 1);
	return get_page(s, st, need_row, f->limit, page, err);
}

/* An offer's members, in the order of the write statements' parameters. */
enum {
	OM_ID, OM_ORG, OM_PARTNER, OM_TITLE, OM_CATEGORY, OM_PRICE,
	OM_CAPACITY, OM_REMAINING, OM_STREETS, OM_IN_LIBRARY, OM_STATUS,
	OM_DESCRIPTION, OM_REF, OM_COUNT
};
static const char *const offer_members[OM_COUNT] = {
	"id", "org", "partner", "title", "category", "price", "capacity",
	"remaining", "streets", "in_library", "status", "description", "ref"
};

static int
offer_write(struct store *s, enum stmt_id id, const cJSON *o,
    const char *now, struct error *err)
{
	sqlite3_stmt	*st = stmt(s, id);
	const cJSON	*m[OM_COUNT];
	char		*streets;
	int		 rc;

	obj_members(o, offer_members, OM_COUNT, m);
	bind_member_int(st, 1, m[OM_ID]);
	bind_member_text(st, 2, m[OM_ORG]);
	bind_member_text(st, 3, m[OM_PARTNER]);
	bind_member_text(st, 4, m[OM_TITLE]);
	bind_member_text(st, 5, m[OM_CATEGORY]);
	bind_member_fen(st, 6, m[OM_PRICE]);
	bind_member_int(st, 7, m[OM_CAPACITY]);
	bind_member_int(st, 8, m[OM_REMAINING]);
	bind_member_json(st, 9, m[OM_STREETS], &streets);
	sqlite3_bind_int(st, 10, cJSON_IsTrue(m[OM_IN_LIBRARY]));
	bind_member_text(st, 11, m[OM_STATUS]);
	bind_member_text(st, 12, m[OM_DESCRIPTION]);
	bind_member_text(st, 13, m[OM_REF]);
	bind_text(st, 14, now);
	bind_text(st, 15, now);
	rc = step_done(s, st, "offer write", err);
	cJSON_free(streets);
	if (rc == 0 && s->offer_hook != NULL)
		s->offer_hook(s->offer_hook_arg, id == ST_OFFER_INSERT ?
		    sqlite3_last_insert_rowid(s->db) : member_int(m[OM_ID]));
	return rc;
}

void
store_set_offer_hook(struct store *s, store_offer_hook fn, void *arg)
{
	s->offer_hook = fn;
	s->offer_hook_arg = arg;
}

int
store_offer_insert(struct store *s, cJSON *offer, int64_t *id,
    struct error *err)
{
	char now[21];

	store_now(now);
	if (offer_write(s, ST_OFFER_INSERT, offer, now, err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	store_complete(offer, *id, now);
	return 0;
}

int
store_offer_update(struct store *s, const cJSON *offer, struct error *err)
{
	char now[21];

	store_now(now);
	return offer_write(s, ST_OFFER_UPDATE, offer, now, err);
}

int
store_offer_get(struct store *s, int64_t id, cJSON **out, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_OFFER_GET);

	sqlite3_bind_int64(st, 1, id);
	return get_one(s, st, offer_row, out, err);
}

int
store_offer_by_ref(struct store *s, const char *org, const char *ref,
    cJSON **out, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_OFFER_BY_REF);

	bind_text(st, 1, org);
	bind_text(st, 2, ref);
	return get_one(s, st, offer_row, out, err);
}

int
store_offer_list(struct store *s, const struct list_filter *f, cJSON **page,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_OFFER_LIST);

	sqlite3_bind_int64(st, 1, f->after);
	bind_text(st, 2, f->owner);
	bind_text(st, 3, f->street);
	bind_text(st, 4, f->category);
	bind_text(st, 5, f->status);
	if (f->in_library >= 0)
		sqlite3_bind_int(st, 6, f->in_library);
	sqlite3_bind_int(st, 7, f->limit + 1);
	return get_page(s, st, offer_row, f->limit, page, err);
}

/* ---- audit ------------------------------------------------------------- */

int
store_audit_insert(struct store *s, const char *role, const char *code,
    const char *op, const char *object, const char *outcome,
    struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_AUDIT_INSERT);
	char		 now[21];

	store_now(now);
	bind_text(st, 1, now);
	bind_text(st, 2, role);
	bind_text(st, 3, code);
	bind_text(st, 4, op);
	bind_text(st, 5, object);
	bind_text(st, 6, outcome);
	return step_done(s, st, "audit insert", err);
}

int
store_audit_list(struct store *s, int64_t after, int limit, cJSON **page,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_AUDIT_LIST);

	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit + 1);
	return get_page(s, st, audit_row, limit, page, err);
}
