/*
 * demo_plan_needs.c: the demo district's needs, planned after its offers
 * (demo_plan.c): how many each community posts, their categories, budgets,
 * head counts and partner communities; then the budgets balanced against
 * the community caps and the planted padding totals reached exactly
 * (demo.c tells the whole).
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon/demo/demo_priv.h"

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

int
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
