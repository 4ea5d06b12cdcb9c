/*
 * batch.c: one transaction per event-loop turn, answers after the commit.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/auth.h"
#include "daemon/batch.h"
#include "daemon/log.h"
#include "daemon/suggest_index.h"
#include "protocol/envelope.h"

int
batch_open(struct server *srv, struct error *err)
{
	if (store_in_txn(srv->store))
		return 0;
	return store_begin(srv->store, err);
}

void
batch_queue(struct server *srv, struct pending *p)
{
	TAILQ_INSERT_TAIL(&srv->pending, p, entry);
}

/* Send every held answer; with failed, writes turn into `unavailable`. */
static void
batch_flush(struct server *srv, int failed)
{
	struct pending	*p;
	struct error	 err;
	char		*body;

	while ((p = TAILQ_FIRST(&srv->pending)) != NULL) {
		TAILQ_REMOVE(&srv->pending, p, entry);
		if (failed && p->write && p->code == ERR_NONE) {
			error_set(&err, ERR_UNAVAILABLE, NULL, "the write "
			    "could not be made durable (the disk may be full):"
			    " nothing was stored; try again later");
			if ((body = envelope_error(p->id, &err)) != NULL) {
				free(p->body);
				p->body = body;
				p->body_len = strlen(body);
				p->code = ERR_UNAVAILABLE;
				if (p->http_status)
					p->http_status = 503;
			}
		}
		conn_send(p);
	}
	conn_flush_all(srv);
}

void
batch_end(struct server *srv)
{
	struct error	err;
	int		failed = 0;

	if (store_in_txn(srv->store) && store_commit(srv->store, &err) == -1) {
		log_warnx("batch_end: commit failed: %s", err.message);
		failed = 1;
		/* The caches may hold writes that were rolled back. */
		if (srv->sindex != NULL)
			suggest_index_invalidate(srv->sindex);
		auth_cache_clear(srv->auth);
	}
	batch_flush(srv, failed);
}

void
batch_abort(struct server *srv)
{
	store_rollback(srv->store);
	if (srv->sindex != NULL)
		suggest_index_invalidate(srv->sindex);
	auth_cache_clear(srv->auth);
	batch_flush(srv, 1);
}
