/*
 * ops_projects.c: projects (docs/protocol.md, "Projects"): how one begins
 * (a confirmation, or project.create for a pair agreed outside a fair),
 * how it is read (project.get, project.list: the record with its votes,
 * objections, acceptances, history, deadline and the step it waits for),
 * and the machinery every step uses: entering a stage, keeping the
 * history, releasing the amount.  The steps themselves are in
 * ops_project_steps.c; the stages and their rules in domain/programme.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base/clock.h"
#include "daemon/domain/caps.h"
#include "daemon/domain/events.h"
#include "daemon/ops/projects.h"
#include "matcher/matcher.h"

int
project_stage(const cJSON *p)
{
	return programme_stage(ops_str(p, "stage"));
}

int
project_pays(const cJSON *p, const char *community)
{
	const cJSON *c;

	if (community == NULL)
		return 0;
	if (strcmp(ops_str(p, "community"), community) == 0)
		return 1;
	cJSON_ArrayForEach(c, args_get(p, "partners"))
		if (cJSON_IsString(c) && strcmp(c->valuestring, community) == 0)
			return 1;
	return 0;
}

int
project_load(struct op_ctx *ctx, const cJSON *args, const char *key,
    cJSON **p, struct error *err)
{
	long long	id = args_int(args, key, 0);
	int		rc;

	ops_object_id(ctx, id);
	if ((rc = store_record_get(ctx->store, STORE_PROJECT, id, p,
	    err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, key, "there is no project "
		    "%lld", id);
	return 0;
}

/* ---- the step a project waits for -------------------------------------- */

/* Whether items (votes or acceptances) hold a passing one of community
 * (of the current round: acceptances with current). */
static int
project_passed(const cJSON *items, const char *community)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, items)
		if (strcmp(ops_str(it, "community"), community) == 0 &&
		    cJSON_IsTrue(args_get(it, "passed")) &&
		    (args_get(it, "current") == NULL ||
		    cJSON_IsTrue(args_get(it, "current"))))
			return 1;
	return 0;
}

/* The paying communities that have not passed in items, into by. */
static void
project_owing(const cJSON *p, const cJSON *items, cJSON *by)
{
	const cJSON *c;

	if (!project_passed(items, ops_str(p, "community")))
		cJSON_AddItemToArray(by, cJSON_CreateString(ops_str(p,
		    "community")));
	cJSON_ArrayForEach(c, args_get(p, "partners"))
		if (cJSON_IsString(c) && !project_passed(items, c->valuestring))
			cJSON_AddItemToArray(by, cJSON_CreateString(
			    c->valuestring));
}

static int
project_open_objections(const cJSON *objections)
{
	const cJSON	*o;
	int		 n = 0;

	cJSON_ArrayForEach(o, objections)
		n += strcmp(ops_str(o, "status"), "open") == 0;
	return n;
}

/*
 * The step p waits for: {"op", "role", "by": [codes], "after"?}, or null
 * when none is left; a vote's adds the rules it is held to ("quorum",
 * "pass_share").  parts are its votes, objections and acceptances.
 */
static cJSON *
project_next(const struct config *conf, const cJSON *p, const cJSON *votes,
    const cJSON *objections, const cJSON *acceptances)
{
	const char	*op, *role;
	cJSON		*n, *by;
	time_t		 end;

	switch (project_stage(p)) {
	case PS_DELIBERATION:
		op = "project.deliberate", role = "community";
		break;
	case PS_NOTICE:
		if (project_open_objections(objections) > 0)
			op = "objection.resolve", role = "organizer";
		else
			op = "project.start", role = "org";
		break;
	case PS_IMPLEMENTING:
		op = "project.complete", role = "org";
		break;
	case PS_COMPLETED:
		op = "project.accept", role = "community";
		break;
	case PS_ACCEPTED:
		op = "project.settle", role = "admin";
		break;
	default:
		return cJSON_CreateNull();
	}
	if ((n = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(n, "op", op);
	cJSON_AddStringToObject(n, "role", role);
	by = cJSON_AddArrayToObject(n, "by");
	if (by == NULL)
		return n;
	if (strcmp(op, "project.deliberate") == 0) {
		project_owing(p, votes, by);
		/* The rules the vote is held to, for the form that asks. */
		cJSON_AddStringToObject(n, "quorum", conf->quorum.text);
		cJSON_AddNumberToObject(n, "pass_share", conf->pass_share);
	} else if (strcmp(op, "project.accept") == 0)
		project_owing(p, acceptances, by);
	else if (strcmp(role, "org") == 0)
		cJSON_AddItemToArray(by, cJSON_CreateString(ops_str(p, "org")));
	else if (strcmp(role, "organizer") == 0)
		cJSON_AddItemToArray(by, cJSON_CreateString(ops_str(p,
		    "street")));
	if (strcmp(op, "project.start") == 0 && clock_parse(ops_str(p,
	    "notice_end"), &end) == 0 && clock_now() < end)
		cJSON_AddStringToObject(n, "after", ops_str(p, "notice_end"));
	return n;
}

/* The deadline of p's stage and whether it has passed, now. */
static void
project_due(struct op_ctx *ctx, cJSON *p)
{
	time_t	since, due;
	char	buf[CLOCK_TEXT_LEN];

	if (clock_parse(ops_str(p, "since"), &since) == 0 &&
	    programme_due(ctx->conf, project_stage(p), since, &due)) {
		clock_format(due, buf);
		ops_add(p, "due", cJSON_CreateString(buf));
		ops_add(p, "overdue", cJSON_CreateBool(clock_now() > due));
	} else {
		ops_add(p, "due", cJSON_CreateNull());
		ops_add(p, "overdue", cJSON_CreateFalse());
	}
}

int
project_object(struct op_ctx *ctx, int64_t id, cJSON **out,
    struct error *err)
{
	static const char *const keys[STORE_PARTS] = {
	    [STORE_PART_HISTORY] = "history", [STORE_PART_VOTES] = "votes",
	    [STORE_PART_OBJECTIONS] = "objections",
	    [STORE_PART_ACCEPTANCES] = "acceptances" };
	cJSON	*p, *part[STORE_PARTS], *next;
	int	 i, rc;

	if ((rc = store_record_get(ctx->store, STORE_PROJECT, id, &p,
	    err)) != 0)
		return rc == 1 ? error_set(err, ERR_NOT_FOUND, "project",
		    "there is no project %lld", (long long)id) : -1;
	for (i = 0; i < STORE_PARTS; i++) {
		if (store_project_part(ctx->store, id, (enum store_part)i,
		    &part[i], err) == -1) {
			cJSON_Delete(p);
			return -1;
		}
		ops_add(p, keys[i], part[i]);
	}
	project_due(ctx, p);
	next = project_next(ctx->conf, p, part[STORE_PART_VOTES],
	    part[STORE_PART_OBJECTIONS], part[STORE_PART_ACCEPTANCES]);
	ops_add(p, "next", next);
	*out = p;
	return 0;
}

int
project_answer(struct op_ctx *ctx, int64_t id, cJSON **result,
    struct error *err)
{
	cJSON *p;

	if (project_object(ctx, id, &p, err) == -1)
		return -1;
	if (*result == NULL && (*result = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(p);
		return ops_oom(err);
	}
	ops_add(*result, "project", p);
	return 0;
}

int
project_refuse_stage(struct op_ctx *ctx, const cJSON *p, const char *op,
    struct error *err)
{
	const char	*stage = ops_str(p, "stage");
	char		 reason[48], by[256] = "";
	cJSON		*full = NULL;
	const cJSON	*next, *c;
	size_t		 len = 0;

	snprintf(reason, sizeof(reason), "stage_%s", stage);
	if (project_object(ctx, (int64_t)ops_num(p, "id"), &full, err) == -1)
		return -1;
	next = args_get(full, "next");
	cJSON_ArrayForEach(c, args_get(next, "by"))
		if (cJSON_IsString(c) && len < sizeof(by))
			len += (size_t)snprintf(by + len, sizeof(by) - len,
			    "%s%s", len ? ", " : "", c->valuestring);
	if (!cJSON_IsObject(next))
		ops_refuse(err, ERR_CONFLICT, NULL, reason, "%s cannot be "
		    "done now: project %lld is %s, and no step is left for "
		    "it%s", op, (long long)ops_num(p, "id"), stage,
		    project_stage(p) == PS_REJECTED ? " (project.create on "
		    "its need and offer returns it to deliberation)" : "");
	else
		ops_refuse(err, ERR_CONFLICT, NULL, reason, "%s cannot be "
		    "done now: project %lld is in %s and waits for %s by "
		    "%s%s%s%s%s", op, (long long)ops_num(p, "id"), stage,
		    ops_str(next, "op"), ops_str(next, "role"), by[0] ? " " :
		    "", by, args_get(next, "after") ? " after " : "",
		    args_get(next, "after") ? ops_str(next, "after") : "");
	cJSON_Delete(full);
	return -1;
}

int
project_take(struct op_ctx *ctx, cJSON *need, cJSON *offer,
    struct error *err)
{
	int remaining = (int)ops_num(offer, "remaining");

	ops_set(need, "status", cJSON_CreateString("matched"));
	ops_set(offer, "remaining", cJSON_CreateNumber(remaining - 1));
	if (remaining == 1)
		ops_set(offer, "status", cJSON_CreateString("full"));
	if (store_record_update(ctx->store, STORE_NEED, need, err) == -1 ||
	    store_record_update(ctx->store, STORE_OFFER, offer, err) == -1)
		return -1;
	return 0;
}

/* ---- entering a stage -------------------------------------------------- */

/* A rejected or cancelled project frees its need and the offer's place:
 * the need is open again, the offer serves one more. */
static int
project_release(struct op_ctx *ctx, const cJSON *p, struct error *err)
{
	cJSON	*need = NULL, *offer = NULL;
	int	 rc = -1, remaining, capacity;

	if (store_record_get(ctx->store, STORE_NEED, (int64_t)ops_num(p,
	    "need"), &need, err) != 0 || store_record_get(ctx->store,
	    STORE_OFFER, (int64_t)ops_num(p, "offer"), &offer, err) != 0)
		goto out;
	if (strcmp(ops_str(need, "status"), "matched") == 0) {
		ops_set(need, "status", cJSON_CreateString("open"));
		if (store_record_update(ctx->store, STORE_NEED, need,
		    err) == -1)
			goto out;
	}
	remaining = (int)ops_num(offer, "remaining");
	capacity = (int)ops_num(offer, "capacity");
	if (remaining < capacity)
		ops_set(offer, "remaining", cJSON_CreateNumber(remaining + 1));
	if (strcmp(ops_str(offer, "status"), "full") == 0)
		ops_set(offer, "status", cJSON_CreateString("open"));
	rc = store_record_update(ctx->store, STORE_OFFER, offer, err);
out:
	cJSON_Delete(need);
	cJSON_Delete(offer);
	return rc;
}

int
project_step(struct op_ctx *ctx, cJSON *p, int stage, const char *date,
    const char *note, struct error *err)
{
	struct store_step	 t;
	char			 prev[16], since[CLOCK_TEXT_LEN];
	char			 now[CLOCK_TEXT_LEN], end[CLOCK_TEXT_LEN];

	snprintf(prev, sizeof(prev), "%s", ops_str(p, "stage"));
	snprintf(since, sizeof(since), "%s", ops_str(p, "since"));
	clock_format(clock_now(), now);
	if (stage >= 0) {
		ops_set(p, "stage", cJSON_CreateString(
		    programme_stages[stage]));
		ops_set(p, "since", cJSON_CreateString(now));
		if (stage == PS_NOTICE) {
			clock_format(clock_now() + (time_t)ctx->conf->notice_days *
			    86400, end);
			ops_set(p, "notice_end", cJSON_CreateString(end));
		}
		if (!programme_holds_cap(stage) &&
		    project_release(ctx, p, err) == -1)
			return -1;
	}
	memset(&t, 0, sizeof(t));
	t.stage = ops_str(p, "stage");
	t.prev = prev;
	t.prev_since = since;
	t.role = ctx->who ? ctx->who->acct.role : NULL;
	t.code = ctx->who ? ctx->who->acct.code : NULL;
	t.op = ctx->op ? ctx->op->name : "";
	t.date = date;
	t.note = note;
	if (store_record_update(ctx->store, STORE_PROJECT, p, err) == -1 ||
	    (stage >= 0 && events_project_stage(ctx->store, (int64_t)ops_num(p,
	    "id"), p, prev, err) == -1))
		return -1;
	return store_project_history_add(ctx->store, (int64_t)ops_num(p,
	    "id"), &t, err);
}

/* ---- a project begins -------------------------------------------------- */

/*
 * The day a project counts at in the figures (dated): its fair's date
 * when it comes from a match, else today.  0 or -1.
 */
static int
project_dated(struct op_ctx *ctx, int64_t match, char date[16],
    struct error *err)
{
	cJSON	*m = NULL, *f = NULL;
	char	 now[CLOCK_TEXT_LEN];
	int	 rc = 0;

	clock_format(clock_now(), now);
	snprintf(date, 16, "%.10s", now);
	if (match <= 0)
		return 0;
	if (store_match_get(ctx->store, match, &m, err) != 0 ||
	    store_fair_get(ctx->store, (int64_t)ops_num(m, "fair"), &f,
	    err) != 0)
		rc = -1;
	else
		snprintf(date, 16, "%s", ops_str(f, "date"));
	cJSON_Delete(m);
	cJSON_Delete(f);
	return rc;
}

/* A rejected project of the pair returns to deliberation on new terms. */
static int
project_revive(struct op_ctx *ctx, int64_t id, const cJSON *need,
    int64_t match, int64_t amount, struct error *err)
{
	cJSON	*p;
	char	 dated[16];
	int	 rc;

	if (project_dated(ctx, match, dated, err) == -1 ||
	    store_record_get(ctx->store, STORE_PROJECT, id, &p, err) != 0)
		return -1;
	if (match > 0)
		ops_set(p, "match", cJSON_CreateNumber((double)match));
	ops_set(p, "dated", cJSON_CreateString(dated));
	ops_set_dup(p, "partners", args_get(need, "partners"));
	ops_set_dup(p, "title", args_get(need, "title"));
	ops_set_dup(p, "category", args_get(need, "category"));
	ops_set_dup(p, "year", args_get(need, "year"));
	ops_set(p, "amount", cJSON_CreateNumber((double)amount / 100.0));
	ops_set(p, "notice_end", cJSON_CreateNull());
	rc = store_acceptances_void(ctx->store, id, err) == -1 ||
	    project_step(ctx, p, PS_DELIBERATION, NULL, "returned to "
	    "deliberation: the failed vote is replaced by the next", err) ==
	    -1 ? -1 : 0;
	cJSON_Delete(p);
	return rc;
}

int
project_open(struct op_ctx *ctx, int64_t need_id, int64_t offer_id,
    int64_t match, int64_t amount, int64_t *id, struct error *err)
{
	struct store_step	 t;
	cJSON			*need = NULL, *offer = NULL, *p = NULL;
	char			 now[CLOCK_TEXT_LEN], dated[16];
	int			 rc = -1;

	*id = 0;
	if (store_project_rejected(ctx->store, need_id, offer_id, id,
	    err) == -1 || store_record_get(ctx->store, STORE_NEED, need_id,
	    &need, err) != 0 || store_record_get(ctx->store, STORE_OFFER,
	    offer_id, &offer, err) != 0)
		goto out;
	if (*id > 0) {
		rc = project_revive(ctx, *id, need, match, amount, err);
		goto out;
	}
	clock_format(clock_now(), now);
	if (project_dated(ctx, match, dated, err) == -1)
		goto out;
	if ((p = cJSON_CreateObject()) == NULL)
		goto oom;
	ops_add(p, "need", cJSON_CreateNumber((double)need_id));
	ops_add(p, "offer", cJSON_CreateNumber((double)offer_id));
	ops_add(p, "match", match > 0 ? cJSON_CreateNumber((double)match) :
	    cJSON_CreateNull());
	ops_add(p, "community", cJSON_Duplicate(args_get(need, "community"),
	    1));
	ops_add(p, "partners", cJSON_Duplicate(args_get(need, "partners"), 1));
	ops_add(p, "org", cJSON_Duplicate(args_get(offer, "org"), 1));
	ops_add(p, "street", cJSON_Duplicate(args_get(need, "street"), 1));
	ops_add(p, "title", cJSON_Duplicate(args_get(need, "title"), 1));
	ops_add(p, "category", cJSON_Duplicate(args_get(need, "category"), 1));
	ops_add(p, "amount", cJSON_CreateNumber((double)amount / 100.0));
	ops_add(p, "paid", cJSON_CreateNumber(0));
	ops_add(p, "stage", cJSON_CreateString("deliberation"));
	ops_add(p, "year", cJSON_Duplicate(args_get(need, "year"), 1));
	ops_add(p, "dated", cJSON_CreateString(dated));
	ops_add(p, "progress", cJSON_CreateNumber(0));
	ops_add(p, "beneficiaries_served", cJSON_CreateNumber(0));
	ops_add(p, "satisfaction", cJSON_CreateNull());
	ops_add(p, "since", cJSON_CreateString(now));
	ops_add(p, "notice_end", cJSON_CreateNull());
	if (store_record_insert(ctx->store, STORE_PROJECT, p, id, err) == -1)
		goto out;
	if (events_project_stage(ctx->store, *id, p, "", err) == -1)
		goto out;
	memset(&t, 0, sizeof(t));
	t.stage = "deliberation";
	t.role = ctx->who ? ctx->who->acct.role : NULL;
	t.code = ctx->who ? ctx->who->acct.code : NULL;
	t.op = ctx->op ? ctx->op->name : "";
	t.note = match > 0 ? "confirmed at a fair" : "agreed outside a fair";
	rc = store_project_history_add(ctx->store, *id, &t, err);
	goto out;
oom:
	ops_oom(err);
out:
	cJSON_Delete(need);
	cJSON_Delete(offer);
	cJSON_Delete(p);
	return rc;
}
