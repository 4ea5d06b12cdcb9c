/*
 * demo_plan.c: the demo district's shape, planned before anything is sent
 * (demo.c tells the whole): its communities, its organisations (kind, name,
 * base street, service area, credit code) and their offers (category,
 * partner, price, capacity).  The needs are planned in demo_plan_needs.c,
 * against the offers planned here.  Every number comes from st->plan, drawn
 * in one fixed order, so the same seed gives the same district.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/demo/demo_priv.h"

/* The planted padding communities, by code. */
static const char *const demo_padding_codes[] = { "DX-04", "LT-03" };

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

int
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

/* ---- the plan ----------------------------------------------------------- */

/*
 * Plan the whole district, in the order its numbers have always been drawn
 * from st->plan: communities, organisations, offers, then needs.
 */
int
demo_plan(struct demo_state *st)
{
	if (demo_plan_communities(st) != 0 || demo_plan_orgs(st) != 0 ||
	    demo_plan_offers(st) != 0 || demo_plan_needs(st) != 0)
		return -1;
	return 0;
}
