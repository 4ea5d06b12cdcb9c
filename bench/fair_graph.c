/*
 * fair_graph.c: read a fair from a matchd database the way fair.match does
 * (daemon/domain/match_input.c), time the steps in process, and write the fair's
 * candidate graph for lemon_ref, so that LEMON solves the very instance
 * the daemon solved.
 *
 * usage: fair_graph DB FAIR YEAR GRAPHFILE
 *
 * Prints one line of key=value pairs: needs, offers, pairs (candidate
 * arcs), load_s (the store into the matcher's arrays), cand_s, assign_s
 * (assign_optimal on the candidate graph), assign_total, optimal_s and
 * optimal_total (matcher_run, optimal).  The graph file is bench_matcher's
 * format: "n m arcs\n", m lines "cap", arcs lines "need offer score".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/base/config.h"
#include "daemon/domain/match_input.h"
#include "daemon/store/store.h"
#include "matcher/assign.h"
#include "matcher/cand.h"
#include "matcher/matcher.h"
#include "protocol/error.h"

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
	static struct config conf;
	struct match_input mi;
	struct matcher_result r;
	struct cand_set cs;
	struct assign_graph g;
	struct store *st;
	struct error err;
	char msg[512];
	int64_t fid, *comm_left, *match;
	int *cap_left;
	cJSON *fair;
	unsigned char *fixed, *hit;
	double t0, t_load, t_cand, t_assign, t_opt;
	size_t i, k, a, n, m, nc;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr, "usage: fair_graph DB FAIR YEAR GRAPHFILE\n");
		return 2;
	}
	fid = strtoll(argv[2], NULL, 10);
	/* argv[3], the year, is kept for the callers: the caps' years are
	 * the needs' own now. */
	memset(&err, 0, sizeof(err));
	if (config_load(&conf, NULL, NULL, 0, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "fair_graph: %s\n", msg);
		return 1;
	}
	if ((st = store_open(argv[1], 1, 5000, 0, &err)) == NULL) {
		fprintf(stderr, "fair_graph: %s\n", err.message);
		return 1;
	}
	memset(&mi, 0, sizeof(mi));
	t0 = now();
	if (match_input_init(&mi, &conf, &err) == -1 ||
	    store_needs_each(st, fid, match_input_add_need, &mi, &err) == -1 ||
	    store_offers_each(st, fid, match_input_add_offer, &mi,
	    &err) == -1 ||
	    match_input_pairs(&mi, st, fid, &err) == -1 ||
	    match_input_caps(&mi, st, fid, &err) == -1 ||
	    store_fair_get(st, fid, &fair, &err) != 0) {
		fprintf(stderr, "fair_graph: %s\n", err.message);
		return 1;
	}
	/* The fair's own rules, as fair.match applies them. */
	match_input_rules(&mi, cJSON_GetStringValue(cJSON_GetObjectItem(fair,
	    "rule")), cJSON_GetNumberValue(cJSON_GetObjectItem(fair,
	    "min_score")));
	cJSON_Delete(fair);
	t_load = now() - t0;
	n = mi.in.nneeds;
	m = mi.in.noffers;
	nc = mi.in.ncommunities;
	if (mi.in.nfixed > 0) {
		fprintf(stderr, "fair_graph: the fair has confirmed pairs\n");
		return 1;
	}
	cap_left = calloc(m + 1, sizeof(*cap_left));
	comm_left = calloc(nc + 1, sizeof(*comm_left));
	fixed = calloc(n + 1, 1);
	hit = calloc(nc + 1, 1);
	match = calloc(n + 1, sizeof(*match));
	if (!cap_left || !comm_left || !fixed || !hit || !match)
		return 1;
	for (i = 0; i < m; i++)
		cap_left[i] = mi.in.offers[i].capacity;
	for (i = 0; i < nc; i++)
		comm_left[i] = mi.in.communities[i].cap_fen -
		    mi.in.communities[i].used_fen;
	t0 = now();
	if (cand_build(&mi.in, cap_left, comm_left, fixed, 0, hit, &cs) == -1)
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
	if ((f = fopen(argv[4], "w")) == NULL)
		return 1;
	fprintf(f, "%zu %zu %zu\n", n, m, cs.n);
	for (k = 0; k < m; k++)
		fprintf(f, "%d\n", cap_left[k]);
	for (k = 0; k < n; k++)
		for (a = cs.start[k]; a < cs.start[k + 1]; a++)
			fprintf(f, "%zu %d %d\n", k, cs.offer[a], cs.score[a]);
	fclose(f);
	printf("needs=%zu offers=%zu pairs=%zu load_s=%.3f cand_s=%.3f "
	    "assign_s=%.3f assign_total=%lld", n, m, cs.n, t_load, t_cand,
	    t_assign, (long long)assign_total(&g, match));
	cand_set_free(&cs);
	t0 = now();
	if (matcher_run(&mi.in, MATCHER_OPTIMAL, &r) == -1)
		return 1;
	t_opt = now() - t0;
	printf(" optimal_s=%.3f optimal_total=%lld capped=%zu\n", t_opt,
	    (long long)r.total_score, r.ncapped);
	matcher_result_free(&r);
	match_input_free(&mi);
	store_close(st);
	return 0;
}
