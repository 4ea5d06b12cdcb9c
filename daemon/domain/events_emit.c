/*
 * events_emit.c: the events of today's operations.  Each reads what its
 * summary names from the store and emits through events_emit, in the
 * operation's own transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "protocol/args.h"

/* Summaries are one line: names and titles are at most 200 characters. */
#define SUMMARY_MAX	4096
/* A need's community and its partners (schema: at most 16). */
#define PARTIES_MAX	17

/* s appended at buf[n] as far as it fits in len bytes, NUL-ended; the new
 * n.  A summary is a few strings end to end: snprintf's parse of its
 * format was a third of a need.posted event outside its insert. */
static size_t
put(char *buf, size_t len, size_t n, const char *s)
{
	size_t k;

	if (s == NULL || len == 0 || n >= len - 1)
		return n;
	k = strlen(s);
	if (k > len - 1 - n)
		k = len - 1 - n;
	memcpy(buf + n, s, k);
	buf[n + k] = '\0';
	return n + k;
}

/* Yuan as people write them: 50000, 1234.5, 0.05, -3 (from whole fen). */
static void
yuan(char *buf, size_t len, double v)
{
	long long		fen = llround(v * 100);
	unsigned long long	whole = fen < 0 ? 0ULL - (unsigned long long)fen :
				    (unsigned long long)fen;
	unsigned		cents = (unsigned)(whole % 100);
	char			digits[32], *p = digits + sizeof(digits);

	whole /= 100;
	*--p = '\0';
	if (cents % 10 != 0)
		*--p = (char)('0' + cents % 10);
	if (cents != 0) {
		*--p = (char)('0' + cents / 10);
		*--p = '.';
	}
	do {
		*--p = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole != 0);
	if (fen < 0)
		*--p = '-';
	buf[0] = '\0';
	(void)put(buf, len, 0, p);
}

/* The name of an account (role, code) into buf, or the code. */
static int
account_name(struct store *s, const char *role, const char *code,
    char *buf, size_t len, struct error *err)
{
	struct account	a;
	int		rc;

	if ((rc = store_account_by_code(s, role, code, &a, err)) == -1)
		return -1;
	buf[0] = '\0';
	(void)put(buf, len, 0, rc == 0 ? a.name : code);
	return 0;
}

/* code, then the strings of array (at most max - 1), into out; count. */
static size_t
codes_of(const char *code, const cJSON *array, const char **out, size_t max)
{
	const cJSON	*c;
	size_t		 n = 0;

	if (code != NULL && code[0] != '\0')
		out[n++] = code;
	cJSON_ArrayForEach(c, array)
		if (cJSON_IsString(c) && n < max)
			out[n++] = c->valuestring;
	return n;
}

/* "<name><did>「<title>」，<what> <money> 元" into summary. */
static void
posted_summary(char *summary, size_t len, const char *name, const char *did,
    const char *title, const char *what, double amount)
{
	char	money[32];
	size_t	n;

	yuan(money, sizeof(money), amount);
	summary[0] = '\0';
	n = put(summary, len, 0, name);
	n = put(summary, len, n, did);
	n = put(summary, len, n, "「");
	n = put(summary, len, n, title);
	n = put(summary, len, n, "」，");
	n = put(summary, len, n, what);
	n = put(summary, len, n, " ");
	n = put(summary, len, n, money);
	(void)put(summary, len, n, " 元");
}

int
events_need_posted(struct store *s, const cJSON *need, struct error *err)
{
	const char		*comm[PARTIES_MAX], *street[1];
	const char		*code = cJSON_GetStringValue(args_get(need,
				    "community"));
	struct event_object	 obj = { "need", 0, 0, 0 };
	struct event_audience	 aud;
	char			 name[808], summary[SUMMARY_MAX];

	memset(&aud, 0, sizeof(aud));
	obj.id = (int64_t)cJSON_GetNumberValue(args_get(need, "id"));
	street[0] = cJSON_GetStringValue(args_get(need, "street"));
	aud.communities = comm;
	aud.ncommunities = codes_of(code, args_get(need, "partners"), comm,
	    PARTIES_MAX);
	aud.streets = street;
	aud.nstreets = street[0] != NULL;
	if (account_name(s, "community", code, name, sizeof(name), err) == -1)
		return -1;
	posted_summary(summary, sizeof(summary), name, "发布需求",
	    cJSON_GetStringValue(args_get(need, "title")), "预算",
	    cJSON_GetNumberValue(args_get(need, "budget")));
	return events_emit(s, EVENT_NEED_POSTED, &obj, summary, &aud, err);
}

int
events_offer_posted(struct store *s, const cJSON *offer, struct error *err)
{
	const char		*orgs[2], *streets[64];
	const char		*code = cJSON_GetStringValue(args_get(offer,
				    "org"));
	struct event_object	 obj = { "offer", 0, 0, 0 };
	struct event_audience	 aud;
	char			 name[808], summary[SUMMARY_MAX];

	memset(&aud, 0, sizeof(aud));
	obj.id = (int64_t)cJSON_GetNumberValue(args_get(offer, "id"));
	orgs[0] = code;
	orgs[1] = cJSON_GetStringValue(args_get(offer, "partner"));
	aud.orgs = orgs;
	aud.norgs = orgs[1] != NULL ? 2 : 1;
	aud.streets = streets;
	aud.nstreets = codes_of(NULL, args_get(offer, "streets"), streets, 64);
	if (account_name(s, "org", code, name, sizeof(name), err) == -1)
		return -1;
	posted_summary(summary, sizeof(summary), name, "发布服务项目",
	    cJSON_GetStringValue(args_get(offer, "title")), "报价",
	    cJSON_GetNumberValue(args_get(offer, "price")));
	return events_emit(s, EVENT_OFFER_POSTED, &obj, summary, &aud, err);
}

/* ---- matches ---------------------------------------------------------- */

/* What the events of one match share: its fair, and what is said. */
struct match_emit {
	struct store	*s;
	enum event_kind	 kind;
	char		 fair_name[808];
	char		 fair_street[260];
	const char	*by;		/* match.answered: who answered */
	double		 hours;		/* match.reminder */
};

/* The fair's name and street into me. */
static int
match_emit_fair(struct match_emit *me, int64_t fair, struct error *err)
{
	cJSON	*f;
	int	 rc;

	if ((rc = store_fair_get(me->s, fair, &f, err)) != 0)
		return rc == 1 ? error_set(err, ERR_NOT_FOUND, NULL, "there "
		    "is no fair %lld", (long long)fair) : -1;
	snprintf(me->fair_name, sizeof(me->fair_name), "%s",
	    cJSON_GetStringValue(cJSON_GetObjectItem(f, "name")));
	snprintf(me->fair_street, sizeof(me->fair_street), "%s",
	    cJSON_IsString(cJSON_GetObjectItem(f, "street")) ?
	    cJSON_GetStringValue(cJSON_GetObjectItem(f, "street")) : "");
	cJSON_Delete(f);
	return 0;
}

/* match.proposed's summary: fair, run, community, need, org, offer (also
 * SQLite's printf format: events_run_proposed). */
#define PROPOSED_SUMMARY "%s第 %d 轮配对：%s「%s」与%s「%s」，请双方确认"
/* match.superseded's: fair, need, offer, why (SQLite's printf format). */
#define SUPERSEDED_SUMMARY "%s的配对「%s」与「%s」已作废：%s"

/* The summary of p's event of kind. */
static void
match_summary(const struct match_emit *me, enum event_kind kind,
    const struct store_match_party *p, char *buf, size_t len)
{
	const char *st = p->status;

	switch (kind) {
	case EVENT_MATCH_PROPOSED:
		snprintf(buf, len, PROPOSED_SUMMARY, me->fair_name, p->run,
		    p->community_name, p->need_title, p->org_name,
		    p->offer_title);
		break;
	case EVENT_MATCH_CONFIRMED:
		snprintf(buf, len, "配对已确认：%s「%s」由%s「%s」承接"
		    "（%s）", p->community_name, p->need_title, p->org_name,
		    p->offer_title, me->fair_name);
		break;
	case EVENT_MATCH_REMINDER:
		snprintf(buf, len, "提醒：%s的配对「%s」与「%s」已超过 "
		    "%g 小时未答复，请%s尽快确认", me->fair_name, p->need_title,
		    p->offer_title, me->hours,
		    strcmp(st, "accepted_by_community") == 0 ? p->org_name :
		    strcmp(st, "accepted_by_org") == 0 ? p->community_name :
		    "双方");
		break;
	default:	/* match.answered */
		if (strcmp(st, "declined") == 0)
			snprintf(buf, len, "%s已拒绝配对「%s」与「%s」"
			    "（%s）", me->by, p->need_title, p->offer_title,
			    me->fair_name);
		else
			snprintf(buf, len, "%s已接受配对「%s」与「%s」，"
			    "等待%s确认", me->by, p->need_title, p->offer_title,
			    strcmp(st, "accepted_by_org") == 0 ?
			    p->community_name : p->org_name);
		break;
	}
}

/*
 * Emit me->kind for the match of p, to its parties and their streets'
 * organizers; an answer that confirms the match is match.confirmed.
 */
static int
match_emit_one(void *arg, const struct store_match_party *p,
    struct error *err)
{
	struct match_emit	*me = arg;
	struct event_object	 obj = { "match", p->id, p->fair, p->run };
	struct event_audience	 aud;
	enum event_kind		 kind = me->kind;
	const char		*comm[PARTIES_MAX], *orgs[2], *streets[2];
	char			 summary[SUMMARY_MAX];
	cJSON			*partners;
	int			 rc;

	if (kind == EVENT_MATCH_ANSWERED && strcmp(p->status, "confirmed") == 0)
		kind = EVENT_MATCH_CONFIRMED;
	if (me->fair_name[0] == '\0' && match_emit_fair(me, p->fair,
	    err) == -1)
		return -1;
	partners = cJSON_Parse(p->partners);
	memset(&aud, 0, sizeof(aud));
	aud.communities = comm;
	aud.ncommunities = codes_of(p->community, partners, comm, PARTIES_MAX);
	orgs[0] = p->org;
	orgs[1] = p->partner;
	aud.orgs = orgs;
	aud.norgs = 2;
	streets[0] = p->need_street;
	streets[1] = me->fair_street;
	aud.streets = streets;
	aud.nstreets = 2;
	match_summary(me, kind, p, summary, sizeof(summary));
	rc = events_emit(me->s, kind, &obj, summary, &aud, err);
	cJSON_Delete(partners);
	return rc;
}

int
events_run_proposed(struct store *s, int64_t fair, int run,
    struct error *err)
{
	struct match_emit me;

	memset(&me, 0, sizeof(me));
	me.s = s;
	if (match_emit_fair(&me, fair, err) == -1)
		return -1;
	/* One statement, the rows match_emit_one would write: a run
	 * proposes thousands of pairs, and this runs on the loop thread. */
	return store_events_run_proposed(s, events_kind_name(
	    EVENT_MATCH_PROPOSED), fair, run, 0, INT64_MAX, me.fair_name,
	    me.fair_street, PROPOSED_SUMMARY, err);
}

int
events_match_answered(struct store *s, int64_t match, const char *by,
    struct error *err)
{
	struct match_emit me;

	memset(&me, 0, sizeof(me));
	me.s = s;
	me.by = by;
	me.kind = EVENT_MATCH_ANSWERED;
	return store_match_parties_each(s, 0, 0, match, match_emit_one, &me,
	    err);
}

int
events_matches_superseded(struct store *s, const cJSON *ids, const char *why,
    struct error *err)
{
	char	*json;
	int	 rc;

	if (cJSON_GetArraySize(ids) == 0)
		return 0;
	/* One statement (a publication supersedes a whole run), each match
	 * said of its own fair: the rows match_emit_one would write. */
	if ((json = cJSON_PrintUnformatted(ids)) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	rc = store_events_superseded(s, events_kind_name(
	    EVENT_MATCH_SUPERSEDED), json, SUPERSEDED_SUMMARY, why, err);
	free(json);
	return rc;
}

/* ---- reminders ------------------------------------------------------- */

struct remind {
	struct match_emit	 me;
	int			 looked;
};

/* One match looked at: a reminder when it is due, and never again. */
static int
remind_one(void *arg, int64_t match, int due, struct error *err)
{
	struct remind *r = arg;

	r->looked++;
	if (!due)
		return 0;
	r->me.fair_name[0] = '\0';
	if (store_match_parties_each(r->me.s, 0, 0, match, match_emit_one,
	    &r->me, err) == -1)
		return -1;
	return store_reminder_insert(r->me.s, match, err);
}

int
events_remind(struct store *s, const char *cutoff, double hours,
    int64_t *cursor, int limit, struct error *err)
{
	struct remind	r;
	int64_t		last;

	memset(&r, 0, sizeof(r));
	r.me.s = s;
	r.me.kind = EVENT_MATCH_REMINDER;
	r.me.hours = hours;
	if (store_matches_due(s, *cursor, cutoff, limit, remind_one, &r,
	    &last, err) == -1)
		return -1;
	*cursor = last;
	return r.looked;
}

/* ---- fairs ------------------------------------------------------------ */

/* Add code to list (of *n, room max) unless it is there. */
static void
codes_add(const char **list, size_t *n, size_t max, const char *code)
{
	size_t i;

	if (code == NULL || code[0] == '\0')
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(list[i], code) == 0)
			return;
	if (*n < max)
		list[(*n)++] = code;
}

int
events_fair_scheduled(struct store *s, int64_t fair, struct error *err)
{
	struct event_object	 obj = { "fair", fair, fair, 0 };
	struct event_audience	 aud;
	struct match_emit	 me;
	const cJSON		*m;
	const char		**comm = NULL, **orgs = NULL, *streets[1];
	cJSON			*on = NULL, *off = NULL, *f = NULL;
	char			 summary[SUMMARY_MAX];
	size_t			 nc = 0, no = 0, max;
	int			 rc = -1;

	memset(&me, 0, sizeof(me));
	me.s = s;
	if (match_emit_fair(&me, fair, err) == -1 ||
	    store_fair_get(s, fair, &f, err) != 0 ||
	    store_meetings_list(s, fair, 0, NULL, NULL, &on, err) == -1 ||
	    store_meetings_list(s, fair, 1, NULL, NULL, &off, err) == -1)
		goto out;
	max = (size_t)cJSON_GetArraySize(on) + (size_t)cJSON_GetArraySize(off);
	if ((comm = calloc(max + 1, sizeof(*comm))) == NULL ||
	    (orgs = calloc(max + 1, sizeof(*orgs))) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(m, on) {
		codes_add(comm, &nc, max, cJSON_GetStringValue(
		    cJSON_GetObjectItem(m, "community")));
		codes_add(orgs, &no, max, cJSON_GetStringValue(
		    cJSON_GetObjectItem(m, "org")));
	}
	cJSON_ArrayForEach(m, off) {
		codes_add(comm, &nc, max, cJSON_GetStringValue(
		    cJSON_GetObjectItem(m, "community")));
		codes_add(orgs, &no, max, cJSON_GetStringValue(
		    cJSON_GetObjectItem(m, "org")));
	}
	memset(&aud, 0, sizeof(aud));
	aud.communities = comm;
	aud.ncommunities = nc;
	aud.orgs = orgs;
	aud.norgs = no;
	streets[0] = me.fair_street;
	aud.streets = streets;
	aud.nstreets = 1;
	snprintf(summary, sizeof(summary), "%s（%s）会谈日程已排定：%d 场会谈，"
	    "请查看各自的时间和桌号", me.fair_name, cJSON_GetStringValue(
	    cJSON_GetObjectItem(f, "date")), cJSON_GetArraySize(on));
	rc = events_emit(s, EVENT_FAIR_SCHEDULED, &obj, summary, &aud, err);
out:
	free(comm);
	free(orgs);
	cJSON_Delete(on);
	cJSON_Delete(off);
	cJSON_Delete(f);
	return rc;
}

/* What a published run's rows tell: who has one, and how many pairs; and
 * the fair's name and street, for its match.proposed. */
struct events_published {
	struct match_emit	 me;		/* the fair's name and street */
	int64_t			 fair;
	cJSON			*communities, *orgs, *streets;	/* sets */
	int			 pairs;		/* live or confirmed */
	int			 waiting;	/* of them, awaiting an answer */
};

/* Add code to the array set unless it is there or empty. */
static int
set_add(cJSON *set, const char *code)
{
	const cJSON *c;

	if (code == NULL || code[0] == '\0')
		return 0;
	cJSON_ArrayForEach(c, set)
		if (strcmp(c->valuestring, code) == 0)
			return 0;
	return cJSON_AddItemToArray(set, cJSON_CreateString(code)) ? 0 : -1;
}

/* One row of the run: its parties, and whether it counts as a pair. */
static int
published_row(void *arg, const struct store_match_party *p,
    struct error *err)
{
	struct events_published	*pb = arg;
	const cJSON		*c;
	cJSON			*partners = cJSON_Parse(p->partners);
	int			 rc;

	rc = set_add(pb->communities, p->community) | set_add(pb->orgs,
	    p->org) | set_add(pb->orgs, p->partner) | set_add(pb->streets,
	    p->need_street);
	cJSON_ArrayForEach(c, partners)
		if (cJSON_IsString(c))
			rc |= set_add(pb->communities, c->valuestring);
	cJSON_Delete(partners);
	if (rc != 0)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	if (strcmp(p->status, "superseded") != 0 &&
	    strcmp(p->status, "declined") != 0 &&
	    strcmp(p->status, "expired") != 0) {
		pb->pairs++;
		pb->waiting += strcmp(p->status, "confirmed") != 0;
	}
	return 0;
}

/* The strings of set as an array (malloc'd; the strings stay set's). */
static const char **
set_strings(const cJSON *set, size_t *n)
{
	const char	**out;
	const cJSON	 *c;

	*n = 0;
	if ((out = calloc((size_t)cJSON_GetArraySize(set) + 1,
	    sizeof(*out))) == NULL)
		return NULL;
	cJSON_ArrayForEach(c, set)
		out[(*n)++] = c->valuestring;
	return out;
}

/* "3 日" for 72 hours, "36 小时" for 36. */
static void
window(char *buf, size_t len, double hours)
{
	if (fmod(hours, 24) == 0)
		snprintf(buf, len, "%g 日", hours / 24);
	else
		snprintf(buf, len, "%g 小时", hours);
}

void
events_published_free(struct events_published *pb)
{
	if (pb == NULL)
		return;
	cJSON_Delete(pb->communities);
	cJSON_Delete(pb->orgs);
	cJSON_Delete(pb->streets);
	free(pb);
}

struct events_published *
events_published_new(struct store *s, int64_t fair, struct error *err)
{
	struct events_published *pb;

	if ((pb = calloc(1, sizeof(*pb))) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	pb->me.s = s;
	pb->fair = fair;
	if (match_emit_fair(&pb->me, fair, err) == -1) {
		events_published_free(pb);
		return NULL;
	}
	if ((pb->communities = cJSON_CreateArray()) == NULL ||
	    (pb->orgs = cJSON_CreateArray()) == NULL ||
	    (pb->streets = cJSON_CreateArray()) == NULL ||
	    set_add(pb->streets, pb->me.fair_street) == -1) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		events_published_free(pb);
		return NULL;
	}
	return pb;
}

int
events_published_add(struct events_published *pb, int run, int64_t after,
    int64_t upto, struct error *err)
{
	return store_match_parties_range(pb->me.s, pb->fair, run, after, upto,
	    published_row, pb, err);
}

int
events_published_emit(struct events_published *pb, int run, double hours,
    struct error *err)
{
	struct event_object	 obj = { "fair", pb->fair, pb->fair, 0 };
	struct event_audience	 aud;
	const char		**comm = NULL, **orgs = NULL, **streets = NULL;
	const char		*name = pb->me.fair_name;
	const char		*street = pb->me.fair_street;
	char			 title[1100], when[48], summary[SUMMARY_MAX];
	int			 rc = -1;

	obj.run = run;
	memset(&aud, 0, sizeof(aud));
	if ((comm = set_strings(pb->communities, &aud.ncommunities)) == NULL ||
	    (orgs = set_strings(pb->orgs, &aud.norgs)) == NULL ||
	    (streets = set_strings(pb->streets, &aud.nstreets)) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	aud.communities = comm;
	aud.orgs = orgs;
	aud.streets = streets;
	/* A street's fair is named for it: "桂园街道" + "对接会", once. */
	snprintf(title, sizeof(title), "%s%s", strncmp(name, street,
	    strlen(street)) == 0 ? "" : street, name);
	if (pb->pairs == 0)
		snprintf(summary, sizeof(summary), "%s已发布匹配结果：本次没有"
		    "配对", title);
	else if (pb->waiting == 0)
		snprintf(summary, sizeof(summary), "%s已发布匹配结果：%d 对，"
		    "均已确认", title, pb->pairs);
	else {
		if (hours > 0) {
			window(when, sizeof(when), hours);
			snprintf(summary, sizeof(summary), "%s已发布匹配结果："
			    "%d 对，请各社区和服务组织在 %s内确认", title,
			    pb->pairs, when);
		} else
			snprintf(summary, sizeof(summary), "%s已发布匹配结果："
			    "%d 对，请各社区和服务组织尽快确认", title,
			    pb->pairs);
	}
	rc = events_emit(pb->me.s, EVENT_FAIR_PUBLISHED, &obj, summary, &aud,
	    err);
out:
	free(comm);
	free(orgs);
	free(streets);
	return rc;
}

int
events_published_proposed(struct events_published *pb, int run,
    int64_t after, int64_t upto, struct error *err)
{
	return store_events_run_proposed(pb->me.s, events_kind_name(
	    EVENT_MATCH_PROPOSED), pb->fair, run, after, upto,
	    pb->me.fair_name, pb->me.fair_street, PROPOSED_SUMMARY, err);
}

int
events_fair_published(struct store *s, int64_t fair, int run, double hours,
    struct error *err)
{
	struct events_published	*pb;
	int			 rc = -1;

	if ((pb = events_published_new(s, fair, err)) == NULL)
		return -1;
	if (events_published_add(pb, run, 0, INT64_MAX, err) == 0 &&
	    events_published_emit(pb, run, hours, err) == 0)
		rc = 0;
	events_published_free(pb);
	return rc;
}

/* ---- projects --------------------------------------------------------- */

/*
 * Emit kind about obj with summary to project p's audience: its community
 * and partners, its organisation, the organizers of its street.
 */
static int
project_emit(struct store *s, enum event_kind kind,
    const struct event_object *obj, const cJSON *p, const char *summary,
    struct error *err)
{
	const char		*comm[PARTIES_MAX], *orgs[1], *streets[1];
	struct event_audience	 aud;

	memset(&aud, 0, sizeof(aud));
	aud.communities = comm;
	aud.ncommunities = codes_of(cJSON_GetStringValue(cJSON_GetObjectItem(p,
	    "community")), cJSON_GetObjectItem(p, "partners"), comm,
	    PARTIES_MAX);
	orgs[0] = cJSON_GetStringValue(cJSON_GetObjectItem(p, "org"));
	aud.orgs = orgs;
	aud.norgs = orgs[0] != NULL;
	streets[0] = cJSON_GetStringValue(cJSON_GetObjectItem(p, "street"));
	aud.streets = streets;
	aud.nstreets = streets[0] != NULL;
	return events_emit(s, kind, obj, summary, &aud, err);
}

/* "桂园社区项目「长者助餐」" of p into buf. */
static int
project_title(struct store *s, const cJSON *p, char *buf, size_t len,
    struct error *err)
{
	char name[808];

	if (account_name(s, "community", cJSON_GetStringValue(
	    cJSON_GetObjectItem(p, "community")), name, sizeof(name),
	    err) == -1)
		return -1;
	snprintf(buf, len, "%s项目「%s」", name, cJSON_GetStringValue(
	    cJSON_GetObjectItem(p, "title")));
	return 0;
}

int
events_project_stage(struct store *s, int64_t id, const cJSON *p,
    const char *prev, struct error *err)
{
	struct event_object	 obj = { "project", id, 0, 0 };
	const char		*st = cJSON_GetStringValue(cJSON_GetObjectItem(p,
				    "stage"));
	const char		*end = cJSON_GetStringValue(cJSON_GetObjectItem(
				    p, "notice_end"));
	char			 t[1100], money[32], summary[SUMMARY_MAX];

	if (st == NULL || project_title(s, p, t, sizeof(t), err) == -1)
		return -1;
	if (strcmp(st, "deliberation") == 0)
		snprintf(summary, sizeof(summary), prev[0] == '\0' ?
		    "%s已立项，进入居民议事会表决" : "%s重新进入居民议事会表决",
		    t);
	else if (strcmp(st, "notice") == 0)
		snprintf(summary, sizeof(summary), "%s经居民议事会表决通过，"
		    "进入公示（至 %.10s）", t, end != NULL ? end : "");
	else if (strcmp(st, "implementing") == 0)
		snprintf(summary, sizeof(summary), strcmp(prev, "completed") ==
		    0 ? "%s验收未通过，返回实施" : "%s开始实施", t);
	else if (strcmp(st, "completed") == 0)
		snprintf(summary, sizeof(summary), "%s已完工，请社区验收", t);
	else if (strcmp(st, "accepted") == 0)
		snprintf(summary, sizeof(summary), "%s已通过验收，等待结算", t);
	else if (strcmp(st, "settled") == 0) {
		yuan(money, sizeof(money), cJSON_GetNumberValue(
		    cJSON_GetObjectItem(p, "paid")));
		snprintf(summary, sizeof(summary), "%s已结算，支付 %s 元", t,
		    money);
	} else if (strcmp(st, "rejected") == 0)
		snprintf(summary, sizeof(summary), "%s未获居民议事会表决通过",
		    t);
	else
		snprintf(summary, sizeof(summary), "%s已取消", t);
	return project_emit(s, EVENT_PROJECT_STAGE, &obj, p, summary, err);
}

int
events_objection_lodged(struct store *s, int64_t objection, const cJSON *p,
    struct error *err)
{
	struct event_object	 obj = { "objection", objection, 0, 0 };
	char			 t[1100], summary[SUMMARY_MAX];

	if (project_title(s, p, t, sizeof(t), err) == -1)
		return -1;
	/* What the objection says stays in the project: it may name people. */
	snprintf(summary, sizeof(summary), "%s公示期间收到异议（第 %lld 号），"
	    "请街道核实处理", t, (long long)objection);
	return project_emit(s, EVENT_OBJECTION_LODGED, &obj, p, summary, err);
}
