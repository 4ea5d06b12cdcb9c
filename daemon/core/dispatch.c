/*
 * dispatch.c: the one place that refuses requests before a handler runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/core/jobs.h"
#include "daemon/core/txn.h"
#include "daemon/core/dispatch.h"
#include "daemon/core/metrics.h"
#include "daemon/base/log.h"
#include "daemon/ops/ops.h"
#include "daemon/core/ratelimit.h"

/* The roles that may call op, in words, for a forbidden message. */
static void
dispatch_roles(unsigned roles, char *buf, size_t len)
{
	static const char *const names[] = { "admin", "organizer",
	    "community", "org" };
	size_t	used = 0;
	int	i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < 4; i++)
		if (roles & (1u << i))
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", n++ ? ", " : "", names[i]);
}

/* Record the outcome in the audit trail; a failure is logged, not fatal. */
void
dispatch_audit(struct server *srv, const struct principal *who,
    const char *op, const char *object, const struct error *err)
{
	struct error	e;
	char		opbuf[65];

	if (!store_in_txn(srv->store))
		return;
	snprintf(opbuf, sizeof(opbuf), "%s", op);
	if (store_audit_add(srv->store, who ? who->acct.role : NULL,
	    who ? who->acct.code : NULL, opbuf, object[0] ? object : NULL,
	    error_name(err->code), &e) == -1)
		log_warnx("dispatch_audit: %s", e.message);
}

/*
 * Run op's handler on the loop: a write inside a savepoint (rolled back
 * when the handler refuses), a read as it is.  ctx holds what the handler
 * sees.  Fills a.
 */
void
dispatch_write(struct server *srv, const struct op *op, struct op_ctx *ctx,
    const cJSON *args, struct answer *a)
{
	/* A read writes nothing: it needs no savepoint to undo. */
	if (op->write && store_savepoint(srv->store, &a->err) == -1)
		return;
	if (op->handler(ctx, args, &a->result, &a->err) == -1) {
		cJSON_Delete(a->result);
		a->result = NULL;
		if (op->write)
			store_savepoint_rollback(srv->store);
	} else if (op->write) {
		store_savepoint_release(srv->store);
		txn_wrote(srv);
		/* What an OP_SPLIT computation relied on may have changed. */
		if (!(op->where & OP_NEW_ONLY))
			srv->data_version++;
	}
}

/*
 * Check args and run op on the loop thread (an OP_SPLIT op computes and
 * writes here, one after the other); fills a.  With DISPATCH_TEXT, the
 * answer of an op that could run on a reader is printed and held to
 * limits.max_answer_bytes, as it would be there.
 */
void
dispatch_loop_ctx(struct server *srv, const struct op *op,
    const struct principal *who, struct op_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->store = srv->store;
	ctx->conf = &srv->conf;
	ctx->sindex = srv->sindex;
	ctx->who = who;
	ctx->op = op;
}

/*
 * The checks of args that need no handler: their schema, then that each
 * street they name is registered (a read of the loop's store, so a job
 * is refused here, before it is queued).  0, or -1 with err set.
 */
static int
dispatch_check_args(struct server *srv, const struct op *op,
    const struct principal *who, const cJSON *args, struct error *err)
{
	struct op_ctx ctx;

	dispatch_loop_ctx(srv, op, who, &ctx);
	if (args_check(op->args, args, &srv->conf.taxonomy, err) == -1 ||
	    ops_streets_check(&ctx, op->args, args, err) == -1)
		return -1;
	return 0;
}

static void
dispatch_run(struct server *srv, const struct op *op,
    const struct principal *who, const cJSON *args, struct answer *a,
    unsigned how, char *object, size_t objlen)
{
	struct op_ctx		 ctx;
	size_t			 len;

	dispatch_loop_ctx(srv, op, who, &ctx);
	if (dispatch_check_args(srv, op, who, args, &a->err) == -1)
		return;
	if (!(op->where & OP_SPLIT) || op->compute(&ctx, args, &a->err) == 0)
		dispatch_write(srv, op, &ctx, args, a);
	if (ctx.state_free != NULL)
		ctx.state_free(ctx.state);
	if ((how & DISPATCH_TEXT) && (op->where & OP_READER) &&
	    a->result != NULL && dispatch_fit(&srv->conf, a->result, &a->text,
	    &a->text_len, &a->err) == -1)
		a->result = NULL;	/* dispatch_fit freed it */
	else if (a->text != NULL)
		a->result = NULL;	/* printed into a->text */
	/* The audit's object (most requests write no audit row: no
	 * snprintf for them). */
	len = strnlen(ctx.object, sizeof(ctx.object));
	if (len >= objlen)
		len = objlen - 1;
	memcpy(object, ctx.object, len);
	object[len] = '\0';
}

void
dispatch_as(struct server *srv, const struct principal *who, const char *name,
    const cJSON *args, struct answer *a)
{
	const struct op	*op = ops_find(name);
	char		 object[96] = "";

	memset(a, 0, sizeof(*a));
	if (op == NULL) {
		error_set(&a->err, ERR_UNKNOWN_OP, NULL, "unknown op %s", name);
		return;
	}
	a->write = op->write;
	if (txn_open(srv, &a->err) == -1)
		return;
	dispatch_run(srv, op, who, args, a, 0, object, sizeof(object));
	if (op->write || a->err.code != ERR_NONE)
		dispatch_audit(srv, who, name, object, &a->err);
}

/*
 * dispatch, telling the caller who called (*whop NULL: nobody known).
 * With jobp, an op that runs on a reader is handed to one (*jobp set, and
 * nothing audited yet: the job does that when it is done).
 */
static void
dispatch_one(struct server *srv, const char *name, const char *token,
    const cJSON *args, struct answer *a, struct principal *whobuf,
    const struct principal **whop_out, unsigned how, struct job **jobp)
{
	const struct op		*op = ops_find(name);
	struct principal	 who, *whop = NULL;
	char			 object[96] = "", roles[64];
	int			 rc = 1;

	memset(a, 0, sizeof(*a));
	if (op != NULL && op->roles == 0) {
		/* ping: no token, no transaction, no audit; it read
		 * nothing, so it waits for no sync. */
		dispatch_run(srv, op, NULL, args, a, 0, object, sizeof(object));
		a->pure = 1;
		return;
	}
	/*
	 * Every request of the turn runs in the batch transaction: writes are
	 * committed before their answers go out, and reads take SQLite's
	 * locks once per turn instead of once per statement.
	 */
	a->write = op ? op->write : 0;
	if (txn_open(srv, &a->err) == -1)
		return;
	if (token != NULL && (rc = auth_lookup_cached(srv->store, srv->auth,
	    token, &who, &a->err)) == -1)
		goto out;
	if (rc == 0) {
		whop = &who;
		a->signed_in = 1;
	}
	if (op == NULL)
		error_set(&a->err, ERR_UNKNOWN_OP, NULL, "there is no "
		    "operation \"%.64s\"", name);
	else if (token == NULL)
		error_set(&a->err, ERR_UNAUTHENTICATED, NULL, "%s needs a "
		    "token: sign in with the token you were given", name);
	else if (whop == NULL)
		error_set(&a->err, ERR_UNAUTHENTICATED, NULL, "the token is "
		    "not valid (mistyped, or replaced by token.rotate)");
	else if (!ratelimit_take(srv->ratelimit, who.acct.id,
	    srv->conf.rate_per_token, metrics_now()))
		error_set(&a->err, ERR_RATE_LIMITED, NULL, "more than %ld "
		    "requests a second with this token; slow down",
		    srv->conf.rate_per_token);
	else if ((op->roles & who.role) == 0) {
		dispatch_roles(op->roles, roles, sizeof(roles));
		error_set(&a->err, ERR_FORBIDDEN, NULL, "%s is for %s; you "
		    "are signed in as %s", name, roles, who.acct.role);
	} else if (jobp != NULL && job_wanted(srv, op, args) &&
	    dispatch_check_args(srv, op, &who, args, &a->err) == 0 &&
	    (*jobp = job_start(srv, op, &who, args, how)) != NULL) {
		*whobuf = who;
		*whop_out = whobuf;
		return;
	} else if (a->err.code == ERR_NONE)
		dispatch_run(srv, op, &who, args, a, how, object, sizeof(object));
out:
	if (!store_in_txn(srv->store)) {
		/* SQLite gave the transaction up: earlier writes are gone. */
		txn_abort(srv);
		if (a->err.code == ERR_NONE && a->write) {
			cJSON_Delete(a->result);
			a->result = NULL;
			free(a->text);
			a->text = NULL;
			error_set(&a->err, ERR_UNAVAILABLE, NULL, "the store "
			    "could not write (the disk may be full): nothing "
			    "was stored; try again later");
		}
		return;
	}
	if ((op && op->write) || a->err.code != ERR_NONE)
		dispatch_audit(srv, whop, name, object, &a->err);
	if (whop != NULL) {
		*whobuf = who;
		*whop_out = whobuf;
	}
}

/* Count and log a request answered now (jobs.h). */
void
dispatch_count(struct server *srv, const char *name,
    const struct principal *whop, enum err_code code, double start)
{
	double secs = metrics_now() - start;

	if (srv->metrics != NULL)
		metrics_request(srv->metrics, name, code, secs);
	if (config_log_requests(&srv->conf))
		log_request(name, whop ? whop->acct.role : NULL, whop ?
		    whop->acct.code : NULL, code == ERR_NONE ? "ok" :
		    error_name(code), secs * 1000);
}

int
dispatch_start(struct server *srv, const char *name, const char *token,
    const cJSON *args, struct answer *a, unsigned how, struct job **jobp)
{
	struct principal	 who;
	const struct principal	*whop = NULL;
	double			 start = metrics_now();

	*jobp = NULL;
	dispatch_one(srv, name, token, args, a, &who, &whop, how, jobp);
	if (*jobp != NULL)
		return 1;	/* the job counts and logs it when done */
	dispatch_count(srv, name, whop, a->err.code, start);
	return 0;
}

void
dispatch(struct server *srv, const char *name, const char *token,
    const cJSON *args, struct answer *a)
{
	struct principal	 who;
	const struct principal	*whop = NULL;
	double			 start = metrics_now();

	dispatch_one(srv, name, token, args, a, &who, &whop, 0, NULL);
	dispatch_count(srv, name, whop, a->err.code, start);
}

int
dispatch_native_only(const char *name)
{
	const struct op *op = ops_find(name);

	return op != NULL && ops_native_only(op);
}

int
dispatch_pure(const char *name)
{
	const struct op *op = name != NULL ? ops_find(name) : NULL;

	return op != NULL && op->roles == 0;
}

int
dispatch_authenticate(struct server *srv, const char *token,
    struct error *err)
{
	struct principal who;

	return dispatch_principal(srv, token, &who, err);
}

int
dispatch_principal(struct server *srv, const char *token,
    struct principal *who, struct error *err)
{
	int rc;

	if (token == NULL)
		return error_set(err, ERR_UNAUTHENTICATED, NULL, "this route "
		    "needs a token: send \"Authorization: Bearer TOKEN\"");
	if (txn_open(srv, err) == -1)
		return -1;
	if ((rc = auth_lookup_cached(srv->store, srv->auth, token, who,
	    err)) == -1)
		return -1;
	if (rc != 0)
		return error_set(err, ERR_UNAUTHENTICATED, NULL, "the token is "
		    "not valid (mistyped, or replaced by token.rotate)");
	return 0;
}

void
dispatch_refused(struct server *srv, const char *name, const char *token,
    const struct error *refusal)
{
	struct principal	 who;
	struct error		 err;
	int			 rc = 1;

	if (name != NULL && strcmp(name, "ping") == 0)
		return;
	if (txn_open(srv, &err) == -1)
		return;
	if (token != NULL && (rc = auth_lookup_cached(srv->store, srv->auth,
	    token, &who, &err)) == -1)
		return;
	dispatch_audit(srv, rc == 0 ? &who : NULL, name ? name : "-", "",
	    refusal);
}

void
dispatch_public(struct server *srv, const char *which, struct answer *a)
{
	struct op_ctx	ctx;

	memset(a, 0, sizeof(*a));
	if (txn_open(srv, &a->err) == -1)
		return;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = srv->store;
	ctx.conf = &srv->conf;
	/* No principal: the board is for anyone, and reads only. */
	if (ops_public(&ctx, which, &a->result, &a->err) == -1) {
		cJSON_Delete(a->result);
		a->result = NULL;
	}
}
