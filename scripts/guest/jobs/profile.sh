#!/bin/sh
# Profile one cell: perf stat software events, then a call-graph profile
# (perf record -e cpu-clock -g) shown as perf report --stdio text, the
# same samples restricted to page faults (self shares of the symbols
# under asm_exc_page_fault), and the share of the samples spent under
# the filesystem's DAX fault handler (dax_fault_share) and under any
# page fault (fault_share).  Under plain TCG the samples count time;
# under icount (one vCPU, shift=0) guest time is instructions, so they
# count instructions, which is what the fault-path comparison needs.
#
# Env: PROFILE_CELL    "program args" (a workload of bench/ and its
#                      arguments); arguments alone mean the fault workload.
#      PROFILE_TARGET  devdax: the cell runs on /dev/dax0.0 (a device-dax
#                      namespace, 4k aligned unless the cell maps PMDs);
#                      otherwise the first filesystem of FS_LIST this
#                      variant supports.
#      PROFILE_PERIOD  cpu-clock sampling period in ns (100000 is 100k
#                      instructions under icount); default: perf's
#                      frequency.
#
# Result channel: perf stat's events as ordinary rows (workload
# "perfstat", one row per event, and the two shares in percent), the
# profiled run's own rows, every line of the full report as
# "perf-report<TAB>text" and of the page-fault report as
# "perf-fault<TAB>text", which scripts/profile.sh splits off the rows.
CELL=${PROFILE_CELL:-"--map pte --op read --situation refault --size 64M --reps 3"}
EVENTS=task-clock,page-faults,minor-faults,major-faults,context-switches,cpu-migrations
DATA=/tmp/perf.data
PERCENT_LIMIT=0.5
FAULT_PERCENT_LIMIT=0.2
# Each filesystem's DAX fault entries ("faults" rows of configs/filesystems):
# every variant's DAX faults pass through one of them.
DAX_FAULT_SYMS="^($(awk '/^[^#]/ && $2 == "faults" { for (i = 3; i <= NF; i++) print $i }' /daxbench/filesystems |
	tr '\n' '|' | sed 's/|$//'))\$"

case $CELL in
-*) PROG=fault ;;
*) PROG=${CELL%% *}; CELL=${CELL#"$PROG"}; CELL=${CELL# } ;;
esac
khugepaged_put_off
aslr_put_off
if [ "${PROFILE_TARGET:-}" = devdax ]; then
	fs=devdax
	pmem_setup devdax "$(devdax_align "$CELL")"
	target=$DAX
else
	fs=''
	for f in $FS_LIST; do
		if fs_supported "$f"; then fs=$f; break; fi
	done
	[ -n "$fs" ] || gdie "variant $VARIANT supports none of: $FS_LIST"
	pmem_setup fsdax
	fs_mount "$fs"
	target=$MNT/bench.dat
fi
case_str="prog=$PROG$(echo "$CELL" | sed 's/--//g; s/ \([^ ]*\) */=\1,/g; s/,$//; s/ //g; s/^./,&/')"

# The target is made anew for each run: a file removed, a device as is.
clean_target() {
	[ "$fs" = devdax ] || rm -rf "$MNT/bench.dat"*
}

# shellcheck disable=SC2086  # CELL is a word list
perf stat -x, -o /tmp/perfstat.csv -e "$EVENTS" \
	"$PROG" --file "$target" $CELL >/dev/null ||
	gdie "perf stat $PROG $CELL failed"
# CSV: value,unit,event,run-time,percent,...
awk -F, -v fs="$fs" -v c="$case_str" '
	/^#/ || NF < 3 { next }
	{ u = $2 == "" ? "count" : $2
	  printf "%s\tperfstat\t%s\t%s\t%s\t1\t%s\n", fs, c, $3, u, $1 }' /tmp/perfstat.csv
clean_target

# shellcheck disable=SC2086  # CELL is a word list
run_bench "$fs" perf record -q -e cpu-clock ${PROFILE_PERIOD:+-c "$PROFILE_PERIOD"} -g -o "$DATA" \
	"$PROG" --file "$target" $CELL ||
	gdie "perf record $PROG $CELL failed"
perf report --stdio -i "$DATA" --no-children --percent-limit "$PERCENT_LIMIT" \
	--sort symbol 2>/dev/null | sed 's/^/perf-report\t/' ||
	gdie "perf report failed"
# Self shares within the samples taken in a page fault (relative to them).
perf report --stdio -i "$DATA" --no-children --sort symbol -g none \
	-p '^asm_exc_page_fault$' -x --percentage relative \
	--percent-limit "$FAULT_PERCENT_LIMIT" 2>/dev/null | sed 's/^/perf-fault\t/' ||
	gdie "perf report (page faults) failed"
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
clean_target
rm -f "$DATA"
[ "$fs" = devdax ] || fs_umount
