#!/bin/sh
# run.sh: the browser tests of the organizers' page.  Installs what they
# need when it is missing (Debian's chromium and a CJK font as root;
# playwright-core from npm into tests/browser/node_modules), runs them with
# node's test runner against bin/matchd (or $MATCHD), and ends with one line
# "browser: N passed, N failed".
#   SCREENSHOTS=1 tests/browser/run.sh   also rewrites docs/screenshots/*.png
cd "$(dirname "$0")" || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fail() {
	echo "FAIL browser: $*"
	echo "browser: 0 passed, 1 failed"
	exit 1
}

missing=""
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing="chromium"
# Chinese text needs a CJK font to be drawn (screenshots, layout).
fc-list 2>/dev/null | grep -qi 'cjk\|wenquanyi\|droid sans fallback' || missing="$missing fonts-noto-cjk"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "browser: installing$missing"
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1 ||
		    { tail -n 20 "$log"; fail "apt-get install$missing failed"; }
	else
		case "$missing" in
		*chromium*|*node*|*npm*) fail "missing:$missing (install them, e.g. apt-get install$missing)" ;;
		*) echo "browser: no CJK font (apt-get install fonts-noto-cjk); Chinese shows as boxes" ;;
		esac
	fi
fi

if [ ! -f node_modules/playwright-core/package.json ]; then
	echo "browser: installing playwright-core from npm"
	if [ -f package-lock.json ]; then
		npm ci --no-audit --no-fund >"$log" 2>&1 ||
		    npm install --no-audit --no-fund >"$log" 2>&1 ||
		    { tail -n 20 "$log"; fail "npm could not install playwright-core"; }
	else
		npm install --no-audit --no-fund >"$log" 2>&1 ||
		    { tail -n 20 "$log"; fail "npm could not install playwright-core"; }
	fi
fi

[ -x "${MATCHD:-../../bin/matchd}" ] || fail "no ${MATCHD:-bin/matchd}: run make first"

# One file at a time: every file starts its own matchd and chromium.
node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs >"$log" 2>&1
rc=$?
cat "$log"
p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)
f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)
p=${p:-0}
f=${f:-0}
if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
	f=1	# failed outside a test
fi

if [ "${SCREENSHOTS:-0}" = 1 ]; then
	node screenshots.mjs || f=$((f + 1))
fi

echo "browser: $p passed, $f failed"
[ "$f" = 0 ]
