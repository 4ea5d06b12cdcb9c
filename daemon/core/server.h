/*
 * server.h: the daemon's state, shared by the loop, the listeners and the
 * connections.  There is one, made by main.c.
 */
#ifndef DAEMON_SERVER_H
#define DAEMON_SERVER_H

#include <sys/queue.h>

#include "daemon/base/config.h"
#include "daemon/store/store.h"

struct event_base;
struct conn;
struct outbox;
struct listener;
struct ratelimit;
struct suggest_index;
struct auth_cache;
struct metrics;
struct peers;
struct feed;
struct hooks;
struct readers;
struct job;
struct need_cache;
struct syncer;

TAILQ_HEAD(conn_list, conn);
TAILQ_HEAD(job_list, job);

#define SERVER_LISTENERS	3

struct server {
	struct event_base	*base;
	struct config		 conf;
	const char		*conf_path;	/* for SIGHUP */
	char *const		*overrides;
	int			 noverrides;
	struct store		*store;
	struct ratelimit	*ratelimit;
	struct suggest_index	*sindex;	/* open offers for match.suggest */
	struct auth_cache	*auth;		/* principals by token hash */
	struct metrics		*metrics;	/* GET /metrics; may be NULL */
	char			*openapi;	/* GET /v1/openapi.json, owned */
	size_t			 openapi_len;
	struct outbox		*outbox;	/* answers awaiting commit (net/) */
	struct feed		*feed;		/* events to watchers */
	struct hooks		*hooks;		/* the webhook worker, or NULL */
	struct conn_list	 conns;		/* oldest first */
	int			 nconns;
	struct conn_list	 unauth;	/* not signed in, oldest first */
	struct peers		*peers;		/* connections per address */
	struct listener		*listeners[SERVER_LISTENERS];
	int			 stopping;
	/* Reader threads (core/readers.c, core/jobs.c); NULL: none, every
	 * op runs on the loop thread. */
	struct readers		*readers;
	struct job_list		 jobs_waiting;	/* for the turn's commit */
	/* A run written in slices (core/jobs.c, jobs_write): its job, and
	 * the jobs whose finish waits for its commit. */
	struct job		*run_job;
	struct job_list		 jobs_deferred;
	int			 conns_run_held;	/* net/: held for it */
	struct need_cache	*ncache;	/* the needs, for the readers */
	/* The WAL's sync thread (core/syncer.h): store.synchronous = full;
	 * NULL: normal, answers go out at their turn's end. */
	struct syncer		*syncer;
	int			 warm_busy;	/* a refresh of it is queued */
	int			 warm_owed;	/* a commit wrote since the
						   last was queued */
	int			 index_busy;	/* the offers' index is read
						 * again on a reader */
	double			 index_last;	/* when that last began */
	/* risk.flagged (core/risk_watch.c): a check running, the next due. */
	int			 risk_busy;
	double			 risk_next;
	double			 warm_last;	/* when one was last queued */
	/* Bumped by every write that a computation on a reader may have
	 * read (not OP_NEW_ONLY): OP_SPLIT ops compare it. */
	unsigned long long	 data_version;
	/* The turn's transaction (core/txn.c). */
	int			 txn_held;	/* stays open across turns: a
						 * run is written in slices */
	int			 txn_dirty;	/* holds a write */
	int			 txn_requests;	/* requests it holds */
	double			 txn_start;	/* when it began (metrics_now) */
	void			(*txn_hook)(void *, int);
	void			*txn_hook_arg;
};

#endif
