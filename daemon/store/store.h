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

/* Filters of record lists: NULL or -1 means "do not filter". */
struct list_filter {
	const char	*street;
	const char	*owner;		/* community (needs) or org (offers) */
	const char	*category;	/* family.sub or family */
	const char	*status;
	int		 in_library;	/* offers: -1, 0 or 1 */
	const char	*org;		/* projects: the organisation */
	int		 year;		/* projects: 0 for every year */
	int64_t		 after;
	int		 limit;
};

/*
 * Set SQLite up for the process, before its first connection opens (later
 * it changes nothing): no memory statistics.  They cost every allocation
 * of SQLite's a global mutex and four counters, and nothing reads them;
 * Debian's SQLite has no lookaside, so a read of a row is a dozen
 * allocations (docs/performance.md, "The allocator").
 */
void		 store_library_init(void);

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
/* Whether the last store_commit committed and changed a row (so it wrote
 * to the WAL); 0 after a failed one. */
int	store_commit_wrote(const struct store *);

/* Accounts.  Lookups return 0 when found, 1 when not, -1 on error. */
int	store_account_insert(struct store *, const char *role, const char *code,
	    const char *name, const char *street,
	    const unsigned char hash[TOKEN_HASH_BYTES], int64_t *id,
	    struct error *);
int	store_account_by_hash(struct store *,
	    const unsigned char hash[TOKEN_HASH_BYTES], struct account *,
	    struct error *);
/* An account by role and code: 0, 1 when none, -1.  Its hash is not
 * filled (zero): by code an account is named, never authenticated. */
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
/* A community's yearly cap in fen: 0, 1 when there is no such community,
 * or -1 with err set.  The one column need.post's budget check reads. */
int	store_community_cap(struct store *, const char *code, int64_t *cap,
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

/* ---- records (store_record.c; store_needs.c, store_offers.c) --------- */

/*
 * A record type is described once, by the table of its fields: the store
 * derives from it the columns, the statements, the binds and both readers
 * (a cJSON tree, or JSON text straight from the row), and the ops derive
 * from it which arguments a post or an update copies.  The fields stand in
 * the order of the record's object; a field's key is its member (static
 * text: rows keep the key itself, not a copy).
 */
enum store_record {
	STORE_NEED,
	STORE_OFFER,
	STORE_PROJECT,
	STORE_RECORDS
};

enum store_kind {
	STORE_ID,	/* the row id, a number: the first field */
	STORE_TEXT,	/* a string, or null */
	STORE_YUAN,	/* a number of yuan, kept as whole fen */
	STORE_INT,	/* a whole number */
	STORE_JSON,	/* a JSON array, kept as its text ([] when absent) */
	STORE_WINDOW,	/* {"from", "to"} dates or null, kept in the two
			 * columns <column>_from and <column>_to */
	STORE_BOOL,	/* true or false, kept as 1 or 0 */
	STORE_CREATED,	/* the time of the insert, set by the store */
	STORE_UPDATED	/* the time of the last write, set by the store */
};

/* What a field is besides its value (flags). */
#define STORE_POST	0x01	/* a post copies it from its arguments */
#define STORE_UPDATE	0x02	/* an update copies it from its arguments */
#define STORE_OWNER	0x04	/* the owner's code: by_ref looks within it */
#define STORE_REF	0x08	/* the owner's reference (null when none) */
#define STORE_STAR	0x10	/* a list in which "*" stands for every value */
#define STORE_NULL	0x20	/* a number that may be null (a text may be) */

/*
 * The list filter (struct list_filter) a field answers to: a text or flag
 * by equality, a category also by its family, a JSON list by holding the
 * value.  Fields of one filter are alternatives.
 */
enum store_filter {
	STORE_UNFILTERED,
	STORE_BY_STREET,
	STORE_BY_OWNER,
	STORE_BY_CATEGORY,
	STORE_BY_STATUS,
	STORE_BY_LIBRARY,
	STORE_BY_ORG,
	STORE_BY_YEAR,
	STORE_FILTERS
};

struct store_field {
	const char		*key;
	const char		*column;
	enum store_kind		 kind;
	unsigned		 flags;
	enum store_filter	 filter;
};

struct store_record_type {
	const char		 *name;		/* "need": in messages */
	const char		 *table;
	const struct store_field *fields;	/* ends with a NULL key */
};

const struct store_record_type *store_record_type(enum store_record);

/*
 * insert takes the object (without id, created, updated) and returns the
 * new id, completing the object with id, created, updated (and a null ref)
 * so that it equals what get answers; update writes every field of the
 * object back.  get / by_ref return 0 with *out, 1 when there is none, -1
 * on error; get_text answers the text json_print writes of get's object
 * (*out, the caller frees it).  by_ref looks for the owner's ref.
 */
int	store_record_insert(struct store *, enum store_record, cJSON *rec,
	    int64_t *id, struct error *);
int	store_record_update(struct store *, enum store_record,
	    const cJSON *rec, struct error *);
int	store_record_get(struct store *, enum store_record, int64_t id,
	    cJSON **out, struct error *);
int	store_record_get_text(struct store *, enum store_record, int64_t id,
	    char **out, struct error *);
int	store_record_by_ref(struct store *, enum store_record,
	    const char *owner, const char *ref, cJSON **out, struct error *);
int	store_record_list(struct store *, enum store_record,
	    const struct list_filter *, cJSON **page, struct error *);

/*
 * Tell fn (with arg) the id of every record of the type inserted or
 * updated from now on (inserted: 1 for an insert), so that a cache can
 * follow (suggest_index.c follows the offers, need_cache.c the needs).
 */
typedef void (*store_record_hook)(void *arg, int64_t id, int inserted);
void	store_record_set_hook(struct store *, enum store_record,
	    store_record_hook fn, void *arg);

/* The audit trail.  role and code may be NULL (no valid token). */
int	store_audit_insert(struct store *, const char *role, const char *code,
	    const char *op, const char *object, const char *outcome,
	    struct error *);
/*
 * The same row, in the open transaction: held, and written with the
 * turn's other audit rows in a few multi-row INSERTs just before the
 * transaction's COMMIT (store_commit), in the order added; rolled back
 * with it.  Outside a transaction, written at once.  0, or -1 with err.
 */
int	store_audit_add(struct store *, const char *role, const char *code,
	    const char *op, const char *object, const char *outcome,
	    struct error *);
/*
 * A page of entries: oldest first after id `after`, or with newest newest
 * first before id `after` (0: from the newest); only those of op and of
 * code, and those stamped at or after since (UTC text, "2026-05-01" is its
 * first second), when not NULL.
 */
struct store_audit_filter {
	const char	*op, *code, *since;
	int		 newest;
};
int	store_audit_list(struct store *, const struct store_audit_filter *,
	    int64_t after, int limit, cJSON **page, struct error *);

/* ---- fairs, runs, matches, meetings (store_fairs.c, store_matches.c) */

/*
 * A fair: insert takes {name, date, street (string or null), start, tables,
 * slots, slot_minutes, organizer, rule, min_score}; get answers the fair
 * object with the counts "needs", "offers" (enrolled) and "runs", and the
 * runs published and scheduled (null when none).  update writes back
 * name, date, start, tables, slots, slot_minutes, rule and min_score of
 * the fair object (its "id"); publish makes run the published one.
 */
int	store_fair_insert(struct store *, const cJSON *fair, int64_t *id,
	    struct error *);
int	store_fair_update(struct store *, const cJSON *fair, struct error *);
int	store_fair_publish(struct store *, int64_t fair, int run,
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
	int		 year;		/* its caps' year */
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
/*
 * What the projects of year hold of the caps: every project not rejected
 * or cancelled (reserved from confirmation, docs/design.md "Caps and
 * money"), except those from matches of fair `except` (0: none): the
 * paying community, its partners and the amount.
 */
int	store_reserved_each(struct store *, int year, int64_t except,
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
	int32_t		 parts[6];		/* category .. interest */
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
/*
 * A page of a run's matches by id: f->after, f->limit, and the filters
 * f->street (a community: its rows and those of needs it shares),
 * f->owner (an org: its rows and those of its joint offers), f->status.
 */
int	store_matches_page(struct store *, int64_t fair, int run,
	    const struct list_filter *f, cJSON **page, struct error *);
/*
 * Supersede the live matches (proposed, accepted_by_*) of a need, of an
 * offer (any fair and run; not match `except`), or of run `run` of fair
 * id (a publication: each keeps the status it had, for
 * store_matches_restore).  Their ids are added to ids (may be NULL).
 */
enum store_live { STORE_LIVE_NEED, STORE_LIVE_OFFER, STORE_LIVE_RUN };
int	store_matches_supersede(struct store *, enum store_live, int64_t id,
	    int run, int64_t except, cJSON *ids, struct error *);
/*
 * store_matches_supersede of run `run` of fair, only its matches of ids
 * in (after, upto]: a publication written in slices (ops_match.c).  Their
 * ids, in id order, onto ids (may be NULL).
 */
int	store_matches_publish_out(struct store *, int64_t fair, int run,
	    int64_t after, int64_t upto, cJSON *ids, struct error *);
/*
 * The id of the n-th match of run `run` of fair after id `after`, in
 * *upto; INT64_MAX when fewer than n follow.  The matches of (after,
 * *upto] are then the next n at most: a slice of the run.  0, or -1.
 */
int	store_matches_run_window(struct store *, int64_t fair, int run,
	    int64_t after, int n, int64_t *upto, struct error *);
/* The matches of run that a publication superseded, back to their status
 * where their need and offer are still open on their terms. */
int	store_matches_restore(struct store *, int64_t fair, int run,
	    struct error *);
/* Copy into run the confirmed pairs of the fair it does not hold. */
int	store_matches_carry(struct store *, int64_t fair, int run,
	    struct error *);
/* The fair closes: its live matches expire (*n of them). */
int	store_matches_expire(struct store *, int64_t fair, int *n,
	    struct error *);
/* Remember that a need (or offer) was left unmatched by run. */
int	store_run_unmatched_insert(struct store *, int64_t fair, int run,
	    int is_offer, int64_t item, struct error *);
int	store_match_get(struct store *, int64_t id, cJSON **out,
	    struct error *);
int	store_match_set_status(struct store *, int64_t id, const char *status,
	    struct error *);

/* The meeting schedule: replace_begin drops the fair's meetings and
 * records slots_used and the run it is built from (0: none); then insert
 * each meeting (slot 0: unscheduled). */
struct store_meeting {
	int64_t		 fair, need, offer;
	const char	*community, *org;
	int32_t		 score;			/* hundredths */
	int		 matched, must;		/* must: a side said `must` */
	int		 table, slot;		/* 0, 0 when unscheduled */
	const char	*start;			/* HH:MM */
};

int	store_meetings_replace_begin(struct store *, int64_t fair,
	    int slots_used, int run, struct error *);
/* The highest table the schedule uses (0: none); set the start of every
 * meeting in slot. */
int	store_meetings_max_table(struct store *, int64_t fair, int *table,
	    struct error *);
int	store_meetings_restart(struct store *, int64_t fair, int slot,
	    const char *start, struct error *);
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

/* A page by id of the needs (is_offer 0) or offers run left unmatched
 * (run 0: every open enrolled one); party NULL, or the community (its own
 * and shared needs) or org (its own and joint offers) to keep. */
int	store_unmatched_page(struct store *, int64_t fair, int run,
	    int is_offer, const char *party, int64_t after, int limit,
	    cJSON **page, struct error *);

/* ---- streets and consents (store_streets.c) --------------------------- */

/*
 * The registry of streets.  get finds one by name, or by code when name is
 * NULL: {name, code, communities} (a count); exists answers 0 when the
 * name is registered, 1 when not, -1 on error.
 */
int	store_street_insert(struct store *, const char *name,
	    const char *code, struct error *);
int	store_street_get(struct store *, const char *name, const char *code,
	    cJSON **out, struct error *);
int	store_street_exists(struct store *, const char *name,
	    struct error *);
int	store_street_list(struct store *, cJSON **items, struct error *);
/* A partner community agrees to need (agree 1) or takes its agreement
 * back (0). */
int	store_consent_set(struct store *, int64_t need, const char *community,
	    int agree, struct error *);
/* Forget the agreements of communities no longer among partners (a JSON
 * array text) and count the partners yet to agree into *missing. */
int	store_consent_missing(struct store *, int64_t need,
	    const char *partners, int *missing, struct error *);

/* ---- projects (store_projects.c, store_projects_read.c) --------------- */

/*
 * A project is a record (STORE_PROJECT).  Its parts are rows of their own,
 * read as arrays of objects in the order they were made.
 */
enum store_part {
	STORE_PART_HISTORY, STORE_PART_VOTES, STORE_PART_OBJECTIONS,
	STORE_PART_ACCEPTANCES, STORE_PARTS
};

int	store_project_part(struct store *, int64_t project, enum store_part,
	    cJSON **items, struct error *);
/* The latest rejected project of need and offer: 0 with *id, 1 none. */
int	store_project_rejected(struct store *, int64_t need, int64_t offer,
	    int64_t *id, struct error *);

/* One step of a project's history: the stage it is in after the step, the
 * stage it left and since when it had been there (NULL: created), who,
 * the op, the date the caller gave (or NULL) and a note. */
struct store_step {
	const char	*stage, *prev, *prev_since;
	const char	*role, *code, *op, *date, *note;
};

int	store_project_history_add(struct store *, int64_t project,
	    const struct store_step *, struct error *);
/* A council vote {community, date, members, present, yes, no, abstain,
 * minutes, passed}; it replaces the community's earlier vote. */
int	store_project_vote_add(struct store *, int64_t project,
	    const cJSON *vote, struct error *);
int	store_objection_add(struct store *, int64_t project, const char *text,
	    const char *role, const char *code, int64_t *id, struct error *);
int	store_objection_get(struct store *, int64_t id, cJSON **out,
	    struct error *);
int	store_objection_resolve(struct store *, int64_t id,
	    const char *status, const char *note, const char *role,
	    const char *code, struct error *);
/* An acceptance of the current round; void ends the round (a failure). */
int	store_acceptance_add(struct store *, int64_t project,
	    const char *community, const char *org, int passed,
	    int satisfaction, const char *note, struct error *);
int	store_acceptances_void(struct store *, int64_t project,
	    struct error *);

/* The public notice board: projects in notice, newest first, at most
 * limit, with names instead of codes. */
int	store_public_notices(struct store *, int limit, cJSON **items,
	    struct error *);
/* Risk flags resolved: a key is resolved once (conflict after). */
int	store_risk_resolve(struct store *, const char *key, const char *note,
	    const char *role, const char *code, struct error *);
int	store_risk_resolutions(struct store *, cJSON **items, struct error *);
/*
 * Note that the flag of key was announced (risk.flagged): 1 when it is
 * new (*id its row), 0 when it was noted before, -1 with err set.
 */
int	store_risk_seen(struct store *, const char *key, int64_t *id,
	    struct error *);

/* ---- interests (store_interests.c) ------------------------------------ */

/* One interest: side "community" or "org", the party's code, need and
 * offer ids (0: the party-level one), level "must", "want" or "no". */
struct store_interest {
	const char	*side, *party, *level;
	int64_t		 need, offer;
};

/* Replace the party's interest on the subject (level NULL: clear it). */
int	store_interest_set(struct store *, int64_t fair,
	    const struct store_interest *, struct error *);
typedef int (*store_interest_fn)(void *, const struct store_interest *,
    struct error *);
/* Every interest of fair, in id order. */
int	store_interests_each(struct store *, int64_t fair, store_interest_fn,
	    void *, struct error *);
/* The interests of fair as an array: all (community and org NULL), or a
 * party's own and those about its needs (community) or offers (org). */
int	store_interests_list(struct store *, int64_t fair,
	    const char *community, const char *org, cJSON **items,
	    struct error *);
/* Supersede the live matches of fair with need (0: any), offer (0: any),
 * community (NULL: any) and org (NULL: any); their ids go to ids. */
int	store_matches_supersede_pair(struct store *, int64_t fair,
	    int64_t need, int64_t offer, const char *community,
	    const char *org, cJSON *ids, struct error *);

/* ---- oversight (store_oversight.c) ------------------------------------ */

/*
 * Whole-table reads for stats.* and risk.flags.  Columns, in order:
 *   COMMUNITIES  code, name, street, cap (fen)
 *   ORGS         code, name
 *   NEEDS        id, community, partners (JSON), street, category, title,
 *                status, created date (YYYY-MM-DD), window from ("" when
 *                none), year, budget (fen)
 *   OFFERS       id, org, category, price (fen), streets (JSON), status
 *   FAIRS        id, street ("" for a district fair), date, runs
 *   PROJECTS     id, need, org, amount, paid (fen), stage, year, street,
 *                community, created, since, beneficiaries_served, title,
 *                dated (its fair's date, or the day it was made outside
 *                a fair)
 *   FAILED       org, time, street, project: every failed acceptance
 *   PROJECT_NEEDS need: the needs of the projects dated in the year given
 *                (store_oversight_each_at), in need order
 * With store_oversight_each_at's text a year, NEEDS, PROJECTS and FAILED
 * keep that year's (NEEDS: also the needs of the year's projects).
 *   HISTORY_AFTER project, prev, prev_since: the history after the time
 *                given (store_oversight_each_at), in order
 */
enum store_ov {
	STORE_OV_COMMUNITIES, STORE_OV_ORGS, STORE_OV_NEEDS, STORE_OV_OFFERS,
	STORE_OV_FAIRS, STORE_OV_PROJECTS, STORE_OV_FAILED,
	STORE_OV_HISTORY_AFTER, STORE_OV_PROJECT_NEEDS
};

#define STORE_ROW_MAX	16

/* One row: each column that is a whole number as num (text ""), any
 * other as text ("" for NULL; num 0). */
struct store_row {
	int		 ncols;
	const char	*text[STORE_ROW_MAX];
	int64_t		 num[STORE_ROW_MAX];
};

typedef int (*store_row_fn)(void *, const struct store_row *,
    struct error *);

int	store_oversight_each(struct store *, enum store_ov, store_row_fn,
	    void *, struct error *);
/* The same with ?1 bound to text (a year, HISTORY_AFTER's time). */
int	store_oversight_each_at(struct store *, enum store_ov,
	    const char *text, store_row_fn, void *, struct error *);

/* Tell fn (with arg) whenever an account's token changes. */
void	store_set_token_hook(struct store *, void (*fn)(void *), void *arg);

/* One offer as a row for the matcher (0, 1 when there is none, -1). */
int	store_offer_row(struct store *, int64_t id, store_offer_fn, void *,
	    struct error *);

/* ---- events, webhooks, reminders (store_events.c, store_hooks.c) ----- */

/*
 * An event row.  Its audience lists (communities, orgs, streets) are
 * stored encoded: each item between two unit separators (STORE_LIST_SEP,
 * which no text value may hold), "" for none; a street "*" means every
 * street.  Reads hand out pointers valid only during the callback.
 */
#define STORE_LIST_SEP	'\x1f'

struct store_event {
	int64_t		 id;
	const char	*time;		/* YYYY-MM-DDTHH:MM:SSZ */
	const char	*kind;		/* "need.posted" ... */
	const char	*otype;		/* "need" ... */
	int64_t		 oid;
	int64_t		 fair;		/* 0: none */
	int		 run;		/* 0: none */
	const char	*summary;
	const char	*communities, *orgs, *streets;
	int		 staff;		/* organizers and the admin only */
};

typedef int (*store_event_fn)(void *, const struct store_event *,
    struct error *);

/* Insert ev (its id and time are set here: ev->time must be NULL); *id is
 * the new id. */
int	store_event_insert(struct store *, struct store_event *ev, int64_t *id,
	    struct error *);
/* The newest event id (0 when there is none). */
int	store_event_last(struct store *, int64_t *id, struct error *);

/*
 * Which events a reader takes: after < id <= upto, at most limit, in id
 * order; every event when all, else those whose audience holds community
 * or org (either may be NULL; never a staff-only event) or street (or
 * "*"; NULL: none).
 */
struct store_event_filter {
	int64_t		 after, upto;
	int		 limit;
	int		 all;
	const char	*community, *org, *street;
};

int	store_events_each(struct store *, const struct store_event_filter *,
	    store_event_fn, void *, struct error *);

/* The parties of a match and what an event says of it (store_events.c). */
struct store_match_party {
	int64_t		 id, fair;
	int		 run;
	const char	*status;
	const char	*community, *partners;	/* partners: JSON array */
	const char	*org, *partner;		/* partner: "" when none */
	const char	*need_street, *need_title, *offer_title;
	const char	*community_name, *org_name;
	const char	*created;
};

typedef int (*store_party_fn)(void *, const struct store_match_party *,
    struct error *);

/* The matches of run `run` of fair (match 0), or the one match. */
int	store_match_parties_each(struct store *, int64_t fair, int run,
	    int64_t match, store_party_fn, void *, struct error *);
/* The same for the matches of run `run` of fair of ids in (after, upto]. */
int	store_match_parties_range(struct store *, int64_t fair, int run,
	    int64_t after, int64_t upto, store_party_fn, void *,
	    struct error *);

/*
 * One event of kind for each proposed match of run `run` of fair, in one
 * statement (a run proposes thousands): to its parties (the community,
 * its partners, the org and its partner) and the streets of its need and
 * of the fair (fair_street, "" for none), summary made by SQLite's
 * printf(fmt, fair_name, run, community name, need title, org name, offer
 * title).  The same rows events_emit would write one by one.  Only the
 * matches of ids in (after, upto]: 0 and INT64_MAX for all.  0, or -1.
 */
int	store_events_run_proposed(struct store *, const char *kind,
	    int64_t fair, int run, int64_t after, int64_t upto,
	    const char *fair_name, const char *fair_street, const char *fmt,
	    struct error *);

/* match.superseded for each match of ids_json (a JSON array of ids), in
 * its order, as store_events_run_proposed does for proposals: summary
 * printf(fmt, its fair's name, need title, offer title, why). */
int	store_events_superseded(struct store *, const char *kind,
	    const char *ids_json, const char *fmt, const char *why,
	    struct error *);

/*
 * Reminders: from the match after `after` on, in id order, at most limit
 * matches created at or before cutoff: fn learns of each whether it still
 * awaits an answer in the latest run of an open fair and has had no
 * reminder (due).  *last is the last match looked at.
 */
typedef int (*store_due_fn)(void *, int64_t match, int due, struct error *);
int	store_matches_due(struct store *, int64_t after, const char *cutoff,
	    int limit, store_due_fn, void *, int64_t *last, struct error *);
int	store_reminder_insert(struct store *, int64_t match, struct error *);
/* The newest match that had a reminder (0: none). */
int	store_reminder_last(struct store *, int64_t *match, struct error *);

/* A webhook (insert: id, created and position unused but position). */
struct store_webhook {
	int64_t		 id;
	const char	*url, *kinds;		/* kinds: JSON array, [] all */
	const char	*format, *secret;
	const char	*role, *code, *street;	/* owner; street NULL: none */
	int64_t		 position;		/* last event it has had */
	const char	*created;
};

int	store_webhook_insert(struct store *, const struct store_webhook *,
	    int64_t *id, struct error *);
/* The webhook as a protocol object (no secret): 0, 1 none, -1. */
int	store_webhook_get(struct store *, int64_t id, cJSON **out,
	    struct error *);
/* Every webhook, or those of the owner role/code (NULL: all). */
int	store_webhook_list(struct store *, const char *role, const char *code,
	    cJSON **items, struct error *);
int	store_webhook_delete(struct store *, int64_t id, struct error *);
/* Move a webhook's position forward to position (never back). */
int	store_webhook_advance(struct store *, int64_t id, int64_t position,
	    struct error *);

/*
 * The webhook worker's own connection (store_hooks.c), for its thread
 * alone: it reads committed events and the webhooks, and writes nothing.
 */
struct store_hookdb;

struct store_hookdb *store_hookdb_open(const char *path, long busy_ms,
	    struct error *);
void	store_hookdb_close(struct store_hookdb *);
typedef int (*store_webhook_fn)(void *, const struct store_webhook *,
    struct error *);
int	store_hookdb_webhooks(struct store_hookdb *, store_webhook_fn, void *,
	    struct error *);
/* Every event after `after`, at most limit, in id order. */
int	store_hookdb_events(struct store_hookdb *, int64_t after, int limit,
	    store_event_fn, void *, struct error *);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf (21 bytes). */
void	store_now(char buf[21]);

#endif
