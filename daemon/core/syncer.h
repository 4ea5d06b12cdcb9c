/*
 * syncer.h: the WAL's sync thread (PostgreSQL's WAL writer).  With
 * store.synchronous = full the loop's connection commits with SQLite's
 * synchronous = NORMAL, which in WAL mode is crash-consistent but leaves
 * the last commits in the page cache; this thread makes them durable
 * with fdatasync on its own descriptor of <database>-wal (a sync applies
 * to the file, whichever descriptor asks), so that the loop never sits
 * in the disk's flush and reads its sockets meanwhile.
 *
 * Two counters of commits, under one mutex, are all the thread and the
 * loop share:
 *
 *	loop thread                          sync thread
 *	COMMIT that wrote
 *	syncer_committed: committed++ --> c = committed
 *	                                     fdatasync(wal)
 *	syncer_synced <-- synced = c <------ (and a write to the eventfd)
 *	  answers tagged <= synced go out
 *
 * An answer or an event that may describe the commit numbered n waits
 * until synced >= n (net/outbox.c, core/feed.c).
 *
 * A failed fdatasync is final: the kernel may have dropped the dirty
 * pages it could not write (PostgreSQL's "fsyncgate"), so a later sync
 * that succeeds proves nothing of them.  synced then never moves again,
 * and syncer_drain tells the loop, which exits without answering (a
 * restart recovers from the WAL what is on disk).
 *
 * The loop is woken through syncer_fd(): main.c watches it with libevent
 * (core knows no libevent), calls syncer_drain, and sends at once what
 * was synced (net/watch.c, watch_synced); each turn's end does too.
 *
 * For the tests only, two variables of the environment, read at start:
 * MATCHD_TEST_SYNC_DELAY_MS=N sleeps N ms before each fdatasync, and
 * MATCHD_TEST_SYNC_FAIL=PATH makes an fdatasync fail (EIO) while the file
 * PATH exists.
 */
#ifndef DAEMON_SYNCER_H
#define DAEMON_SYNCER_H

#include <stdint.h>
#include <stdio.h>

#include "protocol/error.h"

struct syncer;

/*
 * Open <database>-wal (the store made it: it is in WAL mode), sync it
 * once (a restart after kill -9 may find commits that no sync has
 * covered yet) and start the thread.  NULL with err set on failure.
 */
struct syncer	*syncer_new(const char *database, struct error *err);

/* Stop the thread (what it was syncing is finished) and free. */
void		 syncer_free(struct syncer *);

/* The descriptor that is readable after a sync, or a failure. */
int		 syncer_fd(const struct syncer *);

/* Loop thread: a COMMIT wrote to the WAL; sync it soon. */
void		 syncer_committed(struct syncer *);

/* Loop thread: the commits counted so far (syncer_committed). */
uint64_t	 syncer_commits(const struct syncer *);

/* The commits known to be on disk: every one up to this number; with at,
 * when that sync ended (CLOCK_MONOTONIC seconds, as metrics_now; 0 before
 * the first). */
uint64_t	 syncer_synced(struct syncer *, double *at);

/* Loop thread: empty the descriptor; 0, or -1 once a sync failed (errno
 * set to the sync's error). */
int		 syncer_drain(struct syncer *);

/* Loop thread: wait until every commit counted is synced (at shutdown);
 * 0, or -1 when a sync failed (errno set). */
int		 syncer_wait(struct syncer *);

/* The sync metrics, Prometheus text: syncs made and their seconds. */
void		 syncer_metrics_print(struct syncer *, FILE *);

#endif
