/*
 * store_matches.c: match runs, their matches and what they left
 * unmatched; the statuses a publication, an update, a confirmation and a
 * closing fair move matches to (store_meetings.c has the schedule).
 */
#include <assert.h>
#include <stdlib.h>

#include "daemon/store/store_priv.h"
#include "protocol/json_print.h"

#define MATCH_COLS "m.id, m.fair, m.run, m.need, m.offer, m.community, " \
	"m.org, m.score, m.s_category, m.s_budget, m.s_text, m.s_library, " \
	"m.s_locality, m.amount, m.status, n.title, o.title, " \
	"(SELECT name FROM accounts WHERE role = 'community' AND " \
	"code = m.community), (SELECT name FROM accounts WHERE role = 'org' " \
	"AND code = m.org), n.category, m.t_need_title, m.t_need_category, " \
	"m.t_budget, m.t_offer_title, m.t_offer_category, m.t_price, " \
	"m.s_interest"
/* A match both sides may still answer. */
#define LIVE(c) "(" c " = 'proposed' OR " c " = 'accepted_by_community'" \
	" OR " c " = 'accepted_by_org')"
/* Rows a community filter (?c) and an org filter (?o) keep: a partner's
 * rows are its own. */
#define PARTY_FILTER(c, o) " AND (" c " IS NULL OR m.community = " c \
	" OR EXISTS (SELECT 1 FROM json_each(n.partners) WHERE value = " c \
	")) AND (" o " IS NULL OR m.org = " o " OR o.partner = " o ")"

const char *const store_sql_matches[ST_COUNT] = {
	[ST_RUN_LAST] = "SELECT COALESCE(MAX(run), 0) FROM runs WHERE fair = ?1",
	[ST_RUN_INSERT] = "INSERT INTO runs (fair, run, algorithm, pairs,"
	    " matched_needs, unmatched_needs, total_score, total_amount,"
	    " capped, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_RUN_GET] = "SELECT run, algorithm, pairs, matched_needs,"
	    " unmatched_needs, total_score, total_amount, capped, created"
	    " FROM runs WHERE fair = ?1 AND run = ?2",
	/* The terms are the need's and the offer's as they are now. */
	[ST_MATCH_INSERT] = "INSERT INTO matches (fair, run, need, offer,"
	    " community, org, score, s_category, s_budget, s_text, s_library,"
	    " s_locality, amount, status, created, updated, t_need_title,"
	    " t_need_category, t_budget, t_offer_title, t_offer_category,"
	    " t_price, s_interest) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?14, ?15, ?15, n.title, n.category, n.budget,"
	    " o.title, o.category, o.price, ?16 FROM needs n, offers o"
	    " WHERE n.id = ?3 AND o.id = ?4",
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
	[ST_MATCH_SET_STATUS] = "UPDATE matches SET status = ?2, updated = ?3,"
	    " prev_status = NULL WHERE id = ?1",
	[ST_MATCHES_PAGE] = "SELECT " MATCH_COLS " FROM matches m"
	    " JOIN needs n ON n.id = m.need JOIN offers o ON o.id = m.offer"
	    " WHERE m.fair = ?1 AND m.run = ?2 AND m.id > ?3"
	    PARTY_FILTER("?4", "?5") " AND (?6 IS NULL OR m.status = ?6)"
	    " ORDER BY m.id LIMIT ?7",
	[ST_MATCHES_LIVE_NEED] = "SELECT id FROM matches WHERE need = ?1"
	    " AND " LIVE("status") " AND id <> ?2 ORDER BY id",
	[ST_MATCHES_LIVE_OFFER] = "SELECT id FROM matches WHERE offer = ?1"
	    " AND " LIVE("status") " AND id <> ?2 ORDER BY id",
	/* Superseded by a publication, the whole run in one statement (a
	 * run holds thousands of pairs): the status each had is kept. */
	[ST_MATCH_PUBLISH_OUT] = "UPDATE matches SET prev_status = status,"
	    " status = 'superseded', updated = ?3 WHERE fair = ?1"
	    " AND run = ?2 AND id > ?4 AND id <= ?5 AND " LIVE("status")
	    " RETURNING id",
	/*
	 * A run's pairs from the JSON rows ?4, and its unmatched ids from the
	 * JSON array ?4 (store_scan.h): one statement each, prepared once (a
	 * run written in slices runs them a hundred times).  The pairs' CHECK
	 * on status is compiled once, not per row as a statement per pair
	 * would; the terms of need and offer as they stand now are kept with
	 * each pair (ST_MATCH_INSERT's t_*).
	 */
	[ST_MATCHES_INSERT_ALL] = "INSERT INTO matches (fair, run, need,"
	    " offer, community, org, score, s_category, s_budget, s_text,"
	    " s_library, s_locality, s_interest, amount, status, created,"
	    " updated, t_need_title, t_need_category, t_budget, t_offer_title,"
	    " t_offer_category, t_price) SELECT ?1, ?2,"
	    " j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3,"
	    " j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7,"
	    " j.value ->> 8, j.value ->> 9, j.value ->> 10, j.value ->> 11,"
	    " j.value ->> 12, ?3, ?3, n.title, n.category, n.budget, o.title,"
	    " o.category, o.price FROM json_each(?4) j"
	    " JOIN needs n ON n.id = j.value ->> 0"
	    " JOIN offers o ON o.id = j.value ->> 1 ORDER BY j.key",
	[ST_RUN_UNMATCHED_ALL] = "INSERT INTO run_unmatched (fair, run, kind,"
	    " item) SELECT ?1, ?2, ?3, value FROM json_each(?4)"
	    " WHERE value > 0",
	/* Where a slice of n matches of a run after ?3 ends (?4: n - 1). */
	[ST_MATCHES_RUN_WINDOW] = "SELECT id FROM matches WHERE fair = ?1"
	    " AND run = ?2 AND id > ?3 ORDER BY id LIMIT 1 OFFSET ?4",
	/*
	 * Published again: back to the status it had, when its need and
	 * offer are still open on the terms it was proposed on.
	 */
	[ST_MATCHES_RESTORE] = "UPDATE matches SET status = prev_status,"
	    " prev_status = NULL, updated = ?3 WHERE fair = ?1 AND run = ?2"
	    " AND status = 'superseded' AND prev_status IS NOT NULL"
	    " AND EXISTS (SELECT 1 FROM needs n WHERE n.id = matches.need"
	    " AND n.status = 'open' AND n.title = t_need_title"
	    " AND n.category = t_need_category AND n.budget = t_budget)"
	    " AND EXISTS (SELECT 1 FROM offers o WHERE o.id = matches.offer"
	    " AND o.status = 'open' AND o.remaining > 0"
	    " AND o.title = t_offer_title AND o.category = t_offer_category"
	    " AND o.price = t_price)",
	[ST_MATCHES_EXPIRE] = "UPDATE matches SET status = 'expired',"
	    " prev_status = NULL, updated = ?2 WHERE fair = ?1 AND "
	    LIVE("status"),
	/* The confirmed pairs of the fair that run lacks, carried into it
	 * with their frozen terms. */
	[ST_MATCHES_CARRY] = "INSERT INTO matches (fair, run, need, offer,"
	    " community, org, score, s_category, s_budget, s_text, s_library,"
	    " s_locality, amount, status, created, updated, t_need_title,"
	    " t_need_category, t_budget, t_offer_title, t_offer_category,"
	    " t_price, s_interest) SELECT fair, ?2, need, offer, community,"
	    " org, score, s_category, s_budget, s_text, s_library, s_locality,"
	    " amount, 'confirmed', ?3, ?3, t_need_title, t_need_category,"
	    " t_budget, t_offer_title, t_offer_category, t_price, s_interest"
	    " FROM matches m"
	    " WHERE m.fair = ?1 AND m.status = 'confirmed' AND m.run <> ?2"
	    " AND m.id = (SELECT MIN(id) FROM matches x WHERE x.fair = ?1"
	    " AND x.need = m.need AND x.offer = m.offer"
	    " AND x.status = 'confirmed')"
	    " AND NOT EXISTS (SELECT 1 FROM matches y WHERE y.fair = ?1"
	    " AND y.run = ?2 AND y.need = m.need AND y.offer = m.offer"
	    " AND y.status = 'confirmed') ORDER BY m.need",
	[ST_RUN_UNMATCHED_INSERT] = "INSERT INTO run_unmatched (fair, run,"
	    " kind, item) VALUES (?1, ?2, ?3, ?4)",
};

/* A party filter ?3 on needs (its own or shared) and on offers (its own
 * or joint); pages go by id after ?4, ?5 rows. */
#define NEED_OF(c) " AND (" c " IS NULL OR community = " c " OR EXISTS" \
	" (SELECT 1 FROM json_each(partners) WHERE value = " c "))"
#define OFFER_OF(o) " AND (" o " IS NULL OR org = " o " OR partner = " o ")"
#define PAGE_BY_ID " AND id > ?4 ORDER BY id LIMIT ?5"

/* Whole needs and offers a run left unmatched (every column, as get). */
const struct store_select store_select_matches[ST_COUNT] = {
	[ST_UNMATCHED_NEEDS] = { NULL, STORE_NEED, "FROM needs WHERE id IN"
	    " (SELECT need FROM fair_needs WHERE fair = ?1)"
	    " AND status = 'open'"
	    " AND id NOT IN (SELECT need FROM matches WHERE fair = ?1"
	    " AND run = ?2)" NEED_OF("?3") PAGE_BY_ID },
	[ST_UNMATCHED_OFFERS] = { NULL, STORE_OFFER, "FROM offers WHERE id IN"
	    " (SELECT offer FROM fair_offers WHERE fair = ?1)"
	    " AND id NOT IN (SELECT offer FROM matches WHERE fair = ?1"
	    " AND run = ?2)" OFFER_OF("?3") PAGE_BY_ID },
	[ST_RUN_UNMATCHED_NEEDS] = { NULL, STORE_NEED, "FROM needs WHERE id IN"
	    " (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'need')" NEED_OF("?3") PAGE_BY_ID },
	[ST_RUN_UNMATCHED_OFFERS] = { NULL, STORE_OFFER, "FROM offers WHERE id"
	    " IN (SELECT item FROM run_unmatched WHERE fair = ?1 AND run = ?2"
	    " AND kind = 'offer')" OFFER_OF("?3") PAGE_BY_ID },
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
	sqlite3_bind_int(st, 16, m->parts[5]);
	if (store_step_done(s, st, "match insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static cJSON *
match_row(const void *arg, sqlite3_stmt *st)
{
	static const char *const parts[] = { "category", "budget", "text",
	    "library", "locality", "interest" };
	cJSON	*o = cJSON_CreateObject(), *b, *t;
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
		for (i = 0; i < 6; i++)
			/* The interest part is the last column. */
			store_add_yuan(b, parts[i], st, i < 5 ? 8 + i : 26);
	store_add_yuan(o, "amount", st, 13);
	store_add_text(o, "status", st, 14);
	if ((t = cJSON_AddObjectToObject(o, "terms")) != NULL) {
		store_add_text(t, "need_title", st, 20);
		store_add_text(t, "need_category", st, 21);
		store_add_yuan(t, "budget", st, 22);
		store_add_text(t, "offer_title", st, 23);
		store_add_text(t, "offer_category", st, 24);
		store_add_yuan(t, "price", st, 25);
		store_add_yuan(t, "amount", st, 13);
	}
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
store_unmatched_page(struct store *s, int64_t fair, int run, int is_offer,
    const char *party, int64_t after, int limit, cJSON **page,
    struct error *err)
{
	sqlite3_stmt *st;

	/*
	 * A run keeps the lists it left unmatched; before the first run they
	 * are everything open that is enrolled.
	 */
	if (is_offer)
		st = store_stmt(s, run > 0 ? ST_RUN_UNMATCHED_OFFERS :
		    ST_UNMATCHED_OFFERS);
	else
		st = store_stmt(s, run > 0 ? ST_RUN_UNMATCHED_NEEDS :
		    ST_UNMATCHED_NEEDS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, party);
	sqlite3_bind_int64(st, 4, after);
	sqlite3_bind_int(st, 5, limit + 1);
	return store_get_page(s, st, store_record_tree, is_offer ?
	    &store_offers : &store_needs, limit, page, err);
}

int
store_matches_page(struct store *s, int64_t fair, int run,
    const struct list_filter *f, cJSON **page, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_MATCHES_PAGE);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	sqlite3_bind_int64(st, 3, f->after);
	store_bind_text(st, 4, f->street);	/* the community filter */
	store_bind_text(st, 5, f->owner);	/* the org filter */
	store_bind_text(st, 6, f->status);
	sqlite3_bind_int(st, 7, f->limit + 1);
	return store_get_page(s, st, match_row, NULL, f->limit, page, err);
}

/* Collect the ids st selects into ids (an array). */
static int
ids_row(sqlite3_stmt *st, void *arg, struct error *err)
{
	if (!cJSON_AddItemToArray(arg, cJSON_CreateNumber((double)
	    sqlite3_column_int64(st, 0))))
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

static int
ids_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* id of each row of st (UPDATE ... RETURNING id), into a growing array. */
struct id_list {
	int64_t	*v;
	size_t	 n, cap;
};

static int
id_list_row(sqlite3_stmt *st, void *arg, struct error *err)
{
	struct id_list	*l = arg;
	int64_t		*v;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		if ((v = realloc(l->v, l->cap * sizeof(*v))) == NULL)
			return error_set(err, ERR_INTERNAL, NULL,
			    "out of memory");
		l->v = v;
	}
	l->v[l->n++] = sqlite3_column_int64(st, 0);
	return 0;
}

int
store_matches_publish_out(struct store *s, int64_t fair, int run,
    int64_t after, int64_t upto, cJSON *ids, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_MATCH_PUBLISH_OUT);
	struct id_list	 l = { NULL, 0, 0 };
	char		 now[21];
	size_t		 i;
	int		 rc = -1;

	store_now(now);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, now);
	sqlite3_bind_int64(st, 4, after);
	sqlite3_bind_int64(st, 5, upto);
	if (store_each_row(s, st, id_list_row, &l, err) == -1)
		goto out;
	if (l.n > 1)	/* none: no array */
		qsort(l.v, l.n, sizeof(*l.v), ids_cmp);
	for (i = 0; ids != NULL && i < l.n; i++)
		if (!cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)
		    l.v[i]))) {
			error_set(err, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
	rc = 0;
out:
	free(l.v);
	return rc;
}

int
store_matches_run_window(struct store *s, int64_t fair, int run,
    int64_t after, int n, int64_t *upto, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_MATCHES_RUN_WINDOW);
	int		 rc;

	assert(n > 0);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	sqlite3_bind_int64(st, 3, after);
	sqlite3_bind_int(st, 4, n - 1);
	rc = sqlite3_step(st);
	*upto = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : INT64_MAX;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "run window", err);
	return 0;
}

int
store_matches_supersede_rows(struct store *s, sqlite3_stmt *st, int publish,
    cJSON *ids, struct error *err)
{
	cJSON		*found = cJSON_CreateArray(), *c;
	int		 rc = -1;

	assert(!publish);
	if (found == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	if (store_each_row(s, st, ids_row, found, err) == -1)
		goto out;
	cJSON_ArrayForEach(c, found) {
		if (store_match_set_status(s, (int64_t)c->valuedouble,
		    "superseded", err) == -1)
			goto out;
		if (ids != NULL && !cJSON_AddItemToArray(ids,
		    cJSON_CreateNumber(c->valuedouble))) {
			error_set(err, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	cJSON_Delete(found);
	return rc;
}

int
store_matches_supersede(struct store *s, enum store_live which, int64_t id,
    int run, int64_t except, cJSON *ids, struct error *err)
{
	static const enum stmt_id sel[] = { ST_MATCHES_LIVE_NEED,
	    ST_MATCHES_LIVE_OFFER };
	sqlite3_stmt	*st;

	if (which == STORE_LIVE_RUN)
		return store_matches_publish_out(s, id, run, 0, INT64_MAX, ids,
		    err);
	st = store_stmt(s, sel[which]);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, except);
	return store_matches_supersede_rows(s, st, 0, ids, err);
}

/* Run a statement of (fair ?1, run ?2, now ?3) or (fair ?1, now ?2). */
static int
matches_fair_step(struct store *s, enum stmt_id which, int64_t fair, int run,
    const char *what, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, which);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, fair);
	if (run >= 0) {
		sqlite3_bind_int(st, 2, run);
		store_bind_text(st, 3, now);
	} else
		store_bind_text(st, 2, now);
	return store_step_done(s, st, what, err);
}

int
store_matches_restore(struct store *s, int64_t fair, int run,
    struct error *err)
{
	return matches_fair_step(s, ST_MATCHES_RESTORE, fair, run,
	    "matches restore", err);
}

int
store_matches_carry(struct store *s, int64_t fair, int run,
    struct error *err)
{
	return matches_fair_step(s, ST_MATCHES_CARRY, fair, run,
	    "matches carry", err);
}

int
store_matches_expire(struct store *s, int64_t fair, int *n,
    struct error *err)
{
	if (matches_fair_step(s, ST_MATCHES_EXPIRE, fair, -1,
	    "matches expire", err) == -1)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}
