/*
 * store_meetings.c: the meeting schedule of a fair, and the run it was
 * built from.
 */
#include "daemon/store/store_priv.h"

#define MEETING_COLS "m.id, m.fair, m.need, m.offer, m.community, m.org, " \
	"m.score, m.matched, m.tbl, m.slot, m.start, n.title, o.title, " \
	"(SELECT name FROM accounts WHERE role = 'community' AND " \
	"code = m.community), (SELECT name FROM accounts WHERE role = 'org' " \
	"AND code = m.org), m.must"

const char *const store_sql_meetings[ST_COUNT] = {
	[ST_MEETINGS_DELETE] = "DELETE FROM meetings WHERE fair = ?1",
	[ST_MEETING_INSERT] = "INSERT INTO meetings (fair, need, offer,"
	    " community, org, score, matched, tbl, slot, start, must) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_MEETINGS_LIST] = "SELECT " MEETING_COLS " FROM meetings m"
	    " JOIN needs n ON n.id = m.need JOIN offers o ON o.id = m.offer"
	    " WHERE m.fair = ?1 AND (?2 = (m.slot IS NULL))"
	    " AND ((?3 IS NULL AND ?4 IS NULL) OR m.community = ?3"
	    " OR m.org = ?4)"
	    " ORDER BY m.slot, m.tbl, m.score DESC, m.id",
	[ST_FAIR_SET_SLOTS] = "UPDATE fairs SET slots_used = ?2, updated = ?3,"
	    " schedule_run = ?4 WHERE id = ?1",
	[ST_MEETINGS_PREV] = "SELECT need, offer, tbl, slot FROM meetings"
	    " WHERE fair = ?1 AND slot IS NOT NULL",
	[ST_MEETINGS_MAX_TABLE] = "SELECT COALESCE(MAX(tbl), 0) FROM meetings"
	    " WHERE fair = ?1",
	[ST_MEETINGS_RESTART] = "UPDATE meetings SET start = ?3 WHERE fair = ?1"
	    " AND slot = ?2",
};

int
store_meetings_replace_begin(struct store *s, int64_t fair, int slots_used,
    int run, struct error *err)
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
	if (run > 0)
		sqlite3_bind_int(st, 4, run);
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
	sqlite3_bind_int(st, 11, m->must);
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
	cJSON_AddBoolToObject(o, "must", sqlite3_column_int(st, 15));
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
store_meetings_max_table(struct store *s, int64_t fair, int *table,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_MEETINGS_MAX_TABLE);
	int		 rc;

	sqlite3_bind_int64(st, 1, fair);
	if ((rc = store_step_row(s, st, err)) != 0)
		return rc == 1 ? error_set(err, ERR_INTERNAL, NULL, "tables") :
		    -1;
	*table = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
store_meetings_restart(struct store *s, int64_t fair, int slot,
    const char *start, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_MEETINGS_RESTART);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, slot);
	store_bind_text(st, 3, start);
	return store_step_done(s, st, "meetings start", err);
}
