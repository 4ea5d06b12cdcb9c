/*
 * store_events.c: the event log, the parties of matches that events name,
 * reminders, and webhooks, on the daemon's own connection (the loop
 * thread).  The webhook worker reads through store_hooks.c instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/store/store_priv.h"

/* The parties of a match, with what a summary names. */
#define PARTY_COLS "m.id, m.fair, m.run, m.status, m.community, n.partners," \
	" m.org, COALESCE(o.partner, ''), n.street, n.title, o.title," \
	" COALESCE((SELECT name FROM accounts WHERE role = 'community' AND" \
	" code = m.community), m.community), COALESCE((SELECT name FROM" \
	" accounts WHERE role = 'org' AND code = m.org), m.org), m.created"

/* An account's name, or its code. */
#define NAME_OF(role, code) "COALESCE((SELECT name FROM accounts" \
	" WHERE role = '" role "' AND code = " code "), " code ")"
/* list_encode of two items (events.c): each once, empty ones left out,
 * each between two unit separators (char 31); "" for none. */
#define LIST2(a, b) "CASE WHEN " a " = '' AND " b " = '' THEN ''" \
	" WHEN " a " = '' OR " a " = " b " THEN char(31) || " b " || char(31)" \
	" WHEN " b " = '' THEN char(31) || " a " || char(31)" \
	" ELSE char(31) || " a " || char(31) || " b " || char(31) END"

/*
 * The audience of a match's event (match_emit_one in events_emit.c): its
 * community and the need's partners, its org and the offer's partner, the
 * need's street and the fair's; a need without partners the short way.
 */
#define MATCH_AUDIENCE(fair_street) "CASE WHEN n.partners = '[]'" \
	" AND m.community <> '' THEN char(31) || m.community || char(31)" \
	" ELSE COALESCE((SELECT char(31) || group_concat(v, char(31))" \
	" || char(31) FROM (SELECT v FROM (SELECT -1 AS k, m.community" \
	" AS v UNION ALL SELECT key, value FROM json_each(n.partners))" \
	" WHERE v <> '' GROUP BY v ORDER BY min(k))), '') END, " \
	LIST2("m.org", "COALESCE(o.partner, '')") ", " \
	LIST2("COALESCE(n.street, '')", fair_street)

#define WEBHOOK_COLS "id, url, kinds, format, role, code, street, position," \
	" created"

const char *const store_sql_events[ST_COUNT] = {
	[ST_EVENT_INSERT] = "INSERT INTO events (time, kind, otype, oid, fair,"
	    " run, summary, communities, orgs, streets, staff) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	/* events_emit's rows for a run's proposals, with list_encode's
	 * lists made by SQL. */
	[ST_EVENTS_RUN_PROPOSED] = "INSERT INTO events (time, kind, otype,"
	    " oid, fair, run, summary, communities, orgs, streets, staff)"
	    " SELECT ?3, ?4, 'match', m.id, m.fair, m.run, printf(?7, ?5,"
	    " m.run, " NAME_OF("community", "m.community") ", n.title, "
	    NAME_OF("org", "m.org") ", o.title), " MATCH_AUDIENCE("?6")
	    ", 0 FROM matches m JOIN needs n ON n.id = m.need"
	    " JOIN offers o ON o.id = m.offer WHERE m.fair = ?1 AND m.run = ?2"
	    " AND m.id > ?8 AND m.id <= ?9 AND m.status = 'proposed'"
	    " ORDER BY m.id",
	/* The same for the matches ?3 (a JSON array), in its order, each
	 * said of its own fair: match.superseded. */
	[ST_EVENTS_SUPERSEDED] = "INSERT INTO events (time, kind, otype,"
	    " oid, fair, run, summary, communities, orgs, streets, staff)"
	    " SELECT ?1, ?2, 'match', m.id, m.fair, m.run, printf(?4, f.name,"
	    " n.title, o.title, ?5), " MATCH_AUDIENCE("COALESCE(f.street, '')")
	    ", 0 FROM json_each(?3) j JOIN matches m ON m.id = j.value"
	    " JOIN needs n ON n.id = m.need JOIN offers o ON o.id = m.offer"
	    " JOIN fairs f ON f.id = m.fair ORDER BY j.key",
	[ST_EVENT_LAST] = "SELECT COALESCE(MAX(id), 0) FROM events",
	/* ?4..?6: the audience keys, each between two separators. */
	[ST_EVENTS_READ] = "SELECT " EVENT_COLS " FROM events"
	    " WHERE id > ?1 AND id <= ?2 AND (?3"
	    " OR (staff = 0 AND instr(communities, ?4) > 0)"
	    " OR (staff = 0 AND instr(orgs, ?5) > 0)"
	    " OR instr(streets, ?6) > 0"
	    " OR (?6 IS NOT NULL AND instr(streets, char(31, 42, 31)) > 0))"
	    " ORDER BY id LIMIT ?7",
	[ST_MATCH_PARTIES] = "SELECT " PARTY_COLS " FROM matches m"
	    " JOIN needs n ON n.id = m.need JOIN offers o ON o.id = m.offer"
	    " WHERE (?3 > 0 AND m.id = ?3) OR (?3 = 0 AND m.fair = ?1"
	    " AND m.run = ?2 AND m.id > ?4 AND m.id <= ?5) ORDER BY m.id",
	/* Due: live (not yet confirmed, declined, superseded or expired), in
	 * the published run of an open fair: the only ones parties answer. */
	[ST_MATCHES_DUE] = "SELECT m.id, m.created, (m.status = 'proposed'"
	    " OR m.status = 'accepted_by_community'"
	    " OR m.status = 'accepted_by_org') AND f.status = 'open'"
	    " AND m.run = f.published"
	    " AND NOT EXISTS (SELECT 1 FROM match_reminders x"
	    " WHERE x.match = m.id)"
	    " FROM matches m JOIN fairs f ON f.id = m.fair"
	    " WHERE m.id > ?1 ORDER BY m.id LIMIT ?2",
	[ST_REMINDER_INSERT] = "INSERT OR IGNORE INTO match_reminders (match,"
	    " time) VALUES (?1, ?2)",
	[ST_REMINDER_LAST] = "SELECT COALESCE(MAX(match), 0) FROM"
	    " match_reminders",
	[ST_WEBHOOK_INSERT] = "INSERT INTO webhooks (url, kinds, format,"
	    " secret, role, code, street, position, created) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_WEBHOOK_GET] = "SELECT " WEBHOOK_COLS " FROM webhooks"
	    " WHERE id = ?1",
	[ST_WEBHOOK_LIST] = "SELECT " WEBHOOK_COLS " FROM webhooks"
	    " WHERE ?1 IS NULL OR (role = ?1 AND code = ?2) ORDER BY id",
	[ST_WEBHOOK_DELETE] = "DELETE FROM webhooks WHERE id = ?1",
	[ST_WEBHOOK_ADVANCE] = "UPDATE webhooks SET position = ?2"
	    " WHERE id = ?1 AND position < ?2",
};

static void
event_row(sqlite3_stmt *st, struct store_event *ev)
{
	ev->id = sqlite3_column_int64(st, 0);
	ev->time = store_col_text(st, 1);
	ev->kind = store_col_text(st, 2);
	ev->otype = store_col_text(st, 3);
	ev->oid = sqlite3_column_int64(st, 4);
	ev->fair = sqlite3_column_int64(st, 5);
	ev->run = sqlite3_column_int(st, 6);
	ev->summary = store_col_text(st, 7);
	ev->communities = store_col_text(st, 8);
	ev->orgs = store_col_text(st, 9);
	ev->streets = store_col_text(st, 10);
	ev->staff = sqlite3_column_int(st, 11);
}

int
event_rows(sqlite3_stmt *st, store_event_fn fn, void *arg, struct error *err)
{
	struct store_event	ev;
	int			rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		event_row(st, &ev);
		if (fn(arg, &ev, err) == -1) {
			rc = -1;
			break;
		}
	}
	sqlite3_reset(st);
	return rc;
}

int
store_event_insert(struct store *s, struct store_event *ev, int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_EVENT_INSERT);
	static char	 now[21];

	store_now(now);
	ev->time = now;
	store_bind_text(st, 1, now);
	store_bind_text(st, 2, ev->kind);
	store_bind_text(st, 3, ev->otype);
	sqlite3_bind_int64(st, 4, ev->oid);
	if (ev->fair > 0)
		sqlite3_bind_int64(st, 5, ev->fair);
	if (ev->run > 0)
		sqlite3_bind_int(st, 6, ev->run);
	store_bind_text(st, 7, ev->summary);
	store_bind_text(st, 8, ev->communities ? ev->communities : "");
	store_bind_text(st, 9, ev->orgs ? ev->orgs : "");
	store_bind_text(st, 10, ev->streets ? ev->streets : "");
	sqlite3_bind_int(st, 11, ev->staff != 0);
	if (store_step_done(s, st, "event insert", err) == -1)
		return -1;
	*id = ev->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_events_run_proposed(struct store *s, const char *kind, int64_t fair,
    int run, int64_t after, int64_t upto, const char *fair_name,
    const char *fair_street, const char *fmt, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_EVENTS_RUN_PROPOSED);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, kind);
	store_bind_text(st, 5, fair_name);
	store_bind_text(st, 6, fair_street);
	store_bind_text(st, 7, fmt);
	sqlite3_bind_int64(st, 8, after);
	sqlite3_bind_int64(st, 9, upto);
	return store_step_done(s, st, "run events", err);
}

int
store_events_superseded(struct store *s, const char *kind,
    const char *ids_json, const char *fmt, const char *why,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_EVENTS_SUPERSEDED);
	char		 now[21];

	store_now(now);
	store_bind_text(st, 1, now);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, ids_json);
	store_bind_text(st, 4, fmt);
	store_bind_text(st, 5, why);
	return store_step_done(s, st, "superseded events", err);
}

/* One integer from a statement of one row and column. */
static int
store_one_int(struct store *s, enum stmt_id id, int64_t *out,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, id);
	int		 rc = sqlite3_step(st);

	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, rc, "read", err);
}

int
store_event_last(struct store *s, int64_t *id, struct error *err)
{
	return store_one_int(s, ST_EVENT_LAST, id, err);
}

/* SEP item SEP into buf, or NULL for no item. */
static const char *
list_key(char *buf, size_t len, const char *item)
{
	if (item == NULL)
		return NULL;
	snprintf(buf, len, "%c%s%c", STORE_LIST_SEP, item, STORE_LIST_SEP);
	return buf;
}

int
store_events_each(struct store *s, const struct store_event_filter *f,
    store_event_fn fn, void *arg, struct error *err)
{
	sqlite3_stmt		*st = store_stmt(s, ST_EVENTS_READ);
	char			 kc[80], ko[80], ks[300];
	int			 rc;

	sqlite3_bind_int64(st, 1, f->after);
	sqlite3_bind_int64(st, 2, f->upto);
	sqlite3_bind_int(st, 3, f->all != 0);
	store_bind_text(st, 4, list_key(kc, sizeof(kc), f->community));
	store_bind_text(st, 5, list_key(ko, sizeof(ko), f->org));
	store_bind_text(st, 6, list_key(ks, sizeof(ks), f->street));
	sqlite3_bind_int(st, 7, f->limit);
	if ((rc = event_rows(st, fn, arg, err)) == -1)
		return -1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "events read", err);
}

/* store_match_parties_each and _range: match 0, or (after, upto] 0 0. */
static int
store_match_parties(struct store *s, int64_t fair, int run, int64_t match,
    int64_t after, int64_t upto, store_party_fn fn, void *arg,
    struct error *err)
{
	sqlite3_stmt		*st = store_stmt(s, ST_MATCH_PARTIES);
	struct store_match_party p;
	int			 rc;

	sqlite3_bind_int64(st, 1, fair);
	sqlite3_bind_int(st, 2, run);
	sqlite3_bind_int64(st, 3, match);
	sqlite3_bind_int64(st, 4, after);
	sqlite3_bind_int64(st, 5, upto);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p.id = sqlite3_column_int64(st, 0);
		p.fair = sqlite3_column_int64(st, 1);
		p.run = sqlite3_column_int(st, 2);
		p.status = store_col_text(st, 3);
		p.community = store_col_text(st, 4);
		p.partners = store_col_text(st, 5);
		p.org = store_col_text(st, 6);
		p.partner = store_col_text(st, 7);
		p.need_street = store_col_text(st, 8);
		p.need_title = store_col_text(st, 9);
		p.offer_title = store_col_text(st, 10);
		p.community_name = store_col_text(st, 11);
		p.org_name = store_col_text(st, 12);
		p.created = store_col_text(st, 13);
		if (fn(arg, &p, err) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "match parties",
	    err);
}

int
store_match_parties_each(struct store *s, int64_t fair, int run,
    int64_t match, store_party_fn fn, void *arg, struct error *err)
{
	return store_match_parties(s, fair, run, match, 0, INT64_MAX, fn, arg,
	    err);
}

int
store_match_parties_range(struct store *s, int64_t fair, int run,
    int64_t after, int64_t upto, store_party_fn fn, void *arg,
    struct error *err)
{
	return store_match_parties(s, fair, run, 0, after, upto, fn, arg,
	    err);
}

int
store_matches_due(struct store *s, int64_t after, const char *cutoff,
    int limit, store_due_fn fn, void *arg, int64_t *last, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_MATCHES_DUE);
	int64_t		 id;
	int		 rc;

	*last = after;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	/* Matches are created in id order: the first one too young ends
	 * the walk. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (strcmp(store_col_text(st, 1), cutoff) > 0) {
			rc = SQLITE_DONE;
			break;
		}
		id = sqlite3_column_int64(st, 0);
		if (fn(arg, id, sqlite3_column_int(st, 2), err) == -1) {
			sqlite3_reset(st);
			return -1;
		}
		*last = id;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "matches due", err);
}

int
store_reminder_insert(struct store *s, int64_t match, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_REMINDER_INSERT);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, match);
	store_bind_text(st, 2, now);
	return store_step_done(s, st, "reminder insert", err);
}

int
store_reminder_last(struct store *s, int64_t *match, struct error *err)
{
	return store_one_int(s, ST_REMINDER_LAST, match, err);
}

/* ---- webhooks ------------------------------------------------------- */

int
store_webhook_insert(struct store *s, const struct store_webhook *w,
    int64_t *id, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_WEBHOOK_INSERT);
	char		 now[21];

	store_now(now);
	store_bind_text(st, 1, w->url);
	store_bind_text(st, 2, w->kinds);
	store_bind_text(st, 3, w->format);
	store_bind_text(st, 4, w->secret);
	store_bind_text(st, 5, w->role);
	store_bind_text(st, 6, w->code);
	store_bind_text(st, 7, w->street);
	sqlite3_bind_int64(st, 8, w->position);
	store_bind_text(st, 9, now);
	if (store_step_done(s, st, "webhook insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static cJSON *
webhook_row(const void *arg, sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject(), *owner;

	(void)arg;
	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	store_add_text(o, "url", st, 1);
	store_add_json(o, "kinds", st, 2);
	store_add_text(o, "format", st, 3);
	if ((owner = cJSON_AddObjectToObject(o, "owner")) != NULL) {
		store_add_text(owner, "role", st, 4);
		store_add_text(owner, "code", st, 5);
	}
	store_add_text(o, "street", st, 6);
	cJSON_AddNumberToObject(o, "position",
	    (double)sqlite3_column_int64(st, 7));
	store_add_text(o, "created", st, 8);
	return o;
}

int
store_webhook_get(struct store *s, int64_t id, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_WEBHOOK_GET);

	sqlite3_bind_int64(st, 1, id);
	return store_get_one(s, st, webhook_row, NULL, out, err);
}

int
store_webhook_list(struct store *s, const char *role, const char *code,
    cJSON **items, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_WEBHOOK_LIST);

	store_bind_text(st, 1, role);
	store_bind_text(st, 2, code);
	return store_get_all(s, st, webhook_row, NULL, items, err);
}

int
store_webhook_delete(struct store *s, int64_t id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_WEBHOOK_DELETE);

	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "webhook delete", err);
}

int
store_webhook_advance(struct store *s, int64_t id, int64_t position,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_WEBHOOK_ADVANCE);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, position);
	return store_step_done(s, st, "webhook advance", err);
}
