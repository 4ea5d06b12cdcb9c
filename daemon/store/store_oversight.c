/*
 * store_oversight.c: the rows programme oversight reads (stats.streets,
 * stats.categories, stats.orgs, risk.flags).  Each statement reads one whole
 * table shape; ops_oversight.c does the arithmetic, so that every figure is
 * computed once, in one place, from the same rows.
 */
#include <string.h>

#include "daemon/store/store_priv.h"

/* A project dated in the year ?1 (both ends of the range are constants:
 * the index on dated serves it). */
#define OV_DATED_IN "p.dated BETWEEN printf('%04d-01-01', ?1)" \
	" AND printf('%04d-12-31', ?1)"

const char *const store_sql_oversight[ST_COUNT] = {
	[ST_OV_COMMUNITIES] = "SELECT c.code, a.name, a.street, c.cap"
	    " FROM communities c JOIN accounts a ON a.id = c.account"
	    " ORDER BY c.code",
	[ST_OV_ORGS] = "SELECT o.code, a.name FROM orgs o"
	    " JOIN accounts a ON a.id = o.account ORDER BY o.code",
	/* ?1: a year, or NULL for all: the needs of the year and those of
	 * its projects (a project is of its fair's year, or of the year it
	 * was made outside a fair). */
	[ST_OV_NEEDS] = "SELECT id, community, partners, street, category,"
	    " title, status, substr(created, 1, 10), COALESCE(window_from, ''),"
	    " year, budget FROM needs WHERE ?1 IS NULL OR year = ?1"
	    " OR id IN (SELECT p.need FROM projects p WHERE " OV_DATED_IN ")"
	    " ORDER BY id",
	[ST_OV_OFFERS] = "SELECT id, org, category, price, streets, status"
	    " FROM offers ORDER BY id",
	[ST_OV_FAIRS] = "SELECT f.id, COALESCE(f.street, ''), f.date,"
	    " (SELECT COUNT(*) FROM runs r WHERE r.fair = f.id)"
	    " FROM fairs f ORDER BY f.id",
	[ST_OV_PROJECTS] = "SELECT p.id, p.need, p.org, p.amount, p.paid,"
	    " p.stage, p.year, p.street, p.community, p.created, p.since,"
	    " p.beneficiaries_served, p.title, p.dated FROM projects p"
	    " WHERE ?1 IS NULL OR p.year = ?1 OR " OV_DATED_IN
	    " ORDER BY p.id",
	[ST_OV_FAILED] = "SELECT a.org, a.time, p.street, p.id"
	    " FROM acceptances a JOIN projects p ON p.id = a.project"
	    " WHERE a.passed = 0 AND (?1 IS NULL"
	    " OR substr(a.time, 1, 4) = printf('%04d', ?1)) ORDER BY a.id",
	[ST_OV_HISTORY_AFTER] = "SELECT project, prev, prev_since"
	    " FROM project_history WHERE time > ?1 ORDER BY id",
	/* The ids ST_OV_NEEDS adds to the year's own, for the cache of
	 * needs (ops/oversight_cache.c): the same condition. */
	[ST_OV_PROJECT_NEEDS] = "SELECT p.need FROM projects p"
	    " WHERE " OV_DATED_IN " ORDER BY p.need",
};

static const enum stmt_id ov_stmt[] = {
	[STORE_OV_COMMUNITIES] = ST_OV_COMMUNITIES,
	[STORE_OV_ORGS] = ST_OV_ORGS,
	[STORE_OV_NEEDS] = ST_OV_NEEDS,
	[STORE_OV_OFFERS] = ST_OV_OFFERS,
	[STORE_OV_FAIRS] = ST_OV_FAIRS,
	[STORE_OV_PROJECTS] = ST_OV_PROJECTS,
	[STORE_OV_FAILED] = ST_OV_FAILED,
	[STORE_OV_HISTORY_AFTER] = ST_OV_HISTORY_AFTER,
	[STORE_OV_PROJECT_NEEDS] = ST_OV_PROJECT_NEEDS,
};

/*
 * Hand every row of st to fn, each column as an integer when it holds one,
 * else as text ("" for NULL; struct store_row).  The row is valid only
 * during the call.  Returns 0, or -1 with err set (by fn, or for a store
 * error).  st is reset either way.
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
		/* A number as its number, a text as its text: converting
		 * every column both ways was a third of a report's reading. */
		for (i = 0; i < r.ncols; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_INTEGER) {
				r.text[i] = "";
				r.num[i] = sqlite3_column_int64(st, i);
				continue;
			}
			t = sqlite3_column_text(st, i);
			r.text[i] = t ? (const char *)t : "";
			r.num[i] = 0;
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

/* One oversight read (its ?1 bound to text when given) through
 * store_rows_each. */
int
store_oversight_each(struct store *s, enum store_ov which, store_row_fn fn,
    void *arg, struct error *err)
{
	return store_oversight_each_at(s, which, NULL, fn, arg, err);
}

int
store_oversight_each_at(struct store *s, enum store_ov which,
    const char *text, store_row_fn fn, void *arg, struct error *err)
{
	sqlite3_stmt *st;

	if ((size_t)which >= sizeof(ov_stmt) / sizeof(ov_stmt[0]))
		return error_set(err, ERR_INTERNAL, NULL, "no such read");
	st = store_stmt(s, ov_stmt[which]);
	if (text != NULL && sqlite3_bind_parameter_count(st) >= 1)
		store_bind_text(st, 1, text);
	return store_rows_each(s, st, fn, arg, err);
}
