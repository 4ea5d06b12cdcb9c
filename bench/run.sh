#!/bin/sh
# run.sh: run every benchmark, each case of matchd next to its reference in
# the same run, and write bench/results/matcher.md and bench/results/daemon.md.
#
# BUILD names the build directory (default ../build, as bench/Makefile);
# MATCHD the daemon (default ../bin/matchd).  Sizes, for quick runs:
#   BENCH_CASES    which cases (default: all of
#                  "matcher ingest reads http suggest fair schedule memory
#                  projects"; "projects" alone writes results/projects.md
#                  only: `BENCH_CASES=projects make bench`, and "events"
#                  alone results/events.md)
#   BENCH_SECS     seconds of load per throughput case (10), BENCH_WARM (1)
#   CONNS          connections (50), PIPELINE requests in flight (16)
#   WRK_THREADS    wrk threads (2)
#   MATCHER_SIZES  bench_matcher sizes ("10000 100000")
#   OFFERS         open offers for match.suggest (100000), STREETS (20)
#   SUGGEST_SECS   seconds of match.suggest, one at a time (20)
#   FAIR_N         needs and offers of the fair (10000), FAIR_RUNS (3)
#   SCHED_PARTIES  (15000), SCHED_MEETINGS (86000)
#   BIG_NEEDS      needs held for the memory case (1000000)
#   WATCHERS       event watchers of the events case (1000)
#   PROJECTS       projects for stats.streets and report.monthly (100000),
#                  PROJ_RUNS calls of each, the median reported (5)
#   CITY_NEEDS     needs of the city case (1000000); its offers are OFFERS
#   CITY_SKIP      ops the city case leaves out (to measure an old daemon:
#                  "risk.flags" took 11 minutes before reader threads)
#   CITY_OUT       where the city case writes its table (results/city.md)
#   BENCH_LOG      where to keep the daemons' log (with MATCHD_EXTRA=
#                  "-o log.level=debug": each turn that held answers > 5 ms)
# The daemon and Redis get fresh databases in a temporary directory and
# free loopback ports; Redis, wrk and LEMON are installed with apt-get when
# missing (as root).
set -eu
cd "$(dirname "$0")"
BUILD=${BUILD:-../build}
BIN=$BUILD/bench
MATCHD=${MATCHD:-../bin/matchd}
CASES=${BENCH_CASES:-"matcher ingest reads http suggest fair schedule memory events projects city"}
SECS=${BENCH_SECS:-10}
WARM=${BENCH_WARM:-1}
CONNS=${CONNS:-50}
PIPELINE=${PIPELINE:-16}
WRK_THREADS=${WRK_THREADS:-2}
MATCHER_SIZES=${MATCHER_SIZES:-"10000 100000"}
OFFERS=${OFFERS:-100000}
STREETS=${STREETS:-20}
SUGGEST_SECS=${SUGGEST_SECS:-20}
FAIR_N=${FAIR_N:-10000}
FAIR_RUNS=${FAIR_RUNS:-3}
SCHED_PARTIES=${SCHED_PARTIES:-15000}
SCHED_MEETINGS=${SCHED_MEETINGS:-86000}
BIG_NEEDS=${BIG_NEEDS:-1000000}
WATCHERS=${WATCHERS:-1000}
PROJECTS=${PROJECTS:-100000}
PROJ_RUNS=${PROJ_RUNS:-5}
CITY_NEEDS=${CITY_NEEDS:-1000000}
CITY_SKIP=${CITY_SKIP:-}
CITY_OUT=${CITY_OUT:-results/city.md}
LOAD=$BIN/load
OUT=results/daemon.md
TMP=$(mktemp -d)
PIDS=""
mkdir -p results

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
	[ -z "${BENCH_LOG:-}" ] || cp "$TMP/matchd.log" "$BENCH_LOG" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

has() { case " $CASES " in *" $1 "*) return 0 ;; esac; return 1; }
# key=value from a line of output.
val() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# ge A B: "yes" when A >= B.
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? "yes" : "**no**" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? "yes" : "**no**" }'; }
log() { echo "bench: $*" >&2; }

need_tools() {
	missing=""
	command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
	command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
	# LEMON, the reference of the matcher and the fair cases (header only)
	[ -f /usr/include/lemon/network_simplex.h ] ||
	    missing="$missing liblemon-dev"
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		log "installing$missing"
		apt-get install -y $missing >/dev/null 2>&1 ||
		    { apt-get update >/dev/null 2>&1 &&
		    apt-get install -y $missing >/dev/null 2>&1; } ||
		    { log "apt-get install$missing failed"; exit 1; }
		# lemon_ref is built only where LEMON's header is
		[ -x "$BIN/lemon_ref" ] || make -s build BUILD="$BUILD" >/dev/null
	else
		log "missing Debian packages:$missing (apt-get install$missing)"
		exit 1
	fi
}

# ---- matchd ------------------------------------------------------------------

# start_matchd DB: a daemon on fresh ports; sets MPID MPORT HPORT ADMIN.
start_matchd() {
	ADMIN=$("$MATCHD" token -c /dev/null -D "$1" 2>/dev/null | tail -1)
	set -- "$1" $("$LOAD" -F 2)
	MPORT=$2
	HPORT=$3
	"$MATCHD" -c /dev/null -D "$1" -l 127.0.0.1:$MPORT -H 127.0.0.1:$HPORT \
	    -o limits.rate_per_token=0 ${MATCHD_EXTRA:-} 2>>"$TMP/matchd.log" &
	MPID=$!
	PIDS="$PIDS $MPID"
	i=0
	until echo '{"op":"ping"}' | "$LOAD" -o lines 127.0.0.1:$MPORT \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $MPID 2>/dev/null; then
			log "matchd did not start:"
			cat "$TMP/matchd.log" >&2
			exit 1
		fi
		sleep 0.1
	done
}

stop_pid() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

# send: the JSON lines of stdin, pipelined on one connection; answers out.
send() { "$LOAD" -o lines -k 64 -P 127.0.0.1:$MPORT 2>"$TMP/send.err"; }
tokens() { sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'; }

# communities N STREETS CAP: register the streets S0..S(STREETS-1) and create
# communities C0..C(N-1); tokens on stdout.
communities() {
	awk -v s="$2" -v t="$ADMIN" 'BEGIN {
		for (i = 0; i < s; i++)
			printf "{\"op\":\"street.create\",\"token\":\"%s\"," \
			    "\"args\":{\"name\":\"S%d\"}}\n", t, i
	}' | send >/dev/null
	awk -v n="$1" -v s="$2" -v cap="$3" -v t="$ADMIN" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "{\"op\":\"community.create\",\"token\":\"%s\"," \
			    "\"args\":{\"code\":\"C%d\",\"name\":\"社区%d\"," \
			    "\"street\":\"S%d\",\"cap\":%s}}\n", t, i, i, i % s, cap
	}' | send | tokens
}

# orgs N: create district-wide organisations O0..O(N-1); tokens on stdout.
orgs() {
	awk -v n="$1" -v t="$ADMIN" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "{\"op\":\"org.create\",\"token\":\"%s\"," \
			    "\"args\":{\"code\":\"O%d\",\"name\":\"社会组织%d\"," \
			    "\"kind\":\"registered\"}}\n", t, i, i
	}' | send | tokens
}

vmhwm() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' /proc/$1/status; }
vmrss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' /proc/$1/status; }

# ---- Redis -----------------------------------------------------------------

start_redis() {
	RPORT=$("$LOAD" -F 1)
	mkdir -p "$TMP/redis"
	redis-server --port $RPORT --bind 127.0.0.1 --dir "$TMP/redis" \
	    --appendonly yes --appendfsync always --save '' \
	    --daemonize no --logfile "$TMP/redis/log" &
	RPID=$!
	PIDS="$PIDS $RPID"
	i=0
	until "$LOAD" -p resp -o get -I 1 -n 1 127.0.0.1:$RPORT \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && { log "redis-server did not start"; exit 1; }
		sleep 0.1
	done
}

# ---- results ---------------------------------------------------------------

ROWS=$TMP/rows
NOTES=$TMP/notes
: > "$ROWS"
: > "$NOTES"
# row CASE MATCHD REFERENCE RATIO TARGET MET
row() { echo "| $1 | $2 | $3 | $4 | $5 | $6 |" >> "$ROWS"; }
note() { echo "$*" >> "$NOTES"; }

# ---- the matcher (results/matcher.md, as before) --------------------------

matcher_bench() {
	M=results/matcher.md
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
	} > "$M"
	for size in $MATCHER_SIZES; do
		graph=$TMP/graph.$size
		line=$("$BIN/bench_matcher" $size $size "$graph")
		echo "$line"
		lemon="-"; r="-"; same="-"
		if [ -x "$BIN/lemon_ref" ]; then
			lline=$("$BIN/lemon_ref" "$graph")
			echo "$lline"
			lemon=$(val "$lline" lemon_s)
			r=$(ratio "$(val "$line" assign_s)" "$lemon")
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
		    "$(val "$line" assign_s) | $lemon | $r | $same |" \
		    "$(val "$line" optimal_s) | $(val "$line" greedy_s) |" \
		    "$(val "$line" stable_s) | $gr | $(val "$line" maxrss_mib) |" >> "$M"
		row "matcher b-matching $size x $size (s)" "$(val "$line" assign_s)" \
		    "$lemon (LEMON)" "$r" "-" "-"
	done
	{
	echo
	echo "With binding caps (every community capped at 8,000,000 yuan; bench_matcher"
	echo "N N - 8000000): optimal is then the exact b-matching, the cap repair and"
	echo "the Lagrangian bound (matcher/bound.c, matcher/BOUND.md): \`bound\` is an"
	echo "upper bound on the best total under the caps, \`gap\` = (bound - optimal"
	echo "total) / bound; \`uncapped\` is the exact optimum without caps, the bound"
	echo "there was before. Totals in hundredths of a point; \`optimal cpu s\` is the"
	echo "CPU time of the same run (the wall clock counts other processes too)."
	echo
	echo "| needs x offers | capped communities | uncapped bound | bound | optimal total | gap | optimal s | optimal cpu s | greedy total | greedy s | stable total | stable s |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	} >> "$M"
	lp=""
	for size in $MATCHER_SIZES; do
		mps=-
		# The exact LP bound by COIN-OR Clp, where installed and small.
		if command -v clp >/dev/null 2>&1 && [ "$size" -le 10000 ]; then
			mps=$TMP/capped.$size.mps
		fi
		line=$("$BIN/bench_matcher" $size $size - 8000000 $mps)
		echo "$line"
		if [ "$mps" != - ]; then
			t0=$(date +%s.%N)
			obj=$(clp "$mps" -dualsimplex 2>&1 |
			    sed -n 's/^Optimal objective -\([0-9.]*\).*/\1/p')
			t1=$(date +%s.%N)
			rm -f "$mps"
			lp="$lp
The linear relaxation's optimum on $size x $size (COIN-OR Clp, dual simplex; no bound from the caps' relaxation can be lower): $obj in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s; our bound is $(awk -v b="$(val "$line" bound)" -v l="$obj" 'BEGIN { printf "%.2f", 100 * (b - l) / l }')% above it, our total $(awk -v t="$(val "$line" optimal_total)" -v l="$obj" 'BEGIN { printf "%.2f", 100 * (l - t) / l }')% below it."
		fi
		gp=$(awk -v g="$(val "$line" gap)" 'BEGIN { printf "%.2f%%", 100 * g }')
		echo "| $size x $size | $(val "$line" capped) | $(val "$line" assign_total) |" \
		    "$(val "$line" bound) | $(val "$line" optimal_total) | $gp |" \
		    "$(val "$line" optimal_s) | $(val "$line" optimal_cpu_s) |" \
		    "$(val "$line" greedy_total) | $(val "$line" greedy_s) |" \
		    "$(val "$line" stable_total) | $(val "$line" stable_s) |" >> "$M"
	done
	[ -n "$lp" ] && echo "$lp" >> "$M"
	log "wrote bench/$M"
}

# ---- ingest, reads, HTTP: one daemon, one Redis ----------------------------

# lc: a load run, echoed to stderr, its line on stdout.
lc() {
	l=$("$LOAD" "$@") || { log "load $* failed"; exit 1; }
	log "$l"
	echo "$l"
}

wrk_rps() {
	w=$(wrk -t$WRK_THREADS -c$CONNS -d${SECS}s --latency -s "$TMP/post.lua" "$1")
	echo "$w" >&2
	if echo "$w" | grep -q 'Non-2xx'; then
		log "wrk: answers other than 200 from $1"
		exit 1
	fi
	rps=$(echo "$w" | sed -n 's/^Requests\/sec: *//p')
	p99=$(echo "$w" | awk '$1 == "99%" { print $2 }')
	echo "$rps $p99"
}

daemon_io() {
	log "ingest, reads, HTTP: matchd vs redis-server (appendfsync always) and evhttp"
	start_matchd "$TMP/io.db"
	communities "$CONNS" "$STREETS" 10000000000 > "$TMP/ctok"
	start_redis
	A="$CONNS x $PIPELINE"
	B="$CONNS x 1"
	needs=0
	if has ingest; then
		m16=$(lc -o post -c $CONNS -k $PIPELINE -d $SECS -w $WARM -t "$TMP/ctok" 127.0.0.1:$MPORT)
		r16=$(lc -p resp -o set -c $CONNS -k $PIPELINE -d $SECS -w $WARM 127.0.0.1:$RPORT)
		m1=$(lc -o post -c $CONNS -k 1 -d $SECS -w $WARM -t "$TMP/ctok" 127.0.0.1:$MPORT)
		r1=$(lc -p resp -o set -c $CONNS -k 1 -d $SECS -w $WARM 127.0.0.1:$RPORT)
		needs=$(( $(val "$m16" sent) + $(val "$m1" sent) ))
		keys=$(val "$r16" sent)
		x=$(ratio "$(val "$m16" rps)" "$(val "$r16" rps)")
		row "ingest: need.post vs SET, $A (req/s)" "$(val "$m16" rps)" "$(val "$r16" rps)" \
		    "$x" ">= 0.5" "$(ge "$x" 0.5)"
		row "ingest $A latency p50 / p99 (ms)" "$(val "$m16" p50_ms) / $(val "$m16" p99_ms)" \
		    "$(val "$r16" p50_ms) / $(val "$r16" p99_ms)" "-" "-" "-"
		x=$(ratio "$(val "$m1" rps)" "$(val "$r1" rps)")
		row "ingest: need.post vs SET, $B (req/s)" "$(val "$m1" rps)" "$(val "$r1" rps)" \
		    "$x" ">= 0.5" "$(ge "$x" 0.5)"
		row "ingest $B latency p50 / p99 (ms)" "$(val "$m1" p50_ms) / $(val "$m1" p99_ms)" \
		    "$(val "$r1" p50_ms) / $(val "$r1" p99_ms)" "-" "-" "-"
		note "ingest: SET payload $(val "$r16" payload) bytes, the mean size of the client's need.post line."
	fi
	if has reads; then
		if [ "$needs" = 0 ]; then
			lc -o post -c $CONNS -k $PIPELINE -n 20000 -t "$TMP/ctok" 127.0.0.1:$MPORT >/dev/null
			lc -p resp -o set -c $CONNS -k $PIPELINE -n 20000 127.0.0.1:$RPORT >/dev/null
			needs=20000
			keys=20000
		fi
		mg=$(lc -o get -c $CONNS -k 1 -d $SECS -w $WARM -I $needs -t "$TMP/ctok" 127.0.0.1:$MPORT)
		rg=$(lc -p resp -o get -c $CONNS -k 1 -d $SECS -w $WARM -I $keys 127.0.0.1:$RPORT)
		x=$(ratio "$(val "$mg" rps)" "$(val "$rg" rps)")
		row "reads: need.get vs GET, $B (req/s)" "$(val "$mg" rps)" "$(val "$rg" rps)" \
		    "$x" ">= 0.75" "$(ge "$x" 0.75)"
		row "reads $B latency p50 / p99 (ms)" "$(val "$mg" p50_ms) / $(val "$mg" p99_ms)" \
		    "$(val "$rg" p50_ms) / $(val "$rg" p99_ms)" "-" "-" "-"
		note "reads: need.get of $needs needs, GET of $keys keys, uniformly at random."
	fi
	stop_pid $RPID
	if has http; then
		cat > "$TMP/post.lua" <<-EOF
		wrk.method = "POST"
		wrk.body = "{}"
		wrk.headers["Content-Type"] = "application/json"
		wrk.headers["Authorization"] = "Bearer $(head -1 "$TMP/ctok")"
		EOF
		EPORT=$("$LOAD" -F 1)
		"$BIN/evhttp_ref" 127.0.0.1 $EPORT &
		EPID=$!
		PIDS="$PIDS $EPID"
		sleep 0.3
		mw=$(wrk_rps http://127.0.0.1:$HPORT/v1/op/whoami)
		ew=$(wrk_rps http://127.0.0.1:$EPORT/v1/op/whoami)
		stop_pid $EPID
		set -- $mw $ew
		x=$(ratio "$1" "$3")
		row "HTTP: POST /v1/op/whoami, wrk -t$WRK_THREADS -c$CONNS (req/s)" "$1" "$3 (evhttp)" \
		    "$x" ">= 0.5" "$(ge "$x" 0.5)"
		row "HTTP latency p99" "$2" "$4" "-" "-" "-"
	fi
	stop_pid $MPID
}

# ---- events: need.post with and without 1,000 watchers; delivery -----------

# The buckets of matchd_event_delivery_seconds (commit to written, one
# sample per event handed to a watcher) now: "le count" lines, then "sum
# SECONDS" and "count N".
delivery_hist() {
	curl -s "http://127.0.0.1:$HPORT/metrics" |
	    sed -n -e 's/^matchd_event_delivery_seconds_bucket{le="\([^"]*\)"} \(.*\)$/\1 \2/p' \
	    -e 's/^matchd_event_delivery_seconds_\(sum\|count\) \(.*\)$/\1 \2/p'
}
# hist_mean BEFORE AFTER: the mean (ms) of the samples between the two.
hist_mean() {
	paste -d' ' "$1" "$2" | awk '$1 == "sum" { s = $4 - $2 } $1 == "count" { n = $4 - $2 }
	    END { if (n > 0) printf "%.3f", s / n * 1000; else print "-" }'
}
# hist_pct BEFORE AFTER P: the bucket bound (ms) under which P of the turns
# between the two snapshots fall ("<= x").
hist_pct() {
	grep -hv '^sum\|^count' "$1" > "$1.b"
	grep -hv '^sum\|^count' "$2" > "$2.b"
	paste -d' ' "$1.b" "$2.b" | awk -v p="$3" '{ le[NR] = $1; n[NR] = $4 - $2 }
	    END { t = n[NR]; for (i = 1; i <= NR; i++) if (n[i] >= p * t) {
	        if (le[i] == "+Inf") print "inf"; else printf "%g", le[i] * 1000; exit } }'
}

daemon_events() {
	log "events: need.post $CONNS x $PIPELINE without and with $WATCHERS watchers"
	# Every watcher is a client on loopback: room for them all.
	MATCHD_EXTRA="-o limits.max_clients=$((WATCHERS + CONNS + 100)) -o limits.max_clients_per_address=$((WATCHERS + CONNS + 100))"
	start_matchd "$TMP/ev.db"
	MATCHD_EXTRA=""
	communities "$WATCHERS" "$STREETS" 10000000000 > "$TMP/wtok"
	head -n "$CONNS" "$TMP/wtok" > "$TMP/etok"
	alone=$(lc -o post -c $CONNS -k $PIPELINE -d $SECS -w $WARM -t "$TMP/etok" 127.0.0.1:$MPORT)
	"$BIN/watchers" -t "$TMP/wtok" -n "$WATCHERS" -d $((SECS + WARM + 2)) \
	    127.0.0.1:$MPORT > "$TMP/watch.out" &
	WPID=$!
	PIDS="$PIDS $WPID"
	sleep 1
	delivery_hist > "$TMP/h0"
	with=$(lc -o post -c $CONNS -k $PIPELINE -d $SECS -w $WARM -t "$TMP/etok" 127.0.0.1:$MPORT)
	delivery_hist > "$TMP/h1"
	wait $WPID || { log "watchers failed: $(cat "$TMP/watch.out")"; exit 1; }
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$WPID" | tr '\n' ' ')
	busy=$(cat "$TMP/watch.out")
	log "$busy"
	delivery_hist > "$TMP/h2"
	quiet=$("$BIN/watchers" -t "$TMP/wtok" -n "$WATCHERS" -d 5 127.0.0.1:$MPORT) ||
	    { log "watchers failed: $quiet"; exit 1; }
	log "$quiet"
	delivery_hist > "$TMP/h3"
	b50=$(hist_pct "$TMP/h0" "$TMP/h1" 0.5)
	b99=$(hist_pct "$TMP/h0" "$TMP/h1" 0.99)
	q50=$(hist_pct "$TMP/h2" "$TMP/h3" 0.5)
	q99=$(hist_pct "$TMP/h2" "$TMP/h3" 0.99)
	x=$(ratio "$(val "$with" rps)" "$(val "$alone" rps)")
	row "events: need.post $CONNS x $PIPELINE with $WATCHERS watchers / without (req/s)" \
	    "$(val "$with" rps)" "$(val "$alone" rps) (no watchers)" "$x" ">= 0.8" "$(ge "$x" 0.8)"
	row "events: delivery, commit to watchers' sockets p50 / p99 (mean), under that load (ms)" \
	    "<= $b50 / <= $b99 ($(hist_mean "$TMP/h0" "$TMP/h1"))" "-" "-" "p99 <= 5" "$(le "$b99" 5)"
	row "events: delivery, commit to watchers' sockets p50 / p99 (mean), quiet (ms)" \
	    "<= $q50 / <= $q99 ($(hist_mean "$TMP/h2" "$TMP/h3"))" "-" "-" "p99 <= 5" "$(le "$q99" 5)"
	row "events: a probe's need.post, request to its watcher p50 / p99, under load / quiet (ms)" \
	    "$(val "$busy" e2e_p50_ms) / $(val "$busy" e2e_p99_ms), $(val "$quiet" e2e_p50_ms) / $(val "$quiet" e2e_p99_ms)" \
	    "-" "-" "-" "-"
	note "events: $(val "$busy" watchers) watchers connected (one per community, $CONNS of them posting), $(val "$busy" events) events read by them during the loaded run, watchers dropped: $(val "$busy" dropped).  Commit to watchers' sockets: the daemon's matchd_event_delivery_seconds histogram, one sample per event handed to a watcher (from its commit being on disk, the end of the sync thread's fdatasync that covers it, until its events are written to the watchers' sockets, which comes before its answers are released; the bound of the bucket that holds the percentile, and the mean from the histogram's sum).  The probe posted a need every 20 ms; its community's watcher timed the event from the request's write (the wait for its turn, group commit and fsync included: the client cannot see the commit); events after their answer: $(val "$busy" late) under load, $(val "$quiet" late) quiet (the event came $(val "$busy" lead_p50_ms) ms before the answer at the median under load)."
	stop_pid $MPID
}

# ---- suggestions and memory: one daemon, 100,000 offers, then 1,000,000 needs

daemon_big() {
	log "suggestions and memory: $OFFERS offers, then $BIG_NEEDS needs"
	start_matchd "$TMP/big.db"
	communities 100 "$STREETS" 10000000000 > "$TMP/ctok"
	orgs 1000 > "$TMP/otok"
	echo "$ADMIN" > "$TMP/atok"
	t0=$(date +%s.%N)
	lc -o offer -c 4 -k 64 -n $OFFERS -S $STREETS -t "$TMP/otok" -T 127.0.0.1:$MPORT >/dev/null
	t1=$(date +%s.%N)
	lc -o post -c 4 -k 64 -n 1000 -t "$TMP/ctok" -T 127.0.0.1:$MPORT >/dev/null
	posted=1000
	note "suggestions: $OFFERS offers seeded through offer.post (4 connections x 64 in flight) in $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.0f", b - a }') s; offers serve 1-2 of $STREETS streets."
	if has suggest; then
		s=$(lc -o suggest -c 1 -k 1 -d $SUGGEST_SECS -w $WARM -I 1000 -t "$TMP/atok" 127.0.0.1:$MPORT)
		row "suggestions: match.suggest p50 at $OFFERS offers (ms)" "$(val "$s" p50_ms)" "-" "-" "-" "-"
		row "suggestions: match.suggest p99 at $OFFERS offers (ms)" "$(val "$s" p99_ms)" "-" "-" "<= 5" \
		    "$(le "$(val "$s" p99_ms)" 5)"
		note "suggestions: $(val "$s" ok) calls, one at a time, random need of 1000, limit 10, admin token; $(val "$s" rps) calls/s."
	fi
	if has memory; then
		rest=$((BIG_NEEDS - posted))
		t0=$(date +%s.%N)
		p=$(lc -o post -c $CONNS -k $PIPELINE -n $rest -t "$TMP/ctok" -T 127.0.0.1:$MPORT)
		t1=$(date +%s.%N)
		hwm=$(vmhwm $MPID)
		rss=$(vmrss $MPID)
		secs=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.0f", b - a }')
		dbmib=$(du -cm "$TMP"/big.db* | tail -1 | cut -f1)
		row "memory: peak RSS (VmHWM) holding $BIG_NEEDS needs, $OFFERS offers (MiB)" \
		    "$hwm" "-" "-" "< 1024" "$(awk -v a=$hwm 'BEGIN { print a < 1024 ? "yes" : "**no**" }')"
		note "memory: $rest needs posted through need.post ($CONNS x $PIPELINE) in $secs s ($(val "$p" rps) req/s); VmRSS after $rss MiB; database and WAL $dbmib MiB."
	fi
	stop_pid $MPID
}

# ---- fair.match end to end vs LEMON on the same graph -------------------------

daemon_fair() {
	log "fair.match: $FAIR_N needs x $FAIR_N offers"
	year=$(( $(date +%Y) + 1 ))
	start_matchd "$TMP/fair.db"
	communities $((FAIR_N / 100 > 20 ? FAIR_N / 100 : 20)) "$STREETS" 10000000000 > "$TMP/ctok"
	orgs $((FAIR_N / 2)) > "$TMP/otok"
	lc -o offer -c 4 -k 64 -n $FAIR_N -S $STREETS -t "$TMP/otok" -T -r 7 127.0.0.1:$MPORT >/dev/null
	lc -o post -c 4 -k 64 -n $FAIR_N -t "$TMP/ctok" -T -r 7 127.0.0.1:$MPORT >/dev/null
	ORG=$(printf '{"op":"organizer.create","token":"%s","args":{"name":"区对接会"}}\n' "$ADMIN" | send | tokens)
	printf '{"op":"fair.create","token":"%s","args":{"name":"bench","date":"%s-06-01","rule":"family"}}\n{"op":"fair.enroll","token":"%s","args":{"fair":1,"all":true}}\n' \
	    "$ORG" "$year" "$ORG" | send > "$TMP/fair.out"
	grep -q '"needs":'"$FAIR_N"',"offers":'"$FAIR_N" "$TMP/fair.out" ||
	    { log "fair.enroll:"; cat "$TMP/fair.out" >&2; exit 1; }
	best=""
	i=0
	while [ $i -lt "$FAIR_RUNS" ]; do
		printf '{"op":"fair.match","token":"%s","args":{"fair":1}}\n' "$ORG" |
		    "$LOAD" -o lines -P 127.0.0.1:$MPORT > "$TMP/match.out" 2> "$TMP/match.err" ||
		    { cat "$TMP/match.out" "$TMP/match.err" >&2; exit 1; }
		s=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^max_ms=/) printf "%.3f", substr($i, 8) / 1000 }' "$TMP/match.err")
		log "fair.match run $((i + 1)): $s s: $(cut -c1-200 "$TMP/match.out")"
		echo "$s" >> "$TMP/match.times"
		i=$((i + 1))
	done
	med=$(sort -n "$TMP/match.times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	total=$(sed -n 's/.*"total_score":\([0-9.]*\).*/\1/p' "$TMP/match.out")
	stop_pid $MPID
	l=""
	g=$("$BIN/fair_graph" "$TMP/fair.db" 1 $year "$TMP/fair.graph")
	log "$g"
	if [ -x "$BIN/lemon_ref" ]; then
		l=$("$BIN/lemon_ref" "$TMP/fair.graph")
		log "$l"
		lemon=$(val "$l" lemon_s)
		same=no
		[ "$(val "$l" lemon_total)" = "$(val "$g" assign_total)" ] && same=yes
	else
		lemon=-
		same=-
	fi
	rm -f "$TMP/fair.graph"
	x=$(ratio "$med" "$lemon")
	row "matching: fair.match optimal, $FAIR_N x $FAIR_N end to end (s)" "$med" "$lemon (LEMON)" \
	    "$x" "<= 3" "$(le "$x" 3)"
	note "matching: a district fair ($STREETS streets; a one-street fair of the two open families would give every need thousands of candidates), $(val "$g" pairs) candidate pairs, seeded through offer.post and need.post, enrolled with fair.enroll all; median of $FAIR_RUNS fair.match calls (each stores a run). LEMON solves the very candidate graph the daemon built (read back by fair_graph from the database): same optimum: $same (LEMON $(val "$l" lemon_total), fair.match total_score $total). In process: load from the store $(val "$g" load_s) s, candidates $(val "$g" cand_s) s, b-matching $(val "$g" assign_s) s, whole matcher_run $(val "$g" optimal_s) s."
}

# ---- the city: long reads beside the loop ------------------------------------

# city_alone OP ARGS [TOKEN]: OP once, pings every 2 ms meanwhile; the
# city.py line (op= secs= bytes= outcome= ping_*) on stdout.
city_alone() {
	case " $CITY_SKIP " in *" $1 "*) echo "op=$1 secs=- outcome=skipped ping_max_ms=-"; return ;; esac
	l=$(python3 city.py alone $MPORT "${3:-$ADMIN}" "$1" "$2") || { log "city.py $1 failed"; exit 1; }
	log "$l"
	echo "$l"
}

# settle: wait (30 s at most) until the daemon's reader threads have been
# idle for 2 s: after a million posts it reads them into memory in the
# background (the last of them a second or so later), and an op timed
# "alone" must not wait behind that.
settle() {
	python3 - "$HPORT" <<-'PY'
	import sys, time, urllib.request
	idle = 0
	for _ in range(300):
	    m = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1]).read().decode()
	    busy = sum(float(l.split()[-1]) for l in m.splitlines()
	               if l.startswith("matchd_reader_jobs{"))
	    idle = idle + 1 if busy == 0 else 0
	    if idle == 20:
	        break
	    time.sleep(0.1)
	PY
}

daemon_city() {
	log "city: $CITY_NEEDS needs, $OFFERS offers; long reads next to pings and posts"
	year=$(date +%Y)
	start_matchd "$TMP/city.db"
	communities 100 "$STREETS" 10000000000 > "$TMP/ctok"
	orgs 1000 > "$TMP/otok"
	echo "$ADMIN" > "$TMP/atok"
	t0=$(date +%s.%N)
	lc -o offer -c 4 -k 64 -n $OFFERS -S $STREETS -t "$TMP/otok" -T 127.0.0.1:$MPORT >/dev/null
	lc -o post -c $CONNS -k $PIPELINE -n $CITY_NEEDS -t "$TMP/ctok" -T 127.0.0.1:$MPORT >/dev/null
	t1=$(date +%s.%N)
	settle
	CROWS=$TMP/city.rows
	: > "$CROWS"
	crow() { echo "| $1 | $2 | $3 | $4 | $5 |" >> "$CROWS"; }
	note "city: $STREETS streets, 100 communities, 1000 organisations, $OFFERS offers and $CITY_NEEDS needs seeded through offer.post and need.post in $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.0f", b - a }') s."
	ORG=$(printf '{"op":"organizer.create","token":"%s","args":{"name":"S0 街道办","street":"S0"}}\n' "$ADMIN" | send | tokens)
	# 1 December, or tomorrow once that is past (a fair is dated today
	# or later), in this year still.
	fdate=$year-12-01
	tom=$(date -u -d tomorrow +%Y-%m-%d)
	case $tom in $year-*) [ "$tom" \> "$fdate" ] && fdate=$tom ;; esac
	printf '{"op":"fair.create","token":"%s","args":{"name":"S0 对接会","date":"%s"}}\n' \
	    "$ORG" "$fdate" | send > /dev/null
	for op in stats.streets stats.categories stats.orgs risk.flags; do
		l=$(city_alone $op '{}')
		t=300; [ $op = risk.flags ] && t=2000
		ms=$(awk -v s="$(val "$l" secs)" 'BEGIN { if (s == "-") print "-"; else printf "%.0f", s * 1000 }')
		met=-
		[ "$ms" = - ] || met=$(le "$ms" $t)
		crow "$op (ms), alone" "$ms" "$(val "$l" ping_max_ms)" "<= $t" "$met"
	done
	l=$(city_alone match.suggest '{"offer":1}')
	crow "match.suggest {offer} over $CITY_NEEDS needs (ms), alone" \
	    "$(awk -v s="$(val "$l" secs)" 'BEGIN { printf "%.0f", s * 1000 }')" "$(val "$l" ping_max_ms)" "-" "-"
	s=$(lc -o suggest -c 1 -k 1 -d $SUGGEST_SECS -w $WARM -I $CITY_NEEDS -t "$TMP/atok" 127.0.0.1:$MPORT)
	crow "match.suggest {need} p99 / max at $CITY_NEEDS needs (ms)" \
	    "$(val "$s" p99_ms) / $(val "$s" max_ms)" "-" "p99 <= 5" "$(le "$(val "$s" p99_ms)" 5)"
	hold=$(vmhwm $MPID)
	crow "peak RSS (VmHWM) holding the city, after the reads above (MiB)" "$hold" "-" "< 1024" \
	    "$(awk -v a=$hold 'BEGIN { print a < 1024 ? "yes" : "**no**" }')"
	# RSS counts the pages of the database file mapped (store.mmap_mib)
	# and read: page cache, shared and reclaimable.  Its parts now:
	note "city: RSS holding the city, after the reads: $(awk '/^RssAnon/ { printf "%.0f", $2 / 1024 }' /proc/$MPID/status) MiB anonymous (the daemon's own memory), $(awk '/^RssFile/ { printf "%.0f", $2 / 1024 }' /proc/$MPID/status) MiB of mapped files (the database's pages read through the loop's map, store.mmap_mib = 512 by default; the readers read with pread)."

	l=$(city_alone fair.enroll '{"fair":1,"all":true}' "$ORG")
	crow "fair.enroll all of street S0 (ms)" \
	    "$(awk -v s="$(val "$l" secs)" 'BEGIN { printf "%.0f", s * 1000 }')" "$(val "$l" ping_max_ms)" "<= 1000" \
	    "$(le "$(awk -v s="$(val "$l" secs)" 'BEGIN { printf "%.0f", s * 1000 }')" 1000)"
	l=$(city_alone fair.match '{"fair":1}' "$ORG")
	msecs=$(val "$l" secs)
	crow "fair.match of that fair (s), alone" "$msecs" "$(val "$l" ping_max_ms)" "<= 3 x LEMON" "see below"
	l=$(city_alone fair.matches '{"fair":1}' "$ORG")
	crow "fair.matches of that fair" "$(val "$l" outcome), $(val "$l" bytes) bytes" "$(val "$l" ping_max_ms)" "never cut" "-"
	i=$(python3 city.py idle $MPORT $SECS "$LOAD" "$TMP/ctok")
	log "$i"
	m=$(python3 city.py mixed $MPORT "$ADMIN" "$ORG" 1 5 "$LOAD" "$TMP/ctok")
	log "$m"
	crow "mixed: stats.*, risk.flags, a report, fair.match back to back (s)" "$(val "$m" mixed_s)" "-" "-" "-"
	crow "mixed: ping p99 / max (ms)" "$(val "$m" ping_p99_ms) / $(val "$m" ping_max_ms)" "-" \
	    "<= 5 / <= 20" "$(le "$(val "$m" ping_p99_ms)" 5) / $(le "$(val "$m" ping_max_ms)" 20)"
	x=$(ratio "$(val "$m" post_rps)" "$(val "$i" idle_post_rps)")
	crow "mixed: need.post 50 x 1 (req/s) vs idle" "$(val "$m" post_rps) / $(val "$i" idle_post_rps) = $x" "-" \
	    ">= 0.8" "$(ge "$x" 0.8)"
	note "city mixed: $(echo "$m" | tr ' ' '\n' | grep -E '^(stats|risk|fair)' | tr '\n' ' ')"
	crow "peak RSS (VmHWM) at the end, fair.match of the street's candidate pairs included (MiB)" \
	    "$(vmhwm $MPID)" "-" "-" "-"
	stop_pid $MPID
	if [ -x "$BIN/lemon_ref" ] && [ "$msecs" != "-" ]; then
		g=$("$BIN/fair_graph" "$TMP/city.db" 1 $year "$TMP/city.graph")
		log "$g"
		l=$("$BIN/lemon_ref" "$TMP/city.graph")
		log "$l"
		rm -f "$TMP/city.graph"
		x=$(ratio "$msecs" "$(val "$l" lemon_s)")
		crow "fair.match of that fair vs LEMON on the same graph ($(val "$g" pairs) arcs)" \
		    "$msecs s / $(val "$l" lemon_s) s = $x" "-" "<= 3" "$(le "$x" 3)"
	fi
	{
	echo "# the city case"
	echo
	echo "\`BENCH_CASES=city make bench\` (bench/run.sh, bench/city.py), $(date -u +%Y-%m-%d),"
	echo "daemon $MATCHD at ${BENCH_REV:-$(git -C .. describe --always --dirty 2>/dev/null)}, $(nproc) cores,"
	echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the cores)."
	echo "Each op alone, while another connection pings every 2 ms (the longest"
	echo "ping wait is the second column), then the mixed run."
	echo
	echo "| case | matchd | longest ping wait meanwhile (ms) | target | met |"
	echo "| --- | --- | --- | --- | --- |"
	cat "$CROWS"
	} > "$CITY_OUT"
	cat "$CROWS" | sed 's/^| \([^|]*\) | \([^|]*\) | [^|]* | \([^|]*\) | \([^|]*\) |$/| city: \1 | \2 | - | - | \3 | \4 |/' >> "$ROWS"
	log "wrote bench/$CITY_OUT"
}

schedule_bench() {
	log "fair.schedule at IMEX scale"
	s=$("$BIN/bench_schedule" $SCHED_PARTIES $SCHED_MEETINGS)
	log "$s"
	row "scheduling: schedule_build, $SCHED_PARTIES parties, $SCHED_MEETINGS meetings (s)" \
	    "$(val "$s" schedule_s)" "-" "-" "< 2" \
	    "$(awk -v a="$(val "$s" schedule_s)" 'BEGIN { print a < 2 ? "yes" : "**no**" }')"
	note "scheduling: 1000 tables, at most 288 slots, most meetings of one party $(val "$s" max_degree), slots used $(val "$s" slots_used), unscheduled $(val "$s" unscheduled), checked valid: $(val "$s" valid)."
}

# ---- stats.streets and report.monthly at PROJECTS projects ------------------

# proj_time OP ARGS: the median of PROJ_RUNS calls, one at a time, in ms.
proj_time() {
	: > "$TMP/proj.times"
	i=0
	while [ $i -lt "$PROJ_RUNS" ]; do
		printf '{"op":"%s","token":"%s","args":%s}\n' "$1" "$ADMIN" "$2" |
		    "$LOAD" -o lines -P 127.0.0.1:$MPORT > "$TMP/proj.out" 2> "$TMP/proj.err" ||
		    { cat "$TMP/proj.out" "$TMP/proj.err" >&2; exit 1; }
		sed -n 's/.*max_ms=\([0-9.]*\).*/\1/p' "$TMP/proj.err" >> "$TMP/proj.times"
		i=$((i + 1))
	done
	sort -n "$TMP/proj.times" | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}

daemon_projects() {
	log "stats.streets and report.monthly: $PROJECTS projects"
	db=$TMP/projects.db
	# The fast path: matchd makes and migrates the database, the seeder
	# writes ten years of projects straight into it (bench/seed_projects.py).
	"$MATCHD" token -c /dev/null -D "$db" >/dev/null 2>&1
	t0=$(date +%s)
	seeded=$(python3 seed_projects.py "$db" "$PROJECTS")
	secs=$(( $(date +%s) - t0 ))
	start_matchd "$db"
	year=$(date -u +%Y)
	month=$(date -u +%m | sed 's/^0//')
	past=$(( month > 6 ? month - 6 : month ))
	st=$(proj_time stats.streets "{\"year\":$year}")
	sm=$(proj_time stats.streets "{\"year\":$year,\"month\":$past}")
	rm_=$(proj_time report.monthly "{\"year\":$year,\"month\":$month}")
	rp=$(proj_time report.monthly "{\"year\":$year,\"month\":$past}")
	stop_pid $MPID
	for x in "stats.streets, this year|$st" "stats.streets, up to month $past (from the histories)|$sm" \
	    "report.monthly, this month|$rm_" "report.monthly, month $past (from the histories)|$rp"; do
		row "reports: ${x%%|*}, $PROJECTS projects (ms)" "${x#*|}" "-" "-" "< 200" \
		    "$(awk -v a="${x#*|}" 'BEGIN { print a < 200 ? "yes" : "**no**" }')"
	done
	note "reports: $PROJECTS projects over ten years (74 streets, 660 communities, 2,000 organisations and offers; $seeded) written by bench/seed_projects.py straight into a database matchd made (the fast path: $secs s; through project.create each would be a write of the daemon's); each figure the median of $PROJ_RUNS calls, one at a time, from the write of the request to the answer read."
}

# ---- run --------------------------------------------------------------------

[ -x "$MATCHD" ] || { log "no $MATCHD: run make first"; exit 1; }
need_tools
start=$(date +%s)
REV=${BENCH_REV:-$(git -C .. describe --always --dirty 2>/dev/null || echo unknown)}
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
has matcher && matcher_bench
if has ingest || has reads || has http; then daemon_io; fi
if has suggest || has memory; then daemon_big; fi
has fair && daemon_fair
has events && daemon_events
has schedule && schedule_bench
has projects && daemon_projects
has city && daemon_city

# The reports alone have their own page; with any other case, the table.
if [ "$CASES" = projects ]; then
	OUT=results/projects.md
elif [ "$CASES" = events ]; then
	OUT=results/events.md
fi
{
	echo "# matchd benchmark"
	echo
	echo "\`make bench\` (bench/run.sh), $(date -u +%Y-%m-%d), $(nproc) cores,"
	echo "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(redis-server --version | cut -d' ' -f1-3),"
	echo "$(uname -sr).  Every case ran matchd and its reference in the same run,"
	echo "on loopback, with bench/load.c (epoll, one code path for JSON lines and RESP)"
	echo "or wrk.  matchd: \`-c /dev/null\` (synchronous=FULL, every check on),"
	echo "rate limit off.  Redis: \`--appendonly yes --appendfsync always --save ''\`."
	echo "Throughput cases: $SECS s after $WARM s of warm-up; the ratio is matchd / reference."
	echo "Daemon at $REV.  Load average at the start $LOAD0, at the end"
	echo "$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shares the 2 cores)."
	echo
	echo "| case | matchd | reference | ratio | target | met |"
	echo "| --- | --- | --- | --- | --- | --- |"
	cat "$ROWS"
	echo
	sed 's/^/- /' "$NOTES"
	echo
	echo "The matcher's own table: results/matcher.md.  Whole run: $(( $(date +%s) - start )) s."
} > "$OUT"
cat "$OUT"
log "wrote bench/$OUT"
