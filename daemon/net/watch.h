/*
 * watch.h: connections that watch events: events.watch on the native
 * transport (one line {"event": {...}} per event) and GET /v1/events on
 * HTTP (Server-Sent Events, or a JSON page of events).  The feed
 * (core/feed.h) decides what each may see and when; this file writes it.
 */
#ifndef DAEMON_WATCH_H
#define DAEMON_WATCH_H

#include <cjson/cJSON.h>

#include "daemon/core/server.h"

struct conn;

/* Start and stop the timers (SSE heartbeats, the feed's tick, another
 * turn while the feed has work).  0, or -1 when out of memory. */
int	watch_init(struct server *);
void	watch_free(struct server *);

/*
 * The turn's transaction's end hook (txn_set_hook), arg the server: the
 * events committed in the turn go to live watchers (feed_publish) and are
 * written; then the answers go out (outbox_release); then a chunk of each
 * replay (feed_replay_all), after the answers that begin them.
 */
void	watch_txn_end(void *arg, int failed);

/*
 * The sync thread has synced (main.c's wake-up, in the middle of a turn):
 * what earlier turns committed and the sync covers goes out now, events
 * first, then the answers, rather than at the end of this turn, which may
 * run a time slice of requests and its own COMMIT first.
 */
void	watch_synced(struct server *);

/* events.watch answered ok on native c: c watches from now on (token and
 * args those of the request, result its answer: "last"). */
void	watch_native_begin(struct conn *c, const char *token,
	    const cJSON *args, const cJSON *result);

/* GET /v1/events on HTTP c. */
void	watch_http(struct conn *c, int close_after);

/* c is closing: its subscription ends (nothing more is added). */
void	watch_stop(struct conn *c);

/* c's output was written (some, or all): a paused replay goes on once
 * little is left. */
void	watch_written(struct conn *c);

#endif
