/*
 * jobs.h: requests that run on a reader thread (ops flagged OP_READER or
 * OP_SPLIT in the op table), from dispatch to their answer.
 *
 * A job's life, and the function behind each step:
 *
 *   dispatch_start (loop): refusals done, args checked --job_start-->
 *   WAITING, when the turn's transaction holds a write (the job must see
 *       it: read-your-writes), until the commit --jobs_after_commit-->
 *   QUEUED --(a reader thread)--> RUNNING: job_run, in one read
 *       transaction: the handler (OP_READER) or compute (OP_SPLIT); the
 *       result printed there when the caller takes text
 *   DONE --readers_drain (loop)--> job_finish:
 *       OP_SPLIT: if anything that could change the computation was
 *       written since it was queued (srv->data_version moved), it is
 *       QUEUED again, once; the second time it is `conflict`.  Otherwise
 *       the handler writes its result in a savepoint of the turn's
 *       transaction (so the answer goes out after that commit, like any
 *       write's).
 *       A run's write may be long (fair.match: thousands of rows): when
 *       the handler leaves more (op_ctx.slice_rows), the transaction
 *       stays open (txn_hold) and jobs_write writes the next slices, one
 *       turn's slice of time each turn, until the last; the write then
 *       commits alone, or, when a slice fails, the whole of it is rolled
 *       back.  Meanwhile other jobs' finish waits (jobs_deferred), and
 *       so does everything else that would use the loop's store
 *       (txn_held): only pings are answered.
 *       Then audit (writes and refusals), metrics, the request log, and
 *       the caller's done function with the answer --> freed.
 *
 * The caller (daemon/net) stops reading the connection until done is
 * called, so a connection has one job at most and its answers stay in
 * request order.
 */
#ifndef DAEMON_JOBS_H
#define DAEMON_JOBS_H

#include <sys/queue.h>

#include <cjson/cJSON.h>

#include "daemon/core/dispatch.h"
#include "daemon/core/server.h"
#include "daemon/ops/ops.h"

struct job;

/* Whether op, with these args, runs on a reader (readers running). */
int		 job_wanted(const struct server *, const struct op *,
		    const cJSON *args);

/*
 * Make a job of a checked request: op may be called by who with args
 * (copied).  how: DISPATCH_TEXT when the answer may come back printed.
 * It is queued now, or after the turn's commit when the transaction holds
 * a write.  NULL when out of memory (then the caller answers it now).
 */
struct job	*job_start(struct server *, const struct op *,
		    const struct principal *who, const cJSON *args,
		    unsigned how);

/*
 * A turn of the loop while a run is written in slices (srv->run_job):
 * write its next slices, for a turn's slice of time (limits.turn_slice_ms;
 * one slice, mostly).  After the last: its audit and answer, its commit,
 * then the finish of the jobs that waited for it.
 */
void		 jobs_write(struct server *);

/* The turn's transaction has ended (txn.c): queue the jobs waiting for
 * it, and a new read of the index of open offers when it is due
 * (suggest_index.h). */
void		 jobs_after_commit(struct server *);

/*
 * Read the needs into memory on a reader thread now, at start, rather than
 * in the first stats.* or risk.flags (a million needs take a second).
 */
void		 jobs_warm(struct server *);
/* After a commit that wrote: jobs_warm, at most once a second. */
void		 jobs_warm_after_commit(struct server *);
/* A tick (core/feed_read.c): the refresh that the last commits of a burst
 * were owed by the once-a-second bound, so that the first stats.* after
 * it does not read them (a second of posts: 65,000 needs). */
void		 jobs_warm_tick(struct server *);

/* Shared with dispatch.c. */
/* What op's handler sees on the loop thread, as who (NULL: nobody). */
void		 dispatch_loop_ctx(struct server *, const struct op *,
		    const struct principal *who, struct op_ctx *);
void		 dispatch_audit(struct server *, const struct principal *,
		    const char *op, const char *object, const struct error *);
/* Count a client's request in the metrics and the request log, answered
 * start (metrics_now) after it came. */
void		 dispatch_count(struct server *, const char *op,
		    const struct principal *who, enum err_code, double start);
void		 dispatch_write(struct server *, const struct op *,
		    struct op_ctx *, const cJSON *args, struct answer *);
int		 dispatch_fit(const struct config *, cJSON *result,
		    char **text, size_t *len, struct error *err);

#endif
