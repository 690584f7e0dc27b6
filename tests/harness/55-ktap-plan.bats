#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031  # bats' run sets $output in each test
# scripts/awk/ktap-plan.awk: the correctness suite's check that every
# guest program printed as many results as its KTAP plan announced.

load helpers

# result.tsv rows for program $2 on filesystem $1: a plan of $3 and the
# results named by the remaining words (ok, not, skip)
ktap_rows() {
	local fs=$1 prog=$2 plan=$3 i=0 r
	shift 3
	printf '%s\tktap\t%s\tKTAP version 1\n' "$fs" "$prog"
	[ "$plan" = none ] || printf '%s\tktap\t%s\t1..%s\n' "$fs" "$prog" "$plan"
	for r in "$@"; do
		i=$((i + 1))
		case $r in
		ok) printf '%s\tktap\t%s\tok %d case-%d\n' "$fs" "$prog" "$i" "$i" ;;
		not) printf '%s\tktap\t%s\tnot ok %d case-%d\n' "$fs" "$prog" "$i" "$i" ;;
		skip) printf '%s\tktap\t%s\tok %d case-%d # SKIP no\n' "$fs" "$prog" "$i" "$i" ;;
		esac
		printf '%s\tktap\t%s\t# a diagnostic line\n' "$fs" "$prog"
	done
}

plan_check() { awk -f "$TOP/scripts/awk/ktap-plan.awk" "$BATS_TEST_TMPDIR/result.tsv"; }

@test "ktap-plan: every plan met, skips and failures counted: no output" {
	{
		ktap_rows ext4 dax_a 3 ok skip not
		ktap_rows ext2 dax_a 3 ok ok ok
		printf 'ext4\tfault\tother\trow\n'
	} >"$BATS_TEST_TMPDIR/result.tsv"
	run plan_check
	assert_success
	[ -z "$output" ]
}

@test "ktap-plan: a program that stopped early is named with its counts" {
	{
		ktap_rows ext4 dax_a 3 ok ok ok
		ktap_rows ext2 dax_a 3 ok ok
	} >"$BATS_TEST_TMPDIR/result.tsv"
	run plan_check
	assert_success
	[ "$output" = "ext2 dax_a: plan 1..3, 2 results" ]
}

@test "ktap-plan: results without a plan, and more results than planned" {
	{
		ktap_rows ext4 dax_a none ok
		ktap_rows ext4 dax_b 1 ok ok
	} >"$BATS_TEST_TMPDIR/result.tsv"
	run plan_check
	assert_success
	[ "${lines[0]}" = "ext4 dax_a: 1 results and no KTAP plan" ]
	[ "${lines[1]}" = "ext4 dax_b: plan 1..1, 2 results" ]
}
