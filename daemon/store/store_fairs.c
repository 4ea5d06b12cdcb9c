/*
 * store_fairs.c: fairs, enrolment, match runs and matches.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/store/store_priv.h"
#include "protocol/json_print.h"

#define FAIR_COLS "f.id, f.name, f.date, f.street, f.start, f.tables, " \
	"f.slots, f.slot_minutes, f.status, f.organizer, f.created, " \
	"f.updated, (SELECT COUNT(*) FROM fair_needs WHERE fair = f.id), " \
	"(SELECT COUNT(*) FROM fair_offers WHERE fair = f.id), " \
	"(SELECT COUNT(*) FROM runs WHERE fair = f.id), f.slots_used"
#define MATCH_COLS "m.id, m.fair, m.run, m.need, m.offer, m.community, " \
	"m.org, m.score, m.s_category, m.s_budget, m.s_text, m.s_library, " \
	"m.s_locality, m.amount, m.status, n.title, o.title, " \
	"(SELECT name FROM accounts WHERE role = 'community' AND " \
	"code = m.community), (SELECT name FROM accounts WHERE role = 'org' " \
	"AND code = m.org), n.category"
#define MEETING_COLS "m.id, m.fair, m.need, m.offer, m.community, m.org, " \
	"m.score, m.matched, m.tbl, m.slot, m.start, n.title, o.title, " \
	"(SELECT name FROM accounts WHERE role = 'community' AND " \
	"code = m.community), (SELECT name FROM accounts WHERE role = 'org' " \
	"AND code = m.org)"
#define NEED_ROW_COLS "n.id, n.community, n.partners, n.street, " \
	"n.category, n.title, n.description, n.status, n.budget"
#define OFFER_ROW_COLS "o.id, o.org, COALESCE(a.street, ''), o.category, " \
	"o.title, o.description, o.status, o.streets, o.price, o.capacity, " \
	"o.remaining, o.in_library"
#define LATEST_RUN "(SELECT MAX(run) FROM runs WHERE fair = m.fair)"

/* A JSON number of yuan (or points) as integer hundredths. */
static int64_t
llround_hundredths(double v)
{
	return (int64_t)llround(v * 100.0);
}

const char *const store_sql_fairs[ST_COUNT] = {
	[ST_FAIR_INSERT] = "INSERT INTO fairs (name, date, street, start,"
	    " tables, slots, slot_minutes, status, organizer, created, updated)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?9)",
	[ST_FAIR_GET] = "SELECT " FAIR_COLS " FROM fairs f WHERE f.id = ?1",
	[ST_FAIR_LIST] = "SELECT " FAIR_COLS " FROM fairs f WHERE f.id > ?1"
	    " AND (?2 IS NULL OR f.street = ?2)"
	    " AND (?3 IS NULL OR f.status = ?3)"
	    " ORDER BY f.id LIMIT ?4",
	[ST_FAIR_SET_STATUS] = "UPDATE fairs SET status = ?2, updated = ?3"
	    " WHERE id = ?1",
	[ST_FAIR_ENROLL_NEED] = "INSERT OR IGNORE INTO fair_needs (fair, need)"
	    " VALUES (?1, ?2)",
	[ST_FAIR_ENROLL_OFFER] = "INSERT OR IGNORE INTO fair_offers (fair,"
	    " offer) VALUES (?1, ?2)",
	[ST_FAIR_NEEDS] = "SELECT " NEED_ROW_COLS " FROM fair_needs f"
	    " JOIN needs n ON n.id = f.need WHERE f.fair = ?1 ORDER BY n.id",
	[ST_FAIR_OFFERS] = "SELECT " OFFER_ROW_COLS " FROM fair_offers f"
	    " JOIN offers o ON o.id = f.offer"
	    " JOIN orgs g ON g.code = o.org JOIN accounts a ON a.id = g.account"
	    " WHERE f.fair = ?1 ORDER BY o.id",
	[ST_OFFER_ROW] = "SELECT " OFFER_ROW_COLS " FROM offers o"
	    " JOIN orgs g ON g.code = o.org JOIN accounts a ON a.id = g.account"
	    " WHERE o.id = ?1",
	[ST_OPEN_NEEDS] = "SELECT " NEED_ROW_COLS " FROM needs n"
	    " WHERE n.status = 'open' ORDER BY n.id",
	[ST_OPEN_OFFERS] = "SELECT " OFFER_ROW_COLS " FROM offers o"
	    " JOIN orgs g ON g.code = o.org JOIN accounts a ON a.id = g.account"
	    " WHERE o.status = 'open' ORDER BY o.id",
	[ST_FAIR_PAIRS] = "SELECT DISTINCT m.need, m.offer FROM matches m"
	    " WHERE m.fair = ?1 AND m.status = ?2"
	    " AND (?2 = 'declined' OR m.run = " LATEST_RUN ")",
	[ST_CONFIRMED_YEAR] = "SELECT n.community, n.partners, m.amount"
	    " FROM matches m JOIN fairs f ON f.id = m.fair"
	    " JOIN needs n ON n.id = m.need"
	    " WHERE m.status = 'confirmed' AND m.fair <> ?2"
	    " AND substr(f.date, 1, 4) = printf('%04d', ?1)"
	    " AND m.run = " LATEST_RUN,
	[ST_RUN_LAST] = "SELECT COALESCE(MAX(run), 0) FROM runs WHERE fair = ?1",
	[ST_RUN_INSERT] = "INSERT INTO runs (fair, run, algorithm, pairs,"
	    " matched_needs, unmatched_needs, total_score, total_amount,"
	    " capped, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_RUN_GET] = "SELECT run, algorithm, pairs, matched_needs,"
	    " unmatched_needs, total_score, total_amount, capped, created"
	    " FROM runs WHERE fair = ?1 AND run = ?2",
	[ST_MATCH_INSERT] = "INSERT INTO matches (fair, run, need, offer,"
	    " community, org, score, s_category, s_budget, s_text, s_library,"
	    " s_locality, amount, status, created, updated) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
	[ST_MATCHES] = "SELECT " MATCH_COLS " FROM matches m"
	    " JOIN needs n ON n.id = m.need JOIN offers o ON o.id = m.offer"
	    " WHERE m.fair = ?1 AND m.run = ?2"
	    " AND ((?3 IS NULL AND ?4 IS NULL) OR m.community = ?3"
	    " OR m.org = ?4 OR o.partner = ?4 OR EXISTS (SELECT 1 FROM"
	    " json_each(n.partners) WHERE value = ?3))"
	    " ORDER BY m.score DESC, m.amount, m.offer, m.need",
	[ST_UNMATCHED_NEEDS] = "SELECT " NEED_COLS " FROM needs WHERE id IN"
	    " (SELECT need FROM fair_needs WHERE fair = ?1)"
	    " AND status = 'open'"
	    " AND id NOT IN (SELECT need FROM matches WHERE fair = ?1"
	    " AND run = ?2)"
	    " AND (?3 IS NULL OR community = ?3) ORDER BY id",
	[ST_UNMATCHED_OFFERS] = "SELECT " OFFER_COLS " FROM offers WHERE id IN"
	    " (SELECT offer FROM fair_offers WHERE fair = ?1)"
	    " AND id NOT IN (SELECT offer FROM matches WHERE fair = ?1"
	    " AND run = ?2)"
	    " AND (?3 IS NULL OR org = ?3) ORDER BY id",
	[ST_MATCH_GET] = "SELECT " MATCH_COLS " FROM matches m"
	    " JOIN needs n ON n.id = m.need JOIN offers o ON o.id = m.offer"
	    " WHERE m.id = ?1",
	[ST_MATCH_SET_STATUS] = "UPDATE matches SET status = ?2, updated = ?3"
	    " WHERE id = ?1",
	[ST_MEETINGS_DELETE] = "DELETE FROM meetings WHERE fair = ?1",
	[ST_MEETING_INSERT] = "INSERT INTO meetings (fair, need, offer,"
	    " community, org, score, matched, tbl, slot, start) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_MEETINGS_LIST] = "SELECT " MEETING_COLS " FROM meetings m"
	    " JOIN needs n ON n.id = m.need JOIN offers o ON o.id = m.offer"
	    " WHERE m.fair = ?1 AND (?2 = (m.slot IS NULL))"
	    " AND ((?3 IS NULL AND ?4 IS NULL) OR m.community = ?3"
	    " OR m.org = ?4)"
	    " ORDER BY m.slot, m.tbl, m.score DESC, m.id",
	[ST_FAIR_SET_SLOTS] = "UPDATE fairs SET slots_used = ?2, updated = ?3"
	    " WHERE id = ?1",
	[ST_RUN_UNMATCHED_INSERT] = "INSERT INTO run_unmatched (fair, run,"
	    " kind, item) VALUES (?1, ?2, ?3, ?4)",
	[ST_RUN_UNMATCHED_NEEDS] = "SELECT " NEED_COLS " FROM needs WHERE id IN"
	    " (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'need') AND (?3 IS NULL OR community = ?3) ORDER BY id",
	[ST_RUN_UNMATCHED_OFFERS] = "SELECT " OFFER_COLS " FROM offers WHERE id"
	    " IN (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'offer') AND (?3 IS NULL OR org = ?3) ORDER BY id",
	[ST_MEETINGS_PREV] = "SELECT need, offer, tbl, slot FROM meetings"
	    " WHERE fair = ?1 AND slot IS NOT NULL",
};

static cJSON *
fair_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	add_text(o, "name", st, 1);
	add_text(o, "date", st, 2);
	add_text(o, "street", st, 3);
	add_text(o, "start", st, 4);
	cJSON_AddNumberToObject(o, "tables", sqlite3_column_int(st, 5));
	cJSON_AddNumberToObject(o, "slots", sqlite3_column_int(st, 6));
	cJSON_AddNumberToObject(o, "slot_minutes", sqlite3_column_int(st, 7));
	add_text(o, "status", st, 8);
	add_text(o, "organizer", st, 9);
	add_text(o, "created", st, 10);
	add_text(o, "updated", st, 11);
	cJSON_AddNumberToObject(o, "needs", sqlite3_column_int(st, 12));
	cJSON_AddNumberToObject(o, "offers", sqlite3_column_int(st, 13));
	cJSON_AddNumberToObject(o, "runs", sqlite3_column_int(st, 14));
	cJSON_AddNumberToObject(o, "slots_used", sqlite3_column_int(st, 15));
	return o;
}

int
store_fair_insert(struct store *s, const cJSON *f, int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_FAIR_INSERT);
	char		 now[21];
	const cJSON	*v;

	store_now(now);
	bind_text(st, 1, cJSON_GetStringValue(cJSON_GetObjectItem(f, "name")));
	bind_text(st, 2, cJSON_GetStringValue(cJSON_GetObjectItem(f, "date")));
	v = cJSON_GetObjectItem(f, "street");
	bind_text(st, 3, cJSON_IsString(v) ? v->valuestring : NULL);
	bind_text(st, 4, cJSON_GetStringValue(cJSON_GetObjectItem(f, "start")));
	sqlite3_bind_int(st, 5, cJSON_GetObjectItem(f, "tables")->valueint);
	sqlite3_bind_int(st, 6, cJSON_GetObjectItem(f, "slots")->valueint);
	sqlite3_bind_int(st, 7,
	    cJSON_GetObjectItem(f, "slot_minutes")->valueint);
	bind_text(st, 8, cJSON_GetStringValue(cJSON_GetObjectItem(f,
	    "organizer")));
	bind_text(st, 9, now);
	if (step_done(s, st, "fair insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_fair_get(struct store *s, int64_t id, cJSON **out, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_FAIR_GET);

	sqlite3_bind_int64(st, 1, id);
	return get_one(s, st, fair_row, out, err);
}

int
store_fair_list(struct store *s, const struct list_filter *f, cJSON **page,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_FAIR_LIST);

	sqlite3_bind_int64(st, 1, f->after);
	bind_text(st, 2, f->street);
	bind_text(st, 3, f->status);
	sqlite3_bind_int(st, 4, f->limit + 1);
	return get_page(s, st, fair_row, f->limit, page, err);
}

/* UPDATE ... SET status = ?2, updated = now WHERE id = ?1, by statement. */
static int
set_status(struct store *s, enum stmt_id which, int64_t id,
    const char *status, struct error *err)
{
	sqlite3_stmt	*st = stmt(s, which);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, status);
	bind_text(st, 3, now);
	return step_done(s, st, "status", err);
}

int
store_fair_set_status(struct store *s, int64_t id, const char *status,
    struct error *err)
{
	return set_status(s, ST_FAIR_SET_STATUS, id, status, err);
}

int
store_fair_enroll(struct store *s, int64_t fair, int is_offer, int64_t item,
    int *added, struct error *err)
{
	sqlite3_stmt *st = stmt(s, is_offer ? ST_FAIR_ENROLL_OFFER :
	    ST_FAIR_ENROLL_NEED);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int64(st, 2, item);
	if (step_done(s, st, "enroll", err) == -1)
		return -1;
	*added = sqlite3_changes(s->db) > 0;
	return 0;
}

static const char *
col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}

/* Step st to the end, handing each row to row(); 0 or -1. */
static int
each_row(struct store *s, sqlite3_stmt *st,
    int (*row)(sqlite3_stmt *, void *, struct error *), void *arg,
    struct error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(st, arg, err) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "read", err);
	return 0;
}

struct each_arg {
	void	*fn;
	void	*arg;
};

static int
need_each_row(sqlite3_stmt *st, void *p, struct error *err)
{
	struct each_arg		*ea = p;
	struct store_need_row	 r;

	r.id = sqlite3_column_int64(st, 0);
	r.community = col_text(st, 1);
	r.partners = col_text(st, 2);
	r.street = col_text(st, 3);
	r.category = col_text(st, 4);
	r.title = col_text(st, 5);
	r.description = col_text(st, 6);
	r.status = col_text(st, 7);
	r.budget = sqlite3_column_int64(st, 8);
	return ((store_need_fn)ea->fn)(ea->arg, &r, err);
}

static int
offer_each_row(sqlite3_stmt *st, void *p, struct error *err)
{
	struct each_arg		*ea = p;
	struct store_offer_row	 r;

	r.id = sqlite3_column_int64(st, 0);
	r.org = col_text(st, 1);
	r.org_street = col_text(st, 2);
	r.category = col_text(st, 3);
	r.title = col_text(st, 4);
	r.description = col_text(st, 5);
	r.status = col_text(st, 6);
	r.streets = col_text(st, 7);
	r.price = sqlite3_column_int64(st, 8);
	r.capacity = sqlite3_column_int(st, 9);
	r.remaining = sqlite3_column_int(st, 10);
	r.in_library = sqlite3_column_int(st, 11);
	return ((store_offer_fn)ea->fn)(ea->arg, &r, err);
}

int
store_needs_each(struct store *s, int64_t fair, store_need_fn fn, void *arg,
    struct error *err)
{
	struct each_arg	 ea = { (void *)fn, arg };
	sqlite3_stmt	*st = stmt(s, fair ? ST_FAIR_NEEDS : ST_OPEN_NEEDS);

	if (fair)
		sqlite3_bind_int64(st, 1, fair);
	return each_row(s, st, need_each_row, &ea, err);
}

int
store_offers_each(struct store *s, int64_t fair, store_offer_fn fn,
    void *arg, struct error *err)
{
	struct each_arg	 ea = { (void *)fn, arg };
	sqlite3_stmt	*st = stmt(s, fair ? ST_FAIR_OFFERS : ST_OPEN_OFFERS);

	if (fair)
		sqlite3_bind_int64(st, 1, fair);
	return each_row(s, st, offer_each_row, &ea, err);
}

int
store_offer_row(struct store *s, int64_t id, store_offer_fn fn, void *arg,
    struct error *err)
{
	struct each_arg	 ea = { (void *)fn, arg };
	sqlite3_stmt	*st = stmt(s, ST_OFFER_ROW);
	int		 rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, rc, "offer row", err);
	}
	rc = offer_each_row(st, &ea, err);
	sqlite3_reset(st);
	return rc;
}

static int
pair_each_row(sqlite3_stmt *st, void *p, struct error *err)
{
	struct each_arg *ea = p;

	return ((store_pair_fn)ea->fn)(ea->arg, sqlite3_column_int64(st, 0),
	    sqlite3_column_int64(st, 1), err);
}

int
store_fair_pairs_each(struct store *s, int64_t fair, const char *status,
    store_pair_fn fn, void *arg, struct error *err)
{
	struct each_arg	 ea = { (void *)fn, arg };
	sqlite3_stmt	*st = stmt(s, ST_FAIR_PAIRS);

	sqlite3_bind_int64(st, 1, fair);
	bind_text(st, 2, status);
	return each_row(s, st, pair_each_row, &ea, err);
}

static int
amount_each_row(sqlite3_stmt *st, void *p, struct error *err)
{
	struct each_arg *ea = p;

	return ((store_amount_fn)ea->fn)(ea->arg, col_text(st, 0),
	    col_text(st, 1), sqlite3_column_int64(st, 2), err);
}

int
store_confirmed_each(struct store *s, int year, int64_t except,
    store_amount_fn fn, void *arg, struct error *err)
{
	struct each_arg	 ea = { (void *)fn, arg };
	sqlite3_stmt	*st = stmt(s, ST_CONFIRMED_YEAR);

	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_int64(st, 2, except);
	return each_row(s, st, amount_each_row, &ea, err);
}

int
store_run_last(struct store *s, int64_t fair, int *run, struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_RUN_LAST);
	int		 rc;

	sqlite3_bind_int64(st, 1, fair);
	rc = sqlite3_step(st);
	*run = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "run last", err);
	return 0;
}

int
store_run_insert(struct store *s, int64_t fair, int run, const char *algo,
    const cJSON *sum, struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_RUN_INSERT);
	char		*capped, now[21];
	int		 rc;

	store_now(now);
	capped = json_print(cJSON_GetObjectItem(sum, "capped"), NULL);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	bind_text(st, 3, algo);
	sqlite3_bind_int(st, 4, cJSON_GetObjectItem(sum, "pairs")->valueint);
	sqlite3_bind_int(st, 5,
	    cJSON_GetObjectItem(sum, "matched_needs")->valueint);
	sqlite3_bind_int(st, 6,
	    cJSON_GetObjectItem(sum, "unmatched_needs")->valueint);
	sqlite3_bind_int64(st, 7, llround_hundredths(cJSON_GetObjectItem(sum,
	    "total_score")->valuedouble));
	sqlite3_bind_int64(st, 8, llround_hundredths(cJSON_GetObjectItem(sum,
	    "total_amount")->valuedouble));
	bind_text(st, 9, capped ? capped : "[]");
	bind_text(st, 10, now);
	rc = step_done(s, st, "run insert", err);
	cJSON_free(capped);
	return rc;
}

static cJSON *
run_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "run", sqlite3_column_int(st, 0));
	add_text(o, "algorithm", st, 1);
	cJSON_AddNumberToObject(o, "pairs", sqlite3_column_int(st, 2));
	cJSON_AddNumberToObject(o, "matched_needs", sqlite3_column_int(st, 3));
	cJSON_AddNumberToObject(o, "unmatched_needs",
	    sqlite3_column_int(st, 4));
	add_yuan(o, "total_score", st, 5);
	add_yuan(o, "total_amount", st, 6);
	add_json(o, "capped", st, 7);
	add_text(o, "created", st, 8);
	return o;
}

int
store_run_get(struct store *s, int64_t fair, int run, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_RUN_GET);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	return get_one(s, st, run_row, out, err);
}

int
store_match_insert(struct store *s, const struct store_match *m, int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_MATCH_INSERT);
	char		 now[21];
	int		 i;

	store_now(now);
	sqlite3_bind_int64(st, 1, m->fair);
	sqlite3_bind_int(st, 2, m->run);
	sqlite3_bind_int64(st, 3, m->need);
	sqlite3_bind_int64(st, 4, m->offer);
	bind_text(st, 5, m->community);
	bind_text(st, 6, m->org);
	sqlite3_bind_int(st, 7, m->score);
	for (i = 0; i < 5; i++)
		sqlite3_bind_int(st, 8 + i, m->parts[i]);
	sqlite3_bind_int64(st, 13, m->amount);
	bind_text(st, 14, m->status);
	bind_text(st, 15, now);
	if (step_done(s, st, "match insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Every row of st into a new array through fn. */
static int
get_all(struct store *s, sqlite3_stmt *st, cJSON *(*fn)(sqlite3_stmt *),
    cJSON **items, struct error *err)
{
	cJSON	*o;
	int	 rc;

	if ((*items = cJSON_CreateArray()) == NULL) {
		sqlite3_reset(st);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((o = fn(st)) == NULL)
			break;
		cJSON_AddItemToArray(*items, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(*items);
		*items = NULL;
		if (rc == SQLITE_ROW)
			return error_set(err, ERR_INTERNAL, NULL,
			    "out of memory");
		return store_fail(s, rc, "list", err);
	}
	return 0;
}

static cJSON *
match_row(sqlite3_stmt *st)
{
	static const char *const parts[] = { "category", "budget", "text",
	    "library", "locality" };
	cJSON	*o = cJSON_CreateObject(), *b;
	int	 i;

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	cJSON_AddNumberToObject(o, "fair", (double)sqlite3_column_int64(st, 1));
	cJSON_AddNumberToObject(o, "run", sqlite3_column_int(st, 2));
	cJSON_AddNumberToObject(o, "need", (double)sqlite3_column_int64(st, 3));
	cJSON_AddNumberToObject(o, "offer",
	    (double)sqlite3_column_int64(st, 4));
	add_text(o, "community", st, 5);
	add_text(o, "org", st, 6);
	add_yuan(o, "score", st, 7);	/* hundredths, like fen */
	if ((b = cJSON_AddObjectToObject(o, "breakdown")) != NULL)
		for (i = 0; i < 5; i++)
			add_yuan(b, parts[i], st, 8 + i);
	add_yuan(o, "amount", st, 13);
	add_text(o, "status", st, 14);
	add_text(o, "need_title", st, 15);
	add_text(o, "offer_title", st, 16);
	add_text(o, "community_name", st, 17);
	add_text(o, "org_name", st, 18);
	add_text(o, "category", st, 19);
	return o;
}

int
store_run_unmatched_insert(struct store *s, int64_t fair, int run,
    int is_offer, int64_t item, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_RUN_UNMATCHED_INSERT);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	bind_text(st, 3, is_offer ? "offer" : "need");
	sqlite3_bind_int64(st, 4, item);
	return step_done(s, st, "run unmatched", err);
}

int
store_match_get(struct store *s, int64_t id, cJSON **out, struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_MATCH_GET);

	sqlite3_bind_int64(st, 1, id);
	return get_one(s, st, match_row, out, err);
}

int
store_match_set_status(struct store *s, int64_t id, const char *status,
    struct error *err)
{
	return set_status(s, ST_MATCH_SET_STATUS, id, status, err);
}

int
store_meetings_replace_begin(struct store *s, int64_t fair, int slots_used,
    struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_MEETINGS_DELETE);
	char		 now[21];

	sqlite3_bind_int64(st, 1, fair);
	if (step_done(s, st, "meetings delete", err) == -1)
		return -1;
	store_now(now);
	st = stmt(s, ST_FAIR_SET_SLOTS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, slots_used);
	bind_text(st, 3, now);
	return step_done(s, st, "fair slots", err);
}

int
store_meeting_insert(struct store *s, const struct store_meeting *m,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_MEETING_INSERT);

	sqlite3_bind_int64(st, 1, m->fair);
	sqlite3_bind_int64(st, 2, m->need);
	sqlite3_bind_int64(st, 3, m->offer);
	bind_text(st, 4, m->community);
	bind_text(st, 5, m->org);
	sqlite3_bind_int(st, 6, m->score);
	sqlite3_bind_int(st, 7, m->matched);
	if (m->slot > 0) {
		sqlite3_bind_int(st, 8, m->table);
		sqlite3_bind_int(st, 9, m->slot);
		bind_text(st, 10, m->start);
	}
	return step_done(s, st, "meeting insert", err);
}

static cJSON *
meeting_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	cJSON_AddNumberToObject(o, "fair", (double)sqlite3_column_int64(st, 1));
	cJSON_AddNumberToObject(o, "need", (double)sqlite3_column_int64(st, 2));
	cJSON_AddNumberToObject(o, "offer",
	    (double)sqlite3_column_int64(st, 3));
	add_text(o, "community", st, 4);
	add_text(o, "org", st, 5);
	add_yuan(o, "score", st, 6);
	cJSON_AddBoolToObject(o, "matched", sqlite3_column_int(st, 7));
	if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
		cJSON_AddNullToObject(o, "table");
		cJSON_AddNullToObject(o, "slot");
	} else {
		cJSON_AddNumberToObject(o, "table", sqlite3_column_int(st, 8));
		cJSON_AddNumberToObject(o, "slot", sqlite3_column_int(st, 9));
	}
	add_text(o, "start", st, 10);
	add_text(o, "need_title", st, 11);
	add_text(o, "offer_title", st, 12);
	add_text(o, "community_name", st, 13);
	add_text(o, "org_name", st, 14);
	return o;
}

int
store_meetings_list(struct store *s, int64_t fair, int unscheduled,
    const char *community, const char *org, cJSON **items,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_MEETINGS_LIST);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, unscheduled != 0);
	bind_text(st, 3, community);
	bind_text(st, 4, org);
	return get_all(s, st, meeting_row, items, err);
}

struct prev_arg {
	store_place_fn	 fn;
	void		*arg;
};

static int
prev_row(sqlite3_stmt *st, void *p, struct error *err)
{
	struct prev_arg *pa = p;

	return pa->fn(pa->arg, sqlite3_column_int64(st, 0),
	    sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2),
	    sqlite3_column_int(st, 3), err);
}

int
store_meetings_prev_each(struct store *s, int64_t fair, store_place_fn fn,
    void *arg, struct error *err)
{
	struct prev_arg	 pa = { fn, arg };
	sqlite3_stmt	*st = stmt(s, ST_MEETINGS_PREV);

	sqlite3_bind_int64(st, 1, fair);
	return each_row(s, st, prev_row, &pa, err);
}

int
store_matches_list(struct store *s, int64_t fair, int run,
    const char *community, const char *org, cJSON **items,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_MATCHES);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	bind_text(st, 3, community);
	bind_text(st, 4, org);
	return get_all(s, st, match_row, items, err);
}

int
store_unmatched(struct store *s, int64_t fair, int run,
    const char *community, const char *org, cJSON **needs, cJSON **offers,
    struct error *err)
{
	sqlite3_stmt *st;

	*needs = *offers = NULL;
	/*
	 * A run keeps the lists it left unmatched; before the first run they
	 * are everything open that is enrolled.  A community sees no offers,
	 * an org no needs, of others.
	 */
	st = stmt(s, run > 0 ? ST_RUN_UNMATCHED_NEEDS : ST_UNMATCHED_NEEDS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	bind_text(st, 3, org ? "" : community);
	if (get_all(s, st, need_row, needs, err) == -1)
		return -1;
	st = stmt(s, run > 0 ? ST_RUN_UNMATCHED_OFFERS : ST_UNMATCHED_OFFERS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	bind_text(st, 3, community ? "" : org);
	if (get_all(s, st, offer_row, offers, err) == -1) {
		cJSON_Delete(*needs);
		*needs = NULL;
		return -1;
	}
	return 0;
}
