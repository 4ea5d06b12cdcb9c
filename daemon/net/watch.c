/*
 * watch.c: writing events to the connections that watch them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "daemon/base/log.h"
#include "daemon/core/dispatch.h"
#include "daemon/core/feed.h"
#include "daemon/core/metrics.h"
#include "daemon/core/txn.h"
#include "daemon/net/conn.h"
#include "daemon/net/outbox.h"
#include "daemon/net/watch.h"
#include "protocol/args.h"
#include "protocol/envelope.h"

/* SSE: a comment line this often keeps proxies and browsers from giving
 * a quiet stream up. */
#define WATCH_HEARTBEAT_SECS	15
/* A replay waits while this much is unread. */
#define WATCH_REPLAY_HIGH	(256 * 1024)
/* GET /v1/events without event-stream: events a page. */
#define WATCH_PAGE_DEFAULT	100
#define WATCH_PAGE_MAX		1000

#define SSE_HEAD	"HTTP/1.1 200 OK\r\n" \
	"Content-Type: text/event-stream; charset=utf-8\r\n" \
	"Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n" \
	"Connection: keep-alive\r\n\r\n" \
	"retry: 2000\n\n"

/* The timers, one set per server. */
struct watch_timers {
	struct event	*heartbeat;
	struct event	*tick;
	struct event	*again;		/* zero timer: another turn */
};

static struct watch_timers timers;

static void
watch_heartbeat_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	struct conn	*c;

	(void)fd;
	(void)what;
	TAILQ_FOREACH(c, &srv->conns, entry)
		if (c->sse && c->sub != NULL && c->bev != NULL) {
			evbuffer_add(bufferevent_get_output(c->bev),
			    ": ping\n\n", 8);
			conn_mark_unflushed(c);
		}
	conn_flush_all(srv->outbox);
}

/* The feed's tick runs in a turn of its own: its writes commit when the
 * turn ends (main.c's loop). */
static void
watch_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	feed_tick(arg);
}

/* Nothing to do: firing makes a turn, whose end publishes. */
static void
watch_again_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

int
watch_init(struct server *srv)
{
	struct timeval hb = { WATCH_HEARTBEAT_SECS, 0 };
	struct timeval tick = { 0, FEED_TICK_MS * 1000 };

	timers.heartbeat = event_new(srv->base, -1, EV_PERSIST,
	    watch_heartbeat_cb, srv);
	timers.tick = event_new(srv->base, -1, EV_PERSIST, watch_tick_cb, srv);
	timers.again = evtimer_new(srv->base, watch_again_cb, srv);
	if (timers.heartbeat == NULL || timers.tick == NULL ||
	    timers.again == NULL || event_add(timers.heartbeat, &hb) == -1 ||
	    event_add(timers.tick, &tick) == -1) {
		watch_free(srv);
		return -1;
	}
	return 0;
}

void
watch_free(struct server *srv)
{
	(void)srv;
	if (timers.heartbeat != NULL)
		event_free(timers.heartbeat);
	if (timers.tick != NULL)
		event_free(timers.tick);
	if (timers.again != NULL)
		event_free(timers.again);
	memset(&timers, 0, sizeof(timers));
}

/*
 * Count n events handed to watchers, each one sample from its commit being
 * on disk: the end of the last sync (synced_at, 0 without a sync thread),
 * or start, when the turn's end began, if that is earlier.
 */
static void
watch_count_sent(struct server *srv, double start, double synced_at,
    unsigned long long n)
{
	if (synced_at > 0 && synced_at < start)
		start = synced_at;
	if (srv->metrics != NULL && n > 0)
		metrics_events_sent(srv->metrics, metrics_now() - start, n);
}

void
watch_txn_end(void *arg, int failed)
{
	struct server		*srv = arg;
	struct timeval		 zero = { 0, 0 };
	double			 start = metrics_now(), synced_at;
	unsigned long long	 n;
	uint64_t		 synced;
	int			 more;

	/* A run is written in slices: only what read nothing (a ping,
	 * tagged 0) goes; the feed reads nothing of the open transaction. */
	if (failed == TXN_HELD) {
		outbox_release_synced(srv->outbox, 0, txn_synced(srv, NULL));
		return;
	}
	conn_run_release(srv);
	if (srv->feed == NULL) {
		outbox_release(srv->outbox, failed);
		return;
	}
	/*
	 * Live events first, written at once; then the answers.  Both only
	 * once their commit is synced (core/syncer.h): a turn's end hands on
	 * what every sync so far covers.  Each event handed to a watcher is
	 * one sample, from its commit being on disk (the end of the last
	 * sync, or of this turn's COMMIT without a sync thread) to the write
	 * to the sockets: a turn of many events weighs as many.
	 */
	synced = txn_synced(srv, &synced_at);
	more = feed_publish(srv->feed, failed, txn_commits(srv), synced, &n);
	conn_flush_all(srv->outbox);
	watch_count_sent(srv, start, synced_at, n);
	outbox_release_synced(srv->outbox, failed, synced);
	more |= feed_replay_all(srv->feed);
	conn_flush_all(srv->outbox);
	if (more && timers.again != NULL)
		evtimer_add(timers.again, &zero);
}

void
watch_synced(struct server *srv)
{
	struct timeval		 zero = { 0, 0 };
	double			 start = metrics_now(), synced_at;
	unsigned long long	 n = 0;
	uint64_t		 synced = txn_synced(srv, &synced_at);

	/* As at a turn's end: the events first, then the answers. */
	if (srv->feed != NULL && feed_synced(srv->feed, synced, &n) &&
	    timers.again != NULL)
		evtimer_add(timers.again, &zero);
	conn_flush_all(srv->outbox);
	watch_count_sent(srv, start, synced_at, n);
	outbox_send_synced(srv->outbox, synced);
}

/* ---- delivery ---------------------------------------------------------- */

/*
 * The last words to a watcher that fell behind: where to resume.  Its
 * subscription is over; what it was given is still written, then it
 * closes.
 */
static void
watch_drop(struct conn *c, struct evbuffer *out, int64_t resume)
{
	char line[400];

	snprintf(line, sizeof(line), "{\"ok\":false,\"error\":{\"code\":"
	    "\"unavailable\",\"message\":\"this watcher fell behind by more "
	    "than limits.max_output_bytes (%ld bytes unread) and is closed; "
	    "watch again with after %lld\",\"after\":%lld}}",
	    c->srv->conf.max_output_bytes, (long long)resume,
	    (long long)resume);
	if (c->sse)
		evbuffer_add_printf(out, "event: error\ndata: %s\n\n", line);
	else
		evbuffer_add_printf(out, "%s\n", line);
	log_info("watch_drop: a watcher fell behind (over %ld bytes); closed "
	    "it, to resume after %lld", c->srv->conf.max_output_bytes,
	    (long long)resume);
	conn_mark_unflushed(c);
	conn_drain(c);
}

/* Unread output over which a replay waits. */
static size_t
watch_high(const struct conn *c)
{
	long quarter = c->srv->conf.max_output_bytes / 4;

	return (size_t)(quarter < WATCH_REPLAY_HIGH ? quarter :
	    WATCH_REPLAY_HIGH);
}

/* The feed's delivery: one event (NULL: the watch never began). */
static int
watch_deliver(void *arg, const struct event *ev)
{
	struct conn	*c = arg;
	struct evbuffer	*out;
	size_t		 len;

	if (ev == NULL || c->bev == NULL) {
		/* Its answer said unavailable: nothing was committed. */
		c->sub = NULL;
		conn_drain(c);
		return -1;
	}
	out = bufferevent_get_output(c->bev);
	len = evbuffer_get_length(out);
	if ((long)(len + ev->line_len) > c->srv->conf.max_output_bytes) {
		int64_t resume = feed_cursor(c->sub) < ev->id ?
		    feed_cursor(c->sub) : ev->id - 1;

		c->sub = NULL;
		watch_drop(c, out, resume);
		return -1;
	}
	if (c->sse) {
		evbuffer_add_printf(out, "id: %lld\nevent: %s\ndata: ",
		    (long long)ev->id, events_kind_name(ev->kind));
		evbuffer_add(out, ev->json, ev->json_len);
		evbuffer_add(out, "\n\n", 2);
	} else
		evbuffer_add(out, ev->line, ev->line_len);
	conn_mark_unflushed(c);
	/* A replay waits for its reader well before the limit. */
	if (evbuffer_get_length(out) > watch_high(c))
		feed_pause(c->sub, 1);
	return 0;
}

/* c watches from `after` on: no idle timeout, only a write timeout. */
static void
watch_begin(struct conn *c, const struct event_viewer *v, uint32_t kinds,
    int64_t after)
{
	struct timeval idle = { c->srv->conf.idle_timeout, 0 };

	c->watching = 1;
	if ((c->sub = feed_subscribe(c->srv->feed, v, kinds, after,
	    watch_deliver, c)) == NULL) {
		log_warnx("watch_begin: out of memory");
		conn_drain(c);
		return;
	}
	bufferevent_set_timeouts(c->bev, NULL, c->srv->conf.idle_timeout > 0 ?
	    &idle : NULL);
}

void
watch_native_begin(struct conn *c, const char *token, const cJSON *args,
    const cJSON *result)
{
	struct event_viewer	 v;
	struct error		 err;
	const cJSON		*after = cJSON_GetObjectItemCaseSensitive(args,
				    "after");
	const cJSON		*last = cJSON_GetObjectItemCaseSensitive(result,
				    "last");

	/* dispatch let token through a moment ago: it names an account. */
	if (feed_viewer(c->srv, token, &v, &err) == -1) {
		conn_drain(c);
		return;
	}
	watch_begin(c, &v, events_kinds_mask(cJSON_GetObjectItemCaseSensitive(
	    args, "kinds")), (int64_t)cJSON_GetNumberValue(cJSON_IsNumber(
	    after) ? after : last));
}

void
watch_stop(struct conn *c)
{
	if (c->sub != NULL) {
		feed_unsubscribe(c->srv->feed, c->sub);
		c->sub = NULL;
	}
}

void
watch_written(struct conn *c)
{
	struct timeval zero = { 0, 0 };

	if (c->sub == NULL || c->bev == NULL || evbuffer_get_length(
	    bufferevent_get_output(c->bev)) > watch_high(c) / 2)
		return;
	feed_pause(c->sub, 0);
	if (timers.again != NULL && !evtimer_pending(timers.again, NULL))
		evtimer_add(timers.again, &zero);
}

/* ---- GET /v1/events ---------------------------------------------------- */

static void
watch_http_error(struct conn *c, const struct error *err, int close_after)
{
	(void)outbox_answer(c, NULL, err->code, envelope_error(NULL, err),
	    error_http_status(err->code), close_after);
}

/* kinds=a,b of the query as a mask (all when absent); -1 when one is
 * unknown (err set). */
static int
watch_http_kinds(const char *query, uint32_t *mask, struct error *err)
{
	char	buf[512], *p, *comma;
	int	k;

	*mask = EVENT_KINDS_ALL;
	if (conn_http_query(query, "kinds", buf, sizeof(buf)) == NULL ||
	    buf[0] == '\0')
		return 0;
	*mask = 0;
	for (p = buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if ((k = events_kind_of(p)) < 0)
			return error_set(err, ERR_INVALID_ARGUMENT, "kinds",
			    "kinds: there is no kind of event \"%.40s\"", p);
		*mask |= 1u << k;
	}
	return 0;
}

/* A whole number from the query (key), or fallback; -1 (err) if bad. */
static int
watch_http_num(const char *query, const char *key, long long max,
    long long *v, struct error *err)
{
	char	buf[32], *end;

	if (conn_http_query(query, key, buf, sizeof(buf)) == NULL)
		return 0;
	*v = strtoll(buf, &end, 10);
	if (buf[0] < '0' || buf[0] > '9' || *end != '\0' || *v > max)
		return error_set(err, ERR_INVALID_ARGUMENT, key, "%s must be "
		    "a whole number from 0 to %lld", key, max);
	return 0;
}

void
watch_http(struct conn *c, int close_after)
{
	struct http_req		*r = &c->hreq;
	struct event_viewer	 v;
	struct error		 err;
	char			 tok[HTTP_TOKEN_MAX], *head, *body;
	const char		*token = r->has_token ? r->token : NULL;
	long long		 after = -1, limit = WATCH_PAGE_DEFAULT;
	int64_t			 last;
	uint32_t		 kinds;
	cJSON			*page;

	/* A browser's EventSource cannot send headers. */
	if (token == NULL && conn_http_query(r->query, "access_token", tok,
	    sizeof(tok)) != NULL)
		token = tok;
	if (feed_viewer(c->srv, token, &v, &err) == -1 ||
	    watch_http_kinds(r->query, &kinds, &err) == -1 ||
	    watch_http_num(r->query, "after", ARG_ID_MAX, &after, &err) == -1 ||
	    watch_http_num(r->query, "limit", WATCH_PAGE_MAX, &limit,
	    &err) == -1) {
		watch_http_error(c, &err, close_after);
		return;
	}
	if (r->last_event_id >= 0)
		after = r->last_event_id;
	if (!r->event_stream) {
		if (limit < 1)
			limit = 1;
		if (feed_page(c->srv, &v, after < 0 ? 0 : after, (int)limit,
		    kinds, &page, &err) == -1) {
			watch_http_error(c, &err, close_after);
			return;
		}
		body = cJSON_PrintUnformatted(page);
		cJSON_Delete(page);
		if (body == NULL || outbox_answer_bytes(c, body, strlen(body),
		    "application/json", strdup("Cache-Control: no-store\r\n"),
		    close_after) == -1)
			conn_close(c);
		return;
	}
	if (after < 0 && feed_last(c->srv, &last, &err) == -1) {
		watch_http_error(c, &err, close_after);
		return;
	}
	if ((head = strdup(SSE_HEAD)) == NULL ||
	    outbox_answer_raw(c, head, strlen(head)) == -1) {
		conn_close(c);
		return;
	}
	c->sse = 1;
	watch_begin(c, &v, kinds, after < 0 ? last : after);
}
