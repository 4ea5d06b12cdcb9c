#!/bin/sh
# check-layers.sh: fail when a folder includes a header of a layer it must
# not use.  Each line of the table below is one folder and the folders whose
# headers it may include (docs/design.md, "Layers"); a folder not named there
# may include nothing of this project.  Four more rules: only daemon/net/
# and daemon/main.c include libevent (event2/), only daemon/store/ includes
# SQLite, in daemon/demo/ only demo_run.c includes another folder, and
# daemon/ops/ops_schemas.[ch] include of this project only protocol/args.h,
# protocol/event_kinds.h and each other (tests/fuzz compiles them alone).
# Prints every violation as FILE:LINE: text, and "layers: ok" or "layers: N
# violations"; exits 1 on any violation.
cd "$(dirname "$0")/.." || exit 1

rules='
protocol
matcher
client           protocol
daemon/base      protocol
daemon/store     daemon/base protocol
daemon/domain    daemon/store daemon/base protocol matcher
daemon/ops       daemon/domain daemon/store daemon/base protocol matcher
daemon/hooks     daemon/domain daemon/store daemon/base protocol
daemon/core      daemon/ops daemon/hooks daemon/domain daemon/store daemon/base protocol matcher
daemon/net       daemon/core daemon/base protocol
daemon/demo      daemon/core daemon/domain daemon/store daemon/base protocol
'

bad=0
report() {
	echo "$1"
	bad=$((bad + 1))
}

# The project's own includes: "folder/.../name.h".  A file may always include
# the headers of its own folder.
echo "$rules" | while read -r dir allowed; do
	[ -n "$dir" ] || continue
	for f in $(find "$dir" -maxdepth 1 -name '*.[ch]' | LC_ALL=C sort); do
		grep -n '^#[ \t]*include[ \t]*"' "$f" | while IFS= read -r line; do
			hdr=$(echo "$line" | sed 's/.*include[ \t]*"\([^"]*\)".*/\1/')
			hdir=$(dirname "$hdr")
			[ "$hdir" = "$dir" ] && continue
			[ "$hdir" = . ] && continue
			ok=0
			for a in $allowed; do
				[ "$hdir" = "$a" ] && ok=1
			done
			[ $ok = 1 ] || echo "$f:${line%%:*}: $dir may not include $hdr"
		done
	done
done >.layers.out

# The demo seeder knows nothing of the daemon: it reaches it only through
# the call function demo_run.c gives it.  So in daemon/demo/ only
# demo_run.c includes the headers of other folders.
for f in $(find daemon/demo -maxdepth 1 -name '*.[ch]' ! -name demo_run.c |
    LC_ALL=C sort); do
	grep -n '^#[ \t]*include[ \t]*"' "$f" | grep -v '"daemon/demo/' |
	    while IFS= read -r line; do
		echo "$f:${line%%:*}: only demo_run.c of daemon/demo may include ${line#*:}"
	done
done >>.layers.out

while IFS= read -r v; do report "$v"; done <.layers.out
rm -f .layers.out

for f in $(grep -rl '^#[ \t]*include[ \t]*<event2/' daemon protocol matcher client 2>/dev/null); do
	case "$f" in
	daemon/net/*|daemon/main.c) ;;
	*) report "$f: only daemon/net/ and daemon/main.c may include libevent" ;;
	esac
done
for f in $(grep -rl '^#[ \t]*include[ \t]*<sqlite3.h>' daemon protocol matcher client 2>/dev/null); do
	case "$f" in
	daemon/store/*) ;;
	*) report "$f: only daemon/store/ may include SQLite" ;;
	esac
done
# The argument schemas are pure data: the fuzzers build them with nothing
# but protocol/.
for f in daemon/ops/ops_schemas.c daemon/ops/ops_schemas.h; do
	grep -n '^#[ \t]*include[ \t]*"' "$f" | while IFS= read -r line; do
		case "$line" in
		*'"protocol/args.h"'*|*'"protocol/event_kinds.h"'*|\
		*'"daemon/ops/ops_schemas.h"'*) ;;
		*) echo "$f:${line%%:*}: the schemas may include only" \
		    "protocol/args.h and protocol/event_kinds.h" ;;
		esac
	done
done >.layers.out
while IFS= read -r v; do report "$v"; done <.layers.out
rm -f .layers.out

if [ "$bad" = 0 ]; then
	echo "layers: ok"
else
	echo "layers: $bad violations"
	exit 1
fi
