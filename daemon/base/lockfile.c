/*
 * lockfile.c: one daemon per database, by flock(2) on a file beside it.
 * SQLite's own locking is no help: `matchd token` must still write while
 * the daemon runs, and its EXCLUSIVE locking mode would forbid that.  The
 * file is never removed: removing it while another process opens it would
 * let two processes lock two different files of one name.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/base/lockfile.h"

int
lockfile_take(const char *db, char *msg, size_t msglen)
{
	char	path[512], pid[32];
	ssize_t	n;
	int	fd;

	if ((size_t)snprintf(path, sizeof(path), "%s.lock", db) >=
	    sizeof(path)) {
		snprintf(msg, msglen, "database path %s is too long", db);
		return -1;
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		snprintf(msg, msglen, "cannot open lock file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK) {
			n = pread(fd, pid, sizeof(pid) - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			snprintf(msg, msglen, "database %s is in use by another "
			    "matchd (pid %s, holding %s); stop it first, or "
			    "give this one its own database with -D", db,
			    pid[0] ? pid : "unknown", path);
		} else
			snprintf(msg, msglen, "cannot lock %s: %s", path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	/* For a person looking: which process holds it. */
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, pid, (size_t)n, 0) != n) {
		snprintf(msg, msglen, "cannot write lock file %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
