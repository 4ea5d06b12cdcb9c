/*
 * test_events_turn.c: the turn's events kept in memory (daemon/domain/
 * events.h) follow the transaction as core/txn.c drives it: a request
 * rolled back to its savepoint leaves no event on the list, a transaction
 * given up leaves none kept, and what the feed takes after COMMIT is
 * exactly the ids committed; an event the list missed still reaches a
 * live watcher, read from the store (daemon/core/feed.c); with a sync
 * thread nothing reaches a watcher before its commit is synced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/base/config.h"
#include "daemon/core/feed.h"
#include "daemon/core/server.h"
#include "daemon/core/txn.h"
#include "daemon/domain/events.h"
#include "daemon/store/store.h"

/* What the transaction's end hook saw. */
struct seen {
	int			 ends, failed;
	struct event_list	 list;
	int64_t			 last;
};

struct fixture {
	struct server	srv;
	struct seen	seen;
	/* What the sync thread would say (txn_commits, txn_synced). */
	uint64_t	tag, synced;
};

/* The end hook: take the list, as the feed does. */
static void
take_hook(void *arg, int failed)
{
	struct seen *s = arg;

	s->ends++;
	s->failed = failed;
	events_free_list(&s->list);
	events_turn_take(&s->list, &s->last);
}

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));
	struct error	 err;
	char		 msg[256];

	assert_non_null(fx);
	TAILQ_INIT(&fx->srv.conns);
	TAILQ_INIT(&fx->seen.list);
	if (config_load(&fx->srv.conf, NULL, NULL, 0, msg, sizeof(msg)) == -1)
		fail_msg("config_load: %s", msg);
	if ((fx->srv.store = store_open(":memory:", 0, 200, 0, &err)) == NULL)
		fail_msg("store_open: %s", err.message);
	txn_set_hook(&fx->srv, take_hook, &fx->seen);
	events_turn_enable(1);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	txn_end(&fx->srv);
	events_free_list(&fx->seen.list);
	events_turn_enable(0);
	if (fx->srv.feed != NULL)
		feed_free(fx->srv.feed);
	store_close(fx->srv.store);
	free(fx);
	return 0;
}

/* One request that emits a need.posted titled title, its savepoint kept
 * or (rollback) not, as dispatch runs a writing handler. */
static void
request(struct fixture *fx, const char *title, int rollback)
{
	const char		*comm[] = { "c1" }, *streets[] = { "Elm" };
	struct event_audience	 aud = { comm, 1, NULL, 0, streets, 1, 0 };
	struct event_object	 obj = { "need", 1, 0, 0 };
	struct error		 err;

	assert_int_equal(txn_open(&fx->srv, &err), 0);
	assert_int_equal(store_savepoint(fx->srv.store, &err), 0);
	assert_int_equal(events_emit(fx->srv.store, EVENT_NEED_POSTED, &obj,
	    title, &aud, &err), 0);
	if (rollback)
		store_savepoint_rollback(fx->srv.store);
	else {
		store_savepoint_release(fx->srv.store);
		txn_wrote(&fx->srv);
	}
}

/* The events on the list: their summaries, joined by commas. */
static void
summaries(const struct event_list *list, char *buf, size_t len)
{
	const struct event *ev;

	buf[0] = '\0';
	TAILQ_FOREACH(ev, list, entry) {
		if (buf[0] != '\0')
			strncat(buf, ",", len - strlen(buf) - 1);
		strncat(buf, ev->summary, len - strlen(buf) - 1);
	}
}

static int64_t
stored_last(struct fixture *fx)
{
	struct error	err;
	int64_t		last;

	assert_int_equal(store_event_last(fx->srv.store, &last, &err), 0);
	return last;
}

/* A rolled-back request between two kept ones: its event is gone from
 * the list, and the next request's event takes its id. */
static void
test_rollback_drops_the_requests_events(void **state)
{
	struct fixture	*fx = *state;
	struct event	*ev;
	char		 buf[256];
	int64_t		 want = 0;

	request(fx, "a", 0);
	request(fx, "rolled back", 1);
	request(fx, "b", 0);
	txn_end(&fx->srv);
	assert_int_equal(fx->seen.failed, 0);
	summaries(&fx->seen.list, buf, sizeof(buf));
	assert_string_equal(buf, "a,b");
	TAILQ_FOREACH(ev, &fx->seen.list, entry) {
		assert_int_equal(ev->id, ++want);
		assert_non_null(strstr(ev->json, ev->summary));
	}
	assert_int_equal(fx->seen.last, 2);
	assert_int_equal(stored_last(fx), 2);
}

/* The turn's last request rolled back: nothing of it is kept. */
static void
test_rollback_last_in_the_turn(void **state)
{
	struct fixture	*fx = *state;
	char		 buf[256];

	request(fx, "a", 0);
	request(fx, "b", 1);
	txn_end(&fx->srv);
	summaries(&fx->seen.list, buf, sizeof(buf));
	assert_string_equal(buf, "a");
	assert_int_equal(fx->seen.last, 1);
	assert_int_equal(stored_last(fx), 1);
}

/* SQLite gave the transaction up: the hook says failed, and the next
 * transaction begins with nothing of it. */
static void
test_abort_leaves_nothing_kept(void **state)
{
	struct fixture	*fx = *state;
	char		 buf[256];

	request(fx, "lost", 0);
	txn_abort(&fx->srv);
	assert_int_equal(fx->seen.failed, 1);
	assert_int_equal(stored_last(fx), 0);
	request(fx, "after", 0);
	txn_end(&fx->srv);
	assert_int_equal(fx->seen.failed, 0);
	summaries(&fx->seen.list, buf, sizeof(buf));
	assert_string_equal(buf, "after");
	assert_int_equal(TAILQ_FIRST(&fx->seen.list)->id, 1);
}

/* Off: nothing is kept, but the newest id is sealed all the same; a turn
 * without a transaction seals none. */
static void
test_off_keeps_nothing(void **state)
{
	struct fixture *fx = *state;

	events_turn_enable(0);
	request(fx, "a", 0);
	txn_end(&fx->srv);
	assert_true(TAILQ_EMPTY(&fx->seen.list));
	assert_int_equal(fx->seen.last, 1);
	txn_end(&fx->srv);
	assert_int_equal(fx->seen.last, -1);
}

/* ---- the feed: the list, or the store when the list is not whole ---- */

struct got {
	char	buf[256];
	int	n;
};

static int
collect(void *arg, const struct event *ev)
{
	struct got *g = arg;

	assert_non_null(ev);
	if (g->n++ > 0)
		strncat(g->buf, ",", sizeof(g->buf) - strlen(g->buf) - 1);
	strncat(g->buf, ev->summary, sizeof(g->buf) - strlen(g->buf) - 1);
	return 0;
}

/* The end hook as watch_txn_end calls the feed (no connections). */
static void
feed_hook(void *arg, int failed)
{
	struct server		*srv = arg;
	unsigned long long	 n;

	(void)feed_publish(srv->feed, failed, 0, 0, &n);
	(void)feed_replay_all(srv->feed);
}

/* The end hook with a sync thread: the fixture's commit numbers. */
static void
feed_hook_synced(void *arg, int failed)
{
	struct fixture		*fx = arg;
	unsigned long long	 n;

	(void)feed_publish(fx->srv.feed, failed, fx->tag, fx->synced, &n);
	(void)feed_replay_all(fx->srv.feed);
}

/*
 * With a sync thread (core/syncer.h) a turn's events reach a watcher only
 * once its commit is synced, and a read of the store for events the list
 * missed stops at the newest one synced; a new watcher begins then too.
 */
static void
test_feed_waits_for_the_sync(void **state)
{
	struct fixture		*fx = *state;
	struct event_viewer	 v;
	struct got		 g, late;

	memset(&v, 0, sizeof(v));
	v.role = ROLE_COMMUNITY;
	strcpy(v.code, "c1");
	memset(&g, 0, sizeof(g));
	memset(&late, 0, sizeof(late));
	txn_set_hook(&fx->srv, feed_hook_synced, fx);
	assert_non_null(fx->srv.feed = feed_new(&fx->srv));
	assert_non_null(feed_subscribe(fx->srv.feed, &v, EVENT_KINDS_ALL, 0,
	    collect, &g));
	txn_end(&fx->srv);		/* nothing to sync: live */
	request(fx, "a", 0);
	fx->tag = 1;
	txn_end(&fx->srv);		/* commit 1, not synced */
	assert_int_equal(g.n, 0);
	request(fx, "b", 0);
	fx->tag = 2;
	fx->synced = 1;
	txn_end(&fx->srv);		/* commit 2; 1 synced */
	assert_string_equal(g.buf, "a");
	fx->synced = 2;
	txn_end(&fx->srv);		/* a turn without a transaction */
	assert_string_equal(g.buf, "a,b");
	/* Missed by the list: read from the store, not past the synced. */
	events_turn_enable(0);
	request(fx, "c", 0);
	events_turn_enable(1);
	fx->tag = 3;
	txn_end(&fx->srv);
	events_turn_enable(0);
	request(fx, "d", 0);
	events_turn_enable(1);
	fx->tag = 4;
	fx->synced = 3;
	txn_end(&fx->srv);
	assert_string_equal(g.buf, "a,b,c");
	/* A watcher that comes now begins once its turn is synced. */
	assert_non_null(feed_subscribe(fx->srv.feed, &v, EVENT_KINDS_ALL, 0,
	    collect, &late));
	request(fx, "e", 0);
	fx->tag = 5;
	txn_end(&fx->srv);
	assert_string_equal(g.buf, "a,b,c");
	assert_int_equal(late.n, 0);
	fx->synced = 5;
	txn_end(&fx->srv);
	assert_string_equal(g.buf, "a,b,c,d,e");
	assert_string_equal(late.buf, "a,b,c,d,e");
}

static void
test_feed_takes_the_list_or_reads_the_store(void **state)
{
	struct fixture		*fx = *state;
	struct event_viewer	 v;
	struct got		 g;

	memset(&v, 0, sizeof(v));
	v.role = ROLE_COMMUNITY;
	strcpy(v.code, "c1");
	memset(&g, 0, sizeof(g));
	txn_set_hook(&fx->srv, feed_hook, &fx->srv);
	assert_non_null(fx->srv.feed = feed_new(&fx->srv));
	assert_non_null(feed_subscribe(fx->srv.feed, &v, EVENT_KINDS_ALL, 0,
	    collect, &g));
	txn_end(&fx->srv);		/* the watch begins, and is live */
	request(fx, "a", 0);
	request(fx, "rolled back", 1);
	request(fx, "b", 0);
	txn_end(&fx->srv);
	assert_string_equal(g.buf, "a,b");
	/* An event the list missed (it was off): read from the store. */
	request(fx, "c", 0);
	events_turn_enable(0);
	request(fx, "d", 0);
	events_turn_enable(1);
	request(fx, "e", 0);
	txn_end(&fx->srv);
	assert_string_equal(g.buf, "a,b,c,d,e");
	/* A failed transaction delivers nothing, and its ids come again. */
	request(fx, "lost", 0);
	txn_abort(&fx->srv);
	request(fx, "f", 0);
	txn_end(&fx->srv);
	assert_string_equal(g.buf, "a,b,c,d,e,f");
	assert_int_equal(stored_last(fx), 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_rollback_drops_the_requests_events, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_last_in_the_turn, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_abort_leaves_nothing_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_off_keeps_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_takes_the_list_or_reads_the_store, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_waits_for_the_sync, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
