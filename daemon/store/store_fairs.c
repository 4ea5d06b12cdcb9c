/*
 * store_fairs.c: fairs and their enrolment, and the rows the matcher reads
 * (the needs and offers enrolled in a fair, or every open one).  Runs and
 * matches are in store_runs.c, the meeting schedule in store_meetings.c;
 * the row helpers the three share are here (store_fairs_priv.h).
 */
#include "daemon/store/store_fairs_priv.h"

#define FAIR_COLS "f.id, f.name, f.date, f.street, f.start, f.tables, " \
	"f.slots, f.slot_minutes, f.status, f.organizer, f.created, " \
	"f.updated, (SELECT COUNT(*) FROM fair_needs WHERE fair = f.id), " \
	"(SELECT COUNT(*) FROM fair_offers WHERE fair = f.id), " \
	"(SELECT COUNT(*) FROM runs WHERE fair = f.id), f.slots_used"
#define OFFER_ROW_COLS "o.id, o.org, COALESCE(a.street, ''), o.category, " \
	"o.title, o.description, o.status, o.streets, o.price, o.capacity, " \
	"o.remaining, o.in_library"

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
int
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

const char *
col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}

/* Step st to the end, handing each row to row(); 0 or -1. */
int
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

/* Every row of st into a new array through fn. */
int
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

int
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
