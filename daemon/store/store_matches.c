/*
 * store_matches.c: match runs, their matches and what they left
 * unmatched, and the meeting schedule of a fair.
 */
#include "daemon/store/store_priv.h"
#include "protocol/json_print.h"

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
#define LATEST_RUN "(SELECT MAX(run) FROM runs WHERE fair = m.fair)"

const char *const store_sql_matches[ST_COUNT] = {
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
	[ST_MEETINGS_PREV] = "SELECT need, offer, tbl, slot FROM meetings"
	    " WHERE fair = ?1 AND slot IS NOT NULL",
};

/* Whole needs and offers a run left unmatched (every column, as get). */
const struct store_select store_select_matches[ST_COUNT] = {
	[ST_UNMATCHED_NEEDS] = { NULL, STORE_NEED, "FROM needs WHERE id IN"
	    " (SELECT need FROM fair_needs WHERE fair = ?1)"
	    " AND status = 'open'"
	    " AND id NOT IN (SELECT need FROM matches WHERE fair = ?1"
	    " AND run = ?2)"
	    " AND (?3 IS NULL OR community = ?3) ORDER BY id" },
	[ST_UNMATCHED_OFFERS] = { NULL, STORE_OFFER, "FROM offers WHERE id IN"
	    " (SELECT offer FROM fair_offers WHERE fair = ?1)"
	    " AND id NOT IN (SELECT offer FROM matches WHERE fair = ?1"
	    " AND run = ?2)"
	    " AND (?3 IS NULL OR org = ?3) ORDER BY id" },
	[ST_RUN_UNMATCHED_NEEDS] = { NULL, STORE_NEED, "FROM needs WHERE id IN"
	    " (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'need') AND (?3 IS NULL OR community = ?3)"
	    " ORDER BY id" },
	[ST_RUN_UNMATCHED_OFFERS] = { NULL, STORE_OFFER, "FROM offers WHERE id"
	    " IN (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'offer') AND (?3 IS NULL OR org = ?3) ORDER BY id" },
};

static const struct store_field run_fields[] = {
	STORE_SHOWN("run", STORE_INT),
	STORE_SHOWN("algorithm", STORE_TEXT),
	STORE_SHOWN("pairs", STORE_INT),
	STORE_SHOWN("matched_needs", STORE_INT),
	STORE_SHOWN("unmatched_needs", STORE_INT),
	STORE_SHOWN("total_score", STORE_YUAN),	/* hundredths, like fen */
	STORE_SHOWN("total_amount", STORE_YUAN),
	STORE_SHOWN("capped", STORE_JSON),
	STORE_SHOWN("created", STORE_TEXT),
	{ NULL }
};
static const struct store_record_type run_shape = { "run", NULL, run_fields };

int
store_run_last(struct store *s, int64_t fair, int *run, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_RUN_LAST);
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
	sqlite3_stmt	*st = store_stmt(s, ST_RUN_INSERT);
	char		*capped, now[21];
	int		 rc;

	store_now(now);
	capped = json_print(args_get(sum, "capped"), NULL);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, algo);
	sqlite3_bind_int(st, 4, (int)args_num(sum, "pairs", 0));
	sqlite3_bind_int(st, 5, (int)args_num(sum, "matched_needs", 0));
	sqlite3_bind_int(st, 6, (int)args_num(sum, "unmatched_needs", 0));
	/* Points and yuan, both kept as hundredths. */
	sqlite3_bind_int64(st, 7, args_fen(sum, "total_score", 0));
	sqlite3_bind_int64(st, 8, args_fen(sum, "total_amount", 0));
	store_bind_text(st, 9, capped ? capped : "[]");
	store_bind_text(st, 10, now);
	rc = store_step_done(s, st, "run insert", err);
	cJSON_free(capped);
	return rc;
}

int
store_run_get(struct store *s, int64_t fair, int run, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_RUN_GET);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	return store_get_one(s, st, store_record_tree, &run_shape, out, err);
}

int
store_match_insert(struct store *s, const struct store_match *m, int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_MATCH_INSERT);
	char		 now[21];
	int		 i;

	store_now(now);
	sqlite3_bind_int64(st, 1, m->fair);
	sqlite3_bind_int(st, 2, m->run);
	sqlite3_bind_int64(st, 3, m->need);
	sqlite3_bind_int64(st, 4, m->offer);
	store_bind_text(st, 5, m->community);
	store_bind_text(st, 6, m->org);
	sqlite3_bind_int(st, 7, m->score);
	for (i = 0; i < 5; i++)
		sqlite3_bind_int(st, 8 + i, m->parts[i]);
	sqlite3_bind_int64(st, 13, m->amount);
	store_bind_text(st, 14, m->status);
	store_bind_text(st, 15, now);
	if (store_step_done(s, st, "match insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static cJSON *
match_row(const void *arg, sqlite3_stmt *st)
{
	static const char *const parts[] = { "category", "budget", "text",
	    "library", "locality" };
	cJSON	*o = cJSON_CreateObject(), *b;
	int	 i;

	(void)arg;
	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	cJSON_AddNumberToObject(o, "fair", (double)sqlite3_column_int64(st, 1));
	cJSON_AddNumberToObject(o, "run", sqlite3_column_int(st, 2));
	cJSON_AddNumberToObject(o, "need", (double)sqlite3_column_int64(st, 3));
	cJSON_AddNumberToObject(o, "offer",
	    (double)sqlite3_column_int64(st, 4));
	store_add_text(o, "community", st, 5);
	store_add_text(o, "org", st, 6);
	store_add_yuan(o, "score", st, 7);	/* hundredths, like fen */
	if ((b = cJSON_AddObjectToObject(o, "breakdown")) != NULL)
		for (i = 0; i < 5; i++)
			store_add_yuan(b, parts[i], st, 8 + i);
	store_add_yuan(o, "amount", st, 13);
	store_add_text(o, "status", st, 14);
	store_add_text(o, "need_title", st, 15);
	store_add_text(o, "offer_title", st, 16);
	store_add_text(o, "community_name", st, 17);
	store_add_text(o, "org_name", st, 18);
	store_add_text(o, "category", st, 19);
	return o;
}

int
store_run_unmatched_insert(struct store *s, int64_t fair, int run,
    int is_offer, int64_t item, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_RUN_UNMATCHED_INSERT);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, is_offer ? "offer" : "need");
	sqlite3_bind_int64(st, 4, item);
	return store_step_done(s, st, "run unmatched", err);
}

int
store_match_get(struct store *s, int64_t id, cJSON **out, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_MATCH_GET);

	sqlite3_bind_int64(st, 1, id);
	return store_get_one(s, st, match_row, NULL, out, err);
}

int
store_match_set_status(struct store *s, int64_t id, const char *status,
    struct error *err)
{
	return store_set_status(s, ST_MATCH_SET_STATUS, id, status, err);
}

int
store_matches_list(struct store *s, int64_t fair, int run,
    const char *community, const char *org, cJSON **items,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_MATCHES);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, community);
	store_bind_text(st, 4, org);
	return store_get_all(s, st, match_row, NULL, items, err);
}

int
store_meetings_replace_begin(struct store *s, int64_t fair, int slots_used,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_MEETINGS_DELETE);
	char		 now[21];

	sqlite3_bind_int64(st, 1, fair);
	if (store_step_done(s, st, "meetings delete", err) == -1)
		return -1;
	store_now(now);
	st = store_stmt(s, ST_FAIR_SET_SLOTS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, slots_used);
	store_bind_text(st, 3, now);
	return store_step_done(s, st, "fair slots", err);
}

int
store_meeting_insert(struct store *s, const struct store_meeting *m,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_MEETING_INSERT);

	sqlite3_bind_int64(st, 1, m->fair);
	sqlite3_bind_int64(st, 2, m->need);
	sqlite3_bind_int64(st, 3, m->offer);
	store_bind_text(st, 4, m->community);
	store_bind_text(st, 5, m->org);
	sqlite3_bind_int(st, 6, m->score);
	sqlite3_bind_int(st, 7, m->matched);
	if (m->slot > 0) {
		sqlite3_bind_int(st, 8, m->table);
		sqlite3_bind_int(st, 9, m->slot);
		store_bind_text(st, 10, m->start);
	}
	return store_step_done(s, st, "meeting insert", err);
}

static cJSON *
meeting_row(const void *arg, sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	(void)arg;
	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	cJSON_AddNumberToObject(o, "fair", (double)sqlite3_column_int64(st, 1));
	cJSON_AddNumberToObject(o, "need", (double)sqlite3_column_int64(st, 2));
	cJSON_AddNumberToObject(o, "offer",
	    (double)sqlite3_column_int64(st, 3));
	store_add_text(o, "community", st, 4);
	store_add_text(o, "org", st, 5);
	store_add_yuan(o, "score", st, 6);
	cJSON_AddBoolToObject(o, "matched", sqlite3_column_int(st, 7));
	if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
		cJSON_AddNullToObject(o, "table");
		cJSON_AddNullToObject(o, "slot");
	} else {
		cJSON_AddNumberToObject(o, "table", sqlite3_column_int(st, 8));
		cJSON_AddNumberToObject(o, "slot", sqlite3_column_int(st, 9));
	}
	store_add_text(o, "start", st, 10);
	store_add_text(o, "need_title", st, 11);
	store_add_text(o, "offer_title", st, 12);
	store_add_text(o, "community_name", st, 13);
	store_add_text(o, "org_name", st, 14);
	return o;
}

int
store_meetings_list(struct store *s, int64_t fair, int unscheduled,
    const char *community, const char *org, cJSON **items,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_MEETINGS_LIST);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, unscheduled != 0);
	store_bind_text(st, 3, community);
	store_bind_text(st, 4, org);
	return store_get_all(s, st, meeting_row, NULL, items, err);
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
	sqlite3_stmt	*st = store_stmt(s, ST_MEETINGS_PREV);

	sqlite3_bind_int64(st, 1, fair);
	return store_each_row(s, st, prev_row, &pa, err);
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
	st = store_stmt(s, run > 0 ? ST_RUN_UNMATCHED_NEEDS :
	    ST_UNMATCHED_NEEDS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, org ? "" : community);
	if (store_get_all(s, st, store_record_tree, &store_needs, needs,
	    err) == -1)
		return -1;
	st = store_stmt(s, run > 0 ? ST_RUN_UNMATCHED_OFFERS :
	    ST_UNMATCHED_OFFERS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, community ? "" : org);
	if (store_get_all(s, st, store_record_tree, &store_offers,
	    offers, err) == -1) {
		cJSON_Delete(*needs);
		*needs = NULL;
		return -1;
	}
	return 0;
}
