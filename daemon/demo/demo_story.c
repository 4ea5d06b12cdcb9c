/*
 * demo_story.c: the fairs, matches and answers that tell the demo
 * district's story (demo.c tells the whole): a spring fair held in each
 * street but one, matched, with a chosen share of its pairs confirmed by both
 * sides and the fair closed; the laggard's first fair set up; an inflated
 * offer and a duplicate need planted.  Runs after demo_send.c has posted
 * the district, through the same call function.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/demo/demo_priv.h"

/* ---- the story: fairs held, one ready, planted risks -------------------- */

/*
 * Each street but the laggard held its first fair in spring and answered a
 * different share of its needs there, so the ranking is plain to see; the
 * laggard's first fair is set up and ready to match.  Confirmations are
 * chosen so that no organisation holds more than DEMO_SHARE_MAX_PCT of a
 * street's confirmed amount, except in the concentrated street, where one
 * holds more than 30%.
 */
#define DEMO_STORY_DAYS		(-120)	/* the fairs' answers: days ago */
#define DEMO_SHARE_MAX_PCT	25
#define DEMO_MIN_CONFIRMED	4

/* Share of its needs each street's past fair answers, in per cent. */
static const int demo_progress_pct[DEMO_NSTREETS] = {
	12, 22, 8, 28, 4, 17, 20, 10, 15, 0
};

struct demo_cand {
	long long	 match;
	long long	 amount;		/* fen */
	const char	*community;		/* owned by the fair.matches result */
	const char	*org;
	int		 taken;
};

static struct demo_need *
demo_need_by_id(struct demo_state *st, long long id)
{
	for (size_t i = 0; i < st->nneeds; i++)
		if (!st->needs[i].dropped && st->needs[i].id == id)
			return &st->needs[i];
	return NULL;
}

static int
demo_cand_cmp(const void *x, const void *y)
{
	const struct demo_cand *a = x, *b = y;

	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	return (a->match > b->match) - (a->match < b->match);
}

/* The most one organisation holds of c[from..from+k); *total the sum. */
static long long
demo_window_top(const struct demo_cand *c, int from, int k, long long *total)
{
	long long top = 0, sum;

	*total = 0;
	for (int i = from; i < from + k; i++) {
		*total += c[i].amount;
		sum = 0;
		for (int j = from; j < from + k; j++)
			if (strcmp(c[i].org, c[j].org) == 0)
				sum += c[j].amount;
		if (sum > top)
			top = sum;
	}
	return top;
}

/*
 * Mark up to k candidates (sorted by amount) to confirm.  With each
 * organisation limited to its `per` cheapest pairs (per = 1, 2, ...), take
 * the run of k neighbouring amounts in which the biggest organisation holds
 * the least; settle for fewer when none keeps it within DEMO_SHARE_MAX_PCT.
 * Returns how many, and their total in *total.
 */
static int
demo_choose(struct demo_cand *c, int n, int k, long long *total)
{
	struct demo_cand *f = calloc((size_t)n + 1, sizeof(*f));
	int *from_ix = calloc((size_t)n + 1, sizeof(*from_ix));

	*total = 0;
	if (f == NULL || from_ix == NULL) {
		free(f);
		free(from_ix);
		return -1;
	}
	for (k = k < n ? k : n; k >= DEMO_MIN_CONFIRMED; k--)
		for (int per = 1; per <= 4; per++) {
			long long best_top = -1, best_sum = 1, top, sum;
			int best = -1, m = 0;

			for (int i = 0; i < n; i++) {
				int seen = 0;

				for (int j = 0; j < m; j++)
					seen += strcmp(f[j].org, c[i].org) == 0;
				if (seen < per) {
					from_ix[m] = i;
					f[m++] = c[i];
				}
			}
			for (int from = 0; from + k <= m; from++) {
				top = demo_window_top(f, from, k, &sum);
				if (best < 0 || top * best_sum < best_top * sum) {
					best = from;
					best_top = top;
					best_sum = sum;
				}
			}
			if (best >= 0 &&
			    best_top * 100 <= DEMO_SHARE_MAX_PCT * best_sum) {
				for (int i = best; i < best + k; i++)
					c[from_ix[i]].taken = 1;
				*total = best_sum;
				free(f);
				free(from_ix);
				return k;
			}
		}
	free(f);
	free(from_ix);
	return 0;
}

/* Both sides accept match m: community first, then the organisation. */
int
demo_confirm_pair(struct demo_state *st, long long match,
    const char *community, const char *org)
{
	const char *roles[2] = { "community", "org" };
	const char *codes[2] = { community, org };

	for (int side = 0; side < 2; side++) {
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1;

		demo_set_num(args, "match", (double)match, &ok);
		demo_set_str(args, "decision", "accept", &ok);
		if (demo_do_as(st, roles[side], codes[side], "match.respond",
		    args, ok, &res) != 0)
			return -1;
		cJSON_Delete(res);
	}
	return 0;
}

/* Create a fair of street s on date and enrol everything open in it. */
static long long
demo_fair_open(struct demo_state *st, int s, const char *name,
    const char *date)
{
	cJSON *args = cJSON_CreateObject(), *res;
	long long id;
	int ok = 1;

	demo_set_str(args, "name", name, &ok);
	demo_set_str(args, "date", date, &ok);
	demo_set_str(args, "street", demo_streets[s].name, &ok);
	if (demo_do(st, "fair.create", args, ok, &res) != 0)
		return -1;
	id = demo_result_id(res, "fair");
	cJSON_Delete(res);
	args = cJSON_CreateObject();
	ok = 1;
	demo_set_num(args, "fair", (double)id, &ok);
	if (args != NULL && !cJSON_AddBoolToObject(args, "all", 1))
		ok = 0;
	if (demo_do(st, "fair.enroll", args, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return id;
}

static int
demo_simple(struct demo_state *st, const char *op, long long fair,
    cJSON **res)
{
	cJSON *args = cJSON_CreateObject();
	int ok = 1;

	demo_set_num(args, "fair", (double)fair, &ok);
	return demo_do(st, op, args, ok, res);
}

/* Street s's past fair: match, confirm the chosen pairs, close. */
static int
demo_past_fair(struct demo_state *st, int s)
{
	char name[128], date[16];
	struct demo_cand *c = NULL;
	cJSON *res = NULL, *items, *it;
	long long fair, total;
	int n = 0, posted = 0, k, rc = -1;

	snprintf(name, sizeof(name), "%s民生微实事项目对接会（春季）",
	    demo_streets[s].name);
	snprintf(date, sizeof(date), "%04d-04-%02d", st->year, 11 + 2 * s);
	if ((fair = demo_fair_open(st, s, name, date)) < 0 ||
	    demo_simple(st, "fair.match", fair, &res) != 0)
		return -1;
	cJSON_Delete(res);
	if (demo_simple(st, "fair.matches", fair, &res) != 0)
		return -1;
	items = cJSON_GetObjectItemCaseSensitive(res, "items");
	if ((c = calloc((size_t)cJSON_GetArraySize(items) + 1, sizeof(*c))) == NULL)
		goto done;
	/* Pairs of padded communities and of cross-community needs stay
	 * unanswered: the plan's cap balances assume them open. */
	cJSON_ArrayForEach(it, items) {
		const struct demo_need *nd = demo_need_by_id(st, (long long)
		    cJSON_GetNumberValue(cJSON_GetObjectItem(it, "need")));

		if (nd == NULL || st->comms[nd->comm].padding ||
		    nd->npartners > 0)
			continue;
		c[n].match = (long long)cJSON_GetNumberValue(
		    cJSON_GetObjectItem(it, "id"));
		c[n].amount = llround(cJSON_GetNumberValue(
		    cJSON_GetObjectItem(it, "amount")) * 100);
		c[n].community = cJSON_GetStringValue(
		    cJSON_GetObjectItem(it, "community"));
		c[n].org = cJSON_GetStringValue(cJSON_GetObjectItem(it, "org"));
		if (c[n].community != NULL && c[n].org != NULL)
			n++;
	}
	qsort(c, (size_t)n, sizeof(*c), demo_cand_cmp);
	for (size_t i = 0; i < st->nneeds; i++)
		if (!st->needs[i].dropped && st->comms[st->needs[i].comm].street == s)
			posted++;
	k = (posted * demo_progress_pct[s] + 50) / 100;
	/* The concentrated street answers small needs (the cheapest quarter of
	 * its pairs), and leaves room for the one big project below. */
	if ((k = demo_choose(c, s == DEMO_CONCENTRATED ? n / 4 : n,
	    s == DEMO_CONCENTRATED ? k - 1 : k, &total)) < 0)
		goto done;
	if (s == DEMO_CONCENTRATED && k > 0) {
		/* An organisation new to the street takes its biggest project
		 * and with it over 30% of the street's confirmed amount. */
		int big = -1;

		for (int i = 0; i < n; i++) {
			int fresh = !c[i].taken;

			for (int j = 0; j < n && fresh; j++)
				if (c[j].taken && strcmp(c[j].org, c[i].org) == 0)
					fresh = 0;
			if (fresh && (big < 0 || c[i].amount > c[big].amount))
				big = i;
		}
		if (big >= 0)
			c[big].taken = 1;
	}
	for (int i = 0; i < n; i++)
		if (c[i].taken && demo_confirm_pair(st, c[i].match,
		    c[i].community, c[i].org) != 0)
			goto done;
	cJSON_Delete(res);
	res = NULL;
	if (demo_simple(st, "fair.close", fair, &res) != 0)
		goto done;
	rc = 0;
done:
	if (rc != 0 && st->errbuf[0] == '\0')
		snprintf(st->errbuf, st->errlen, "demo: internal: out of memory");
	free(c);
	cJSON_Delete(res);
	return rc;
}

/* An offer priced at 2.5 times the dearest of its sub-category. */
static int
demo_plant_inflated(struct demo_state *st)
{
	int count[DEMO_MAXCATS] = { 0 }, cat = 0, org = -1;
	long long top = 0;
	cJSON *args, *res;
	char title[256];
	int ok = 1;

	for (size_t i = 0; i < st->noffers; i++)
		count[st->offers[i].cat]++;
	for (int c = 1; c < (int)demo_ncategories; c++)
		if (count[c] > count[cat])
			cat = c;
	for (size_t i = 0; i < st->noffers; i++)
		if (st->offers[i].cat == cat && st->offers[i].price > top)
			top = st->offers[i].price;
	for (int i = 0; i < DEMO_NORGS && org < 0; i++)
		if (st->orgs[i].registered &&
		    demo_profile_has(st->orgs[i].prof, cat))
			org = i;
	if (org < 0) {
		snprintf(st->errbuf, st->errlen, "demo: internal: no org for the inflated offer");
		return -1;
	}
	snprintf(title, sizeof(title), "%s（精品定制）",
	    demo_categories[cat].offer_titles[0]);
	args = cJSON_CreateObject();
	demo_set_str(args, "org", st->orgs[org].code, &ok);
	demo_set_str(args, "title", title, &ok);
	demo_set_str(args, "category", demo_categories[cat].name, &ok);
	demo_set_num(args, "price",
	    (double)(demo_round_up(top * 5 / 2) / DEMO_YUAN), &ok);
	demo_set_str(args, "description", "同类项目报价的两倍以上，"
	    "服务内容与库内同类项目相近。", &ok);
	if (demo_do(st, "offer.post", args, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

/* A second copy of one need, posted again as its "second phase". */
static int
demo_plant_duplicate(struct demo_state *st)
{
	const struct demo_need *best = NULL;
	cJSON *args, *res;
	char title[300];
	int ok = 1;

	for (size_t i = 0; i < st->nneeds; i++) {
		const struct demo_need *n = &st->needs[i];

		if (n->dropped || n->comm != 0 || n->npartners > 0)
			continue;
		if (best == NULL || demo_utf8_len(n->title) >
		    demo_utf8_len(best->title))
			best = n;
	}
	if (best == NULL) {
		snprintf(st->errbuf, st->errlen, "demo: internal: no need to duplicate");
		return -1;
	}
	snprintf(title, sizeof(title), "%s（二期）", best->title);
	args = cJSON_CreateObject();
	demo_set_str(args, "community", st->comms[best->comm].code, &ok);
	demo_set_str(args, "title", title, &ok);
	demo_set_str(args, "category", demo_categories[best->cat].name, &ok);
	demo_set_num(args, "budget", (double)(best->budget < 20000 * DEMO_YUAN ?
	    best->budget : 20000 * DEMO_YUAN) / 100.0, &ok);
	demo_set_str(args, "description", "延续一期项目内容。", &ok);
	if (demo_do(st, "need.post", args, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

int
demo_story(struct demo_state *st)
{
	char name[128], date[16];

	/* The spring fairs are set up on 10 April, before the first. */
	demo_day(st, 99);
	/* The spring fairs' pairs were answered 120 days ago; the projects
	 * they became have come different ways since (demo_projects.c). */
	if (demo_clock(st, DEMO_STORY_DAYS) != 0)
		return -1;
	for (int s = 0; s < DEMO_NSTREETS; s++)
		if (s != DEMO_LAGGARD && demo_past_fair(st, s) != 0)
			return -1;
	if (demo_projects(st) != 0 || demo_clock(st, 0) != 0 ||
	    demo_plant_inflated(st) != 0 || demo_plant_duplicate(st) != 0)
		return -1;
	snprintf(name, sizeof(name), "%s民生微实事项目对接会（首场）",
	    demo_streets[DEMO_LAGGARD].name);
	snprintf(date, sizeof(date), "%04d-12-16", st->year);
	return demo_fair_open(st, DEMO_LAGGARD, name, date) < 0 ? -1 : 0;
}
