/*
 * demo.c: seeds a demo district shaped like the reference one (罗湖区): one
 * district-wide organizer and one per street, 83 communities in 10 streets,
 * 207 organisations (about 15% filed community organisations), 260 offers
 * and 1,400 needs across the whole taxonomy.
 *
 * The seeder works in two phases.  First it plans every number (who is based
 * where, which categories, prices, budgets, partners) with one PRNG stream, so
 * that budgets can be balanced against the community caps before anything is
 * sent.  Then it sends the operations, drawing the Chinese text from a second
 * PRNG stream.  Both streams derive from `seed`, so the same seed always gives
 * the same district, call for call.
 *
 * Planted cases (fixed, whatever the seed):
 *   - padding: communities DX-04 (独树社区, 东晓街道) and LT-03 (坳下社区,
 *     莲塘街道) post needs adding up to exactly 97% of their 2,000,000 yuan cap
 *     (1,940,000 yuan); they are created with an explicit cap of 2,000,000 so
 *     the ratio holds under any configured default, and they take no part in
 *     cross-community needs.  Every other community stays at or below 90% of
 *     the default cap, counting cross-community needs in equal shares.
 *   - the story (demo_story): each street but 清水河 held a spring fair dated
 *     this year, matched, with a chosen share of its pairs confirmed by both
 *     parties and the fair closed, so the streets stand at clearly different
 *     progress; 清水河街道 has its first fair set up (open, everything
 *     enrolled, not yet matched).  The padded communities' needs all have
 *     windows from 10 December (posted late: docs/oversight.md).  In 东门街道
 *     one organisation holds over 30% of the confirmed amount (concentration);
 *     elsewhere none holds over 25%.  One offer is priced at 2.5 times the
 *     dearest of its sub-category (inflated_price); one need of GY-01 is
 *     posted again as its "（二期）" (duplicate_need).
 * Other properties the later features rely on:
 *   - no community has two needs with the same title base, so duplicate_need
 *     does not fire by accident;
 *   - offer prices are drawn uniformly within each sub-category's range, so no
 *     offer lies above twice its sub-category's median (inflated_price);
 *   - about 88% of needs are given a budget at least the price of some offer of
 *     the same sub-category (else the same family) that serves their street.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#include <cjson/cJSON.h>

#include "daemon/demo/demo.h"
#include "daemon/demo/demo_text.h"

#define DEMO_NORGS		207	/* as at the seed's three street fairs */
#define DEMO_NFILED		31	/* about 15% filed community organisations */
#define DEMO_NCOMPANIES		46	/* engineering and goods suppliers */
#define DEMO_NOFFERS		260
#define DEMO_NNEEDS		1400
#define DEMO_NEEDS_MIN		13	/* needs per community, before balancing */
#define DEMO_NEEDS_MAX		21
#define DEMO_MAXCATS		32
#define DEMO_MAX_OFFERS_PER_ORG	3

#define DEMO_YUAN		100LL			/* amounts are planned in fen */
#define DEMO_CAP		(2000000 * DEMO_YUAN)	/* the reference cap */
#define DEMO_LIMIT		(DEMO_CAP / 100 * 90)	/* ceiling for ordinary communities */
#define DEMO_PADDING		(DEMO_CAP / 100 * 97)	/* the planted padding total */
#define DEMO_BUDGET_MIN		(10000 * DEMO_YUAN)
#define DEMO_BUDGET_MAX		(400000 * DEMO_YUAN)
#define DEMO_BUDGET_STEP	(1000 * DEMO_YUAN)

#define DEMO_ALL_STREETS	0x8000u			/* streets mask: ["*"] */

#define DEMO_TITLE_MAX		200			/* characters, PROTOCOL.md 3 */
#define DEMO_DESC_MAX		200			/* characters, our own bound */

/* The planted padding communities, by code. */
static const char *const demo_padding_codes[] = { "DX-04", "LT-03" };

struct demo_rng {
	uint64_t	 s;
};

struct demo_comm {
	const char	*name;
	int		 street;
	char		 code[16];
	int		 padding;
	int		 nneeds;		/* planned */
	long long	 load;			/* fen counted against the cap */
	unsigned char	 per_cat[DEMO_MAXCATS];	/* needs planned per category */
	uint32_t	 used_titles[DEMO_MAXCATS]; /* title bases already posted */
};

struct demo_org {
	char		 code[24];
	char		 name[192];
	const struct demo_org_profile *prof;
	int		 registered;		/* kind registered, else filed */
	int		 street;		/* where it is based */
	unsigned	 streets;		/* service area mask */
	int		 noffers;
};

struct demo_offer {
	int		 org;
	int		 cat;
	int		 partner;		/* org index, or -1 */
	int		 capacity;
	long long	 price;			/* fen */
	unsigned	 streets;
	int		 explicit_streets;	/* send `streets` (else the org's) */
	long long	 id;			/* given by offer.post */
};

struct demo_need {
	int		 comm;
	int		 cat;
	int		 beneficiaries;
	int		 npartners;
	int		 partners[2];		/* community indices */
	long long	 budget;		/* fen */
	long long	 floor;			/* keep budget >= this (affordability) */
	int		 dropped;
	long long	 id;			/* given by need.post */
	char		 title[256];		/* as posted */
};

struct demo_state {
	demo_call_fn	 call;
	void		*ctx;
	FILE		*tokens;
	char		*errbuf;
	size_t		 errlen;

	struct demo_rng	 plan;			/* numbers */
	struct demo_rng	 text;			/* wording */

	struct demo_comm comms[DEMO_NCOMMUNITIES];
	struct demo_org	 orgs[DEMO_NORGS];
	struct demo_offer offers[DEMO_NOFFERS];
	size_t		 noffers;
	struct demo_need *needs;		/* owned, nneeds entries */
	size_t		 nneeds;
	int		 street_ncomms[DEMO_NSTREETS];
	int		 year;			/* this year (UTC): the story's */
};

/* ---- PRNG (splitmix64) ------------------------------------------------- */

static void
demo_rng_init(struct demo_rng *r, uint64_t seed)
{
	r->s = seed;
}

static uint64_t
demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A uniform integer in [0, n); n > 0. */
static uint32_t
demo_rng_below(struct demo_rng *r, uint32_t n)
{
	assert(n > 0);
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A uniform integer in [lo, hi]. */
static long long
demo_rng_range(struct demo_rng *r, long long lo, long long hi)
{
	assert(lo <= hi);
	return lo + (long long)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* True with probability pct / 100. */
static int
demo_rng_chance(struct demo_rng *r, unsigned pct)
{
	return demo_rng_below(r, 100) < pct;
}

/* ---- small helpers ----------------------------------------------------- */

static size_t
demo_list_len(const char *const *list)
{
	size_t n = 0;

	while (list[n] != NULL)
		n++;
	return n;
}

static const char *
demo_pick(struct demo_rng *r, const char *const *list)
{
	return list[demo_rng_below(r, (uint32_t)demo_list_len(list))];
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t
demo_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int
demo_cat_index(const char *name)
{
	for (size_t i = 0; i < demo_ncategories; i++)
		if (strcmp(demo_categories[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
demo_serves(unsigned streets, int street)
{
	return (streets & DEMO_ALL_STREETS) != 0 ||
	    (streets & (1u << street)) != 0;
}

/* Round fen to whole thousands of yuan, upwards. */
static long long
demo_round_up(long long fen)
{
	return (fen + DEMO_BUDGET_STEP - 1) / DEMO_BUDGET_STEP * DEMO_BUDGET_STEP;
}

static long long
demo_round_down(long long fen)
{
	return fen / DEMO_BUDGET_STEP * DEMO_BUDGET_STEP;
}

/*
 * A unified social credit code (GB 32100-2015 shape): the 8-character prefix,
 * the body, random characters up to 17, and the standard check character.
 */
static void
demo_credit_code(struct demo_rng *r, const char *prefix, char out[24])
{
	static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = {
		1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
	};
	size_t n = strlen(prefix);
	int sum = 0;

	assert(n < 17);
	memcpy(out, prefix, n);
	for (; n < 17; n++)
		out[n] = cs[demo_rng_below(r, 10)];	/* the body is mostly digits */
	for (int i = 0; i < 17; i++) {
		const char *p = strchr(cs, out[i]);

		assert(p != NULL);
		sum += (int)(p - cs) * w[i];
	}
	out[17] = cs[(31 - sum % 31) % 31];
	out[18] = '\0';
}

/* ---- planning: communities --------------------------------------------- */

static int
demo_plan_communities(struct demo_state *st)
{
	size_t n = 0;

	for (int s = 0; s < DEMO_NSTREETS; s++) {
		const struct demo_street *str = &demo_streets[s];

		for (size_t i = 0; str->communities[i] != NULL; i++) {
			struct demo_comm *c;

			if (n >= DEMO_NCOMMUNITIES)
				return -1;
			c = &st->comms[n++];
			c->name = str->communities[i];
			c->street = s;
			snprintf(c->code, sizeof(c->code), "%s-%02zu", str->abbr, i + 1);
			for (size_t p = 0; p < sizeof(demo_padding_codes) /
			    sizeof(demo_padding_codes[0]); p++)
				if (strcmp(c->code, demo_padding_codes[p]) == 0)
					c->padding = 1;
			st->street_ncomms[s]++;
		}
	}
	return n == DEMO_NCOMMUNITIES ? 0 : -1;
}

/* A street drawn in proportion to its number of communities. */
static int
demo_pick_street(struct demo_state *st)
{
	uint32_t k = demo_rng_below(&st->plan, DEMO_NCOMMUNITIES);

	return st->comms[k].street;
}

/* ---- planning: organisations ------------------------------------------- */

static const struct demo_org_profile *
demo_pick_profile(struct demo_rng *r, int company, int filed)
{
	unsigned total = 0, k;

	for (size_t i = 0; i < demo_norg_profiles; i++) {
		enum demo_org_kind kd = demo_org_profiles[i].kind;

		if ((kd == DEMO_ORG_FILED) == filed &&
		    (kd == DEMO_ORG_COMPANY) == company)
			total += demo_org_profiles[i].weight;
	}
	assert(total > 0);
	k = demo_rng_below(r, total);
	for (size_t i = 0; i < demo_norg_profiles; i++) {
		enum demo_org_kind kd = demo_org_profiles[i].kind;

		if ((kd == DEMO_ORG_FILED) != filed ||
		    (kd == DEMO_ORG_COMPANY) != company)
			continue;
		if (k < demo_org_profiles[i].weight)
			return &demo_org_profiles[i];
		k -= demo_org_profiles[i].weight;
	}
	return NULL;
}

static int
demo_org_name_taken(const struct demo_state *st, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(st->orgs[i].name, name) == 0)
			return 1;
	return 0;
}

static int
demo_org_code_taken(const struct demo_state *st, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(st->orgs[i].code, code) == 0)
			return 1;
	return 0;
}

/* The base street plus one or two others. */
static unsigned
demo_some_streets(struct demo_rng *r, int base)
{
	unsigned m = 1u << base;
	int extra = 1 + (int)demo_rng_below(r, 2);

	while (extra > 0) {
		int s = (int)demo_rng_below(r, DEMO_NSTREETS);

		if ((m & (1u << s)) == 0) {
			m |= 1u << s;
			extra--;
		}
	}
	return m;
}

static int
demo_plan_orgs(struct demo_state *st)
{
	enum { G_SOCIAL, G_COMPANY, G_FILED };
	int group[DEMO_NORGS];

	for (int i = 0; i < DEMO_NORGS; i++)
		group[i] = i < DEMO_NFILED ? G_FILED :
		    i < DEMO_NFILED + DEMO_NCOMPANIES ? G_COMPANY : G_SOCIAL;
	for (int i = DEMO_NORGS - 1; i > 0; i--) {	/* mixed creation order */
		int j = (int)demo_rng_below(&st->plan, (uint32_t)i + 1);
		int t = group[i];

		group[i] = group[j];
		group[j] = t;
	}

	for (size_t i = 0; i < DEMO_NORGS; i++) {
		struct demo_org *o = &st->orgs[i];
		int company = group[i] == G_COMPANY, filed = group[i] == G_FILED;
		const char *prefix;
		int tries;

		o->prof = demo_pick_profile(&st->plan, company, filed);
		if (o->prof == NULL)
			return -1;
		o->registered = !filed;
		for (tries = 0; tries < 1000; tries++) {
			if (filed) {
				const struct demo_comm *c = &st->comms[
				    demo_rng_below(&st->plan, DEMO_NCOMMUNITIES)];

				o->street = c->street;
				snprintf(o->name, sizeof(o->name), "%s%s",
				    c->name, o->prof->suffix);
			} else {
				o->street = demo_pick_street(st);
				prefix = company ? "深圳市" :
				    demo_pick(&st->plan, demo_org_prefixes);
				snprintf(o->name, sizeof(o->name), "%s%s%s", prefix,
				    demo_pick(&st->plan, company ?
				    demo_company_brands : demo_social_brands),
				    o->prof->suffix);
			}
			if (!demo_org_name_taken(st, i, o->name))
				break;
		}
		if (tries == 1000)
			return -1;

		if (filed)
			o->streets = 1u << o->street;
		else {
			unsigned all = company ? 35 : 22, some = company ? 30 : 20;
			uint32_t k = demo_rng_below(&st->plan, 100);

			if (k < all)
				o->streets = DEMO_ALL_STREETS;
			else if (k < all + some)
				o->streets = demo_some_streets(&st->plan, o->street);
			else
				o->streets = 1u << o->street;
		}

		do {
			demo_credit_code(&st->plan,
			    filed ? "59440303MC" :
			    company ? "91440300MA5" :
			    o->prof->kind == DEMO_ORG_ASSOC ? "51440303MJ" :
			    "52440303MJ", o->code);
		} while (demo_org_code_taken(st, i, o->code));
	}
	return 0;
}

/* ---- planning: offers --------------------------------------------------- */

/* The number of categories of a profile (its list is full at 4, else NULL-terminated). */
static uint32_t
demo_profile_ncats(const struct demo_org_profile *p)
{
	uint32_t n = 0;

	while (n < 4 && p->cats[n] != NULL)
		n++;
	return n;
}

static int
demo_profile_has(const struct demo_org_profile *p, int cat)
{
	for (int i = 0; i < 4 && p->cats[i] != NULL; i++)
		if (demo_cat_index(p->cats[i]) == cat)
			return 1;
	return 0;
}

/* A registered social organisation (not a company) to co-sign a filed one's offer. */
static int
demo_pick_partner(struct demo_state *st, int street)
{
	int cand[DEMO_NORGS], n = 0;

	for (int pass = 0; pass < 2 && n == 0; pass++)
		for (int i = 0; i < DEMO_NORGS; i++) {
			const struct demo_org *o = &st->orgs[i];

			if (!o->registered || o->prof->kind == DEMO_ORG_COMPANY)
				continue;
			if (pass == 0 ? o->street == street :
			    demo_serves(o->streets, street))
				cand[n++] = i;
		}
	if (n == 0)
		return -1;
	return cand[demo_rng_below(&st->plan, (uint32_t)n)];
}

static int
demo_add_offer(struct demo_state *st, int org, int cat)
{
	const struct demo_category *c = &demo_categories[cat];
	struct demo_org *o = &st->orgs[org];
	struct demo_offer *f;
	long long hi = c->price_max;

	if (st->noffers >= DEMO_NOFFERS)
		return -1;
	f = &st->offers[st->noffers++];
	f->org = org;
	f->cat = cat;
	f->partner = -1;
	if (!o->registered) {
		/* Filed organisations run small projects with a registered partner. */
		hi = (c->price_min + c->price_max) / 2;
		f->partner = demo_pick_partner(st, o->street);
		if (f->partner < 0)
			return -1;
	}
	f->price = demo_rng_range(&st->plan, c->price_min / 100, hi / 100) *
	    100 * DEMO_YUAN;
	if (demo_rng_chance(&st->plan, 8))	/* a few quotes in yuan and fen */
		f->price += demo_rng_range(&st->plan, 1, 99);
	f->capacity = (int)demo_rng_range(&st->plan, c->cap_min,
	    o->registered ? c->cap_max : 2);
	f->streets = o->streets;
	if (o->noffers > 0 && o->streets == DEMO_ALL_STREETS &&
	    demo_rng_chance(&st->plan, 40)) {
		/* A district-wide org's second project, run only near its base. */
		f->streets = 1u << o->street;
		f->explicit_streets = 1;
	}
	o->noffers++;
	return 0;
}

static int
demo_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/*
 * Keep every price below 1.8 times the lower median of its sub-category, so
 * that the inflated_price flag (twice the median) never fires by accident.
 * Lowering prices above the median leaves the median where it was.
 */
static void
demo_clamp_prices(struct demo_state *st)
{
	long long p[DEMO_NOFFERS];

	for (int cat = 0; cat < (int)demo_ncategories; cat++) {
		size_t n = 0;
		long long ceiling;

		for (size_t i = 0; i < st->noffers; i++)
			if (st->offers[i].cat == cat)
				p[n++] = st->offers[i].price;
		if (n == 0)
			continue;
		qsort(p, n, sizeof(p[0]), demo_cmp_ll);
		ceiling = p[(n - 1) / 2] / 10 * 18 / 100 * 100;	/* whole yuan */
		for (size_t i = 0; i < st->noffers; i++)
			if (st->offers[i].cat == cat && st->offers[i].price > ceiling)
				st->offers[i].price = ceiling;
	}
}

static int
demo_plan_offers(struct demo_state *st)
{
	int count[DEMO_MAXCATS] = { 0 };
	int exhausted[DEMO_MAXCATS] = { 0 };

	/* Every organisation brings one project... */
	for (int i = 0; i < DEMO_NORGS; i++) {
		const struct demo_org_profile *p = st->orgs[i].prof;
		int cat = demo_cat_index(p->cats[demo_rng_below(&st->plan,
		    demo_profile_ncats(p))]);

		if (cat < 0 || demo_add_offer(st, i, cat) != 0)
			return -1;
		count[cat]++;
	}
	/*
	 * ...and the rest go to the categories least supplied for their demand
	 * (highest need weight per offer, as in a highest-averages apportionment),
	 * each to a registered organisation of that line with room for more.
	 */
	while (st->noffers < DEMO_NOFFERS) {
		int best = -1, cand[DEMO_NORGS], n = 0;

		for (int c = 0; c < (int)demo_ncategories; c++) {
			if (exhausted[c])
				continue;
			if (best < 0 || (long)demo_categories[c].need_weight *
			    (count[best] + 1) > (long)demo_categories[best].need_weight *
			    (count[c] + 1))
				best = c;
		}
		if (best < 0)
			return -1;
		for (int i = 0; i < DEMO_NORGS; i++)
			if (st->orgs[i].registered &&
			    st->orgs[i].noffers < DEMO_MAX_OFFERS_PER_ORG &&
			    demo_profile_has(st->orgs[i].prof, best))
				cand[n++] = i;
		if (n == 0) {
			exhausted[best] = 1;
			continue;
		}
		if (demo_add_offer(st, cand[demo_rng_below(&st->plan,
		    (uint32_t)n)], best) != 0)
			return -1;
		count[best]++;
	}
	demo_clamp_prices(st);
	return 0;
}

/* ---- planning: needs ---------------------------------------------------- */

/* The lowest price of an offer of category `cat` (else of its family) serving `street`, 0 if none. */
static long long
demo_cheapest_offer(const struct demo_state *st, int cat, int street)
{
	long long best = 0;

	for (int pass = 0; pass < 2 && best == 0; pass++)
		for (size_t i = 0; i < st->noffers; i++) {
			const struct demo_offer *f = &st->offers[i];

			if (!demo_serves(f->streets, street))
				continue;
			if (pass == 0 ? f->cat != cat :
			    demo_categories[f->cat].family !=
			    demo_categories[cat].family)
				continue;
			if (best == 0 || f->price < best)
				best = f->price;
		}
	return best;
}

/*
 * A budget in the category's range, skewed towards its low end as real
 * micro-project budgets are: most are modest, a few use the full range.
 */
static long long
demo_need_budget(struct demo_rng *r, const struct demo_category *cat)
{
	long long lo = cat->need_min / 1000, hi = cat->need_max / 1000;
	long long k = demo_rng_range(r, lo, hi);

	if (demo_rng_chance(r, 60)) {
		long long k2 = demo_rng_range(r, lo, hi);

		if (k2 < k)
			k = k2;
	}
	return k * DEMO_BUDGET_STEP;
}

/* A category for one more need of community c, weighted, with a title base left. */
static int
demo_pick_need_cat(struct demo_state *st, struct demo_comm *c)
{
	unsigned total = 0, k;

	for (size_t i = 0; i < demo_ncategories; i++)
		if (c->per_cat[i] < demo_list_len(demo_categories[i].need_titles))
			total += demo_categories[i].need_weight;
	if (total == 0)
		return -1;
	k = demo_rng_below(&st->plan, total);
	for (size_t i = 0; i < demo_ncategories; i++) {
		if (c->per_cat[i] >= demo_list_len(demo_categories[i].need_titles))
			continue;
		if (k < demo_categories[i].need_weight)
			return (int)i;
		k -= demo_categories[i].need_weight;
	}
	return -1;
}

/* Partner communities for a cross-community need: usually of the same street. */
static void
demo_pick_partners(struct demo_state *st, int ci, struct demo_need *n)
{
	int want = demo_rng_chance(&st->plan, 70) ? 1 : 2;
	int same = demo_rng_chance(&st->plan, 90);

	for (int tries = 0; tries < 200 && n->npartners < want; tries++) {
		int p = (int)demo_rng_below(&st->plan, DEMO_NCOMMUNITIES);

		if (p == ci || st->comms[p].padding ||
		    (same && st->comms[p].street != st->comms[ci].street) ||
		    (n->npartners == 1 && n->partners[0] == p))
			continue;
		n->partners[n->npartners++] = p;
	}
}

/* Recompute every community's load: own needs and shares of cross-community ones. */
static void
demo_compute_loads(struct demo_state *st)
{
	for (int i = 0; i < DEMO_NCOMMUNITIES; i++)
		st->comms[i].load = 0;
	for (size_t i = 0; i < st->nneeds; i++) {
		const struct demo_need *n = &st->needs[i];
		long long share = n->budget / (n->npartners + 1);

		if (n->dropped)
			continue;
		st->comms[n->comm].load += share;
		for (int p = 0; p < n->npartners; p++)
			st->comms[n->partners[p]].load += share;
	}
}

/*
 * Bring community ci's load down to `limit` by trimming its largest needs
 * (never below the category's minimum or the affordability floor), dropping
 * a need only when nothing can be trimmed.  Returns 1 if it changed anything.
 */
static int
demo_trim(struct demo_state *st, int ci, long long limit)
{
	struct demo_comm *c = &st->comms[ci];
	long long excess = c->load - limit;
	struct demo_need *big = NULL, *best = NULL;
	long long best_room = 0;

	if (excess <= 0)
		return 0;
	for (size_t i = 0; i < st->nneeds; i++) {
		struct demo_need *n = &st->needs[i];
		long long lo, room;

		if (n->comm != ci || n->dropped)
			continue;
		lo = demo_round_up(demo_categories[n->cat].need_min * DEMO_YUAN);
		if (n->floor > lo)
			lo = demo_round_up(n->floor);
		room = n->budget - lo;
		if (room > best_room) {
			best_room = room;
			best = n;
		}
		if (big == NULL || n->budget > big->budget)
			big = n;
	}
	if (best != NULL) {
		long long cut = demo_round_up(excess * (best->npartners + 1));

		if (cut > best_room)
			cut = demo_round_down(best_room);
		if (cut <= 0)
			cut = best_room;
		best->budget -= cut;
	} else if (big != NULL) {
		big->dropped = 1;
		c->per_cat[big->cat]--;
	} else
		return 0;
	demo_compute_loads(st);
	return 1;
}

/* Raise a padding community's needs until they add up to exactly DEMO_PADDING. */
static void
demo_pad(struct demo_state *st, int ci)
{
	long long lack = DEMO_PADDING - st->comms[ci].load;

	for (int pass = 0; pass < 2 && lack > 0; pass++)
		for (size_t i = 0; i < st->nneeds && lack > 0; i++) {
			struct demo_need *n = &st->needs[i];
			long long hi, add;

			if (n->comm != ci || n->dropped)
				continue;
			assert(n->npartners == 0);
			hi = pass == 0 ? demo_categories[n->cat].need_max *
			    DEMO_YUAN : DEMO_BUDGET_MAX;
			add = hi - n->budget;
			if (add <= 0)
				continue;
			if (add > lack)
				add = lack;
			n->budget += add;
			lack -= add;
		}
	demo_compute_loads(st);
}

static int
demo_plan_needs(struct demo_state *st)
{
	int total = 0;
	size_t k = 0;

	for (int i = 0; i < DEMO_NCOMMUNITIES; i++) {
		st->comms[i].nneeds = (int)demo_rng_range(&st->plan,
		    DEMO_NEEDS_MIN, DEMO_NEEDS_MAX);
		if (st->comms[i].padding)
			st->comms[i].nneeds = DEMO_NEEDS_MAX;
		total += st->comms[i].nneeds;
	}
	while (total != DEMO_NNEEDS) {
		struct demo_comm *c = &st->comms[demo_rng_below(&st->plan,
		    DEMO_NCOMMUNITIES)];

		if (c->padding)
			continue;
		if (total > DEMO_NNEEDS && c->nneeds > DEMO_NEEDS_MIN) {
			c->nneeds--;
			total--;
		} else if (total < DEMO_NNEEDS && c->nneeds < DEMO_NEEDS_MAX) {
			c->nneeds++;
			total++;
		}
	}

	st->needs = calloc((size_t)total, sizeof(*st->needs));
	if (st->needs == NULL)
		return -1;
	for (int ci = 0; ci < DEMO_NCOMMUNITIES; ci++) {
		struct demo_comm *c = &st->comms[ci];

		for (int j = 0; j < c->nneeds; j++) {
			struct demo_need *n = &st->needs[k];
			const struct demo_category *cat;
			int cx = demo_pick_need_cat(st, c);

			if (cx < 0)
				break;
			cat = &demo_categories[cx];
			n->comm = ci;
			n->cat = cx;
			n->budget = demo_need_budget(&st->plan, cat);
			n->beneficiaries = (int)demo_rng_range(&st->plan,
			    cat->ben_min, cat->ben_max);
			if (demo_rng_chance(&st->plan, 88)) {
				long long lo = demo_cheapest_offer(st, cx, c->street);

				if (lo > 0 && lo <= DEMO_BUDGET_MAX) {
					n->floor = lo;
					if (n->budget < lo) {
						long long hi = cat->need_max * DEMO_YUAN;

						if (hi < lo)
							hi = lo;
						n->budget = demo_round_up(lo +
						    demo_rng_range(&st->plan, 0,
						    (hi - lo) / 2));
					}
				}
			}
			if (n->budget > DEMO_BUDGET_MAX)
				n->budget = DEMO_BUDGET_MAX;
			if (!c->padding && demo_rng_chance(&st->plan, 3))
				demo_pick_partners(st, ci, n);
			c->per_cat[cx]++;
			k++;
		}
	}
	st->nneeds = k;

	/* Balance against the caps, then plant the padding totals. */
	demo_compute_loads(st);
	for (int changed = 1; changed; ) {
		changed = 0;
		for (int ci = 0; ci < DEMO_NCOMMUNITIES; ci++)
			while (demo_trim(st, ci, st->comms[ci].padding ?
			    DEMO_PADDING : DEMO_LIMIT))
				changed = 1;
	}
	for (int ci = 0; ci < DEMO_NCOMMUNITIES; ci++)
		if (st->comms[ci].padding) {
			demo_pad(st, ci);
			if (st->comms[ci].load != DEMO_PADDING)
				return -1;
		}
	return 0;
}

/* ---- text --------------------------------------------------------------- */

struct demo_vars {
	const char	*community;	/* $C */
	const char	*street;	/* $S */
	const char	*area;		/* $A */
	const char	*title;		/* $T */
	int		 count;		/* $N */
	int		 years;		/* $Y */
};

/*
 * Expand a template into out (outlen bytes, always terminated).  $W, $P and
 * $D draw a schedule, place and duration from the text stream.  A piece that
 * does not fit is left out whole, so UTF-8 is never cut.
 */
static void
demo_expand(struct demo_state *st, char *out, size_t outlen, const char *tmpl,
    const struct demo_vars *v)
{
	size_t len = 0;
	char num[24];

	assert(outlen > 0);
	out[0] = '\0';
	for (const char *p = tmpl; *p != '\0'; ) {
		const char *piece = NULL;
		size_t plen;

		if (p[0] == '$' && p[1] != '\0') {
			switch (p[1]) {
			case 'C': piece = v->community; break;
			case 'S': piece = v->street; break;
			case 'A': piece = v->area; break;
			case 'T': piece = v->title; break;
			case 'W': piece = demo_pick(&st->text, demo_schedules); break;
			case 'P': piece = demo_pick(&st->text, demo_places); break;
			case 'D': piece = demo_pick(&st->text, demo_durations); break;
			case 'N':
				snprintf(num, sizeof(num), "%d", v->count);
				piece = num;
				break;
			case 'Y':
				snprintf(num, sizeof(num), "%d", v->years);
				piece = num;
				break;
			default:
				break;
			}
		}
		if (piece != NULL) {
			plen = strlen(piece);
			p += 2;
		} else {
			/* One literal character, whole. */
			piece = p;
			plen = 1;
			while ((p[plen] & 0xC0) == 0x80)
				plen++;
			p += plen;
		}
		if (len + plen >= outlen)
			continue;
		memcpy(out + len, piece, plen);
		len += plen;
		out[len] = '\0';
	}
}

/* Append a sentence if the text stays within DEMO_DESC_MAX characters. */
static void
demo_append(char *out, size_t outlen, const char *a, const char *b, const char *c)
{
	size_t len = strlen(out);
	size_t add = strlen(a) + strlen(b) + strlen(c);
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s%s%s", a, b, c);
	if (len + add < outlen && demo_utf8_len(out) + demo_utf8_len(tmp) <=
	    DEMO_DESC_MAX)
		memcpy(out + len, tmp, add + 1);
}

/* "罗湖区全区" or the street names joined by "、". */
static void
demo_area(unsigned streets, char *out, size_t outlen)
{
	size_t len = 0;

	if (streets & DEMO_ALL_STREETS) {
		snprintf(out, outlen, "%s全区", demo_district_name);
		return;
	}
	out[0] = '\0';
	for (int s = 0; s < DEMO_NSTREETS; s++) {
		if ((streets & (1u << s)) == 0)
			continue;
		len += (size_t)snprintf(out + len, outlen - len, "%s%s",
		    len > 0 ? "、" : "", demo_streets[s].name);
		if (len >= outlen)
			return;
	}
}

/* ---- calls -------------------------------------------------------------- */

/* Builders: each clears *ok on failure, so a batch is checked once. */
static void
demo_set_str(cJSON *o, const char *k, const char *v, int *ok)
{
	if (o == NULL || cJSON_AddStringToObject(o, k, v) == NULL)
		*ok = 0;
}

static void
demo_set_num(cJSON *o, const char *k, double v, int *ok)
{
	if (o == NULL || cJSON_AddNumberToObject(o, k, v) == NULL)
		*ok = 0;
}

static void
demo_set_streets(cJSON *o, unsigned streets, int *ok)
{
	cJSON *a = o == NULL ? NULL : cJSON_AddArrayToObject(o, "streets");

	if (a == NULL) {
		*ok = 0;
		return;
	}
	if (streets & DEMO_ALL_STREETS) {
		if (!cJSON_AddItemToArray(a, cJSON_CreateString("*")))
			*ok = 0;
		return;
	}
	for (int s = 0; s < DEMO_NSTREETS; s++)
		if ((streets & (1u << s)) &&
		    !cJSON_AddItemToArray(a, cJSON_CreateString(demo_streets[s].name)))
			*ok = 0;
}

/*
 * Run op with args (ownership passes to the callee; NULL args or !ok means
 * the builder ran out of memory and args is freed here).  On success *result
 * is the caller's to delete.  On failure errbuf holds "op: code: message".
 */
static int
demo_do_as(struct demo_state *st, const char *role, const char *code,
    const char *op, cJSON *args, int ok, cJSON **result)
{
	char err[512];

	*result = NULL;
	if (args == NULL || !ok) {
		cJSON_Delete(args);
		snprintf(st->errbuf, st->errlen, "%s: internal: out of memory", op);
		return -1;
	}
	err[0] = '\0';
	if (st->call(st->ctx, role, code, op, args, result, err,
	    sizeof(err)) != 0) {
		cJSON_Delete(*result);
		*result = NULL;
		snprintf(st->errbuf, st->errlen, "%s: %s", op,
		    err[0] != '\0' ? err : "internal: the call failed");
		return -1;
	}
	if (*result == NULL) {
		snprintf(st->errbuf, st->errlen, "%s: internal: no result", op);
		return -1;
	}
	return 0;
}

/* Run op as the district admin. */
static int
demo_do(struct demo_state *st, const char *op, cJSON *args, int ok,
    cJSON **result)
{
	return demo_do_as(st, NULL, NULL, op, args, ok, result);
}

/* The id in result[key].id (0 when there is none). */
static long long
demo_result_id(const cJSON *result, const char *key)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(result, key);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");

	return cJSON_IsNumber(id) ? (long long)id->valuedouble : 0;
}

/*
 * Write the token line of an account just created.  code NULL takes the code
 * from result[obj].code (organizers get theirs from the server).
 */
static int
demo_account(struct demo_state *st, const char *op, const char *role,
    const cJSON *result, const char *obj, const char *code, const char *name,
    const char *street)
{
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(result, "token");
	char buf[64];

	if (!cJSON_IsString(tok) || tok->valuestring == NULL) {
		snprintf(st->errbuf, st->errlen, "%s: internal: no token in the result", op);
		return -1;
	}
	if (code == NULL) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(result, obj);
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "code");

		if (cJSON_IsString(c) && c->valuestring != NULL)
			code = c->valuestring;
		else if (cJSON_IsNumber(c)) {
			snprintf(buf, sizeof(buf), "%.0f", c->valuedouble);
			code = buf;
		} else
			code = "-";
	}
	if (fprintf(st->tokens, "%s\t%s\t%s\t%s\t%s\n", role, code,
	    tok->valuestring, name, street != NULL ? street : "-") < 0) {
		snprintf(st->errbuf, st->errlen, "tokens: cannot write the token file");
		return -1;
	}
	return 0;
}

static int
demo_send_organizers(struct demo_state *st)
{
	for (int s = -1; s < DEMO_NSTREETS; s++) {
		char name[128];
		const char *street = s < 0 ? NULL : demo_streets[s].name;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1, rc;

		if (s < 0)
			snprintf(name, sizeof(name), "%s", demo_district_organizer);
		else
			snprintf(name, sizeof(name), "%s办事处", street);
		demo_set_str(args, "name", name, &ok);
		if (street != NULL)
			demo_set_str(args, "street", street, &ok);
		if (demo_do(st, "organizer.create", args, ok, &res) != 0)
			return -1;
		rc = demo_account(st, "organizer.create", "organizer", res,
		    "organizer", NULL, name, street);
		cJSON_Delete(res);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
demo_send_communities(struct demo_state *st)
{
	for (int i = 0; i < DEMO_NCOMMUNITIES; i++) {
		const struct demo_comm *c = &st->comms[i];
		const char *street = demo_streets[c->street].name;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1, rc;

		demo_set_str(args, "code", c->code, &ok);
		demo_set_str(args, "name", c->name, &ok);
		demo_set_str(args, "street", street, &ok);
		if (c->padding)		/* the planted ratio must not hang on configuration */
			demo_set_num(args, "cap", (double)(DEMO_CAP / DEMO_YUAN), &ok);
		if (demo_do(st, "community.create", args, ok, &res) != 0)
			return -1;
		rc = demo_account(st, "community.create", "community", res,
		    "community", c->code, c->name, street);
		cJSON_Delete(res);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
demo_send_orgs(struct demo_state *st)
{
	for (int i = 0; i < DEMO_NORGS; i++) {
		const struct demo_org *o = &st->orgs[i];
		const char *street = demo_streets[o->street].name;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1, rc;

		demo_set_str(args, "code", o->code, &ok);
		demo_set_str(args, "name", o->name, &ok);
		demo_set_str(args, "kind", o->registered ? "registered" : "filed", &ok);
		/* The service area defaults to the base street: send it only when wider. */
		if (o->streets != (1u << o->street))
			demo_set_streets(args, o->streets, &ok);
		demo_set_str(args, "street", street, &ok);
		if (demo_do(st, "org.create", args, ok, &res) != 0)
			return -1;
		rc = demo_account(st, "org.create", "org", res, "org", o->code,
		    o->name, street);
		cJSON_Delete(res);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
demo_send_offers(struct demo_state *st)
{
	for (size_t i = 0; i < st->noffers; i++) {
		const struct demo_offer *f = &st->offers[i];
		const struct demo_org *o = &st->orgs[f->org];
		const struct demo_category *c = &demo_categories[f->cat];
		const char *title;
		char area[128], desc[1024];
		struct demo_vars v;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1;

		demo_area(f->streets, area, sizeof(area));
		title = demo_pick(&st->text, c->offer_titles);
		v.community = "";
		v.title = title;
		v.street = demo_streets[o->street].name;
		v.area = area;
		v.count = (int)demo_rng_range(&st->text, c->ben_min, c->ben_max);
		v.years = (int)demo_rng_range(&st->text, 2, 10);
		demo_expand(st, desc, sizeof(desc), demo_pick(&st->text,
		    c->offer_descs), &v);
		if (f->partner >= 0)
			demo_append(desc, sizeof(desc), "本项目与",
			    st->orgs[f->partner].name, "联合申报。");

		demo_set_str(args, "org", o->code, &ok);
		demo_set_str(args, "title", title, &ok);
		demo_set_str(args, "category", c->name, &ok);
		demo_set_num(args, "price", (double)f->price / 100.0, &ok);
		demo_set_num(args, "capacity", f->capacity, &ok);
		if (f->explicit_streets)
			demo_set_streets(args, f->streets, &ok);
		demo_set_str(args, "description", desc, &ok);
		if (f->partner >= 0)
			demo_set_str(args, "partner", st->orgs[f->partner].code, &ok);
		if (demo_do(st, "offer.post", args, ok, &res) != 0)
			return -1;
		st->offers[i].id = demo_result_id(res, "offer");
		cJSON_Delete(res);
	}
	return 0;
}

/* A title base community c has not used yet in category cat (the plan leaves one). */
static const char *
demo_need_title(struct demo_state *st, struct demo_comm *c, int cat)
{
	const char *const *titles = demo_categories[cat].need_titles;
	uint32_t n = (uint32_t)demo_list_len(titles);
	uint32_t k = demo_rng_below(&st->text, n);

	for (uint32_t i = 0; i < n; i++, k = (k + 1) % n)
		if ((c->used_titles[cat] & (1u << k)) == 0) {
			c->used_titles[cat] |= 1u << k;
			return titles[k];
		}
	return NULL;
}

static int
demo_send_needs(struct demo_state *st)
{
	for (size_t i = 0; i < st->nneeds; i++) {
		struct demo_need *n = &st->needs[i];
		struct demo_comm *c = &st->comms[n->comm];
		const struct demo_category *cat = &demo_categories[n->cat];
		const char *base;
		char title[256], desc[1024];
		struct demo_vars v;
		cJSON *args, *res, *parts;
		int ok = 1;

		if (n->dropped)
			continue;
		base = demo_need_title(st, c, n->cat);
		if (base == NULL) {
			snprintf(st->errbuf, st->errlen,
			    "need.post: internal: no title left for %s", c->code);
			return -1;
		}
		if (demo_rng_chance(&st->text, 20))
			/* "红岭社区" + "社区…" reads "红岭社区…", not "红岭社区社区…". */
			snprintf(title, sizeof(title), "%s%s", c->name,
			    strncmp(base, "社区", strlen("社区")) == 0 ?
			    base + strlen("社区") : base);
		else
			snprintf(title, sizeof(title), "%s", base);
		assert(demo_utf8_len(title) <= DEMO_TITLE_MAX);

		v.community = c->name;
		v.street = demo_streets[c->street].name;
		v.area = v.street;
		v.title = base;
		v.count = n->beneficiaries;
		v.years = 0;
		demo_expand(st, desc, sizeof(desc), demo_pick(&st->text,
		    cat->need_descs), &v);
		for (int p = 0; p < n->npartners; p++)
			demo_append(desc, sizeof(desc), p == 0 ? "跨社区项目，联合" : "、",
			    st->comms[n->partners[p]].name,
			    p + 1 == n->npartners ? "共同实施。" : "");

		args = cJSON_CreateObject();
		demo_set_str(args, "community", c->code, &ok);
		demo_set_str(args, "title", title, &ok);
		demo_set_str(args, "category", cat->name, &ok);
		demo_set_num(args, "budget", (double)n->budget / 100.0, &ok);
		demo_set_str(args, "description", desc, &ok);
		demo_set_num(args, "beneficiaries", n->beneficiaries, &ok);
		if (n->npartners > 0) {
			parts = args == NULL ? NULL :
			    cJSON_AddArrayToObject(args, "partners");
			if (parts == NULL)
				ok = 0;
			for (int p = 0; parts != NULL && p < n->npartners; p++)
				if (!cJSON_AddItemToArray(parts, cJSON_CreateString(
				    st->comms[n->partners[p]].code)))
					ok = 0;
		}
		if (c->padding) {
			/* Invented at the year's end to spend the cap: every
			 * padded need is to start in its last weeks. */
			char from[16], to[16];
			cJSON *w = args == NULL ? NULL :
			    cJSON_AddObjectToObject(args, "window");

			snprintf(from, sizeof(from), "%04d-12-10", st->year);
			snprintf(to, sizeof(to), "%04d-12-31", st->year);
			demo_set_str(w, "from", from, &ok);
			demo_set_str(w, "to", to, &ok);
		}
		if (demo_do(st, "need.post", args, ok, &res) != 0)
			return -1;
		n->id = demo_result_id(res, "need");
		snprintf(n->title, sizeof(n->title), "%s", title);
		cJSON_Delete(res);
	}
	return 0;
}

/* ---- the story: fairs held, one ready, planted risks -------------------- */

/*
 * Each street but the laggard held its first fair in spring and answered a
 * different share of its needs there, so the ranking is plain to see; the
 * laggard's first fair is set up and ready to match.  Confirmations are
 * chosen so that no organisation holds more than DEMO_SHARE_MAX_PCT of a
 * street's confirmed amount, except in the concentrated street, where one
 * holds more than 30%.
 */
#define DEMO_LAGGARD		9	/* 清水河街道 */
#define DEMO_CONCENTRATED	2	/* 东门街道 */
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
static int
demo_confirm(struct demo_state *st, const struct demo_cand *m)
{
	const char *roles[2] = { "community", "org" };
	const char *codes[2] = { m->community, m->org };

	for (int side = 0; side < 2; side++) {
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1;

		demo_set_num(args, "match", (double)m->match, &ok);
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
		if (c[i].taken && demo_confirm(st, &c[i]) != 0)
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

static int
demo_story(struct demo_state *st)
{
	char name[128], date[16];

	for (int s = 0; s < DEMO_NSTREETS; s++)
		if (s != DEMO_LAGGARD && demo_past_fair(st, s) != 0)
			return -1;
	if (demo_plant_inflated(st) != 0 || demo_plant_duplicate(st) != 0)
		return -1;
	snprintf(name, sizeof(name), "%s民生微实事项目对接会（首场）",
	    demo_streets[DEMO_LAGGARD].name);
	snprintf(date, sizeof(date), "%04d-12-16", st->year);
	return demo_fair_open(st, DEMO_LAGGARD, name, date) < 0 ? -1 : 0;
}

/* ---- entry point -------------------------------------------------------- */

int
demo_seed(demo_call_fn call, void *ctx, FILE *tokens, unsigned int seed,
    char *errbuf, size_t errlen)
{
	struct demo_state *st;
	int rc = -1;

	if (errlen > 0)
		errbuf[0] = '\0';
	assert(demo_ncategories <= DEMO_MAXCATS);
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		snprintf(errbuf, errlen, "demo: internal: out of memory");
		return -1;
	}
	st->call = call;
	st->ctx = ctx;
	st->tokens = tokens;
	st->errbuf = errbuf;
	st->errlen = errlen;
	{
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		st->year = tm.tm_year + 1900;
	}
	demo_rng_init(&st->plan, (uint64_t)seed * 2 + 1);
	demo_rng_init(&st->text, ((uint64_t)seed << 32) ^ 0x6D61746368640AULL);

	if (demo_plan_communities(st) != 0 || demo_plan_orgs(st) != 0 ||
	    demo_plan_offers(st) != 0 || demo_plan_needs(st) != 0) {
		snprintf(errbuf, errlen, "demo: internal: the demo plan is inconsistent");
		goto done;
	}
	if (demo_send_organizers(st) != 0 || demo_send_communities(st) != 0 ||
	    demo_send_orgs(st) != 0 || demo_send_offers(st) != 0 ||
	    demo_send_needs(st) != 0 || demo_story(st) != 0)
		goto done;
	if (fflush(tokens) != 0 || ferror(tokens)) {
		snprintf(errbuf, errlen, "tokens: cannot write the token file");
		goto done;
	}
	rc = 0;
done:
	free(st->needs);
	free(st);
	return rc;
}
