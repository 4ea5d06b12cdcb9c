/*
 * txn.h: group commit.  The requests read in one turn of the event loop
 * share one transaction; their answers wait and are written only after
 * COMMIT returns, so an ok to a write means it is on disk.
 *
 * With store.synchronous = full the COMMIT itself is not synced: the sync
 * thread (core/syncer.h) makes it durable, and what may describe it waits
 * for that.  txn_commits numbers the commits that wrote; txn_synced says
 * up to which one they are on disk.  An ok to a write goes out only once
 * txn_synced has reached the commit it was in, so it still means "on
 * disk".
 *
 * The transaction knows no connections: whoever holds the answers (the
 * outbox of daemon/net/) installs a hook, called once each transaction
 * ends, committed or not.
 */
#ifndef DAEMON_TXN_H
#define DAEMON_TXN_H

#include <stdint.h>

#include "daemon/core/server.h"
#include "protocol/error.h"

/*
 * Called when the turn's transaction has ended: failed is 0 when it
 * committed (or there was none), 1 when it did not, so nothing written in
 * it stayed; TXN_HELD when the turn ended but its transaction stays open
 * (txn_hold): only what read nothing stored (a ping, tagged 0) may go.
 * arg is the one given to txn_set_hook.
 */
typedef void	(*txn_end_fn)(void *arg, int failed);
#define TXN_HELD	2

/* Install the end hook (one; NULL removes it). */
void	txn_set_hook(struct server *, txn_end_fn, void *arg);

/* Make sure the turn's transaction is open, for a request that begins
 * (the events a rolled-back request emitted are dropped).  0, or -1 with
 * err set. */
int	txn_open(struct server *, struct error *err);

/* A write was made in the open transaction (dispatch calls this when a
 * writing handler's savepoint is released): its events are kept. */
void	txn_wrote(struct server *);

/*
 * 1 when the open transaction holds a write: an answer computed now may
 * describe that write, and must not go out if the commit then fails.
 */
int	txn_dirty(const struct server *);

/*
 * End the turn: commit, then call the hook.  When the commit fails the
 * caches that may hold rolled-back writes are emptied.
 */
void	txn_end(struct server *);

/*
 * The commits that wrote, counted so far (the number of the last), and
 * the number of the last one known to be on disk.  Both stay 0 without a
 * sync thread (store.synchronous = normal): nothing waits then.  With
 * at, txn_synced also says when that sync ended (monotonic seconds, as
 * metrics_now; 0 without a sync thread or before its first sync).
 */
uint64_t	txn_commits(const struct server *);
uint64_t	txn_synced(const struct server *, double *at);

/*
 * Keep the open transaction open across turns (on 1), until txn_hold(0):
 * meanwhile txn_end commits nothing and calls the hook with TXN_HELD, and
 * nothing but the holder may write (txn_held says so to the others: they
 * wait; core/jobs.h, a run written in slices).
 */
void	txn_hold(struct server *, int on);
int	txn_held(const struct server *);

/* SQLite gave the transaction up mid-turn (it rolled it back): empty the
 * caches and call the hook with failed = 1, now. */
void	txn_abort(struct server *);

#endif
