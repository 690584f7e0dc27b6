#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031  # bats' run sets $output in each test
# The metric registry (configs/metrics) and the regressions section of
# summary.txt: every metric is registered, an unknown one stops a report,
# and the boot-level statistics give known answers on synthetic data.

load helpers

registered() { awk '!/^[ \t]*(#|$)/ { print $1 }' "$TOP/configs/metrics" | sort -u; }

@test "metrics: every metric in the committed results is registered" {
	local f missing
	for f in "$TOP"/reports/*/results.tsv.gz; do
		gzip -dc "$f" | awk -F'\t' 'NR > 1 { print $7 }'
	done | sort -u >"$BATS_TEST_TMPDIR/used"
	missing=$(comm -23 "$BATS_TEST_TMPDIR/used" <(registered))
	[ -z "$missing" ] || { echo "not in configs/metrics: $missing"; return 1; }
}

@test "metrics: every metric the benchmarks and kernel counters write is registered" {
	local missing
	{
		# tsv_row*(t, "metric", ...): a literal second argument
		grep -ohE 'tsv_row[a-z0-9_]*\([^,"]*, *"[a-z0-9_]+"' "$TOP"/bench/*.c "$TOP"/bench/lib/*.c |
			grep -oE '"[a-z0-9_]+"$' | tr -d '"'
		# dax/stats counter names in the kernel series
		sed -nE 's/^\+\t\[DAX_STAT_[A-Z0-9_]+\][ \t]*= "([a-z0-9_]+)",/\1/p' "$TOP"/patches/*/0*.patch
		# the fio rows (bench/fiobench.sh): read_/write_ + its metric names
		sed -nE 's/.*row\(p "([a-z_]+)".*/read_\1\nwrite_\1/p' "$TOP/bench/fiobench.sh"
		# rows the shell wrappers print: row("metric", ...) in bench/*.sh
		sed -nE 's/.*row\("([a-z_0-9]+)".*/\1/p' "$TOP"/bench/*.sh
	} | sort -u >"$BATS_TEST_TMPDIR/written"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/written")" -gt 20 ]
	missing=$(comm -23 "$BATS_TEST_TMPDIR/written" <(registered))
	[ -z "$missing" ] || { echo "not in configs/metrics: $missing"; return 1; }
}

# results.tsv: variants a and b, 3 boots x 3 reps each, on icount, tcg and
# the device-dax control.  b's boot means are $1 times a's for ns_per_page
# and $2 times for read_bw [icount]; reps scatter +-5 % inside each boot
# on both sides, identically (so rep-level spread is not a difference).
# TCG: ns_per_page of b is $3 times a's, device-dax control b/a = $4.
synth() {
	awk -v f="$1" -v bw="$2" -v tf="$3" -v cf="$4" 'BEGIN {
		OFS = "\t"
		print "variant", "accel", "round", "fs", "workload", "case", "metric", "unit", "rep", "value"
		c = "map=pte,op=read"
		for (r = 1; r <= 3; r++) for (rep = 1; rep <= 3; rep++) {
			s = 1 + (rep - 2) * 0.05	# rep scatter
			d = 1 + (r - 2) * 0.001		# boot-to-boot drift, small
			print "a", "icount", r, "ext4", "fault", c, "ns_per_page", "ns", rep, 3000 * s * d
			print "b", "icount", r, "ext4", "fault", c, "ns_per_page", "ns", rep, f * 3000 * s * d
			print "a", "icount", r, "ext4", "fio", "job=x", "read_bw", "KiB/s", rep, 1000 * d
			print "b", "icount", r, "ext4", "fio", "job=x", "read_bw", "KiB/s", rep, bw * 1000 * d
			print "a", "icount", r, "ext4", "fault", c, "pfn_hit", "count", rep, 0
			print "b", "icount", r, "ext4", "fault", c, "pfn_hit", "count", rep, 4096
			print "a", "tcg", r, "ext4", "fault", c, "ns_per_page", "ns", rep, 8000 * d
			print "b", "tcg", r, "ext4", "fault", c, "ns_per_page", "ns", rep, tf * 8000 * d
			print "a", "tcg", r, "devdax", "fault", c, "ns_per_page", "ns", rep, 4000 * d
			print "b", "tcg", r, "devdax", "fault", c, "ns_per_page", "ns", rep, cf * 4000 * d
		}
	}'
}

# The regressions section of results file $1, through the metrics stage.
regressions() {
	awk -v registry="$TOP/configs/metrics" -f "$TOP/scripts/awk/metrics.awk" "$1" >"$BATS_TEST_TMPDIR/m.tsv" ||
		return 2
	awk -v pairs=a:b -v path_accel=icount -f "$TOP/scripts/awk/lib.awk" \
		-f "$TOP/scripts/awk/regressions.awk" "$BATS_TEST_TMPDIR/m.tsv"
}

# The lines of section "WORSE" or "better" of the output in $output.
section() {
	awk -v s="$1" '/is WORSE than/ { on = (s == "worse"); next }
		/is better than/ { on = (s == "better"); next }
		/Emulated times/ { on = 0 } on' <<<"$output"
}

@test "regressions: +10 % per boot is listed as worse, lower bandwidth too" {
	synth 1.10 0.8 1.0 1.0 >"$BATS_TEST_TMPDIR/r.tsv"
	run regressions "$BATS_TEST_TMPDIR/r.tsv"
	echo "$output"
	assert_success
	section worse | grep -E '^ +\+10\.0% +3000 -> 3300 +ns_per_page \[icount\]$'
	section worse | grep -E '^ +-20\.0% +1000 -> 800 +read_bw \[icount\]$'
	# descriptive counts (better = none) are never judged
	! section worse | grep -q pfn_hit || false
	! section better | grep -q pfn_hit || false
	[ "$(section better | grep -c '(none)')" -eq 1 ]
}

@test "regressions: the same boot means on both sides list nothing" {
	synth 1.0 1.0 1.0 1.0 >"$BATS_TEST_TMPDIR/r.tsv"
	run regressions "$BATS_TEST_TMPDIR/r.tsv"
	echo "$output"
	[ "$(grep -c '(none)' <<<"$output")" -eq 2 ]
}

@test "regressions: a TCG change within the device-dax control's spread is left out" {
	synth 1.0 1.0 1.10 1.15 >"$BATS_TEST_TMPDIR/r.tsv"
	run regressions "$BATS_TEST_TMPDIR/r.tsv"
	echo "$output"
	! section worse | grep -q '\[tcg\]' || false
	grep -E 'ns_per_page +\[tcg\] +15\.0%' <<<"$output"
	grep -q '1 emulated-time changes fell within that spread' <<<"$output"
	synth 1.0 1.0 1.30 1.15 >"$BATS_TEST_TMPDIR/r.tsv"
	run regressions "$BATS_TEST_TMPDIR/r.tsv"
	section worse | grep -E '\+30\.0% +8000 -> 10400 +ns_per_page \[tcg\]'
}

@test "regressions: a metric missing from the registry stops the report, naming it" {
	synth 1.0 1.0 1.0 1.0 | sed 's/\tpfn_hit\t/\tnew_counter\t/' >"$BATS_TEST_TMPDIR/r.tsv"
	run regressions "$BATS_TEST_TMPDIR/r.tsv"
	assert_failure 2
	grep -q "metric 'new_counter' is not in .*configs/metrics; add a line for it" <<<"$output"
	mkdir -p "$BATS_TEST_TMPDIR/run/boots"
	cp "$BATS_TEST_TMPDIR/r.tsv" "$BATS_TEST_TMPDIR/run/results.tsv"
	printf 'base_package\tlinux-source-6.1 6.1.192-2\n' >"$BATS_TEST_TMPDIR/run/manifest"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports DAXBENCH_PAIRS=a:b \
		run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	assert_error "metrics stage of run run failed"
	grep -q "metric .new_counter. is not in" <<<"$output"
	grep -q "new_counter" <<<"$output"
	[ ! -e "$BATS_TEST_TMPDIR/reports/run" ]
	# nor its staging folder
	[ -z "$(find "$BATS_TEST_TMPDIR/reports" -mindepth 1 -maxdepth 1 -name ".run.*")" ]
}

@test "regressions: repetitions of one boot are not independent samples" {
	# three boots a side, boot means 1 % apart, three identical reps per
	# boot; b is +1.5 %.  Counting the 9 reps as samples gives t = 3.7;
	# over the 3 boot means t = 1.8: not a change.
	awk 'BEGIN {
		OFS = "\t"
		print "variant", "accel", "round", "fs", "workload", "case", "metric", "unit", "rep", "value"
		for (r = 1; r <= 3; r++) for (rep = 1; rep <= 3; rep++) {
			d = 1 + (r - 2) * 0.01
			print "a", "icount", r, "ext4", "fault", "c=1", "ns_per_page", "ns", rep, 3000 * d
			print "b", "icount", r, "ext4", "fault", "c=1", "ns_per_page", "ns", rep, 3045 * d
		}
	}' >"$BATS_TEST_TMPDIR/r.tsv"
	run regressions "$BATS_TEST_TMPDIR/r.tsv"
	echo "$output"
	[ "$(grep -c '(none)' <<<"$output")" -eq 2 ]
	# the same with a 3 % change is one
	awk -F'\t' -v OFS='\t' '$1 == "b" { $10 = $10 * 3090 / 3045 } 1' "$BATS_TEST_TMPDIR/r.tsv" >"$BATS_TEST_TMPDIR/r2.tsv"
	run regressions "$BATS_TEST_TMPDIR/r2.tsv"
	echo "$output"
	section worse | grep -E '\+3\.0% +3000 -> 3090 +ns_per_page \[icount\]'
}

# metrics.awk on $1 (a results.tsv); output in $output
metrics_stage() {
	run awk -v registry="$TOP/configs/metrics" -f "$TOP/scripts/awk/metrics.awk" "$1"
}

@test "metrics stage: n, boots, mean, median, min, max, sd and boot means by column name" {
	local r=$BATS_TEST_TMPDIR/results.tsv row
	# columns in another order than bench-all writes them: found by name
	printf 'value\tvariant\taccel\tround\tfs\tworkload\tcase\tmetric\tunit\trep\n' >"$r"
	printf '%s\ta\ticount\t%s\text4\tfault\tmap=pte,size=16M\tns_per_page\tns\t%s\n' \
		10 1 1  20 1 2  30 2 1  50 2 2 >>"$r"
	metrics_stage "$r"
	echo "$output"
	assert_success
	row=$(awk -F'\t' '$7 == "ns_per_page" { print $11, $12, $13, $14, $15, $16, $17, $18 }' <<<"$output")
	# mean 27.5, median 25, sd = sqrt(((-17.5)^2+(-7.5)^2+2.5^2+22.5^2)/3)
	[ "$row" = "4 2 27.5 25 10 50 17.07825128 15,40" ]
	[ "$(awk -F'\t' 'NR == 2 { print $8, $9, $10 }' <<<"$output")" = "ns time lower" ]
}

@test "metrics stage: pfn's window=N leaves the case for params, so cells match" {
	local r=$BATS_TEST_TMPDIR/results.tsv
	printf 'variant\taccel\tround\tfs\tworkload\tcase\tmetric\tunit\trep\tvalue\n' >"$r"
	printf 'iomap\ticount\t1\text4\tmemory\tsize=256M\txa_bytes\tbytes\t1\t100\n' >>"$r"
	printf 'pfn\ticount\t1\text4\tmemory\tsize=256M,window=16\txa_bytes\tbytes\t1\t300\n' >>"$r"
	metrics_stage "$r"
	assert_success
	[ "$(awk -F'\t' 'NR > 1 { print $1, $5, $6 }' <<<"$output")" = "iomap size=256M -
pfn size=256M window=16" ]
}

@test "metrics stage: old case keys get option names (thr, sit), in samples and in stored metrics" {
	local r=$BATS_TEST_TMPDIR/results.tsv m=$BATS_TEST_TMPDIR/metrics.tsv
	printf 'variant\taccel\tround\tfs\tworkload\tcase\tmetric\tunit\trep\tvalue\n' >"$r"
	printf 'old\ticount\t1\text4\tfault\tmap=pte,thr=1,sit=first,size=16M\tns_per_page\tns\t1\t100\n' >>"$r"
	printf 'new\ticount\t1\text4\tfault\tmap=pte,threads=1,situation=first,size=16M\tns_per_page\tns\t1\t90\n' >>"$r"
	metrics_stage "$r"
	assert_success
	# one cell: both variants' rows carry the new keys
	[ "$(awk -F'\t' 'NR > 1 { print $1, $5 }' <<<"$output")" = "old map=pte,threads=1,situation=first,size=16M
new map=pte,threads=1,situation=first,size=16M" ]
	# a metrics.tsv stored with the old keys reads as new through lib.sh
	printf "%s\n" "${output//threads=1,situation=/thr=1,sit=}" | gzip >"$m.gz"
	run bash -c '. "$1/scripts/lib.sh" && run_metrics "$2"' _ "$TOP" "$m.gz"
	assert_success
	[ "$(awk -F'\t' 'NR > 1 { print $5 }' <<<"$output" | sort -u)" = "map=pte,threads=1,situation=first,size=16M" ]
	[ "$(wc -l <<<"$output")" -eq 3 ]
}


@test "metrics stage: invalidate's op becomes cut, extent's layout and seed become aged, only there" {
	local r=$BATS_TEST_TMPDIR/results.tsv
	{
		printf 'variant\taccel\tround\tfs\tworkload\tcase\tmetric\tunit\trep\tvalue\n'
		printf 'old\ticount\t1\text4\tinvalidate\top=punch,map=pte,phase=refault\tns_per_page\tns\t1\t100\n'
		printf 'new\ticount\t1\text4\tinvalidate\tcut=punch,map=pte,phase=refault\tns_per_page\tns\t1\t90\n'
		printf 'old\ticount\t1\text4\textent\tlayout=aged,seed=42,op=read,size=128M\tns_per_page\tns\t1\t100\n'
		printf 'old\ticount\t1\text4\textent\tlayout=extent,extent=64K,op=read,size=128M\tns_per_page\tns\t1\t100\n'
		printf 'new\ticount\t1\text4\textent\taged=42,op=read,size=128M\tns_per_page\tns\t1\t90\n'
		printf 'new\ticount\t1\text4\tfault\tmap=pte,op=read,layout=written\tns_per_page\tns\t1\t90\n'
	} >"$r"
	metrics_stage "$r"
	assert_success
	[ "$(awk -F'\t' 'NR > 1 { print $1, $4, $5 }' <<<"$output")" = "old invalidate cut=punch,map=pte,phase=refault
new invalidate cut=punch,map=pte,phase=refault
old extent aged=42,op=read,size=128M
old extent extent=64K,op=read,size=128M
new extent aged=42,op=read,size=128M
new fault map=pte,op=read,layout=written" ]
}
@test "metrics stage: an unregistered metric or a missing column is an error naming it" {
	local r=$BATS_TEST_TMPDIR/results.tsv
	printf 'variant\taccel\tround\tfs\tworkload\tcase\tmetric\tunit\trep\tvalue\n' >"$r"
	printf 'a\ticount\t1\text4\tfault\tx=1\tno_such_metric\tns\t1\t5\n' >>"$r"
	metrics_stage "$r"
	assert_failure
	grep -q "metric 'no_such_metric' is not in" <<<"$output"
	cut -f1-9 "$r" >"$r.cut"
	metrics_stage "$r.cut"
	assert_failure
	grep -q "results.tsv has no 'value' column" <<<"$output"
}

@test "report: a variant whose series is gone is named, and no staging folder is left" {
	scratch_repo
	printf 'VARIANT_SERIES="common gone"\nVARIANT_CONFIGS="guest.config"\nVARIANT_FS="ext4"\n' \
		>"$REPO/kernels/b.conf"
	mkdir -p "$BATS_TEST_TMPDIR/run/boots" "$BATS_TEST_TMPDIR/reports"
	synth 1.0 1.0 1.0 1.0 >"$BATS_TEST_TMPDIR/run/results.tsv"
	printf 'base_package\tlinux-source-6.1 6.1.192-2\n' >"$BATS_TEST_TMPDIR/run/manifest"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports DAXBENCH_PAIRS=a:b \
		run "$REPO/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	assert_error "variant b: patch series 'gone' \(patches/gone\) does not exist"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/reports")" ]
}

@test "regressions: a pair naming a variant not in the run is said so" {
	synth 1.0 1.0 1.0 1.0 >"$BATS_TEST_TMPDIR/r.tsv"
	awk -v registry="$TOP/configs/metrics" -f "$TOP/scripts/awk/metrics.awk" \
		"$BATS_TEST_TMPDIR/r.tsv" >"$BATS_TEST_TMPDIR/m.tsv"
	run awk -v pairs="a:b a:zz yy:b" -v path_accel=icount -f "$TOP/scripts/awk/lib.awk" \
		-f "$TOP/scripts/awk/regressions.awk" "$BATS_TEST_TMPDIR/m.tsv"
	assert_success
	grep -qx "a:zz not compared: zz is not in this run" <<<"$output"
	grep -qx "yy:b not compared: yy is not in this run" <<<"$output"
	grep -q "b is WORSE than a here" <<<"$output"
	run awk -v pairs="yy:zz" -v path_accel=icount -f "$TOP/scripts/awk/lib.awk" \
		-f "$TOP/scripts/awk/regressions.awk" "$BATS_TEST_TMPDIR/m.tsv"
	grep -qx "No pair of variants in this run was compared." <<<"$output"
}

@test "report: DAXBENCH_PAIRS that is not 'A:B C:D' is refused, naming the word" {
	mkdir -p "$BATS_TEST_TMPDIR/run/boots"
	synth 1.0 1.0 1.0 1.0 >"$BATS_TEST_TMPDIR/run/results.tsv"
	printf 'base_package\tlinux-source-6.1 6.1.192-2\n' >"$BATS_TEST_TMPDIR/run/manifest"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports DAXBENCH_PAIRS=a:b,b:a \
		run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	assert_error "DAXBENCH_PAIRS: 'a:b,b:a' is not a pair A:B of variant names"
	[ ! -e "$BATS_TEST_TMPDIR/reports/run" ]
}
