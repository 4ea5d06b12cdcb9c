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
 * The seeder replays the year as it happened (demo_day): the district is
 * set up on 2 January, needs are posted from then until the spring fairs
 * (so that December does not make every need late), the spring fairs are
 * held in April and the laggard's fair is set up for December.  Streets
 * are registered first; partners agree to the shared needs and joint
 * offers they are named in; about one offer in ten is in the library.
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
 *
 * The files, by the seeder's own sections: demo.c (this overview, the PRNG,
 * small helpers and the entry point), demo_plan.c and demo_plan_needs.c (the
 * district's shape), demo_send.c (posting it through the call function),
 * demo_story.c (the fairs, matches and answers that tell the story) and
 * demo_text.c (the data the text is drawn from); demo_priv.h is what they
 * share.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/demo/demo_priv.h"

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
uint32_t
demo_rng_below(struct demo_rng *r, uint32_t n)
{
	assert(n > 0);
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A uniform integer in [lo, hi]. */
long long
demo_rng_range(struct demo_rng *r, long long lo, long long hi)
{
	assert(lo <= hi);
	return lo + (long long)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* True with probability pct / 100. */
int
demo_rng_chance(struct demo_rng *r, unsigned pct)
{
	return demo_rng_below(r, 100) < pct;
}

/* ---- small helpers ----------------------------------------------------- */

size_t
demo_list_len(const char *const *list)
{
	size_t n = 0;

	while (list[n] != NULL)
		n++;
	return n;
}

const char *
demo_pick(struct demo_rng *r, const char *const *list)
{
	return list[demo_rng_below(r, (uint32_t)demo_list_len(list))];
}

/* Characters (not bytes) of a UTF-8 string. */
size_t
demo_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int
demo_cat_index(const char *name)
{
	for (size_t i = 0; i < demo_ncategories; i++)
		if (strcmp(demo_categories[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
demo_serves(unsigned streets, int street)
{
	return (streets & DEMO_ALL_STREETS) != 0 ||
	    (streets & (1u << street)) != 0;
}

/* Round fen to whole thousands of yuan, upwards. */
long long
demo_round_up(long long fen)
{
	return (fen + DEMO_BUDGET_STEP - 1) / DEMO_BUDGET_STEP * DEMO_BUDGET_STEP;
}

long long
demo_round_down(long long fen)
{
	return fen / DEMO_BUDGET_STEP * DEMO_BUDGET_STEP;
}

/* ---- entry point -------------------------------------------------------- */

int
demo_seed(demo_call_fn call, demo_date_fn date, void *ctx, FILE *tokens,
    unsigned int seed, char *errbuf, size_t errlen)
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
	st->date = date;
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

	if (demo_plan(st) != 0) {
		snprintf(errbuf, errlen, "demo: internal: the demo plan is inconsistent");
		goto done;
	}
	if (demo_send(st) != 0 || demo_story(st) != 0)
		goto done;
	st->date(st->ctx, NULL);
	if (fflush(tokens) != 0 || ferror(tokens)) {
		snprintf(errbuf, errlen, "tokens: cannot write the token file");
		goto done;
	}
	rc = 0;
done:
	st->date(st->ctx, NULL);
	free(st->needs);
	free(st);
	return rc;
}

void
demo_day(struct demo_state *st, int day)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	char	date[40];
	int	m = 0;

	while (m < 11 && day >= mdays[m]) {
		day -= mdays[m];
		m++;
	}
	snprintf(date, sizeof(date), "%04d-%02d-%02d", st->year, m + 1,
	    day + 1);
	st->date(st->ctx, date);
}
