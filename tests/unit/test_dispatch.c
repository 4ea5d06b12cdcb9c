/*
 * test_dispatch.c: the one place that refuses requests (daemon/core/
 * dispatch.c), on a server with an in-memory store set up as main.c sets
 * one up.  docs/protocol.md, "Order of refusals": unknown op (unknown_op),
 * missing or unknown token (unauthenticated), rate (rate_limited), role
 * (forbidden), arguments (invalid_argument), then the handler.  When several
 * apply, the earliest is the answer; every refusal is audited and leaves
 * nothing stored; ping needs no token.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "daemon/core/dispatch.h"
#include "daemon/core/ratelimit.h"
#include "daemon/core/server.h"
#include "daemon/core/txn.h"
#include "daemon/domain/auth.h"
#include "daemon/domain/suggest_index.h"
#include "daemon/store/store.h"
#include "protocol/error.h"

/* Well formed (64 hex digits) but no account's. */
#define UNKNOWN_TOKEN \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* The tokens a case may present. */
enum who { NOBODY, BAD, UNKNOWN, ADMIN, COMMUNITY };

struct fixture {
	struct server	srv;
	char		admin[TOKEN_HEX_LEN + 1];
	char		community[TOKEN_HEX_LEN + 1];
};

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));
	struct server	*srv;
	struct error	 err;
	char		 msg[256];
	int64_t		 id;

	assert_non_null(fx);
	srv = &fx->srv;
	TAILQ_INIT(&srv->conns);
	/* As cmd_run in daemon/main.c: defaults, caches and their hooks. */
	if (config_load(&srv->conf, NULL, NULL, 0, msg, sizeof(msg)) == -1)
		fail_msg("config_load: %s", msg);
	memset(&err, 0, sizeof(err));
	if ((srv->store = store_open(":memory:", 0, 200, 0, &err)) == NULL)
		fail_msg("store_open: %s", err.message);
	assert_non_null(srv->ratelimit = ratelimit_new());
	assert_non_null(srv->sindex = suggest_index_new());
	store_record_set_hook(srv->store, STORE_OFFER, suggest_index_touch,
	    srv->sindex);
	assert_non_null(srv->auth = auth_cache_new());
	store_set_token_hook(srv->store, auth_cache_clear, srv->auth);
	/* An admin and a community (a principal only: no community row). */
	assert_int_equal(store_begin(srv->store, &err), 0);
	assert_int_equal(auth_account_create(srv->store, "admin", "admin-1",
	    "district admin", NULL, fx->admin, &id, &err), 0);
	assert_int_equal(auth_account_create(srv->store, "community", "c1",
	    "community one", "Elm", fx->community, &id, &err), 0);
	/* Streets are a registry: Elm is one. */
	assert_int_equal(store_street_insert(srv->store, "Elm", NULL, &err), 0);
	assert_int_equal(store_commit(srv->store, &err), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	txn_end(&fx->srv);
	store_close(fx->srv.store);
	suggest_index_free(fx->srv.sindex);
	auth_cache_free(fx->srv.auth);
	ratelimit_free(fx->srv.ratelimit);
	free(fx);
	return 0;
}

static const char *
token_of(struct fixture *fx, enum who who)
{
	switch (who) {
	case NOBODY:	return NULL;
	case BAD:	return "not-a-token";
	case UNKNOWN:	return UNKNOWN_TOKEN;
	case ADMIN:	return fx->admin;
	case COMMUNITY:	return fx->community;
	}
	return NULL;
}

/*
 * dispatch op as who with args (JSON text, or NULL for none); fills a, whose
 * result the caller frees.  Returns the error code (ERR_NONE when ok).
 */
static enum err_code
call(struct fixture *fx, const char *op, enum who who, const char *json,
    struct answer *a)
{
	cJSON *args = NULL;

	if (json != NULL)
		assert_non_null(args = cJSON_Parse(json));
	dispatch(&fx->srv, op, token_of(fx, who), args, a);
	cJSON_Delete(args);
	if (a->err.code == ERR_NONE)
		assert_non_null(a->result);
	else
		assert_null(a->result);
	return a->err.code;
}

/* call, for a case that is refused: nothing to free. */
static enum err_code
refused(struct fixture *fx, const char *op, enum who who, const char *json)
{
	struct answer	a;
	enum err_code	code = call(fx, op, who, json, &a);

	cJSON_Delete(a.result);
	return code;
}

/* How many audit rows there are; *last (if not NULL) gets a copy of the
 * newest, which the caller frees. */
static int
audit_rows(struct fixture *fx, cJSON **last)
{
	struct error	 err;
	cJSON		*page, *items;
	int		 n;

	struct store_audit_filter all = { NULL, NULL, NULL, 0 };

	assert_int_equal(store_audit_list(fx->srv.store, &all, 0, 100000,
	    &page, &err), 0);
	items = cJSON_GetObjectItemCaseSensitive(page, "items");
	n = cJSON_GetArraySize(items);
	if (last != NULL) {
		assert_true(n > 0);
		*last = cJSON_Duplicate(cJSON_GetArrayItem(items, n - 1), 1);
	}
	cJSON_Delete(page);
	return n;
}

/* The audit row member key: its text, or NULL when it is null. */
static const char *
text(const cJSON *row, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);

	assert_non_null(v);
	if (cJSON_IsNull(v))
		return NULL;
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

/*
 * The newest audit row is one more than before, says op and outcome, and
 * names role (NULL: no valid token) as the caller.
 */
static void
assert_audited(struct fixture *fx, int before, const char *op,
    const char *outcome, const char *role)
{
	cJSON *row;

	assert_int_equal(audit_rows(fx, &row), before + 1);
	assert_string_equal(text(row, "op"), op);
	assert_string_equal(text(row, "outcome"), outcome);
	if (role == NULL) {
		assert_null(text(row, "role"));
		assert_null(text(row, "code"));
	} else
		assert_string_equal(text(row, "role"), role);
	cJSON_Delete(row);
}

/* 1 when an account of role has code. */
static int
account_exists(struct fixture *fx, const char *role, const char *code)
{
	struct account	a;
	struct error	err;
	int		rc;

	rc = store_account_by_code(fx->srv.store, role, code, &a, &err);
	assert_int_not_equal(rc, -1);
	return rc == 0;
}

/* Valid community.create arguments, but for the code. */
#define CREATE_C9	"{\"code\":\"c9\",\"name\":\"Nine\",\"street\":\"Elm\"}"
/* Arguments no schema takes. */
#define BAD_ARGS	"{\"code\":\"c9\",\"nmae\":\"Nine\"}"

/*
 * Each refusal, alone and with every later one applying too: the earliest
 * is the answer, it is audited with the caller it names (none without a
 * valid token), and the write it refused left nothing.
 */
static void
test_refusal_order(void **state)
{
	static const struct {
		const char	*op;
		enum who	 who;
		const char	*args;
		enum err_code	 want;
		const char	*role;		/* audited caller */
	} cases[] = {
		/* unknown_op: before any token is looked at. */
		{ "no.such", NOBODY, NULL, ERR_UNKNOWN_OP, NULL },
		{ "no.such", BAD, BAD_ARGS, ERR_UNKNOWN_OP, NULL },
		{ "no.such", UNKNOWN, NULL, ERR_UNKNOWN_OP, NULL },
		{ "no.such", COMMUNITY, BAD_ARGS, ERR_UNKNOWN_OP,
		    "community" },
		/* unauthenticated: missing, malformed or unknown token. */
		{ "whoami", NOBODY, NULL, ERR_UNAUTHENTICATED, NULL },
		{ "community.create", NOBODY, CREATE_C9, ERR_UNAUTHENTICATED,
		    NULL },
		{ "community.create", NOBODY, BAD_ARGS, ERR_UNAUTHENTICATED,
		    NULL },
		{ "whoami", BAD, NULL, ERR_UNAUTHENTICATED, NULL },
		{ "community.create", BAD, BAD_ARGS, ERR_UNAUTHENTICATED,
		    NULL },
		{ "community.create", UNKNOWN, CREATE_C9,
		    ERR_UNAUTHENTICATED, NULL },
		{ "community.create", UNKNOWN, BAD_ARGS, ERR_UNAUTHENTICATED,
		    NULL },
		/* forbidden: the role, before the arguments. */
		{ "community.create", COMMUNITY, CREATE_C9, ERR_FORBIDDEN,
		    "community" },
		{ "community.create", COMMUNITY, BAD_ARGS, ERR_FORBIDDEN,
		    "community" },
		{ "audit.list", COMMUNITY, "{\"limit\":0}", ERR_FORBIDDEN,
		    "community" },
		/* invalid_argument: the last refusal before the handler. */
		{ "community.create", ADMIN, BAD_ARGS, ERR_INVALID_ARGUMENT,
		    "admin" },
		{ "community.create", ADMIN, "{\"code\":\"c9\"}",
		    ERR_INVALID_ARGUMENT, "admin" },
		{ "whoami", COMMUNITY, "{\"x\":1}", ERR_INVALID_ARGUMENT,
		    "community" },
		{ "audit.list", ADMIN, "{\"limit\":0}", ERR_INVALID_ARGUMENT,
		    "admin" },
	};
	struct fixture	*fx = *state;
	size_t		 i;
	int		 before;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		before = audit_rows(fx, NULL);
		if (refused(fx, cases[i].op, cases[i].who, cases[i].args) !=
		    cases[i].want)
			fail_msg("case %zu (%s): want %s", i, cases[i].op,
			    error_name(cases[i].want));
		assert_audited(fx, before, cases[i].op,
		    error_name(cases[i].want), cases[i].role);
		assert_false(account_exists(fx, "community", "c9"));
	}
	/* Committed, the refusals are still only audit rows. */
	txn_end(&fx->srv);
	assert_false(account_exists(fx, "community", "c9"));
	assert_int_equal(audit_rows(fx, NULL), (int)i);
}

/* The field at fault is named: the handler never saw these arguments. */
static void
test_invalid_argument_names_field(void **state)
{
	struct fixture	*fx = *state;
	struct answer	 a;

	assert_int_equal(call(fx, "community.create", ADMIN, BAD_ARGS, &a),
	    ERR_INVALID_ARGUMENT);
	assert_string_equal(a.err.field, "nmae");
	assert_int_equal(call(fx, "community.create", ADMIN,
	    "{\"code\":\"c9\",\"name\":\"Nine\"}", &a), ERR_INVALID_ARGUMENT);
	assert_string_equal(a.err.field, "street");
}

/*
 * rate_limited comes after the token (an unknown token has no bucket) and
 * before the role and the arguments; it is per account.
 */
static void
test_rate_limited(void **state)
{
	struct fixture	*fx = *state;
	struct answer	 a;
	int		 before;

	/* One request a second: the bucket holds one, refilled in 1 s. */
	fx->srv.conf.rate_per_token = 1;
	assert_int_equal(call(fx, "whoami", COMMUNITY, NULL, &a), ERR_NONE);
	cJSON_Delete(a.result);
	before = audit_rows(fx, NULL);
	assert_int_equal(refused(fx, "whoami", COMMUNITY, NULL),
	    ERR_RATE_LIMITED);
	assert_audited(fx, before, "whoami", "rate_limited", "community");
	/* Wrong role and bad arguments too: still rate_limited. */
	assert_int_equal(refused(fx, "community.create", COMMUNITY, BAD_ARGS),
	    ERR_RATE_LIMITED);
	assert_audited(fx, before + 1, "community.create", "rate_limited",
	    "community");
	/* Without a valid token there is nothing to limit. */
	assert_int_equal(refused(fx, "whoami", UNKNOWN, NULL),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(refused(fx, "no.such", COMMUNITY, NULL),
	    ERR_UNKNOWN_OP);
	/* Another account has its own bucket. */
	assert_int_equal(call(fx, "whoami", ADMIN, NULL, &a), ERR_NONE);
	cJSON_Delete(a.result);
	assert_false(account_exists(fx, "community", "c9"));
}

/*
 * Past every refusal the handler runs: a read answers and is not audited,
 * a write answers, is audited "ok" with its object, and stays.
 */
static void
test_handler_runs(void **state)
{
	struct fixture	*fx = *state;
	struct answer	 a;
	cJSON		*row;
	int		 before = audit_rows(fx, NULL);

	assert_int_equal(call(fx, "whoami", COMMUNITY, NULL, &a), ERR_NONE);
	assert_string_equal(text(a.result, "role"), "community");
	assert_string_equal(text(a.result, "code"), "c1");
	assert_false(a.write);
	cJSON_Delete(a.result);
	assert_int_equal(audit_rows(fx, NULL), before);

	assert_int_equal(call(fx, "community.create", ADMIN, CREATE_C9, &a),
	    ERR_NONE);
	assert_true(a.write);
	assert_true(txn_dirty(&fx->srv));
	cJSON_Delete(a.result);
	assert_audited(fx, before, "community.create", "ok", "admin");
	assert_int_equal(audit_rows(fx, &row), before + 1);
	assert_string_equal(text(row, "object"), "c9");
	assert_string_equal(text(row, "code"), "admin-1");
	cJSON_Delete(row);
	txn_end(&fx->srv);
	assert_true(account_exists(fx, "community", "c9"));
}

/*
 * A handler that wrote and then refused: its savepoint is rolled back, so
 * its writes are gone, while the turn's earlier write and the refusal's
 * audit row are committed.
 */
static void
test_refused_write_rolls_back(void **state)
{
	struct fixture	*fx = *state;
	struct answer	 a;
	struct error	 err;
	int64_t		 id;
	char		 token[TOKEN_HEX_LEN + 1];
	int		 before;

	/*
	 * A community row "dup" held by another account: community.create
	 * of dup finds no community account dup, creates one, and then
	 * fails to insert the community (conflict: the code is taken).
	 */
	assert_int_equal(store_begin(fx->srv.store, &err), 0);
	assert_int_equal(auth_account_create(fx->srv.store, "community",
	    "holder", "holder", NULL, token, &id, &err), 0);
	assert_int_equal(store_community_insert(fx->srv.store, "dup", 0, id,
	    &err), 0);
	assert_int_equal(store_commit(fx->srv.store, &err), 0);

	assert_int_equal(call(fx, "community.create", ADMIN, CREATE_C9, &a),
	    ERR_NONE);
	cJSON_Delete(a.result);
	before = audit_rows(fx, NULL);
	assert_int_equal(refused(fx, "community.create", ADMIN,
	    "{\"code\":\"dup\",\"name\":\"Dup\",\"street\":\"Elm\"}"),
	    ERR_CONFLICT);
	assert_false(account_exists(fx, "community", "dup"));
	assert_audited(fx, before, "community.create", "conflict", "admin");
	txn_end(&fx->srv);
	assert_false(account_exists(fx, "community", "dup"));
	assert_true(account_exists(fx, "community", "c9"));
	assert_int_equal(audit_rows(fx, NULL), before + 1);
}

/*
 * ping needs no token and ignores one; it opens no transaction and is not
 * audited, even when its arguments are refused (dispatch.c: "ping: no
 * token, no transaction, no audit").
 */
static void
test_ping_needs_no_token(void **state)
{
	struct fixture	*fx = *state;
	struct answer	 a;
	enum who	 who;

	for (who = NOBODY; who <= ADMIN; who++) {
		assert_int_equal(call(fx, "ping", who, NULL, &a), ERR_NONE);
		assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		    a.result, "pong")));
		assert_false(a.write);
		cJSON_Delete(a.result);
	}
	assert_int_equal(refused(fx, "ping", NOBODY, "{\"x\":1}"),
	    ERR_INVALID_ARGUMENT);
	assert_false(store_in_txn(fx->srv.store));
	assert_int_equal(audit_rows(fx, NULL), 0);
}

/*
 * A request refused before dispatch (bad JSON, bad envelope) is audited
 * with what could be read of it; ping is not.
 */
static void
test_refused_before_dispatch(void **state)
{
	struct fixture	*fx = *state;
	struct error	 e;

	memset(&e, 0, sizeof(e));
	error_set(&e, ERR_BAD_REQUEST, NULL, "envelope");
	dispatch_refused(&fx->srv, NULL, NULL, &e);
	assert_audited(fx, 0, "-", "bad_request", NULL);
	dispatch_refused(&fx->srv, "whoami", fx->admin, &e);
	assert_audited(fx, 1, "whoami", "bad_request", "admin");
	dispatch_refused(&fx->srv, "whoami", UNKNOWN_TOKEN, &e);
	assert_audited(fx, 2, "whoami", "bad_request", NULL);
	dispatch_refused(&fx->srv, "ping", NULL, &e);
	assert_int_equal(audit_rows(fx, NULL), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_refusal_order),
		T(test_invalid_argument_names_field),
		T(test_rate_limited),
		T(test_handler_runs),
		T(test_refused_write_rolls_back),
		T(test_ping_needs_no_token),
		T(test_refused_before_dispatch),
#undef T
	};

	if (auth_init() == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
