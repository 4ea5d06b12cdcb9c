// lemon_ref.cc: solve bench_matcher's candidate graph with
// lemon::NetworkSimplex and print the time of run() and the optimal total.
//
// The b-matching as a min-cost flow: each need has supply 1 and sends it
// to the sink either through an offer (cost -score, capacity 1; the offer
// passes at most its capacity on) or directly (cost 0, "stay unmatched").
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <chrono>
#include <cstdio>
#include <vector>

int
main(int argc, char **argv)
{
	using namespace lemon;
	typedef SmartDigraph G;

	if (argc < 2)
		return 2;
	FILE *f = std::fopen(argv[1], "r");
	if (!f)
		return 1;
	long n, m, arcs;
	if (std::fscanf(f, "%ld %ld %ld", &n, &m, &arcs) != 3)
		return 1;
	G g;
	g.reserveNode(n + m + 1);
	g.reserveArc(arcs + n + m);
	std::vector<G::Node> need(n), offer(m);
	for (long i = 0; i < n; i++)
		need[i] = g.addNode();
	for (long i = 0; i < m; i++)
		offer[i] = g.addNode();
	G::Node sink = g.addNode();
	G::ArcMap<long long> cost(g);
	G::ArcMap<int> cap(g);
	G::NodeMap<int> supply(g, 0);
	for (long i = 0; i < m; i++) {
		int c;
		if (std::fscanf(f, "%d", &c) != 1)
			return 1;
		G::Arc a = g.addArc(offer[i], sink);
		cap[a] = c;
		cost[a] = 0;
	}
	for (long k = 0; k < arcs; k++) {
		long i, o;
		long long s;
		if (std::fscanf(f, "%ld %ld %lld", &i, &o, &s) != 3)
			return 1;
		G::Arc a = g.addArc(need[i], offer[o]);
		cap[a] = 1;
		cost[a] = -s;
	}
	std::fclose(f);
	for (long i = 0; i < n; i++) {
		G::Arc a = g.addArc(need[i], sink);
		cap[a] = 1;
		cost[a] = 0;
		supply[need[i]] = 1;
	}
	supply[sink] = -(int)n;
	NetworkSimplex<G, int, long long> ns(g);
	ns.upperMap(cap).costMap(cost).supplyMap(supply);
	auto t0 = std::chrono::steady_clock::now();
	NetworkSimplex<G, int, long long>::ProblemType pt = ns.run();
	auto t1 = std::chrono::steady_clock::now();
	if (pt != NetworkSimplex<G, int, long long>::OPTIMAL)
		return 1;
	long long total = -ns.totalCost<long long>();
	std::printf("lemon_s=%.3f lemon_total=%lld\n",
	    std::chrono::duration<double>(t1 - t0).count(), total);
	return 0;
}
