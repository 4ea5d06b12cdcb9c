/*
 * conn.h: client connections, native (JSON lines) and HTTP.  Both framings
 * read requests, hand them to dispatch, and queue the answers in the
 * outbox; answers are written, in request order, once the turn's
 * transaction has ended.
 *
 * A connection's states, and the function behind each transition:
 *
 *     accepted --conn_new--> READING
 *     READING --(requests_per_turn run this turn, or the answers of all
 *                clients over max_output_total: conn_turn_take)--> HELD
 *         (its socket is not read; the requests it sent wait, in order)
 *     HELD --(the next turn: conn_resume_cb)--> READING
 *     READING --(output over CONN_OUT_HIGH: conn_send)--> PAUSED
 *     PAUSED --(client read it: conn_write_cb)--> READING
 *     READING --(answers held for a sync over conn_sync_max:
 *                conn_sync_pause)--> SYNCING
 *         (its socket is not read: what waits is bounded by memory)
 *     SYNCING --(they went out: conn_sync_resume; the next turn)-->
 *         READING
 *     READING --(a request went to a reader thread: conn_wait)--> WAITING
 *         (its socket is not read; what it pipelined waits, in order)
 *     WAITING --(the answer is queued: conn_unwait; the next turn)-->
 *         READING
 *     READING --(a request other than ping while a run is written in
 *                slices: conn_run_hold)--> HELD, run_held
 *         (its socket is not read; the request waits in its input)
 *     HELD, run_held --(the run committed or failed: conn_run_release;
 *                from the next turn, a turn's slice of them a turn
 *                and at least one: run_resumed)--> READING
 *     READING/PAUSED --(EOF, too large, HTTP close: conn_drain)--> CLOSING
 *         (read no more; answers already queued are still written)
 *     CLOSING --(all written: conn_linger)--> LINGERING
 *         (FIN sent; input read and dropped until the client closes)
 *     any --(error, idle or request timeout, output over
 *            max_output_bytes, LINGERING done: conn_close; the most
 *            unread output of all when the total passes max_output_total:
 *            conn_shed; not signed in, the oldest such, when a newcomer
 *            finds max_clients taken: conn_evict)--> CLOSED
 *         (bev NULL; the struct lives while queued answers hold refs)
 *     CLOSED --(last reference dropped: conn_unref)--> freed
 *
 * A connection that watches events (events.watch, GET /v1/events with
 * Server-Sent Events; watch.c) is READING (native: every request refused)
 * or, for SSE, reads and drops what comes; it has no idle timeout, and
 * is closed (CLOSING) once it falls behind by max_output_bytes.
 *
 * Flags: READING is closing == read_paused == lingering == held ==
 * waiting == sync_paused == 0; SYNCING is sync_paused; WAITING is waiting (it may be PAUSED or CLOSING too);
 * HELD is held (it may be PAUSED too: then conn_write_cb, not the resume
 * timer, reads on); PAUSED is read_paused; CLOSING is closing; LINGERING
 * is lingering; CLOSED is bev == NULL.  Apart from these states a
 * connection is signed in (signed_in, off srv->unauth) from its first
 * request with a valid token on.
 */
#ifndef DAEMON_CONN_H
#define DAEMON_CONN_H

#include <sys/queue.h>

#include <event2/bufferevent.h>
#include <event2/util.h>
#include <cjson/cJSON.h>

#include "daemon/core/server.h"
#include "daemon/net/peers.h"
#include "protocol/error.h"
#include "protocol/http_req.h"

struct conn {
	TAILQ_ENTRY(conn)	 entry;		/* on srv->conns */
	TAILQ_ENTRY(conn)	 unauth_entry;	/* on srv->unauth */
	int			 signed_in;	/* made a request with a valid
						   token: not evicted */
	int			 has_peer;	/* peer is counted in srv->peers */
	struct peer_addr	 peer;
	TAILQ_ENTRY(conn)	 flush_entry;	/* on the outbox's unflushed */
	int			 unflushed;	/* holds a reference */
	struct server		*srv;
	struct bufferevent	*bev;		/* NULL once closed */
	int			 http;
	int			 refs;		/* queued answers, +1 while open */
	int			 unsynced;	/* of them, held for a sync: later
						   ones wait (outbox.h) */
	size_t			 unsynced_bytes;	/* their bodies */
	int			 sync_paused;	/* input waits for those */
	int			 closing;	/* read no more; close when sent */
	size_t			 scanned;	/* input known to hold no '\n' */
	struct event		*req_timer;	/* the whole request must arrive */
	int			 req_timer_on;
	int			 read_paused;	/* output too full to read on */
	int			 lingering;	/* sent all, FIN out, input dropped */
	/* requests_per_turn: what ran in which turn (outbox's turn). */
	unsigned long		 turn;
	long			 turn_requests;
	int			 held;		/* input waits for the next turn */
	int			 run_held;	/* ... for a run's commit */
	int			 run_resumed;	/* read on after it: its first
						   request keeps to the slice
						   until it runs */
	int			 waiting;	/* a request is with a reader */
	struct event		*resume;	/* zero timer: the next turn */
	size_t			 out_counted;	/* output in the outbox's total */
	/* Watching events (watch.c): its subscription (NULL once it ended),
	 * and whether the stream is Server-Sent Events. */
	int			 watching;
	int			 sse;
	struct feed_sub		*sub;
	/* HTTP: the head of the request being read. */
	int			 have_head;
	size_t			 head_len;
	struct http_req		 hreq;
};

/* Take a freshly accepted socket from sa.  Returns NULL (socket closed) on
 * failure. */
struct conn	*conn_new(struct server *, evutil_socket_t fd,
		    const struct sockaddr *sa, int http);

/* Make way for a newcomer: close c, which has not signed in, telling a
 * native client why. */
void		 conn_evict(struct conn *);

/* c's request had a valid token: c may no longer be evicted. */
void		 conn_signed_in(struct conn *);

/*
 * Whether c may run one more request in this turn of the loop.  If not
 * (it ran requests_per_turn, or the answers of all clients reached
 * max_output_total and c has answers unread or ran one this turn), c is
 * HELD: the caller leaves the request in the input, and it runs in a
 * later turn.
 */
int		 conn_turn_take(struct conn *);

/*
 * A request of c went to a reader thread: read nothing more of c until
 * conn_unwait, so that c's answers stay in request order (the reader's
 * answer is queued before any later one) and c holds one reader at most.
 * Takes a reference, which conn_unwait drops.
 */
void		 conn_wait(struct conn *);
/* The reader's answer is queued: read on, from the next turn. */
void		 conn_unwait(struct conn *);

/*
 * c's answers held for a sync (outbox.h) passed conn_sync_max bytes:
 * read nothing more of c until they went out (conn_sync_resume), so that
 * they come out in one burst no larger than its output may hold.
 */
size_t		 conn_sync_max(const struct conn *);
void		 conn_sync_pause(struct conn *);
void		 conn_sync_resume(struct conn *);

/*
 * While a run is written in slices (txn_held), a request that would use
 * the store waits in c's input, and c reads nothing more, until the
 * run's transaction ends: 1 when c is held so, 0 when no run is written.
 * conn_run_release, at each end of a transaction, reads on the held:
 * in the next turn, as many as fit in its time slice; the rest in the
 * turn after it, first (conn_turn_take).
 */
int		 conn_run_hold(struct conn *);
void		 conn_run_release(struct server *);

/* At the end of a turn: while the unread output of all clients is over
 * max_output_total, close the client with the most. */
void		 conn_shed(struct server *);

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

/* c's output grew outside conn_send: write it with the turn's answers. */
void		 conn_mark_unflushed(struct conn *);

/* Drop a reference taken by a queued answer. */
void		 conn_unref(struct conn *);

/* The framings: read every complete request in c's input and answer
 * it (conn_native.c: one JSON per line; conn_http.c: HTTP/1.1). */
void		 conn_native_read(struct conn *);
void		 conn_http_read(struct conn *);

/* The value of key in an HTTP query string, %XX decoded, into buf; NULL
 * when absent. */
const char	*conn_http_query(const char *query, const char *key, char *buf,
		    size_t len);

/* Arm or disarm the whole-request timer. */
void		 conn_req_timer(struct conn *, int on);

#endif
