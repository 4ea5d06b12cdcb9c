/*
 * feed_read.c: the feed's reads inside the turn's transaction (the
 * viewer behind a token, a page of events), its tick (webhook positions,
 * reminders) and its metrics.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/base/log.h"
#include "daemon/core/dispatch.h"
#include "daemon/core/feed_priv.h"
#include "daemon/core/jobs.h"
#include "daemon/core/metrics.h"
#include "daemon/core/risk_watch.h"
#include "daemon/core/txn.h"
#include "daemon/domain/auth.h"

/* ---- inside the turn's transaction ---------------------------------- */

int
feed_viewer(struct server *srv, const char *token, struct event_viewer *v,
    struct error *err)
{
	struct principal who;

	if (dispatch_principal(srv, token, &who, err) == -1)
		return -1;
	events_viewer_of(&who, v);
	return 0;
}

int
feed_last(struct server *srv, int64_t *last, struct error *err)
{
	if (txn_open(srv, err) == -1)
		return -1;
	return store_event_last(srv->store, last, err);
}

/* A page's reader: the events of the kinds asked, as JSON items. */
struct feed_page {
	cJSON		*items;
	uint32_t	 kinds;
	int		 n, limit;
	int64_t		 seen;
};

static int
feed_page_add(void *arg, const struct store_event *row, struct error *err)
{
	struct feed_page	*pg = arg;
	struct event		*ev;
	int			 k = events_kind_of(row->kind);
	cJSON			*o;

	pg->seen = row->id;
	if (k < 0 || !(pg->kinds & (1u << k)) || pg->n == pg->limit)
		return 0;
	if ((ev = events_load(row)) == NULL ||
	    (o = cJSON_Parse(ev->json)) == NULL) {
		events_free(ev);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	events_free(ev);
	cJSON_AddItemToArray(pg->items, o);
	pg->n++;
	return 0;
}

int
feed_page(struct server *srv, const struct event_viewer *v, int64_t after,
    int limit, uint32_t kinds, cJSON **out, struct error *err)
{
	struct store_event_filter	 flt;
	struct feed_page		 pg;
	int64_t				 last;

	if (feed_last(srv, &last, err) == -1)
		return -1;
	memset(&pg, 0, sizeof(pg));
	pg.kinds = kinds;
	pg.limit = limit;
	pg.seen = after;
	if ((pg.items = cJSON_CreateArray()) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	/* At most FEED_REPLAY_IDS ids a page: a page is one short read. */
	memset(&flt, 0, sizeof(flt));
	events_filter_of(v, &flt);
	flt.after = after;
	flt.upto = after + FEED_REPLAY_IDS < last ? after + FEED_REPLAY_IDS :
	    last;
	flt.limit = limit;
	if (store_events_each(srv->store, &flt, feed_page_add, &pg,
	    err) == -1) {
		cJSON_Delete(pg.items);
		return -1;
	}
	if (pg.n < limit)
		pg.seen = flt.upto > after ? flt.upto : after;
	if ((*out = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(pg.items);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	cJSON_AddItemToObject(*out, "items", pg.items);
	cJSON_AddNumberToObject(*out, "last", (double)last);
	if (pg.seen < last)
		cJSON_AddNumberToObject(*out, "next", (double)pg.seen);
	else
		cJSON_AddNullToObject(*out, "next");
	return 0;
}

/* ---- the tick: positions and reminders ------------------------------- */

/* Run fn in a savepoint of the turn's transaction; log what fails. */
static void
feed_write(struct server *srv, const char *what,
    int (*fn)(struct server *, struct error *))
{
	struct error err;

	if (txn_open(srv, &err) == -1 || store_savepoint(srv->store,
	    &err) == -1) {
		log_warnx("feed_tick: %s: %s", what, err.message);
		return;
	}
	if (fn(srv, &err) == -1) {
		log_warnx("feed_tick: %s: %s", what, err.message);
		store_savepoint_rollback(srv->store);
	} else {
		store_savepoint_release(srv->store);
		txn_wrote(srv);
	}
	if (!store_in_txn(srv->store))
		txn_abort(srv);
}

static int
feed_positions(struct server *srv, struct error *err)
{
	struct feed	*f = srv->feed;
	size_t		 i;

	for (i = 0; i < f->npos; i++)
		if (store_webhook_advance(srv->store, f->pos[i].webhook,
		    f->pos[i].position, err) == -1)
			return -1;
	return 0;
}

static int
feed_reminders(struct server *srv, struct error *err)
{
	struct feed	*f = srv->feed;
	double		 hours = srv->conf.events_remind_after_hours;
	time_t		 cut = time(NULL) - (time_t)(hours * 3600);
	struct tm	 tm;
	char		 cutoff[21];
	int		 n;

	gmtime_r(&cut, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((n = events_remind(srv->store, cutoff, hours, &f->remind_cursor,
	    FEED_REMIND_MAX, err)) == -1)
		return -1;
	/* A full chunk: more may be due now.  Else look again in a tenth
	 * of the delay (1 s to 60 s). */
	if (n < FEED_REMIND_MAX) {
		double wait = hours * 360;

		f->remind_next = metrics_now() + (wait < 1 ? 1 : wait > 60 ?
		    60 : wait);
	}
	return 0;
}

void
feed_tick(struct server *srv)
{
	struct feed *f = srv->feed;

	/* A run is written in slices: these writes wait for its commit
	 * (a later tick). */
	if (txn_held(srv))
		return;
	/* Positions lost to a failed commit come again: the worker's are
	 * the newest, and a webhook's position never goes back. */
	while (srv->hooks != NULL && (f->npos = hooks_take(srv->hooks, f->pos,
	    sizeof(f->pos) / sizeof(f->pos[0]))) > 0)
		feed_write(srv, "webhook positions", feed_positions);
	if (srv->conf.events_remind_after_hours > 0 &&
	    metrics_now() >= srv->feed->remind_next)
		feed_write(srv, "reminders", feed_reminders);
	risk_watch_tick(srv);
	jobs_warm_tick(srv);
}

void
feed_metrics_print(const struct feed *f, FILE *fp)
{
	fprintf(fp, "# HELP matchd_event_watchers Connections watching "
	    "events (events.watch and Server-Sent Events).\n"
	    "# TYPE matchd_event_watchers gauge\n"
	    "matchd_event_watchers %d\n"
	    "# HELP matchd_events_published_total Committed events handed to "
	    "watchers.\n# TYPE matchd_events_published_total counter\n"
	    "matchd_events_published_total %llu\n"
	    "# HELP matchd_event_deliveries_total Events written to a "
	    "watcher.\n# TYPE matchd_event_deliveries_total counter\n"
	    "matchd_event_deliveries_total %llu\n"
	    "# HELP matchd_event_watchers_dropped_total Watchers closed for "
	    "falling behind by limits.max_output_bytes.\n"
	    "# TYPE matchd_event_watchers_dropped_total counter\n"
	    "matchd_event_watchers_dropped_total %llu\n", f->nsubs,
	    f->published, f->delivered, f->dropped);
}
