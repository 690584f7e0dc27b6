#!/bin/sh
# Profile one cell: perf stat software events, then a call-graph profile
# (perf record -e cpu-clock -g) shown as perf report --stdio text, and
# the share of the samples spent under the filesystem's DAX fault
# handler (dax_fault_share) and under any page fault (fault_share).
# Plain TCG only (scripts/profile.sh enforces it): under icount the
# cpu-clock samples would count instructions, not time.
#
# Env: PROFILE_CELL  "program args" (a workload of bench/ and its
#                    arguments); arguments alone mean the fault workload.
#                    The first filesystem of FS_LIST this variant
#                    supports is used.
#
# Result channel: perf stat's events as ordinary rows (workload
# "perfstat", one row per event, and the two shares in percent), and
# every line of the report as "perf-report<TAB>text", which
# scripts/profile.sh splits off the rows.
CELL=${PROFILE_CELL:-"--map pte --op read --situation refault --size 64M --reps 3"}
EVENTS=task-clock,page-faults,minor-faults,major-faults,context-switches,cpu-migrations
DATA=/tmp/perf.data
PERCENT_LIMIT=0.5
# Each filesystem's DAX fault entries ("faults" rows of configs/filesystems):
# every variant's DAX faults pass through one of them.
DAX_FAULT_SYMS="^($(awk '/^[^#]/ && $2 == "faults" { for (i = 3; i <= NF; i++) print $i }' /daxbench/filesystems |
	tr '\n' '|' | sed 's/|$//'))\$"

case $CELL in
-*) PROG=fault ;;
*) PROG=${CELL%% *}; CELL=${CELL#"$PROG"}; CELL=${CELL# } ;;
esac
fs=''
for f in $FS_LIST; do
	if fs_supported "$f"; then fs=$f; break; fi
done
[ -n "$fs" ] || gdie "variant $VARIANT supports none of: $FS_LIST"
pmem_setup fsdax
fs_mount "$fs"
case_str="prog=$PROG$(echo "$CELL" | sed 's/--//g; s/ \([^ ]*\) */=\1,/g; s/,$//; s/ //g; s/^./,&/')"

# shellcheck disable=SC2086  # CELL is a word list
perf stat -x, -o /tmp/perfstat.csv -e "$EVENTS" \
	"$PROG" --file "$MNT/bench.dat" $CELL >/dev/null ||
	gdie "perf stat $PROG $CELL failed"
# CSV: value,unit,event,run-time,percent,...
awk -F, -v fs="$fs" -v c="$case_str" '
	/^#/ || NF < 3 { next }
	{ u = $2 == "" ? "count" : $2
	  printf "%s\tperfstat\t%s\t%s\t%s\t1\t%s\n", fs, c, $3, u, $1 }' /tmp/perfstat.csv
rm -rf "$MNT/bench.dat"*

# shellcheck disable=SC2086  # CELL is a word list
perf record -q -e cpu-clock -g -o "$DATA" \
	"$PROG" --file "$MNT/bench.dat" $CELL >/dev/null ||
	gdie "perf record $PROG $CELL failed"
perf report --stdio -i "$DATA" --no-children --percent-limit "$PERCENT_LIMIT" \
	--sort symbol 2>/dev/null | sed 's/^/perf-report\t/' ||
	gdie "perf report failed"
# "Children" shares: samples with the DAX fault handler on the stack, and
# with any page fault (anonymous memory, page cache, DAX) on it
perf report --stdio -i "$DATA" --children --sort symbol -g none 2>/dev/null |
	awk -v fs="$fs" -v c="$case_str" -v re="$DAX_FAULT_SYMS" '
	$1 ~ /%$/ {
		sym = ""
		for (i = 2; i < NF; i++)
			if ($i == "[k]" || $i == "[.]") { sym = $(i + 1); break }
		v = $1
		sub(/%/, "", v)
		if (sym ~ re && v + 0 > s) s = v + 0
		if (sym ~ /^(asm_exc_page_fault|exc_page_fault)$/ && v + 0 > a) a = v + 0
	}
	END {
		printf "%s\tperfstat\t%s\tdax_fault_share\tpercent\t1\t%.2f\n", fs, c, s
		printf "%s\tperfstat\t%s\tfault_share\tpercent\t1\t%.2f\n", fs, c, a
	}' ||
	gdie "perf report --children failed"
rm -rf "$MNT/bench.dat"* "$DATA"
fs_umount
