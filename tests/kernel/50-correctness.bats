#!/usr/bin/env bats
# The in-guest correctness and reliability suite (tests/guest/*.c, fio
# verify; kmemleak on a debug kernel) per variant, on every filesystem the
# variant supports.  Each guest KTAP line becomes an assertion: any
# "not ok" fails the variant's test and is printed.
#
# DAXBENCH_TEST_MODE=full runs the full mode (stale-pfn leak test with
# 10000 operations per filesystem instead of 300).
# DAXBENCH_TEST_FLAVOUR=debug boots the debug kernels (configs/debug.config,
# built by 'scripts/kernel-build.sh VARIANT debug').

load helpers

QUICK_TIMEOUT=900
FULL_TIMEOUT=3600
PMEM_MIB=1024

correctness() {
	local v=$1 mode=quick timeout=$QUICK_TIMEOUT flavour=${DAXBENCH_TEST_FLAVOUR:-}
	local image fails oks skips
	image=$DAXBENCH_CACHE/variants/$v/build${flavour:+-$flavour}/arch/x86/boot/bzImage
	[ -f "$image" ] || skip "no $v ${flavour:+$flavour }kernel at $image"
	if [ "${DAXBENCH_TEST_MODE:-quick}" = full ]; then
		mode=full
		timeout=$FULL_TIMEOUT
	fi
	OUT=$OUTROOT/correctness-$v${flavour:+-$flavour}
	run "$TOP/scripts/guest-run.sh" --variant "$v" --accel tcg --timeout "$timeout" \
		${flavour:+--flavour "$flavour"} --pmem-mib "$PMEM_MIB" \
		--env "CORRECTNESS_MODE=$mode" \
		--job "$TOP/scripts/guest/jobs/correctness.sh" --out "$OUT"
	echo "$output"
	[ "$status" -eq 0 ]
	oks=$(awk -F'\t' '$2 == "ktap" && $4 ~ /^ok / && $4 !~ /# SKIP/' "$OUT/result.tsv" | wc -l)
	skips=$(awk -F'\t' '$2 == "ktap" && $4 ~ /^ok .*# SKIP/' "$OUT/result.tsv" | wc -l)
	fails=$(awk -F'\t' '$2 == "ktap" && $4 ~ /^not ok /' "$OUT/result.tsv")
	echo "# $v: $oks passed, $skips skipped, $(grep -c . <<<"$fails" || true) failed" >&3
	awk -F'\t' '$2 == "ktap" && $4 ~ /^ok .*# SKIP/ { print "#   skip", $1, $3, $4 }' \
		"$OUT/result.tsv" | sort -u >&3
	if [ -n "$fails" ]; then
		echo "failing guest cases ($OUT/result.tsv):"
		awk -F'\t' '$2 == "ktap" && ($4 ~ /^not ok / || $4 ~ /^# /) { print $1, $3, $4 }' \
			"$OUT/result.tsv"
		return 1
	fi
	[ "$oks" -gt 0 ]
}

@test "correctness: iomap (ext4, ext2, xfs)" {
	correctness iomap
}

@test "correctness: getblock (ext4, ext2)" {
	correctness getblock
}

@test "correctness: pfn (ext4, ext2)" {
	correctness pfn
}
