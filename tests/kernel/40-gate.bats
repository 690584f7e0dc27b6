#!/usr/bin/env bats
# The regression gate: silent when the same kernel is measured again, loud
# when a known fixed cost is added to the DAX fault path (the test-only
# debugfs knob dax/test_delay_loops from patches/common).

load helpers

setup_file() {
	[ -f "$(kernel_image iomap)" ] || return 0
	"$TOP/scripts/bench-all.sh" --matrix "$TOP/configs/matrix-gate" \
		--run gate-test-base --force >/dev/null 2>&1 || true
}

# Run the gate matrix with an extra delay of $1 loops per direct_access,
# on accelerator $2 only (the one the test judges: half the boots).
delayed_run() {
	local m=$BATS_TEST_TMPDIR/matrix
	sed -e "s/^ROUNDS=.*/&\nGUEST_ENV=\"DAX_TEST_DELAY_LOOPS=$1\"/" \
		-e "s/^ACCELS=.*/ACCELS=\"$2\"/" \
		"$TOP/configs/matrix-gate" >"$m"
	"$TOP/scripts/bench-all.sh" --matrix "$m" --run "gate-test-$1" --force >/dev/null 2>&1
}

base() {
	need_kernel iomap
	[ -s "$DAXBENCH_CACHE/runs/gate-test-base/results.tsv" ]
}

@test "gate: a rerun of the same kernel passes (no false alarm)" {
	base
	local i reruns=1 passed=0
	[ "${DAXBENCH_TEST_MODE:-quick}" != full ] || reruns=5
	for i in $(seq 1 "$reruns"); do
		"$TOP/scripts/bench-all.sh" --matrix "$TOP/configs/matrix-gate" \
			--run "gate-test-rerun$i" --force >/dev/null 2>&1
		if "$TOP/scripts/gate.sh" "gate-test-rerun$i" "$DAXBENCH_CACHE/runs/gate-test-base"; then
			passed=$((passed + 1))
		fi
	done
	echo "# $passed of $reruns reruns passed the gate" >&3
	[ "$passed" -eq "$reruns" ]
}

@test "gate: +1% icount path length (10 loops per fault) fails" {
	base
	delayed_run 10 icount
	run "$TOP/scripts/gate.sh" gate-test-10 "$DAXBENCH_CACHE/runs/gate-test-base"
	echo "$output"
	[ "$status" -eq 1 ]
	# a regression line (the run lacks the other accelerator's cells,
	# which the gate lists as MISSING: not what this test is about)
	grep -q 'ns_per_page \[icount\] (min' <<<"$output"
}

@test "gate: a large cost (3000 loops per fault) fails on a plain TCG time too" {
	base
	delayed_run 3000 tcg
	run "$TOP/scripts/gate.sh" gate-test-3000 "$DAXBENCH_CACHE/runs/gate-test-base"
	echo "$output"
	[ "$status" -eq 1 ]
	grep -qE '\[tcg\] \(welch' <<<"$output"
}
