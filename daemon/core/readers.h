/*
 * readers.h: the reader threads.  Long reads (stats, risk flags, exports,
 * large lists, suggestion scans) and the matcher's computations run here,
 * each reader thread over its own read-only store connection, so that the
 * loop thread never waits for them.
 *
 * The threads share nothing mutable with the loop but two queues, both
 * under one mutex:
 *
 *	loop thread                         reader thread
 *	readers_submit --> [todo] --> job->run(job, its store)
 *	                                     |
 *	readers_drain <-- [done] <-----------+  (and a write to the eventfd)
 *	  job->finish(job)
 *
 * A job belongs to the loop thread until readers_submit, then to one reader
 * thread until it is on the done queue, then to the loop thread again: the
 * mutex hands it over, so whatever run wrote, finish reads safely.  run must
 * touch nothing but the job and the store it is given.
 *
 * One more thread checkpoints the WAL (readers_committed).
 *
 * The loop is woken through readers_fd(): main.c watches it with libevent
 * (core knows no libevent) and calls readers_drain when it is readable.
 */
#ifndef DAEMON_READERS_H
#define DAEMON_READERS_H

#include <stddef.h>
#include <sys/queue.h>

#include "daemon/store/store.h"
#include "protocol/error.h"

struct reader_job {
	TAILQ_ENTRY(reader_job)	 entry;
	/* On a reader thread, in no transaction: run opens its own. */
	void			(*run)(struct reader_job *, struct store *);
	/* On the loop thread, from readers_drain (or readers_free). */
	void			(*finish)(struct reader_job *);
};

struct readers;

/*
 * Start n reader threads, each with a read-only connection to the
 * database at path (busy_ms as for store_open; store_open_reader).  NULL
 * with err set when a connection or a thread cannot be made.
 */
struct readers	*readers_new(const char *path, long busy_ms, int n,
		    struct error *err);

/*
 * Stop the threads once every submitted job has run, join them, finish the
 * jobs that are done, and free everything.  NULL is allowed.
 */
void		 readers_free(struct readers *);

/* The descriptor that is readable while finished jobs wait. */
int		 readers_fd(const struct readers *);

/* Queue job for the next free reader thread (loop thread only). */
void		 readers_submit(struct readers *, struct reader_job *);

/* Call finish for every job that is done, oldest first (loop thread). */
void		 readers_drain(struct readers *);

/*
 * The loop committed a write: the checkpointer copies the WAL into the
 * database soon, on its own connection and thread (the loop's connection
 * has no automatic checkpoint while reader threads run: a checkpoint held
 * back by a long read, then done at once in a commit, stopped the loop
 * for a second).
 */
void		 readers_committed(struct readers *);

/* Jobs waiting for a thread, and jobs running now (for /metrics). */
void		 readers_load(struct readers *, size_t *queued,
		    size_t *running);

#endif
