/*
 * conn.c: client connections and the native framing (one JSON per line).
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>
#include <event2/event.h>

#include "daemon/core/txn.h"
#include "daemon/net/conn.h"
#include "daemon/net/outbox.h"
#include "daemon/net/watch.h"
#include "daemon/core/dispatch.h"
#include "daemon/base/log.h"
#include "protocol/envelope.h"
#include "protocol/frame.h"

/* Stop reading while this much output waits; read on below the low mark. */
#define CONN_OUT_HIGH	(256 * 1024)
#define CONN_OUT_LOW	(64 * 1024)
/* How long a closing connection waits for the client's FIN. */
#define CONN_LINGER_SECS	2
/* Input taken from one client in one turn of the loop (what waits while
 * it is HELD is bounded by this and a line). */
#define CONN_READ_TURN	(64 * 1024)
/* Room made in the input for one recv (conn_sock_read_cb). */
#define CONN_RECV_BYTES	16384
/* Answers this long are handed to the output, not copied into it. */
#define CONN_REF_MIN	(16 * 1024)
/*
 * A turn's time slice (limits.turn_slice_ms): once the turn has run this
 * long, a connection that has run a request in it waits for the next
 * turn, so that slow requests run one per turn and others' requests (and
 * every answer, released at the turn's end) wait for one of them, not for
 * requests_per_turn of them.  3 ms by default: the loop polls (and so
 * hears of a sync that ended, and sends what waited for it) at least that
 * often under a pipelined load; with 10 ms the events bench's delivery
 * p99 was 25 ms, with 3 ms under 5 ms, and the durable posts' rate the
 * same within noise.
 */
#define CONN_TURN_SLICE(srv)	((double)(srv)->conf.turn_slice_ms / 1000)

static void	conn_read_cb(struct bufferevent *, void *);
static void	conn_sock_read_cb(evutil_socket_t, short, void *);
static void	conn_write_cb(struct bufferevent *, void *);
static void	conn_event_cb(struct bufferevent *, short, void *);
static void	conn_resume_cb(evutil_socket_t, short, void *);
static void	conn_out_cb(struct evbuffer *, const struct evbuffer_cb_info *,
		    void *);

static const char *const http_reasons[][2] = {
	{ "200", "OK" }, { "400", "Bad Request" }, { "401", "Unauthorized" },
	{ "403", "Forbidden" }, { "404", "Not Found" },
	{ "405", "Method Not Allowed" }, { "408", "Request Timeout" },
	{ "409", "Conflict" }, { "413", "Content Too Large" },
	{ "429", "Too Many Requests" }, { "500", "Internal Server Error" },
	{ "503", "Service Unavailable" },
};

static const char *
http_reason(int status)
{
	char	buf[8];
	size_t	i;

	snprintf(buf, sizeof(buf), "%d", status);
	for (i = 0; i < sizeof(http_reasons) / sizeof(http_reasons[0]); i++)
		if (strcmp(http_reasons[i][0], buf) == 0)
			return http_reasons[i][1];
	return "Unknown";
}

static void
conn_req_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	if (!c->lingering)
		log_debug("conn_req_timeout_cb: request not complete in %lds; "
		    "closing", c->srv->conf.header_timeout);
	conn_close(c);
}

void
conn_req_timer(struct conn *c, int on)
{
	struct timeval tv;

	if (on == c->req_timer_on || c->req_timer == NULL)
		return;
	c->req_timer_on = on;
	if (on) {
		tv.tv_sec = c->srv->conf.header_timeout;
		tv.tv_usec = 0;
		evtimer_add(c->req_timer, &tv);
	} else
		evtimer_del(c->req_timer);
}

struct conn *
conn_new(struct server *srv, evutil_socket_t fd, const struct sockaddr *sa,
    int http)
{
	struct conn	*c;
	struct timeval	 idle;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return NULL;
	}
	c->srv = srv;
	c->http = http;
	c->refs = 1;
	c->turn = srv->outbox->turn;
	c->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->req_timer = evtimer_new(srv->base, conn_req_timeout_cb, c);
	c->resume = evtimer_new(srv->base, conn_resume_cb, c);
	if (peers_key(sa, &c->peer) == 0)
		c->has_peer = 1;
	if (c->bev == NULL || c->req_timer == NULL || c->resume == NULL ||
	    evbuffer_add_cb(bufferevent_get_output(c->bev), conn_out_cb,
	    c) == NULL || (c->has_peer && peers_add(srv->peers,
	    &c->peer) == -1)) {
		if (c->bev)
			bufferevent_free(c->bev);
		else
			evutil_closesocket(fd);
		if (c->req_timer)
			event_free(c->req_timer);
		if (c->resume)
			event_free(c->resume);
		free(c);
		return NULL;
	}
	bufferevent_setcb(c->bev, conn_read_cb, conn_write_cb, conn_event_cb,
	    c);
	/*
	 * The socket is read by conn_sock_read_cb, not by libevent's read
	 * callback: that one asks ioctl(FIONREAD) before every read.  The
	 * bufferevent's own read event is given the callback (it is not
	 * added yet), so bufferevent_enable and _disable of EV_READ and the
	 * read timeout (idle_timeout) act on it as before.  Its argument
	 * stays the bufferevent: bufferevent_free finalizes the event with
	 * that argument.
	 */
	event_assign(&c->bev->ev_read, srv->base, fd,
	    EV_READ | EV_PERSIST | EV_FINALIZE, conn_sock_read_cb, c->bev);
	if (srv->conf.idle_timeout > 0) {
		idle.tv_sec = srv->conf.idle_timeout;
		idle.tv_usec = 0;
		bufferevent_set_timeouts(c->bev, &idle, &idle);
	}
	/* EV_WRITE (on in a new bufferevent) is armed only while output
	 * waits: see conn_flush. */
	bufferevent_disable(c->bev, EV_WRITE);
	bufferevent_enable(c->bev, EV_READ);
	TAILQ_INSERT_TAIL(&srv->conns, c, entry);
	TAILQ_INSERT_TAIL(&srv->unauth, c, unauth_entry);
	srv->nconns++;
	return c;
}

void
conn_unref(struct conn *c)
{
	if (--c->refs > 0)
		return;
	assert(c->bev == NULL);
	if (c->req_timer)
		event_free(c->req_timer);
	if (c->resume)
		event_free(c->resume);
	free(c);
}

void
conn_close(struct conn *c)
{
	struct server	*srv = c->srv;
	struct outbox	*ob = srv->outbox;

	if (c->bev == NULL)
		return;
	watch_stop(c);
	/* Its output leaves the total with it. */
	evbuffer_remove_cb(bufferevent_get_output(c->bev), conn_out_cb, c);
	ob->out_bytes -= c->out_counted;
	c->out_counted = 0;
	bufferevent_free(c->bev);
	c->bev = NULL;
	conn_req_timer(c, 0);
	evtimer_del(c->resume);
	c->held = 0;
	TAILQ_REMOVE(&srv->conns, c, entry);
	if (!c->signed_in)
		TAILQ_REMOVE(&srv->unauth, c, unauth_entry);
	if (c->has_peer)
		peers_del(srv->peers, &c->peer);
	srv->nconns--;
	conn_unref(c);
	if (srv->stopping && srv->nconns == 0)
		event_base_loopbreak(srv->base);
}

void
conn_signed_in(struct conn *c)
{
	if (c->signed_in || c->bev == NULL)
		return;
	c->signed_in = 1;
	TAILQ_REMOVE(&c->srv->unauth, c, unauth_entry);
}

void
conn_evict(struct conn *c)
{
	struct error	 err;
	char		*body;
	evutil_socket_t	 fd;

	assert(!c->signed_in);
	log_debug("conn_evict: max_clients (%ld) taken: closing the oldest "
	    "connection not signed in for a newcomer",
	    c->srv->conf.max_clients);
	/* A native client between answers hears why; nothing else is
	 * written to a connection in the middle of an answer. */
	if (!c->http && !c->closing && !c->lingering && c->refs == 1 &&
	    c->out_counted == 0) {
		error_set(&err, ERR_UNAVAILABLE, NULL, "too many clients "
		    "(max_clients is %ld): this connection, not signed in, "
		    "was closed for a new one; a connection that has made a "
		    "request with a valid token is kept",
		    c->srv->conf.max_clients);
		if ((body = envelope_error(NULL, &err)) != NULL) {
			fd = bufferevent_getfd(c->bev);
			(void)send(fd, body, strlen(body), MSG_NOSIGNAL |
			    MSG_DONTWAIT | MSG_MORE);
			(void)send(fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			free(body);
		}
	}
	conn_close(c);
}

/* Keep the outbox's total of unread output (and c's share) exact. */
static void
conn_out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn	*c = arg;
	struct outbox	*ob = c->srv->outbox;

	(void)buf;
	c->out_counted += info->n_added;
	c->out_counted -= info->n_deleted;
	ob->out_bytes += info->n_added;
	ob->out_bytes -= info->n_deleted;
	outbox_held_peak(ob);
}

static double
conn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
conn_turn_take(struct conn *c)
{
	struct outbox	*ob = c->srv->outbox;
	struct timeval	 zero = { 0, 0 };
	double		 now = conn_now();
	int		 first;

	if (c->turn != ob->turn) {
		c->turn = ob->turn;
		c->turn_requests = 0;
	}
	if (!ob->turn_begun) {
		ob->turn_begun = 1;
		ob->turn_start = now;
	}
	first = c->turn_requests == 0 &&
	    (!c->run_resumed || !ob->turn_resumed);
	/*
	 * Every connection with a request runs one each turn; more, up to
	 * requests_per_turn, while the turn is within its slice.  Those a
	 * run held (every writer, at a street's fair) are a turn's slice of
	 * time a turn, and at least one, until all have run: after the
	 * run's own COMMIT, a turn of them all would make a ping wait for
	 * both (the run's COMMIT 8 to 10 ms and 50 posts 7 to 12 ms at a
	 * million needs), and so would a turn of all those one slice put
	 * off.  Over max_output_total only a client that has read all its
	 * answers runs a request, one this turn: whoever reads is never
	 * starved by those who do not, and memory grows by one answer each
	 * at most.
	 */
	if (c->turn_requests < c->srv->conf.requests_per_turn &&
	    (first || now - ob->turn_start < CONN_TURN_SLICE(c->srv)) &&
	    (!outbox_full(ob) || (first && c->out_counted == 0))) {
		c->turn_requests++;
		if (c->run_resumed) {
			c->run_resumed = 0;
			ob->turn_resumed = 1;
		}
		return 1;
	}
	/*
	 * A zero timer fires in the next turn, not this one: libevent runs
	 * expired timers when it next polls.  Reading the socket stops
	 * meanwhile, so what waits is bounded by what was already read.
	 */
	if (!c->held) {
		c->held = 1;
		bufferevent_disable(c->bev, EV_READ);
		conn_req_timer(c, 0);
		evtimer_add(c->resume, &zero);
	}
	return 0;
}

void
conn_wait(struct conn *c)
{
	c->waiting = 1;
	c->refs++;
	if (c->bev == NULL)
		return;
	bufferevent_disable(c->bev, EV_READ);
	conn_req_timer(c, 0);
}

void
conn_unwait(struct conn *c)
{
	struct timeval zero = { 0, 0 };

	c->waiting = 0;
	/* Read on from the next turn (conn_resume_cb), as a HELD one. */
	if (c->bev != NULL && !c->closing && !c->lingering)
		evtimer_add(c->resume, &zero);
	conn_unref(c);
}

int
conn_run_hold(struct conn *c)
{
	if (!txn_held(c->srv))
		return 0;
	c->run_held = 1;
	c->srv->conns_run_held++;
	if (!c->held) {
		c->held = 1;
		bufferevent_disable(c->bev, EV_READ);
		conn_req_timer(c, 0);
	}
	return 1;
}

void
conn_run_release(struct server *srv)
{
	struct timeval	 zero = { 0, 0 };
	struct conn	*c;

	if (srv->conns_run_held == 0 || txn_held(srv))
		return;
	srv->conns_run_held = 0;
	/* Read on from the next turn (conn_resume_cb), as a HELD one. */
	TAILQ_FOREACH(c, &srv->conns, entry)
		if (c->run_held) {
			c->run_held = 0;
			c->run_resumed = 1;
			if (c->bev != NULL && !c->closing && !c->lingering)
				evtimer_add(c->resume, &zero);
		}
}

size_t
conn_sync_max(const struct conn *c)
{
	size_t quarter = (size_t)c->srv->conf.max_output_bytes / 4;

	return quarter < CONN_OUT_HIGH ? quarter : CONN_OUT_HIGH;
}

void
conn_sync_pause(struct conn *c)
{
	if (c->bev == NULL || c->sync_paused)
		return;
	c->sync_paused = 1;
	bufferevent_disable(c->bev, EV_READ);
	conn_req_timer(c, 0);
}

void
conn_sync_resume(struct conn *c)
{
	struct timeval zero = { 0, 0 };

	if (!c->sync_paused)
		return;
	c->sync_paused = 0;
	/* Read on from the next turn (conn_resume_cb), as a HELD one. */
	if (c->bev != NULL && !c->closing && !c->lingering)
		evtimer_add(c->resume, &zero);
}

static void
conn_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	c->held = 0;
	/* Paused: conn_write_cb reads on once the client has read. */
	if (c->bev == NULL || c->closing || c->lingering || c->read_paused ||
	    c->waiting || c->sync_paused)
		return;
	bufferevent_enable(c->bev, EV_READ);
	conn_read_cb(c->bev, c);
}

void
conn_shed(struct server *srv)
{
	struct outbox	*ob = srv->outbox;
	struct conn	*c, *most;

	while (ob->out_bytes > (size_t)srv->conf.max_output_total) {
		most = NULL;
		TAILQ_FOREACH(c, &srv->conns, entry)
			if (most == NULL || c->out_counted > most->out_counted)
				most = c;
		if (most == NULL || most->out_counted == 0)
			break;
		log_warnx("conn_shed: %zu bytes of answers wait unread, over "
		    "max_output_total (%ld): closing the client with the most "
		    "(%zu bytes)", ob->out_bytes, srv->conf.max_output_total,
		    most->out_counted);
		conn_close(most);
	}
}

/*
 * Close gracefully once everything is sent: send FIN, then read and drop
 * what the client still sends until it closes too, or CONN_LINGER_SECS
 * pass.  Closing at once with unread input would send a reset, and a
 * reset can make the client's kernel drop answers it has not read yet.
 */
static void
conn_linger(struct conn *c)
{
	struct timeval tv = { CONN_LINGER_SECS, 0 };

	if (c->bev == NULL || c->lingering)
		return;
	c->lingering = 1;
	if (shutdown(bufferevent_getfd(c->bev), SHUT_WR) == -1) {
		conn_close(c);
		return;
	}
	evbuffer_drain(bufferevent_get_input(c->bev),
	    evbuffer_get_length(bufferevent_get_input(c->bev)));
	conn_req_timer(c, 0);
	c->req_timer_on = 1;
	evtimer_add(c->req_timer, &tv);
	bufferevent_enable(c->bev, EV_READ);
}

void
conn_drain(struct conn *c)
{
	if (c->bev == NULL || c->lingering)
		return;
	watch_stop(c);
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
	conn_req_timer(c, 0);
	/* Queued answers hold references: close when the last is written. */
	if (c->refs == 1 &&
	    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		conn_linger(c);
	else
		bufferevent_enable(c->bev, EV_WRITE);
}

static void
conn_body_free(const void *data, size_t len, void *arg)
{
	(void)len;
	(void)arg;
	free((void *)(uintptr_t)data);
}

void
conn_mark_unflushed(struct conn *c)
{
	if (!c->unflushed) {
		c->unflushed = 1;
		c->refs++;
		TAILQ_INSERT_TAIL(&c->srv->outbox->unflushed, c, flush_entry);
	}
}

void
conn_send(struct pending *p)
{
	struct conn	*c = p->conn;
	struct evbuffer	*out;

	if (c->bev != NULL) {
		out = bufferevent_get_output(c->bev);
		if (p->http_status && !p->raw) {
			evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\n"
			    "Content-Type: %s\r\nContent-Length: %zu\r\n"
			    "X-Content-Type-Options: nosniff\r\n"
			    "%s%sConnection: %s\r\n\r\n", p->http_status,
			    http_reason(p->http_status), p->content_type,
			    p->body_len, p->extra_headers ?
			    p->extra_headers : "", p->own_headers ?
			    p->own_headers : "", p->close_after ? "close" :
			    "keep-alive");
		}
		/* A long answer is handed over (freed once written), not
		 * copied: the body and its copy would be held together. */
		if (p->body_len >= CONN_REF_MIN &&
		    evbuffer_add_reference(out, p->body, p->body_len,
		    conn_body_free, NULL) == 0)
			p->body = NULL;
		else
			evbuffer_add(out, p->body, p->body_len);
		if (!p->http_status && !p->raw)
			evbuffer_add(out, "\n", 1);
		conn_mark_unflushed(c);
		if (p->close_after)
			conn_drain(c);
		else if ((long)evbuffer_get_length(out) >
		    c->srv->conf.max_output_bytes) {
			log_info("conn_send: output over %ld bytes unread; "
			    "closing", c->srv->conf.max_output_bytes);
			conn_close(c);
		} else if (evbuffer_get_length(out) > CONN_OUT_HIGH &&
		    !c->read_paused) {
			/* Backpressure: read on once the client catches up. */
			c->read_paused = 1;
			bufferevent_disable(c->bev, EV_READ);
			bufferevent_enable(c->bev, EV_WRITE);
			bufferevent_setwatermark(c->bev, EV_WRITE,
			    CONN_OUT_LOW, 0);
		}
	}
	free(p->body);
	free(p->own_headers);
	cJSON_Delete(p->id);
	free(p);
	conn_unref(c);
}

/*
 * Write what c's answers added to its output now, in the turn they were
 * made, rather than arming the write event and writing a turn later.  The
 * event is armed only for what the socket did not take, and while the
 * connection closes or waits for the client to read (its callback then
 * lingers or reads on).
 */
static void
conn_flush(struct conn *c)
{
	struct evbuffer *out;

	if (c->bev == NULL)
		return;
	out = bufferevent_get_output(c->bev);
	if (!c->closing && !c->read_paused && evbuffer_get_length(out) > 0) {
		/* A socket bufferevent keeps the start of its output frozen
		 * but for its own writes; write as it does. */
		evbuffer_unfreeze(out, 1);
		(void)evbuffer_write(out, bufferevent_getfd(c->bev));
		evbuffer_freeze(out, 1);
	}
	if (c->closing || c->read_paused || evbuffer_get_length(out) > 0)
		bufferevent_enable(c->bev, EV_WRITE);
	if (c->sub != NULL)
		watch_written(c);
}

void
conn_flush_all(struct outbox *ob)
{
	struct conn *c;

	while ((c = TAILQ_FIRST(&ob->unflushed)) != NULL) {
		TAILQ_REMOVE(&ob->unflushed, c, flush_entry);
		c->unflushed = 0;
		conn_flush(c);
		conn_unref(c);
	}
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->sub != NULL)
		watch_written(c);
	if (c->closing) {
		if (c->refs == 1 && evbuffer_get_length(
		    bufferevent_get_output(c->bev)) == 0)
			conn_linger(c);
		return;
	}
	/* All written: the write event waits for the next answers. */
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		bufferevent_disable(c->bev, EV_WRITE);
	if (c->read_paused) {
		c->read_paused = 0;
		bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
		/* Held: the resume timer reads on, in the next turn;
		 * waiting: conn_unwait does. */
		if (c->held || c->waiting || c->sync_paused)
			return;
		bufferevent_enable(c->bev, EV_READ);
		/* Input may have waited while we were paused. */
		conn_read_cb(c->bev, c);
	}
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->lingering) {
		conn_close(c);
		return;
	}
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) && !c->sse) {
		/*
		 * The client has finished sending (it may have shut down
		 * only its writing half): answer what it sent, then close.
		 */
		conn_drain(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		log_debug("conn_event_cb: idle for %lds; closing",
		    c->srv->conf.idle_timeout);
	else if (what & BEV_EVENT_ERROR)
		log_debug("conn_event_cb: %s", strerror(errno));
	conn_close(c);
}

/*
 * Take what the socket holds into c's input, up to CONN_READ_TURN bytes,
 * so that a turn of the loop (one commit) can run requests_per_turn
 * requests of a pipelining client even when they are long.  A recv that
 * fills less than the room it was given emptied the socket: no further
 * recv for EAGAIN (a request of one line costs one recv).  A socket
 * bufferevent keeps the end of its input frozen but for its own reads:
 * read as it does.  Returns the bytes taken, or, when none, what the
 * last recv returned (0 at EOF, -1 with errno).
 */
static ssize_t
conn_recv(struct conn *c, evutil_socket_t fd)
{
	struct evbuffer		*in = bufferevent_get_input(c->bev);
	struct evbuffer_iovec	 v;
	ssize_t			 n, total = 0;
	size_t			 room;

	evbuffer_unfreeze(in, 0);
	do {
		if (evbuffer_reserve_space(in, CONN_RECV_BYTES, &v, 1) < 1) {
			errno = ENOMEM;
			n = -1;
			break;
		}
		room = v.iov_len;
		if ((n = recv(fd, v.iov_base, room, 0)) <= 0)
			break;
		v.iov_len = (size_t)n;
		if (evbuffer_commit_space(in, &v, 1) == -1) {
			errno = ENOMEM;
			n = -1;
			break;
		}
		total += n;
	} while ((size_t)n == room &&
	    evbuffer_get_length(in) < CONN_READ_TURN);
	evbuffer_freeze(in, 0);
	return total > 0 ? total : n;
}

/*
 * The socket is readable, or its read timeout (idle_timeout) passed: what
 * libevent's bufferevent_readcb does, with one recv where it makes an
 * ioctl and a readv.  EOF and errors go to conn_event_cb with reading
 * disabled, as libevent's would.
 */
static void
conn_sock_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bufferevent	*bev = arg;
	struct conn		*c;
	void			*cbarg;
	short			 ev = BEV_EVENT_READING;
	ssize_t			 n;

	bufferevent_getcb(bev, NULL, NULL, NULL, &cbarg);
	if ((c = cbarg) == NULL)
		return;
	if (what == EV_TIMEOUT)
		ev |= BEV_EVENT_TIMEOUT;
	else if ((n = conn_recv(c, fd)) > 0) {
		conn_read_cb(c->bev, c);
		return;
	} else if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	else
		ev |= n == 0 ? BEV_EVENT_EOF : BEV_EVENT_ERROR;
	bufferevent_disable(c->bev, EV_READ);
	conn_event_cb(c->bev, ev, c);
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->lingering) {
		evbuffer_drain(bufferevent_get_input(c->bev),
		    evbuffer_get_length(bufferevent_get_input(c->bev)));
		return;
	}
	if (c->closing || c->read_paused || c->held || c->waiting ||
	    c->sync_paused)
		return;
	if (c->sse) {
		/* A stream's client has nothing more to say. */
		evbuffer_drain(bufferevent_get_input(c->bev),
		    evbuffer_get_length(bufferevent_get_input(c->bev)));
		return;
	}
	if (c->http)
		conn_http_read(c);
	else
		conn_native_read(c);
}
