/*
 * store.h: the SQLite store.  It owns every SQL statement (prepared once at
 * open) and the one connection; nothing else in the daemon writes SQL.
 *
 * Records cross this interface as cJSON objects shaped exactly like the
 * objects of docs/protocol.md, "Objects" (amounts in yuan); the store converts
 * amounts to integer fen and back, so that money is stored exactly.
 * A cJSON object returned by a store_* function belongs to the caller.
 */
#ifndef DAEMON_STORE_H
#define DAEMON_STORE_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "protocol/error.h"

struct store;

#define TOKEN_HASH_BYTES	32

/* An account as authentication sees it. */
struct account {
	int64_t	id;
	char	role[16];
	char	code[65];
	char	name[808];
	char	street[260];	/* "" when none */
	unsigned char hash[TOKEN_HASH_BYTES];	/* the stored token hash */
};

/* Filters of need.list / offer.list: NULL or -1 means "do not filter". */
struct list_filter {
	const char	*street;
	const char	*owner;		/* community (needs) or org (offers) */
	const char	*category;	/* family.sub or family */
	const char	*status;
	int		 in_library;	/* offers: -1, 0 or 1 */
	int64_t		 after;
	int		 limit;
};

/*
 * Open (creating and migrating) the database; reads go through a memory map
 * of up to mmap_mib MiB of it (0: through read calls).  NULL with err set
 * on failure.
 */
struct store	*store_open(const char *path, int sync_full, long busy_ms,
		    long mmap_mib, struct error *err);
void		 store_close(struct store *);

/* Transactions.  All return 0, or -1 with err set. */
int	store_begin(struct store *, struct error *);
int	store_commit(struct store *, struct error *);
void	store_rollback(struct store *);
int	store_in_txn(struct store *);
int	store_savepoint(struct store *, struct error *);
void	store_savepoint_release(struct store *);
void	store_savepoint_rollback(struct store *);

/* Accounts.  Lookups return 0 when found, 1 when not, -1 on error. */
int	store_account_insert(struct store *, const char *role, const char *code,
	    const char *name, const char *street,
	    const unsigned char hash[TOKEN_HASH_BYTES], int64_t *id,
	    struct error *);
int	store_account_by_hash(struct store *,
	    const unsigned char hash[TOKEN_HASH_BYTES], struct account *,
	    struct error *);
int	store_account_by_code(struct store *, const char *role,
	    const char *code, struct account *, struct error *);
int	store_account_set_hash(struct store *, int64_t id,
	    const unsigned char hash[TOKEN_HASH_BYTES], struct error *);
int64_t	store_account_next_id(struct store *);

/* Communities and organisations. */
int	store_community_insert(struct store *, const char *code, int64_t cap,
	    int64_t account, struct error *);
int	store_community_get(struct store *, const char *code, cJSON **out,
	    struct error *);
int	store_org_insert(struct store *, const char *code, const char *kind,
	    const char *streets_json, int64_t account, struct error *);
int	store_org_get(struct store *, const char *code, cJSON **out,
	    struct error *);
/* Pages of communities / organisations by code; street, kind and after
 * (the last code seen) may be NULL. */
int	store_community_list(struct store *, const char *street,
	    const char *after, int limit, cJSON **page, struct error *);
int	store_org_list(struct store *, const char *street, const char *kind,
	    const char *after, int limit, cJSON **page, struct error *);
int	store_organizer_get(struct store *, const char *code, cJSON **out,
	    struct error *);

/*
 * Needs and offers.  insert takes the object (without id, created, updated)
 * and returns the new id, completing the object with id, created, updated
 * (and a null ref) so that it equals what get answers; update writes every
 * field of the object back.
 * get / by_ref return 0 with *out, 1 when there is none, -1 on error.
 */
int	store_need_insert(struct store *, cJSON *need, int64_t *id,
	    struct error *);
int	store_need_update(struct store *, const cJSON *need, struct error *);
int	store_need_get(struct store *, int64_t id, cJSON **out, struct error *);
/* The same record as JSON text (*out, the caller frees it): what
 * json_print writes of store_need_get's object.  0, 1 (none), or -1. */
int	store_need_get_text(struct store *, int64_t id, char **out,
	    struct error *);
int	store_need_by_ref(struct store *, const char *community,
	    const char *ref, cJSON **out, struct error *);
int	store_need_list(struct store *, const struct list_filter *,
	    cJSON **page, struct error *);
int	store_offer_insert(struct store *, cJSON *offer, int64_t *id,
	    struct error *);
int	store_offer_update(struct store *, const cJSON *offer, struct error *);
int	store_offer_get(struct store *, int64_t id, cJSON **out,
	    struct error *);
int	store_offer_by_ref(struct store *, const char *org, const char *ref,
	    cJSON **out, struct error *);
int	store_offer_list(struct store *, const struct list_filter *,
	    cJSON **page, struct error *);

/* The audit trail.  role and code may be NULL (no valid token). */
int	store_audit_insert(struct store *, const char *role, const char *code,
	    const char *op, const char *object, const char *outcome,
	    struct error *);
int	store_audit_list(struct store *, int64_t after, int limit,
	    cJSON **page, struct error *);

/* ---- fairs, runs, meetings (store_fairs.c, store_runs.c, store_meetings.c) */

/*
 * A fair: insert takes {name, date, street (string or null), start, tables,
 * slots, slot_minutes, organizer}; get answers the fair object with the
 * counts "needs", "offers" (enrolled) and "runs".
 */
int	store_fair_insert(struct store *, const cJSON *fair, int64_t *id,
	    struct error *);
int	store_fair_get(struct store *, int64_t id, cJSON **out,
	    struct error *);
int	store_fair_list(struct store *, const struct list_filter *,
	    cJSON **page, struct error *);
int	store_fair_set_status(struct store *, int64_t id, const char *status,
	    struct error *);

/* Enrol a need (is_offer 0) or offer; *added is 1 when it was not yet. */
int	store_fair_enroll(struct store *, int64_t fair, int is_offer,
	    int64_t item, int *added, struct error *);

/*
 * Rows for the matcher, read one at a time: the pointers are valid only
 * during the callback.  A callback returns 0 to go on, -1 to stop (then the
 * reader returns -1; the callback sets err).
 */
struct store_need_row {
	int64_t		 id;
	const char	*community;
	const char	*partners;	/* JSON array text */
	const char	*street;
	const char	*category;
	const char	*title;
	const char	*description;
	const char	*status;
	int64_t		 budget;	/* fen */
};

struct store_offer_row {
	int64_t		 id;
	const char	*org;
	const char	*org_street;	/* "" when the org gave none */
	const char	*category;
	const char	*title;
	const char	*description;
	const char	*status;
	const char	*streets;	/* JSON array text */
	int64_t		 price;		/* fen */
	int		 capacity;
	int		 remaining;
	int		 in_library;
};

typedef int (*store_need_fn)(void *, const struct store_need_row *,
    struct error *);
typedef int (*store_offer_fn)(void *, const struct store_offer_row *,
    struct error *);
typedef int (*store_pair_fn)(void *, int64_t need, int64_t offer,
    struct error *);
typedef int (*store_amount_fn)(void *, const char *community,
    const char *partners, int64_t amount, struct error *);

/* The needs (offers) enrolled in fair, or with fair 0 every open one. */
int	store_needs_each(struct store *, int64_t fair, store_need_fn, void *,
	    struct error *);
int	store_offers_each(struct store *, int64_t fair, store_offer_fn, void *,
	    struct error *);
/* The pairs of fair with status: declined ones of any run, confirmed ones
 * of the latest run. */
int	store_fair_pairs_each(struct store *, int64_t fair, const char *status,
	    store_pair_fn, void *, struct error *);
/* Confirmed matches of fairs dated in year (latest run of each fair),
 * except those of fair `except`: the need's community, partners, amount. */
int	store_confirmed_each(struct store *, int year, int64_t except,
	    store_amount_fn, void *, struct error *);

/* Runs and matches. */
int	store_run_last(struct store *, int64_t fair, int *run, struct error *);
int	store_run_insert(struct store *, int64_t fair, int run,
	    const char *algorithm, const cJSON *summary, struct error *);
int	store_run_get(struct store *, int64_t fair, int run, cJSON **out,
	    struct error *);

struct store_match {
	int64_t		 fair;
	int		 run;
	int64_t		 need, offer;
	const char	*community, *org;
	int32_t		 score;			/* hundredths */
	int32_t		 parts[5];		/* category .. locality */
	int64_t		 amount;		/* fen */
	const char	*status;
};

int	store_match_insert(struct store *, const struct store_match *,
	    int64_t *id, struct error *);
/* The matches of a run as an array; community / org NULL or a filter
 * (a row passes when either filter names it). */
int	store_matches_list(struct store *, int64_t fair, int run,
	    const char *community, const char *org, cJSON **items,
	    struct error *);
/* Remember that a need (or offer) was left unmatched by run. */
int	store_run_unmatched_insert(struct store *, int64_t fair, int run,
	    int is_offer, int64_t item, struct error *);
int	store_match_get(struct store *, int64_t id, cJSON **out,
	    struct error *);
int	store_match_set_status(struct store *, int64_t id, const char *status,
	    struct error *);

/* The meeting schedule: replace_begin drops the fair's meetings and
 * records slots_used; then insert each meeting (slot 0: unscheduled). */
struct store_meeting {
	int64_t		 fair, need, offer;
	const char	*community, *org;
	int32_t		 score;			/* hundredths */
	int		 matched;
	int		 table, slot;		/* 0, 0 when unscheduled */
	const char	*start;			/* HH:MM */
};

int	store_meetings_replace_begin(struct store *, int64_t fair,
	    int slots_used, struct error *);
int	store_meeting_insert(struct store *, const struct store_meeting *,
	    struct error *);
/* Scheduled (unscheduled 0) or unscheduled meetings as an array, filtered
 * like store_matches_list. */
int	store_meetings_list(struct store *, int64_t fair, int unscheduled,
	    const char *community, const char *org, cJSON **items,
	    struct error *);
/* Where each scheduled meeting of fair sits now. */
typedef int (*store_place_fn)(void *, int64_t need, int64_t offer, int table,
    int slot, struct error *);
int	store_meetings_prev_each(struct store *, int64_t fair, store_place_fn,
	    void *, struct error *);

/* The needs and offers run left unmatched (run 0: every open enrolled
 * one), filtered like store_matches_list. */
int	store_unmatched(struct store *, int64_t fair, int run,
	    const char *community, const char *org, cJSON **needs,
	    cJSON **offers, struct error *);

/* ---- oversight (store_oversight.c) ------------------------------------ */

/*
 * Whole-table reads for stats.* and risk.flags.  Columns, in order:
 *   COMMUNITIES  code, name, street, cap (fen)
 *   ORGS         code, name
 *   NEEDS        id, community, partners (JSON), street, category, title,
 *                status, created date (YYYY-MM-DD), window from ("" when
 *                none), year, budget (fen)
 *   OFFERS       id, org, category, price (fen), streets (JSON), status
 *   CONFIRMED    id, need, org, amount (fen), fair date, fair: the confirmed
 *                matches of the latest run of every fair
 *   FAIRS        id, street ("" for a district fair), date, runs
 */
enum store_ov {
	STORE_OV_COMMUNITIES, STORE_OV_ORGS, STORE_OV_NEEDS, STORE_OV_OFFERS,
	STORE_OV_CONFIRMED, STORE_OV_FAIRS
};

#define STORE_ROW_MAX	12

/* One row: each column as text ("" for NULL) and as an integer. */
struct store_row {
	int		 ncols;
	const char	*text[STORE_ROW_MAX];
	int64_t		 num[STORE_ROW_MAX];
};

typedef int (*store_row_fn)(void *, const struct store_row *,
    struct error *);

int	store_oversight_each(struct store *, enum store_ov, store_row_fn,
	    void *, struct error *);

/*
 * Tell fn (with arg) the id of every offer inserted or updated from now
 * on, so that a cache of offers can follow (suggest_index.c).
 */
typedef void (*store_offer_hook)(void *arg, int64_t offer);
void	store_set_offer_hook(struct store *, store_offer_hook fn, void *arg);

/*
 * Tell fn (with arg) the id of every need updated (not inserted) from now
 * on, so that a cache of needs can follow (domain/need_cache.c).
 */
void	store_set_need_hook(struct store *, store_offer_hook fn, void *arg);

/* Tell fn (with arg) whenever an account's token changes. */
void	store_set_token_hook(struct store *, void (*fn)(void *), void *arg);

/* One offer as a row for the matcher (0, 1 when there is none, -1). */
int	store_offer_row(struct store *, int64_t id, store_offer_fn, void *,
	    struct error *);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf (21 bytes). */
void	store_now(char buf[21]);

#endif
