/*
 * hooks.h: webhook delivery, on a worker thread of its own.
 *
 * The worker reads committed events and the webhooks through its own
 * connection to the database (store_hookdb), posts each event a webhook
 * may see, in id order per webhook, with libcurl (http and https, names
 * resolved on the worker, timeouts on every transfer), and retries a
 * failed one with backoff (1 s, doubling, at most 60 s apart) until
 * events.webhook_retry_hours have passed, when it skips the event.  It
 * shares nothing mutable with the loop thread but the small queues below,
 * each behind its mutex:
 *
 *   loop -> worker: hooks_notify (events up to an id are committed, and
 *                   synced: the worker reads none past it, for an id
 *                   not yet on disk could be reused after a crash)
 *   worker -> loop: hooks_take (webhooks' new positions, which the loop
 *                   writes in its batch transaction: a position is only
 *                   ever an event that was delivered or skipped, so a
 *                   restart, even after kill -9, delivers again from
 *                   there: at least once)
 */
#ifndef DAEMON_HOOKS_H
#define DAEMON_HOOKS_H

#include <stdint.h>
#include <stdio.h>

#include "protocol/error.h"

struct hooks;

struct hooks_config {
	const char	*database;
	long		 busy_ms;
	int		 allow_private;	/* events.allow_private_hooks */
	double		 retry_hours;	/* events.webhook_retry_hours */
};

/* A webhook's position moved forward to the event `position`. */
struct hooks_position {
	int64_t		 webhook;
	int64_t		 position;
};

/* Start the worker (the configuration is copied); NULL with err set. */
struct hooks	*hooks_start(const struct hooks_config *, struct error *);
/* Stop the worker (a transfer under way is abandoned) and free. */
void		 hooks_stop(struct hooks *);

/* Loop thread: every event up to last is committed and on disk. */
void		 hooks_notify(struct hooks *, int64_t last);

/* Loop thread: take up to max new positions into out; their number. */
size_t		 hooks_take(struct hooks *, struct hooks_position *out,
		    size_t max);

/* The webhook metrics, Prometheus text: events pending per webhook and
 * events skipped. */
void		 hooks_metrics_print(struct hooks *, FILE *);

#endif
