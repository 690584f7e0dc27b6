#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031  # bats' run sets $output in each test
# The exact fault profile (scripts/fault-profile.sh): translation-block
# counts of two boots are subtracted and added up per symbol on synthetic
# data with known answers; guest-run refuses --tb-count where the QEMU
# plugin cannot run.

load helpers

AWK_PROG=$TOP/scripts/awk/fault-profile.awk

# A System.map with three text symbols and a data symbol, and the counts
# of two boots: block a+0x10 (5 instructions) ran 100 times in the long
# boot and 50 in the short one, b's block (3) 10 times, c's (2) once, and
# one block lies below every symbol.
synthetic() {
	cat >"$BATS_TEST_TMPDIR/System.map" <<'EOF'
ffffffff81000000 T grab_mapping_entry
ffffffff81000100 t ext4_map_blocks
ffffffff81000180 D some_data
ffffffff81000200 T insert_pfn
EOF
	cat >"$BATS_TEST_TMPDIR/many.txt" <<'EOF'
ffffffff81000010 5 100
ffffffff81000100 3 10
ffffffff81000250 2 1
ffffffff80fffff0 4 10
EOF
	cat >"$BATS_TEST_TMPDIR/few.txt" <<'EOF'
ffffffff81000010 5 50
EOF
}

profile() {
	run awk -v MIN_SHOWN=1 -f "$AWK_PROG" col=k per=10 kind=map "$BATS_TEST_TMPDIR/System.map" \
		kind=plus "$BATS_TEST_TMPDIR/many.txt" kind=minus "$BATS_TEST_TMPDIR/few.txt"
}

@test "fault profile: boots subtracted, blocks added per symbol, per fault" {
	synthetic
	profile
	assert_success
	echo "$output"
	grep -qx "$(printf 'sym\tgrab_mapping_entry\t25')" <<<"$output"	# (500 - 250) / 10
	grep -qx "$(printf 'sym\text4_map_blocks\t3')" <<<"$output"	# 30 / 10
	grep -qx "$(printf 'sym\t(no symbol)\t4')" <<<"$output"
	# 0.2 per fault is under the 1 shown here: counted in its group only
	if grep -q 'insert_pfn' <<<"$output"; then echo 'insert_pfn shown'; return 1; fi
	grep -qx "$(printf 'group\tentry lock and XArray\t25')" <<<"$output"
	grep -qx "$(printf 'group\tfilesystem\t3')" <<<"$output"
	grep -qx "$(printf 'group\tall kernel code\t32')" <<<"$output"	# 25 + 3 + 0.2 + 4
}

@test "fault profile: a data symbol does not take a block" {
	synthetic
	# d's address is past some_data: without the text filter it would be some_data's
	printf 'ffffffff81000190 10 10\n' >>"$BATS_TEST_TMPDIR/many.txt"
	profile
	assert_success
	grep -qx "$(printf 'sym\text4_map_blocks\t13')" <<<"$output"
}

@test "fault profile: a line that is not a block count is an error naming it" {
	synthetic
	echo 'garbage' >>"$BATS_TEST_TMPDIR/few.txt"
	profile
	assert_failure
	grep -q "few.txt:2 is not a tbcount line" <<<"$output"
}

@test "fault profile: no number of faults is an error" {
	synthetic
	run awk -f "$AWK_PROG" col=k per=0 kind=map "$BATS_TEST_TMPDIR/System.map" \
		kind=plus "$BATS_TEST_TMPDIR/many.txt"
	assert_failure
	grep -q "per=0 is not a number of faults" <<<"$output"
}

@test "guest-run: --tb-count needs a TCG accelerator" {
	scratch_repo
	run "$REPO/scripts/guest-run.sh" --variant iomap --job "$REPO/scripts/guest/jobs/fault-smoke.sh" \
		--out "$BATS_TEST_TMPDIR/o" --accel kvm --tb-count
	assert_error "--tb-count needs a TCG accelerator [(]a QEMU plugin[)], not 'kvm'"
}

@test "guest-run: --tb-count without the plugin built says how to build it" {
	scratch_repo
	rm -rf "$REPO/tools/build"
	run "$REPO/scripts/guest-run.sh" --variant iomap --job "$REPO/scripts/guest/jobs/fault-smoke.sh" \
		--out "$BATS_TEST_TMPDIR/o" --accel icount --tb-count
	assert_error "no QEMU plugin at .*tbcount.so; run 'make tools'"
}
