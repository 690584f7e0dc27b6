#!/usr/bin/env bats
# CI's regression gate: the quick matrix on every variant, compared with
# the committed baseline (reports/baseline) on the metrics that do not
# depend on host load (configs/gate-ci.conf).

load helpers

@test "quick matrix: no regression against reports/baseline" {
	local v
	for v in $(known_variants); do need_kernel "$v"; done
	[ -s "$TOP/reports/baseline/results.tsv.gz" ] || [ -s "$TOP/reports/baseline/results.tsv" ] ||
		skip "no committed baseline in reports/baseline"
	run "$TOP/scripts/bench-all.sh" --matrix "$TOP/configs/matrix-quick" --run ci-quick --force
	echo "$output" | tail -n 5
	assert_success
	DAXBENCH_GATE_RULES=$TOP/configs/gate-ci.conf run "$TOP/scripts/gate.sh" ci-quick "$TOP/reports/baseline"
	echo "$output"
	assert_success
}
