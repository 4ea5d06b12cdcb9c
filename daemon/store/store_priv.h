/*
 * store_priv.h: what the store's files share: the connection, the
 * statements and the row helpers.  Not for use outside daemon/store*.c.
 */
#ifndef DAEMON_STORE_PRIV_H
#define DAEMON_STORE_PRIV_H

#include <sqlite3.h>

#include "daemon/store/store.h"

enum stmt_id {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_SAVEPOINT, ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_ACCOUNT_INSERT, ST_ACCOUNT_BY_HASH, ST_ACCOUNT_BY_CODE,
	ST_ACCOUNT_SET_HASH, ST_ACCOUNT_NEXT_ID,
	ST_COMMUNITY_INSERT, ST_COMMUNITY_GET, ST_COMMUNITY_LIST, ST_ORG_INSERT,
	ST_OFFER_ROW,
	ST_ORG_GET, ST_ORG_LIST,
	ST_ORGANIZER_GET,
	ST_NEED_INSERT, ST_NEED_UPDATE, ST_NEED_GET, ST_NEED_BY_REF,
	ST_NEED_LIST,
	ST_OFFER_INSERT, ST_OFFER_UPDATE, ST_OFFER_GET, ST_OFFER_BY_REF,
	ST_OFFER_LIST,
	ST_AUDIT_INSERT, ST_AUDIT_LIST,
	/* store_fairs.c */
	ST_FAIR_INSERT, ST_FAIR_GET, ST_FAIR_LIST, ST_FAIR_SET_STATUS,
	ST_FAIR_ENROLL_NEED, ST_FAIR_ENROLL_OFFER, ST_FAIR_NEEDS, ST_FAIR_OFFERS,
	ST_OPEN_NEEDS, ST_OPEN_OFFERS, ST_FAIR_PAIRS, ST_CONFIRMED_YEAR,
	ST_RUN_LAST, ST_RUN_INSERT, ST_MATCH_INSERT, ST_MATCHES, ST_RUN_GET,
	ST_UNMATCHED_NEEDS, ST_UNMATCHED_OFFERS, ST_MATCH_GET, ST_MATCH_SET_STATUS,
	ST_MEETINGS_DELETE, ST_MEETING_INSERT, ST_MEETINGS_LIST, ST_FAIR_SET_SLOTS,
	ST_MEETINGS_PREV, ST_RUN_UNMATCHED_INSERT, ST_RUN_UNMATCHED_NEEDS,
	ST_RUN_UNMATCHED_OFFERS,
	/* store_oversight.c */
	ST_OV_COMMUNITIES, ST_OV_ORGS, ST_OV_NEEDS, ST_OV_OFFERS, ST_OV_CONFIRMED,
	ST_OV_FAIRS,
	ST_COUNT
};

#define NEED_COLS "id, community, partners, street, title, category, " \
	"budget, description, beneficiaries, window_from, window_to, year, " \
	"status, ref, created, updated"
#define OFFER_COLS "id, org, partner, title, category, price, capacity, " \
	"remaining, streets, in_library, status, description, ref, created, " \
	"updated"

struct store {
	sqlite3		*db;
	sqlite3_stmt	*st[ST_COUNT];
	int		 in_txn;
	store_offer_hook offer_hook;	/* told of every offer written */
	void		*offer_hook_arg;
	void		(*token_hook)(void *);	/* told of token changes */
	void		*token_hook_arg;
	int		 reader;	/* store_open_reader's */
	store_offer_hook need_hook;	/* told of every need updated */
	void		*need_hook_arg;
};

#define CATEGORY_MATCHES(p) "(" p " IS NULL OR category = " p \
	" OR substr(category, 1, length(" p ") + 1) = " p " || '.')"

/* Each file's statements, indexed by stmt_id; NULL where another has it. */
extern const char *const store_sql_core[ST_COUNT];
extern const char *const store_sql_fairs[ST_COUNT];
extern const char *const store_sql_runs[ST_COUNT];
extern const char *const store_sql_meetings[ST_COUNT];
extern const char *const store_sql_oversight[ST_COUNT];

/* Map an SQLite result code to a protocol error; returns -1. */
int		 store_fail(struct store *, int rc, const char *what,
		    struct error *err);
/* Every row of st through fn (store_oversight.c): 0, or -1. */
int		 store_rows_each(struct store *, sqlite3_stmt *,
		    store_row_fn fn, void *arg, struct error *err);
/* Prepare every statement of s (its connection open): 0, or -1. */
int		 store_prepare(struct store *, struct error *err);
/* The statement, reset and unbound. */
sqlite3_stmt	*stmt(struct store *, enum stmt_id);
void		 bind_text(sqlite3_stmt *, int, const char *);
/* Step a statement that returns no rows: 0 or -1 with err set. */
int		 step_done(struct store *, sqlite3_stmt *, const char *what,
		    struct error *err);
/*
 * Row members.  key must be static text: rows are built on every read, so
 * the object keeps the key itself instead of a copy (cJSON's const keys).
 * add_item takes v (NULL: nothing added).
 */
void		 add_item(cJSON *, const char *key, cJSON *v);
void		 add_num(cJSON *, const char *key, double);
void		 add_text(cJSON *, const char *key, sqlite3_stmt *, int col);
void		 add_yuan(cJSON *, const char *key, sqlite3_stmt *, int col);
void		 add_json(cJSON *, const char *key, sqlite3_stmt *, int col);
/* One row through fn: 0, 1 when there is none, -1 on error. */
int		 get_one(struct store *, sqlite3_stmt *,
		    cJSON *(*fn)(sqlite3_stmt *), cJSON **out, struct error *);
/* {"items": [...], "next"} of up to limit rows (the statement asks for
 * limit + 1). */
/* Rows of needs and offers as objects (the columns of NEED_COLS etc). */
cJSON		*need_row(sqlite3_stmt *);
cJSON		*offer_row(sqlite3_stmt *);
int		 get_page(struct store *, sqlite3_stmt *,
		    cJSON *(*fn)(sqlite3_stmt *), int limit, cJSON **page,
		    struct error *);

#endif
