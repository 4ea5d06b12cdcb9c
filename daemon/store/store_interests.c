/*
 * store_interests.c: what parties said about pairs before a fair's runs
 * (fair.interest), and the live matches a `no` supersedes.
 */
#include "daemon/store/store_priv.h"

#define INTEREST_COLS "side, party, need, offer, level, updated"
#define LIVE_STATUS "(status = 'proposed' OR status = " \
	"'accepted_by_community' OR status = 'accepted_by_org')"

const char *const store_sql_interests[ST_COUNT] = {
	[ST_INTEREST_DELETE] = "DELETE FROM interests WHERE fair = ?1"
	    " AND side = ?2 AND party = ?3 AND need IS ?4 AND offer IS ?5",
	[ST_INTEREST_INSERT] = "INSERT INTO interests (fair, side, party,"
	    " need, offer, level, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_INTERESTS_ALL] = "SELECT " INTEREST_COLS " FROM interests"
	    " WHERE fair = ?1 ORDER BY id",
	/* A party's own, and those about its needs or offers. */
	[ST_INTERESTS_OF] = "SELECT " INTEREST_COLS " FROM interests i"
	    " WHERE fair = ?1 AND ((?2 IS NULL AND ?3 IS NULL)"
	    " OR party = ?2 OR party = ?3"
	    " OR (side = 'org' AND EXISTS (SELECT 1 FROM needs n"
	    " WHERE n.id = i.need AND n.community = ?2))"
	    " OR (side = 'community' AND EXISTS (SELECT 1 FROM offers o"
	    " WHERE o.id = i.offer AND o.org = ?3))) ORDER BY id",
	[ST_MATCHES_LIVE_PAIR] = "SELECT id FROM matches WHERE fair = ?1"
	    " AND " LIVE_STATUS " AND (?2 IS NULL OR need = ?2)"
	    " AND (?3 IS NULL OR offer = ?3) AND (?4 IS NULL OR community = ?4)"
	    " AND (?5 IS NULL OR org = ?5) ORDER BY id",
};

static const struct store_field interest_fields[] = {
	STORE_SHOWN("side", STORE_TEXT),
	STORE_SHOWN("party", STORE_TEXT),
	STORE_SHOWN("need", STORE_INT),
	STORE_SHOWN("offer", STORE_INT),
	STORE_SHOWN("level", STORE_TEXT),
	STORE_SHOWN("updated", STORE_TEXT),
	{ NULL }
};
static const struct store_record_type interest_shape = {
	"interest", NULL, interest_fields
};

/* Bind an id, 0 as null. */
static void
interest_bind_id(sqlite3_stmt *st, int p, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(st, p, id);
	else
		sqlite3_bind_null(st, p);
}

int
store_interest_set(struct store *s, int64_t fair,
    const struct store_interest *in, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_INTEREST_DELETE);
	char		 now[21];

	sqlite3_bind_int64(st, 1, fair);
	store_bind_text(st, 2, in->side);
	store_bind_text(st, 3, in->party);
	interest_bind_id(st, 4, in->need);
	interest_bind_id(st, 5, in->offer);
	if (store_step_done(s, st, "interest delete", err) == -1)
		return -1;
	if (in->level == NULL)
		return 0;
	store_now(now);
	st = store_stmt(s, ST_INTEREST_INSERT);
	sqlite3_bind_int64(st, 1, fair);
	store_bind_text(st, 2, in->side);
	store_bind_text(st, 3, in->party);
	interest_bind_id(st, 4, in->need);
	interest_bind_id(st, 5, in->offer);
	store_bind_text(st, 6, in->level);
	store_bind_text(st, 7, now);
	return store_step_done(s, st, "interest insert", err);
}

struct interest_each {
	store_interest_fn	 fn;
	void			*arg;
};

static int
interest_row(sqlite3_stmt *st, void *arg, struct error *err)
{
	struct interest_each	*e = arg;
	struct store_interest	 in;

	in.side = store_col_text(st, 0);
	in.party = store_col_text(st, 1);
	in.need = sqlite3_column_int64(st, 2);
	in.offer = sqlite3_column_int64(st, 3);
	in.level = store_col_text(st, 4);
	return e->fn(e->arg, &in, err);
}

int
store_interests_each(struct store *s, int64_t fair, store_interest_fn fn,
    void *arg, struct error *err)
{
	sqlite3_stmt		*st = store_stmt(s, ST_INTERESTS_ALL);
	struct interest_each	 e = { fn, arg };

	sqlite3_bind_int64(st, 1, fair);
	return store_each_row(s, st, interest_row, &e, err);
}

int
store_interests_list(struct store *s, int64_t fair, const char *community,
    const char *org, cJSON **items, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_INTERESTS_OF);

	sqlite3_bind_int64(st, 1, fair);
	store_bind_text(st, 2, community);
	store_bind_text(st, 3, org);
	return store_get_all(s, st, store_record_tree, &interest_shape, items,
	    err);
}

int
store_matches_supersede_pair(struct store *s, int64_t fair, int64_t need,
    int64_t offer, const char *community, const char *org, cJSON *ids,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_MATCHES_LIVE_PAIR);

	sqlite3_bind_int64(st, 1, fair);
	interest_bind_id(st, 2, need);
	interest_bind_id(st, 3, offer);
	store_bind_text(st, 4, community);
	store_bind_text(st, 5, org);
	return store_matches_supersede_rows(s, st, 0, ids, err);
}
