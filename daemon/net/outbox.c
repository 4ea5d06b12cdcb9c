/*
 * outbox.c: answers held until their turn's transaction ends, and its
 * commit is synced.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "daemon/base/heap.h"
#include "daemon/core/metrics.h"
#include "daemon/core/txn.h"
#include "daemon/net/conn.h"
#include "daemon/net/outbox.h"
#include "protocol/envelope.h"

/*
 * Give freed memory back to the system (heap_give_back) a second after the
 * answers held for clients (queued and unread), having reached this much
 * since the last time, fell to half of it: the allocator keeps what a turn
 * freed for the next (base/heap.c), and answers for clients that read
 * slowly, or left, are freed all over the heap.  Not for answers written
 * as they come, however many: their memory serves the next turn's, and a
 * trim walks the whole heap on the loop thread (with glibc's malloc 2 to
 * 100 ms at a city's; when every 16 MiB of answers written made one, a few
 * seconds of posts, it was the longest wait of the city's mixed run).
 */
#define OUTBOX_TRIM_BYTES	(16 * 1024 * 1024)

static size_t
outbox_held(const struct outbox *ob)
{
	return ob->pending_bytes + ob->out_bytes;
}

void
outbox_held_peak(struct outbox *ob)
{
	if (outbox_held(ob) > ob->held_peak)
		ob->held_peak = outbox_held(ob);
}

static void
outbox_trim(struct outbox *ob)
{
	double start = metrics_now();

	ob->held_peak = outbox_held(ob);
	if (ob->trim_timer != NULL)
		evtimer_del(ob->trim_timer);
	heap_give_back();
	if (ob->srv->metrics != NULL)
		metrics_trim(ob->srv->metrics, metrics_now() - start);
}

static void
outbox_trim_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	outbox_trim(arg);
}

/* Hand p to its connection's output (conn_send frees it). */
static void
outbox_send(struct outbox *ob, struct pending *p)
{
	ob->pending_bytes -= p->body_len;
	conn_send(p);
}

/* Send the held answers, oldest first, up to the first whose commit is
 * not synced yet (synced: txn_synced). */
static void
outbox_send_held(struct outbox *ob, uint64_t synced)
{
	struct pending *p;

	while ((p = TAILQ_FIRST(&ob->held)) != NULL && p->tag <= synced) {
		TAILQ_REMOVE(&ob->held, p, entry);
		assert(p->conn->unsynced > 0);
		p->conn->unsynced_bytes -= p->body_len;
		if (--p->conn->unsynced == 0)
			conn_sync_resume(p->conn);
		outbox_send(ob, p);
	}
}

struct outbox *
outbox_new(struct server *srv)
{
	struct outbox *ob;

	if ((ob = calloc(1, sizeof(*ob))) == NULL)
		return NULL;
	ob->srv = srv;
	if ((ob->trim_timer = evtimer_new(srv->base, outbox_trim_cb,
	    ob)) == NULL) {
		free(ob);
		return NULL;
	}
	TAILQ_INIT(&ob->pending);
	TAILQ_INIT(&ob->held);
	TAILQ_INIT(&ob->unflushed);
	return ob;
}

void
outbox_free(struct outbox *ob)
{
	if (ob == NULL)
		return;
	outbox_release(ob, 0);
	outbox_send_held(ob, UINT64_MAX);
	conn_flush_all(ob);
	event_free(ob->trim_timer);
	free(ob);
}

/* Queue an answer for c holding body (taken); NULL (body freed) when out
 * of memory.  Its connection is held until the answer is written. */
static struct pending *
outbox_queue(struct conn *c, char *body, size_t len, int close_after)
{
	struct pending *p;

	if (body == NULL || (p = calloc(1, sizeof(*p))) == NULL) {
		free(body);
		return NULL;
	}
	p->conn = c;
	p->body = body;
	p->body_len = len;
	p->close_after = close_after;
	p->after_write = txn_dirty(c->srv);
	c->refs++;
	c->srv->outbox->pending_bytes += len;
	outbox_held_peak(c->srv->outbox);
	TAILQ_INSERT_TAIL(&c->srv->outbox->pending, p, entry);
	return p;
}

struct pending *
outbox_answer(struct conn *c, cJSON *id, enum err_code code, char *body,
    int http_status, int close_after)
{
	struct pending *p;

	if ((p = outbox_queue(c, body, body ? strlen(body) : 0,
	    close_after)) == NULL) {
		cJSON_Delete(id);
		return NULL;
	}
	p->id = id;
	p->code = code;
	p->http_status = http_status;
	p->content_type = "application/json";
	return p;
}

void
outbox_answer_op(struct conn *c, cJSON *id, struct answer *a,
    int close_after)
{
	struct pending	*p;
	char		*body;

	if (a->err.code != ERR_NONE)
		body = envelope_error(id, &a->err);
	else if (a->text != NULL)
		body = envelope_ok_text(id, a->text, a->text_len);
	else
		body = envelope_ok(id, a->result);
	a->result = NULL;	/* envelope_ok took it */
	free(a->text);
	a->text = NULL;
	p = outbox_answer(c, id, a->err.code, body, c->http ?
	    error_http_status(a->err.code) : 0, close_after);
	/* A reader's answer read committed data: a failed commit of this
	 * turn does not void it.  It may be a commit not yet synced: it
	 * is tagged as any other. */
	if (p != NULL && a->snapshot)
		p->after_write = 0;
	if (p != NULL)
		p->pure = a->pure;
}

int
outbox_answer_bytes(struct conn *c, char *body, size_t len,
    const char *content_type, char *headers, int close_after)
{
	struct pending *p;

	if ((p = outbox_queue(c, body, len, close_after)) == NULL) {
		free(headers);
		return -1;
	}
	p->http_status = 200;
	p->content_type = content_type;
	p->own_headers = headers;
	return 0;
}

int
outbox_answer_raw(struct conn *c, char *body, size_t len)
{
	struct pending *p;

	if ((p = outbox_queue(c, body, len, 0)) == NULL)
		return -1;
	p->raw = 1;
	return 0;
}

/* Replace p's answer by `unavailable`: the commit it relied on failed. */
static void
outbox_void(struct pending *p)
{
	struct error	 err;
	char		*body;

	error_set(&err, ERR_UNAVAILABLE, NULL, "the write could not be made "
	    "durable (the disk may be full): nothing of this turn was "
	    "stored; try again later");
	if ((body = envelope_error(p->id, &err)) == NULL)
		return;
	free(p->body);
	free(p->own_headers);
	p->own_headers = NULL;
	p->body = body;
	p->body_len = strlen(body);
	p->code = ERR_UNAVAILABLE;
	p->content_type = "application/json";
	if (p->http_status || p->raw)	/* raw: an SSE stream's head */
		p->http_status = 503;
	p->raw = 0;
}

int
outbox_full(const struct outbox *ob)
{
	return outbox_held(ob) >= (size_t)ob->srv->conf.max_output_total;
}

void
outbox_send_synced(struct outbox *ob, uint64_t synced)
{
	outbox_send_held(ob, synced);
	conn_flush_all(ob);
}

void
outbox_release(void *arg, int failed)
{
	struct outbox *ob = arg;

	outbox_release_synced(ob, failed, txn_synced(ob->srv, NULL));
}

void
outbox_release_synced(struct outbox *ob, int failed, uint64_t synced)
{
	struct pending	*p;
	uint64_t	 tag = txn_commits(ob->srv);

	/* What earlier turns held first: they come before this turn's. */
	outbox_send_held(ob, synced);
	while ((p = TAILQ_FIRST(&ob->pending)) != NULL) {
		TAILQ_REMOVE(&ob->pending, p, entry);
		if (failed && p->after_write) {
			/* Its body, counted in pending_bytes, is replaced. */
			ob->pending_bytes -= p->body_len;
			outbox_void(p);
			ob->pending_bytes += p->body_len;
		}
		/* Whatever it read was committed by now, at the latest in
		 * commit number tag. */
		p->tag = p->pure ? 0 : tag;
		if (p->tag <= synced && p->conn->unsynced == 0)
			outbox_send(ob, p);
		else {
			p->conn->unsynced++;
			p->conn->unsynced_bytes += p->body_len;
			if (p->conn->unsynced_bytes > conn_sync_max(p->conn))
				conn_sync_pause(p->conn);
			TAILQ_INSERT_TAIL(&ob->held, p, entry);
		}
	}
	conn_flush_all(ob);
	ob->turn++;
	ob->turn_begun = 0;
	ob->turn_resumed = 0;
	conn_shed(ob->srv);
	if (ob->held_peak >= OUTBOX_TRIM_BYTES &&
	    outbox_held(ob) <= ob->held_peak / 2 &&
	    !evtimer_pending(ob->trim_timer, NULL)) {
		struct timeval one = { 1, 0 };

		evtimer_add(ob->trim_timer, &one);
	}
}
