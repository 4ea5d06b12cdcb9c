/*
 * store_reader.h: read-only store connections for the reader threads.
 *
 * Each reader thread owns one (SQLite connections are not shared between
 * threads here); a reader store answers every read function of store.h,
 * and refuses any write.  A job's reads run between store_read_begin and
 * store_read_end: one read transaction, so they all see one snapshot, the
 * last commit before the job began, whatever the loop commits meanwhile.
 */
#ifndef DAEMON_STORE_READER_H
#define DAEMON_STORE_READER_H

#include "daemon/store/store.h"

/*
 * Open the database at path, which the loop's store_open made, to read
 * only (reads through a memory map of up to mmap_mib MiB).  NULL with err
 * set on failure.  Free with store_close.
 */
struct store	*store_open_reader(const char *path, long busy_ms,
		    long mmap_mib, struct error *err);

/* Begin a read transaction (its snapshot is taken now): 0, or -1. */
int		 store_read_begin(struct store *, struct error *err);
/* End it (never fails: it wrote nothing). */
void		 store_read_end(struct store *);

#endif
