/*
 * txn.c: one transaction per event-loop turn, answers after the commit.
 */
#include <stdlib.h>

#include "daemon/base/log.h"
#include "daemon/core/jobs.h"
#include "daemon/core/metrics.h"
#include "daemon/core/readers.h"
#include "daemon/core/syncer.h"
#include "daemon/core/txn.h"
#include "daemon/domain/auth.h"
#include "daemon/domain/events.h"
#include "daemon/domain/need_cache.h"
#include "daemon/domain/suggest_index.h"

void
txn_set_hook(struct server *srv, txn_end_fn fn, void *arg)
{
	srv->txn_hook = fn;
	srv->txn_hook_arg = arg;
}

int
txn_open(struct server *srv, struct error *err)
{
	/* A request begins: events emitted since the last one kept belong
	 * to a request whose savepoint was rolled back. */
	events_turn_rewind();
	if (store_in_txn(srv->store)) {
		/* A run's slices are one request (matchd_commit_batch_size). */
		if (!srv->txn_held)
			srv->txn_requests++;
		return 0;
	}
	srv->txn_dirty = 0;
	srv->txn_requests = 1;
	srv->txn_start = metrics_now();
	return store_begin(srv->store, err);
}

void
txn_wrote(struct server *srv)
{
	srv->txn_dirty = 1;
	events_turn_keep();
}

int
txn_dirty(const struct server *srv)
{
	return srv->txn_dirty;
}

/* The caches may hold writes that were rolled back. */
static void
txn_forget(struct server *srv)
{
	if (srv->sindex != NULL)
		suggest_index_invalidate(srv->sindex);
	auth_cache_clear(srv->auth);
}

/* The transaction is over; tell the hook how it went. */
static void
txn_done(struct server *srv, int failed)
{
	srv->txn_dirty = 0;
	srv->txn_requests = 0;
	/* Reads that waited for the turn's writes see them now. */
	if (srv->readers != NULL)
		jobs_after_commit(srv);
	if (srv->txn_hook != NULL)
		srv->txn_hook(srv->txn_hook_arg, failed);
}

void
txn_hold(struct server *srv, int on)
{
	srv->txn_held = on;
}

int
txn_held(const struct server *srv)
{
	return srv->txn_held;
}

void
txn_end(struct server *srv)
{
	struct error	err;
	double		start;
	int		failed = 0, wrote;

	/* A run written in slices: its transaction stays open, and only
	 * what read nothing (a ping) is answered at this turn's end. */
	if (srv->txn_held && store_in_txn(srv->store)) {
		if (srv->txn_hook != NULL)
			srv->txn_hook(srv->txn_hook_arg, TXN_HELD);
		return;
	}
	if (store_in_txn(srv->store)) {
		wrote = srv->txn_dirty;
		start = metrics_now();
		events_turn_seal(srv->store);
		/* The cache of needs learns the turn's updates with its
		 * commit, not before (need_cache.h). */
		if (srv->ncache != NULL)
			need_cache_commit_lock(srv->ncache);
		if (store_commit(srv->store, &err) == -1) {
			log_warnx("txn_end: commit failed: %s", err.message);
			failed = 1;
		}
		if (srv->ncache != NULL)
			need_cache_commit_unlock(srv->ncache, !failed);
		if (failed)
			txn_forget(srv);
		/* The sync thread makes it durable; its answers wait. */
		if (!failed && srv->syncer != NULL &&
		    store_commit_wrote(srv->store))
			syncer_committed(srv->syncer);
		if (!failed && wrote && srv->readers != NULL) {
			readers_committed(srv->readers);
			jobs_warm_after_commit(srv);
		}
		if (srv->metrics != NULL)
			metrics_commit(srv->metrics, srv->txn_requests,
			    metrics_now() - start, failed);
		/* A turn that holds every client's answers for long. */
		if (metrics_now() - srv->txn_start > 0.005)
			log_debug("txn_end: a turn of %d requests held its "
			    "answers %.1f ms (commit %.1f ms)",
			    srv->txn_requests, (metrics_now() -
			    srv->txn_start) * 1000, (metrics_now() - start) *
			    1000);
	}
	txn_done(srv, failed);
}

uint64_t
txn_commits(const struct server *srv)
{
	return srv->syncer != NULL ? syncer_commits(srv->syncer) : 0;
}

uint64_t
txn_synced(const struct server *srv, double *at)
{
	if (at != NULL)
		*at = 0;
	return srv->syncer != NULL ? syncer_synced(srv->syncer, at) : 0;
}

void
txn_abort(struct server *srv)
{
	store_rollback(srv->store);
	if (srv->ncache != NULL) {
		need_cache_commit_lock(srv->ncache);
		need_cache_commit_unlock(srv->ncache, 0);
	}
	txn_forget(srv);
	txn_done(srv, 1);
}
