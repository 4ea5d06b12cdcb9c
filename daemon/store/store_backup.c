/*
 * store_backup.c: consistent copies of the live database and their way
 * back (store_backup.h).  Each function opens connections of its own; none
 * touches the daemon's struct store, so `matchd backup` runs beside a
 * running daemon as `matchd token` does.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "daemon/store/store_backup.h"
#include "daemon/store/store_schema.h"

/* SQLite's lock bytes in the main file (os_unix.c; sqlite.org/lockingv3.html)
 * and the DMS byte of the -shm file (sqlite.org/walformat.html). */
#define SQLITE_PENDING_BYTE	0x40000000
#define SQLITE_LOCK_BYTES	(2 + 510)
#define SQLITE_SHM_DMS		128

/* path + suffix into buf; -1 with err when it does not fit. */
static int
backup_path(char *buf, size_t len, const char *path, const char *suffix,
    struct error *err)
{
	if ((size_t)snprintf(buf, len, "%s%s", path, suffix) >= len)
		return error_set(err, ERR_INVALID_ARGUMENT, NULL,
		    "%s: path too long", path);
	return 0;
}

/* fsync the file at path, or (dir) the folder that holds it. */
static int
backup_sync(const char *path, int dir, struct error *err)
{
	char	 copy[PATH_MAX];
	int	 fd, rc;

	if (dir) {
		if (backup_path(copy, sizeof(copy), path, "", err) == -1)
			return -1;
		path = dirname(copy);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", path,
		    strerror(errno));
	rc = fsync(fd);
	close(fd);
	if (rc == -1)
		return error_set(err, ERR_UNAVAILABLE, NULL, "fsync %s: %s",
		    path, strerror(errno));
	return 0;
}

/* Remove path+suffix if it is there. */
static int
backup_unlink(const char *path, const char *suffix, struct error *err)
{
	char	 p[PATH_MAX];

	if (backup_path(p, sizeof(p), path, suffix, err) == -1)
		return -1;
	if (unlink(p) == -1 && errno != ENOENT)
		return error_set(err, ERR_UNAVAILABLE, NULL, "cannot remove "
		    "%s: %s", p, strerror(errno));
	return 0;
}

static int
backup_exec(sqlite3 *db, const char *sql, const char *path,
    struct error *err)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s: %s", path, sql,
		    msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Copy the database src into a new file tmp (any old tmp, and its journal,
 * removed first), leave tmp in rollback journal mode, and fsync it.
 * src is opened with src_flags (SQLITE_OPEN_READONLY or _READWRITE).
 * Every page is copied in one step, so in one read transaction of src.
 */
static int
backup_copy(const char *src, int src_flags, const char *tmp, long busy_ms,
    struct error *err)
{
	sqlite3		*from = NULL, *to = NULL;
	sqlite3_backup	*b;
	int		 rc, waited = 0;

	if (backup_unlink(tmp, "", err) == -1 ||
	    backup_unlink(tmp, "-journal", err) == -1 ||
	    backup_unlink(tmp, "-wal", err) == -1 ||
	    backup_unlink(tmp, "-shm", err) == -1)
		return -1;
	if ((rc = sqlite3_open_v2(src, &from, src_flags, NULL)) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot open %s: %s",
		    src, from ? sqlite3_errmsg(from) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(from, (int)busy_ms);
	if ((rc = sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL)) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot create %s: %s",
		    tmp, to ? sqlite3_errmsg(to) : sqlite3_errstr(rc));
		goto fail;
	}
	if ((b = sqlite3_backup_init(to, "main", from, "main")) == NULL) {
		error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", tmp,
		    sqlite3_errmsg(to));
		goto fail;
	}
	/* BUSY or LOCKED: a writer holds what the read needs; wait a little. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	    rc == SQLITE_LOCKED) {
		if (waited >= busy_ms)
			break;
		sqlite3_sleep(50);
		waited += 50;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		error_set(err, ERR_UNAVAILABLE, NULL, "copying %s: %s", src,
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_close(from);
	from = NULL;
	/* One file, nothing beside it: the copy can be moved by itself. */
	if (backup_exec(to, "PRAGMA journal_mode = DELETE", tmp, err) == -1)
		goto fail;
	if (sqlite3_close(to) != SQLITE_OK) {
		to = NULL;
		error_set(err, ERR_UNAVAILABLE, NULL, "closing %s", tmp);
		goto fail;
	}
	to = NULL;
	return backup_sync(tmp, 0, err);
fail:
	sqlite3_close(from);
	sqlite3_close(to);
	unlink(tmp);
	return -1;
}

/* The one integer a query answers; -1 with err when it does not. */
static int
backup_int(sqlite3 *db, const char *sql, int64_t *v, const char *path,
    struct error *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return error_set(err, ERR_UNAVAILABLE, NULL, "%s is not a "
		    "matchd database (%s)", path, sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", path,
		    sqlite3_errstr(rc));
	return 0;
}

int
store_backup_check(const char *path, struct store_copy_info *info,
    struct error *err)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	struct stat	 sb;
	int64_t		 v;
	int		 rc;

	memset(info, 0, sizeof(*info));
	if (stat(path, &sb) == -1)
		return error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", path,
		    strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return error_set(err, ERR_INVALID_ARGUMENT, NULL,
		    "%s is not a file", path);
	info->bytes = (int64_t)sb.st_size;
	if ((rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL)) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "cannot open %s: %s",
		    path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK) {
		error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", path,
		    sqlite3_errmsg(db));
		goto fail;
	}
	/* The first row is "ok", or the first of the problems found. */
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		error_set(err, ERR_UNAVAILABLE, NULL, "%s: integrity_check: "
		    "%s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		error_set(err, ERR_UNAVAILABLE, NULL, "%s fails "
		    "integrity_check: %s", path, sqlite3_column_text(st, 0));
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (backup_int(db, "PRAGMA user_version", &v, path, err) == -1)
		goto fail;
	if (v < 1 || v > schema_version()) {
		error_set(err, ERR_UNAVAILABLE, NULL, "%s is not a matchd "
		    "database this build knows (schema version %lld; this "
		    "matchd knows 1 to %d)", path, (long long)v,
		    schema_version());
		goto fail;
	}
	info->schema = (int)v;
	if (backup_int(db, "SELECT coalesce(max(id), 0) FROM audit",
	    &info->last_audit, path, err) == -1)
		goto fail;
	sqlite3_close(db);
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return -1;
}

int
store_backup(const char *src, const char *dst, long busy_ms,
    struct store_copy_info *info, struct error *err)
{
	struct stat	 ss, ds;
	char		 tmp[PATH_MAX];

	if (stat(src, &ss) == -1)
		return error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", src,
		    strerror(errno));
	if (stat(dst, &ds) == 0 && ss.st_dev == ds.st_dev &&
	    ss.st_ino == ds.st_ino)
		return error_set(err, ERR_INVALID_ARGUMENT, NULL, "%s is the "
		    "database itself", dst);
	/* The live database read-write, not read-only: a read-only
	 * connection that finds no -wal creates one it cannot remove.
	 * Nothing is written but what SQLite does by itself (a checkpoint
	 * when the last connection closes). */
	if (backup_path(tmp, sizeof(tmp), dst, ".tmp", err) == -1 ||
	    backup_copy(src, SQLITE_OPEN_READWRITE, tmp, busy_ms, err) == -1)
		return -1;
	if (store_backup_check(tmp, info, err) == -1)
		goto fail;
	if (rename(tmp, dst) == -1) {
		error_set(err, ERR_UNAVAILABLE, NULL, "rename %s: %s", dst,
		    strerror(errno));
		goto fail;
	}
	return backup_sync(dst, 1, err);
fail:
	unlink(tmp);
	return -1;
}

int
store_backup_in_use(const char *path, struct error *err)
{
	struct flock	 fl;
	char		 shm[PATH_MAX];
	int		 fd, held = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return error_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", path,
		    strerror(errno));
	}
	/* An flock(2) on the database, as a daemon may take at start. */
	if (flock(fd, LOCK_EX | LOCK_NB) == -1)
		held = errno == EWOULDBLOCK;
	else
		flock(fd, LOCK_UN);
	/* SQLite's own locks on the main file (a transaction under way). */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = SQLITE_PENDING_BYTE;
	fl.l_len = SQLITE_LOCK_BYTES;
	if (!held && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		held = 1;
	close(fd);
	if (held)
		return 1;
	/* Any connection open in WAL mode: its read lock on the DMS byte. */
	if (backup_path(shm, sizeof(shm), path, "-shm", err) == -1)
		return -1;
	if ((fd = open(shm, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = SQLITE_SHM_DMS;
	fl.l_len = 1;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		held = 1;
	close(fd);
	return held;
}

int
store_backup_restore(const char *src, const char *db,
    struct store_copy_info *info, struct error *err)
{
	char	 tmp[PATH_MAX];

	if (backup_path(tmp, sizeof(tmp), db, ".tmp", err) == -1 ||
	    backup_copy(src, SQLITE_OPEN_READONLY, tmp, 0, err) == -1)
		return -1;
	if (store_backup_check(tmp, info, err) == -1)
		goto fail;
	/* A -wal or -journal left by the old database would be replayed
	 * into the new one: they go first. */
	if (backup_unlink(db, "-wal", err) == -1 ||
	    backup_unlink(db, "-shm", err) == -1 ||
	    backup_unlink(db, "-journal", err) == -1)
		goto fail;
	if (rename(tmp, db) == -1) {
		error_set(err, ERR_UNAVAILABLE, NULL, "rename %s: %s", db,
		    strerror(errno));
		goto fail;
	}
	return backup_sync(db, 1, err);
fail:
	unlink(tmp);
	return -1;
}
