/*
 * store_streets.c: the registry of streets (街道) and the partners'
 * consents to a shared need.
 */
#include "daemon/store/store_priv.h"

#define STREET_COLS "s.name, s.code, (SELECT COUNT(*) FROM accounts a" \
	" WHERE a.role = 'community' AND a.street = s.name)"

const char *const store_sql_streets[ST_COUNT] = {
	[ST_STREET_INSERT] = "INSERT INTO streets (name, code, created)"
	    " VALUES (?1, ?2, ?3)",
	[ST_STREET_GET] = "SELECT " STREET_COLS " FROM streets s"
	    " WHERE s.name = ?1",
	[ST_STREET_BY_CODE] = "SELECT " STREET_COLS " FROM streets s"
	    " WHERE s.code = ?1",
	[ST_STREET_LIST] = "SELECT " STREET_COLS " FROM streets s"
	    " ORDER BY s.name",
	/* Not ST_STREET_GET: its count of communities reads every account,
	 * and every street argument is checked (offer.post: 40 % of the
	 * loop's time in a burst of offers). */
	[ST_STREET_EXISTS] = "SELECT 1 FROM streets WHERE name = ?1",
	[ST_CONSENT_INSERT] = "INSERT OR IGNORE INTO need_consents (need,"
	    " community, created) VALUES (?1, ?2, ?3)",
	[ST_CONSENT_DELETE] = "DELETE FROM need_consents WHERE need = ?1"
	    " AND community = ?2",
	[ST_CONSENT_MISSING] = "SELECT COUNT(*) FROM json_each(?2) p"
	    " WHERE NOT EXISTS (SELECT 1 FROM need_consents c"
	    " WHERE c.need = ?1 AND c.community = p.value)",
	[ST_CONSENT_PRUNE] = "DELETE FROM need_consents WHERE need = ?1"
	    " AND community NOT IN (SELECT value FROM json_each(?2))",
};

static const struct store_field street_fields[] = {
	STORE_SHOWN("name", STORE_TEXT),
	STORE_SHOWN("code", STORE_TEXT),
	STORE_SHOWN("communities", STORE_INT),
	{ NULL }
};
static const struct store_record_type street_shape = {
	"street", NULL, street_fields
};

int
store_street_insert(struct store *s, const char *name, const char *code,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_STREET_INSERT);
	char		 now[21];

	store_now(now);
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, code);
	store_bind_text(st, 3, now);
	return store_step_done(s, st, "street insert", err);
}

int
store_street_get(struct store *s, const char *name, const char *code,
    cJSON **out, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, name ? ST_STREET_GET :
	    ST_STREET_BY_CODE);

	store_bind_text(st, 1, name ? name : code);
	return store_get_one(s, st, store_record_tree, &street_shape, out,
	    err);
}

int
store_street_exists(struct store *s, const char *name, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_STREET_EXISTS);
	int		 rc;

	store_bind_text(st, 1, name);
	if ((rc = store_step_row(s, st, err)) == 0)
		sqlite3_reset(st);
	return rc;
}

int
store_street_list(struct store *s, cJSON **items, struct error *err)
{
	return store_get_all(s, store_stmt(s, ST_STREET_LIST),
	    store_record_tree, &street_shape, items, err);
}

/* ---- consents ---------------------------------------------------------- */

int
store_consent_set(struct store *s, int64_t need, const char *community,
    int agree, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, agree ? ST_CONSENT_INSERT :
			    ST_CONSENT_DELETE);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, need);
	store_bind_text(st, 2, community);
	if (agree)
		store_bind_text(st, 3, now);
	return store_step_done(s, st, "consent", err);
}

int
store_consent_missing(struct store *s, int64_t need, const char *partners,
    int *missing, struct error *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = store_stmt(s, ST_CONSENT_PRUNE);
	sqlite3_bind_int64(st, 1, need);
	store_bind_text(st, 2, partners);
	if (store_step_done(s, st, "consent prune", err) == -1)
		return -1;
	st = store_stmt(s, ST_CONSENT_MISSING);
	sqlite3_bind_int64(st, 1, need);
	store_bind_text(st, 2, partners);
	if ((rc = store_step_row(s, st, err)) != 0)
		return rc == 1 ? error_set(err, ERR_INTERNAL, NULL, "consent "
		    "count") : -1;
	*missing = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}
