/*
 * conn_native.c: the native framing: one JSON request per line, one JSON
 * answer per line, in request order.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "daemon/core/dispatch.h"
#include "daemon/core/txn.h"
#include "daemon/net/conn.h"
#include "daemon/net/outbox.h"
#include "daemon/net/watch.h"
#include "protocol/envelope.h"
#include "protocol/frame.h"

/* A request that went to a reader thread: who gets its answer. */
struct native_later {
	struct conn	*c;
	cJSON		*id;		/* the request's id, owned */
};

/* The reader's answer: queue it in request order, and read on. */
static void
conn_native_later(void *arg, struct answer *a)
{
	struct native_later *l = arg;

	outbox_answer_op(l->c, l->id, a, 0);
	conn_unwait(l->c);
	free(l);
}

static void
conn_native_later_bare(void *arg, struct answer *a)
{
	outbox_answer_op(arg, NULL, a, 0);
	conn_unwait(arg);
}

/*
 * The request's id, for its answer (the caller owns it): taken out of the
 * request's tree when it is a member of it, as it is but for refusals,
 * rather than copied (a copy of a number is two allocations, with its
 * literal).
 */
static cJSON *
conn_native_id(struct request *req)
{
	cJSON *it;

	if (req->id == NULL)
		return NULL;
	for (it = req->root != NULL ? req->root->child : NULL; it != NULL;
	    it = it->next)
		if (it == req->id)
			return cJSON_DetachItemViaPointer(req->root, it);
	return cJSON_Duplicate(req->id, 0);
}

/* Answer one native request line. */
static void
conn_native_line(struct conn *c, const char *line, size_t len)
{
	struct request		 req;
	struct answer		 a;
	struct error		 err;
	struct job		*job;
	struct native_later	*l;
	cJSON			*id = NULL;

	memset(&a, 0, sizeof(a));
	if (envelope_parse(line, len, &req, &err) == -1) {
		dispatch_refused(c->srv, cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(req.root, "op")),
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    req.root, "token")), &err);
		id = conn_native_id(&req);
		envelope_request_clear(&req);
		(void)outbox_answer(c, id, err.code, envelope_error(id, &err), 0,
		    0);
		return;
	}
	if (c->watching) {
		error_set(&err, ERR_BAD_REQUEST, NULL, "this connection watches "
		    "events (events.watch): it takes no more requests; open "
		    "another");
		dispatch_refused(c->srv, req.op, req.token, &err);
		id = conn_native_id(&req);
		envelope_request_clear(&req);
		(void)outbox_answer(c, id, err.code, envelope_error(id, &err),
		    0, 0);
		return;
	}
	if (dispatch_start(c->srv, req.op, req.token, req.args, &a,
	    DISPATCH_TEXT, &job) == 1) {
		if (a.signed_in)
			conn_signed_in(c);
		/* Out of memory here: the answer still comes, without id. */
		if ((l = calloc(1, sizeof(*l))) != NULL) {
			l->c = c;
			l->id = conn_native_id(&req);
			job_on_done(job, conn_native_later, l);
		} else
			job_on_done(job, conn_native_later_bare, c);
		envelope_request_clear(&req);
		conn_wait(c);
		return;
	}
	if (a.signed_in)
		conn_signed_in(c);
	if (a.err.code == ERR_NONE && strcmp(req.op, "events.watch") == 0)
		watch_native_begin(c, req.token, req.args, a.result);
	id = conn_native_id(&req);
	envelope_request_clear(&req);
	outbox_answer_op(c, id, &a, 0);
}

/* 1 when the line is a request for an op that reads nothing stored
 * (dispatch_pure), asked only while a run is written in slices. */
static int
conn_native_pure(const char *line, size_t len)
{
	cJSON	*root;
	int	 pure;

	if ((root = cJSON_ParseWithLength(line, len)) == NULL)
		return 0;
	pure = dispatch_pure(cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(root, "op")));
	cJSON_Delete(root);
	return pure;
}

/*
 * Read every complete line in the input, as many as this turn allows
 * (conn_turn_take); the others wait in the input for the next turn.  A
 * partial line arms the request timer, so a client that trickles bytes is
 * cut after header_timeout.
 */
void
conn_native_read(struct conn *c)
{
	struct evbuffer		*in = bufferevent_get_input(c->bev);
	struct evbuffer_ptr	 pos;
	struct error		 err;
	enum frame_status	 st;
	size_t			 len, linelen, consumed;
	size_t			 max = (size_t)c->srv->conf.max_request_bytes;
	const char		*buf;

	/* A request with a reader: the rest waits for its answer, and the
	 * request timer with it (conn_unwait reads on). */
	while (!c->closing && !c->waiting &&
	    (len = evbuffer_get_length(in)) > 0) {
		if (evbuffer_ptr_set(in, &pos, c->scanned,
		    EVBUFFER_PTR_SET) == -1)
			break;
		pos = evbuffer_search(in, "\n", 1, &pos);
		if (pos.pos < 0) {
			c->scanned = len;
			st = len > max + 1 ? FRAME_TOO_LARGE : FRAME_MORE;
			buf = NULL;
			linelen = consumed = 0;
		} else {
			buf = (const char *)evbuffer_pullup(in, pos.pos + 1);
			st = frame_next_from(buf, (size_t)pos.pos + 1,
			    c->scanned, max, &linelen, &consumed);
		}
		if (st == FRAME_MORE) {
			conn_req_timer(c, 1);
			return;
		}
		if (st == FRAME_TOO_LARGE) {
			error_set(&err, ERR_TOO_LARGE, NULL, "the request is "
			    "longer than max_request_bytes (%zu bytes); the "
			    "connection is closed", max);
			(void)outbox_answer(c, NULL, err.code,
			    envelope_error(NULL, &err), 0, 1);
			evbuffer_drain(in, len);
			c->closing = 1;
			bufferevent_disable(c->bev, EV_READ);
			conn_req_timer(c, 0);
			return;
		}
		if (st == FRAME_LINE) {
			/* While a run is written, only a ping is answered. */
			if (txn_held(c->srv) && !conn_native_pure(buf,
			    linelen) && conn_run_hold(c))
				return;
			if (!conn_turn_take(c))
				return;
			conn_native_line(c, buf, linelen);
		}
		evbuffer_drain(in, consumed);
		c->scanned = 0;
		/* The next request has its own header_timeout from now. */
		conn_req_timer(c, 0);
	}
	conn_req_timer(c, 0);
}
