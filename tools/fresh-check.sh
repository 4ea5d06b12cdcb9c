#!/bin/sh
# fresh-check.sh [REPO]: the README's two commands on a new Debian 12.
# As root: makes a minimal Debian 12 chroot (debootstrap --variant=minbase
# bookworm), installs only git there, clones REPO's committed HEAD (default:
# this checkout), runs ./run until the demo answers (and a few lines of the
# walk-through), then ./test, and prints how long each took.  It proves
# tools/packages complete: nothing else is installed in the chroot.  Exits
# non-zero when anything fails.
#   FRESH_DIR    the chroot (default /var/tmp/matchd-fresh; made anew, removed
#                after unless FRESH_KEEP=1)
#   FRESH_CACHE  keeps the debootstrapped base as a tarball and apt's
#                downloaded .debs between runs (default /var/cache/matchd-fresh;
#                FRESH_CACHE= for none)
#   MIRROR       Debian mirror (default http://deb.debian.org/debian)
set -eu
src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
R=${FRESH_DIR:-/var/tmp/matchd-fresh}
cache=${FRESH_CACHE-/var/cache/matchd-fresh}
mirror=${MIRROR:-http://deb.debian.org/debian}
log() { echo "fresh: $*"; }
die() { echo "fresh: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
case "$R" in /|/usr|/var|/tmp|/var/tmp|"") die "FRESH_DIR=$R is not a scratch folder" ;; esac
now() { date +%s; }

# Whatever is mounted below $R, deepest first.
mounts_below() {
	awk -v r="$R" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r
}
cleanup() {
	# Processes left in the chroot (the demo daemon of ./run, a test's).
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	sleep 1
	for m in $(mounts_below); do umount "$m" 2>/dev/null || umount -l "$m"; done
	if [ -n "$(mounts_below)" ]; then
		echo "fresh: still mounted below $R; not removing it" >&2
	elif [ "${FRESH_KEEP:-0}" != 1 ]; then
		rm -rf --one-file-system "$R"
	fi
}

if ! command -v debootstrap >/dev/null 2>&1; then
	log "installing debootstrap"
	apt-get install -y -q --no-install-recommends debootstrap >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends debootstrap >/dev/null; } ||
		die "cannot install debootstrap"
fi

# One run at a time on this machine (they share the cache).
exec 9>/run/matchd-fresh-check.lock
flock -w 3600 9 || die "another fresh-check holds /run/matchd-fresh-check.lock"
[ -z "$(mounts_below)" ] || die "something is mounted below $R (an earlier run?)"
rm -rf --one-file-system "$R"
mkdir -p "$R"
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
t0=$(now)
base=${cache:+$cache/bookworm-minbase.tgz}
if [ -n "$base" ] && [ -s "$base" ]; then
	log "minimal Debian 12 from $base"
	tar -C "$R" -xzf "$base"
else
	log "debootstrap --variant=minbase bookworm $R $mirror"
	debootstrap --variant=minbase bookworm "$R" "$mirror" >"$R.debootstrap.log" 2>&1 ||
		{ tail -n 20 "$R.debootstrap.log"; die "debootstrap failed"; }
	rm -f "$R.debootstrap.log"
	if [ -n "$base" ]; then
		mkdir -p "$cache"
		tar -C "$R" -czf "$base.tmp" . && mv "$base.tmp" "$base"
	fi
fi
log "base system in $(( $(now) - t0 )) s"

# The network as this machine has it: its resolver, and the local CA
# certificates it trusts (where a proxy inspects TLS, npm needs them; the
# chroot's ca-certificates takes them in when ./test installs it).
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
for c in /usr/local/share/ca-certificates/*.crt; do
	[ -f "$c" ] || continue
	mkdir -p "$R/usr/local/share/ca-certificates"
	cp "$c" "$R/usr/local/share/ca-certificates/"
done
mount -t proc proc "$R/proc"
mount -t sysfs sys "$R/sys"
mount --bind /dev "$R/dev"
mount --bind /dev/pts "$R/dev/pts"
mount -t tmpfs -o mode=1777 shm "$R/dev/shm"
if [ -n "$cache" ]; then
	mkdir -p "$cache/archives/partial"
	mount --bind "$cache/archives" "$R/var/cache/apt/archives"
fi

# The committed HEAD of the repository, as a clone would have it.
rm -rf "$R/srv/matchd.git"
git clone -q --bare --no-hardlinks "$src" "$R/srv/matchd.git"

# What a newcomer types, as root in a shell on the new system.
cat >"$R/root/fresh.sh" <<'EOF'
set -eu
export DEBIAN_FRONTEND=noninteractive
now() { date +%s; }
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends git >/dev/null
echo "fresh: $(dpkg-query -W -f='${db:Status-Abbrev}\n' | grep -c '^ii') packages installed (minbase and git)"
cd /root && rm -rf matchd && git clone -q /srv/matchd.git matchd && cd matchd
echo "fresh: $(git log --oneline -1)"

# 1. ./run: build, serve the demo; the walk-through's first lines answer.
t=$(now)
setsid ./run >/root/run.log 2>&1 &
pid=$!	# its own process group: make, and the matchd it starts
i=0
until bin/matchctl ping >/dev/null 2>&1; do
	i=$((i + 1))
	if [ "$i" -gt 1200 ] || ! kill -0 "$pid" 2>/dev/null; then
		tail -n 40 /root/run.log
		echo "fresh: FAIL: ./run did not serve the demo"
		exit 1
	fi
	sleep 1
done
echo "fresh: ./run served the demo in $(( $(now) - t )) s (packages, build, demo)"
ADMIN=$(awk -F'\t' '$1=="admin"{print $3; exit}' var/demo.db.tokens)
COMM=$(awk -F'\t' '$1=="community"{print $3; exit}' var/demo.db.tokens)
bin/matchctl -t "$ADMIN" whoami
MATCHD_TOKEN=$COMM bin/matchctl need.post title=长者助餐服务 \
    category=service.elderly budget=80000 beneficiaries=120 ref=req-1
bash -c 'exec 3<>/dev/tcp/127.0.0.1/7700
printf "{\"id\":1,\"op\":\"ping\"}\n" >&3; head -n 1 <&3'
kill -TERM -"$pid"
wait "$pid" 2>/dev/null || true
echo "fresh: $(dpkg-query -W -f='${db:Status-Abbrev}\n' | grep -c '^ii') packages installed after ./run"

# 2. ./test: every test.
t=$(now)
rc=0
./test >/root/test.log 2>&1 || rc=$?
grep -E '^(FAIL|browser:|fuzz:|e2e:|deps:)|^  [|-]' /root/test.log | head -n 80 || true
tail -n 1 /root/test.log
echo "fresh: $(dpkg-query -W -f='${db:Status-Abbrev}\n' | grep -c '^ii') packages installed after ./test"
echo "fresh: ./test took $(( $(now) - t )) s (packages, unit, fuzz, e2e, browser)"
[ "$rc" = 0 ]
EOF
rc=0
# A login's environment, not this one's (proxy settings pass).
set -- PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=${TERM:-dumb}
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
	eval "x=\${$v:-}"
	[ -z "$x" ] || set -- "$@" "$v=$x"
done
chroot "$R" /usr/bin/env -i "$@" /bin/sh /root/fresh.sh || rc=$?
[ "$rc" = 0 ] || die "in the chroot (above; logs /root/run.log, /root/test.log there; FRESH_KEEP=1 keeps it)"
log "passed in $(( $(now) - t0 )) s"
