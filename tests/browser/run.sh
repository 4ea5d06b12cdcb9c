#!/bin/sh
# run.sh: the browser tests of the organizers' page.  Installs what they
# need when it is missing (tools/packages, group browser: Debian's Node.js,
# npm, chromium and a CJK font, as root; playwright-core at the version of
# package-lock.json from npm into tests/browser/node_modules), checks that
# Node.js and chromium can run them, runs them with node's test runner
# against bin/matchd (or $MATCHD), and ends with one line
# "browser: N passed, N failed".  Each failure says why on a "FAIL browser:"
# line.
#   SCREENSHOTS=1 tests/browser/run.sh   also rewrites docs/screenshots/*.png
cd "$(dirname "$0")" || exit 1
log=$(mktemp)
profile=$(mktemp -d)
trap 'rm -rf "$log" "$profile"' EXIT
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM

fail() {
	echo "FAIL browser: $*"
	echo "browser: 0 passed, 1 failed"
	exit 1
}

sh ../../tools/deps.sh browser || fail "Debian packages missing (above)"
command -v node >/dev/null 2>&1 || fail "no node (Node.js) on PATH"
command -v npm >/dev/null 2>&1 || fail "no npm on PATH"
[ -x "$CHROMIUM" ] || fail "no chromium at $CHROMIUM"

# Node.js: the test runner needs 18 or later; playwright-core says in
# package-lock.json which Node.js it needs (1.62 and later need 20, while
# Debian 12 has 18).
why=$(node -e '
const [maj] = process.versions.node.split(".").map(Number);
if (maj < 18) { console.log(`Node.js ${process.version} is too old: node --test needs 18 or later`); process.exit(1); }
const p = require("./package-lock.json").packages["node_modules/playwright-core"];
const m = /^>=\s*(\d+)/.exec((p.engines || {}).node || "");
if (m && maj < +m[1])
  console.log(`Node.js ${process.version} is too old for playwright-core ${p.version}, which needs Node.js ${p.engines.node}: pin an older playwright-core in tests/browser/package.json`);
' 2>&1) || fail "cannot run node: $why"
[ -z "$why" ] || fail "$why"

# playwright-core, the version of package-lock.json.
want=$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')
have=$(node -p 'try { require("./node_modules/playwright-core/package.json").version } catch (e) { "" }' 2>/dev/null)
if [ "$have" != "$want" ]; then
	echo "browser: installing playwright-core $want from npm"
	npm ci --no-audit --no-fund >"$log" 2>&1 ||
	    { tail -n 20 "$log"; fail "npm ci could not install playwright-core $want (output above)"; }
fi

[ -x "${MATCHD:-../../bin/matchd}" ] || fail "no ${MATCHD:-bin/matchd}: run make first"

# chromium: it must start headless and draw a page (as root it needs
# --no-sandbox; in a container it needs /dev/shm).
version=$("$CHROMIUM" --version 2>/dev/null | head -n 1)
if ! timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --user-data-dir="$profile" \
    --dump-dom 'data:text/html,<p>chromium-ok</p>' >"$log" 2>&1 ||
    ! grep -q 'chromium-ok' "$log"; then
	out="its output above"
	grep -q '[^[:space:]]' "$log" || out="it printed nothing"
	grep -v '^[[:space:]]*$' "$log" | tail -n 15
	fail "chromium ($CHROMIUM${version:+, $version}) cannot draw a page headless ($out)"
fi
echo "browser: node $(node --version), playwright-core $want, ${version:-chromium}"

# One file at a time: every file starts its own matchd and chromium.
p=0
f=0
for t in ./*.test.mjs; do
	node --test --test-reporter=spec "$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	tp=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	tf=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	if [ "$rc" != 0 ] && [ "${tf:-0}" = 0 ]; then
		echo "FAIL browser: node --test $t exited $rc outside a test (output above)"
		tf=1
	fi
	p=$((p + ${tp:-0}))
	f=$((f + ${tf:-0}))
done

if [ "${SCREENSHOTS:-0}" = 1 ]; then
	node screenshots.mjs || f=$((f + 1))
fi

echo "browser: $p passed, $f failed"
[ "$f" = 0 ]
