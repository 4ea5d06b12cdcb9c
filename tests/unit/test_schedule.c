/*
 * test_schedule.c: the meeting schedule on random multigraphs (fixed
 * seed): no party twice in a slot, no slot over the tables, exactly L
 * slots each used, the truncation rules against a naive reference, and
 * the previous-place hint; with options (booths, limits per party, must
 * meetings) the same against a brute-force check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "matcher/schedule.h"

static uint64_t	 rng_state;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int
rint_(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/*
 * Check r against m: a proper, table-bounded, equitable schedule of
 * exactly L = max(D, ceil(E / tables)) slots over the scheduled meetings.
 */
static void
check_schedule(const struct schedule_meeting *m, size_t n, int tables,
    int slots, const struct schedule_result *r)
{
	int maxc = 0, maxo = 0, *degc, *dego, *busyc, *busyo, *tab, L, D = 0;
	size_t i, e = 0, *cnt, lo, hi;
	int s;

	assert_int_equal(r->n, n);
	for (i = 0; i < n; i++) {
		if (m[i].community + 1 > maxc)
			maxc = m[i].community + 1;
		if (m[i].org + 1 > maxo)
			maxo = m[i].org + 1;
	}
	degc = calloc((size_t)maxc + 1, sizeof(int));
	dego = calloc((size_t)maxo + 1, sizeof(int));
	assert_non_null(degc);
	assert_non_null(dego);
	/* Each meeting is placed or listed as unscheduled, not both. */
	for (i = 0; i < r->nunscheduled; i++) {
		assert_true(r->unscheduled[i] < n);
		assert_int_equal(r->place[r->unscheduled[i]].slot, 0);
		assert_int_equal(r->place[r->unscheduled[i]].table, 0);
	}
	for (i = 0; i < n; i++) {
		if (r->place[i].slot == 0)
			continue;
		e++;
		if (++degc[m[i].community] > D)
			D = degc[m[i].community];
		if (++dego[m[i].org] > D)
			D = dego[m[i].org];
	}
	assert_int_equal(e + r->nunscheduled, n);
	L = (int)((e + (size_t)tables - 1) / (size_t)tables);
	if (D > L)
		L = D;
	assert_int_equal(r->nslots, L);
	assert_true(L <= slots);
	busyc = calloc((size_t)(maxc + 1) * (size_t)(L + 1), sizeof(int));
	busyo = calloc((size_t)(maxo + 1) * (size_t)(L + 1), sizeof(int));
	tab = calloc((size_t)(tables + 1) * (size_t)(L + 1), sizeof(int));
	cnt = calloc((size_t)L + 1, sizeof(size_t));
	assert_non_null(busyc);
	assert_non_null(busyo);
	assert_non_null(tab);
	assert_non_null(cnt);
	for (i = 0; i < n; i++) {
		s = r->place[i].slot;
		if (s == 0)
			continue;
		assert_true(s >= 1 && s <= L);
		assert_true(r->place[i].table >= 1 &&
		    r->place[i].table <= tables);
		assert_false(busyc[m[i].community * (L + 1) + s]++);
		assert_false(busyo[m[i].org * (L + 1) + s]++);
		assert_false(tab[r->place[i].table * (L + 1) + s]++);
		cnt[s]++;
	}
	/* Every slot used, none over the tables, sizes within one. */
	lo = e;
	hi = 0;
	for (s = 1; s <= L; s++) {
		assert_true(cnt[s] >= 1 && cnt[s] <= (size_t)tables);
		if (cnt[s] < lo)
			lo = cnt[s];
		if (cnt[s] > hi)
			hi = cnt[s];
	}
	if (L > 0)
		assert_true(hi <= lo + 1);
	free(degc);
	free(dego);
	free(busyc);
	free(busyo);
	free(tab);
	free(cnt);
}

/* The truncation rules of docs/design.md ("Meetings"), one removal at a
 * time. */
static size_t
ref_truncate(const struct schedule_meeting *m, size_t n, int tables,
    int slots, size_t *rem)
{
	unsigned char *act = calloc(n + 1, 1);
	size_t nrem = 0, i, e = n, j;
	int pass;

	assert_non_null(act);
	memset(act, 1, n);
	for (;;) {
		long best = -1;

		for (pass = 0; pass < 2 && best < 0; pass++)
			for (i = 0; i < n; i++) {
				int dc = 0, dg = 0;

				if (!act[i] || m[i].matched != pass)
					continue;
				for (j = 0; j < n; j++)
					if (act[j]) {
						dc += m[j].community ==
						    m[i].community;
						dg += m[j].org == m[i].org;
					}
				if (dc <= slots && dg <= slots)
					continue;
				if (best < 0 || m[i].score <= m[best].score)
					best = (long)i;
			}
		if (best < 0)
			break;
		act[best] = 0;
		rem[nrem++] = (size_t)best;
		e--;
	}
	while (e > (size_t)slots * (size_t)tables) {
		long best = -1;

		for (pass = 0; pass < 2 && best < 0; pass++)
			for (i = 0; i < n; i++)
				if (act[i] && m[i].matched == pass &&
				    (best < 0 || m[i].score <= m[best].score))
					best = (long)i;
		act[best] = 0;
		rem[nrem++] = (size_t)best;
		e--;
	}
	free(act);
	return nrem;
}

static void
gen(struct schedule_meeting *m, size_t n, int nc, int no)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].community = rint_(nc);
		m[i].org = rint_(no);
		m[i].score = rint_(20) * 100;
		m[i].matched = rint_(4) == 0;
	}
}

/* Enough slots: nothing left out, L exactly. */
static void
test_random_fits(void **state)
{
	struct schedule_meeting *m;
	struct schedule_result r, r2;
	int it, tables;
	size_t n;

	(void)state;
	rng_state = 0x5eed5eedULL;
	m = calloc(3000, sizeof(*m));
	assert_non_null(m);
	for (it = 0; it < 400; it++) {
		n = (size_t)(it < 380 ? 1 + rint_(200) : 1000 + rint_(2000));
		gen(m, n, 1 + rint_(it % 2 ? 5 : 60), 1 + rint_(it % 3 ? 8 :
		    80));
		tables = 1 + rint_(it % 2 ? 3 : 40);
		assert_int_equal(schedule_build(m, n, tables, 100000, &r), 0);
		assert_int_equal(r.nunscheduled, 0);
		check_schedule(m, n, tables, 100000, &r);
		assert_int_equal(schedule_build(m, n, tables, 100000, &r2), 0);
		assert_memory_equal(r.place, r2.place, n * sizeof(*r.place));
		schedule_result_free(&r);
		schedule_result_free(&r2);
	}
	free(m);
}

/* Too few slots: the left-out meetings follow the rules exactly. */
static void
test_random_truncate(void **state)
{
	struct schedule_meeting m[120];
	struct schedule_result r;
	size_t rem[120], nrem, n;
	int it, tables, slots, nmatched_out = 0;

	(void)state;
	rng_state = 0xfeedbeefULL;
	for (it = 0; it < 600; it++) {
		n = (size_t)(1 + rint_(120));
		gen(m, n, 1 + rint_(10), 1 + rint_(12));
		tables = 1 + rint_(6);
		slots = rint_(12);
		assert_int_equal(schedule_build(m, n, tables, slots, &r), 0);
		check_schedule(m, n, tables, slots, &r);
		nrem = ref_truncate(m, n, tables, slots, rem);
		assert_int_equal(r.nunscheduled, nrem);
		if (nrem)
			assert_memory_equal(r.unscheduled, rem,
			    nrem * sizeof(*rem));
		for (size_t i = 0; i < nrem; i++)
			nmatched_out += m[rem[i]].matched;
		schedule_result_free(&r);
	}
	assert_true(nmatched_out > 0);
}

/* A hand example: a community with 3 meetings and 2 tables. */
static void
test_hand(void **state)
{
	struct schedule_meeting m[5];
	struct schedule_result r;

	(void)state;
	memset(m, 0, sizeof(m));
	/* Community 0 meets orgs 0, 1, 2; community 1 meets orgs 0, 1. */
	m[0].org = 0;
	m[1].org = 1;
	m[2].org = 2;
	m[3].community = 1;
	m[3].org = 0;
	m[4].community = 1;
	m[4].org = 1;
	m[2].score = 10;
	m[4].score = 5;
	m[0].matched = 1;
	/* D = 3, E = 5, 2 tables: L = max(3, 3) = 3. */
	assert_int_equal(schedule_build(m, 5, 2, 3, &r), 0);
	assert_int_equal(r.nslots, 3);
	assert_int_equal(r.nunscheduled, 0);
	check_schedule(m, 5, 2, 3, &r);
	schedule_result_free(&r);
	/* 2 slots: community 0 drops its lowest non-matched meeting (1). */
	assert_int_equal(schedule_build(m, 5, 2, 2, &r), 0);
	assert_int_equal(r.nslots, 2);
	assert_int_equal(r.nunscheduled, 1);
	assert_int_equal(r.unscheduled[0], 1);
	check_schedule(m, 5, 2, 2, &r);
	schedule_result_free(&r);
	/* 1 table, 2 slots: then ceil(E / 1) > 2 drops 3 and 4 too... */
	assert_int_equal(schedule_build(m, 5, 1, 2, &r), 0);
	assert_int_equal(r.nunscheduled, 3);
	assert_int_equal(r.unscheduled[0], 1);
	assert_int_equal(r.unscheduled[1], 3);
	assert_int_equal(r.unscheduled[2], 4);
	check_schedule(m, 5, 1, 2, &r);
	schedule_result_free(&r);
	/* No slots at all: everything out, matched last. */
	assert_int_equal(schedule_build(m, 5, 2, 0, &r), 0);
	assert_int_equal(r.nunscheduled, 5);
	assert_int_equal(r.unscheduled[4], 0);
	assert_int_equal(r.nslots, 0);
	schedule_result_free(&r);
	assert_int_equal(schedule_build(m, 5, 0, 3, &r), -1);
	assert_int_equal(schedule_build(NULL, 0, 1, 3, &r), 0);
	assert_int_equal(r.nslots, 0);
	schedule_result_free(&r);
}

/* Previous places given as hints (slots permuted) come back. */
static void
test_hint(void **state)
{
	struct schedule_meeting m[300];
	struct schedule_result r, r2;
	int it, perm[64], i, j, t, tables;
	size_t n, k, same;

	(void)state;
	rng_state = 0x4242ULL;
	for (it = 0; it < 100; it++) {
		n = (size_t)(10 + rint_(290));
		gen(m, n, 1 + rint_(20), 1 + rint_(20));
		tables = 1 + rint_(30);
		assert_int_equal(schedule_build(m, n, tables, 64, &r), 0);
		if (r.nslots == 0) {
			schedule_result_free(&r);
			continue;
		}
		for (i = 0; i < r.nslots; i++)
			perm[i] = i;
		for (i = r.nslots - 1; i > 0; i--) {
			j = rint_(i + 1);
			t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		for (k = 0; k < n; k++)
			if (r.place[k].slot) {
				m[k].prev_slot = perm[r.place[k].slot - 1] + 1;
				m[k].prev_table = tables + 1 -
				    r.place[k].table;
			}
		assert_int_equal(schedule_build(m, n, tables, 64, &r2), 0);
		check_schedule(m, n, tables, 64, &r2);
		for (k = 0, same = 0; k < n; k++)
			if (r2.place[k].slot) {
				same += r2.place[k].slot == m[k].prev_slot &&
				    r2.place[k].table == m[k].prev_table;
			}
		assert_int_equal(same, n - r.nunscheduled);
		schedule_result_free(&r);
		schedule_result_free(&r2);
	}
}

/* Which kind a meeting is left out in: 0 first, 2 last. */
static int
kind_of(const struct schedule_meeting *m)
{
	return m->matched ? 2 : m->must ? 1 : 0;
}

/*
 * The rules of docs/protocol.md ("Interests and booths") with options, one removal at a time: the
 * meeting of lowest (kind, score, later index) among those of a party over
 * its limit; then, without booths, of all while ceil(E / tables) > slots.
 */
static size_t
ref_trim(const struct schedule_meeting *m, size_t n, int tables, int slots,
    const struct schedule_options *opt, size_t *rem)
{
	unsigned char *act = calloc(n + 1, 1);
	size_t nrem = 0, i, e = n, j;
	int limc = slots, limo = slots, over;
	long best;

	assert_non_null(act);
	memset(act, 1, n);
	if (opt->max_per_community > 0 && opt->max_per_community < limc)
		limc = opt->max_per_community;
	if (opt->max_per_org > 0 && opt->max_per_org < limo)
		limo = opt->max_per_org;
	for (over = 1; over || (!opt->booths &&
	    e > (size_t)slots * (size_t)tables); ) {
		best = -1;
		for (i = 0; i < n; i++) {
			int dc = 0, dg = 0;

			if (!act[i])
				continue;
			for (j = 0; j < n && over; j++)
				if (act[j]) {
					dc += m[j].community == m[i].community;
					dg += m[j].org == m[i].org;
				}
			if (over && dc <= limc && dg <= limo)
				continue;
			if (best < 0 || kind_of(&m[i]) < kind_of(&m[best]) ||
			    (kind_of(&m[i]) == kind_of(&m[best]) &&
			    m[i].score <= m[best].score))
				best = (long)i;
		}
		if (best < 0) {
			over = 0;
			continue;
		}
		act[best] = 0;
		rem[nrem++] = (size_t)best;
		e--;
	}
	free(act);
	return nrem;
}

/* Random meetings with must and matched ones; the orgs that have any. */
static int
gen_fair(struct schedule_meeting *m, size_t n, int nc, int no)
{
	unsigned char seen[64] = { 0 };
	size_t i;
	int k = 0;

	gen(m, n, nc, no);
	for (i = 0; i < n; i++) {
		m[i].must = rint_(5) == 0;
		if (!seen[m[i].org]++)
			k++;
	}
	return k;
}

/*
 * Check a schedule with options by brute force: placed or listed, never
 * both, and the list as ref_trim's; no party twice in a slot; limits
 * held; with booths an org always at its table (1..k in org order) and
 * exactly L = D slots, each used; without, check_schedule's rules.
 */
static void
check_with(const struct schedule_meeting *m, size_t n, int tables,
    int slots, const struct schedule_options *opt,
    const struct schedule_result *r)
{
	size_t rem[200], nrem, i, j;
	int D = 0, degc[64] = { 0 }, dego[64] = { 0 }, s, rank;

	assert_int_equal(r->n, n);
	nrem = ref_trim(m, n, tables, slots, opt, rem);
	assert_int_equal(r->nunscheduled, nrem);
	if (nrem)
		assert_memory_equal(r->unscheduled, rem, nrem * sizeof(*rem));
	for (i = 0; i < n; i++) {
		for (j = 0; j < nrem && rem[j] != i; j++)
			;
		assert_int_equal(r->place[i].slot == 0, j < nrem);
		if (r->place[i].slot == 0) {
			assert_int_equal(r->place[i].table, 0);
			continue;
		}
		if (++degc[m[i].community] > D)
			D = degc[m[i].community];
		if (++dego[m[i].org] > D)
			D = dego[m[i].org];
		for (j = 0; j < i; j++)
			if (r->place[j].slot == r->place[i].slot)
				assert_true(m[j].community != m[i].community &&
				    m[j].org != m[i].org);
	}
	for (i = 0; i < 64; i++) {
		assert_true(degc[i] <= slots && dego[i] <= slots);
		if (opt->max_per_community > 0)
			assert_true(degc[i] <= opt->max_per_community);
		if (opt->max_per_org > 0)
			assert_true(dego[i] <= opt->max_per_org);
	}
	if (!opt->booths) {
		check_schedule(m, n, tables, slots, r);
		return;
	}
	assert_int_equal(r->nslots, D);
	for (s = 1; s <= D; s++) {
		for (i = 0; i < n && r->place[i].slot != s; i++)
			;
		assert_true(i < n);
	}
	for (i = 0; i < n; i++) {
		if (r->place[i].slot == 0)
			continue;
		assert_true(r->place[i].slot <= D);
		/* The org's rank among the orgs with meetings. */
		for (rank = 0, s = 0; s < m[i].org; s++) {
			for (j = 0; j < n && m[j].org != s; j++)
				;
			rank += j < n;
		}
		assert_int_equal(r->place[i].table, rank + 1);
		assert_true(r->place[i].table <= tables);
	}
}

/*
 * Schedules with booths on 1,000 random fairs: exactly L = D slots when
 * tables suffice (too few is refused), checked by brute force.
 */
static void
test_booths_random(void **state)
{
	struct schedule_meeting m[150];
	struct schedule_options opt;
	struct schedule_result r;
	size_t n;
	int it, k, tables, slots, rc, nrefused = 0, ntrimmed = 0, nfull = 0;

	(void)state;
	rng_state = 0xb007b007ULL;
	for (it = 0; it < 1000; it++) {
		n = (size_t)(1 + rint_(150));
		k = gen_fair(m, n, 1 + rint_(12), 1 + rint_(it % 2 ? 4 : 30));
		memset(&opt, 0, sizeof(opt));
		opt.booths = 1;
		if (rint_(3) == 0)
			opt.max_per_org = 1 + rint_(8);
		if (rint_(3) == 0)
			opt.max_per_community = 1 + rint_(8);
		tables = k + rint_(3) - (rint_(8) == 0 ? 1 + rint_(k) : 0);
		if (tables < 1)
			tables = 1;
		slots = rint_(2) ? 1000 : rint_(15);
		rc = schedule_build_with(m, n, tables, slots, &opt, &r);
		if (tables < k) {
			assert_int_equal(rc, SCHEDULE_TOO_FEW_TABLES);
			assert_null(r.place);
			nrefused++;
			continue;
		}
		assert_int_equal(rc, 0);
		check_with(m, n, tables, slots, &opt, &r);
		if (r.nunscheduled)
			ntrimmed++;
		else if (slots == 1000)
			nfull++;
		schedule_result_free(&r);
	}
	assert_true(nrefused > 20 && ntrimmed > 100 && nfull > 100);
}

/* Limits and must without booths: the same rules, tables bound slots. */
static void
test_limits_random(void **state)
{
	struct schedule_meeting m[150];
	struct schedule_options opt;
	struct schedule_result r, r0;
	size_t n;
	int it, tables, slots;

	(void)state;
	rng_state = 0x11717ULL;
	for (it = 0; it < 600; it++) {
		n = (size_t)(1 + rint_(150));
		gen_fair(m, n, 1 + rint_(12), 1 + rint_(12));
		memset(&opt, 0, sizeof(opt));
		opt.max_per_org = rint_(2) ? 1 + rint_(10) : 0;
		opt.max_per_community = rint_(2) ? 1 + rint_(10) : 0;
		tables = 1 + rint_(8);
		slots = rint_(3) ? rint_(20) : 1000;
		assert_int_equal(schedule_build_with(m, n, tables, slots, &opt,
		    &r), 0);
		check_with(m, n, tables, slots, &opt, &r);
		/* Options all 0: schedule_build itself. */
		memset(&opt, 0, sizeof(opt));
		assert_int_equal(schedule_build_with(m, n, tables, slots, &opt,
		    &r0), 0);
		schedule_result_free(&r);
		assert_int_equal(schedule_build(m, n, tables, slots, &r), 0);
		assert_int_equal(r.nslots, r0.nslots);
		assert_memory_equal(r.place, r0.place, n * sizeof(*r.place));
		schedule_result_free(&r);
		schedule_result_free(&r0);
	}
	opt.max_per_org = -1;
	assert_int_equal(schedule_build_with(m, n, 1, 1, &opt, &r), -1);
}

/* must is left out after other non-matched meetings, before matched. */
static void
test_must_order(void **state)
{
	struct schedule_meeting m[4];
	struct schedule_options opt = { 0, 0, 0 };
	struct schedule_result r;

	(void)state;
	memset(m, 0, sizeof(m));
	/* Community 0 meets orgs 0..3, one slot at a time. */
	m[0].org = 0;
	m[0].score = 90;
	m[1].org = 1;
	m[1].score = 10;
	m[1].must = 1;
	m[2].org = 2;
	m[2].score = 5;
	m[2].matched = 1;
	m[3].org = 3;
	m[3].score = 80;
	assert_int_equal(schedule_build_with(m, 4, 4, 2, &opt, &r), 0);
	/* Two slots: the two other meetings go, lowest score first. */
	assert_int_equal(r.nunscheduled, 2);
	assert_int_equal(r.unscheduled[0], 3);
	assert_int_equal(r.unscheduled[1], 0);
	schedule_result_free(&r);
	/* One a community: then the must one, the matched one stays. */
	opt.max_per_community = 1;
	opt.booths = 1;
	assert_int_equal(schedule_build_with(m, 4, 4, 2, &opt, &r), 0);
	assert_int_equal(r.nunscheduled, 3);
	assert_int_equal(r.unscheduled[2], 1);
	assert_int_equal(r.place[2].slot, 1);
	assert_int_equal(r.place[2].table, 3);
	assert_int_equal(r.nslots, 1);
	schedule_result_free(&r);
	/* Booths: four orgs, three tables. */
	assert_int_equal(schedule_build_with(m, 4, 3, 2, &opt, &r),
	    SCHEDULE_TOO_FEW_TABLES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_random_fits),
		cmocka_unit_test(test_random_truncate),
		cmocka_unit_test(test_hint),
		cmocka_unit_test(test_booths_random),
		cmocka_unit_test(test_limits_random),
		cmocka_unit_test(test_must_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
