/*
 * store_runs.c: match runs, their matches and what each run left
 * unmatched; the pairs and confirmed amounts the matcher reads back.
 */
#include <math.h>

#include "daemon/store/store_fairs_priv.h"
#include "protocol/json_print.h"

#define MATCH_COLS "m.id, m.fair, m.run, m.need, m.offer, m.community, " \
	"m.org, m.score, m.s_category, m.s_budget, m.s_text, m.s_library, " \
	"m.s_locality, m.amount, m.status, n.title, o.title, " \
	"(SELECT name FROM accounts WHERE role = 'community' AND " \
	"code = m.community), (SELECT name FROM accounts WHERE role = 'org' " \
	"AND code = m.org), n.category"
#define LATEST_RUN "(SELECT MAX(run) FROM runs WHERE fair = m.fair)"

/* A JSON number of yuan (or points) as integer hundredths. */
static int64_t
llround_hundredths(double v)
{
	return (int64_t)llround(v * 100.0);
}

const char *const store_sql_runs[ST_COUNT] = {
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
	[ST_RUN_UNMATCHED_INSERT] = "INSERT INTO run_unmatched (fair, run,"
	    " kind, item) VALUES (?1, ?2, ?3, ?4)",
	[ST_RUN_UNMATCHED_NEEDS] = "SELECT " NEED_COLS " FROM needs WHERE id IN"
	    " (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'need') AND (?3 IS NULL OR community = ?3) ORDER BY id",
	[ST_RUN_UNMATCHED_OFFERS] = "SELECT " OFFER_COLS " FROM offers WHERE id"
	    " IN (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'offer') AND (?3 IS NULL OR org = ?3) ORDER BY id",
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
