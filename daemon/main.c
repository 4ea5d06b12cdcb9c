/*
 * main.c: matchd's command line, signals and the event loop.
 *
 *	matchd [-c FILE] [-D DB] [-l ADDR:PORT] [-H ADDR:PORT|off] [-S PATH]
 *	    [-o SECTION.KEY=VALUE]... [--demo]
 *	matchd token [-c FILE] [-D DB]
 *	matchd check [-c FILE] [-o ...]
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <sodium.h>

#include "daemon/domain/auth.h"
#include "daemon/core/txn.h"
#include "daemon/base/config.h"
#include "daemon/net/conn.h"
#include "daemon/demo/demo.h"
#include "daemon/core/dispatch.h"
#include "daemon/net/listener.h"
#include "daemon/net/outbox.h"
#include "daemon/base/log.h"
#include "daemon/ops/ops.h"
#include "daemon/core/ratelimit.h"
#include "daemon/core/server.h"
#include "daemon/store/store.h"
#include "daemon/domain/suggest_index.h"

#define DEMO_SEED	2017u

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
	    "       matchd check [-c FILE] [-o SECTION.KEY=VALUE]...\n");
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

static struct store *
open_store(const struct config *conf)
{
	struct store	*s;
	struct error	 err;

	if ((s = store_open(conf->database, strcmp(conf->synchronous,
	    "full") == 0, conf->busy_timeout, conf->mmap_mib, &err)) == NULL) {
		fprintf(stderr, "matchd: %s\n", err.message);
		exit(1);
	}
	return s;
}

/* matchd token: a new admin account; its token alone on the last line. */
static int
cmd_token(const struct config *conf)
{
	struct store	*s = open_store(conf);
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

/* ---- the demo district ------------------------------------------------- */

struct demo_ctx {
	struct server		*srv;
	struct principal	 admin;
};

/*
 * Run op as the demo admin, or (role non-NULL) as the account role/code:
 * a community or organisation answering its matches.
 */
static int
demo_call(void *arg, const char *role, const char *code, const char *op,
    cJSON *args, cJSON **result, char *errbuf, size_t errlen)
{
	struct demo_ctx		*d = arg;
	struct principal	 who;
	struct answer		 a;
	struct error		 err;

	*result = NULL;
	if (role != NULL) {
		memset(&who, 0, sizeof(who));
		if (store_account_by_code(d->srv->store, role, code, &who.acct,
		    &err) != 0 || (who.role = auth_role_bit(role)) == 0) {
			cJSON_Delete(args);
			snprintf(errbuf, errlen, "not_found: no %s account %s",
			    role, code);
			return -1;
		}
	}
	dispatch_as(d->srv, role != NULL ? &who : &d->admin, op, args, &a);
	cJSON_Delete(args);
	*result = a.result;
	if (a.err.code != ERR_NONE) {
		snprintf(errbuf, errlen, "%s: %s", error_name(a.err.code),
		    a.err.message);
		return -1;
	}
	return 0;
}

/*
 * Seed an empty database with the demo district and write every account's
 * token to DB.tokens (mode 0600).  A database that has accounts already is
 * left as it is.
 */
static int
demo_run(struct server *srv)
{
	struct demo_ctx	 d;
	struct error	 err;
	char		 path[300], token[TOKEN_HEX_LEN + 1], msg[512];
	FILE		*fp;
	int		 fd;

	if (store_account_next_id(srv->store) > 1) {
		log_info("demo_run: %s already holds accounts; not seeding "
		    "(tokens are in %s.tokens)", srv->conf.database,
		    srv->conf.database);
		return 0;
	}
	snprintf(path, sizeof(path), "%s.tokens", srv->conf.database);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		log_warn("demo_run: %s", path);
		return -1;
	}
	fchmod(fd, 0600);
	memset(&d, 0, sizeof(d));
	d.srv = srv;
	if (store_begin(srv->store, &err) == -1 ||
	    auth_account_create(srv->store, "admin", "admin-1",
	    "区民政局", NULL, token, &d.admin.acct.id,
	    &err) == -1) {
		log_warnx("demo_run: %s", err.message);
		goto fail;
	}
	strcpy(d.admin.acct.role, "admin");
	strcpy(d.admin.acct.code, "admin-1");
	d.admin.role = ROLE_ADMIN;
	fprintf(fp, "admin\tadmin-1\t%s\t区民政局\t-\n", token);
	sodium_memzero(token, sizeof(token));
	if (demo_seed(demo_call, &d, fp, DEMO_SEED, msg, sizeof(msg)) == -1) {
		log_warnx("demo_run: %s", msg);
		goto fail;
	}
	if (fflush(fp) == EOF || fsync(fd) == -1 ||
	    store_commit(srv->store, &err) == -1) {
		log_warnx("demo_run: cannot commit the demo district");
		goto fail;
	}
	fclose(fp);
	log_info("demo_run: demo district seeded; tokens in %s", path);
	return 0;
fail:
	store_rollback(srv->store);
	fclose(fp);
	unlink(path);
	return -1;
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

static void
reload_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;
	struct config	 fresh;
	char		 msg[512];
	enum log_level	 lvl;

	(void)sig;
	(void)what;
	if (config_load(&fresh, srv->conf_path, srv->overrides,
	    srv->noverrides, msg, sizeof(msg)) == -1) {
		log_warnx("reload_cb: keeping the running configuration: %s",
		    msg);
		return;
	}
	config_apply_live(&srv->conf, &fresh);
	if (log_parse_level(srv->conf.log_level, &lvl) == 0)
		log_set_level(lvl);
	log_info("reload_cb: configuration reloaded");
}

static void
open_listeners(struct server *srv)
{
	char msg[512];

	srv->listeners[0] = listener_new(srv, srv->conf.listen, 0, 0, msg,
	    sizeof(msg));
	if (srv->listeners[0] == NULL)
		fatalx("%s", msg);
	if (strcmp(srv->conf.http, "off") != 0 && srv->conf.http[0] != '\0' &&
	    (srv->listeners[1] = listener_new(srv, srv->conf.http, 0, 1, msg,
	    sizeof(msg))) == NULL)
		fatalx("%s", msg);
	if (srv->conf.unix_socket[0] != '\0' &&
	    (srv->listeners[2] = listener_new(srv, srv->conf.unix_socket, 1, 0,
	    msg, sizeof(msg))) == NULL)
		fatalx("%s", msg);
}

static int
cmd_run(const struct options *o, struct config *conf)
{
	struct server	 srv;
	struct event	*ev_term, *ev_int, *ev_hup;
	enum log_level	 lvl;
	int		 i;

	memset(&srv, 0, sizeof(srv));
	srv.conf = *conf;
	srv.conf_path = o->conf_path;
	srv.overrides = o->overrides;
	srv.noverrides = o->noverrides;
	TAILQ_INIT(&srv.conns);
	if (log_parse_level(srv.conf.log_level, &lvl) == 0)
		log_set_level(lvl);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * A turn of the loop allocates and frees the same megabytes (request
	 * trees, answers, SQLite's pages): keep them, rather than hand the top
	 * of the heap back with brk and map 64 KiB reads afresh each turn.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	if ((srv.base = event_base_new()) == NULL ||
	    (srv.ratelimit = ratelimit_new()) == NULL ||
	    (srv.outbox = outbox_new()) == NULL)
		fatalx("cmd_run: cannot set up the event loop");
	srv.store = open_store(&srv.conf);
	if ((srv.sindex = suggest_index_new()) == NULL)
		fatalx("cmd_run: out of memory");
	store_record_set_hook(srv.store, STORE_OFFER, suggest_index_touch,
	    srv.sindex);
	if ((srv.auth = auth_cache_new()) == NULL)
		fatalx("cmd_run: out of memory");
	store_set_token_hook(srv.store, auth_cache_clear, srv.auth);
	/* The transaction knows no connections: answers wait in the outbox
	 * until it ends. */
	txn_set_hook(&srv, outbox_release, srv.outbox);
	if (o->demo && demo_run(&srv) == -1)
		fatalx("cmd_run: cannot seed the demo district");
	open_listeners(&srv);
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
	if (o->demo)
		log_info("demo tokens (role, code, token, name, street): "
		    "%s.tokens; try: bin/matchctl -t TOKEN whoami",
		    srv.conf.database);
	/*
	 * One turn of the loop reads what every ready client sent and runs
	 * it; then the batch commits and the answers go out (group commit).
	 */
	while (!srv.stopping || srv.nconns > 0) {
		if (event_base_loop(srv.base, EVLOOP_ONCE) == -1)
			break;
		txn_end(&srv);
		if (event_base_got_break(srv.base))
			break;
	}
	txn_end(&srv);
	for (i = 0; i < SERVER_LISTENERS; i++)
		listener_free(srv.listeners[i]);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	store_close(srv.store);
	suggest_index_free(srv.sindex);
	auth_cache_free(srv.auth);
	ratelimit_free(srv.ratelimit);
	outbox_free(srv.outbox);
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
