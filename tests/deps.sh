#!/bin/sh
# deps.sh PKG...: install the Debian packages among PKG that are missing.
# As root it runs apt-get; otherwise it names the packages and fails.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q $missing >/dev/null ||
		{ apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; } ||
		{ echo "deps: apt-get failed for:$missing" >&2; exit 1; }
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run 'sudo apt-get install$missing' (or 'sudo make deps')" >&2
	exit 1
fi
