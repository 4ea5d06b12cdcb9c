/*
 * ops_schedule.c: the meeting schedule of a fair (fair.schedule) and
 * reading it back (fair.meetings).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "daemon/domain/match_input.h"
#include "daemon/ops/ops.h"
#include "daemon/store/store_reader.h"
#include "matcher/schedule.h"

/* One meeting being planned, before it has a place. */
struct plan {
	int		need, offer;	/* indexes in the match input */
	int32_t		score;
	int		matched;
	int		must;		/* a side said `must` */
};

struct planner {
	struct match_input	 mi;
	struct plan		*plans;
	size_t			 n, cap;
	int			*matched_offer;	/* per need: offer index or -1 */
	int32_t			*matched_score;
	struct schedule_meeting	*sm;
	int			*org_rank;	/* per org: its place in code order */
	size_t			*order;		/* plans by (need, offer) */
	/* OP_SPLIT: what the write needs. */
	struct schedule_result	 res;
	cJSON			*fair;
	int64_t			 fid;
	int			 run;		/* the published run planned */
};

static int
plan_add(struct planner *p, int need, int offer, int32_t score, int matched)
{
	struct plan	*np;
	size_t		 c;

	if (p->n == p->cap) {
		c = p->cap ? p->cap * 2 : 256;
		if ((np = realloc(p->plans, c * sizeof(*np))) == NULL)
			return -1;
		p->plans = np;
		p->cap = c;
	}
	p->plans[p->n++] = (struct plan){ need, offer, score, matched, 0 };
	return 0;
}

/* Whether a match of the published run is a pair that meets as matched:
 * live or confirmed, not declined, superseded or expired. */
static int
planner_is_pair(const char *status)
{
	return strcmp(status, "declined") != 0 &&
	    strcmp(status, "superseded") != 0 &&
	    strcmp(status, "expired") != 0;
}

/* The pairs of the published run (run 0: none) are the matches. */
static int
planner_matches(struct planner *p, struct op_ctx *ctx, int64_t fair,
    int run, struct error *err)
{
	const cJSON	*m;
	cJSON		*items;
	int		 n, o;

	if (run == 0)
		return 0;
	if (store_matches_list(ctx->store, fair, run, NULL, NULL, &items,
	    err) == -1)
		return -1;
	cJSON_ArrayForEach(m, items) {
		if (!planner_is_pair(ops_str(m, "status")))
			continue;
		n = match_input_need(&p->mi, (int64_t)ops_num(m, "need"));
		o = match_input_offer(&p->mi, (int64_t)ops_num(m, "offer"));
		if (n < 0 || o < 0)
			continue;
		p->matched_offer[n] = o;
		p->matched_score[n] = (int32_t)llround(ops_num(m, "score") *
		    100);
	}
	cJSON_Delete(items);
	return 0;
}

/*
 * The pairs a side said `must` of meet too, beyond per_need and whether
 * candidates or not (a candidate's score kept): marked, or added.
 */
static int
planner_must(struct planner *p, const struct matcher_cands *cands)
{
	const struct matcher_interest	*in;
	size_t				 i, k, n = p->n;
	int32_t				 score;

	for (i = 0; i < p->mi.ninterests; i++) {
		in = &p->mi.interests[i];
		if (!(in->level & MATCHER_MUST))
			continue;
		for (k = 0; k < n; k++)
			if (p->plans[k].need == in->need &&
			    p->plans[k].offer == in->offer)
				break;
		if (k < n) {
			p->plans[k].must = 1;
			continue;
		}
		score = 0;
		for (k = cands->start[in->need]; k < cands->start[in->need +
		    1]; k++)
			if (cands->c[k].offer == in->offer)
				score = cands->c[k].score.total;
		if (plan_add(p, in->need, in->offer, score, 0) == -1)
			return -1;
		p->plans[p->n - 1].must = 1;
	}
	return 0;
}

struct org_code {
	const char	*code;
	int		 org;
};

static int
rank_cmp(const void *x, const void *y)
{
	return strcmp(((const struct org_code *)x)->code,
	    ((const struct org_code *)y)->code);
}

/* Number the orgs in code order, as booths are (tables 1..k). */
static int
planner_rank(struct planner *p)
{
	size_t		 i, n = intern_count(p->mi.orgs);
	struct org_code	*by;

	p->org_rank = calloc(n + 1, sizeof(int));
	by = calloc(n + 1, sizeof(*by));
	if (p->org_rank == NULL || by == NULL) {
		free(by);
		return -1;
	}
	for (i = 0; i < n; i++)
		by[i] = (struct org_code){ intern_str(p->mi.orgs, (int)i),
		    (int)i };
	qsort(by, n, sizeof(*by), rank_cmp);
	for (i = 0; i < n; i++)
		p->org_rank[by[i].org] = (int)i;
	free(by);
	return 0;
}

/*
 * Each enrolled need meets its matched offer, then its best candidates,
 * up to per_need meetings.
 */
static int
planner_plan(struct planner *p, long per_need, struct error *err)
{
	struct matcher_cands	 cands;
	size_t			 i, k;
	long			 taken;

	memset(&cands, 0, sizeof(cands));
	if (matcher_candidates(&p->mi.in, &cands) == -1)
		return error_set(err, ERR_INTERNAL, NULL, "the matcher failed");
	for (i = 0; i < p->mi.nneeds; i++) {
		taken = 0;
		if (p->matched_offer[i] >= 0) {
			if (plan_add(p, (int)i, p->matched_offer[i],
			    p->matched_score[i], 1) == -1)
				goto oom;
			taken++;
		}
		for (k = cands.start[i]; k < cands.start[i + 1] &&
		    taken < per_need; k++) {
			if (cands.c[k].offer == p->matched_offer[i])
				continue;
			if (plan_add(p, (int)i, cands.c[k].offer,
			    cands.c[k].score.total, 0) == -1)
				goto oom;
			taken++;
		}
	}
	if (planner_must(p, &cands) == -1)
		goto oom;
	matcher_cands_free(&cands);
	return 0;
oom:
	matcher_cands_free(&cands);
	return ops_oom(err);
}

struct prev_ctx {
	struct planner	*p;
};

/* Plans by (need, offer), for planner_prev. */
static int
plan_cmp(const void *x, const void *y, void *arg)
{
	const struct plan *pl = arg;
	const struct plan *a = &pl[*(const size_t *)x];
	const struct plan *b = &pl[*(const size_t *)y];

	if (a->need != b->need)
		return a->need < b->need ? -1 : 1;
	return (a->offer > b->offer) - (a->offer < b->offer);
}

/* A meeting of the schedule before: where its plan was placed. */
static int
planner_prev(void *arg, int64_t need, int64_t offer, int table, int slot,
    struct error *err)
{
	struct planner		*p = arg;
	int			 n = match_input_need(&p->mi, need);
	int			 o = match_input_offer(&p->mi, offer);
	size_t			 lo = 0, hi = p->n, mid;
	const struct plan	*m;

	(void)err;
	if (n < 0 || o < 0)
		return 0;
	/* A binary search of the plans in (need, offer) order: a fair of
	 * 50,000 needs has as many meetings to look up. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = &p->plans[p->order[mid]];
		if (m->need < n || (m->need == n && m->offer < o))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n && p->plans[p->order[lo]].need == n &&
	    p->plans[p->order[lo]].offer == o) {
		p->sm[p->order[lo]].prev_table = table;
		p->sm[p->order[lo]].prev_slot = slot;
	}
	return 0;
}

static void
planner_free(struct planner *p)
{
	match_input_free(&p->mi);
	free(p->plans);
	free(p->matched_offer);
	free(p->matched_score);
	free(p->sm);
	free(p->org_rank);
	free(p->order);
	schedule_result_free(&p->res);
	cJSON_Delete(p->fair);
}

static void
planner_free_state(void *arg)
{
	if (arg != NULL)
		planner_free(arg);
	free(arg);
}

/*
 * {"run", "stale", "slots_used", "meetings", "unscheduled"} as stored for
 * fair: the run the schedule was built from (null: none), and whether
 * another run was published since.
 */
static int
schedule_result(struct op_ctx *ctx, const cJSON *fair, const char *community,
    const char *org, cJSON **result, struct error *err)
{
	cJSON		*met = NULL, *un = NULL;
	int64_t		 fid = (int64_t)ops_num(fair, "id");
	const cJSON	*run = args_get(fair, "schedule_run");
	const cJSON	*pub = args_get(fair, "published_run");

	if (store_meetings_list(ctx->store, fid, 0, community, org, &met,
	    err) == -1 || store_meetings_list(ctx->store, fid, 1, community,
	    org, &un, err) == -1) {
		cJSON_Delete(met);
		return -1;
	}
	if ((*result = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(met);
		cJSON_Delete(un);
		return ops_oom(err);
	}
	ops_set_dup(*result, "run", run);
	cJSON_AddBoolToObject(*result, "stale", cJSON_IsNumber(run) &&
	    !(cJSON_IsNumber(pub) && pub->valuedouble == run->valuedouble));
	cJSON_AddNumberToObject(*result, "slots_used", ops_num(fair,
	    "slots_used"));
	cJSON_AddItemToObject(*result, "meetings", met);
	cJSON_AddItemToObject(*result, "unscheduled", un);
	return 0;
}

/* The start of slot (1-based) as HH:MM. */
static void
slot_start(const cJSON *fair, int slot, char out[16])
{
	const char	*s = ops_str(fair, "start");
	int		 m = atoi(s) * 60 + atoi(s + 3) + (slot - 1) *
			    (int)ops_num(fair, "slot_minutes");

	snprintf(out, 16, "%02d:%02d", (m / 60) % 24, m % 60);
}

/*
 * fair.schedule, the long part (on a reader thread, over a snapshot; on
 * the loop when there are no readers): plan each enrolled need's meetings
 * and place them in tables and slots.  op_fair_schedule writes the
 * schedule, which it finds in ctx->state.
 */
int
op_fair_schedule_compute(struct op_ctx *ctx, const cJSON *args,
    struct error *err)
{
	struct planner		*p;
	struct schedule_options	 opt;
	long			 per_need = args_int(args, "meetings_per_need",
				    ctx->conf->meetings_per_need);
	size_t			 i;
	int			 built;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ops_oom(err);
	ctx->state = p;
	ctx->state_free = planner_free_state;
	opt.booths = args_bool(args, "booths", 0);
	opt.max_per_org = (int)args_int(args, "max_per_org", 0);
	opt.max_per_community = (int)args_int(args, "max_per_community", 0);
	if (ops_fair_load(ctx, args, "fair", &p->fair, err) == -1)
		return -1;
	p->fid = (int64_t)ops_num(p->fair, "id");
	/* Candidates meet as the fair's rules allow. */
	if (ops_fair_runnable(ctx, p->fair, err) == -1 ||
	    match_input_fair(&p->mi, ctx->conf, ctx->store, p->fid,
	    ops_str(p->fair, "rule"), ops_num(p->fair, "min_score"),
	    err) == -1)
		return -1;
	p->run = (int)args_num(p->fair, "published_run", 0);
	p->matched_offer = malloc((p->mi.nneeds + 1) * sizeof(int));
	p->matched_score = calloc(p->mi.nneeds + 1, sizeof(int32_t));
	if (p->matched_offer == NULL || p->matched_score == NULL)
		return ops_oom(err);
	for (i = 0; i < p->mi.nneeds; i++)
		p->matched_offer[i] = -1;
	if (planner_matches(p, ctx, p->fid, p->run, err) == -1 ||
	    planner_plan(p, per_need, err) == -1)
		return -1;
	if ((p->sm = calloc(p->n + 1, sizeof(*p->sm))) == NULL ||
	    (p->order = calloc(p->n + 1, sizeof(*p->order))) == NULL ||
	    planner_rank(p) == -1)
		return ops_oom(err);
	for (i = 0; i < p->n; i++) {
		p->sm[i].community = p->mi.party[p->plans[i].need];
		p->sm[i].org = p->org_rank[p->mi.offers[p->plans[i].offer].org];
		p->sm[i].score = p->plans[i].score;
		p->sm[i].matched = p->plans[i].matched;
		p->sm[i].must = p->plans[i].must;
		p->order[i] = i;
	}
	qsort_r(p->order, p->n, sizeof(*p->order), plan_cmp, p->plans);
	/* Scheduling again keeps meetings where they were when it can. */
	if (store_meetings_prev_each(ctx->store, p->fid, planner_prev, p,
	    err) == -1)
		return -1;
	store_read_done(ctx->store);	/* all read: see op_fair_match_compute */
	built = schedule_build_with(p->sm, p->n, (int)ops_num(p->fair,
	    "tables"), (int)ops_num(p->fair, "slots"), &opt, &p->res);
	if (built == SCHEDULE_TOO_FEW_TABLES)
		return error_set(err, ERR_INVALID_ARGUMENT, "booths", "fair "
		    "%lld has %d tables, too few for one booth per "
		    "organisation", (long long)p->fid,
		    (int)ops_num(p->fair, "tables"));
	if (built == -1)
		return error_set(err, ERR_INTERNAL, NULL, "the scheduler "
		    "failed");
	return 0;
}

/* fair.schedule, the write (on the loop, in the turn's transaction):
 * replace the fair's meetings by what compute placed; answer the
 * schedule. */
int
op_fair_schedule(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct planner		*p = ctx->state;
	struct store_meeting	 m;
	cJSON			*fresh = NULL;
	size_t			 i;
	char			 start[16];
	int			 rc = -1;

	(void)args;
	ops_object_id(ctx, p->fid);
	if (store_meetings_replace_begin(ctx->store, p->fid, p->res.nslots,
	    p->run, err) == -1)
		goto out;
	for (i = 0; i < p->n; i++) {
		m.fair = p->fid;
		m.need = p->mi.needs[p->plans[i].need].id;
		m.offer = p->mi.offers[p->plans[i].offer].id;
		m.community = intern_str(p->mi.communities, p->sm[i].community);
		m.org = intern_str(p->mi.orgs,
		    p->mi.offers[p->plans[i].offer].org);
		m.score = p->plans[i].score;
		m.matched = p->plans[i].matched;
		m.must = p->plans[i].must;
		m.table = p->res.place[i].table;
		m.slot = p->res.place[i].slot;
		slot_start(p->fair, m.slot > 0 ? m.slot : 1, start);
		m.start = start;
		if (store_meeting_insert(ctx->store, &m, err) == -1)
			goto out;
	}
	if (store_fair_get(ctx->store, p->fid, &fresh, err) != 0 ||
	    schedule_result(ctx, fresh, NULL, NULL, result, err) == -1 ||
	    events_fair_scheduled(ctx->store, p->fid, err) == -1)
		goto out;
	rc = 0;
out:
	cJSON_Delete(fresh);
	return rc;
}

int
op_fair_meetings(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*community = NULL, *org = NULL;
	cJSON		*fair;
	int		 rc;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	if (ops_fair_reader(ctx, fair, &community, &org, err) == -1) {
		cJSON_Delete(fair);
		return -1;
	}
	rc = schedule_result(ctx, fair, community, org, result, err);
	cJSON_Delete(fair);
	return rc;
}
