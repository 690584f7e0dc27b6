#!/bin/sh
# rocksdb: RocksDB's own db_bench (Debian's rocksdb-tools; daxbench wrote
# none of it) on a DAX filesystem, printing daxbench TSV rows (workload
# "rocksdb").  Installed as bench/build/rocksdb; runs in the guest under
# busybox sh and awk.
#
# usage: rocksdb --file DIR [--num N] [--value BYTES] [--reps N]
#
# Per repetition the database at DIR is built anew and then read, each
# step a db_bench process of its own (a program started again maps its
# files anew):
#   phase=fillseq     --num keys in order; a 1 MiB write buffer so the
#                     data lands in SST files, not only in the log
#   phase=readrandom  --num random gets with --mmap_read=1: SST files
#                     are read through mappings, the DAX fault path
#   phase=readseq     one pass over every key, also through mappings
# Rows per phase: ops_per_s, ns_per_op and ops (db_bench's own ops/sec,
# micros/op and operations), op_p50 and op_p99 (its histogram, ns), and the deltas of
# the DAX counters (debugfs dax/stats) around the db_bench process.
set -eu
# busybox ash has pipefail; POSIX sh does not
# shellcheck disable=SC3040
set -o pipefail

STATS=/sys/kernel/debug/dax/stats
DIR='' NUM=100000 VALUE=100 REPS=3

die() {
	echo "rocksdb: error: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--file) DIR=$2; shift ;;
	--num) NUM=$2; shift ;;
	--value) VALUE=$2; shift ;;
	--reps) REPS=$2; shift ;;
	*) die "unknown option '$1'" ;;
	esac
	shift
done
[ -n "$DIR" ] || die "usage: rocksdb --file DIR [--num N] [--value BYTES] [--reps N]"
for v in "$NUM" "$VALUE" "$REPS"; do
	case $v in ''|*[!0-9]*|0) die "bad number '$v'" ;; esac
done
if [ -c "$DIR" ]; then
	echo "rocksdb: skip: RocksDB needs a filesystem; device-dax has none" >&2
	exit 77
fi
command -v db_bench >/dev/null || die "no db_bench in PATH (rocksdb-tools); run 'make deps'"

TMP=${TMPDIR:-/tmp}/rocksdb.$$
trap 'rm -f "$TMP".*' EXIT

stats() {
	if [ -r "$STATS" ]; then cat "$STATS"; else :; fi
}

# db_bench's report of phase $1 in $TMP.out as rows; $2 is the repetition.
rows() {
	awk -v w=rocksdb -v c="num=$NUM,value=$VALUE,phase=$1" -v r="$2" -v b="$1" '
	function row(m, u, v) { printf "%s\t%s\t%s\t%s\t%d\t%.6g\n", w, c, m, u, r, v }
	$1 == b && $2 == ":" {
		for (i = 3; i <= NF; i++) {
			if ($i == "micros/op") us = $(i - 1)
			if ($i == "ops/sec") ops = $(i - 1)
			if ($i ~ /^operations;?$/) n = $(i - 1)
		}
		on = 1
		next
	}
	on && $1 == "Percentiles:" {
		for (i = 2; i <= NF; i++) {
			if ($i == "P50:") p50 = $(i + 1)
			if ($i == "P99:") p99 = $(i + 1)
		}
		on = 0
	}
	END {
		if (us == "" || ops == "")
			exit 1
		row("ops_per_s", "count/s", ops)
		row("ns_per_op", "ns", us * 1000)
		if (n != "") row("ops", "count", n)
		if (p50 != "") row("op_p50", "ns", p50 * 1000)
		if (p99 != "") row("op_p99", "ns", p99 * 1000)
	}' "$TMP.out" || die "no '$1' result from db_bench (output: $(tail -n 3 "$TMP.out" | tr '\n' ' '))"
	awk -v w=rocksdb -v c="num=$NUM,value=$VALUE,phase=$1" -v r="$2" '
	NR == FNR { before[$1] = $2; next }
	{ printf "%s\t%s\t%s\tcount\t%d\t%d\n", w, c, $1, r, $2 - before[$1] }' \
		"$TMP.before" "$TMP.after"
}

# One db_bench process: phase $1, repetition $2, then its extra flags.
phase() {
	b=$1 r=$2
	shift 2
	stats >"$TMP.before"
	db_bench --benchmarks="$b" --db="$DIR" --num="$NUM" --value_size="$VALUE" \
		--compression_type=none --histogram=1 --threads=1 "$@" \
		>"$TMP.out" 2>&1 || die "db_bench $b failed: $(tail -n 3 "$TMP.out" | tr '\n' ' ')"
	stats >"$TMP.after"
	rows "$b" "$r"
}

rep=1
while [ "$rep" -le "$REPS" ]; do
	rm -rf "$DIR"
	phase fillseq "$rep" --write_buffer_size=1048576 --disable_wal=1
	phase readrandom "$rep" --use_existing_db=1 --mmap_read=1 --reads="$NUM"
	phase readseq "$rep" --use_existing_db=1 --mmap_read=1
	rep=$((rep + 1))
done
rm -rf "$DIR"
