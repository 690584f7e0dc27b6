#!/usr/bin/env bats
# A guest that hangs, panics or lacks what it needs fails loudly and
# leaves no result behind.

load helpers

setup() {
	need_kernel iomap
	OUT=$BATS_TEST_TMPDIR/out
}

@test "a hung guest is killed by the watchdog" {
	run "$TOP/scripts/guest-run.sh" --variant iomap --accel tcg --timeout 20 \
		--job "$TOP/tests/kernel/jobs/sleep.sh" --out "$OUT"
	assert_error "guest hang: watchdog killed QEMU after 20s"
	[ ! -e "$OUT/result.tsv" ]
}

@test "a kernel panic fails the run and shows the console" {
	run "$TOP/scripts/guest-run.sh" --variant iomap --accel tcg --timeout 120 \
		--append " rdinit=/nonexistent" \
		--job "$TOP/scripts/guest/jobs/fault-smoke.sh" --out "$OUT"
	assert_error "kernel reported: .*Kernel panic"
	grep -q -- '--- console tail' <<<"$output"
	[ ! -e "$OUT/result.tsv" ]
}

@test "no NVDIMM in the guest is named" {
	run "$TOP/scripts/guest-run.sh" --variant iomap --accel tcg --timeout 120 \
		--pmem-mib 0 --job "$TOP/scripts/guest/jobs/fault-smoke.sh" --out "$OUT"
	assert_error "guest job failed: no NVDIMM"
	[ ! -e "$OUT/result.tsv" ]
}

@test "a namespace that is not fsdax never passes as DAX" {
	run "$TOP/scripts/guest-run.sh" --variant iomap --accel tcg --timeout 120 \
		--job "$TOP/tests/kernel/jobs/raw-namespace.sh" --out "$OUT"
	assert_error "guest job failed: .*(mount -t ext4 -o dax failed|DAX is not on)"
	[ ! -e "$OUT/result.tsv" ]
}

@test "a kernel warning (KERN_WARNING, like a WARN splat) fails the run" {
	run "$TOP/scripts/guest-run.sh" --variant iomap --accel tcg --timeout 120 \
		--pmem-mib 0 --job "$TOP/tests/kernel/jobs/kmsg-warning.sh" --out "$OUT"
	assert_error "kernel reported: .*WARNING: CPU: 0 PID: 1 at daxbench"
	[ ! -e "$OUT/result.tsv" ]
}

# The matrix job on ext4 with one cell, $1; the run's output in $output.
one_cell() {
	printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/cells"
	run "$TOP/scripts/guest-run.sh" --variant iomap --accel icount --timeout 300 \
		--fs ext4 --data "$BATS_TEST_TMPDIR/cells" \
		--job "$TOP/scripts/guest/jobs/matrix.sh" --out "$OUT"
}

@test "an application that prints nothing fails its cell, named" {
	# busybox true: exits 0, prints no row
	one_cell "true --quiet"
	assert_error "guest job failed: ext4: true --quiet printed no result"
	[ ! -e "$OUT/result.tsv" ]
}

@test "an application that fails shows its own error in the cell's" {
	one_cell "rocksdb --num 0"
	assert_error "guest job failed: ext4: rocksdb --num 0 failed: rocksdb: error: bad number '0'"
	[ ! -e "$OUT/result.tsv" ]
}
