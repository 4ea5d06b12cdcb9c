/*
 * store_meetings.c: a fair's meeting schedule: each meeting at its table
 * and slot (or unscheduled), the whole schedule replaced at once.
 */
#include "daemon/store/store_fairs_priv.h"

#define MEETING_COLS "m.id, m.fair, m.need, m.offer, m.community, m.org, " \
	"m.score, m.matched, m.tbl, m.slot, m.start, n.title, o.title, " \
	"(SELECT name FROM accounts WHERE role = 'community' AND " \
	"code = m.community), (SELECT name FROM accounts WHERE role = 'org' " \
	"AND code = m.org)"

const char *const store_sql_meetings[ST_COUNT] = {
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
	[ST_MEETINGS_PREV] = "SELECT need, offer, tbl, slot FROM meetings"
	    " WHERE fair = ?1 AND slot IS NOT NULL",
};

int
store_meetings_replace_begin(struct store *s, int64_t fair, int slots_used,
    struct error *err)
{
	sqlite3_stmt	*st = stmt(s, ST_MEETINGS_DELETE);
	char		 now[21];

	sqlite3_bind_int64(st, 1, fair);
	if (step_done(s, st, "meetings delete", err) == -1)
		return -1;
	store_now(now);
	st = stmt(s, ST_FAIR_SET_SLOTS);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, slots_used);
	bind_text(st, 3, now);
	return step_done(s, st, "fair slots", err);
}

int
store_meeting_insert(struct store *s, const struct store_meeting *m,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_MEETING_INSERT);

	sqlite3_bind_int64(st, 1, m->fair);
	sqlite3_bind_int64(st, 2, m->need);
	sqlite3_bind_int64(st, 3, m->offer);
	bind_text(st, 4, m->community);
	bind_text(st, 5, m->org);
	sqlite3_bind_int(st, 6, m->score);
	sqlite3_bind_int(st, 7, m->matched);
	if (m->slot > 0) {
		sqlite3_bind_int(st, 8, m->table);
		sqlite3_bind_int(st, 9, m->slot);
		bind_text(st, 10, m->start);
	}
	return step_done(s, st, "meeting insert", err);
}

static cJSON *
meeting_row(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	cJSON_AddNumberToObject(o, "fair", (double)sqlite3_column_int64(st, 1));
	cJSON_AddNumberToObject(o, "need", (double)sqlite3_column_int64(st, 2));
	cJSON_AddNumberToObject(o, "offer",
	    (double)sqlite3_column_int64(st, 3));
	add_text(o, "community", st, 4);
	add_text(o, "org", st, 5);
	add_yuan(o, "score", st, 6);
	cJSON_AddBoolToObject(o, "matched", sqlite3_column_int(st, 7));
	if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
		cJSON_AddNullToObject(o, "table");
		cJSON_AddNullToObject(o, "slot");
	} else {
		cJSON_AddNumberToObject(o, "table", sqlite3_column_int(st, 8));
		cJSON_AddNumberToObject(o, "slot", sqlite3_column_int(st, 9));
	}
	add_text(o, "start", st, 10);
	add_text(o, "need_title", st, 11);
	add_text(o, "offer_title", st, 12);
	add_text(o, "community_name", st, 13);
	add_text(o, "org_name", st, 14);
	return o;
}

int
store_meetings_list(struct store *s, int64_t fair, int unscheduled,
    const char *community, const char *org, cJSON **items,
    struct error *err)
{
	sqlite3_stmt *st = stmt(s, ST_MEETINGS_LIST);

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, unscheduled != 0);
	bind_text(st, 3, community);
	bind_text(st, 4, org);
	return get_all(s, st, meeting_row, items, err);
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
	sqlite3_stmt	*st = stmt(s, ST_MEETINGS_PREV);

	sqlite3_bind_int64(st, 1, fair);
	return each_row(s, st, prev_row, &pa, err);
}
