/*
 * store_priv.h: what the store's files share: the connection, the
 * statements, the row helpers and the record layer's insides.  Not for use
 * outside daemon/store/.  Every name carries the store_ prefix.
 */
#ifndef DAEMON_STORE_PRIV_H
#define DAEMON_STORE_PRIV_H

#include <stddef.h>
#include <time.h>
#include <sqlite3.h>

#include "daemon/store/store.h"
#include "protocol/args.h"

enum stmt_id {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_SAVEPOINT, ST_RELEASE,
	ST_ROLLBACK_TO,
	/* store_accounts.c */
	ST_ACCOUNT_INSERT, ST_ACCOUNT_BY_HASH, ST_ACCOUNT_BY_CODE,
	ST_ACCOUNT_SET_HASH, ST_ACCOUNT_NEXT_ID,
	ST_COMMUNITY_INSERT, ST_COMMUNITY_GET, ST_COMMUNITY_CAP,
	ST_COMMUNITY_LIST,
	ST_ORG_INSERT, ST_ORG_GET, ST_ORG_LIST,
	ST_ORGANIZER_GET,
	/* store_audit.c */
	ST_AUDIT_INSERT, ST_AUDIT_INSERT_8, ST_AUDIT_INSERT_32,
	ST_AUDIT_LIST, ST_AUDIT_LIST_NEWEST,
	/* store_fairs.c */
	ST_FAIR_INSERT, ST_FAIR_GET, ST_FAIR_LIST, ST_FAIR_SET_STATUS,
	ST_FAIR_UPDATE, ST_FAIR_PUBLISH,
	ST_FAIR_ENROLL_NEED, ST_FAIR_ENROLL_OFFER,
	ST_FAIR_NEEDS, ST_FAIR_OFFERS, ST_OPEN_NEEDS, ST_OPEN_OFFERS,
	ST_NEEDS_FOR_OFFER,
	ST_OFFER_ROW, ST_FAIR_PAIRS, ST_RESERVED_YEAR,
	/* store_matches.c, store_meetings.c */
	ST_RUN_LAST, ST_RUN_INSERT, ST_RUN_GET,
	ST_MATCH_INSERT, ST_MATCHES, ST_MATCH_GET, ST_MATCH_SET_STATUS,
	ST_MATCHES_PAGE, ST_MATCHES_LIVE_NEED, ST_MATCHES_LIVE_OFFER,
	ST_MATCH_PUBLISH_OUT, ST_MATCHES_RUN_WINDOW, ST_MATCHES_INSERT_ALL,
	ST_RUN_UNMATCHED_ALL, ST_MATCHES_RESTORE,
	ST_MATCHES_EXPIRE, ST_MATCHES_CARRY, ST_MEETINGS_MAX_TABLE,
	ST_MEETINGS_RESTART,
	ST_UNMATCHED_NEEDS, ST_UNMATCHED_OFFERS,
	ST_RUN_UNMATCHED_INSERT, ST_RUN_UNMATCHED_NEEDS,
	ST_RUN_UNMATCHED_OFFERS,
	ST_MEETINGS_DELETE, ST_MEETING_INSERT, ST_MEETINGS_LIST,
	ST_FAIR_SET_SLOTS, ST_MEETINGS_PREV,
	/* store_oversight.c */
	ST_OV_COMMUNITIES, ST_OV_ORGS, ST_OV_NEEDS, ST_OV_OFFERS,
	ST_OV_FAIRS, ST_OV_PROJECTS, ST_OV_FAILED,
	ST_OV_HISTORY_AFTER, ST_OV_PROJECT_NEEDS,
	/* store_projects.c */
	ST_PROJ_REJECTED, ST_PROJ_HISTORY_ADD, ST_PROJ_HISTORY,
	ST_PROJ_VOTE_ADD, ST_PROJ_VOTES, ST_OBJECTION_ADD, ST_OBJECTION_GET,
	ST_OBJECTIONS, ST_OBJECTION_RESOLVE, ST_ACCEPTANCE_ADD, ST_ACCEPTANCES,
	ST_ACCEPTANCES_VOID,
	/* store_projects_read.c */
	ST_PUBLIC_NOTICES, ST_RISK_RESOLVE,
	ST_RISK_RESOLUTIONS, ST_RISK_SEEN,
	/* store_events.c */
	ST_EVENT_INSERT, ST_EVENTS_RUN_PROPOSED, ST_EVENTS_SUPERSEDED, ST_EVENT_LAST, ST_EVENTS_READ, ST_MATCH_PARTIES,
	ST_MATCHES_DUE, ST_REMINDER_INSERT, ST_REMINDER_LAST,
	ST_WEBHOOK_INSERT, ST_WEBHOOK_GET, ST_WEBHOOK_LIST, ST_WEBHOOK_DELETE,
	ST_WEBHOOK_ADVANCE,
	/* store_streets.c */
	ST_STREET_INSERT, ST_STREET_GET, ST_STREET_BY_CODE, ST_STREET_LIST,
	ST_STREET_EXISTS,
	ST_CONSENT_INSERT, ST_CONSENT_DELETE, ST_CONSENT_MISSING,
	ST_CONSENT_PRUNE,
	/* store_interests.c */
	ST_INTEREST_DELETE, ST_INTEREST_INSERT, ST_INTERESTS_ALL,
	ST_INTERESTS_OF, ST_MATCHES_LIVE_PAIR,
	ST_COUNT
};

/* A record type's own statements, built from its fields at open. */
enum store_rec_stmt {
	REC_INSERT, REC_UPDATE, REC_GET, REC_BY_REF, REC_LIST, REC_STMTS
};

#define STORE_FIELDS_MAX	24

/* A record type as one connection holds it. */
struct store_rec {
	const struct store_record_type *type;
	char		 what[32];	/* "need write": in its errors */
	int		 nfields;
	sqlite3_stmt	*st[REC_STMTS];
	/* What the text printer writes before each member: {"id": ,"key": */
	char		*keys;		/* one block holding them all */
	const char	*key[STORE_FIELDS_MAX];
	size_t		 keylen[STORE_FIELDS_MAX];
	store_record_hook hook;		/* told of every write, or NULL */
	void		*hook_arg;
};

/*
 * An audit row waiting for the end of its turn (store_audit.c): the
 * turn's rows are written together, with multi-row INSERTs, just before
 * its COMMIT.  Each text fits its column's longest value as dispatch.c
 * writes it (a longer one is written at once instead).
 */
#define STORE_AUDIT_ROWS	64
struct store_audit_row {
	char	time[21];
	char	role[16];
	char	code[65];
	char	op[65];
	char	object[97];
	char	outcome[32];
	unsigned char	has;	/* STORE_AUDIT_HAS_*: which may be NULL are not */
};
#define STORE_AUDIT_HAS_ROLE	0x1
#define STORE_AUDIT_HAS_CODE	0x2
#define STORE_AUDIT_HAS_OBJECT	0x4

/* Accounts by code held by the loop's store (struct store's acct). */
#define STORE_ACCT_SLOTS	256

struct store {
	sqlite3		*db;
	sqlite3_stmt	*st[ST_COUNT];
	int		 in_txn;
	/* Rows changed before the open transaction, and whether the last
	 * commit changed any (store_commit_wrote). */
	sqlite3_int64	 changes_at_begin;
	int		 commit_wrote;
	/* The turn's audit rows not yet written, in order. */
	struct store_audit_row audit[STORE_AUDIT_ROWS];
	int		 naudit;
	struct store_rec rec[STORE_RECORDS];
	void		(*token_hook)(void *);	/* told of token changes */
	void		*token_hook_arg;
	int		 reader;	/* store_open_reader's */
	/*
	 * Accounts found by code (store_account_by_code: every event names
	 * its poster), made at the first.  An entry counts while its gen is
	 * acct_gen, which moves at every write of an account and every
	 * rollback (of a transaction or to a savepoint).
	 */
	struct store_acct_slot {
		unsigned long	gen;
		struct account	a;
	}		*acct;
	unsigned long	 acct_gen;
	/* Communities' caps found (store_community_cap: every need's post
	 * checks its budget), kept the same way: a cap is written once,
	 * with its community's account, and never updated. */
	struct store_cap_slot {
		unsigned long	gen;
		char		code[65];
		int64_t		cap;
	}		*caps;
	/* The map of the database (store_map_refresh): its limit, the file
	 * size it was last made for, and when that was checked. */
	sqlite3_int64	 map_limit, map_size;
	time_t		 map_checked;
	int		 map_flip;
};

#define EVENT_COLS "id, time, kind, otype, oid, fair, run, summary, " \
	"communities, orgs, streets, staff"
/* Step st, a statement of EVENT_COLS, handing each row to fn as an event
 * (valid during the call); reset.  SQLITE_DONE, -1 when fn failed, or the
 * step's failing code. */
int		 event_rows(sqlite3_stmt *, store_event_fn, void *,
		    struct error *);

#define CATEGORY_MATCHES(p) "(" p " IS NULL OR category = " p \
	" OR substr(category, 1, length(" p ") + 1) = " p " || '.')"

/*
 * A view: some columns of a record (and of what it joins) read into a C
 * struct for the matcher (struct store_need_row ...).  Each column is SQL
 * and the place of its value in the struct; text is valid while the row
 * is.  call hands the struct to the caller's typed function fn.
 */
enum store_ctype { STORE_C_INT64, STORE_C_INT, STORE_C_TEXT };

struct store_view_col {
	const char		*sql;
	size_t			 off;
	enum store_ctype	 type;
};

/* The structs views fill: one at a time, each from offset 0. */
union store_view_row {
	struct store_need_row	 need;
	struct store_offer_row	 offer;
};

struct store_view {
	const struct store_view_col *cols;	/* ends with a NULL sql */
	int			(*call)(void *fn, void *arg,
				    const union store_view_row *,
				    struct error *);
};

/* Shapes of rows read by hand-written statements: key and kind. */
#define STORE_SHOWN(key, kind)	{ key, NULL, kind, 0, STORE_UNFILTERED }

/*
 * A statement built at open: "SELECT <columns> <tail>", the columns those
 * of view, or with view NULL every column of record type rec (the fields'
 * order, so that store_record_tree reads its rows).
 */
struct store_select {
	const struct store_view	*view;
	enum store_record	 rec;
	const char		*tail;
};

/* Each file's statements, indexed by stmt_id; NULL where another has it. */
extern const char *const store_sql_core[ST_COUNT];
extern const char *const store_sql_accounts[ST_COUNT];
extern const char *const store_sql_audit[ST_COUNT];
extern const char *const store_sql_fairs[ST_COUNT];
extern const char *const store_sql_matches[ST_COUNT];
extern const char *const store_sql_oversight[ST_COUNT];
extern const char *const store_sql_streets[ST_COUNT];
extern const char *const store_sql_meetings[ST_COUNT];
extern const char *const store_sql_projects[ST_COUNT];
extern const char *const store_sql_projects_read[ST_COUNT];
extern const char *const store_sql_interests[ST_COUNT];
extern const struct store_select store_select_fairs[ST_COUNT];
extern const struct store_select store_select_matches[ST_COUNT];

/* The record types (store_needs.c, store_offers.c, store_projects.c) and
 * their views. */
extern const struct store_record_type store_needs, store_offers,
    store_projects;
extern const struct store_view store_need_view, store_offer_view;
extern const char *const store_sql_events[ST_COUNT];

/* Supersede the matches whose ids st (bound) selects, as a publication
 * (keeping the status each had) or not; their ids go to ids (may be NULL). */
int		 store_matches_supersede_rows(struct store *, sqlite3_stmt *st,
		    int publish, cJSON *ids, struct error *);
/* Write the audit rows store_audit_add held (store_commit does, before
 * COMMIT): 0, or -1 with err set (the rows are dropped either way). */
int		 store_audit_flush(struct store *, struct error *err);
/* Forget them: their transaction is rolled back. */
void		 store_audit_drop(struct store *);
/* Map an SQLite result code to a protocol error; returns -1. */
int		 store_fail(struct store *, int rc, const char *what,
		    struct error *err);
/* Every row of st through fn (store_oversight.c): 0, or -1. */
int		 store_rows_each(struct store *, sqlite3_stmt *,
		    store_row_fn fn, void *arg, struct error *err);
/*
 * A new store on a new connection to path (flags: SQLITE_OPEN_*), with
 * busy_ms of waiting for locks and extended result codes; NULL with err
 * set ("cannot open database PATH<why>: ...").  Free with store_close.
 */
struct store	*store_connect(const char *path, int flags, long busy_ms,
		    const char *why, struct error *err);
/* Prepare every statement of s (its connection open): 0, or -1. */
int		 store_prepare(struct store *, struct error *err);
/* The statement, reset and unbound. */
sqlite3_stmt	*store_stmt(struct store *, enum stmt_id);
/* Bind text (NULL: null) that outlives the statement's step. */
void		 store_bind_text(sqlite3_stmt *, int, const char *);
/* Step a statement that returns no rows: 0 or -1 with err set. */
int		 store_step_done(struct store *, sqlite3_stmt *,
		    const char *what, struct error *err);
/* Step st to its row: 0 (the caller resets st), 1 none, -1 (st reset). */
int		 store_step_row(struct store *, sqlite3_stmt *,
		    struct error *err);
/* Step st to the end, handing each row to row(st, arg, err), which
 * returns 0 to go on or -1 to stop (then this returns -1): 0 or -1. */
int		 store_each_row(struct store *, sqlite3_stmt *,
		    int (*row)(sqlite3_stmt *, void *, struct error *),
		    void *arg, struct error *);
/* UPDATE ... SET status = ?2, updated = now WHERE id = ?1, by which. */
int		 store_set_status(struct store *, enum stmt_id which,
		    int64_t id, const char *status, struct error *);
/* A column as text, "" for NULL. */
const char	*store_col_text(sqlite3_stmt *, int col);

/*
 * Row members.  key must be static text: rows are built on every read, so
 * the object keeps the key itself instead of a copy (cJSON's const keys).
 * store_add takes v (NULL: nothing added).
 */
void		 store_add(cJSON *, const char *key, cJSON *v);
void		 store_add_num(cJSON *, const char *key, double);
void		 store_add_text(cJSON *, const char *key, sqlite3_stmt *,
		    int col);
void		 store_add_yuan(cJSON *, const char *key, sqlite3_stmt *,
		    int col);
void		 store_add_json(cJSON *, const char *key, sqlite3_stmt *,
		    int col);

/*
 * Rows to objects: fn(arg, st) builds one (NULL when out of memory).
 * get_one steps a statement of at most one row: 0, 1 when there is none,
 * -1 on error.  get_page collects {"items": [...], "next"} of up to limit
 * rows (the statement asks for limit + 1).  get_all collects every row
 * into an array.
 */
typedef cJSON	*(*store_tree_fn)(const void *arg, sqlite3_stmt *);
int		 store_get_one(struct store *, sqlite3_stmt *, store_tree_fn,
		    const void *arg, cJSON **out, struct error *);
int		 store_get_page(struct store *, sqlite3_stmt *, store_tree_fn,
		    const void *arg, int limit, cJSON **page, struct error *);
int		 store_get_all(struct store *, sqlite3_stmt *, store_tree_fn,
		    const void *arg, cJSON **items, struct error *);

/* The record layer (store_record.c, store_record_sql.c). */
/* The columns a field takes (a window two). */
int		 store_field_width(const struct store_field *);
/* Build and prepare every record type's statements: 0 or -1. */
int		 store_records_open(struct store *, struct error *);
void		 store_records_close(struct store *);
/* The SQL of a built statement (the caller frees it), NULL when out of
 * memory. */
char		*store_select_sql(const struct store_select *);
/* A row of every column of a record type (arg) as its object. */
cJSON		*store_record_tree(const void *type, sqlite3_stmt *);
/* Hand every row of st (one row: store_view_one, 1 when none) read
 * through view to fn. */
int		 store_view_each(struct store *, sqlite3_stmt *,
		    const struct store_view *, void *fn, void *arg,
		    struct error *);
int		 store_view_one(struct store *, sqlite3_stmt *,
		    const struct store_view *, void *fn, void *arg,
		    struct error *);

#endif
