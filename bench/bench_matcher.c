/*
 * bench_matcher.c: time the matcher on random sparse instances.
 *
 * usage: bench_matcher NEEDS OFFERS [GRAPHFILE|-] [CAP_YUAN [MPSFILE]]
 *
 * Generates a fixed-seed instance (about 80 candidates per need), times
 * candidate generation, optimal (and its b-matching core alone), greedy and
 * stable, and prints one line of key=value pairs with the peak RSS.  With
 * GRAPHFILE, also writes the candidate graph for lemon_ref:
 *   "n m arcs\n", m lines "cap", then arcs lines "need offer score".
 * With CAP_YUAN, every community gets that yearly cap (so caps bind);
 * optimal then also reports its bound and gap (matcher/bound.c), and with
 * MPSFILE the linear relaxation under the caps is written there (free MPS)
 * for an LP solver: its optimum is the best bound a Lagrangian can reach.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "matcher/assign.h"
#include "matcher/cand.h"
#include "matcher/matcher.h"

static uint64_t	 rng = 0x853c49e6748fea9bULL;

static uint64_t
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

/* User and system CPU seconds of the process so far. */
static double
cpu(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
	    (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

static int
u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

/* A random token set: k tokens of a 3,000-word vocabulary, skewed. */
static void
tokens(struct text_tokens *t, size_t k)
{
	size_t i, j;

	t->h = malloc(k * sizeof(*t->h));
	if (t->h == NULL)
		abort();
	for (i = 0; i < k; i++) {
		uint64_t r = rnd() % 3000;

		t->h[i] = (r * r / 3000) * 0x9e3779b97f4a7c15ULL;
	}
	qsort(t->h, k, sizeof(*t->h), u64_cmp);
	for (i = 1, j = 1; i < k; i++)
		if (t->h[i] != t->h[j - 1])
			t->h[j++] = t->h[i];
	t->n = k ? j : 0;
}

int
main(int argc, char **argv)
{
	struct matcher_input in;
	struct matcher_need *needs;
	struct matcher_offer *offers;
	struct matcher_community *comm;
	struct text_tokens *nt, *ot;
	struct matcher_result r;
	struct cand_set cs;
	struct assign_graph g;
	struct rusage ru;
	int *streets, *cap_left, nstreets, ncomm, i;
	int64_t *comm_left, *match;
	unsigned char *fixed, *hit;
	size_t n, m;
	double t0, c0, t_cand, t_assign, t_opt, c_opt, t_greedy, t_stable;
	int64_t s_opt, s_assign, s_greedy, s_stable, bound;
	double gap;
	FILE *f;

	if (argc < 3)
		return 2;
	n = strtoul(argv[1], NULL, 10);
	m = strtoul(argv[2], NULL, 10);
	nstreets = (int)(n / 500 > 10 ? n / 500 : 10);
	ncomm = (int)(n / 100 > 83 ? n / 100 : 83);
	needs = calloc(n, sizeof(*needs));
	offers = calloc(m, sizeof(*offers));
	comm = calloc((size_t)ncomm, sizeof(*comm));
	nt = calloc(n, sizeof(*nt));
	ot = calloc(m, sizeof(*ot));
	streets = calloc(m * 2, sizeof(*streets));
	if (!needs || !offers || !comm || !nt || !ot || !streets)
		return 1;
	for (i = 0; i < ncomm; i++)
		comm[i].cap_fen = argc > 4 ? strtoll(argv[4], NULL, 10) * 100 :
		    INT64_MAX / 4;	/* by default caps do not bind */
	for (i = 0; i < (int)n; i++) {
		struct matcher_need *d = &needs[i];

		d->id = i + 1;
		d->community = (int)(rnd() % (uint64_t)ncomm);
		d->street = d->community % nstreets;
		d->family = (int)(rnd() % 3);
		d->sub = (int)(rnd() % 5);
		d->budget_fen = 1000000 + (int64_t)(rnd() % 19000000);
		tokens(&nt[i], 6 + rnd() % 20);
		d->tokens = &nt[i];
		d->eligible = 1;
	}
	for (i = 0; i < (int)m; i++) {
		struct matcher_offer *o = &offers[i];

		o->id = i + 1;
		o->org = i / 2;
		o->org_street = (int)(rnd() % (uint64_t)nstreets);
		o->family = (int)(rnd() % 3);
		o->sub = (int)(rnd() % 5);
		o->price_fen = 1000000 + (int64_t)(rnd() % 19000000);
		o->capacity = 1 + (int)(rnd() % 3);
		streets[2 * i] = o->org_street;
		streets[2 * i + 1] = (int)(rnd() % (uint64_t)nstreets);
		o->streets = &streets[2 * i];
		o->nstreets = rnd() % 10 == 0 ? 2 : 1;
		o->in_library = rnd() % 4 == 0;
		tokens(&ot[i], 6 + rnd() % 20);
		o->tokens = &ot[i];
		o->eligible = 1;
	}
	memset(&in, 0, sizeof(in));
	in.needs = needs;
	in.nneeds = n;
	in.offers = offers;
	in.noffers = m;
	in.communities = comm;
	in.ncommunities = (size_t)ncomm;
	score_weights_default(&in.weights);

	/* The b-matching core alone, on the candidate graph. */
	cap_left = calloc(m, sizeof(*cap_left));
	comm_left = calloc((size_t)ncomm, sizeof(*comm_left));
	fixed = calloc(n, 1);
	hit = calloc((size_t)ncomm, 1);
	match = calloc(n, sizeof(*match));
	if (!cap_left || !comm_left || !fixed || !hit || !match)
		return 1;
	for (i = 0; i < (int)m; i++)
		cap_left[i] = offers[i].capacity;
	for (i = 0; i < ncomm; i++)
		comm_left[i] = comm[i].cap_fen;
	t0 = now();
	if (cand_build(&in, cap_left, comm_left, fixed, 0, hit, &cs) == -1)
		return 1;
	t_cand = now() - t0;
	g.nneeds = (int)n;
	g.noffers = (int)m;
	g.start = cs.start;
	g.offer = cs.offer;
	g.score = cs.score;
	g.cap = cap_left;
	t0 = now();
	if (assign_optimal(&g, match) == -1)
		return 1;
	t_assign = now() - t0;
	s_assign = assign_total(&g, match);
	if (argc > 3 && strcmp(argv[3], "-") != 0) {
		size_t k, a;

		f = fopen(argv[3], "w");
		if (f == NULL)
			return 1;
		fprintf(f, "%zu %zu %zu\n", n, m, cs.n);
		for (k = 0; k < m; k++)
			fprintf(f, "%d\n", cap_left[k]);
		for (k = 0; k < n; k++)
			for (a = cs.start[k]; a < cs.start[k + 1]; a++)
				fprintf(f, "%zu %d %d\n", k, cs.offer[a],
				    cs.score[a]);
		fclose(f);
	}
	if (argc > 5 && strcmp(argv[5], "-") != 0) {
		size_t k, a;

		/*
		 * The linear relaxation under the caps, free MPS, for an LP
		 * solver (the exact LP bound, to compare with matcher/bound.c):
		 * minimise -score, a row a need, an offer, a community (at
		 * most two entries a line, as MPS wants).
		 */
		f = fopen(argv[5], "w");
		if (f == NULL)
			return 1;
		fprintf(f, "NAME capped\nROWS\n N obj\n");
		for (k = 0; k < n; k++)
			fprintf(f, " L n%zu\n", k);
		for (k = 0; k < m; k++)
			fprintf(f, " L o%zu\n", k);
		for (k = 0; k < (size_t)ncomm; k++)
			fprintf(f, " L c%zu\n", k);
		fprintf(f, "COLUMNS\n");
		for (k = 0; k < n; k++)
			for (a = cs.start[k]; a < cs.start[k + 1]; a++)
				if (cs.score[a] > 0)
					fprintf(f, " x%zu obj %d n%zu 1\n"
					    " x%zu o%d 1 c%d %lld\n", a,
					    -cs.score[a], k, a, cs.offer[a],
					    needs[k].community,
					    (long long)offers[cs.offer[a]].
					    price_fen);
		fprintf(f, "RHS\n");
		for (k = 0; k < n; k++)
			fprintf(f, " rhs n%zu 1\n", k);
		for (k = 0; k < m; k++)
			fprintf(f, " rhs o%zu %d\n", k, cap_left[k]);
		for (k = 0; k < (size_t)ncomm; k++)
			fprintf(f, " rhs c%zu %lld\n", k,
			    (long long)comm_left[k]);
		/* x <= 1 follows from the need's row. */
		fprintf(f, "ENDATA\n");
		fclose(f);
	}
	printf("needs=%zu offers=%zu pairs=%zu cand_s=%.3f assign_s=%.3f "
	    "assign_total=%lld", n, m, cs.n, t_cand, t_assign,
	    (long long)s_assign);
	cand_set_free(&cs);

	t0 = now();
	c0 = cpu();
	if (matcher_run(&in, MATCHER_OPTIMAL, &r) == -1)
		return 1;
	t_opt = now() - t0;
	c_opt = cpu() - c0;
	s_opt = r.total_score;
	bound = r.bound;
	gap = r.gap;
	printf(" capped=%zu exact=%d", r.ncapped, r.exact);
	matcher_result_free(&r);
	t0 = now();
	if (matcher_run(&in, MATCHER_GREEDY, &r) == -1)
		return 1;
	t_greedy = now() - t0;
	s_greedy = r.total_score;
	matcher_result_free(&r);
	t0 = now();
	if (matcher_run(&in, MATCHER_STABLE, &r) == -1)
		return 1;
	t_stable = now() - t0;
	s_stable = r.total_score;
	matcher_result_free(&r);
	getrusage(RUSAGE_SELF, &ru);
	printf(" optimal_s=%.3f optimal_cpu_s=%.3f optimal_total=%lld "
	    "bound=%lld gap=%.5f "
	    "greedy_s=%.3f greedy_total=%lld stable_s=%.3f stable_total=%lld "
	    "maxrss_mib=%.0f\n", t_opt, c_opt, (long long)s_opt,
	    (long long)bound,
	    gap, t_greedy,
	    (long long)s_greedy, t_stable, (long long)s_stable,
	    (double)ru.ru_maxrss / 1024.0);
	return argc > 4 || s_opt == s_assign ? 0 : 3;
}
