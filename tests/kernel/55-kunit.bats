#!/usr/bin/env bats
# KUnit inside the guest: the kunit flavour (configs/kunit.config) of
# every variant whose series adds a KUnit test, booted once; the suites
# ran at boot and scripts/guest/jobs/kunit.sh hands their KTAP back.
# Every case of a suite's plan must be reported, and reported ok.

load helpers

# KTAP of suite $2 in result.tsv $1: plan, results, suite verdict.
# Prints "planned reported failed suite_ok".
ktap_summary() {
	awk -F'\t' -v s="$2" '$2 == "ktap" && $3 == s { print $4 }' "$1" |
		awk -v s="$2" '
		$0 ~ "# Subtest: " s "$" { sub_ = 1; next }
		sub_ && !plan && match($0, /^[ \t]*1\.\.[0-9]+$/) { p = $0; sub(/^[ \t]*1\.\./, "", p); plan = p; next }
		sub_ && /^[ \t]+(not )?ok [0-9]+ / { n++; if ($0 ~ /^[ \t]+not ok /) bad++ ; next }
		$0 ~ "^ok [0-9]+ " s "( |$)" { suite = 1 }
		END { printf "%d %d %d %d\n", plan, n, bad, suite }'
}

@test "kunit: pfn's pfn-cache suite runs in the guest, every planned case ok" {
	local out=$OUTROOT/kunit-pfn planned reported failed suite_ok
	run "$TOP/scripts/kernel-build.sh" pfn kunit
	echo "$output"
	assert_success
	run "$TOP/scripts/guest-run.sh" --variant pfn --flavour kunit --accel tcg \
		--timeout 900 --job "$TOP/scripts/guest/jobs/kunit.sh" --out "$out"
	echo "$output"
	assert_success
	read -r planned reported failed suite_ok < <(ktap_summary "$out/result.tsv" dax_pfn_cache)
	echo "# dax_pfn_cache: $reported of $planned cases reported, $failed failed" >&3
	awk -F'\t' '$2 == "ktap" { print "#   " $4 }' "$out/result.tsv" | grep -E 'not ok|# ' || true
	[ "$planned" -ge 5 ]
	[ "$reported" -eq "$planned" ]
	[ "$failed" -eq 0 ]
	[ "$suite_ok" -eq 1 ]
}

@test "kunit: a KTAP log with a missing or failed case is caught" {
	local f=$BATS_TEST_TMPDIR/result.tsv
	printf 'kunit\tktap\ts\t%s\n' 'KTAP version 1' '1..1' '    KTAP version 1' \
		'    # Subtest: s' '    1..3' '    ok 1 a' '    ok 2 b' 'ok 1 s' >"$f"
	[ "$(ktap_summary "$f" s)" = "3 2 0 1" ]
	printf 'kunit\tktap\ts\t%s\n' '    # Subtest: s' '    1..2' '    ok 1 a' \
		'    not ok 2 b' 'not ok 1 s' >"$f"
	[ "$(ktap_summary "$f" s)" = "2 2 1 0" ]
}
