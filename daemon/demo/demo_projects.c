/*
 * demo_projects.c: what became of the spring fairs' projects, told on the
 * story's clock (demo.clock, days from now) after their pairs were
 * confirmed 120 days ago (demo_story.c):
 *
 *   -110  the councils vote: most approve; votes in 黄贝 and 东湖 fail
 *   -106  objections: one in 翠竹 is upheld (-105: the project is
 *         cancelled), one in 笋岗 dismissed
 *   -100  the organisations start; -60 they report progress
 *   -90 .. -41  a split project: one organisation, one community of
 *         桂园, three projects of 38,000 yuan within 90 days
 *   -45   清水河, which held no fair, agrees one pair outside a fair;
 *         its council never meets: overdue
 *   -40   work completed; -35 one acceptance in 南湖 fails, -33 it is
 *         redone;
 *         -30 accepted; -20 paid
 *   -10   东湖's rejected project comes back with a revised plan,
 *         before its council again; more work completed
 *   -2    councils approve: on public notice now
 *
 * Each street's projects follow a fixed pattern, shifted by street.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/demo/demo_priv.h"

enum demo_target {
	T_NOTICE, T_IMPLEMENTING, T_COMPLETED, T_ACCEPTED, T_SETTLED,
	T_REJECTED, T_CANCELLED
};

enum demo_special { SP_NONE, SP_DISMISSED, SP_REWORK, SP_RESUBMIT };

static const enum demo_target demo_pattern[] = {
	T_IMPLEMENTING, T_SETTLED, T_ACCEPTED, T_NOTICE, T_IMPLEMENTING,
	T_COMPLETED, T_IMPLEMENTING, T_ACCEPTED, T_SETTLED, T_IMPLEMENTING
};
#define DEMO_NPATTERN	(sizeof(demo_pattern) / sizeof(demo_pattern[0]))

#define DEMO_SPLIT_STREET	0	/* 桂园街道 */
#define DEMO_SPLIT_PRICE	38000
#define DEMO_MAX_PROJECTS	512

struct demo_project {
	long long		 id;
	int			 street;
	char			 community[16];
	char			 org[24];
	double			 amount;
	enum demo_target	 target;
	enum demo_special	 special;
};

struct demo_story_state {
	struct demo_project	 p[DEMO_MAX_PROJECTS];
	int			 n;
	struct demo_project	 split[3], laggard;
	long long		 split_needs[3], split_offer;
	long long		 objection[DEMO_NSTREETS];	/* by street */
};

int
demo_clock(struct demo_state *st, int days)
{
	cJSON		*args = cJSON_CreateObject(), *res;
	const char	*today;
	int		 ok = 1;

	demo_set_num(args, "days", days, &ok);
	if (demo_do(st, "demo.clock", args, ok, &res) != 0)
		return -1;
	today = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res,
	    "today"));
	snprintf(st->today, sizeof(st->today), "%.10s", today ? today : "");
	cJSON_Delete(res);
	return 0;
}

/* op on project p by role/code (NULL: the admin), with args (taken). */
static int
demo_on(struct demo_state *st, const char *role, const char *code,
    const char *op, const struct demo_project *p, cJSON *args, int ok)
{
	cJSON *res;

	demo_set_num(args, "project", (double)p->id, &ok);
	if (demo_do_as(st, role, code, op, args, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

/* The council of p's community votes; pass or fail. */
static int
demo_vote(struct demo_state *st, const struct demo_project *p, int pass)
{
	cJSON	*a = cJSON_CreateObject();
	int	 ok = 1;

	demo_set_str(a, "date", st->today, &ok);
	demo_set_num(a, "members", 15, &ok);
	demo_set_num(a, "present", 12, &ok);
	demo_set_num(a, "yes", pass ? 10 : 3, &ok);
	demo_set_num(a, "no", pass ? 1 : 8, &ok);
	demo_set_num(a, "abstain", 1, &ok);
	demo_set_str(a, "minutes", pass ? "居民议事会审议通过，同意实施。" :
	    "多数代表认为方案与居民需求不符，未获通过。", &ok);
	return demo_on(st, "community", p->community, "project.deliberate", p,
	    a, ok);
}

static int
demo_org_step(struct demo_state *st, const struct demo_project *p,
    const char *op, int percent)
{
	cJSON	*a = cJSON_CreateObject();
	int	 ok = 1;

	if (strcmp(op, "project.start") == 0)
		demo_set_str(a, "date", st->today, &ok);
	else if (strcmp(op, "project.progress") == 0) {
		demo_set_num(a, "percent", percent, &ok);
		demo_set_str(a, "note", "按计划推进，已完成过半。", &ok);
	} else {
		demo_set_num(a, "beneficiaries_served",
		    (double)(40 + (p->id % 7) * 35), &ok);
		demo_set_str(a, "note", "项目实施完毕，提交验收申请。", &ok);
	}
	return demo_on(st, "org", p->org, op, p, a, ok);
}

static int
demo_accept(struct demo_state *st, const struct demo_project *p, int pass)
{
	cJSON	*a = cJSON_CreateObject();
	int	 ok = 1;

	if (a != NULL && !cJSON_AddBoolToObject(a, "passed", pass))
		ok = 0;
	demo_set_num(a, "satisfaction", pass ? (double)(85 + p->id % 13) : 55,
	    &ok);
	demo_set_str(a, "note", pass ? "居民满意度测评合格，同意验收。" :
	    "部分设施未按方案完成，限期整改。", &ok);
	return demo_on(st, "community", p->community, "project.accept", p, a,
	    ok);
}

static int
demo_settle(struct demo_state *st, const struct demo_project *p)
{
	cJSON	*a = cJSON_CreateObject();
	int	 ok = 1;

	demo_set_num(a, "paid", p->amount, &ok);
	return demo_on(st, NULL, NULL, "project.settle", p, a, ok);
}

/* Another community of p's street objects; its organizer resolves. */
static int
demo_objection(struct demo_state *st, const struct demo_project *p,
    int upheld, long long *id)
{
	const char	*other = NULL;
	cJSON		*a = cJSON_CreateObject(), *res;
	int		 ok = 1;

	for (int i = 0; i < DEMO_NCOMMUNITIES && other == NULL; i++)
		if (st->comms[i].street == p->street &&
		    strcmp(st->comms[i].code, p->community) != 0)
			other = st->comms[i].code;
	demo_set_num(a, "project", (double)p->id, &ok);
	demo_set_str(a, "text", upheld ? "项目选址占用小区消防通道，存在安全隐患。" :
	    "担心施工噪音影响居民休息。", &ok);
	if (demo_do_as(st, "community", other, "project.object", a, ok,
	    &res) != 0)
		return -1;
	*id = demo_result_id(res, "objection");
	cJSON_Delete(res);
	return 0;
}

static int
demo_resolve(struct demo_state *st, const struct demo_project *p,
    long long objection, int upheld)
{
	cJSON	*a = cJSON_CreateObject(), *res;
	int	 ok = 1;

	demo_set_num(a, "objection", (double)objection, &ok);
	demo_set_str(a, "decision", upheld ? "upheld" : "dismissed", &ok);
	demo_set_str(a, "note", upheld ? "经现场核查属实，项目取消，另行选址。" :
	    "已与施工方约定作业时段，异议不成立。", &ok);
	if (demo_do_as(st, "organizer", st->organizer[p->street],
	    "objection.resolve", a, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

/* An object's id. */
static long long
demo_id(const cJSON *o)
{
	return (long long)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "id"));
}

/* The street's index of a street name, or -1. */
static int
demo_street_of(const char *name)
{
	for (int s = 0; s < DEMO_NSTREETS; s++)
		if (name != NULL && strcmp(demo_streets[s].name, name) == 0)
			return s;
	return -1;
}

/* The projects of the fairs, each given its target by its street's
 * pattern (the first of some streets tells a special story). */
static int
demo_read(struct demo_state *st, struct demo_story_state *ds)
{
	cJSON		*args = cJSON_CreateObject(), *res, *it;
	int		 ok = 1, seen[DEMO_NSTREETS] = { 0 }, s, k;

	demo_set_str(args, "stage", "deliberation", &ok);
	demo_set_num(args, "limit", 1000, &ok);
	if (demo_do(st, "project.list", args, ok, &res) != 0)
		return -1;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(res, "items")) {
		struct demo_project *p;

		if (ds->n == DEMO_MAX_PROJECTS || (s = demo_street_of(
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it,
		    "street")))) < 0)
			continue;
		p = &ds->p[ds->n++];
		p->id = demo_id(it);
		p->street = s;
		snprintf(p->community, sizeof(p->community), "%s",
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it,
		    "community")));
		snprintf(p->org, sizeof(p->org), "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(it, "org")));
		p->amount = cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(it, "amount"));
		k = seen[s]++;
		p->target = demo_pattern[(k + s) % DEMO_NPATTERN];
		p->special = SP_NONE;
		if (k == 0 && s == 1)
			p->target = T_REJECTED;
		else if (k == 0 && s == 3)
			p->target = T_CANCELLED;
		else if (k == 0 && s == 5) {
			p->target = T_ACCEPTED;
			p->special = SP_REWORK;
		} else if (k == 0 && s == 6) {
			p->target = T_IMPLEMENTING;
			p->special = SP_DISMISSED;
		} else if (k == 0 && s == 7) {
			p->target = T_REJECTED;
			p->special = SP_RESUBMIT;
		}
	}
	cJSON_Delete(res);
	return 0;
}

/* A list op's items (the caller frees *res): op with args (taken). */
static const cJSON *
demo_items(struct demo_state *st, const char *op, cJSON *args, int ok,
    cJSON **res)
{
	if (demo_do(st, op, args, ok, res) != 0)
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(*res, "items");
}

/* project.create of need and offer by the admin into p. */
static int
demo_create(struct demo_state *st, long long need, long long offer,
    struct demo_project *p)
{
	cJSON	*a = cJSON_CreateObject(), *res, *o;
	int	 ok = 1;

	demo_set_num(a, "need", (double)need, &ok);
	demo_set_num(a, "offer", (double)offer, &ok);
	if (demo_do(st, "project.create", a, ok, &res) != 0)
		return -1;
	o = cJSON_GetObjectItemCaseSensitive(res, "project");
	memset(p, 0, sizeof(*p));
	p->id = demo_result_id(res, "project");
	p->street = demo_street_of(cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(o, "street")));
	snprintf(p->community, sizeof(p->community), "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(o, "community")));
	snprintf(p->org, sizeof(p->org), "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(o, "org")));
	p->amount = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o,
	    "amount"));
	cJSON_Delete(res);
	return 0;
}

/*
 * The split plant's parts: a registered organisation serving 桂园 offers
 * "社区邻里节" three times at 38,000 yuan, for three open needs of one
 * community there (budgets at least that, no partners): their ids into
 * needs, the offer's into *offer.
 */
static int
demo_split_pick(struct demo_state *st, long long needs[3], long long *offer)
{
	const cJSON	*items, *it;
	cJSON		*a, *res = NULL;
	int		 ok, n = 0, org = -1;

	for (int i = 0; i < DEMO_NORGS && org < 0; i++)
		if (st->orgs[i].registered && st->orgs[i].street ==
		    DEMO_SPLIT_STREET && demo_serves(st->orgs[i].streets,
		    DEMO_SPLIT_STREET))
			org = i;
	for (int c = 0; c < DEMO_NCOMMUNITIES && n < 3; c++) {
		if (st->comms[c].street != DEMO_SPLIT_STREET ||
		    st->comms[c].padding || c == 0)
			continue;
		a = cJSON_CreateObject();
		ok = 1;
		n = 0;
		demo_set_str(a, "community", st->comms[c].code, &ok);
		demo_set_str(a, "status", "open", &ok);
		demo_set_num(a, "limit", 1000, &ok);
		if ((items = demo_items(st, "need.list", a, ok, &res)) == NULL)
			return -1;
		cJSON_ArrayForEach(it, items)
			if (n < 3 && cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(it, "budget")) >=
			    DEMO_SPLIT_PRICE && cJSON_GetArraySize(
			    cJSON_GetObjectItemCaseSensitive(it, "partners")) == 0)
				needs[n++] = demo_id(it);
		cJSON_Delete(res);
	}
	if (n < 3 || org < 0) {
		snprintf(st->errbuf, st->errlen, "demo: internal: no split plant");
		return -1;
	}
	a = cJSON_CreateObject();
	ok = 1;
	demo_set_str(a, "org", st->orgs[org].code, &ok);
	demo_set_str(a, "title", "社区邻里节系列活动", &ok);
	demo_set_str(a, "category", "service.neighbourhood", &ok);
	demo_set_num(a, "price", DEMO_SPLIT_PRICE, &ok);
	demo_set_num(a, "capacity", 3, &ok);
	demo_set_str(a, "description", "邻里节、百家宴、社区运动会，可分场次承接。",
	    &ok);
	if (demo_do(st, "offer.post", a, ok, &res) != 0)
		return -1;
	*offer = demo_result_id(res, "offer");
	cJSON_Delete(res);
	return 0;
}

/*
 * 清水河 agrees one pair outside a fair: its first open need (by id) and
 * the cheapest open offer of the same family serving the street within
 * the need's budget.
 */
static int
demo_laggard(struct demo_state *st, struct demo_project *p)
{
	const cJSON	*needs, *offers, *n, *o, *best;
	cJSON		*a, *rn = NULL, *ro = NULL;
	const char	*cat;
	int		 ok = 1, rc = -1;
	size_t		 fam;

	a = cJSON_CreateObject();
	demo_set_str(a, "street", demo_streets[DEMO_LAGGARD].name, &ok);
	demo_set_str(a, "status", "open", &ok);
	demo_set_num(a, "limit", 1000, &ok);
	if ((needs = demo_items(st, "need.list", a, ok, &rn)) == NULL)
		return -1;
	a = cJSON_CreateObject();
	ok = 1;
	demo_set_str(a, "street", demo_streets[DEMO_LAGGARD].name, &ok);
	demo_set_str(a, "status", "open", &ok);
	demo_set_num(a, "limit", 1000, &ok);
	if ((offers = demo_items(st, "offer.list", a, ok, &ro)) == NULL)
		goto out;
	cJSON_ArrayForEach(n, needs) {
		cat = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(n,
		    "category"));
		fam = strcspn(cat, ".");
		best = NULL;
		cJSON_ArrayForEach(o, offers) {
			const char *oc = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(o, "category"));
			double price = cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(o, "price"));

			if (strncmp(oc, cat, fam + 1) != 0 || price >
			    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
			    n, "budget")))
				continue;
			if (best == NULL || price < cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(best, "price")))
				best = o;
		}
		if (best != NULL) {
			rc = demo_create(st, demo_id(n), demo_id(best), p);
			goto out;
		}
	}
	snprintf(st->errbuf, st->errlen, "demo: internal: no pair in 清水河");
out:
	cJSON_Delete(rn);
	cJSON_Delete(ro);
	return rc;
}

/* 东湖's rejected project is resubmitted with a revised plan: back
 * before its council, today's business. */
static int
demo_resubmit(struct demo_state *st, const struct demo_project *p)
{
	cJSON	*a = cJSON_CreateObject(), *res, *pr;
	int	 ok = 1;

	demo_set_num(a, "id", (double)p->id, &ok);
	if (demo_do(st, "project.get", a, ok, &res) != 0)
		return -1;
	pr = cJSON_GetObjectItemCaseSensitive(res, "project");
	a = cJSON_CreateObject();
	ok = 1;
	demo_set_num(a, "need", cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(pr, "need")), &ok);
	demo_set_num(a, "offer", cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(pr, "offer")), &ok);
	cJSON_Delete(res);
	if (demo_do(st, "project.create", a, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

/* The story's events, in the order of their days. */
enum demo_event {
	E_VOTE, E_OBJECT, E_RESOLVE, E_START, E_SPLIT_PICK, E_SPLIT_CREATE,
	E_SPLIT_VOTE, E_SPLIT_START, E_PROGRESS, E_LAGGARD, E_COMPLETE,
	E_REWORK_FAIL, E_REWORK_DONE, E_ACCEPT, E_SETTLE, E_COMPLETE_LATE,
	E_RESUBMIT, E_NOTICE_VOTE
};

static const struct {
	int		 day;
	enum demo_event	 event;
	int		 arg;
} demo_timeline[] = {
	{ -110, E_VOTE, 0 }, { -106, E_OBJECT, 0 }, { -105, E_RESOLVE, 0 },
	{ -100, E_START, 0 }, { -100, E_SPLIT_PICK, 0 },
	{ -90, E_SPLIT_CREATE, 0 }, { -85, E_SPLIT_VOTE, 0 },
	{ -79, E_SPLIT_START, 0 }, { -70, E_SPLIT_CREATE, 1 },
	{ -65, E_SPLIT_VOTE, 1 }, { -60, E_PROGRESS, 0 },
	{ -59, E_SPLIT_START, 1 }, { -50, E_SPLIT_CREATE, 2 },
	{ -45, E_SPLIT_VOTE, 2 }, { -45, E_LAGGARD, 0 },
	{ -40, E_COMPLETE, 0 }, { -39, E_SPLIT_START, 2 },
	{ -35, E_REWORK_FAIL, 0 }, { -33, E_REWORK_DONE, 0 },
	{ -30, E_ACCEPT, 0 }, { -20, E_SETTLE, 0 },
	{ -10, E_COMPLETE_LATE, 0 }, { -10, E_RESUBMIT, 0 },
	{ -2, E_NOTICE_VOTE, 0 },
};

/* Whether event e concerns the pattern's project p. */
static int
demo_concerns(enum demo_event e, const struct demo_project *p)
{
	int worked = p->target >= T_IMPLEMENTING && p->target <= T_SETTLED;

	switch (e) {
	case E_VOTE:
		return p->target != T_NOTICE;
	case E_RESUBMIT:
		return p->special == SP_RESUBMIT;
	case E_OBJECT:
	case E_RESOLVE:
		return p->target == T_CANCELLED || p->special == SP_DISMISSED;
	case E_START:
	case E_PROGRESS:
		return worked;
	case E_COMPLETE:
		return p->target == T_ACCEPTED || p->target == T_SETTLED;
	case E_REWORK_FAIL:
	case E_REWORK_DONE:
		return p->special == SP_REWORK;
	case E_ACCEPT:
		return p->target == T_ACCEPTED || p->target == T_SETTLED;
	case E_SETTLE:
		return p->target == T_SETTLED;
	case E_COMPLETE_LATE:
		return p->target == T_COMPLETED;
	case E_NOTICE_VOTE:
		return p->target == T_NOTICE;
	default:
		return 0;
	}
}

/* Event e on the pattern's project p. */
static int
demo_event_on(struct demo_state *st, enum demo_event e,
    struct demo_project *p, long long *objection)
{
	switch (e) {
	case E_VOTE:
		return demo_vote(st, p, p->target != T_REJECTED);
	case E_NOTICE_VOTE:
		return demo_vote(st, p, 1);
	case E_OBJECT:
		return demo_objection(st, p, p->target == T_CANCELLED,
		    objection);
	case E_RESOLVE:
		return demo_resolve(st, p, *objection, p->target ==
		    T_CANCELLED);
	case E_START:
		return demo_org_step(st, p, "project.start", 0);
	case E_PROGRESS:
		return demo_org_step(st, p, "project.progress", 50);
	case E_COMPLETE:
	case E_COMPLETE_LATE:
	case E_REWORK_DONE:
		return demo_org_step(st, p, "project.complete", 0);
	case E_REWORK_FAIL:
		return demo_accept(st, p, 0);
	case E_ACCEPT:
		return demo_accept(st, p, 1);
	case E_SETTLE:
		return demo_settle(st, p);
	case E_RESUBMIT:
		return demo_resubmit(st, p);
	default:
		return 0;
	}
}

/* One event of the timeline, on every project it concerns. */
static int
demo_event(struct demo_state *st, struct demo_story_state *ds,
    enum demo_event e, int arg)
{
	struct demo_project	*sp = &ds->split[arg];
	int			 i;

	switch (e) {
	case E_SPLIT_PICK:
		return demo_split_pick(st, ds->split_needs, &ds->split_offer);
	case E_SPLIT_CREATE:
		return demo_create(st, ds->split_needs[arg], ds->split_offer,
		    sp);
	case E_SPLIT_VOTE:
		return demo_vote(st, sp, 1);
	case E_SPLIT_START:
		return demo_org_step(st, sp, "project.start", 0);
	case E_LAGGARD:
		return demo_laggard(st, &ds->laggard);
	default:
		break;
	}
	for (i = 0; i < ds->n; i++)
		if (demo_concerns(e, &ds->p[i]) && demo_event_on(st, e,
		    &ds->p[i], &ds->objection[ds->p[i].street]) != 0)
			return -1;
	return 0;
}

int
demo_projects(struct demo_state *st)
{
	struct demo_story_state	*ds;
	size_t			 i;
	int			 rc = -1;

	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		snprintf(st->errbuf, st->errlen, "demo: internal: out of memory");
		return -1;
	}
	if (demo_read(st, ds) != 0)
		goto out;
	for (i = 0; i < sizeof(demo_timeline) / sizeof(demo_timeline[0]); i++)
		if (demo_clock(st, demo_timeline[i].day) != 0 ||
		    demo_event(st, ds, demo_timeline[i].event,
		    demo_timeline[i].arg) != 0)
			goto out;
	rc = 0;
out:
	free(ds);
	return rc;
}
