# Shared by the kernel-level bats files.
# shellcheck shell=bash
# status and output are set by bats' run.
# shellcheck disable=SC2154

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# shellcheck source=../assert.bash
. "$TOP/tests/assert.bash"
export DAXBENCH_CACHE=${DAXBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daxbench}
export OUTROOT=$DAXBENCH_CACHE/test-runs
# the cache layout (kernel builds, runs) is lib.sh's: ask it
# shellcheck source=../../scripts/lib.sh
. "$TOP/scripts/lib.sh"
# long steps (unpack, kernel builds, boots) report progress into the TAP
# stream (fd 3) as "# ..." lines, so a cold run does not look hung
export DAXBENCH_PROGRESS=${DAXBENCH_PROGRESS:-/dev/fd/3}

# Patches a variant applies beyond the shared instrumentation.
own_patches() {
	find "$TOP/patches/$1" -name '0*.patch' ! -name '0000-*' 2>/dev/null | wc -l
}

kernel_image() { variant_bzimage "$1"; }

need_kernel() {
	[ -f "$(kernel_image "$1")" ] || skip "no $1 kernel (its build test failed)"
}

# Sum of one metric over the rows of result.tsv matching fs and case text.
# fs workload case metric unit rep value
metric_sum() {
	local file=$1 fs=$2 case=$3 metric=$4
	awk -F'\t' -v fs="$fs" -v c="$case" -v m="$metric" \
		'$1 == fs && index($3, c) && $4 == m { s += $7 } END { printf "%d\n", s }' "$file"
}

# Sum of metric $3 of variant $2 over a finished run $1 (results.tsv).
metric_sum_run() {
	awk -F'\t' -v v="$2" -v m="$3" '$1 == v && $7 == m { s += $10 } END { printf "%d\n", s }' \
		"$RUN_ROOT/$1/results.tsv"
}
