/*
 * store_projects_read.c: reads across projects: the public notice board
 * and the resolutions of risk flags.  (What projects hold of the caps is
 * read with the matcher's other inputs, in store_fairs.c.)
 */
#include "daemon/store/store_priv.h"

/* The communities' and organisations' names, never their codes. */
#define NAME_OF(table, code) "(SELECT a.name FROM " table " x" \
	" JOIN accounts a ON a.id = x.account WHERE x.code = " code ")"

const char *const store_sql_projects_read[ST_COUNT] = {
	[ST_PUBLIC_NOTICES] = "SELECT p.id, p.title,"
	    " " NAME_OF("communities", "p.community") ","
	    " (SELECT json_group_array(a.name) FROM json_each(p.partners) j"
	    " JOIN communities x ON x.code = j.value"
	    " JOIN accounts a ON a.id = x.account),"
	    " p.street, " NAME_OF("orgs", "p.org") ", p.amount,"
	    " p.notice_end, (SELECT COUNT(*) FROM objections o"
	    " WHERE o.project = p.id AND o.status = 'open')"
	    " FROM projects p WHERE p.stage = 'notice'"
	    " ORDER BY p.notice_end DESC, p.id DESC LIMIT ?1",
	[ST_RISK_RESOLVE] = "INSERT INTO risk_resolutions (key, note, role,"
	    " code, time) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_RISK_SEEN] = "INSERT OR IGNORE INTO risk_seen (key, time)"
	    " VALUES (?1, ?2)",
	[ST_RISK_RESOLUTIONS] = "SELECT key, note, role, code, time"
	    " FROM risk_resolutions ORDER BY key",
};

/* A notice on the board: names only (docs/protocol.md, "Public notice"). */
static const struct store_field notice_fields[] = {
	STORE_SHOWN("project", STORE_ID), STORE_SHOWN("title", STORE_TEXT),
	STORE_SHOWN("community", STORE_TEXT),
	STORE_SHOWN("partners", STORE_JSON),
	STORE_SHOWN("street", STORE_TEXT), STORE_SHOWN("org", STORE_TEXT),
	STORE_SHOWN("amount", STORE_YUAN),
	STORE_SHOWN("notice_end", STORE_TEXT),
	STORE_SHOWN("objections_open", STORE_INT), { NULL }
};
static const struct store_record_type notice_shape = {
	"notice", NULL, notice_fields
};

static const struct store_field resolution_fields[] = {
	STORE_SHOWN("key", STORE_TEXT), STORE_SHOWN("note", STORE_TEXT),
	STORE_SHOWN("role", STORE_TEXT), STORE_SHOWN("code", STORE_TEXT),
	STORE_SHOWN("time", STORE_TEXT), { NULL }
};
static const struct store_record_type resolution_shape = {
	"resolution", NULL, resolution_fields
};

int
store_public_notices(struct store *s, int limit, cJSON **items,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_PUBLIC_NOTICES);

	sqlite3_bind_int(st, 1, limit);
	return store_get_all(s, st, store_record_tree, &notice_shape, items,
	    err);
}

int
store_risk_resolve(struct store *s, const char *key, const char *note,
    const char *role, const char *code, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_RISK_RESOLVE);
	char		 now[21];

	store_now(now);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, note);
	store_bind_text(st, 3, role);
	store_bind_text(st, 4, code);
	store_bind_text(st, 5, now);
	return store_step_done(s, st, "risk resolution", err);
}

int
store_risk_seen(struct store *s, const char *key, int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_RISK_SEEN);
	char		 now[21];

	store_now(now);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, now);
	if (store_step_done(s, st, "risk seen", err) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 0;
	*id = sqlite3_last_insert_rowid(s->db);
	return 1;
}

int
store_risk_resolutions(struct store *s, cJSON **items, struct error *err)
{
	return store_get_all(s, store_stmt(s, ST_RISK_RESOLUTIONS),
	    store_record_tree, &resolution_shape, items, err);
}
