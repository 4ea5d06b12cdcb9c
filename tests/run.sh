#!/bin/sh
# run.sh BUILD: run every unit test binary in BUILD/tests, then the
# end-to-end suite, and end with one line "N passed, N failed".
build=${1:-build}
bin=${2:-bin}
# The e2e harness runs these binaries (bin-san/ for make test SAN=1,
# bin-tsan/ for TSAN=1).
MATCHD_BIN=$(pwd)/$bin/matchd
MATCHCTL_BIN=$(pwd)/$bin/matchctl
MATCHD=$MATCHD_BIN	# tests/browser
export MATCHD_BIN MATCHCTL_BIN MATCHD
# Sanitizer builds: any error or leak fails the binary that met it.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# ThreadSanitizer (bin-tsan/): a race ends the process (exit 66), and the
# e2e harness fails the test whose daemon logged a report.
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
export ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS
case "$bin" in *-san|*-tsan) MATCHD_SAN=1; export MATCHD_SAN ;; esac
case "$bin" in *-tsan) MATCHD_TSAN=1; export MATCHD_TSAN ;; esac
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The last lines of a failing runner's output, indented, say why it failed.
tail_log() {
	echo "  --- last lines of its output:"
	grep -av '^[[:space:]]*$' "$log" | tail -n "${1:-25}" | sed 's/^/  | /'
}

# One binary per tests/unit/test_*.c (a stale binary of a removed test
# does not run).
for src in tests/unit/test_*.c; do
	name=$(basename "$src" .c)
	t=$build/tests/$name
	if [ ! -x "$t" ]; then
		echo "FAIL unit/$name: not built"
		failed=$((failed + 1))
		continue
	fi
	if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
	# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1	# crashed or failed outside a test case
	fi
	if [ "$f" != 0 ]; then
		echo "FAIL unit/$name ($p passed, $f failed, exit $rc)"
		grep -aE '^\[  (FAILED|ERROR)|Failure|error' "$log" | head -n 20
		tail_log
	else
		echo "ok   unit/$name ($p passed)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

# The shell scripts parse: one a test runs none of (bench/run.sh,
# tools/fresh-check.sh) would otherwise break unseen until it is run.
for sh_file in run test .ci/run tests/run.sh bench/run.sh tools/*.sh \
    debian/matchd.postinst debian/matchd.postrm; do
	if sh -n "$sh_file" >"$log" 2>&1; then
		echo "ok   sh -n $sh_file"
		passed=$((passed + 1))
	else
		echo "FAIL sh -n $sh_file"
		tail_log
		failed=$((failed + 1))
	fi
done

# The fuzzers' seeds and regression inputs, each once (needs clang).
if command -v clang >/dev/null 2>&1; then
	if make -s -C tests/fuzz regress >"$log" 2>&1; then rc=0; else rc=$?; fi
	grep -aE '^(ok|FAIL) |^fuzz:|SUMMARY' "$log"
	p=$(grep -c '^ok   fuzz/' "$log")
	f=$(grep -c '^FAIL fuzz/' "$log")
	[ "$p$f" = 00 ] && { echo "FAIL fuzz: the harnesses did not build"; f=1; }
	[ "$f" = 0 ] && [ "$rc" != 0 ] && { echo "FAIL fuzz: make -C tests/fuzz regress exited $rc"; f=1; }
	[ "$f" != 0 ] && tail_log
	passed=$((passed + p))
	failed=$((failed + f))
else
	echo "FAIL fuzz: clang is not installed (sh tools/deps.sh test installs it)"
	failed=$((failed + 1))
fi

if python3 tests/e2e/run.py >"$log" 2>&1; then :; fi
cat "$log" | grep -v '^e2e: [0-9]* passed, [0-9]* failed$'
line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
if [ -n "$line" ]; then
	p=$(echo "$line" | sed 's/^e2e: \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
else
	echo "FAIL e2e: the runner did not finish"
	tail_log
	p=0
	f=1
fi
passed=$((passed + p))
failed=$((failed + f))

# --- the Debian package and the manual pages (tests/package/run.sh): it
# builds the package, runs lintian, and runs the unpacked binaries.
# PACKAGE=0 skips it; so does the sanitizer run (the package builds its
# own binaries: once is enough).  Its "package: N passed, N failed" adds
# to the totals.
if [ "${PACKAGE:-1}" != 0 ] && [ -z "${MATCHD_SAN:-}" ]; then
	if sh tests/package/run.sh >"$log" 2>&1; then :; fi
	grep -v '^package: [0-9]* passed, [0-9]* failed$' "$log"
	line=$(grep -E '^package: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed 's/^package: \([0-9]*\) passed.*/\1/')
		f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
		echo "$line"
	else
		tail -n 20 "$log"
		echo "FAIL package: the runner did not finish"
		p=0
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
fi
# --- end of the package tests

# --- browser tests (tests/browser/run.sh): the organizers' page in chromium.
# BROWSER=0 skips them.  Their "browser: N passed, N failed" adds to the totals.
if [ "${BROWSER:-1}" != 0 ]; then
	if sh tests/browser/run.sh >"$log" 2>&1; then rc=0; else rc=$?; fi
	grep -v '^browser: [0-9]* passed, [0-9]* failed$' "$log" |
	    grep -E '^(✔|✖|browser:)|not ok' | head -n 60
	line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed 's/^browser: \([0-9]*\) passed.*/\1/')
		f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
	else
		echo "FAIL browser: the runner did not finish"
		p=0
		f=1
	fi
	if [ "$f" != 0 ] || [ "$rc" != 0 ]; then
		[ "$f" = 0 ] && f=1
		grep -a '^FAIL browser:' "$log"
		tail_log 40
	fi
	echo "browser: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
fi
# --- end of browser tests

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
