#!/bin/sh
# deps.sh GROUP...: install the Debian packages of each GROUP of
# tools/packages (build, test, browser) that are missing.  As root it runs
# apt-get install --no-install-recommends (apt-get update first when the
# package lists are empty or out of date); otherwise it names the packages
# and fails.  Where there is no dpkg (not Debian) it only says so.
list=$(dirname "$0")/packages
[ -r "$list" ] || { echo "deps: no $list" >&2; exit 1; }
[ $# -gt 0 ] || set -- build test browser
pkgs=
for g in "$@"; do
	p=$(sed -n "s/^$g:[[:space:]]*//p" "$list" | tr '\n' ' ')
	[ -n "$p" ] || { echo "deps: no group '$g' in $list" >&2; exit 1; }
	pkgs="$pkgs $p"
done
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: no dpkg here; install the equivalents of:$pkgs" >&2
	exit 0
fi

# Installed packages, and what they provide (Node.js from elsewhere may
# provide npm: asking apt for Debian's npm then would conflict with it).
have=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Provides}\n' 2>/dev/null |
	sed -n 's/^ii *//p' | sed 's/([^)]*)//g; s/[ ,]\{1,\}/\n/g' | sort -u)
missing=
for p in $pkgs; do
	case " $missing " in *" $p "*) continue ;; esac
	echo "$have" | grep -qx -e "$p" -e "$p:[a-z0-9]*" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: as root: apt-get install --no-install-recommends$missing" >&2
	echo "deps: (or: sudo sh tools/deps.sh $*)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
install() {
	apt-get install -y -q --no-install-recommends $missing >"$log" 2>&1
}
update() {
	echo "deps: apt-get update"
	apt-get update -q >"$log" 2>&1 || { tail -n 20 "$log" >&2; return 1; }
}
# A fresh system may have no package lists yet.
if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
	update || exit 1
fi
if ! install; then
	# Lists that name versions the mirror no longer has: update and retry.
	{ update && install; } || {
		tail -n 20 "$log" >&2
		echo "deps: apt-get install failed for:$missing" >&2
		exit 1
	}
fi
echo "deps: installed$missing"
