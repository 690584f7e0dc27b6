#!/usr/bin/env bats
# The regression gate: silent when the same kernels are measured again,
# loud when a known fixed cost is added to a DAX fault path: the
# test-only debugfs knobs of patches/common, dax/test_delay_loops (every
# dax_direct_access) and dax/test_fault_delay_loops (every fault entered,
# whichever path serves it: also pfn's hits, which never call
# dax_direct_access).

load helpers

setup_file() {
	[ -f "$(kernel_image iomap)" ] && [ -f "$(kernel_image pfn)" ] || return 0
	"$TOP/scripts/bench-all.sh" --matrix "$TOP/configs/matrix-gate" \
		--run gate-test-base --force >/dev/null 2>&1 || true
}

# Run the gate matrix with guest setting $1 (VAR=loops), on variant $2
# and accelerator $3 only (what the test judges), as run $4.
delayed_run() {
	local m=$BATS_TEST_TMPDIR/matrix
	sed -e "s/^ROUNDS=.*/&\nGUEST_ENV=\"$1\"/" \
		-e "s/^VARIANTS=.*/VARIANTS=\"$2\"/" \
		-e "s/^ACCELS=.*/ACCELS=\"$3\"/" \
		"$TOP/configs/matrix-gate" >"$m"
	"$TOP/scripts/bench-all.sh" --matrix "$m" --run "$4" --force >/dev/null 2>&1
}

base() {
	need_kernel iomap
	need_kernel pfn
	[ -s "$RUN_ROOT/gate-test-base/results.tsv" ]
}

# The icount path length of the gated cell, min over the run: "v value".
min_icount() {
	awk -F'\t' -v v="$2" '$1 == v && $2 == "icount" && $7 == "ns_per_page" {
		if (m == "" || $10 < m) m = $10 } END { printf "%.1f\n", m }' \
		"$RUN_ROOT/$1/results.tsv"
}

@test "gate: a rerun of the same kernels passes (no false alarm)" {
	base
	local i reruns=1 passed=0
	[ "${DAXBENCH_TEST_MODE:-quick}" != full ] || reruns=5
	for i in $(seq 1 "$reruns"); do
		"$TOP/scripts/bench-all.sh" --matrix "$TOP/configs/matrix-gate" \
			--run "gate-test-rerun$i" --force >/dev/null 2>&1
		if "$TOP/scripts/gate.sh" "gate-test-rerun$i" "$RUN_ROOT/gate-test-base"; then
			passed=$((passed + 1))
		fi
	done
	echo "# $passed of $reruns reruns passed the gate" >&3
	[ "$passed" -eq "$reruns" ]
}

@test "gate: +1% icount path length in iomap's direct_access (10 loops) fails" {
	base
	delayed_run DAX_TEST_DELAY_LOOPS=10 iomap icount gate-test-10
	run "$TOP/scripts/gate.sh" gate-test-10 "$RUN_ROOT/gate-test-base"
	echo "$output"
	assert_failure 1
	echo "# iomap: $(min_icount gate-test-base iomap) -> $(min_icount gate-test-10 iomap) instructions per page" >&3
	# a regression line (the run lacks the other cells, which the gate
	# lists as MISSING: not what this test is about)
	grep -q 'ns_per_page \[icount\] (best' <<<"$output"
}

@test "gate: ~1% icount path length in pfn's hit path (fault delay, 8 loops) fails" {
	base
	delayed_run DAX_TEST_FAULT_DELAY_LOOPS=8 pfn icount gate-test-pfn8
	run "$TOP/scripts/gate.sh" gate-test-pfn8 "$RUN_ROOT/gate-test-base"
	echo "$output"
	assert_failure 1
	echo "# pfn: $(min_icount gate-test-base pfn) -> $(min_icount gate-test-pfn8 pfn) instructions per page" >&3
	# the re-fault hit every page: no filesystem call, no direct_access
	[ "$(metric_sum_run gate-test-pfn8 pfn fs_calls)" -eq 0 ]
	grep -q 'ns_per_page \[icount\] (best' <<<"$output"
}

# gate.conf fails a plain-TCG time only beyond +300 % of the best window
# (plain TCG runs at two speeds about 2x apart on a shared host:
# reports/tcg-speeds), so the cost must be gross on every host.  6000
# loops (4.8 instructions each under icount: about 29,000 per fault)
# added 15 % on an AMD EPYC host (TCG runs the loop fast); 60000 loops
# make iomap's read re-fault about 20x slower there (lat_p50 7080 ->
# 145310 ns in CI on 2026-12-01).
@test "gate: a large cost (60000 loops per direct_access) fails on a plain TCG time too" {
	base
	delayed_run DAX_TEST_DELAY_LOOPS=60000 iomap tcg gate-test-60000
	run "$TOP/scripts/gate.sh" gate-test-60000 "$RUN_ROOT/gate-test-base"
	echo "$output"
	assert_failure 1
	grep -qE '\[tcg\] \(best 300\)' <<<"$output"
}
