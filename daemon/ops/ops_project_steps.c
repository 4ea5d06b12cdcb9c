/*
 * ops_project_steps.c: the steps of a project between its beginning and
 * its payment (docs/protocol.md, "Projects"; the drawing is in
 * domain/programme.h), each by the one who owes it:
 *
 *   project.deliberate	a paying community's council votes; the last
 *			approval starts the notice, a failed vote rejects
 *   project.object	anyone signed in, while the project is on notice
 *   objection.resolve	the street's organizer (or the admin): an upheld
 *			objection cancels the project
 *   project.start	the organisation, once the notice is over with no
 *			objection open
 *   project.progress	the organisation, while implementing
 *   project.complete	the organisation: the work done, people served
 *   project.accept	every paying community; a failure sends it back
 *
 * Each checks, in this order: the caller's part in the project
 * (forbidden), the stage (conflict, reason stage_<stage>, naming the step
 * owed and by whom), then the step's own rules.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "daemon/base/clock.h"
#include "daemon/domain/events.h"
#include "daemon/ops/projects.h"

/* The caller is a paying community of p (else forbidden). */
static int
step_paying(struct op_ctx *ctx, const cJSON *p, struct error *err)
{
	if (project_pays(p, ctx->who->acct.code))
		return 0;
	return ops_refuse(err, ERR_FORBIDDEN, "project", "not_paying_community",
	    "community %s does not pay for project %lld: its council does not "
	    "decide it (the paying communities are %s and its partners)",
	    ctx->who->acct.code, (long long)ops_num(p, "id"),
	    ops_str(p, "community"));
}

/* The caller is p's organisation (else forbidden). */
static int
step_org(struct op_ctx *ctx, const cJSON *p, struct error *err)
{
	if (strcmp(ops_str(p, "org"), ctx->who->acct.code) == 0)
		return 0;
	return ops_refuse(err, ERR_FORBIDDEN, "project", "not_project_org",
	    "project %lld is carried out by organisation %s; only it reports "
	    "its work", (long long)ops_num(p, "id"), ops_str(p, "org"));
}

/* Load args.project, check who calls and that its stage is `stage`. */
static int
step_begin(struct op_ctx *ctx, const cJSON *args, int stage,
    int (*who)(struct op_ctx *, const cJSON *, struct error *), cJSON **p,
    struct error *err)
{
	if (project_load(ctx, args, "project", p, err) == -1)
		return -1;
	if ((who != NULL && who(ctx, *p, err) == -1) ||
	    (project_stage(*p) != stage && project_refuse_stage(ctx, *p,
	    ctx->op->name, err) == -1)) {
		cJSON_Delete(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

/* Answer {"project": ...} after a step on p (freed). */
static int
step_end(struct op_ctx *ctx, cJSON *p, int rc, cJSON **result,
    struct error *err)
{
	int64_t id = (int64_t)ops_num(p, "id");

	cJSON_Delete(p);
	if (rc == -1)
		return -1;
	return project_answer(ctx, id, result, err);
}

/* The passing items (votes, current acceptances) of p's communities:
 * whether every paying community has one. */
static int
step_all_passed(struct op_ctx *ctx, const cJSON *p, enum store_part part,
    struct error *err, int *all)
{
	cJSON		*items, *it;
	const cJSON	*c;
	int		 n = 0, need = 1;

	if (store_project_part(ctx->store, (int64_t)ops_num(p, "id"), part,
	    &items, err) == -1)
		return -1;
	cJSON_ArrayForEach(c, args_get(p, "partners"))
		need++;
	cJSON_ArrayForEach(it, items)
		if (cJSON_IsTrue(args_get(it, "passed")) &&
		    (part != STORE_PART_ACCEPTANCES ||
		    cJSON_IsTrue(args_get(it, "current"))) &&
		    project_pays(p, ops_str(it, "community")))
			n++;
	cJSON_Delete(items);
	*all = n >= need;
	return 0;
}

/* The community's vote on p, or NULL; the caller frees it. */
static cJSON *
step_vote_of(struct op_ctx *ctx, const cJSON *p, const char *community,
    struct error *err, int *rc)
{
	cJSON *votes, *it, *v = NULL;

	*rc = store_project_part(ctx->store, (int64_t)ops_num(p, "id"),
	    STORE_PART_VOTES, &votes, err);
	if (*rc == -1)
		return NULL;
	cJSON_ArrayForEach(it, votes)
		if (strcmp(ops_str(it, "community"), community) == 0)
			v = cJSON_Duplicate(it, 1);
	cJSON_Delete(votes);
	return v;
}

int
op_project_deliberate(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*field, *reason, *me = ctx->who->acct.code;
	long		 members = (long)args_int(args, "members", 0);
	long		 present = (long)args_int(args, "present", 0);
	long		 yes = (long)args_int(args, "yes", 0);
	long		 no = (long)args_int(args, "no", 0);
	long		 abstain = (long)args_int(args, "abstain", 0);
	char		 note[160], today[CLOCK_TEXT_LEN];
	cJSON		*p, *old, *vote;
	int		 rc, passed, all;

	if (step_begin(ctx, args, PS_DELIBERATION, step_paying, &p, err) == -1)
		return -1;
	/* Once per community; a failed vote stands until project.create
	 * returned the project to deliberation, then the next replaces it. */
	old = step_vote_of(ctx, p, me, err, &rc);
	if (rc == -1 || (old != NULL && cJSON_IsTrue(args_get(old,
	    "passed")))) {
		cJSON_Delete(old);
		if (rc != -1)
			ops_refuse(err, ERR_CONFLICT, NULL, "already_voted",
			    "the council of %s has voted on project %lld "
			    "already", me, (long long)ops_num(p, "id"));
		return step_end(ctx, p, -1, result, err);
	}
	cJSON_Delete(old);
	/* Today where it is latest (UTC+14): a council of the district's
	 * time zone never meets after that. */
	clock_format(clock_now() + 14 * 3600, today);
	if (strncmp(args_str(args, "date", ""), today, 10) > 0) {
		ops_refuse(err, ERR_INVALID_ARGUMENT, "date", "date_future",
		    "the council cannot have met on %s, a day still to come",
		    args_str(args, "date", ""));
		return step_end(ctx, p, -1, result, err);
	}
	if (programme_vote_valid(ctx->conf, members, present, yes, no, abstain,
	    &field, &reason) == -1) {
		if (strcmp(reason, "counts_mismatch") == 0)
			ops_refuse(err, ERR_INVALID_ARGUMENT, field, reason,
			    "yes + no + abstain (%ld) must equal present (%ld)",
			    yes + no + abstain, present);
		else if (strcmp(reason, "quorum_not_met") == 0)
			ops_refuse(err, ERR_INVALID_ARGUMENT, field, reason,
			    "no quorum: %ld of %ld members present, at least "
			    "%ld (%s of the members) must be", present, members,
			    programme_quorum(ctx->conf, members),
			    ctx->conf->quorum.text);
		else
			ops_refuse(err, ERR_INVALID_ARGUMENT, field, reason,
			    "present (%ld) cannot exceed members (%ld)",
			    present, members);
		return step_end(ctx, p, -1, result, err);
	}
	passed = programme_vote_passes(ctx->conf, present, yes);
	if ((vote = cJSON_Duplicate(args, 1)) == NULL)
		return step_end(ctx, p, ops_oom(err), result, err);
	ops_set(vote, "community", cJSON_CreateString(me));
	ops_set(vote, "passed", cJSON_CreateBool(passed));
	rc = store_project_vote_add(ctx->store, (int64_t)ops_num(p, "id"),
	    vote, err);
	cJSON_Delete(vote);
	snprintf(note, sizeof(note), "council of %s: %ld of %ld present, %ld "
	    "yes, %ld no, %ld abstain: %s", me, present, members, yes, no,
	    abstain, passed ? "approved" : "rejected");
	if (rc == -1 || (passed && step_all_passed(ctx, p, STORE_PART_VOTES,
	    err, &all) == -1))
		return step_end(ctx, p, -1, result, err);
	rc = project_step(ctx, p, !passed ? PS_REJECTED : all ? PS_NOTICE : -1,
	    args_str(args, "date", NULL), note, err);
	if (step_end(ctx, p, rc, result, err) == -1)
		return -1;
	/* The vote as stored, beside the project it moved. */
	cJSON_ArrayForEach(vote, args_get(args_get(*result, "project"),
	    "votes"))
		if (strcmp(ops_str(vote, "community"), me) == 0)
			ops_add(*result, "vote", cJSON_Duplicate(vote, 1));
	return 0;
}

int
op_project_object(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*p, *o;
	int64_t	 id;
	char	 note[64];

	if (step_begin(ctx, args, PS_NOTICE, NULL, &p, err) == -1)
		return -1;
	if (store_objection_add(ctx->store, (int64_t)ops_num(p, "id"),
	    args_str(args, "text", ""), ctx->who->acct.role,
	    ctx->who->acct.code, &id, err) == -1 ||
	    events_objection_lodged(ctx->store, id, p, err) == -1)
		return step_end(ctx, p, -1, result, err);
	snprintf(note, sizeof(note), "objection %lld lodged", (long long)id);
	if (project_step(ctx, p, -1, NULL, note, err) == -1)
		return step_end(ctx, p, -1, result, err);
	cJSON_Delete(p);
	if (store_objection_get(ctx->store, id, &o, err) != 0)
		return -1;
	*result = ops_wrap("objection", o);
	return *result ? 0 : ops_oom(err);
}

int
op_objection_resolve(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*decision = args_str(args, "decision", "");
	const char	*mine = ctx->who->acct.street;
	long long	 oid = args_int(args, "objection", 0);
	cJSON		*o = NULL, *p = NULL;
	char		 note[96];
	int		 rc, upheld = strcmp(decision, "upheld") == 0;

	ops_object_id(ctx, oid);
	if ((rc = store_objection_get(ctx->store, oid, &o, err)) != 0)
		return rc == 1 ? error_set(err, ERR_NOT_FOUND, "objection",
		    "there is no objection %lld", oid) : -1;
	if ((rc = store_record_get(ctx->store, STORE_PROJECT,
	    (int64_t)ops_num(o, "project"), &p, err)) != 0)
		goto out;
	rc = -1;
	if (ctx->who->role == ROLE_ORGANIZER && mine[0] != '\0' &&
	    strcmp(mine, ops_str(p, "street")) != 0)
		ops_refuse(err, ERR_FORBIDDEN, "objection", "not_in_scope",
		    "objection %lld is about a project of %s; the organizer "
		    "of that street resolves it", oid, ops_str(p, "street"));
	else if (strcmp(ops_str(o, "status"), "open") != 0)
		ops_refuse(err, ERR_CONFLICT, NULL, "objection_resolved",
		    "objection %lld is %s already", oid, ops_str(o, "status"));
	else if (store_objection_resolve(ctx->store, oid, decision,
	    args_str(args, "note", ""), ctx->who->acct.role,
	    ctx->who->acct.code, err) == 0) {
		snprintf(note, sizeof(note), "objection %lld %s", oid,
		    decision);
		/* An upheld objection cancels a project still under way. */
		rc = project_step(ctx, p, upheld && programme_holds_cap(
		    project_stage(p)) && project_stage(p) < PS_ACCEPTED ?
		    PS_CANCELLED : -1, NULL, note, err);
	}
	cJSON_Delete(o);
	o = NULL;
	if (rc == 0 && (store_objection_get(ctx->store, oid, &o, err) != 0 ||
	    (*result = ops_wrap("objection", o)) == NULL))
		rc = -1;
	if (rc == 0)
		rc = project_answer(ctx, (int64_t)ops_num(p, "id"), result, err);
	o = NULL;
out:
	cJSON_Delete(o);
	cJSON_Delete(p);
	return rc;
}

int
op_project_start(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*p, *objections, *it;
	time_t	 end;
	int	 open = 0, rc;

	if (step_begin(ctx, args, PS_NOTICE, step_org, &p, err) == -1)
		return -1;
	if (store_project_part(ctx->store, (int64_t)ops_num(p, "id"),
	    STORE_PART_OBJECTIONS, &objections, err) == -1)
		return step_end(ctx, p, -1, result, err);
	cJSON_ArrayForEach(it, objections)
		open += strcmp(ops_str(it, "status"), "open") == 0;
	cJSON_Delete(objections);
	if (open > 0)
		rc = ops_refuse(err, ERR_CONFLICT, NULL, "objection_open",
		    "project %lld is held on notice by %d open objection%s: "
		    "the organizer of %s resolves %s first (objection.resolve)",
		    (long long)ops_num(p, "id"), open, open > 1 ? "s" : "",
		    ops_str(p, "street"), open > 1 ? "them" : "it");
	else if (clock_parse(ops_str(p, "notice_end"), &end) == 0 &&
	    clock_now() < end)
		rc = ops_refuse(err, ERR_CONFLICT, NULL, "notice_running",
		    "project %lld is on public notice until %s; it may start "
		    "after that", (long long)ops_num(p, "id"),
		    ops_str(p, "notice_end"));
	else
		rc = project_step(ctx, p, PS_IMPLEMENTING, args_str(args,
		    "date", NULL), "started", err);
	return step_end(ctx, p, rc, result, err);
}

int
op_project_progress(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON	*p;
	char	 note[2100];
	long	 pct = (long)args_int(args, "percent", 0);

	if (step_begin(ctx, args, PS_IMPLEMENTING, step_org, &p, err) == -1)
		return -1;
	ops_set(p, "progress", cJSON_CreateNumber((double)pct));
	snprintf(note, sizeof(note), "%ld%%: %s", pct, args_str(args, "note",
	    ""));
	return step_end(ctx, p, project_step(ctx, p, -1, args_str(args, "date",
	    NULL), note, err), result, err);
}

int
op_project_complete(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON *p;

	if (step_begin(ctx, args, PS_IMPLEMENTING, step_org, &p, err) == -1)
		return -1;
	ops_set(p, "progress", cJSON_CreateNumber(100));
	ops_set_dup(p, "beneficiaries_served", args_get(args,
	    "beneficiaries_served"));
	return step_end(ctx, p, project_step(ctx, p, PS_COMPLETED, NULL,
	    args_str(args, "note", ""), err), result, err);
}

/* The mean satisfaction of the current passing acceptances, rounded. */
static int
step_satisfaction(struct op_ctx *ctx, const cJSON *p, struct error *err,
    double *mean)
{
	cJSON	*items, *it;
	int	 n = 0;
	double	 sum = 0;

	if (store_project_part(ctx->store, (int64_t)ops_num(p, "id"),
	    STORE_PART_ACCEPTANCES, &items, err) == -1)
		return -1;
	cJSON_ArrayForEach(it, items)
		if (cJSON_IsTrue(args_get(it, "current")) &&
		    cJSON_IsTrue(args_get(it, "passed"))) {
			sum += ops_num(it, "satisfaction");
			n++;
		}
	cJSON_Delete(items);
	*mean = n ? floor(sum / n + 0.5) : 0;
	return 0;
}

int
op_project_accept(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*me = ctx->who->acct.code;
	int		 passed = args_bool(args, "passed", 0), all = 0, rc;
	cJSON		*p, *items, *it;
	double		 mean;
	char		 note[2200];

	if (step_begin(ctx, args, PS_COMPLETED, step_paying, &p, err) == -1)
		return -1;
	if (store_project_part(ctx->store, (int64_t)ops_num(p, "id"),
	    STORE_PART_ACCEPTANCES, &items, err) == -1)
		return step_end(ctx, p, -1, result, err);
	rc = 0;
	cJSON_ArrayForEach(it, items)
		if (cJSON_IsTrue(args_get(it, "current")) &&
		    strcmp(ops_str(it, "community"), me) == 0)
			rc = ops_refuse(err, ERR_CONFLICT, NULL,
			    "already_accepted", "%s has accepted project %lld "
			    "already", me, (long long)ops_num(p, "id"));
	cJSON_Delete(items);
	if (rc == -1 || store_acceptance_add(ctx->store, (int64_t)ops_num(p,
	    "id"), me, ops_str(p, "org"), passed, (int)args_int(args,
	    "satisfaction", 0), args_str(args, "note", ""), err) == -1)
		return step_end(ctx, p, -1, result, err);
	snprintf(note, sizeof(note), "acceptance by %s %s (satisfaction %lld):"
	    " %s", me, passed ? "passed" : "failed", args_int(args,
	    "satisfaction", 0), args_str(args, "note", ""));
	if (!passed) {
		/* Back to work: this round's acceptances are void. */
		rc = store_acceptances_void(ctx->store, (int64_t)ops_num(p,
		    "id"), err) == -1 ? -1 : project_step(ctx, p,
		    PS_IMPLEMENTING, NULL, note, err);
		return step_end(ctx, p, rc, result, err);
	}
	if (step_all_passed(ctx, p, STORE_PART_ACCEPTANCES, err, &all) == -1 ||
	    (all && step_satisfaction(ctx, p, err, &mean) == -1))
		return step_end(ctx, p, -1, result, err);
	if (all)
		ops_set(p, "satisfaction", cJSON_CreateNumber(mean));
	return step_end(ctx, p, project_step(ctx, p, all ? PS_ACCEPTED : -1,
	    NULL, note, err), result, err);
}
