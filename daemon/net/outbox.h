/*
 * outbox.h: answers waiting for their turn's commit, and for its sync.
 * Both transports queue every answer here, in request order; when the
 * turn's transaction ends (core/txn.h calls outbox_release through its
 * hook) each answer is tagged with the number of the last commit
 * (txn_commits) and added to its connection's output once that commit is
 * on disk (txn_synced), and then the output is written.
 *
 * An answer's states:
 *
 *     outbox_answer* --> PENDING (its turn runs)
 *     PENDING --(the turn ends, its commit synced, and no answer of its
 *                connection HELD: outbox_release)--> sent (conn_send)
 *     PENDING --(the turn ends, its commit not yet synced, or an earlier
 *                answer of its connection HELD)--> HELD (tagged)
 *     HELD --(a later turn's end finds txn_synced >= its tag, and every
 *             answer before it on the held list gone)--> sent
 *
 * The held list is in release order, so answers on one connection never
 * overtake each other.  A ping's answer (pure) is tagged 0: it needs no
 * sync, only the answers before it on its connection.  Without a sync
 * thread every tag is 0 and nothing is ever HELD.
 */
#ifndef DAEMON_OUTBOX_H
#define DAEMON_OUTBOX_H

#include <sys/queue.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "daemon/core/dispatch.h"
#include "protocol/error.h"

struct conn;
struct event;

/* One answer waiting for its turn's transaction to end. */
struct pending {
	TAILQ_ENTRY(pending)	 entry;
	struct conn		*conn;		/* holds a reference */
	cJSON			*id;		/* native: the request id, owned */
	enum err_code		 code;		/* ERR_NONE for ok */
	int			 after_write;	/* made after the turn's first
						   write: void if it fails */
	char			*body;		/* owned, no newline */
	size_t			 body_len;
	int			 http_status;	/* 0: native */
	const char		*content_type;	/* static text */
	const char		*extra_headers;	/* static, "Allow: POST\r\n" */
	char			*own_headers;	/* owned, or NULL */
	int			 close_after;
	int			 raw;		/* body only: no HTTP head, no
						   newline (an SSE head) */
	int			 pure;		/* read nothing stored: tag 0 */
	uint64_t		 tag;		/* goes out once txn_synced
						   reaches it (outbox.h) */
};

TAILQ_HEAD(pending_list, pending);
TAILQ_HEAD(unflushed_list, conn);

struct outbox {
	struct server		*srv;
	struct pending_list	 pending;	/* in request order */
	struct pending_list	 held;		/* tagged, waiting for a sync,
						   in release order */
	struct unflushed_list	 unflushed;	/* output added, not written */
	unsigned long		 turn;		/* turns ended so far */
	int			 turn_begun;	/* a request ran this turn ... */
	double			 turn_start;	/* ... from then (monotonic s) */
	int			 turn_resumed;	/* one a run held ran this turn */
	/* Memory held for clients, against limits.max_output_total. */
	size_t			 pending_bytes;	/* bodies in pending and held */
	size_t			 out_bytes;	/* every connection's output */
	size_t			 held_peak;	/* the most of both at once
						   since the last malloc_trim */
	struct event		*trim_timer;	/* trims a second after */
};

/* A new, empty outbox for srv; NULL when out of memory.  outbox_free frees
 * it (the last turn has ended, and every commit is synced: what is held
 * is sent). */
struct outbox	*outbox_new(struct server *);
void		 outbox_free(struct outbox *);

/* Note the answers held now (queued and unread) towards the peak that
 * decides the heap's trim (outbox_release). */
void		 outbox_held_peak(struct outbox *);

/* Whether the answers held for all clients (queued and unread) have
 * reached max_output_total: then no request runs until the turn ends. */
int		 outbox_full(const struct outbox *);

/*
 * Queue a JSON answer for c: takes body (an envelope, no newline) and id
 * (the native request id, or NULL).  http_status is 0 on the native
 * transport.  Returns the queued answer (the caller may set its
 * extra_headers), or NULL when out of memory (body and id freed).
 */
struct pending	*outbox_answer(struct conn *c, cJSON *id, enum err_code code,
		    char *body, int http_status, int close_after);

/* Queue the envelope of a dispatched answer; takes id and a->result.  On
 * HTTP the status is the code's own. */
void		 outbox_answer_op(struct conn *c, cJSON *id, struct answer *a,
		    int close_after);

/*
 * Queue an HTTP answer of any bytes: takes body (len bytes) and headers
 * (NULL, or lines each ending "\r\n"); content_type is static text.
 * 0, or -1 when out of memory.
 */
int		 outbox_answer_bytes(struct conn *c, char *body, size_t len,
		    const char *content_type, char *headers, int close_after);

/* Queue bytes written as they are (raw); takes body.  0, or -1. */
int		 outbox_answer_raw(struct conn *c, char *body, size_t len);

/*
 * The transaction's end hook (txn_set_hook), arg the outbox.  Hand every
 * held answer whose commit is now synced to its connection, then tag the
 * turn's answers and hand on those that need not wait, and write the
 * output.  With failed, the answers made after the turn's first write
 * become `unavailable`: what they described was not stored
 * (docs/protocol.md, "Durability").  Then the turn is over: connections
 * over max_output_total are shed, and the heap is trimmed a second after
 * the answers held for clients have fallen from a peak of 16 MiB or more
 * to half of it.
 */
void		 outbox_release(void *arg, int failed);

/*
 * outbox_release with the number of the last synced commit given: the
 * turn's end reads it once and hands on the events (feed_publish) and the
 * answers by the same number, so that no answer goes out before the
 * events of its commit (a sync ending between two reads would let it).
 */
void		 outbox_release_synced(struct outbox *, int failed,
		    uint64_t synced);

/* In the middle of a turn, when a sync ended: send and write the held
 * answers of earlier turns whose commit is synced now (the turn's own
 * wait for its end). */
void		 outbox_send_synced(struct outbox *, uint64_t synced);

#endif
