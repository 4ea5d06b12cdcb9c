/*
 * feed.h: committed events to their watchers.  The feed knows no
 * connections: a subscriber is a viewer, a set of kinds, a cursor (the id
 * of the last event it has been given) and a function that delivers.
 *
 * After every turn's transaction (feed_publish, from the transaction's end
 * hook) the feed takes the events committed since the last turn, once,
 * and hands each to the subscribers that may see it; nothing written in a
 * turn whose commit failed, or in a request rolled back, is handed on.  A subscriber's states:
 *
 *     feed_subscribe --> FRESH (its turn's commit decides)
 *     FRESH --(the commit failed: deliver(NULL), freed)--> gone
 *     FRESH --(committed, and synced)--> CATCHING_UP
 *     CATCHING_UP --(feed_publish: the stored events after its cursor,
 *                    a chunk a turn, unless paused)--> LIVE once at the end
 *     LIVE --(feed_publish: each new event it may see)--> LIVE
 *     any --(deliver returned -1, or feed_unsubscribe)--> gone
 */
#ifndef DAEMON_FEED_H
#define DAEMON_FEED_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "daemon/core/server.h"
#include "daemon/domain/events.h"

struct feed;
struct feed_sub;

/*
 * Hand ev to the subscriber arg.  ev NULL: the watch never began (its
 * turn's commit failed).  Return 0, or -1 when the subscriber is gone
 * (it fell too far behind): the feed then frees the subscription, and
 * the subscriber must no longer name it.
 */
typedef int (*feed_deliver_fn)(void *arg, const struct event *ev);

/* A feed for srv (its store, its hooks); NULL when out of memory. */
struct feed	*feed_new(struct server *);
void		 feed_free(struct feed *);

/*
 * Subscribe: events of kinds (a mask of 1 << enum event_kind) that viewer
 * may see, from after the event `after` on.  Made inside a turn: it
 * begins once that turn has committed.  NULL when out of memory.
 */
struct feed_sub	*feed_subscribe(struct feed *, const struct event_viewer *,
		    uint32_t kinds, int64_t after, feed_deliver_fn, void *arg);
void		 feed_unsubscribe(struct feed *, struct feed_sub *);
/* Stop (1) or resume (0) the replay of stored events to sub, while its
 * reader is behind. */
void		 feed_pause(struct feed_sub *, int paused);
/* The last event sub has been given. */
int64_t		 feed_cursor(const struct feed_sub *);

/*
 * The turn's transaction has ended (failed: not committed).  Its events
 * and its FRESH subscribers wait until its commit is on disk: tag is the
 * number of the turn's last commit (txn_commits), synced the number of
 * the last synced (txn_synced).  Then, for every turn whose commit is
 * synced: hand what it committed to the LIVE subscribers, and settle its
 * FRESH ones; *delivered says how many events were handed to a
 * subscriber.  The events come from the turn's list (events.h: made as
 * they were emitted, only those of requests kept), or, when it is not
 * exactly what was committed, from the store, never past the newest id
 * known synced.  Then (after the turn's answers, which a new watcher must
 * read before its first event) feed_replay_all: a chunk of each replay
 * under way; it also frees the published events and tells the webhook
 * worker of them (only synced ones), out of the way of the writes.  Each
 * returns 1 when work is left for another turn (events beyond this
 * turn's share, replays not done).
 */
int		 feed_publish(struct feed *, int failed, uint64_t tag,
		    uint64_t synced, unsigned long long *delivered);
/*
 * Only the second half of feed_publish: hand on what the turns before
 * this one committed, up to the synced commit.  Safe in the middle of a
 * turn (the sync thread's wake-up calls it, so an event leaves as soon
 * as its commit is on disk, not at the end of the turn that notices);
 * the open turn's own events and subscribers wait for its end.
 */
int		 feed_synced(struct feed *, uint64_t synced,
		    unsigned long long *delivered);
int		 feed_replay_all(struct feed *);

/*
 * Inside the turn's transaction: the viewer behind token (unauthenticated
 * when there is none), and a JSON page of the events viewer may see after
 * `after` ({"items", "next", "last"}: next is the id to ask after, or
 * null; last the newest stored id).
 */
int		 feed_viewer(struct server *, const char *token,
		    struct event_viewer *, struct error *);
int		 feed_page(struct server *, const struct event_viewer *,
		    int64_t after, int limit, uint32_t kinds, cJSON **out,
		    struct error *);
/* The newest stored event, inside the turn's transaction. */
int		 feed_last(struct server *, int64_t *last, struct error *);

/*
 * The feed's timer (every FEED_TICK_MS): write the webhooks' positions
 * the worker reports, and emit the reminders that are due.  It opens the
 * turn's transaction when it writes.
 */
#define FEED_TICK_MS	250
void		 feed_tick(struct server *);

/* The feed's metrics (watchers, events, watchers dropped) and the
 * webhooks', Prometheus text. */
void		 feed_metrics_print(const struct feed *, FILE *);

#endif
