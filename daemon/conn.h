/*
 * conn.h: client connections, native (JSON lines) and HTTP.  Both framings
 * read requests, hand them to dispatch, and queue the answers in the batch;
 * answers are written, in request order, once the batch has committed.
 */
#ifndef DAEMON_CONN_H
#define DAEMON_CONN_H

#include <sys/queue.h>

#include <event2/bufferevent.h>
#include <event2/util.h>
#include <cjson/cJSON.h>

#include "daemon/server.h"
#include "protocol/error.h"
#include "protocol/http_req.h"

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	TAILQ_ENTRY(conn)	 flush_entry;	/* on srv->unflushed */
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

/* One answer waiting for its batch to commit. */
struct pending {
	TAILQ_ENTRY(pending)	 entry;
	struct conn		*conn;		/* holds a reference */
	cJSON			*id;		/* native: the request id, owned */
	enum err_code		 code;		/* ERR_NONE for ok */
	int			 write;		/* ok only if the commit is */
	char			*body;		/* owned, no newline */
	size_t			 body_len;
	int			 http_status;	/* 0: native */
	const char		*content_type;	/* static text */
	const char		*extra_headers;	/* static, "Allow: POST\r\n" */
	char			*own_headers;	/* owned, or NULL */
	int			 close_after;
};

/* Take a freshly accepted socket.  Returns NULL (socket closed) on failure. */
struct conn	*conn_new(struct server *, evutil_socket_t fd, int http);

/* Close now: drop unread input and unsent output; answers queued for the
 * connection are dropped when their batch ends. */
void		 conn_close(struct conn *);

/* Stop reading; close once every queued answer is written. */
void		 conn_drain(struct conn *);

/* Add one answer to its connection's output (batch.c calls this after
 * the commit) and free it; conn_flush_all then writes the output. */
void		 conn_send(struct pending *);

/* Write the output of every connection conn_send added to, now. */
void		 conn_flush_all(struct server *);

/* Queue an answer for c; takes body and id.  0, or -1 when out of memory. */
int		 conn_answer(struct conn *c, cJSON *id, enum err_code code,
		    int write, char *body, int http_status, int close_after);

/*
 * Queue an HTTP answer of any bytes: takes body (len bytes) and headers
 * (NULL, or lines each ending "\r\n"); content_type is static text.
 */
int		 conn_answer_bytes(struct conn *c, char *body, size_t len,
		    const char *content_type, char *headers, int close_after);

/* Drop a reference taken by a queued answer. */
void		 conn_unref(struct conn *);

/* The HTTP framing (conn_http.c): read requests from c's input. */
void		 conn_http_read(struct conn *);

/* Arm or disarm the whole-request timer. */
void		 conn_req_timer(struct conn *, int on);

#endif
