#!/usr/bin/env bats
# Each variant boots with an NVDIMM, mounts its filesystems -o dax with
# DAX verified, and the fault benchmark's counters say what the variant is.

load helpers

smoke() {
	local v=$1
	need_kernel "$v"
	OUT=$OUTROOT/smoke-$v
	run "$TOP/scripts/guest-run.sh" --variant "$v" --accel tcg --timeout 300 \
		--job "$TOP/scripts/guest/jobs/fault-smoke.sh" --out "$OUT"
	echo "$output"
	assert_success
	RES=$OUT/result.tsv
}

# fs_calls and faults of the refault read case on filesystem $1.
refault_counts() {
	CALLS=$(metric_sum "$RES" "$1" "op=read" fs_calls)
	FAULTS=$(metric_sum "$RES" "$1" "op=read" faults)
	echo "$1: fs_calls=$CALLS faults=$FAULTS"
}

@test "iomap: DAX on ext4, ext2, xfs; one ->iomap_begin per fault" {
	smoke iomap
	for fs in ext4 ext2 xfs; do
		refault_counts "$fs"
		[ "$FAULTS" -gt 0 ]
		[ "$(metric_sum "$RES" "$fs" op=read fs_iomap_begin)" -eq "$CALLS" ]
		[ "$CALLS" -ge "$FAULTS" ]
	done
}

@test "getblock: DAX on ext4, ext2; xfs skipped; one get_block per fault" {
	[ "$(own_patches getblock)" -gt 0 ] || skip "patches/getblock is empty: the kernel would be the base"
	smoke getblock
	grep -q '^xfs: variant getblock has no xfs support' "$OUT/skipped"
	for fs in ext4 ext2; do
		refault_counts "$fs"
		[ "$FAULTS" -gt 0 ]
		[ "$(metric_sum "$RES" "$fs" op=read fs_get_block)" -eq "$FAULTS" ]
		[ "$(metric_sum "$RES" "$fs" op=read direct_access)" -eq "$FAULTS" ]
	done
}

# Variant $1 serves re-faults from cached pfns: on ext4 and
# ext2 the re-fault read makes no filesystem call, every fault is a hit.
cached_refaults() {
	[ "$(own_patches "$1")" -gt 0 ] || skip "patches/$1 is empty: the kernel would be the base"
	smoke "$1"
	for fs in ext4 ext2; do
		refault_counts "$fs"
		[ "$FAULTS" -gt 0 ]
		[ "$CALLS" -eq 0 ]
		[ "$(metric_sum "$RES" "$fs" op=read pfn_hit)" -ge "$FAULTS" ]
	done
}

@test "pfn: DAX on ext4, ext2; re-faults hit cached pfns, no fs calls" {
	cached_refaults pfn
}

@test "control: DAX on ext4, ext2; re-faults hit the pfn left by the first fault" {
	cached_refaults control
}

@test "a two-node NUMA guest (tcg-numa cells) boots without a kernel warning" {
	need_kernel iomap
	run "$TOP/scripts/guest-run.sh" --variant iomap --accel tcg-numa --timeout 300 \
		--fs ext4 --job "$TOP/scripts/guest/jobs/fault-smoke.sh" --out "$OUTROOT/smoke-numa"
	echo "$output"
	assert_success
	grep -q 'sockets=2' <<<"$(grep qemu_cmd "$OUTROOT/smoke-numa/meta")"
}
