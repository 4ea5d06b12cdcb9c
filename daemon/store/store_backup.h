/*
 * store_backup.h: copies of the database, taken while the daemon runs, and
 * their way back (matchd backup, matchd restore; docs/protocol.md, "`matchd`").
 *
 * A copy is one self-contained SQLite file (rollback journal mode, no -wal
 * beside it), written as NAME.tmp, synced, checked with integrity_check,
 * and only then renamed to NAME: a NAME that exists is a good copy.
 */
#ifndef DAEMON_STORE_BACKUP_H
#define DAEMON_STORE_BACKUP_H

#include <stdint.h>

#include "protocol/error.h"

/* What a check of a copy found. */
struct store_copy_info {
	int64_t	bytes;		/* the file's size */
	int64_t	last_audit;	/* the highest audit id in it; 0 when none */
	int	schema;		/* its schema version (user_version) */
};

/*
 * Copy the database at src to dst with SQLite's online backup: one read
 * transaction, so the copy is the database as of the last commit before
 * the copy began, while other processes go on writing it.  The copy is
 * checked (store_backup_check) before it takes the name dst.  src is only
 * read (SQLite may checkpoint its WAL when the copy's connection is the
 * last to close).  0 with *info filled, or -1 with err set (dst is then
 * untouched).
 */
int	store_backup(const char *src, const char *dst, long busy_ms,
	    struct store_copy_info *info, struct error *err);

/*
 * Check the copy at path, opened read-only: PRAGMA integrity_check says
 * ok, and it holds a matchd schema this build knows.  0, or -1 with err.
 */
int	store_backup_check(const char *path, struct store_copy_info *info,
	    struct error *err);

/*
 * Whether another process has the database at path open: a SQLite
 * connection in WAL mode holds a read lock on the -shm file's DMS byte
 * for as long as it is open (sqlite.org/walformat.html, 2.3.1), and one in
 * rollback mode holds the main file's lock bytes during a transaction; an
 * flock(2) on the file is seen too.  1 when held, 0 when not (or when
 * there is no such file), -1 with err on an error.
 */
int	store_backup_in_use(const char *path, struct error *err);

/*
 * Put the checked copy src in place as the database db: copied to
 * db.tmp, checked, the old database's -wal and -shm removed (they belong
 * to the database being replaced), then renamed.  The caller has made
 * sure that no process holds db (store_backup_in_use).  0, or -1 with
 * err (db is then untouched).
 */
int	store_backup_restore(const char *src, const char *db,
	    struct store_copy_info *info, struct error *err);

#endif
