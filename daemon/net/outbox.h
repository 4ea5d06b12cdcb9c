/*
 * outbox.h: answers waiting for their turn's commit.  Both transports
 * queue every answer here, in request order; when the turn's transaction
 * ends (core/txn.h calls outbox_release through its hook) each answer is
 * added to its connection's output, and then the output is written.
 */
#ifndef DAEMON_OUTBOX_H
#define DAEMON_OUTBOX_H

#include <sys/queue.h>

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
};

TAILQ_HEAD(pending_list, pending);
TAILQ_HEAD(unflushed_list, conn);

struct outbox {
	struct server		*srv;
	struct pending_list	 pending;	/* in request order */
	struct unflushed_list	 unflushed;	/* output added, not written */
	unsigned long		 turn;		/* turns ended so far */
	int			 turn_begun;	/* a request ran this turn ... */
	double			 turn_start;	/* ... from then (monotonic s) */
	/* Memory held for clients, against limits.max_output_total. */
	size_t			 pending_bytes;	/* bodies in pending */
	size_t			 out_bytes;	/* every connection's output */
	size_t			 freed;		/* output freed since the last
						   malloc_trim */
	struct event		*trim_timer;	/* trims a second after */
};

/* A new, empty outbox for srv; NULL when out of memory.  outbox_free frees
 * it (it must be empty: the last turn has ended). */
struct outbox	*outbox_new(struct server *);
void		 outbox_free(struct outbox *);

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
 * queued answer to its connection and write the output.  With failed, the
 * answers made after the turn's first write become `unavailable`: what
 * they described was not stored (docs/protocol.md, "Durability").  Then
 * the turn is over: connections over max_output_total are shed, and the
 * heap is trimmed once enough output has been freed.
 */
void		 outbox_release(void *arg, int failed);

#endif
