#!/usr/bin/env bats
# The in-guest correctness and reliability suite (tests/guest/*.c, fio
# verify; kmemleak on a debug kernel) per variant, on every filesystem the
# variant supports.  Each guest KTAP line becomes an assertion: any
# "not ok" fails the variant's test and is printed.
#
# DAXBENCH_TEST_MODE=full ('make test-full') runs the full mode: the
# stale-pfn leak test with 10000 operations per filesystem instead of 300,
# and the whole suite again on the debug kernel of every variant
# (configs/debug.config: KASAN, lockdep, DEBUG_VM, DEBUG_LIST, kmemleak;
# built here if missing), where any splat on the console fails the run.
# DAXBENCH_TEST_FLAVOUR=debug boots the debug kernels in the default
# tests too.

load helpers

QUICK_TIMEOUT=900
# full mode, per filesystem the variant supports (one boot runs them
# all).  AMD EPYC host, 2026-11-30/12-01, a second guest beside: pfn's
# debug kernel took 3192 s for ext4 and ext2; getblock's took 3960 s
# for ext4 alone, and iomap's was still in ext4's leak test after
# 3060 s (a filesystem call per fault under KASAN and lockdep, where
# pfn makes one per 64, is the likely difference).  7200 s per boot
# could not hold iomap's three filesystems.
FULL_TIMEOUT_PER_FS=6000
PMEM_MIB=1024

full_mode() {
	[ "${DAXBENCH_TEST_MODE:-quick}" = full ]
}

# $1 variant, $2 flavour ('' for the normal kernel), $3 name of the run
# (default correctness); the rest: --env K=V arguments for the job
correctness() {
	local v=$1 flavour=${2:-} what=${3:-correctness} mode=quick timeout=$QUICK_TIMEOUT
	local image fails oks skips todos plans
	shift $(($# < 3 ? $# : 3))
	image=$(variant_bzimage "$v" "$flavour")
	[ -f "$image" ] || skip "no $v ${flavour:+$flavour }kernel at $image"
	if full_mode; then
		mode=full
		timeout=$((FULL_TIMEOUT_PER_FS * $(variants_fs "$v" | wc -w)))
	fi
	OUT=$OUTROOT/$what-$v${flavour:+-$flavour}
	run "$TOP/scripts/guest-run.sh" --variant "$v" --accel tcg --timeout "$timeout" \
		${flavour:+--flavour "$flavour"} --pmem-mib "$PMEM_MIB" \
		--env "CORRECTNESS_MODE=$mode" "$@" \
		--job "$TOP/scripts/guest/jobs/correctness.sh" --out "$OUT"
	echo "$output"
	assert_success
	# a known failure: "# TODO" (the job's shell checks) or kselftest.h's
	# "# XFAIL", or one that passes now (tests/guest/gtest.h known_failure())
	local known='# (TODO|XFAIL)|[(]known failure, passes now: '
	oks=$(awk -F'\t' -v k="$known" '$2 == "ktap" && $4 ~ /^ok / && $4 !~ /# SKIP/ && $4 !~ k' "$OUT/result.tsv" | wc -l)
	skips=$(awk -F'\t' '$2 == "ktap" && $4 ~ /^ok .*# SKIP/' "$OUT/result.tsv" | wc -l)
	fails=$(awk -F'\t' -v k="$known" '$2 == "ktap" && $4 ~ /^not ok / && $4 !~ k' "$OUT/result.tsv")
	todos=$(awk -F'\t' -v k="$known" '$2 == "ktap" && $4 ~ k' "$OUT/result.tsv" | wc -l)
	echo "# $v${flavour:+ ($flavour)}: $oks passed, $skips skipped, $todos known failures, $(grep -c . <<<"$fails" || true) failed" >&3
	awk -F'\t' '$2 == "ktap" && $4 ~ /^ok .*# SKIP/ { print "#   skip", $1, $3, $4 }' \
		"$OUT/result.tsv" | sort -u >&3
	# a known failure is shown, not counted; one that passes says so
	awk -F'\t' -v k="$known" '$2 == "ktap" && $4 ~ k { print "#   known failure", $1, $3, ($4 ~ /^ok / && $4 !~ /XFAIL/ ? "(passes now) " : "") $4 }' \
		"$OUT/result.tsv" >&3
	awk -F'\t' '$2 == "ktap" && $3 == "dax_leak" && $4 ~ /^# seed/ { print "#   leak test", $1, substr($4, 3) }' \
		"$OUT/result.tsv" >&3
	# a program that stopped early without saying so left results missing
	plans=$(awk -f "$TOP/scripts/awk/ktap-plan.awk" "$OUT/result.tsv")
	if [ -n "$plans" ]; then
		echo "KTAP plans not met ($OUT/result.tsv):"
		echo "$plans"
		return 1
	fi
	if [ -n "$fails" ]; then
		echo "failing guest cases ($OUT/result.tsv):"
		awk -F'\t' '$2 == "ktap" && ($4 ~ /^not ok / || $4 ~ /^# /) { print $1, $3, $4 }' \
			"$OUT/result.tsv"
		return 1
	fi
	# something ran: a pass or a known failure (all of a variant's poison
	# cases can be TODO)
	[ "$((oks + todos))" -gt 0 ]
}

# The debug kernel of $1, in full mode only (it is ~3x slower to boot
# and run, and a cold debug build takes minutes).
debug_correctness() {
	full_mode || skip "debug kernels run in 'make test-full'"
	run "$TOP/scripts/kernel-build.sh" "$1" debug
	echo "$output"
	assert_success
	correctness "$1" debug
}

@test "correctness: iomap (ext4, ext2, xfs)" {
	correctness iomap "${DAXBENCH_TEST_FLAVOUR:-}"
}

@test "correctness: getblock (ext4, ext2)" {
	correctness getblock "${DAXBENCH_TEST_FLAVOUR:-}"
}

@test "correctness: pfn (ext4, ext2)" {
	correctness pfn "${DAXBENCH_TEST_FLAVOUR:-}"
}

# dax_poison leaves poisoned blocks behind for the rest of the boot, so it
# runs alone, one boot per filesystem.  $1 variant, $2 filesystems.
poison() {
	local fs
	for fs in $2; do
		correctness "$1" "${DAXBENCH_TEST_FLAVOUR:-}" "poison-$fs" \
			--env CORRECTNESS_ONLY=dax_poison --env "CORRECTNESS_FS=$fs"
	done
}

@test "poison: iomap (ext4, ext2)" {
	poison iomap "ext4 ext2"
}

@test "poison: getblock (ext4, ext2)" {
	poison getblock "ext4 ext2"
}

@test "correctness: control (ext4, ext2)" {
	correctness control "${DAXBENCH_TEST_FLAVOUR:-}"
}

@test "poison: pfn (ext4, ext2)" {
	poison pfn "ext4 ext2"
}

@test "poison: control (ext4, ext2)" {
	poison control "ext4 ext2"
}

@test "correctness, debug kernel: iomap" {
	debug_correctness iomap
}

@test "correctness, debug kernel: getblock" {
	debug_correctness getblock
}

@test "correctness, debug kernel: pfn" {
	debug_correctness pfn
}

@test "correctness, debug kernel: control" {
	debug_correctness control
}
