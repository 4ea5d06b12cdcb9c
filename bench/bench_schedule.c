/*
 * bench_schedule.c: time schedule_build (matcher/schedule.h) on a fair of
 * IMEX scale: a random multigraph of communities and organisations.
 *
 * usage: bench_schedule [PARTIES [MEETINGS [TABLES [SLOTS]]]]
 *   defaults 15000 86000 1000 288
 *
 * Half the parties are communities, half organisations.  Communities are
 * picked uniformly, organisations skewed (a few popular ones hold many
 * meetings), every party at most SLOTS / 2 meetings; one meeting in five is
 * a matched pair.  Checks the result (no party twice in a slot, at most
 * TABLES meetings a slot, every place in range) and prints one line of
 * key=value pairs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "matcher/schedule.h"

static unsigned long long rng = 0x2545f4914f6cdd1dULL;

static unsigned long long
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	int parties = argc > 1 ? atoi(argv[1]) : 15000;
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 86000;
	int tables = argc > 3 ? atoi(argv[3]) : 1000;
	int slots = argc > 4 ? atoi(argv[4]) : 288;
	int ncomm = parties / 2, norg = parties - ncomm, dmax = slots / 2;
	int *deg_c, *deg_o, *busy, d = 0, bad = 0;
	struct schedule_meeting *m;
	struct schedule_result r;
	struct rusage ru;
	size_t i, per_slot_max = 0, *per_slot;
	double t0, t;

	if (ncomm < 1 || norg < 1 || tables < 1 || slots < 1)
		return 2;
	m = calloc(n, sizeof(*m));
	deg_c = calloc((size_t)ncomm, sizeof(int));
	deg_o = calloc((size_t)norg, sizeof(int));
	if (m == NULL || deg_c == NULL || deg_o == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		int c, o;

		do {
			c = (int)(rnd() % (unsigned)ncomm);
			/* skewed: the square of a uniform draw */
			o = (int)((rnd() % (unsigned)norg) *
			    (rnd() % (unsigned)norg) / (unsigned)norg);
		} while (deg_c[c] >= dmax || deg_o[o] >= dmax);
		deg_c[c]++;
		deg_o[o]++;
		if (deg_c[c] > d)
			d = deg_c[c];
		if (deg_o[o] > d)
			d = deg_o[o];
		m[i].community = c;
		m[i].org = o;
		m[i].score = (int)(rnd() % 10000);
		m[i].matched = rnd() % 5 == 0;
	}
	t0 = now();
	if (schedule_build(m, n, tables, slots, &r) == -1)
		return 1;
	t = now() - t0;

	/* Check it. */
	busy = calloc((size_t)parties * (size_t)(r.nslots + 1), sizeof(int));
	per_slot = calloc((size_t)r.nslots + 1, sizeof(size_t));
	if (busy == NULL || per_slot == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		struct schedule_place *p = &r.place[i];

		if (p->slot == 0)
			continue;
		if (p->slot < 1 || p->slot > r.nslots || p->table < 1 ||
		    p->table > tables ||
		    busy[(size_t)m[i].community * (size_t)(r.nslots + 1) +
		    (size_t)p->slot]++ ||
		    busy[(size_t)(ncomm + m[i].org) * (size_t)(r.nslots + 1) +
		    (size_t)p->slot]++)
			bad++;
		if (++per_slot[p->slot] > per_slot_max)
			per_slot_max = per_slot[p->slot];
	}
	if (per_slot_max > (size_t)tables)
		bad++;
	getrusage(RUSAGE_SELF, &ru);
	printf("parties=%d meetings=%zu tables=%d slots=%d max_degree=%d "
	    "slots_used=%d unscheduled=%zu schedule_s=%.3f valid=%s "
	    "maxrss_mib=%.0f\n", parties, n, tables, slots, d, r.nslots,
	    r.nunscheduled, t, bad ? "NO" : "yes",
	    (double)ru.ru_maxrss / 1024.0);
	schedule_result_free(&r);
	return bad ? 3 : 0;
}
