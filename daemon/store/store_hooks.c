/*
 * store_hooks.c: the webhook worker's own connection to the database.  It
 * is used by that thread alone, reads only what is committed (each read
 * is its own WAL snapshot, which never waits for the loop's writes), and
 * writes nothing: the loop thread moves webhooks' positions forward
 * (store_webhook_advance) from what the worker tells it.
 */
#include <stdlib.h>

#include "daemon/store/store_priv.h"

enum { HK_WEBHOOKS, HK_EVENTS, HK_COUNT };

static const char *const hookdb_sql[HK_COUNT] = {
	[HK_WEBHOOKS] = "SELECT id, url, kinds, format, secret, role, code,"
	    " street, position, created FROM webhooks ORDER BY id",
	[HK_EVENTS] = "SELECT " EVENT_COLS " FROM events WHERE id > ?1"
	    " ORDER BY id LIMIT ?2",
};

struct store_hookdb {
	sqlite3		*db;
	sqlite3_stmt	*st[HK_COUNT];
};

struct store_hookdb *
store_hookdb_open(const char *path, long busy_ms, struct error *err)
{
	struct store_hookdb	*h;
	int			 i;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(h->db, "PRAGMA query_only = ON", NULL, NULL,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(h->db, (int)busy_ms);
	for (i = 0; i < HK_COUNT; i++)
		if (sqlite3_prepare_v3(h->db, hookdb_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &h->st[i], NULL) != SQLITE_OK)
			goto fail;
	return h;
fail:
	error_set(err, ERR_UNAVAILABLE, NULL, "store_hookdb_open: %s: %s",
	    path, h->db ? sqlite3_errmsg(h->db) : "cannot open");
	store_hookdb_close(h);
	return NULL;
}

void
store_hookdb_close(struct store_hookdb *h)
{
	int i;

	if (h == NULL)
		return;
	for (i = 0; i < HK_COUNT; i++)
		sqlite3_finalize(h->st[i]);
	sqlite3_close(h->db);
	free(h);
}

/* A failed step: unavailable (the worker tries again later). */
static int
hookdb_fail(struct store_hookdb *h, sqlite3_stmt *st, struct error *err)
{
	sqlite3_reset(st);
	return error_set(err, ERR_UNAVAILABLE, NULL, "webhook reader: %s",
	    sqlite3_errmsg(h->db));
}

int
store_hookdb_webhooks(struct store_hookdb *h, store_webhook_fn fn, void *arg,
    struct error *err)
{
	sqlite3_stmt		*st = h->st[HK_WEBHOOKS];
	struct store_webhook	 w;
	int			 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		w.id = sqlite3_column_int64(st, 0);
		w.url = store_col_text(st, 1);
		w.kinds = store_col_text(st, 2);
		w.format = store_col_text(st, 3);
		w.secret = store_col_text(st, 4);
		w.role = store_col_text(st, 5);
		w.code = store_col_text(st, 6);
		w.street = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL :
		    store_col_text(st, 7);
		w.position = sqlite3_column_int64(st, 8);
		w.created = store_col_text(st, 9);
		if (fn(arg, &w, err) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		return hookdb_fail(h, st, err);
	sqlite3_reset(st);
	return 0;
}

int
store_hookdb_events(struct store_hookdb *h, int64_t after, int limit,
    store_event_fn fn, void *arg, struct error *err)
{
	sqlite3_stmt	*st = h->st[HK_EVENTS];
	int		 rc;

	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	if ((rc = event_rows(st, fn, arg, err)) == -1)
		return -1;
	return rc == SQLITE_DONE ? 0 : error_set(err, ERR_UNAVAILABLE, NULL,
	    "webhook reader: %s", sqlite3_errstr(rc));
}
