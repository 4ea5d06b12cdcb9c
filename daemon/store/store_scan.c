/*
 * store_scan.c: whole-table statements, filtered inside SQLite
 * (store_scan.h says why).
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/store/store_priv.h"
#include "daemon/store/store_scan.h"

/* Prepare sql for one call; NULL with err set. */
static sqlite3_stmt *
scan_prepare(struct store *s, const char *sql, struct error *err)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, sqlite3_errcode(s->db), "scan prepare", err);
		return NULL;
	}
	return st;
}

/* Run one statement that writes (and finalize it); *changes gets the
 * rows it wrote. */
static int
scan_write(struct store *s, sqlite3_stmt *st, int *changes, const char *what,
    struct error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, what, err);
	*changes = sqlite3_changes(s->db);
	return 0;
}

/* The one text value of st's one row (malloc'd into *out), and
 * finalize st. */
static int
scan_text(struct store *s, sqlite3_stmt *st, char **out, const char *what,
    struct error *err)
{
	const unsigned char	*t;
	int			 rc = sqlite3_step(st);

	*out = NULL;
	if (rc == SQLITE_ROW && (t = sqlite3_column_text(st, 0)) != NULL &&
	    (*out = strdup((const char *)t)) == NULL) {
		sqlite3_finalize(st);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, what, err);
	if (*out == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "%s: no text", what);
	return 0;
}

int
store_fair_open_ids(struct store *s, const char *street, char **needs,
    char **offers, struct error *err)
{
	sqlite3_stmt *st;

	*needs = *offers = NULL;
	if ((st = scan_prepare(s, "SELECT json_group_array(id) FROM (SELECT id"
	    " FROM needs WHERE status = 'open' AND (?1 IS NULL OR street = ?1)"
	    " ORDER BY id)", err)) == NULL)
		return -1;
	store_bind_text(st, 1, street);
	if (scan_text(s, st, needs, "enroll all", err) == -1)
		return -1;
	if ((st = scan_prepare(s, "SELECT json_group_array(id) FROM (SELECT id"
	    " FROM offers WHERE status = 'open' AND (?1 IS NULL OR EXISTS"
	    " (SELECT 1 FROM json_each(streets) WHERE value IN (?1, '*')))"
	    " ORDER BY id)", err)) == NULL)
		goto fail;
	store_bind_text(st, 1, street);
	if (scan_text(s, st, offers, "enroll all", err) == -1)
		goto fail;
	return 0;
fail:
	free(*needs);
	*needs = NULL;
	return -1;
}

int
store_fair_enroll_ids(struct store *s, int64_t fair, const char *needs_json,
    const char *offers_json, int *needs, int *offers, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = scan_prepare(s, "INSERT OR IGNORE INTO fair_needs (fair, need)"
	    " SELECT ?1, value FROM json_each(?2)", err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, fair);
	store_bind_text(st, 2, needs_json);
	if (scan_write(s, st, needs, "enroll all", err) == -1)
		return -1;
	if ((st = scan_prepare(s, "INSERT OR IGNORE INTO fair_offers (fair,"
	    " offer) SELECT ?1, value FROM json_each(?2)",
	    err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, fair);
	store_bind_text(st, 2, offers_json);
	return scan_write(s, st, offers, "enroll all", err);
}

int
store_needs_for_offer(struct store *s, const char *family, int64_t price,
    int all_streets, const char *streets_json, store_need_fn fn, void *arg,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_NEEDS_FOR_OFFER);

	sqlite3_bind_int64(st, 1, price);
	store_bind_text(st, 2, family);
	sqlite3_bind_int(st, 3, all_streets);
	store_bind_text(st, 4, streets_json);
	return store_view_each(s, st, &store_need_view, (void *)fn, arg, err);
}

/* Hand each row of st (the columns of store_ov_needs) to fn: read
 * column by column as their types are known, a million times over. */
static int
scan_ov_rows(struct store *s, sqlite3_stmt *st, store_row_fn fn, void *arg,
    struct error *err)
{
	static const char	 text_cols[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct store_row	 r;
	const unsigned char	*t;
	size_t			 i;
	int			 rc;

	memset(&r, 0, sizeof(r));
	r.ncols = 11;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.num[0] = sqlite3_column_int64(st, 0);
		for (i = 0; i < sizeof(text_cols); i++) {
			t = sqlite3_column_text(st, text_cols[i]);
			r.text[(int)text_cols[i]] = t ? (const char *)t : "";
		}
		r.num[9] = sqlite3_column_int64(st, 9);
		r.num[10] = sqlite3_column_int64(st, 10);
		if (fn(arg, &r, err) == -1)
			return -1;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "oversight read", err);
	return 0;
}

#define OV_NEED_COLS "id, community, partners, street, category," \
	" CASE WHEN ?2 THEN title ELSE '' END, status, substr(created, 1, 10)," \
	" COALESCE(window_from, ''), year, budget"

int
store_ov_needs(struct store *s, int year, int titles, store_row_fn fn,
    void *arg, struct error *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* The year's needs in one scan, then those of other years in a
	 * confirmed match, from the matches' side (few, by rowid). */
	if ((st = scan_prepare(s, "SELECT " OV_NEED_COLS " FROM needs"
	    " WHERE ?1 = 0 OR year = ?1 ORDER BY id", err)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_int(st, 2, titles);
	rc = year == -1 ? 0 : scan_ov_rows(s, st, fn, arg, err);
	sqlite3_finalize(st);
	if (rc == -1 || year == 0)
		return rc;
	if ((st = scan_prepare(s, "SELECT " OV_NEED_COLS " FROM needs"
	    " WHERE id IN (SELECT need FROM matches WHERE status = 'confirmed')"
	    " AND year != ?1 ORDER BY id", err)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, year);
	sqlite3_bind_int(st, 2, titles);
	rc = scan_ov_rows(s, st, fn, arg, err);
	sqlite3_finalize(st);
	return rc;
}

int
store_ov_needs_after(struct store *s, int64_t after, int64_t only,
    store_row_fn fn, void *arg, struct error *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* Two statements: each a rowid lookup or range, no OR between. */
	if ((st = scan_prepare(s, only > 0 ? "SELECT " OV_NEED_COLS
	    " FROM needs WHERE id = ?1" : "SELECT " OV_NEED_COLS " FROM needs"
	    " WHERE id > ?1 ORDER BY id", err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, only > 0 ? only : after);
	sqlite3_bind_int(st, 2, 1);
	rc = scan_ov_rows(s, st, fn, arg, err);
	sqlite3_finalize(st);
	return rc;
}

int
store_run_unmatched_all(struct store *s, int64_t fair, int run,
    int is_offer, const char *ids_json, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_RUN_UNMATCHED_ALL);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, is_offer ? "offer" : "need");
	store_bind_text(st, 4, ids_json);
	return store_step_done(s, st, "run unmatched", err);
}

int
store_matches_insert_all(struct store *s, int64_t fair, int run,
    const char *rows_json, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_MATCHES_INSERT_ALL);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, rows_json);
	return store_step_done(s, st, "match insert", err);
}
