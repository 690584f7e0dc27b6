#!/bin/sh
# Profile one fault cell: perf stat software events, then a call-graph
# profile (perf record -e cpu-clock -g) shown as perf report --stdio text.
# Plain TCG only (scripts/profile.sh enforces it): under icount the
# cpu-clock samples would count instructions, not time.
#
# Env: PROFILE_CELL  the fault arguments (default below); the first
#                    filesystem of FS_LIST this variant supports is used.
#
# Result channel: perf stat's events as ordinary rows (workload
# "perfstat", one row per event), and every line of the report as
# "perf-report<TAB>text", which scripts/profile.sh splits off the rows.
CELL=${PROFILE_CELL:-"--map pte --op read --situation refault --size 64M --reps 3"}
EVENTS=task-clock,page-faults,minor-faults,major-faults,context-switches,cpu-migrations
DATA=/tmp/perf.data
PERCENT_LIMIT=0.5

fs=''
for f in $FS_LIST; do
	if fs_supported "$f"; then fs=$f; break; fi
done
[ -n "$fs" ] || gdie "variant $VARIANT supports none of: $FS_LIST"
pmem_setup fsdax
fs_mount "$fs"
case_str=$(echo "$CELL" | sed 's/--//g; s/ \([^ ]*\) */=\1,/g; s/,$//; s/ //g')

# shellcheck disable=SC2086  # CELL is a word list
perf stat -x, -o /tmp/perfstat.csv -e "$EVENTS" \
	fault --file "$MNT/bench.dat" $CELL >/dev/null ||
	gdie "perf stat fault $CELL failed"
# CSV: value,unit,event,run-time,percent,...
awk -F, -v fs="$fs" -v c="$case_str" '
	/^#/ || NF < 3 { next }
	{ u = $2 == "" ? "count" : $2
	  printf "%s\tperfstat\t%s\t%s\t%s\t1\t%s\n", fs, c, $3, u, $1 }' /tmp/perfstat.csv
rm -f "$MNT/bench.dat"

# shellcheck disable=SC2086  # CELL is a word list
perf record -q -e cpu-clock -g -o "$DATA" \
	fault --file "$MNT/bench.dat" $CELL >/dev/null ||
	gdie "perf record fault $CELL failed"
perf report --stdio -i "$DATA" --no-children --percent-limit "$PERCENT_LIMIT" \
	--sort symbol 2>/dev/null | sed 's/^/perf-report\t/' ||
	gdie "perf report failed"
rm -f "$MNT/bench.dat" "$DATA"
fs_umount
