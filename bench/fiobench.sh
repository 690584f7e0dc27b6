#!/bin/sh
# fiobench: run one bench/fio/*.fio job on a DAX file and print daxbench
# TSV rows (workload "fio").  Installed as bench/build/fiobench; runs in
# the guest under busybox sh and awk.
#
# usage: fiobench --file PATH --job NAME [--bs 4k] [--size 64M] [--reps N]
#
# Each repetition deletes the file (fio lays it out anew, so no DAX entry
# of it exists) and runs the job once over the whole file.  Rows per
# repetition: bw (KiB/s), iops, clat_mean and lat_mean (ns), ns_per_page
# (run time per 4 KiB moved), fio's minor-fault count, and the deltas of
# the DAX counters (debugfs dax/stats) around the run.
set -eu
# busybox ash has pipefail; POSIX sh does not
# shellcheck disable=SC3040
set -o pipefail

JOBS=${FIO_JOBS:-/daxbench/fio}
STATS=/sys/kernel/debug/dax/stats
FILE='' JOB='' BS=4k SIZE=64M REPS=3
PAGE_KIB=4

die() {
	echo "fiobench: error: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--file) FILE=$2; shift ;;
	--job) JOB=$2; shift ;;
	--bs) BS=$2; shift ;;
	--size) SIZE=$2; shift ;;
	--reps) REPS=$2; shift ;;
	*) die "unknown option '$1'" ;;
	esac
	shift
done
{ [ -n "$FILE" ] && [ -n "$JOB" ]; } || die "usage: fiobench --file PATH --job NAME [--bs N] [--size N] [--reps N]"
[ -f "$JOBS/$JOB.fio" ] || die "no job $JOBS/$JOB.fio"
if [ -c "$FILE" ]; then
	echo "fiobench: skip: fio jobs lay out a file; device-dax has none" >&2
	exit 77
fi
# Debian's fio keeps its job table in SysV shared memory.
if [ ! -d /proc/sysvipc ]; then
	echo "fiobench: skip: fio needs SysV shared memory; this kernel has no CONFIG_SYSVIPC" >&2
	exit 77
fi
case $REPS in ''|*[!0-9]*) die "bad --reps '$REPS'" ;; esac

CASE="job=$JOB,bs=$BS,size=$SIZE"
TMP=${TMPDIR:-/tmp}/fiobench.$$
trap 'rm -f "$TMP".*' EXIT

stats() {
	if [ -r "$STATS" ]; then cat "$STATS"; else :; fi
}

rep=1
while [ "$rep" -le "$REPS" ]; do
	rm -f "$FILE"
	stats >"$TMP.before"
	FIO_FILE=$FILE FIO_BS=$BS FIO_SIZE=$SIZE \
		fio --output-format=terse --terse-version=3 "$JOBS/$JOB.fio" \
		>"$TMP.terse" || die "fio $JOB failed"
	stats >"$TMP.after"
	# Terse v3 (fio 3.33): read 6 KiB, 7 bw, 8 iops, 9 runtime ms,
	# 16 clat mean us, 40 lat mean us; write the same at 47 48 49 50 57
	# 81; 92 minor faults.
	awk -F';' -v w=fio -v c="$CASE" -v r="$rep" -v pk="$PAGE_KIB" '
	function row(m, u, v) { printf "%s\t%s\t%s\t%s\t%d\t%.6g\n", w, c, m, u, r, v }
	function side(p, kib, bw, iops, ms, clat, lat) {
		if (kib <= 0)
			return
		row(p "bw", "KiB/s", bw)
		row(p "iops", "count/s", iops)
		row(p "clat_mean", "ns", clat * 1000)
		row(p "lat_mean", "ns", lat * 1000)
		row(p "ns_per_page", "ns", ms * 1000000 / (kib / pk))
	}
	$1 == 3 {
		side("read_", $6, $7, $8, $9, $16, $40)
		side("write_", $47, $48, $49, $50, $57, $81)
		row("faults", "count", $92)
		found = 1
	}
	END { if (!found) exit 1 }' "$TMP.terse" || die "no terse v3 line from fio $JOB"
	awk -v w=fio -v c="$CASE" -v r="$rep" '
	NR == FNR { before[$1] = $2; next }
	{ printf "%s\t%s\t%s\tcount\t%d\t%d\n", w, c, $1, r, $2 - before[$1] }' \
		"$TMP.before" "$TMP.after"
	rep=$((rep + 1))
done
rm -f "$FILE"
