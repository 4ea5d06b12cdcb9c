/*
 * store_oversight.c: the rows programme oversight reads (stats.streets,
 * stats.categories, stats.orgs, risk.flags).  Each statement reads one whole
 * table shape; ops_oversight.c does the arithmetic, so that every figure is
 * computed once, in one place, from the same rows.
 */
#include <string.h>

#include "daemon/store/store_priv.h"

/* The latest run of the match's fair: confirmed pairs of earlier runs are
 * carried into every later run, so this holds every confirmed pair once. */
#define OV_LATEST_RUN "(SELECT MAX(run) FROM runs WHERE fair = m.fair)"

const char *const store_sql_oversight[ST_COUNT] = {
	[ST_OV_COMMUNITIES] = "SELECT c.code, a.name, a.street, c.cap"
	    " FROM communities c JOIN accounts a ON a.id = c.account"
	    " ORDER BY c.code",
	[ST_OV_ORGS] = "SELECT o.code, a.name FROM orgs o"
	    " JOIN accounts a ON a.id = o.account ORDER BY o.code",
	[ST_OV_NEEDS] = "SELECT id, community, partners, street, category,"
	    " title, status, substr(created, 1, 10), COALESCE(window_from, ''),"
	    " year, budget FROM needs ORDER BY id",
	[ST_OV_OFFERS] = "SELECT id, org, category, price, streets, status"
	    " FROM offers ORDER BY id",
	[ST_OV_CONFIRMED] = "SELECT m.id, m.need, m.org, m.amount, f.date,"
	    " m.fair FROM matches m JOIN fairs f ON f.id = m.fair"
	    " WHERE m.status = 'confirmed' AND m.run = " OV_LATEST_RUN
	    " ORDER BY m.id",
	[ST_OV_FAIRS] = "SELECT f.id, COALESCE(f.street, ''), f.date,"
	    " (SELECT COUNT(*) FROM runs r WHERE r.fair = f.id)"
	    " FROM fairs f ORDER BY f.id",
};

static const enum stmt_id ov_stmt[] = {
	[STORE_OV_COMMUNITIES] = ST_OV_COMMUNITIES,
	[STORE_OV_ORGS] = ST_OV_ORGS,
	[STORE_OV_NEEDS] = ST_OV_NEEDS,
	[STORE_OV_OFFERS] = ST_OV_OFFERS,
	[STORE_OV_CONFIRMED] = ST_OV_CONFIRMED,
	[STORE_OV_FAIRS] = ST_OV_FAIRS,
};

/*
 * Hand every row of st to fn: each column that holds an integer as num
 * (text ""), any other as text ("" for NULL; num 0).  The row is valid
 * only during the call.  Returns 0, or -1 with err set (by fn, or for a
 * store error).  st is reset either way.
 */
int
store_rows_each(struct store *s, sqlite3_stmt *st, store_row_fn fn,
    void *arg, struct error *err)
{
	struct store_row	 r;
	const unsigned char	*t;
	int			 rc, i;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.ncols = sqlite3_column_count(st);
		if (r.ncols > STORE_ROW_MAX)
			r.ncols = STORE_ROW_MAX;
		for (i = 0; i < r.ncols; i++) {
			/* No text of an integer: a million rows would each
			 * convert their id, year and budget for nothing. */
			if (sqlite3_column_type(st, i) == SQLITE_INTEGER) {
				r.num[i] = sqlite3_column_int64(st, i);
				r.text[i] = "";
				continue;
			}
			t = sqlite3_column_text(st, i);
			r.text[i] = t ? (const char *)t : "";
		}
		if (fn(arg, &r, err) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "oversight read", err);
	return 0;
}

/* Every row of one oversight read through fn (store_rows_each). */
int
store_oversight_each(struct store *s, enum store_ov which, store_row_fn fn,
    void *arg, struct error *err)
{
	if ((size_t)which >= sizeof(ov_stmt) / sizeof(ov_stmt[0]))
		return error_set(err, ERR_INTERNAL, NULL, "no such read");
	return store_rows_each(s, stmt(s, ov_stmt[which]), fn, arg, err);
}
