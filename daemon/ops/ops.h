/*
 * ops.h: the operation table.  One entry per operation names who may call
 * it, its argument schema and its handler; dispatch.c refuses unknown ops,
 * missing tokens, wrong roles and malformed arguments before any handler
 * runs, so a handler sees a caller that may call it and arguments that
 * passed their schema.  What remains for a handler is what needs the
 * store: ownership, scope, state.
 */
#ifndef DAEMON_OPS_H
#define DAEMON_OPS_H

#include <cjson/cJSON.h>

#include "daemon/domain/auth.h"
#include "daemon/base/config.h"
#include "daemon/store/store.h"
#include "protocol/args.h"

#define MATCHD_VERSION	"0.1.0"

struct suggest_index;
struct need_cache;

struct op_ctx {
	struct store		*store;
	const struct config	*conf;
	struct suggest_index	*sindex;	/* open offers, or NULL */
	/* The needs in memory (need_cache.h): on reader threads only, NULL
	 * on the loop thread (it restarts the read transaction). */
	struct need_cache	*ncache;
	const struct principal	*who;		/* NULL for token-less ops */
	char			 object[96];	/* for the audit trail */
	/* OP_SPLIT: what compute made, for the handler (op_ctx_state). */
	void			*state;
	void			(*state_free)(void *);
};

/*
 * A handler.  On success it returns 0 with *result set (the handler hands
 * ownership of it to the caller); on refusal -1 with err set, after which
 * dispatch rolls back everything the handler wrote.
 */
typedef int (*op_handler)(struct op_ctx *, const cJSON *args, cJSON **result,
    struct error *err);

/*
 * OP_SPLIT: the long part of a write, run first (on a reader thread, over
 * a read-only snapshot): it reads and computes, and leaves what the
 * handler needs in ctx->state and ctx->state_free (both owned by the
 * caller from then on).  The handler then writes it on the loop thread.
 * Returns 0, or -1 with err set (the handler does not run).
 */
typedef int (*op_compute)(struct op_ctx *, const cJSON *args,
    struct error *err);

struct op {
	const char		*name;
	unsigned		 roles;		/* 0: no token needed */
	int			 write;
	const struct arg_spec	*args;
	op_handler		 handler;
};

/*
 * Where an op runs (docs/performance.md, "Threads"): ops_threads.c names
 * every op that does not simply run on the loop thread, inside the turn's
 * transaction.  Flags:
 *   OP_READER    a read that needs nothing of the loop thread (no cache):
 *                it runs on a reader thread, over a snapshot of what was
 *                committed; with reader_if, only when args hold that key
 *                (match.suggest {offer} scans; {need} uses the loop's
 *                index of offers);
 *   OP_SPLIT     a write whose long part is `compute`, on a reader; the
 *                handler then writes its result on the loop, in one
 *                savepoint, if nothing written meanwhile could change it;
 *   OP_NEW_ONLY  a write that only adds records no computation has read
 *                (a new need, offer, account): OP_SPLIT computations stay
 *                valid across it.
 */
#define OP_READER	0x1u
#define OP_SPLIT	0x2u
#define OP_NEW_ONLY	0x4u

struct op_thread {
	const char		*name;
	unsigned		 flags;		/* OP_* above */
	op_compute		 compute;	/* OP_SPLIT */
	const char		*reader_if;	/* OP_READER: only with this arg */
};

/* Where op runs: its entry, or an entry with no flags (the loop). */
const struct op_thread	*ops_thread(const struct op *);

const struct op	*ops_find(const char *name);
/* The table by position: ops_count() entries; ops_index(ops_at(i)) == i. */
size_t		 ops_count(void);
const struct op	*ops_at(size_t i);
size_t		 ops_index(const struct op *);

/*
 * The OpenAPI 3.1 document of the HTTP transport, made from the table
 * (ops_openapi.c); categories from tax.  The caller owns the tree.
 */
cJSON		*ops_openapi(const struct taxonomy *tax, const char *version);

/* Handlers, by file. */
int	op_ping(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_whoami(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_community_create(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_org_create(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_organizer_create(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_token_rotate(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_audit_list(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_need_post(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_need_get(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_need_list(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_need_update(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_need_withdraw(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_offer_post(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_offer_get(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_offer_list(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_offer_update(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_offer_withdraw(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_library_set(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);

int	op_fair_create(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_get(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_fair_list(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_fair_enroll(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_match_suggest(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_match(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_fair_match_compute(struct op_ctx *, const cJSON *, struct error *);
int	op_fair_matches(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);

int	op_match_respond(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_export(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_stats_streets(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_stats_categories(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_stats_orgs(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_risk_flags(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_community_get(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_community_list(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_org_get(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_org_list(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_taxonomy_get(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_close(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_fair_schedule(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_schedule_compute(struct op_ctx *, const cJSON *,
	    struct error *);
int	op_fair_meetings(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);

/* Fairs (ops_fairs.c): load args "fair" (not_found), whether the caller
 * runs it (admin, or its organizer), and whether it may run it now. */
int	ops_fair_load(struct op_ctx *, const cJSON *args, const char *key,
	    cJSON **fair, struct error *);
int	ops_fair_in_scope(const struct op_ctx *, const cJSON *fair);
int	ops_fair_runnable(struct op_ctx *, const cJSON *fair, struct error *);

/* Helpers shared by the handlers (ops_util.c). */
cJSON	*ops_wrap(const char *key, cJSON *obj);
int	 ops_oom(struct error *);
void	 ops_object_id(struct op_ctx *, long long id);
void	 ops_object_code(struct op_ctx *, const char *code);
int	 ops_list_filter(const cJSON *args, struct list_filter *);
int	 ops_is_admin(const struct op_ctx *);
/* The current year (UTC): a need's default year, this year's caps. */
int	 ops_this_year(void);
/*
 * Replace or add obj[key]: ops_set takes item, ops_set_dup copies v.  key
 * must be static text: the object keeps it, not a copy.
 */
void	 ops_set(cJSON *obj, const char *key, cJSON *item);
/* Add item (taken; NULL adds nothing) under key, static text, kept. */
void	 ops_add(cJSON *obj, const char *key, cJSON *item);
void	 ops_set_dup(cJSON *obj, const char *key, const cJSON *v);
/* obj[key] as a string (NULL unless one) or a number (0 unless one). */
const char *ops_str(const cJSON *obj, const char *key);
double	 ops_num(const cJSON *obj, const char *key);

#endif
