/*
 * conn.h: client connections, native (JSON lines) and HTTP.  Both framings
 * read requests, hand them to dispatch, and queue the answers in the
 * outbox; answers are written, in request order, once the turn's
 * transaction has ended.
 *
 * A connection's states, and the function behind each transition:
 *
 *     accepted --conn_new--> READING
 *     READING --(output over CONN_OUT_HIGH: conn_send)--> PAUSED
 *     PAUSED --(client read it: conn_write_cb)--> READING
 *     READING/PAUSED --(EOF, too large, HTTP close: conn_drain)--> CLOSING
 *         (read no more; answers already queued are still written)
 *     CLOSING --(all written: conn_linger)--> LINGERING
 *         (FIN sent; input read and dropped until the client closes)
 *     any --(error, idle or request timeout, output over
 *            max_output_bytes, LINGERING done: conn_close)--> CLOSED
 *         (bev NULL; the struct lives while queued answers hold refs)
 *     CLOSED --(last reference dropped: conn_unref)--> freed
 *
 * Flags: READING is closing == read_paused == lingering == 0; PAUSED is
 * read_paused; CLOSING is closing; LINGERING is lingering; CLOSED is
 * bev == NULL.
 */
#ifndef DAEMON_CONN_H
#define DAEMON_CONN_H

#include <sys/queue.h>

#include <event2/bufferevent.h>
#include <event2/util.h>
#include <cjson/cJSON.h>

#include "daemon/core/server.h"
#include "protocol/error.h"
#include "protocol/http_req.h"

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	TAILQ_ENTRY(conn)	 flush_entry;	/* on the outbox's unflushed */
	int			 unflushed;	/* holds a reference */
	struct server		*srv;
	struct bufferevent	*bev;		/* NULL once closed */
	int			 http;
	int			 refs;		/* queued answers, +1 while open */
	int			 closing;	/* read no more; close when sent */
	size_t			 scanned;	/* input known to hold no '\n' */
	struct event		*req_timer;	/* the whole request must arrive */
	int			 req_timer_on;
	int			 read_paused;	/* output too full to read on */
	int			 lingering;	/* sent all, FIN out, input dropped */
	/* HTTP: the head of the request being read. */
	int			 have_head;
	size_t			 head_len;
	struct http_req		 hreq;
};

/* Take a freshly accepted socket.  Returns NULL (socket closed) on failure. */
struct conn	*conn_new(struct server *, evutil_socket_t fd, int http);

/* Close now: drop unread input and unsent output; answers queued for the
 * connection are dropped when their batch ends. */
void		 conn_close(struct conn *);

/* Stop reading; close once every queued answer is written. */
void		 conn_drain(struct conn *);

/* Add one answer to its connection's output and free it (outbox.c calls
 * this once the turn's transaction has ended); conn_flush_all then writes
 * the output. */
struct pending;
void		 conn_send(struct pending *);

/* Write the output of every connection conn_send added to, now. */
struct outbox;
void		 conn_flush_all(struct outbox *);

/* Drop a reference taken by a queued answer. */
void		 conn_unref(struct conn *);

/* The framings: read every complete request in c's input and answer
 * it (conn_native.c: one JSON per line; conn_http.c: HTTP/1.1). */
void		 conn_native_read(struct conn *);
void		 conn_http_read(struct conn *);

/* Arm or disarm the whole-request timer. */
void		 conn_req_timer(struct conn *, int on);

#endif
