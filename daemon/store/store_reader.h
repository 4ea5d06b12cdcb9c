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
 * only, with read calls, not through a memory map: a reader's scans read
 * most pages once, which a map pays for with a page fault each (dear in a
 * virtual machine), and every page a map has touched counts in the RSS
 * once more per reader.  NULL with err set on failure.  Free with
 * store_close.
 */
struct store	*store_open_reader(const char *path, long busy_ms,
		    struct error *err);

/* Begin a read transaction (its snapshot is taken now): 0, or -1. */
int		 store_read_begin(struct store *, struct error *err);
/* End it (never fails: it wrote nothing). */
void		 store_read_end(struct store *);
/*
 * A computation has read all it needs (fair.match's input): on a reader
 * store, end the read transaction now, so that its snapshot holds back
 * no checkpoint while it computes for seconds; on the loop's store
 * (reader_threads 0) nothing happens.
 */
void		 store_read_done(struct store *);

/*
 * The checkpointer's connection: read-write, used for nothing but
 * store_checkpoint, so that the loop's commits never copy the WAL into
 * the database themselves (a copy held back by a long read, then done at
 * once, took a second).  Free with store_close.
 */
struct store	*store_open_checkpointer(const char *path, long busy_ms,
		    struct error *err);
/* A passive checkpoint (it waits for no one): the frames of the WAL not
 * yet in the database after it (0: all are), or -1. */
int		 store_checkpoint(struct store *);
/* The connection's automatic checkpoint: after pages of WAL; 0: never. */
void		 store_autocheckpoint(struct store *, int pages);

#endif
