/*
 * store_reader.c: read-only connections for the reader threads
 * (daemon/core/readers.c), each read in one transaction: a snapshot of
 * what was committed when it began, while the loop's connection writes on
 * (WAL lets readers and the one writer run at once).
 */
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "daemon/store/store.h"
#include "daemon/store/store_priv.h"
#include "daemon/store/store_reader.h"

struct store *
store_open_reader(const char *path, long busy_ms, struct error *err)
{
	struct store	*s;

	/* The loop's connection made (and migrated) the database: a reader
	 * needs no write access at all, so a handler that tried to write
	 * would fail rather than write outside the group commit. */
	if ((s = store_connect(path, SQLITE_OPEN_READONLY, busy_ms,
	    " to read", err)) == NULL)
		return NULL;
	if (sqlite3_exec(s->db, "PRAGMA mmap_size = 0", NULL, NULL,
	    NULL) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot read database "
		    "%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	if (store_prepare(s, err) == -1)
		goto fail;
	s->reader = 1;
	return s;
fail:
	store_close(s);
	return NULL;
}

int
store_read_begin(struct store *s, struct error *err)
{
	int rc;

	/* A deferred transaction takes its snapshot at the first read:
	 * read schema_version now, so that the snapshot is the one of the
	 * moment the job began, not of its first query. */
	if ((rc = sqlite3_exec(s->db, "BEGIN; PRAGMA schema_version", NULL,
	    NULL, NULL)) != SQLITE_OK) {
		if (!sqlite3_get_autocommit(s->db))
			(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return store_fail(s, rc, "read begin", err);
	}
	s->in_txn = 1;
	return 0;
}

void
store_read_done(struct store *s)
{
	if (s->reader)
		store_read_end(s);
}

void
store_read_end(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		(void)sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	s->in_txn = 0;
}

struct store *
store_open_checkpointer(const char *path, long busy_ms, struct error *err)
{
	struct store	*s;

	if ((s = store_connect(path, SQLITE_OPEN_READWRITE, busy_ms,
	    " to checkpoint", err)) == NULL)
		return NULL;
	/* It writes nothing but checkpoints, and those of its own. */
	(void)sqlite3_exec(s->db, "PRAGMA wal_autocheckpoint = 0", NULL, NULL,
	    NULL);
	/*
	 * A connection learns that the database is in WAL mode, and opens
	 * the WAL, with its first read: until then sqlite3_wal_checkpoint_v2
	 * does nothing and says so with -1 frames (and the WAL grew for as
	 * long as the daemon ran).
	 */
	if (sqlite3_exec(s->db, "PRAGMA schema_version", NULL, NULL,
	    NULL) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot read database "
		    "%s to checkpoint: %s", path, sqlite3_errmsg(s->db));
		store_close(s);
		return NULL;
	}
	return s;
}

int
store_checkpoint(struct store *s)
{
	int log = 0, done = 0;

	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &log, &done) != SQLITE_OK || log < 0)
		return -1;
	return log > done ? log - done : 0;
}

void
store_autocheckpoint(struct store *s, int pages)
{
	char pragma[64];

	snprintf(pragma, sizeof(pragma), "PRAGMA wal_autocheckpoint = %d",
	    pages);
	(void)sqlite3_exec(s->db, pragma, NULL, NULL, NULL);
}
