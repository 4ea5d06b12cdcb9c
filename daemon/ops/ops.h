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
struct op;
struct need_cache;

struct op_ctx {
	struct store		*store;
	const struct config	*conf;
	struct suggest_index	*sindex;	/* open offers, or NULL */
	/* The needs in memory (need_cache.h): on reader threads only, NULL
	 * on the loop thread (it restarts the read transaction). */
	struct need_cache	*ncache;
	const struct principal	*who;		/* NULL for token-less ops */
	const struct op		*op;		/* the operation being run */
	char			 object[96];	/* for the audit trail */
	/* OP_SPLIT: what compute made, for the handler (op_ctx_state). */
	void			*state;
	void			(*state_free)(void *);
	/*
	 * OP_SPLIT, a write in slices (core/jobs.c): with slice_rows > 0 a
	 * handler that can may write one slice of about that many rows and
	 * set more; it is then called again, in a later turn and the same
	 * transaction, with the same state, until it leaves more 0 and sets
	 * *result.  slice_rows 0: it writes everything now.
	 */
	int			 slice_rows;
	int			 more;
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
	const struct ops_record	*record;	/* the record of op_record_* */
	/*
	 * Where it runs (docs/performance.md, "Threads"); 0: on the loop
	 * thread, inside the turn's transaction.  Flags:
	 *   OP_READER    a read that needs nothing of the loop thread: it
	 *                runs on a reader thread, over a snapshot of what was
	 *                committed; with reader_if, only when args hold that
	 *                key (match.suggest {offer} scans the needs; {need}
	 *                uses the loop's index of open offers);
	 *   OP_SPLIT     a write whose long part is compute, on a reader; the
	 *                handler then writes its result on the loop, in one
	 *                savepoint, if nothing written meanwhile could change
	 *                it (core/jobs.h); with reader_if, only when args hold
	 *                that key (fair.enroll {all}: without it, compute and
	 *                handler run on the loop, one after the other);
	 *   OP_NEW_ONLY  a write that only adds records no computation has
	 *                read (a new need, offer, account): OP_SPLIT
	 *                computations stay valid across it;
	 *   OP_INDEX     a read of the loop's index of open offers
	 *                (match.suggest {need}): on the loop while the index
	 *                is current; on a reader, over an index of its own
	 *                read from the snapshot, while the loop's has a burst
	 *                of offer writes to read again (suggest_index_stale),
	 *                which would stop the loop for as long (0.5 s after
	 *                70,000 offer posts).
	 */
	unsigned		 where;
	op_compute		 compute;	/* OP_SPLIT */
	const char		*reader_if;	/* OP_READER, OP_SPLIT: only with
						 * this arg */
};

#define OP_READER	0x1u
#define OP_SPLIT	0x2u
#define OP_NEW_ONLY	0x4u
#define OP_INDEX	0x8u

/*
 * A record type as its operations see it (ops_record.c runs post, get,
 * list, update and withdraw for every type): the store's type, whose
 * fields say what a post and an update copy from their arguments, the
 * words of its answers and messages, and its own rules.
 */
struct ops_record {
	enum store_record	 type;
	const char		*name;		/* "need": {"need": ...} */
	const char		*a_name;	/* "a need" */
	const char		*owner;		/* its member and argument */
	const char		*an_owner;	/* "a community" */
	const char		*owner_kind;	/* "community" */
	const char *const	*changeable;	/* statuses an update changes */
	/*
	 * post: a post's checks and defaults on rec, which holds the owner,
	 * before the arguments are copied.  apply: after the arguments of a
	 * post (before NULL) or an update (before: the record as it was) are
	 * on rec.  withdraw: whether rec, not yet withdrawn, may be.
	 * posted: after the insert, the post's event (domain/events.h).
	 * Each returns 0, or -1 with err set.
	 */
	int	(*post)(struct op_ctx *, const cJSON *args, cJSON *rec,
		    struct error *);
	int	(*apply)(struct op_ctx *, const cJSON *args,
		    const cJSON *before, cJSON *rec, struct error *);
	int	(*withdraw)(const cJSON *rec, struct error *);
	/* After a post is stored (rec has its id): its event. */
	int	(*posted)(struct store *, const cJSON *rec, struct error *);
};

extern const struct ops_record ops_need, ops_offer;

const struct op	*ops_find(const char *name);
/* The table by position: ops_count() entries; ops_index(ops_at(i)) == i. */
size_t		 ops_count(void);
const struct op	*ops_at(size_t i);
size_t		 ops_index(const struct op *);
/* 1 when only the native transport serves op (events.watch): over HTTP it
 * answers bad_request. */
int		 ops_native_only(const struct op *);

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
int	op_record_post(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_record_get(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_record_list(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_record_update(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_record_withdraw(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_library_set(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);

int	op_fair_create(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_update(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_publish(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_street_create(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_street_list(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_need_consent(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_offer_consent(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_get(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_fair_list(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_fair_enroll(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_match_suggest(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_match(struct op_ctx *, const cJSON *, cJSON **, struct error *);
int	op_fair_interest(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_interests(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_fair_match_compute(struct op_ctx *, const cJSON *, struct error *);
int	op_fair_enroll_compute(struct op_ctx *, const cJSON *, struct error *);
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
int	op_risk_resolve(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_report_monthly(struct op_ctx *, const cJSON *, cJSON **,
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

int	op_events_watch(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_webhook_create(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_webhook_list(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_webhook_delete(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
/*
 * Every street argument of a request (ARG_STREET, ARG_STREETS of specs)
 * names a registered street, "*" standing for the whole district in a
 * list (ops_streets.c): dispatch checks it with the schema.  0, or -1
 * with err set (invalid_argument, reason unknown_street).
 */
int	ops_streets_check(struct op_ctx *, const struct arg_spec *specs,
	    const cJSON *args, struct error *);
/* Projects (ops_projects.c, ops_project_steps.c, ops_project_admin.c). */
int	op_project_create(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_get(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_list(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_deliberate(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_object(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_objection_resolve(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_start(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_progress(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_complete(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_accept(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_settle(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);
int	op_project_cancel(struct op_ctx *, const cJSON *, cJSON **,
	    struct error *);

/*
 * The public notice board (ops_public.c), read without a principal:
 * which is "notices" ({"now", "items"}) or "page" ({"content_type",
 * "data"}: the Chinese printable page).  Not an op: only the tokenless
 * HTTP routes of the board reach it (dispatch_public).
 */
int	ops_public(struct op_ctx *, const char *which, cJSON **result,
	    struct error *);

/* Fairs (ops_fairs.c): load args "fair" (not_found), whether the caller
 * runs it (admin, or its organizer), and whether it may run it now. */
int	ops_fair_load(struct op_ctx *, const cJSON *args, const char *key,
	    cJSON **fair, struct error *);
int	ops_fair_in_scope(const struct op_ctx *, const cJSON *fair);
int	ops_fair_runnable(struct op_ctx *, const cJSON *fair, struct error *);
/* Who reads fair's rows: a community or org its own (*community / *org
 * set, else NULL); an organizer outside its scope is refused: 0 or -1. */
int	ops_fair_reader(const struct op_ctx *, const cJSON *fair,
	    const char **community, const char **org, struct error *);
/*
 * Publish run of fair (ops_match.c): the live matches of the run it
 * replaces are superseded (their ids added to superseded), those a
 * publication superseded in run return where they still can, and run
 * takes in the fair's confirmed pairs.  0, or -1 with err set.
 */
int	ops_fair_publish_run(struct op_ctx *, const cJSON *fair, int run,
	    cJSON *superseded, struct error *);

/*
 * Records (ops_record.c): load args[key] of type rt (not_found), when owned
 * only for its owner or the admin (forbidden); save rec (taken) and answer
 * {name: rec} as stored.
 */
int	ops_record_load(struct op_ctx *, const struct ops_record *rt,
	    const cJSON *args, const char *key, int owned, cJSON **rec,
	    struct error *);
int	ops_record_save(struct op_ctx *, const struct ops_record *rt,
	    cJSON *rec, cJSON **result, struct error *);

/* Helpers shared by the handlers (ops_util.c). */
cJSON	*ops_wrap(const char *key, cJSON *obj);
int	 ops_oom(struct error *);
/*
 * error_set with a reason, the stable key the page and clients read
 * (docs/protocol.md, "Errors": quorum_not_met, stage_notice ...).
 * Returns -1.
 */
int	 ops_refuse(struct error *, enum err_code, const char *field,
	    const char *reason, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	 ops_object_id(struct op_ctx *, long long id);
void	 ops_object_code(struct op_ctx *, const char *code);
int	 ops_list_filter(const cJSON *args, struct list_filter *);
int	 ops_is_admin(const struct op_ctx *);
/* This year in time.zone (clock.h): a need's default year, this year's
 * caps. */
int	 ops_this_year(void);
/*
 * Replace or add obj[key]: ops_set takes item, ops_set_dup copies v.  key
 * must be static text: the object keeps it, not a copy.
 */
void	 ops_set(cJSON *obj, const char *key, cJSON *item);
/* Add item (taken; NULL adds nothing) under key, static text, kept. */
void	 ops_add(cJSON *obj, const char *key, cJSON *item);
void	 ops_set_dup(cJSON *obj, const char *key, const cJSON *v);
/*
 * Members are read by exact key through protocol/args.h (args_get ...);
 * for records and rows obj[key] as a string (NULL unless one) or a number
 * (0 unless one).
 */
const char *ops_str(const cJSON *obj, const char *key);
double	 ops_num(const cJSON *obj, const char *key);

#endif
