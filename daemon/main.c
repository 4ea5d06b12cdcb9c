/*
 * main.c: matchd's command line, signals and the event loop.
 *
 *	matchd [-c FILE] [-D DB] [-l ADDR:PORT] [-H ADDR:PORT|off] [-S PATH]
 *	    [-o SECTION.KEY=VALUE]... [--demo]
 *	matchd token [-c FILE] [-D DB]
 *	matchd check [-c FILE] [-o ...]
 *	matchd backup [-c FILE] [-D DB] [--keep N] OUT	(cmd_backup.c)
 *	matchd restore [-c FILE] [-D DB] [--force] IN
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <sodium.h>

#include "daemon/domain/auth.h"
#include "daemon/core/jobs.h"
#include "daemon/core/metrics.h"
#include "daemon/core/readers.h"
#include "daemon/core/syncer.h"
#include "daemon/core/txn.h"
#include "daemon/base/clock.h"
#include "daemon/base/config.h"
#include "daemon/base/heap.h"
#include "daemon/base/notify.h"
#include "daemon/cmd_backup.h"
#include "daemon/net/conn.h"
#include "daemon/demo/demo.h"
#include "daemon/net/listener.h"
#include "daemon/base/lockfile.h"
#include "daemon/net/peers.h"
#include "daemon/net/outbox.h"
#include "daemon/net/watch.h"
#include "daemon/core/feed.h"
#include "daemon/hooks/hooks.h"
#include "daemon/base/log.h"
#include "daemon/ops/ops.h"
#include "daemon/core/ratelimit.h"
#include "daemon/core/server.h"
#include "daemon/store/store.h"
#include "daemon/store/store_reader.h"
#include "daemon/domain/need_cache.h"
#include "daemon/domain/suggest_index.h"

struct options {
	const char	*conf_path;
	const char	*db;
	const char	*listen;
	const char	*http;
	const char	*unix_socket;
	char		**overrides;
	int		 noverrides;
	int		 demo;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: matchd [-c FILE] [-D DB] [-l ADDR:PORT] [-H ADDR:PORT|off]"
	    " [-S PATH]\n"
	    "              [-o SECTION.KEY=VALUE]... [--demo]\n"
	    "       matchd token [-c FILE] [-D DB]\n"
	    "       matchd check [-c FILE] [-o SECTION.KEY=VALUE]...\n"
	    "       matchd backup [-c FILE] [-D DB] [--keep N] OUT\n"
	    "       matchd restore [-c FILE] [-D DB] [--force] IN\n");
	exit(1);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "demo", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	if ((o->overrides = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		fatal("parse_options");
	while ((ch = getopt_long(argc, argv, "c:D:l:H:S:o:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o->conf_path = optarg; break;
		case 'D': o->db = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'H': o->http = optarg; break;
		case 'S': o->unix_socket = optarg; break;
		case 'o': o->overrides[o->noverrides++] = optarg; break;
		case 'd': o->demo = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
}

/* Load the configuration and apply the command-line flags; exit 1 on error. */
static void
load_config(const struct options *o, struct config *conf)
{
	char msg[512];

	if (config_load(conf, o->conf_path, o->overrides, o->noverrides, msg,
	    sizeof(msg)) == -1) {
		fprintf(stderr, "matchd: %s\n", msg);
		exit(1);
	}
	if (clock_init() == -1) {
		fprintf(stderr, "matchd: MATCHD_CLOCK_OFFSET must be a whole "
		    "number of seconds\n");
		exit(1);
	}
#define FLAG(f, field) do {						\
	if ((f) != NULL) {						\
		if (strlen(f) >= sizeof(conf->field)) {			\
			fprintf(stderr, "matchd: %s is too long\n", f);	\
			exit(1);					\
		}							\
		strcpy(conf->field, f);					\
	}								\
} while (0)
	FLAG(o->db, database);
	FLAG(o->listen, listen);
	FLAG(o->http, http);
	FLAG(o->unix_socket, unix_socket);
#undef FLAG
}

/* Open the database; with syncer, a full store.synchronous is left to
 * the sync thread (core/syncer.h) and the connection commits NORMAL. */
static struct store *
open_store(const struct config *conf, int syncer)
{
	struct store	*s;
	struct error	 err;
	int		 full = strcmp(conf->synchronous, "full") == 0;

	if ((s = store_open(conf->database, full && !syncer,
	    conf->busy_timeout, conf->mmap_mib, &err)) == NULL) {
		fprintf(stderr, "matchd: %s\n", err.message);
		exit(1);
	}
	return s;
}

/* matchd token: a new admin account; its token alone on the last line. */
static int
cmd_token(const struct config *conf)
{
	struct store	*s = open_store(conf, 0);
	struct error	 err;
	char		 token[TOKEN_HEX_LEN + 1], code[32];
	int64_t		 id;

	if (store_begin(s, &err) == -1)
		goto fail;
	snprintf(code, sizeof(code), "admin-%lld",
	    (long long)store_account_next_id(s));
	if (auth_account_create(s, "admin", code, "district admin", NULL,
	    token, &id, &err) == -1 ||
	    store_audit_insert(s, "admin", code, "matchd.token", code, "ok",
	    &err) == -1 || store_commit(s, &err) == -1)
		goto fail;
	store_close(s);
	printf("admin account %s; its token (shown once):\n%s\n", code, token);
	sodium_memzero(token, sizeof(token));
	return 0;
fail:
	fprintf(stderr, "matchd: token: %s\n", err.message);
	store_close(s);
	return 1;
}

/* ---- the loop ---------------------------------------------------------- */

static void
stop_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;
	struct conn	*c, *next;
	int		 i;

	(void)what;
	if (srv->stopping)
		return;
	log_info("stop_cb: signal %d: stopping", (int)sig);
	srv->stopping = 1;
	notify_send("STOPPING=1");
	for (i = 0; i < SERVER_LISTENERS; i++) {
		listener_free(srv->listeners[i]);
		srv->listeners[i] = NULL;
	}
	/* What was read is answered (after the commit of this turn). */
	for (c = TAILQ_FIRST(&srv->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		conn_drain(c);
	}
	if (srv->nconns == 0)
		event_base_loopbreak(srv->base);
}

/* The index of open offers, before the first client: built on the first
 * match.suggest it would hold that one (and every client) for its time. */
static void
build_index(struct server *srv)
{
	struct error	err;
	double		start = metrics_now();

	if (store_begin(srv->store, &err) == -1 ||
	    suggest_index_build(srv->sindex, srv->store, &srv->conf,
	    &err) == -1) {
		store_rollback(srv->store);
		log_warnx("build_index: %s (built on first use)", err.message);
		return;
	}
	store_rollback(srv->store);
	log_debug("build_index: open offers indexed in %.3f s",
	    metrics_now() - start);
}

/*
 * The sync thread synced (core/syncer.h): what waited for it goes out now
 * (watch_synced), not at the end of this turn.  A failed sync is fatal, and nothing held is answered:
 * the kernel may have dropped the pages it could not write, so no later
 * sync could vouch for them; a restart recovers what the WAL holds.
 */
static void
sync_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	(void)fd;
	(void)what;
	if (syncer_drain(srv->syncer) == -1)
		fatal("sync_cb: fdatasync of the WAL failed: the last commits "
		    "may not be on disk, and their answers are not sent; "
		    "exiting (a restart recovers what the WAL holds)");
	watch_synced(srv);
}

/* With store.synchronous = full, start the sync thread and wake the loop
 * when it synced; NULL (no thread) with normal. */
static struct event *
start_syncer(struct server *srv)
{
	struct event	*ev;
	struct error	 err;

	if (strcmp(srv->conf.synchronous, "full") != 0)
		return NULL;
	if ((srv->syncer = syncer_new(srv->conf.database, &err)) == NULL)
		fatalx("start_syncer: %s", err.message);
	if ((ev = event_new(srv->base, syncer_fd(srv->syncer),
	    EV_READ | EV_PERSIST, sync_cb, srv)) == NULL ||
	    event_add(ev, NULL) == -1)
		fatalx("start_syncer: cannot watch the sync thread");
	return ev;
}

/* A reader thread finished jobs: answer them (core/readers.h). */
static void
readers_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	(void)fd;
	(void)what;
	readers_drain(srv->readers);
}

/*
 * Start the reader threads (limits.reader_threads, 0: none) once the
 * store has made and migrated the database, and wake the loop when they
 * finish a job.
 */
static struct event *
start_readers(struct server *srv)
{
	struct event	*ev;
	struct error	 err;

	if (srv->conf.reader_threads == 0)
		return NULL;
	if ((srv->readers = readers_new(srv->conf.database,
	    srv->conf.busy_timeout, (int)srv->conf.reader_threads,
	    &err)) == NULL)
		fatalx("start_readers: %s", err.message);
	/* The checkpointer thread copies the WAL, not the loop's commits. */
	store_autocheckpoint(srv->store, 0);
	if ((ev = event_new(srv->base, readers_fd(srv->readers),
	    EV_READ | EV_PERSIST, readers_cb, srv)) == NULL ||
	    event_add(ev, NULL) == -1)
		fatalx("start_readers: cannot watch the reader threads");
	return ev;
}

/* Make the OpenAPI document again (at start, and when the taxonomy that
 * its category lists come from may have changed). */
static void
make_openapi(struct server *srv)
{
	cJSON	*doc;
	char	*text;

	if ((doc = ops_openapi(&srv->conf.taxonomy, MATCHD_VERSION)) == NULL ||
	    (text = cJSON_PrintUnformatted(doc)) == NULL)
		fatalx("make_openapi: out of memory");
	cJSON_Delete(doc);
	free(srv->openapi);
	srv->openapi = text;
	srv->openapi_len = strlen(text);
}

static void
reload_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;
	struct config	 fresh;
	char		 msg[512];

	(void)sig;
	(void)what;
	if (config_load(&fresh, srv->conf_path, srv->overrides,
	    srv->noverrides, msg, sizeof(msg)) == -1) {
		log_warnx("reload_cb: keeping the running configuration: %s",
		    msg);
		return;
	}
	config_apply_live(&srv->conf, &fresh);
	config_apply_log(&srv->conf);
	make_openapi(srv);
	log_info("reload_cb: configuration reloaded");
}

/*
 * Open the TCP listeners, or (unix_) the Unix socket.  They come before
 * the database: a start that fails on a port taken leaves no file behind.
 * The Unix socket replaces a stale socket file, so it comes once the
 * database's lock is ours: a second daemon must not remove the first's.
 */
static void
open_listeners(struct server *srv, int unix_)
{
	char msg[512];

	if (unix_) {
		if (srv->conf.unix_socket[0] != '\0' &&
		    (srv->listeners[2] = listener_new(srv,
		    srv->conf.unix_socket, 1, 0, msg, sizeof(msg))) == NULL)
			fatalx("%s", msg);
		return;
	}
	srv->listeners[0] = listener_new(srv, srv->conf.listen, 0, 0, msg,
	    sizeof(msg));
	if (srv->listeners[0] == NULL)
		fatalx("%s", msg);
	if (strcmp(srv->conf.http, "off") != 0 && srv->conf.http[0] != '\0' &&
	    (srv->listeners[1] = listener_new(srv, srv->conf.http, 0, 1, msg,
	    sizeof(msg))) == NULL)
		fatalx("%s", msg);
}

/* One daemon per database: exit 1 with one line when another holds it. */
static void
lock_database(const struct config *conf)
{
	char msg[512];

	if (lockfile_take(conf->database, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "matchd: %s\n", msg);
		exit(1);
	}
}

/* The webhook worker, the feed of events to watchers, their timers. */
static void
start_events(struct server *srv)
{
	struct hooks_config	hc;
	struct error		err;

	memset(&hc, 0, sizeof(hc));
	hc.database = srv->conf.database;
	hc.busy_ms = srv->conf.busy_timeout;
	hc.allow_private = strcmp(srv->conf.events_allow_private_hooks,
	    "true") == 0;
	hc.retry_hours = srv->conf.events_webhook_retry_hours;
	if ((srv->hooks = hooks_start(&hc, &err)) == NULL)
		fatalx("start_events: %s", err.message);
	if ((srv->feed = feed_new(srv)) == NULL || watch_init(srv) == -1)
		fatalx("start_events: cannot set up the events");
}

static int
cmd_run(const struct options *o, struct config *conf)
{
	struct server	 srv;
	struct event	*ev_term, *ev_int, *ev_hup, *ev_readers, *ev_sync;
	int		 i;

	memset(&srv, 0, sizeof(srv));
	srv.conf = *conf;
	srv.conf_path = o->conf_path;
	srv.overrides = o->overrides;
	srv.noverrides = o->noverrides;
	TAILQ_INIT(&srv.conns);
	TAILQ_INIT(&srv.unauth);
	TAILQ_INIT(&srv.jobs_waiting);
	TAILQ_INIT(&srv.jobs_deferred);
	config_apply_log(&srv.conf);
	/* time.zone is read once, before any other thread runs. */
	clock_set_zone(srv.conf.time_zone);
	clock_set_today(srv.conf.time_today);
	signal(SIGPIPE, SIG_IGN);
	heap_init();
	log_debug("allocator: %s", heap_allocator());
	if ((srv.base = event_base_new()) == NULL ||
	    (srv.ratelimit = ratelimit_new()) == NULL ||
	    (srv.outbox = outbox_new(&srv)) == NULL ||
	    (srv.metrics = metrics_new()) == NULL ||
	    (srv.peers = peers_new()) == NULL)
		fatalx("cmd_run: cannot set up the event loop");
	open_listeners(&srv, 0);
	lock_database(&srv.conf);
	open_listeners(&srv, 1);
	/*
	 * Opening runs the schema's migrations; one that rebuilds a table
	 * (schema 10: the events) takes seconds a million rows.  Past
	 * systemd's start timeout (90 s) the start would be killed, its
	 * migration rolled back, and the next start begin it again.
	 */
	notify_send("EXTEND_TIMEOUT_USEC=900000000");
	srv.store = open_store(&srv.conf, 1);
	ev_sync = start_syncer(&srv);
	if ((srv.sindex = suggest_index_new()) == NULL)
		fatalx("cmd_run: out of memory");
	store_record_set_hook(srv.store, STORE_OFFER, suggest_index_touch,
	    srv.sindex);
	build_index(&srv);
	if ((srv.auth = auth_cache_new()) == NULL)
		fatalx("cmd_run: out of memory");
	store_set_token_hook(srv.store, auth_cache_clear, srv.auth);
	/* The needs in memory for the readers' oversight reads (0 readers:
	 * the loop reads the store, and keeps no cache). */
	if (srv.conf.reader_threads > 0) {
		if ((srv.ncache = need_cache_new()) == NULL)
			fatalx("cmd_run: out of memory");
		store_record_set_hook(srv.store, STORE_NEED, need_cache_touch,
		    srv.ncache);
	}
	start_events(&srv);
	/* The transaction knows no connections: answers wait in the outbox
	 * until it ends, and then the turn's events go out (watch.c). */
	txn_set_hook(&srv, watch_txn_end, &srv);
	ev_readers = start_readers(&srv);
	jobs_warm(&srv);
	make_openapi(&srv);
	if (o->demo && demo_run(&srv) == -1)
		fatalx("cmd_run: cannot seed the demo district");
	/* The seeder's own commits: the first sync covers them. */
	if (o->demo && srv.syncer != NULL)
		syncer_committed(srv.syncer);
	ev_term = evsignal_new(srv.base, SIGTERM, stop_cb, &srv);
	ev_int = evsignal_new(srv.base, SIGINT, stop_cb, &srv);
	ev_hup = evsignal_new(srv.base, SIGHUP, reload_cb, &srv);
	if (ev_term == NULL || ev_int == NULL || ev_hup == NULL ||
	    evsignal_add(ev_term, NULL) == -1 ||
	    evsignal_add(ev_int, NULL) == -1 ||
	    evsignal_add(ev_hup, NULL) == -1)
		fatalx("cmd_run: cannot set up signals");
	log_info("matchd %s ready: native %s%s%s, HTTP %s%s%s, database %s",
	    MATCHD_VERSION, srv.conf.listen,
	    srv.conf.unix_socket[0] ? " and " : "", srv.conf.unix_socket,
	    strcmp(srv.conf.http, "off") ? "http://" : "", srv.conf.http,
	    strcmp(srv.conf.http, "off") ? "/ (the organizers' page)" : "",
	    srv.conf.database);
	notify_send("READY=1");
	if (o->demo)
		log_info("demo tokens (role, code, token, name, street): "
		    "%s.tokens; try: bin/matchctl -t TOKEN whoami",
		    srv.conf.database);
	/*
	 * One turn of the loop reads what every ready client sent and runs
	 * it; then the batch commits and the answers go out (group commit).
	 */
	while (!srv.stopping || srv.nconns > 0 || txn_held(&srv)) {
		/* A run written in slices: a slice of it each turn, and the
		 * poll does not wait (core/jobs.h). */
		if (txn_held(&srv))
			jobs_write(&srv);
		if (event_base_loop(srv.base, txn_held(&srv) ?
		    EVLOOP_NONBLOCK : EVLOOP_ONCE) == -1)
			break;
		txn_end(&srv);
		if (event_base_got_break(srv.base))
			break;
	}
	while (txn_held(&srv))
		jobs_write(&srv);
	txn_end(&srv);
	/* Jobs still running (their clients left) end, and are answered to
	 * nobody, before the store they write through closes. */
	if (ev_readers != NULL)
		event_free(ev_readers);
	readers_free(srv.readers);
	srv.readers = NULL;
	txn_end(&srv);
	/* The last commits are synced, and what waited for them answered. */
	if (srv.syncer != NULL) {
		if (syncer_wait(srv.syncer) == -1)
			fatal("cmd_run: fdatasync of the WAL failed at stop: "
			    "the last answers are not sent");
		txn_end(&srv);
		event_free(ev_sync);
		syncer_free(srv.syncer);
		srv.syncer = NULL;
	}
	need_cache_free(srv.ncache);
	for (i = 0; i < SERVER_LISTENERS; i++)
		listener_free(srv.listeners[i]);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	watch_free(&srv);
	feed_free(srv.feed);
	hooks_stop(srv.hooks);
	store_close(srv.store);
	suggest_index_free(srv.sindex);
	auth_cache_free(srv.auth);
	ratelimit_free(srv.ratelimit);
	outbox_free(srv.outbox);
	metrics_free(srv.metrics);
	free(srv.openapi);
	peers_free(srv.peers);
	event_base_free(srv.base);
	log_info("cmd_run: stopped cleanly");
	return 0;
}

int
main(int argc, char **argv)
{
	struct options	o;
	struct config	conf;
	const char	*cmd = NULL;
	int		rc;

	store_library_init();
	if (argc > 1 && strcmp(argv[1], "backup") == 0)
		return cmd_backup(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "restore") == 0)
		return cmd_restore(argc - 1, argv + 1);
	if (argc > 1 && (strcmp(argv[1], "token") == 0 ||
	    strcmp(argv[1], "check") == 0)) {
		cmd = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	parse_options(argc, argv, &o);
	if (auth_init() == -1)
		fatalx("main: libsodium cannot be initialised");
	load_config(&o, &conf);
	if (cmd != NULL && strcmp(cmd, "check") == 0) {
		config_print(&conf, stdout);
		printf("\nconfiguration OK\n");
		rc = 0;
	} else if (cmd != NULL)
		rc = cmd_token(&conf);
	else
		rc = cmd_run(&o, &conf);
	free(o.overrides);
	return rc;
}
