/*
 * lockfile.h: one daemon per database.  Two daemons on one file would each
 * trust their own caches (tokens, the suggestion index) while the other
 * changes what they describe.
 */
#ifndef DAEMON_LOCKFILE_H
#define DAEMON_LOCKFILE_H

#include <stddef.h>

/*
 * Lock DB.lock, beside the database db, for as long as this process lives
 * (the descriptor is returned and never closed; the kernel releases the
 * lock when the process ends, however it ends).  The file holds the pid of
 * the daemon that holds it.  Returns the descriptor, or -1 with one line
 * in msg: the lock is held by another process (named by its pid), or the
 * file cannot be made.
 */
int	lockfile_take(const char *db, char *msg, size_t msglen);

#endif
