#!/bin/sh
# deb.sh: build the Debian package (debian/) with dpkg-buildpackage, from
# a copy of the source in build/deb/src, so that what dpkg-buildpackage
# writes next to the source stays in build/deb/: prints the .deb's path.
# The copy holds git's files (tracked, and new ones not ignored), or, out
# of git, everything but the build products.
set -eu
cd "$(dirname "$0")/.."
out=build/deb
rm -rf "$out"
mkdir -p "$out/src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files --cached --others --exclude-standard |
	    while IFS= read -r f; do [ -e "$f" ] && printf '%s\n' "$f"; done |
	    tar -cf - -T - | tar -xf - -C "$out/src"
else
	tar -cf - --exclude=./build --exclude=./build-san --exclude=./build-tsan --exclude=./bin \
	    --exclude=./bin-san --exclude=./bin-tsan --exclude=./var --exclude=node_modules . |
	    tar -xf - -C "$out/src"
fi
# Both cores unless the caller said otherwise.
DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=$(nproc 2>/dev/null || echo 1)}
export DEB_BUILD_OPTIONS
(cd "$out/src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
}
ls "$out"/matchd_*.deb
