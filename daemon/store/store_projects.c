/*
 * store_projects.c: a project, described once (its fields drive the record
 * layer, store_record.c, as a need's do), and what belongs to it: council
 * votes, objections, acceptances and the history of its stages.  The
 * reads across projects (the caps, the public notice board, risk
 * resolutions) are in store_projects_read.c.
 */
#include <stddef.h>

#include "daemon/store/store_priv.h"

static const struct store_field project_fields[] = {
	{ "id", "id", STORE_ID, 0, STORE_UNFILTERED },
	{ "need", "need", STORE_INT, 0, STORE_UNFILTERED },
	{ "offer", "offer", STORE_INT, 0, STORE_UNFILTERED },
	{ "match", "match", STORE_INT, STORE_NULL, STORE_UNFILTERED },
	{ "community", "community", STORE_TEXT, STORE_OWNER, STORE_BY_OWNER },
	/* A paying partner's projects are listed as its own. */
	{ "partners", "partners", STORE_JSON, 0, STORE_BY_OWNER },
	{ "org", "org", STORE_TEXT, 0, STORE_BY_ORG },
	{ "street", "street", STORE_TEXT, 0, STORE_BY_STREET },
	{ "title", "title", STORE_TEXT, 0, STORE_UNFILTERED },
	{ "category", "category", STORE_TEXT, 0, STORE_BY_CATEGORY },
	{ "amount", "amount", STORE_YUAN, 0, STORE_UNFILTERED },
	{ "paid", "paid", STORE_YUAN, 0, STORE_UNFILTERED },
	{ "stage", "stage", STORE_TEXT, 0, STORE_BY_STATUS },
	{ "year", "year", STORE_INT, 0, STORE_BY_YEAR },
	/* The day it counts at in the figures: its fair's date, or the day it
	 * was made outside a fair. */
	{ "dated", "dated", STORE_TEXT, 0, STORE_UNFILTERED },
	{ "progress", "progress", STORE_INT, 0, STORE_UNFILTERED },
	{ "beneficiaries_served", "beneficiaries_served", STORE_INT, 0,
	    STORE_UNFILTERED },
	{ "satisfaction", "satisfaction", STORE_INT, STORE_NULL,
	    STORE_UNFILTERED },
	/* When it entered its stage: deadlines count from here. */
	{ "since", "since", STORE_TEXT, 0, STORE_UNFILTERED },
	{ "notice_end", "notice_end", STORE_TEXT, 0, STORE_UNFILTERED },
	{ "created", "created", STORE_CREATED, 0, STORE_UNFILTERED },
	{ "updated", "updated", STORE_UPDATED, 0, STORE_UNFILTERED },
	{ NULL, NULL, STORE_ID, 0, STORE_UNFILTERED }
};

const struct store_record_type store_projects = {
	"project", "projects", project_fields
};

const char *const store_sql_projects[ST_COUNT] = {
	[ST_PROJ_REJECTED] = "SELECT id FROM projects WHERE need = ?1"
	    " AND offer = ?2 AND stage = 'rejected' ORDER BY id DESC LIMIT 1",
	[ST_PROJ_HISTORY_ADD] = "INSERT INTO project_history (project, time,"
	    " stage, prev, prev_since, role, code, op, date, note) VALUES (?1,"
	    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_PROJ_HISTORY] = "SELECT id, time, stage, prev, role, code, op,"
	    " date, note FROM project_history WHERE project = ?1 ORDER BY id",
	/* A community votes once; the vote that failed is replaced after
	 * the project returned to deliberation (ops_project_steps.c). */
	[ST_PROJ_VOTE_ADD] = "INSERT INTO project_votes (project, community,"
	    " date, members, present, yes, no, abstain, minutes, passed, time)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT (project, community) DO UPDATE SET date = ?3,"
	    " members = ?4, present = ?5, yes = ?6, no = ?7, abstain = ?8,"
	    " minutes = ?9, passed = ?10, time = ?11",
	[ST_PROJ_VOTES] = "SELECT id, community, date, members, present, yes,"
	    " no, abstain, minutes, passed, time FROM project_votes"
	    " WHERE project = ?1 ORDER BY id",
	[ST_OBJECTION_ADD] = "INSERT INTO objections (project, text, role,"
	    " code, time, status) VALUES (?1, ?2, ?3, ?4, ?5, 'open')",
	[ST_OBJECTION_GET] = "SELECT id, project, text, role, code, time,"
	    " status, note, resolved_role, resolved_code, resolved"
	    " FROM objections WHERE id = ?1",
	[ST_OBJECTIONS] = "SELECT id, project, text, role, code, time,"
	    " status, note, resolved_role, resolved_code, resolved"
	    " FROM objections WHERE project = ?1 ORDER BY id",
	[ST_OBJECTION_RESOLVE] = "UPDATE objections SET status = ?2,"
	    " note = ?3, resolved_role = ?4, resolved_code = ?5, resolved = ?6"
	    " WHERE id = ?1 AND status = 'open'",
	[ST_ACCEPTANCE_ADD] = "INSERT INTO acceptances (project, community,"
	    " org, passed, satisfaction, note, current, time) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, 1, ?7)",
	[ST_ACCEPTANCES] = "SELECT id, community, passed, satisfaction, note,"
	    " current, time FROM acceptances WHERE project = ?1 ORDER BY id",
	[ST_ACCEPTANCES_VOID] = "UPDATE acceptances SET current = 0"
	    " WHERE project = ?1",
};

/* The shapes of a project's parts, as the project object shows them. */
static const struct store_field history_fields[] = {
	STORE_SHOWN("id", STORE_ID), STORE_SHOWN("time", STORE_TEXT),
	STORE_SHOWN("stage", STORE_TEXT), STORE_SHOWN("prev", STORE_TEXT),
	STORE_SHOWN("role", STORE_TEXT), STORE_SHOWN("code", STORE_TEXT),
	STORE_SHOWN("op", STORE_TEXT), STORE_SHOWN("date", STORE_TEXT),
	STORE_SHOWN("note", STORE_TEXT), { NULL }
};
static const struct store_field vote_fields[] = {
	STORE_SHOWN("id", STORE_ID), STORE_SHOWN("community", STORE_TEXT),
	STORE_SHOWN("date", STORE_TEXT), STORE_SHOWN("members", STORE_INT),
	STORE_SHOWN("present", STORE_INT), STORE_SHOWN("yes", STORE_INT),
	STORE_SHOWN("no", STORE_INT), STORE_SHOWN("abstain", STORE_INT),
	STORE_SHOWN("minutes", STORE_TEXT), STORE_SHOWN("passed", STORE_BOOL),
	STORE_SHOWN("time", STORE_TEXT), { NULL }
};
static const struct store_field objection_fields[] = {
	STORE_SHOWN("id", STORE_ID), STORE_SHOWN("project", STORE_INT),
	STORE_SHOWN("text", STORE_TEXT), STORE_SHOWN("role", STORE_TEXT),
	STORE_SHOWN("code", STORE_TEXT), STORE_SHOWN("time", STORE_TEXT),
	STORE_SHOWN("status", STORE_TEXT), STORE_SHOWN("note", STORE_TEXT),
	STORE_SHOWN("resolved_role", STORE_TEXT),
	STORE_SHOWN("resolved_code", STORE_TEXT),
	STORE_SHOWN("resolved", STORE_TEXT), { NULL }
};
static const struct store_field acceptance_fields[] = {
	STORE_SHOWN("id", STORE_ID), STORE_SHOWN("community", STORE_TEXT),
	STORE_SHOWN("passed", STORE_BOOL),
	STORE_SHOWN("satisfaction", STORE_INT),
	STORE_SHOWN("note", STORE_TEXT), STORE_SHOWN("current", STORE_BOOL),
	STORE_SHOWN("time", STORE_TEXT), { NULL }
};

static const struct store_record_type part_shapes[STORE_PARTS] = {
	[STORE_PART_HISTORY] = { "history", NULL, history_fields },
	[STORE_PART_VOTES] = { "vote", NULL, vote_fields },
	[STORE_PART_OBJECTIONS] = { "objection", NULL, objection_fields },
	[STORE_PART_ACCEPTANCES] = { "acceptance", NULL, acceptance_fields },
};
static const enum stmt_id part_stmts[STORE_PARTS] = {
	[STORE_PART_HISTORY] = ST_PROJ_HISTORY,
	[STORE_PART_VOTES] = ST_PROJ_VOTES,
	[STORE_PART_OBJECTIONS] = ST_OBJECTIONS,
	[STORE_PART_ACCEPTANCES] = ST_ACCEPTANCES,
};

int
store_project_part(struct store *s, int64_t project, enum store_part which,
    cJSON **items, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, part_stmts[which]);

	sqlite3_bind_int64(st, 1, project);
	return store_get_all(s, st, store_record_tree, &part_shapes[which],
	    items, err);
}

int
store_project_rejected(struct store *s, int64_t need, int64_t offer,
    int64_t *id, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_PROJ_REJECTED);
	int		 rc;

	sqlite3_bind_int64(st, 1, need);
	sqlite3_bind_int64(st, 2, offer);
	if ((rc = store_step_row(s, st, err)) != 0)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
store_project_history_add(struct store *s, int64_t project,
    const struct store_step *t, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_PROJ_HISTORY_ADD);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, project);
	store_bind_text(st, 2, now);
	store_bind_text(st, 3, t->stage);
	store_bind_text(st, 4, t->prev);
	store_bind_text(st, 5, t->prev_since);
	store_bind_text(st, 6, t->role);
	store_bind_text(st, 7, t->code);
	store_bind_text(st, 8, t->op);
	store_bind_text(st, 9, t->date);
	store_bind_text(st, 10, t->note ? t->note : "");
	return store_step_done(s, st, "project history", err);
}

int
store_project_vote_add(struct store *s, int64_t project, const cJSON *v,
    struct error *err)
{
	static const char *const ints[] = { "members", "present", "yes", "no",
	    "abstain" };
	sqlite3_stmt	*st = store_stmt(s, ST_PROJ_VOTE_ADD);
	char		 now[21];
	size_t		 i;

	store_now(now);
	sqlite3_bind_int64(st, 1, project);
	store_bind_text(st, 2, args_str(v, "community", NULL));
	store_bind_text(st, 3, args_str(v, "date", NULL));
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		sqlite3_bind_int64(st, 4 + (int)i, args_int(v, ints[i], 0));
	store_bind_text(st, 9, args_str(v, "minutes", ""));
	sqlite3_bind_int(st, 10, args_bool(v, "passed", 0));
	store_bind_text(st, 11, now);
	return store_step_done(s, st, "vote", err);
}

int
store_objection_add(struct store *s, int64_t project, const char *text,
    const char *role, const char *code, int64_t *id, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_OBJECTION_ADD);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, project);
	store_bind_text(st, 2, text);
	store_bind_text(st, 3, role);
	store_bind_text(st, 4, code);
	store_bind_text(st, 5, now);
	if (store_step_done(s, st, "objection", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_objection_get(struct store *s, int64_t id, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_OBJECTION_GET);

	sqlite3_bind_int64(st, 1, id);
	return store_get_one(s, st, store_record_tree,
	    &part_shapes[STORE_PART_OBJECTIONS], out, err);
}

int
store_objection_resolve(struct store *s, int64_t id, const char *status,
    const char *note, const char *role, const char *code, struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_OBJECTION_RESOLVE);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, status);
	store_bind_text(st, 3, note);
	store_bind_text(st, 4, role);
	store_bind_text(st, 5, code);
	store_bind_text(st, 6, now);
	return store_step_done(s, st, "objection", err);
}

int
store_acceptance_add(struct store *s, int64_t project, const char *community,
    const char *org, int passed, int satisfaction, const char *note,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_ACCEPTANCE_ADD);
	char		 now[21];

	store_now(now);
	sqlite3_bind_int64(st, 1, project);
	store_bind_text(st, 2, community);
	store_bind_text(st, 3, org);
	sqlite3_bind_int(st, 4, passed);
	sqlite3_bind_int(st, 5, satisfaction);
	store_bind_text(st, 6, note);
	store_bind_text(st, 7, now);
	return store_step_done(s, st, "acceptance", err);
}

int
store_acceptances_void(struct store *s, int64_t project, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_ACCEPTANCES_VOID);

	sqlite3_bind_int64(st, 1, project);
	return store_step_done(s, st, "acceptance", err);
}
