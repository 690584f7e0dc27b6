#!/usr/bin/env bats
# The gate on plain-TCG times, on committed runs of a host where plain
# TCG runs at two speeds about 2x apart (reports/tcg-speeds/README):
# runs of the same kernels must pass in both directions, and the rule
# that false-alarmed in CI must still fail on the same data (so the
# data shows what the rule change is for).

load helpers

SPEEDS=$TOP/reports/tcg-speeds

# Gate run $2 against baseline $1 (folders of reports/tcg-speeds).
gate_pair() {
	run "$TOP/scripts/gate.sh" "$SPEEDS/$2" "$SPEEDS/$1"
}

@test "gate: runs at either TCG speed pass, in both directions" {
	local pair
	for pair in "ci-base ci-rerun1" "ci-rerun1 ci-base" "quick-a quick-b" "quick-b quick-a"; do
		# shellcheck disable=SC2086  # two words: baseline, run
		gate_pair $pair
		echo "$output"
		assert_success
		grep -qE '^gate: [0-9]+ metrics checked, 0 regressed, 0 missing' <<<"$output"
	done
}

@test "gate: plain-TCG times are judged on the best window, beyond +300 %" {
	local rules=$BATS_TEST_TMPDIR/gate.conf
	# the former rule, put first: CI's false alarm, on the same data
	{ echo 'tcg* lat_p50 welch 4 40'; cat "$TOP/configs/gate.conf"; } >"$rules"
	DAXBENCH_GATE_RULES=$rules gate_pair ci-base ci-rerun1
	echo "$output"
	assert_failure 1
	grep -qE '^ +8525\.83 +\+74\.27% +14858\.3 +lat_p50 \[tcg\] \(welch 4 40\)$' <<<"$output"
	# the rule of configs/gate.conf reads the best windows: +2.26 %
	gate_pair ci-base ci-rerun1
	assert_success
	grep -q '^gate: 42 metrics checked, 0 regressed' <<<"$output"
}
