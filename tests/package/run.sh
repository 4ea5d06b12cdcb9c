#!/bin/sh
# tests/package/run.sh: the Debian package and the manual pages.
#
# Builds the package (`make deb`: dpkg-buildpackage on a copy of the tree),
# runs lintian on it, unpacks it with `dpkg -x` into a scratch root (not
# onto this machine: no user is made, no unit enabled, nothing outside the
# scratch root is touched), and from the unpacked files runs `matchd
# check`, starts the daemon (no systemd: it runs in the foreground here),
# talks to it with the installed matchctl, takes a backup and stops it.
# `systemd-analyze verify --root` checks the three units against the
# unpacked files, and `man --warnings` every manual page, in the source
# and as installed.  Prints "ok   package/NAME" or "FAIL package/NAME:
# why" per check, and last "package: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 1
passed=0
failed=0
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() {
	echo "ok   package/$1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL package/$1: $2"
	[ -s "$tmp/out" ] && sed 's/^/  | /' "$tmp/out" | tail -n 25
	failed=$((failed + 1))
}
finish() {
	echo "package: $passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

# man --warnings prints groff's and mdoc's warnings on stderr (and still
# exits 0): a page passes when there are none.
man_check() {
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$1" \
	    >"$tmp/man.txt" 2>"$tmp/out" && [ ! -s "$tmp/out" ] &&
	    grep -q "$2" "$tmp/man.txt"
}
for page in docs/man/matchd.8:MATCHD docs/man/matchctl.1:MATCHCTL \
    docs/man/matchd.conf.5:MATCHD.CONF; do
	f=${page%%:*}
	if man_check "$f" "${page#*:}"; then ok "man:$f"; else fail "man:$f" "man --warnings"; fi
done

# --- the package builds
if make -s deb >"$tmp/out" 2>&1; then
	deb=$(ls build/deb/matchd_*.deb 2>/dev/null | head -n 1)
fi
if [ -n "${deb:-}" ] && [ -f "$deb" ]; then
	ok "make-deb ($deb)"
else
	fail make-deb "no package built"
	finish
fi

# --- lintian: no error or warning, and no info or pedantic tag that
# debian/matchd.lintian-overrides does not explain.
if lintian --fail-on error,warning -I --pedantic build/deb/matchd_*.changes \
    >"$tmp/out" 2>&1; then
	grep -E '^[EWIPX]: ' "$tmp/out" >"$tmp/tags"
	if [ -s "$tmp/tags" ]; then
		cp "$tmp/tags" "$tmp/out"
		fail lintian "tags not explained in debian/matchd.lintian-overrides"
	else
		ok lintian
	fi
else
	fail lintian "lintian failed"
fi

# --- what the package holds
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/files"
dpkg-deb -e "$deb" "$tmp/control"
missing=
for f in /usr/sbin/matchd /usr/bin/matchctl /etc/matchd/matchd.conf \
    /lib/systemd/system/matchd.service /lib/systemd/system/matchd-backup.service \
    /lib/systemd/system/matchd-backup.timer /usr/share/man/man8/matchd.8.gz \
    /usr/share/man/man1/matchctl.1.gz /usr/share/man/man5/matchd.conf.5.gz \
    /usr/share/matchd/web/index.html /usr/share/matchd/web/js/main.js \
    /usr/share/doc/matchd/copyright; do
	grep -qx "$f" "$tmp/files" || missing="$missing $f"
done
grep -qx /etc/matchd/matchd.conf "$tmp/control/conffiles" 2>/dev/null ||
	missing="$missing conffile:/etc/matchd/matchd.conf"
grep -q '^Depends:.*adduser' "$tmp/control/control" || missing="$missing Depends:adduser"
grep -q 'adduser --system' "$tmp/control/postinst" || missing="$missing postinst:adduser"
grep -q "enable 'matchd-backup.timer'" "$tmp/control/postinst" ||
	missing="$missing postinst:timer"
if [ -z "$missing" ]; then ok contents; else : >"$tmp/out"; fail contents "missing:$missing"; fi

# --- unpacked into a scratch root
root=$tmp/root
dpkg -x "$deb" "$root"
for f in "$root"/usr/share/man/man*/*.gz; do
	name=${f#"$root"}
	if man_check "$f" .; then ok "man-installed:$name"; else fail "man-installed:$name" "man --warnings"; fi
done

matchd=$root/usr/sbin/matchd
matchctl=$root/usr/bin/matchctl
conf=$root/etc/matchd/matchd.conf
if "$matchd" check -c "$conf" >"$tmp/out" 2>&1 &&
    grep -qx 'configuration OK' "$tmp/out" &&
    grep -qx 'database = /var/lib/matchd/matchd.db' "$tmp/out"; then
	ok "matchd-check"
else
	fail "matchd-check" "installed matchd check -c /etc/matchd/matchd.conf"
fi

# --- the daemon from the installed files, on scratch paths and free ports
set -- $(python3 -c 'import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
port=$1
hport=$2
db=$tmp/matchd.db
"$matchd" -c "$conf" -D "$db" -l "127.0.0.1:$port" -H "127.0.0.1:$hport" \
    >"$tmp/daemon.log" 2>&1 &
pid=$!
up=0
i=0
while [ $i -lt 100 ]; do
	if "$matchctl" -H "127.0.0.1:$port" ping >/dev/null 2>&1; then
		up=1
		break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ "$up" = 1 ]; then
	ok "daemon-starts"
else
	cp "$tmp/daemon.log" "$tmp/out"
	fail "daemon-starts" "the installed matchd did not answer a ping"
	finish
fi
token=$("$matchd" token -c "$conf" -D "$db" 2>"$tmp/out" | tail -n 1)
if "$matchctl" -H "127.0.0.1:$port" -t "$token" whoami >"$tmp/out" 2>&1 &&
    grep -q '"role": *"admin"' "$tmp/out"; then
	ok "matchctl-whoami"
else
	fail "matchctl-whoami" "matchd token, then matchctl whoami"
fi
# The page it serves is the page installed under /usr/share/matchd/web.
if python3 - "$hport" "$root/usr/share/matchd/web/index.html" >"$tmp/out" 2>&1 <<'EOF'
import sys, urllib.request
served = urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=10).read()
installed = open(sys.argv[2], "rb").read()
sys.exit(0 if served == installed else "served page differs from the installed one")
EOF
then
	ok "web-page"
else
	fail "web-page" "GET / against /usr/share/matchd/web/index.html"
fi
mkdir "$tmp/backups"
if "$matchd" backup -c "$conf" -D "$db" --keep 48 "$tmp/backups" >"$tmp/out" 2>&1 &&
    grep -q 'integrity_check ok' "$tmp/out" &&
    [ "$(ls "$tmp/backups" | grep -c '^matchd-.*\.db$')" = 1 ]; then
	ok "matchd-backup"
else
	fail "matchd-backup" "the timer's command, run while the daemon serves"
fi
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
if [ "$rc" = 0 ]; then
	ok "daemon-stops"
else
	cp "$tmp/daemon.log" "$tmp/out"
	fail "daemon-stops" "exit $rc after SIGTERM"
fi

# --- the units, against the unpacked files.  The scratch root borrows
# this machine's own units (the targets they name) and kill(1).
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$root/bin"
	cp /bin/kill "$root/bin/kill"
	cp -an /lib/systemd/system/. "$root/lib/systemd/system/" 2>/dev/null
	if MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" \
	    /lib/systemd/system/matchd.service \
	    /lib/systemd/system/matchd-backup.service \
	    /lib/systemd/system/matchd-backup.timer >"$tmp/out" 2>&1 &&
	    [ ! -s "$tmp/out" ]; then
		ok "systemd-analyze-verify"
	else
		fail "systemd-analyze-verify" "the units do not verify"
	fi
else
	: >"$tmp/out"
	fail "systemd-analyze-verify" "systemd-analyze is missing (make deb installs systemd)"
fi
finish
