#!/bin/sh
# run.sh: run the matcher benchmarks and write bench/results/matcher.md.
# BUILD names the build directory (default ../build, as bench/Makefile).
set -eu
cd "$(dirname "$0")"
BUILD=${BUILD:-../build}
BIN=$BUILD/bench
OUT=results/matcher.md
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
mkdir -p results

# key=value from a line of output.
val() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

{
	echo "# matcher benchmark"
	echo
	echo "Random sparse instances, fixed seed (bench/bench_matcher.c): needs x offers,"
	echo "about 90 candidate pairs per need, capacities 1-3, caps not binding."
	echo "Times in seconds, wall clock, one thread; RSS is the benchmark process's peak."
	echo "\`b-matching\` is assign_optimal alone on the candidate graph, the same"
	echo "graph LEMON's NetworkSimplex solves (lemon_ref.cc, run() only)."
	echo "\`optimal\`, \`greedy\`, \`stable\` are whole matcher_run calls"
	echo "(candidate generation, scoring, assignment, result)."
	echo
	echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)."
	echo
	echo "| needs x offers | pairs | candidates | b-matching | LEMON NS | ours/LEMON | same optimum | optimal | greedy | stable | greedy/optimal | peak RSS MiB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$OUT"

for size in 10000 100000; do
	graph=$TMP/graph.$size
	line=$("$BIN/bench_matcher" $size $size "$graph")
	echo "$line"
	lemon="-"; ratio="-"; same="-"
	if [ -x "$BIN/lemon_ref" ]; then
		lline=$("$BIN/lemon_ref" "$graph")
		echo "$lline"
		lemon=$(val "$lline" lemon_s)
		ratio=$(awk -v a="$(val "$line" assign_s)" -v b="$lemon" \
		    'BEGIN { printf "%.2f", a / b }')
		if [ "$(val "$lline" lemon_total)" = "$(val "$line" assign_total)" ]; then
			same=yes
		else
			same=NO
		fi
	fi
	rm -f "$graph"
	gr=$(awk -v g="$(val "$line" greedy_total)" -v o="$(val "$line" optimal_total)" \
	    'BEGIN { printf "%.4f", g / o }')
	echo "| $size x $size | $(val "$line" pairs) | $(val "$line" cand_s) |" \
	    "$(val "$line" assign_s) | $lemon | $ratio | $same |" \
	    "$(val "$line" optimal_s) | $(val "$line" greedy_s) |" \
	    "$(val "$line" stable_s) | $gr | $(val "$line" maxrss_mib) |" >> "$OUT"
done
{
	echo
	echo "With binding caps (every community capped at 8,000,000 yuan; bench_matcher"
	echo "N N - 8000000): optimal is then the exact b-matching plus the cap repair"
	echo "(heuristic, see matcher/matcher.c); \`uncapped\` is the exact optimum without"
	echo "caps, an upper bound."
	echo
	echo "| needs x offers | capped communities | uncapped bound | optimal total | optimal s | greedy total | greedy s | stable total | stable s |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} >> "$OUT"
for size in 10000 100000; do
	line=$("$BIN/bench_matcher" $size $size - 8000000)
	echo "$line"
	echo "| $size x $size | $(val "$line" capped) | $(val "$line" assign_total) |" \
	    "$(val "$line" optimal_total) | $(val "$line" optimal_s) |" \
	    "$(val "$line" greedy_total) | $(val "$line" greedy_s) |" \
	    "$(val "$line" stable_total) | $(val "$line" stable_s) |" >> "$OUT"
done
echo "wrote bench/$OUT"
