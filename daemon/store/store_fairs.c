/*
 * store_fairs.c: fairs, enrolment, and what the matcher reads of them:
 * the needs and offers of a fair (or every open one) through the views of
 * store_needs.c and store_offers.c, the pairs already decided, and the
 * amounts a year's projects hold of the caps.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/store/store_priv.h"

#define FAIR_COLS "f.id, f.name, f.date, f.street, f.start, f.tables, " \
	"f.slots, f.slot_minutes, f.status, f.organizer, f.created, " \
	"f.updated, (SELECT COUNT(*) FROM fair_needs WHERE fair = f.id), " \
	"(SELECT COUNT(*) FROM fair_offers WHERE fair = f.id), " \
	"(SELECT COUNT(*) FROM runs WHERE fair = f.id), f.slots_used, " \
	"f.rule, f.min_score, f.published, f.schedule_run"
/* The published run of the match's fair: it holds every confirmed pair of
 * the fair once (fair.match and fair.publish carry them in). */
#define PUBLISHED_RUN "(SELECT published FROM fairs WHERE id = m.fair)"
#define OFFERS_ORG "JOIN orgs g ON g.code = o.org" \
	" JOIN accounts a ON a.id = g.account"

const char *const store_sql_fairs[ST_COUNT] = {
	[ST_FAIR_INSERT] = "INSERT INTO fairs (name, date, street, start,"
	    " tables, slots, slot_minutes, status, organizer, created, updated,"
	    " rule, min_score) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8,"
	    " ?9, ?9, ?10, ?11)",
	[ST_FAIR_UPDATE] = "UPDATE fairs SET name = ?2, date = ?3, start = ?4,"
	    " tables = ?5, slots = ?6, slot_minutes = ?7, rule = ?8,"
	    " min_score = ?9, updated = ?10 WHERE id = ?1",
	[ST_FAIR_PUBLISH] = "UPDATE fairs SET published = ?2, updated = ?3"
	    " WHERE id = ?1",
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
	/* A confirmed pair whose project was rejected or cancelled is no
	 * longer carried: its need is open again. */
	[ST_FAIR_PAIRS] = "SELECT DISTINCT m.need, m.offer FROM matches m"
	    " WHERE m.fair = ?1 AND m.status = ?2"
	    " AND (?2 = 'declined' OR (m.run = " PUBLISHED_RUN
	    " AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.match = m.id"
	    " AND (p.stage = 'rejected' OR p.stage = 'cancelled'))))",
	/* What a year's projects hold of the caps (store.h). */
	[ST_RESERVED_YEAR] = "SELECT p.community, p.partners, p.amount"
	    " FROM projects p LEFT JOIN matches m ON m.id = p.match"
	    " WHERE p.year = ?1 AND p.stage <> 'rejected'"
	    " AND p.stage <> 'cancelled'"
	    " AND (?2 = 0 OR m.fair IS NULL OR m.fair <> ?2)",
};

/* The matcher's reads, through the views (n: needs, o: offers). */
const struct store_select store_select_fairs[ST_COUNT] = {
	[ST_FAIR_NEEDS] = { &store_need_view, STORE_NEED, "FROM fair_needs f"
	    " JOIN needs n ON n.id = f.need WHERE f.fair = ?1 ORDER BY n.id" },
	[ST_OPEN_NEEDS] = { &store_need_view, STORE_NEED, "FROM needs n"
	    " WHERE n.status = 'open' ORDER BY n.id" },
	/* store_needs_for_offer (store_scan.h): the cheap tests first, so
	 * that SQLite reads the text columns only of the rows that pass. */
	[ST_NEEDS_FOR_OFFER] = { &store_need_view, STORE_NEED, "FROM needs n"
	    " WHERE n.status = 'open' AND n.budget >= ?1"
	    " AND substr(n.category, 1, length(?2) + 1) = ?2 || '.'"
	    " AND (?3 OR n.street IN (SELECT value FROM json_each(?4)))"
	    " ORDER BY n.id" },
	[ST_FAIR_OFFERS] = { &store_offer_view, STORE_OFFER,
	    "FROM fair_offers f JOIN offers o ON o.id = f.offer " OFFERS_ORG
	    " WHERE f.fair = ?1 ORDER BY o.id" },
	[ST_OPEN_OFFERS] = { &store_offer_view, STORE_OFFER, "FROM offers o "
	    OFFERS_ORG " WHERE o.status = 'open' ORDER BY o.id" },
	[ST_OFFER_ROW] = { &store_offer_view, STORE_OFFER, "FROM offers o "
	    OFFERS_ORG " WHERE o.id = ?1" },
};

/* A fair as its object, with the counts of needs, offers and runs. */
static const struct store_field fair_fields[] = {
	STORE_SHOWN("id", STORE_ID),
	STORE_SHOWN("name", STORE_TEXT),
	STORE_SHOWN("date", STORE_TEXT),
	STORE_SHOWN("street", STORE_TEXT),
	STORE_SHOWN("start", STORE_TEXT),
	STORE_SHOWN("tables", STORE_INT),
	STORE_SHOWN("slots", STORE_INT),
	STORE_SHOWN("slot_minutes", STORE_INT),
	STORE_SHOWN("status", STORE_TEXT),
	STORE_SHOWN("organizer", STORE_TEXT),
	STORE_SHOWN("created", STORE_TEXT),
	STORE_SHOWN("updated", STORE_TEXT),
	STORE_SHOWN("needs", STORE_INT),
	STORE_SHOWN("offers", STORE_INT),
	STORE_SHOWN("runs", STORE_INT),
	STORE_SHOWN("slots_used", STORE_INT),
	STORE_SHOWN("rule", STORE_TEXT),
	STORE_SHOWN("min_score", STORE_YUAN),	/* hundredths, like fen */
	{ "published_run", NULL, STORE_INT, STORE_NULL, STORE_UNFILTERED },
	{ "schedule_run", NULL, STORE_INT, STORE_NULL, STORE_UNFILTERED },
	{ NULL }
};
static const struct store_record_type fair_shape = {
	"fair", NULL, fair_fields
};

int
store_fair_insert(struct store *s, const cJSON *f, int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_FAIR_INSERT);
	char		 now[21];

	store_now(now);
	store_bind_text(st, 1, args_str(f, "name", NULL));
	store_bind_text(st, 2, args_str(f, "date", NULL));
	store_bind_text(st, 3, args_str(f, "street", NULL));
	store_bind_text(st, 4, args_str(f, "start", NULL));
	sqlite3_bind_int(st, 5, (int)args_num(f, "tables", 0));
	sqlite3_bind_int(st, 6, (int)args_num(f, "slots", 0));
	sqlite3_bind_int(st, 7, (int)args_num(f, "slot_minutes", 0));
	store_bind_text(st, 8, args_str(f, "organizer", NULL));
	store_bind_text(st, 9, now);
	store_bind_text(st, 10, args_str(f, "rule", "sub"));
	sqlite3_bind_int64(st, 11, args_fen(f, "min_score", 0));
	if (store_step_done(s, st, "fair insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_fair_update(struct store *s, const cJSON *f, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_FAIR_UPDATE);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, (int64_t)args_num(f, "id", 0));
	store_bind_text(st, 2, args_str(f, "name", NULL));
	store_bind_text(st, 3, args_str(f, "date", NULL));
	store_bind_text(st, 4, args_str(f, "start", NULL));
	sqlite3_bind_int(st, 5, (int)args_num(f, "tables", 0));
	sqlite3_bind_int(st, 6, (int)args_num(f, "slots", 0));
	sqlite3_bind_int(st, 7, (int)args_num(f, "slot_minutes", 0));
	store_bind_text(st, 8, args_str(f, "rule", NULL));
	sqlite3_bind_int64(st, 9, args_fen(f, "min_score", 0));
	store_bind_text(st, 10, now);
	return store_step_done(s, st, "fair update", err);
}

int
store_fair_publish(struct store *s, int64_t fair, int run,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_FAIR_PUBLISH);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, now);
	return store_step_done(s, st, "fair publish", err);
}

int
store_fair_get(struct store *s, int64_t id, cJSON **out, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_FAIR_GET);

	sqlite3_bind_int64(st, 1, id);
	return store_get_one(s, st, store_record_tree, &fair_shape, out,
	    err);
}

int
store_fair_list(struct store *s, const struct list_filter *f, cJSON **page,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_FAIR_LIST);

	sqlite3_bind_int64(st, 1, f->after);
	store_bind_text(st, 2, f->street);
	store_bind_text(st, 3, f->status);
	sqlite3_bind_int(st, 4, f->limit + 1);
	return store_get_page(s, st, store_record_tree, &fair_shape,
	    f->limit, page, err);
}

int
store_fair_set_status(struct store *s, int64_t id, const char *status,
    struct error *err)
{
	return store_set_status(s, ST_FAIR_SET_STATUS, id, status, err);
}

int
store_fair_enroll(struct store *s, int64_t fair, int is_offer, int64_t item,
    int *added, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, is_offer ? ST_FAIR_ENROLL_OFFER :
	    ST_FAIR_ENROLL_NEED);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int64(st, 2, item);
	if (store_step_done(s, st, "enroll", err) == -1)
		return -1;
	*added = sqlite3_changes(s->db) > 0;
	return 0;
}

int
store_needs_each(struct store *s, int64_t fair, store_need_fn fn, void *arg,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, fair ? ST_FAIR_NEEDS : ST_OPEN_NEEDS);

	if (fair)
		sqlite3_bind_int64(st, 1, fair);
	return store_view_each(s, st, &store_need_view, (void *)fn, arg, err);
}

int
store_offers_each(struct store *s, int64_t fair, store_offer_fn fn,
    void *arg, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, fair ? ST_FAIR_OFFERS :
	    ST_OPEN_OFFERS);

	if (fair)
		sqlite3_bind_int64(st, 1, fair);
	return store_view_each(s, st, &store_offer_view, (void *)fn, arg,
	    err);
}

int
store_offer_row(struct store *s, int64_t id, store_offer_fn fn, void *arg,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_OFFER_ROW);

	sqlite3_bind_int64(st, 1, id);
	return store_view_one(s, st, &store_offer_view, (void *)fn, arg, err);
}

/* The callback of a store_*_each read and its argument. */
struct each_arg {
	void	*fn;
	void	*arg;
};

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
	sqlite3_stmt	*st = store_stmt(s, ST_FAIR_PAIRS);

	sqlite3_bind_int64(st, 1, fair);
	store_bind_text(st, 2, status);
	return store_each_row(s, st, pair_each_row, &ea, err);
}

static int
amount_each_row(sqlite3_stmt *st, void *p, struct error *err)
{
	struct each_arg *ea = p;

	return ((store_amount_fn)ea->fn)(ea->arg, store_col_text(st, 0),
	    store_col_text(st, 1), sqlite3_column_int64(st, 2), err);
}

int
store_reserved_each(struct store *s, int year, int64_t except,
    store_amount_fn fn, void *arg, struct error *err)
{
	struct each_arg	 ea = { (void *)fn, arg };
	sqlite3_stmt	*st = store_stmt(s, ST_RESERVED_YEAR);

	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_int64(st, 2, except);
	return store_each_row(s, st, amount_each_row, &ea, err);
}
