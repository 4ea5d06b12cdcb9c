/*
 * store.c: SQLite in WAL mode: open and migrate, every statement prepared
 * once at open, transactions and savepoints, and the helpers the store's
 * files share (statements, binds, rows to objects, pages).
 *
 * The statements of the other files: store_accounts.c (accounts,
 * communities, organisations), store_audit.c, store_record.c (needs,
 * offers and every record type described in store_needs.c ...),
 * store_fairs.c, store_matches.c, store_oversight.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "protocol/json_strings.h"
#include "daemon/base/clock.h"
#include "daemon/base/log.h"
#include "daemon/store/store.h"
#include "daemon/store/store_priv.h"
#include "daemon/store/store_schema.h"

const char *const store_sql_core[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SAVEPOINT] = "SAVEPOINT req",
	[ST_RELEASE] = "RELEASE req",
	[ST_ROLLBACK_TO] = "ROLLBACK TO req",
};

void
store_now(char buf[21])
{
	static time_t	last = -1;
	static char	text[21];
	time_t		now = clock_now();
	char		day[11];

	if (clock_pretended(day)) {
		snprintf(buf, 21, "%.10sT02:00:00Z", day);
		return;
	}
	/* Formatted once a second: a batch stamps hundreds of rows. */
	if (now != last) {
		clock_format(now, text);
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
store_stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->st[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Run a statement that returns no rows; 0 or -1 with err set. */
int
store_step_done(struct store *s, sqlite3_stmt *st, const char *what,
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

/*
 * Prepare statement i: its text from the file that owns it, or built from
 * a record type's or a view's columns (store_record.c).
 */
static int
store_prepare_one(struct store *s, enum stmt_id i, struct error *err)
{
	static const char *const *const files[] = { store_sql_core,
	    store_sql_accounts, store_sql_audit, store_sql_fairs,
	    store_sql_matches, store_sql_oversight, store_sql_events,
	    store_sql_streets, store_sql_meetings, store_sql_projects,
	    store_sql_projects_read, store_sql_interests };
	static const struct store_select *const built[] = {
	    store_select_fairs, store_select_matches };
	const char	*sql = NULL;
	char		*made = NULL;
	size_t		 f;
	int		 rc;

	for (f = 0; sql == NULL && f < sizeof(files) / sizeof(files[0]); f++)
		sql = files[f][i];
	for (f = 0; sql == NULL && f < sizeof(built) / sizeof(built[0]); f++)
		if (built[f][i].tail != NULL && (sql = made =
		    store_select_sql(&built[f][i])) == NULL)
			return error_set(err, ERR_INTERNAL, NULL,
			    "out of memory");
	if (sql == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "store_prepare: "
		    "statement %d has no text", (int)i);
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->st[i], NULL);
	free(made);
	if (rc != SQLITE_OK)
		return error_set(err, ERR_INTERNAL, NULL, "store_prepare: "
		    "statement %d: %s", (int)i, sqlite3_errmsg(s->db));
	return 0;
}

int
store_prepare(struct store *s, struct error *err)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (store_prepare_one(s, i, err) == -1)
			return -1;
	return store_records_open(s, err);
}

struct store *
store_connect(const char *path, int flags, long busy_ms, const char *why,
    struct error *err)
{
	struct store	*s;
	int		 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot open database "
		    "%s%s: %s", path, why, s->db ? sqlite3_errmsg(s->db) :
		    sqlite3_errstr(rc));
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, (int)busy_ms);
	sqlite3_extended_result_codes(s->db, 1);
	return s;
}

void
store_library_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *
store_open(const char *path, int sync_full, long busy_ms, long mmap_mib,
    struct error *err)
{
	struct store	*s;
	char		 pragma[64];

	if ((s = store_connect(path, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, busy_ms, "", err)) == NULL)
		return NULL;
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
	s->map_limit = (sqlite3_int64)mmap_mib * 1024 * 1024;
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
	store_records_close(s);
	sqlite3_close(s->db);
	free(s->acct);
	free(s->caps);
	free(s);
}

/*
 * Map the database as far as it now reaches, at most once a second.
 * SQLite maps the file when a read first needs it and maps it again when
 * its connection grows the file or finds another's write in the WAL; the
 * loop's connection is the only writer and the checkpointer thread grows
 * the file from a connection of its own, so the loop's map kept the size
 * it had at start and every page past it was a pread.  A new limit makes
 * SQLite map again (between transactions, when no mapped page is held).
 */
static void
store_map_refresh(struct store *s)
{
	sqlite3_file	*f = NULL;
	sqlite3_int64	 size, limit;
	time_t		 now = clock_now();

	if (s->map_limit <= 0 || now == s->map_checked)
		return;
	s->map_checked = now;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_FILE_POINTER,
	    &f) != SQLITE_OK || f == NULL || f->pMethods == NULL ||
	    f->pMethods->xFileSize(f, &size) != SQLITE_OK ||
	    size == s->map_size)
		return;
	s->map_size = size;
	/* The limit moves by a page and back: the map's reach is the file. */
	limit = s->map_limit - (s->map_flip ? 4096 : 0);
	s->map_flip = !s->map_flip;
	(void)sqlite3_file_control(s->db, "main", SQLITE_FCNTL_MMAP_SIZE,
	    &limit);
}

int
store_begin(struct store *s, struct error *err)
{
	store_audit_drop(s);
	store_map_refresh(s);
	if (store_step_done(s, store_stmt(s, ST_BEGIN), "begin", err) == -1)
		return -1;
	s->in_txn = 1;
	s->changes_at_begin = sqlite3_total_changes64(s->db);
	return 0;
}

int
store_commit(struct store *s, struct error *err)
{
	int rc;

	/* The turn's audit rows go in with it (store_audit_add). */
	rc = store_audit_flush(s, err);
	if (rc == 0)
		rc = store_step_done(s, store_stmt(s, ST_COMMIT), "commit",
		    err);
	if (rc == -1 && !sqlite3_get_autocommit(s->db))
		store_rollback(s);
	if (rc == -1)
		s->acct_gen++;	/* nothing of it was stored */
	s->commit_wrote = rc == 0 &&
	    sqlite3_total_changes64(s->db) != s->changes_at_begin;
	s->in_txn = 0;
	return rc;
}

int
store_commit_wrote(const struct store *s)
{
	return s->commit_wrote;
}

void
store_rollback(struct store *s)
{
	struct error err;

	store_audit_drop(s);
	s->acct_gen++;		/* an account written in it is gone */
	if (!sqlite3_get_autocommit(s->db))
		(void)store_step_done(s, store_stmt(s, ST_ROLLBACK),
		    "rollback", &err);
	s->in_txn = 0;
}

/*
 * Whether a transaction is open.  SQLite rolls a transaction back by itself
 * after some errors (a full disk among them): then this turns false.
 */
int
store_in_txn(struct store *s)
{
	if (s->in_txn && sqlite3_get_autocommit(s->db)) {
		s->in_txn = 0;
		store_audit_drop(s);
		s->acct_gen++;	/* SQLite rolled it back */
	}
	return s->in_txn;
}

int
store_savepoint(struct store *s, struct error *err)
{
	return store_step_done(s, store_stmt(s, ST_SAVEPOINT), "savepoint",
	    err);
}

void
store_savepoint_release(struct store *s)
{
	struct error err;

	(void)store_step_done(s, store_stmt(s, ST_RELEASE), "release", &err);
}

void
store_savepoint_rollback(struct store *s)
{
	struct error err;

	s->acct_gen++;		/* an account written in it is gone */
	if (sqlite3_get_autocommit(s->db))
		return;
	(void)store_step_done(s, store_stmt(s, ST_ROLLBACK_TO), "rollback to",
	    &err);
	(void)store_step_done(s, store_stmt(s, ST_RELEASE), "release", &err);
}

/* ---- rows to objects --------------------------------------------------- */

const char *
store_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}

void
store_add(cJSON *o, const char *key, cJSON *v)
{
	if (v != NULL && !cJSON_AddItemToObjectCS(o, key, v))
		cJSON_Delete(v);
}

void
store_add_num(cJSON *o, const char *key, double v)
{
	store_add(o, key, cJSON_CreateNumber(v));
}

void
store_add_text(cJSON *o, const char *key, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		store_add(o, key, cJSON_CreateNull());
	else
		store_add(o, key, cJSON_CreateString(
		    (const char *)sqlite3_column_text(st, col)));
}

void
store_add_yuan(cJSON *o, const char *key, sqlite3_stmt *st, int col)
{
	store_add_num(o, key, (double)sqlite3_column_int64(st, col) / 100.0);
}

/* A stored JSON value; an empty array when it is missing or unreadable. */
void
store_add_json(cJSON *o, const char *key, sqlite3_stmt *st, int col)
{
	const char	*t = (const char *)sqlite3_column_text(st, col);
	cJSON		*v = t ? json_strings_parse(t) : NULL;

	if (v == NULL)
		v = cJSON_CreateArray();
	store_add(o, key, v);
}

int
store_step_row(struct store *s, sqlite3_stmt *st, struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 0;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 1;
	return store_fail(s, rc, "get", err);
}

int
store_get_one(struct store *s, sqlite3_stmt *st, store_tree_fn fn,
    const void *arg, cJSON **out, struct error *err)
{
	int rc;

	*out = NULL;
	if ((rc = store_step_row(s, st, err)) != 0)
		return rc;
	*out = fn(arg, st);
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
store_get_page(struct store *s, sqlite3_stmt *st, store_tree_fn fn,
    const void *arg, int limit, cJSON **page, struct error *err)
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
		if ((o = fn(arg, st)) == NULL)
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

int
store_get_all(struct store *s, sqlite3_stmt *st, store_tree_fn fn,
    const void *arg, cJSON **items, struct error *err)
{
	cJSON	*o;
	int	 rc;

	if ((*items = cJSON_CreateArray()) == NULL) {
		sqlite3_reset(st);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((o = fn(arg, st)) == NULL)
			break;
		cJSON_AddItemToArray(*items, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(*items);
		*items = NULL;
		if (rc == SQLITE_ROW)
			return error_set(err, ERR_INTERNAL, NULL,
			    "out of memory");
		return store_fail(s, rc, "list", err);
	}
	return 0;
}

/* Step st to the end, handing each row to row(); 0 or -1. */
int
store_each_row(struct store *s, sqlite3_stmt *st,
    int (*row)(sqlite3_stmt *, void *, struct error *), void *arg,
    struct error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(st, arg, err) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "read", err);
	return 0;
}

/* UPDATE ... SET status = ?2, updated = now WHERE id = ?1, by statement. */
int
store_set_status(struct store *s, enum stmt_id which, int64_t id,
    const char *status, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, which);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, status);
	store_bind_text(st, 3, now);
	return store_step_done(s, st, "status", err);
}
