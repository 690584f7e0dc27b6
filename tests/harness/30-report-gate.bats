#!/usr/bin/env bats
# The summary table and the gate, on synthetic results with known answers.

load helpers

# results.tsv with variants a and b: fs_calls per variant, icount ns with
# a given relative offset for b, and tcg ns with heavy noise.
# usage: fixture FILE A_CALLS B_CALLS B_ICOUNT_FACTOR B_TCG_FACTOR
fixture() {
	awk -v ac="$2" -v bc="$3" -v bf="$4" -v tf="$5" 'BEGIN {
		OFS = "\t"
		print "variant", "accel", "round", "fs", "workload", "case", "metric", "unit", "rep", "value"
		c = "map=pte,op=read,order=seq,thr=1,sit=refault,layout=written,size=16M"
		srand(7)
		for (r = 1; r <= 3; r++) for (rep = 1; rep <= 3; rep++) {
			print "a", "icount", r, "ext4", "fault", c, "fs_calls", "count", rep, ac
			print "b", "icount", r, "ext4", "fault", c, "fs_calls", "count", rep, bc
			print "a", "icount", r, "ext4", "fault", c, "ns_per_page", "ns", rep, 3200 + rep * 0.1
			print "b", "icount", r, "ext4", "fault", c, "ns_per_page", "ns", rep, (3200 + rep * 0.1) * bf
			print "a", "tcg", r, "ext4", "fault", c, "ns_per_page", "ns", rep, 8000 * (0.7 + 0.6 * rand())
			print "b", "tcg", r, "ext4", "fault", c, "ns_per_page", "ns", rep, tf * 8000 * (0.7 + 0.6 * rand())
		}
	}' >"$1"
}

# Rewrite variant b as a so the gate compares like with like.
as_a() { sed '/^a\t/d; s/^b\t/a\t/' "$1" >"$2"; }

# The tables of summary.txt for results file $1, through the metrics stage.
summary() {
	awk -v registry="$TOP/configs/metrics" -f "$TOP/scripts/awk/metrics.awk" "$1" >"$BATS_TEST_TMPDIR/m.tsv" ||
		return 2
	awk -v pairs="a:b" -v registry="$TOP/configs/metrics" -v path_accel=icount \
		-f "$TOP/scripts/awk/lib.awk" -f "$TOP/scripts/awk/summary.awk" "$BATS_TEST_TMPDIR/m.tsv"
}

@test "summary: no line is wider than 72 columns" {
	fixture "$BATS_TEST_TMPDIR/r.tsv" 4096 4096 1.0 1.0
	run summary "$BATS_TEST_TMPDIR/r.tsv"
	assert_success
	# characters, not bytes: "±" is two bytes
	[ "$(LC_ALL=C.UTF-8 awk 'length($0) > 72' <<<"$output" | wc -l)" -eq 0 ]
}

@test "summary: equal counts are '~', different counts get a %change" {
	fixture "$BATS_TEST_TMPDIR/r.tsv" 4096 4096 1.0 1.0
	run summary "$BATS_TEST_TMPDIR/r.tsv"
	grep -E '4096 ±0% +~ +4096 ±0% +fs_calls' <<<"$output"
	fixture "$BATS_TEST_TMPDIR/r2.tsv" 4096 8 1.0 1.0
	run summary "$BATS_TEST_TMPDIR/r2.tsv"
	grep -E '4096 ±0% +-99\.8% +8 ±0% +fs_calls' <<<"$output"
}

@test "summary: a 1% icount change is significant, TCG noise is not" {
	fixture "$BATS_TEST_TMPDIR/r.tsv" 4096 4096 1.01 1.02
	run summary "$BATS_TEST_TMPDIR/r.tsv"
	grep -E '\+1\.0%.*ns_per_page \[icount\]' <<<"$output"
	grep -E ' ~ .*ns_per_page \[tcg\]' <<<"$output"
}

gate() {
	DAXBENCH_GATE_RULES=${RULES:-$TOP/configs/gate.conf} \
		"$TOP/scripts/gate.sh" "$BATS_TEST_TMPDIR/new" "$BATS_TEST_TMPDIR/base"
}

# The fields of a manifest that the gate compares, equal on both sides.
manifests() {
	local d
	for d in base new; do
		mkdir -p "$BATS_TEST_TMPDIR/$d"
		printf '%s\t%s\n' base_package "linux-source-6.1 6.1.192-2" \
			base_tarball_sha256 4d41 qemu "QEMU emulator version 7.2.22" \
			tool_gcc "gcc-12 12.2.0-14" kernel_a "series=1111 config=2222" \
			bench_sha256 5555 \
			>"$BATS_TEST_TMPDIR/$d/manifest"
	done
}

gate_fixture() {
	mkdir -p "$BATS_TEST_TMPDIR/base" "$BATS_TEST_TMPDIR/new"
	manifests
	fixture "$BATS_TEST_TMPDIR/f.tsv" 4096 "$1" "$2" "$3"
	as_a "$BATS_TEST_TMPDIR/f.tsv" "$BATS_TEST_TMPDIR/new/results.tsv"
	fixture "$BATS_TEST_TMPDIR/g.tsv" 4096 4096 1.0 1.0
	sed '/^b\t/d' "$BATS_TEST_TMPDIR/g.tsv" >"$BATS_TEST_TMPDIR/base/results.tsv"
}

@test "gate: the same numbers pass" {
	gate_fixture 4096 1.0 1.0
	run gate
	echo "$output"
	assert_success
	grep -q 'regressed' <<<"$output"
}

@test "gate: counts allow a file layout's wiggle, not a real increase" {
	gate_fixture 4098 1.0 1.0
	run gate
	echo "$output"
	assert_success
	gate_fixture 4400 1.0 1.0
	run gate
	echo "$output"
	assert_failure 1
	grep -q 'fs_calls \[icount\] (slack 2' <<<"$output"
}

@test "gate: +1% icount path length fails, +0.3% passes" {
	gate_fixture 4096 1.01 1.0
	run gate
	assert_failure 1
	grep -q 'ns_per_page \[icount\] (best 0.5)' <<<"$output"
	gate_fixture 4096 1.003 1.0
	run gate
	echo "$output"
	assert_success
}

# gate_fixture's cells as PMD faults, whose best window moves ~0.6 % between
# boots ($@: gate_fixture's arguments)
pmd_gate_fixture() {
	local d
	gate_fixture "$@"
	for d in base new; do sed -i 's/map=pte,/map=pmd,/' "$BATS_TEST_TMPDIR/$d/results.tsv"; done
}

@test "gate: a PMD fault cell has its own rule (workload:case/metric): +0.8% passes, +1.2% fails" {
	pmd_gate_fixture 4096 1.008 1.0
	run gate
	echo "$output"
	assert_success
	pmd_gate_fixture 4096 1.012 1.0
	run gate
	assert_failure 1
	grep -q 'ns_per_page \[icount\] (best 1)' <<<"$output"
	# and a PTE cell keeps the 0.5 % rule
	gate_fixture 4096 1.008 1.0
	run gate
	assert_failure 1
	grep -q 'ns_per_page \[icount\] (best 0.5)' <<<"$output"
}

@test "gate: noisy TCG time within its spread passes" {
	gate_fixture 4096 1.0 1.05
	run gate
	echo "$output"
	assert_success
}

@test "gate: fewer filesystem calls (an improvement) pass" {
	gate_fixture 100 1.0 1.0
	run gate
	assert_success
}

@test "gate: nothing in common is an error, not a pass" {
	mkdir -p "$BATS_TEST_TMPDIR/base" "$BATS_TEST_TMPDIR/new"
	manifests
	fixture "$BATS_TEST_TMPDIR/f.tsv" 1 1 1 1
	sed '/^b\t/d' "$BATS_TEST_TMPDIR/f.tsv" >"$BATS_TEST_TMPDIR/base/results.tsv"
	sed 's/\tfault\t/\tother\t/' "$BATS_TEST_TMPDIR/base/results.tsv" >"$BATS_TEST_TMPDIR/new/results.tsv"
	run gate
	assert_failure 2
	grep -q "cannot compare: nothing in .* to compare" <<<"$output"
}

@test "report: a run without a manifest is refused" {
	mkdir -p "$BATS_TEST_TMPDIR/run/boots"
	fixture "$BATS_TEST_TMPDIR/run/results.tsv" 1 1 1 1
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	assert_error "no manifest; a report without one is not a report"
	[ ! -e "$BATS_TEST_TMPDIR/reports/run" ]
}

@test "report: an unfinished run is refused" {
	mkdir -p "$BATS_TEST_TMPDIR/run/boots"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	assert_error "has no results.tsv \(unfinished"
}

@test "report: a complete run gives summary, plots and manifest at once" {
	mkdir -p "$BATS_TEST_TMPDIR/run/boots"
	fixture "$BATS_TEST_TMPDIR/run/results.tsv" 4096 8 0.6 0.9
	sed -i 's/^a\t/getblock\t/; s/^b\t/pfn\t/' "$BATS_TEST_TMPDIR/run/results.tsv"
	printf 'base_package\tlinux-source-6.1 6.1.192-2\n' >"$BATS_TEST_TMPDIR/run/manifest"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	echo "$output"
	assert_success
	d=$BATS_TEST_TMPDIR/reports/run
	[ -s "$d/summary.txt" ] && [ -s "$d/manifest" ] && [ -s "$d/results.tsv.gz" ]
	[ -s "$d/plots/ext4-fs-calls.png" ] && [ -s "$d/plots/ext4-icount-ns.svg" ]
	grep -q '==== getblock -> pfn' "$d/summary.txt"
	[ -z "$(find "$BATS_TEST_TMPDIR/reports" -name '.run.*')" ]
}

@test "report: profiles of the run are kept and their perf stat summarised" {
	local v d
	mkdir -p "$BATS_TEST_TMPDIR/run/boots"
	fixture "$BATS_TEST_TMPDIR/run/results.tsv" 4096 8 0.6 0.9
	printf 'base_package\tlinux-source-6.1 6.1.192-2\n' >"$BATS_TEST_TMPDIR/run/manifest"
	for v in a b; do
		d=$BATS_TEST_TMPDIR/run/profiles/$v
		mkdir -p "$d"
		printf '    30.00%%  [k] dax_%s_fault\n' "$v" >"$d/profile.txt"
		printf 'ext4\tperfstat\tmap=pte\t%s\t%s\t1\t%s\n' \
			task-clock msec 1234.5 page-faults count 65959 \
			context-switches count 11 >"$d/perfstat.tsv"
	done
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	echo "$output"
	assert_success
	d=$BATS_TEST_TMPDIR/reports/run
	grep -q 'dax_a_fault' "$d/profiles/a.txt"
	grep -q 'dax_b_fault' "$d/profiles/b.txt"
	[ -s "$d/profiles/b-perfstat.tsv" ]
	grep -E '^  b +1234\.5 +65959 +11 +- +-$' "$d/summary.txt"
}

@test "gate: a workload/metric rule comes before the plain metric rule" {
	printf '%s\n' 'icount fault/ns_per_page best 5' 'icount ns_per_page best 0.5' '* * off' \
		>"$BATS_TEST_TMPDIR/rules"
	gate_fixture 4096 1.01 1.0
	RULES=$BATS_TEST_TMPDIR/rules run gate
	echo "$output"
	assert_success
	printf '%s\n' 'icount other/ns_per_page best 5' 'icount ns_per_page best 0.5' '* * off' \
		>"$BATS_TEST_TMPDIR/rules"
	RULES=$BATS_TEST_TMPDIR/rules run gate
	assert_failure 1
}

@test "gate: another base, QEMU, gcc, workload source or kernel series cannot be compared (exit 2, named)" {
	local key value
	for key in base_tarball_sha256 qemu tool_gcc bench_sha256 kernel_a; do
		gate_fixture 4096 1.0 1.0
		case $key in
		kernel_a) value="series=9999 config=2222" ;;
		*) value=other ;;
		esac
		sed -i "s/^$key\t.*/$key\t$value/" "$BATS_TEST_TMPDIR/new/manifest"
		run gate
		echo "$output"
		assert_failure 2
		grep -q "cannot compare: ${key#tool_} differs: baseline '.*', run '$value'" <<<"$output"
	done
}

@test "gate: --anyway compares, and every line it prints says so" {
	gate_fixture 4096 1.01 1.0
	sed -i "s/^qemu\t.*/qemu\tQEMU emulator version 9/" "$BATS_TEST_TMPDIR/new/manifest"
	run "$TOP/scripts/gate.sh" --anyway "$BATS_TEST_TMPDIR/new" "$BATS_TEST_TMPDIR/base"
	echo "$output"
	assert_failure 1
	[ "$(grep -c . <<<"$output")" -gt 3 ]
	[ "$(grep -vc '\[compared anyway: qemu differ\]' <<<"$output")" -eq 0 ]
}

@test "gate: a missing manifest cannot be compared" {
	gate_fixture 4096 1.0 1.0
	rm "$BATS_TEST_TMPDIR/base/manifest"
	run gate
	assert_failure 2
	grep -q "cannot compare: no manifest beside .*/base" <<<"$output"
}

@test "gate: a bad rule is reported once, exit 2" {
	gate_fixture 4096 1.0 1.0
	printf 'icount ns_per_page nosuchkind 1\n' >"$BATS_TEST_TMPDIR/rules"
	RULES=$BATS_TEST_TMPDIR/rules run gate
	echo "$output"
	assert_failure 2
	[ "$(grep -c 'bad rule' <<<"$output")" -eq 1 ]
	[ "$(grep -c 'no metric of the run' <<<"$output")" -eq 0 ]
}

@test "gate: a filesystem or variant missing from the run fails, named" {
	gate_fixture 4096 1.0 1.0
	# the baseline also measured ext2; the run did not
	sed 's/\text4\t/\text2\t/' "$BATS_TEST_TMPDIR/base/results.tsv" | sed 1d >"$BATS_TEST_TMPDIR/ext2"
	cat "$BATS_TEST_TMPDIR/ext2" >>"$BATS_TEST_TMPDIR/base/results.tsv"
	run gate
	echo "$output"
	assert_failure 1
	grep -q '^MISSING in the run: a ext2 fault' <<<"$output"
	grep -q ', 0 regressed, [1-9][0-9]* missing' <<<"$output"
}

@test "gate: an improvement beyond the rule is listed, and passes" {
	gate_fixture 4096 0.98 1.0
	run gate
	echo "$output"
	assert_success
	grep -q "improved beyond the same rules" <<<"$output"
	grep -qE -- '-2\.00% .*ns_per_page \[icount\]' <<<"$output"
	grep -q ', 0 regressed, 0 missing, [1-9][0-9]* improved' <<<"$output"
}

@test "summary: a long label is never cut; a one-sided case makes no block" {
	fixture "$BATS_TEST_TMPDIR/r.tsv" 4096 4096 1.0 1.0
	awk -F'\t' -v OFS='\t' 'NR > 1 && $2 == "tcg" { $2 = "tcg-numa"; $7 = "write_clat_mean" } 1' \
		"$BATS_TEST_TMPDIR/r.tsv" >"$BATS_TEST_TMPDIR/r2.tsv"
	# a case only variant b has
	awk -F'\t' -v OFS='\t' 'NR > 1 && $1 == "b" { $6 = "only=b"; print }' \
		"$BATS_TEST_TMPDIR/r.tsv" >>"$BATS_TEST_TMPDIR/r2.tsv"
	run summary "$BATS_TEST_TMPDIR/r2.tsv"
	echo "$output"
	grep -qx '    write_clat_mean \[tcg-numa\]' <<<"$output"
	! grep -q 'only=b' <<<"$output" || false
	! grep -q 'no samples' <<<"$output" || false
	[ "$(LC_ALL=C awk '{ l = $0; gsub(/±/, "x", l); if (length(l) > 72) n++ } END { print n + 0 }' <<<"$output")" -eq 0 ]
}

@test "compare: two runs side by side, common cells only, manifests' differences first" {
	mkdir -p "$BATS_TEST_TMPDIR/A" "$BATS_TEST_TMPDIR/B"
	fixture "$BATS_TEST_TMPDIR/A/results.tsv" 4096 4096 1.0 1.0
	# run B: variant a 10 % slower on icount, plus a case A never ran
	awk -F'\t' -v OFS='\t' 'NR > 1 && $1 == "a" && $2 == "icount" && $7 == "ns_per_page" { $10 *= 1.1 } 1' \
		"$BATS_TEST_TMPDIR/A/results.tsv" >"$BATS_TEST_TMPDIR/B/results.tsv"
	awk -F'\t' -v OFS='\t' 'NR > 1 && $1 == "a" { $6 = "size=1G"; print }' \
		"$BATS_TEST_TMPDIR/A/results.tsv" >>"$BATS_TEST_TMPDIR/B/results.tsv"
	printf 'qemu\t7.2\nkernel_a\tseries=1\n' >"$BATS_TEST_TMPDIR/A/manifest"
	printf 'qemu\t7.2\nkernel_a\tseries=2\n' >"$BATS_TEST_TMPDIR/B/manifest"
	run "$TOP/scripts/compare.sh" "$BATS_TEST_TMPDIR/A" "$BATS_TEST_TMPDIR/B"
	echo "$output"
	assert_success
	grep -q '^  kernel_a$' <<<"$output"
	grep -q '^    B: series=2$' <<<"$output"
	! grep -q '^  qemu$' <<<"$output" || false
	grep -q '^Cells .*: 4 in both,$' <<<"$output"
	grep -q '^0 only in A, 2 only in B (not compared)\.$' <<<"$output"
	grep -qE '^ +\+10\.0% +3200 -> 3520 +ns_per_page \[icount\]$' <<<"$output"
	grep -q '^B.a is WORSE than A.a here' <<<"$output"
}

@test "compare: runs without a variant in common cannot be compared" {
	mkdir -p "$BATS_TEST_TMPDIR/A" "$BATS_TEST_TMPDIR/B"
	fixture "$BATS_TEST_TMPDIR/A/results.tsv" 1 1 1 1
	sed '/^a\t/d' "$BATS_TEST_TMPDIR/A/results.tsv" >"$BATS_TEST_TMPDIR/B/results.tsv"
	sed -i '/^b\t/d' "$BATS_TEST_TMPDIR/A/results.tsv"
	run "$TOP/scripts/compare.sh" "$BATS_TEST_TMPDIR/A" "$BATS_TEST_TMPDIR/B"
	assert_error "runs A and B have no variant in common"
}

# results.tsv of variant a with every kind the default rules cover:
# 3 boots x 3 reps; scale factors for b's writeback_pages ($1), icount
# flush_ns_per_page ($2) and read_bw ($3), and tcg ns_per_page per boot
# ($4), and a factor for all but the first of b's tcg windows ($5, default
# 1); reps scatter +-20 % inside every boot on both sides alike.
kinds_fixture() {
	awk -v wp="$1" -v fl="$2" -v bw="$3" -v tf="$4" -v slow="${5:-1}" 'BEGIN {
		OFS = "\t"
		print "variant", "accel", "round", "fs", "workload", "case", "metric", "unit", "rep", "value"
		for (side = 0; side <= 1; side++)
		for (r = 1; r <= 3; r++) for (rep = 1; rep <= 3; rep++) {
			v = side ? "b" : "a"
			s = 1 + (rep - 2) * 0.2
			print v, "icount", r, "ext4", "writeback", "flush=msync", "writeback_pages", "count", rep, 256 * (side ? wp : 1)
			print v, "icount", r, "ext4", "writeback", "flush=msync", "flush_ns_per_page", "ns", rep, 900 * (side ? fl : 1)
			print v, "icount", r, "ext4", "fio", "job=x", "read_bw", "KiB/s", rep, 1000 * (side ? bw : 1)
			w = side && !(r == 1 && rep == 1) ? slow : 1
			print v, "tcg", r, "ext4", "fault", "map=pte", "ns_per_page", "ns", rep, 8000 * s * w * (side ? tf : 1) * (1 + r * 0.01)
		}
	}' | sed '/^b\t/s/^b/B/' >"$BATS_TEST_TMPDIR/k.tsv"
	mkdir -p "$BATS_TEST_TMPDIR/base" "$BATS_TEST_TMPDIR/new"
	manifests
	awk -F'\t' '$1 != "B"' "$BATS_TEST_TMPDIR/k.tsv" >"$BATS_TEST_TMPDIR/base/results.tsv"
	awk -F'\t' -v OFS='\t' 'NR == 1 { print; next } $1 == "B" { $1 = "a"; print }' \
		"$BATS_TEST_TMPDIR/k.tsv" >"$BATS_TEST_TMPDIR/new/results.tsv"
}

@test "gate: metrics beyond faults are gated by kind: writeback pages, flush cost, bandwidth" {
	kinds_fixture 1 1 1 1
	run gate
	echo "$output"
	assert_success
	grep -q 'gate: 4 metrics checked, 0 regressed' <<<"$output"
	# three times the pages written back
	kinds_fixture 3 1 1 1
	run gate
	assert_failure 1
	grep -q 'writeback_pages \[icount\] (slack 2 5)' <<<"$output"
	# twice the flush cost per dirty page
	kinds_fixture 1 2 1 1
	run gate
	assert_failure 1
	grep -qE '\+100\.00% .*flush_ns_per_page \[icount\] \(best 3\)' <<<"$output"
	# a rate regresses when it falls, and improves when it rises
	kinds_fixture 1 1 0.9 1
	run gate
	echo "$output"
	assert_failure 1
	grep -qE -- '-10\.00% .*read_bw \[icount\] \(best 0\.5\)' <<<"$output"
	kinds_fixture 1 1 1.1 1
	run gate
	assert_success
	grep -q ', 0 regressed, 0 missing, 1 improved' <<<"$output"
}

@test "gate: emulated times are judged on the best window, not the mean" {
	# every window but one at twice the time (plain TCG's slow speed,
	# reports/tcg-speeds): the best window is the same, so no regression
	kinds_fixture 1 1 1 1 2
	run gate
	echo "$output"
	assert_success
	# +250 % in every window: inside what the two speeds can make
	kinds_fixture 1 1 1 3.5
	run gate
	assert_success
	# +400 % in every window: beyond
	kinds_fixture 1 1 1 5
	run gate
	echo "$output"
	assert_failure 1
	grep -qE '\+400\.00% .*ns_per_page \[tcg\] \(best 300\)' <<<"$output"
}

@test "gate: a metric with a direction and no rule stops the gate, named" {
	kinds_fixture 1 1 1 1
	printf '%s\n' '* kind=count slack 2 5' '* kind=time best 1' >"$BATS_TEST_TMPDIR/rules"
	RULES=$BATS_TEST_TMPDIR/rules run gate
	echo "$output"
	assert_failure 2
	grep -q 'no rule in .* for metric read_bw (kind rate, accel icount)' <<<"$output"
	# an "off" rule leaves it out on purpose
	printf '%s\n' '* kind=rate off' >>"$BATS_TEST_TMPDIR/rules"
	RULES=$BATS_TEST_TMPDIR/rules run gate
	assert_success
	grep -q 'gate: 3 metrics checked' <<<"$output"
}

@test "gate: a variant deleted from the run fails, named" {
	gate_fixture 4096 1.0 1.0
	# the baseline also has variant z
	sed '1d; s/^a\t/z\t/' "$BATS_TEST_TMPDIR/base/results.tsv" >"$BATS_TEST_TMPDIR/z"
	cat "$BATS_TEST_TMPDIR/z" >>"$BATS_TEST_TMPDIR/base/results.tsv"
	run gate
	echo "$output"
	assert_failure 1
	grep -q '^MISSING in the run: z ext4 fault' <<<"$output"
}

@test "gate: a stored run with only its metrics.tsv.gz is compared like results" {
	gate_fixture 4096 1.01 1.0
	awk -v registry="$TOP/configs/metrics" -f "$TOP/scripts/awk/metrics.awk" \
		"$BATS_TEST_TMPDIR/new/results.tsv" | gzip >"$BATS_TEST_TMPDIR/new/metrics.tsv.gz"
	rm "$BATS_TEST_TMPDIR/new/results.tsv"
	run gate
	echo "$output"
	assert_failure 1
	grep -q 'metrics.tsv.gz against' <<<"$output"
	grep -q 'ns_per_page \[icount\] (best 0.5)' <<<"$output"
}

@test "report: plots carry error bars, and a first-touch tail plot per filesystem" {
	mkdir -p "$BATS_TEST_TMPDIR/run/boots"
	fixture "$BATS_TEST_TMPDIR/run/results.tsv" 4096 8 0.6 0.9
	# the same samples as a first touch, with latency percentiles
	awk -F'\t' -v OFS='\t' 'NR > 1 && $7 == "ns_per_page" && $2 == "icount" {
		$6 = "map=pte,op=read,order=seq,thr=1,sit=first,layout=written,size=16M"
		for (i = split("lat_p50 lat_p90 lat_p99 lat_max", m, " "); i >= 1; i--) {
			$7 = m[i]; $10 = $10 * 2; print
		}
	}' "$BATS_TEST_TMPDIR/run/results.tsv" >"$BATS_TEST_TMPDIR/first"
	cat "$BATS_TEST_TMPDIR/first" >>"$BATS_TEST_TMPDIR/run/results.tsv"
	printf 'run\trun\nbase_package\tlinux-source-6.1 6.1.192-2\n' >"$BATS_TEST_TMPDIR/run/manifest"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	echo "$output"
	assert_success
	d=$BATS_TEST_TMPDIR/reports/run/plots
	head -n 1 "$d/ext4-icount-ns.dat" | grep -qx $'case\ta\ta_sd\tb\tb_sd'
	[ -s "$d/ext4-first-touch-tail.png" ] && [ -s "$d/ext4-first-touch-tail.svg" ]
	[ "$(cut -f1 "$d/ext4-first-touch-tail.dat" | tr '\n' ' ')" = "percentile p50 p90 p99 max " ]
}

@test "report: a committed report folder is made again in place, profiles kept" {
	mkdir -p "$BATS_TEST_TMPDIR/run/boots" "$BATS_TEST_TMPDIR/run/profiles/a"
	fixture "$BATS_TEST_TMPDIR/run/results.tsv" 4096 8 0.6 0.9
	printf 'run\tthe-run-id\nbase_package\tlinux-source-6.1 6.1.192-2\n' >"$BATS_TEST_TMPDIR/run/manifest"
	printf '    30.00%%  [k] dax_a_fault\n' >"$BATS_TEST_TMPDIR/run/profiles/a/profile.txt"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$TOP/scripts/report.sh" "$BATS_TEST_TMPDIR/run"
	assert_success
	d=$BATS_TEST_TMPDIR/reports/run
	cp "$d/summary.txt" "$BATS_TEST_TMPDIR/first"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$TOP/scripts/report.sh" "$d"
	echo "$output"
	assert_success
	cmp "$BATS_TEST_TMPDIR/first" "$d/summary.txt"
	grep -q 'dax_a_fault' "$d/profiles/a.txt"
	grep -q '^daxbench summary: run the-run-id$' "$d/summary.txt"
}

@test "gate: CI's rules put their own lines first and include the rest" {
	# a TCG change CI cannot judge (another session's host) is off there
	kinds_fixture 1 1 1 3.5
	RULES=$TOP/configs/gate-ci.conf run gate
	echo "$output"
	assert_success
	# the included gate.conf still gates the rest: 3x the pages written back
	kinds_fixture 3 1 1 1
	RULES=$TOP/configs/gate-ci.conf run gate
	assert_failure 1
	grep -q 'writeback_pages \[icount\] (slack 2 5)' <<<"$output"
}

@test "plots: extent size, writeback, window, boot strips, threads and NUMA from a committed run" {
	local d=$BATS_TEST_TMPDIR/run p v
	mkdir -p "$d"
	cp "$TOP/reports/ref-full/metrics.tsv.gz" "$TOP/reports/ref-full/manifest" "$d/"
	run "$TOP/scripts/plots.sh" "$d"
	echo "$output"
	assert_success
	for p in extent-icount-ns extent-fs-calls writeback-dirty writeback-flush \
		window boot-strips threads-tcg-ns numa-tcg-ns; do
		[ -s "$d/plots/ext4-$p.png" ] && [ -s "$d/plots/ext4-$p.svg" ] && [ -s "$d/plots/ext4-$p.dat" ]
	done
	# the extent plot's x is the measured extent size, ascending per variant
	awk -F'\t' '/^#/ || NF == 0 { last = 0; next }
		$1 + 0 < last { print "not sorted: " $0; bad = 1 } { last = $1 + 0 }
		END { exit bad }' "$d/plots/ext4-extent-icount-ns.dat"
	# every variant of the run, in the run's order
	v=$(gzip -dc "$d/metrics.tsv.gz" | awk -F'\t' 'NR > 1 && !seen[$1]++ { printf " %s", $1 }')
	[ "$(wc -w <<<"$v")" -eq 4 ]
	grep -qx "# variants$v" "$d/plots/ext4-extent-icount-ns.dat"
	# the floor is device-dax's first-touch read, drawn as a line
	grep -q 'device-dax floor' "$d/plots/ext4-extent-icount-ns.svg"
	# pfn's windows ascending, the whole extent last; the others for reference
	[ "$(awk 'NR > 1 && !/^#/ { printf "%s ", $1 }' "$d/plots/ext4-window.dat")" = "window 1 16 512 extent " ]
	grep -q '^# ref iomap ' "$d/plots/ext4-window.dat"
	# every boot of every multi-boot icount fault cell is a point
	p=$(gzip -dc "$d/metrics.tsv.gz" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["fs"] == "ext4" && $c["accel"] == "icount" && $c["workload"] == "fault" &&
		$c["metric"] == "ns_per_page" && $c["params"] == "-" && $c["boots"] > 1 { n += $c["boots"] }
		END { print n }')
	[ "$p" -gt 0 ] && [ "$(grep -c '^[0-9]' "$d/plots/ext4-boot-strips.dat")" -eq "$p" ]
	# the thread plot holds the 1- and 2-thread cases only
	cut -f1 "$d/plots/ext4-threads-tcg-ns.dat" | grep -q '^pte/read/t2/'
	! cut -f1 "$d/plots/ext4-threads-tcg-ns.dat" | grep -q 'pmd\|write' || false
}

@test "gate: kernels are the same when their source tree is, whatever the series hash" {
	# both name a tree: a re-cut series (other hash, same tree) compares
	gate_fixture 4096 1.0 1.0
	sed -i 's/^kernel_a\t.*/kernel_a\tseries=1111 config=2222 tree=abcd/' "$BATS_TEST_TMPDIR/base/manifest"
	sed -i 's/^kernel_a\t.*/kernel_a\tseries=9999 config=2222 tree=abcd/' "$BATS_TEST_TMPDIR/new/manifest"
	run gate
	echo "$output"
	assert_success
	# another tree does not
	sed -i 's/^kernel_a\t.*/kernel_a\tseries=1111 config=2222 tree=ef01/' "$BATS_TEST_TMPDIR/new/manifest"
	run gate
	assert_failure 2
	grep -q "cannot compare: kernel_a differs" <<<"$output"
	# a baseline from before trees were recorded: the series decides
	sed -i 's/^kernel_a\t.*/kernel_a\tseries=1111 config=2222/' "$BATS_TEST_TMPDIR/base/manifest"
	run gate
	echo "$output"
	assert_success
	sed -i 's/^kernel_a\t.*/kernel_a\tseries=9999 config=2222 tree=ef01/' "$BATS_TEST_TMPDIR/new/manifest"
	run gate
	assert_failure 2
}

@test "report: application rows whose boots disagree are marked, stable ones not" {
	local out
	# two application rows of iomap and pfn: manyfiles' boots 5 % apart,
	# lmdb's within 1.5 %
	out=$(awk 'BEGIN {
		OFS = "\t"
		print "variant", "accel", "fs", "workload", "case", "params", "metric", "median", "mean", "boot_means"
		print "iomap", "icount", "xfs", "manyfiles", "phase=first,filesize=64K", "-", "ops_per_s", 1000, 1000, "980,1000,1030"
		print "pfn", "icount", "xfs", "manyfiles", "phase=first,filesize=64K", "-", "ops_per_s", 1200, 1200, "1200,1200,1200"
		print "iomap", "icount", "ext2", "lmdb", "phase=get", "-", "ops_per_s", 2000, 2000, "1990,2000,2015"
		print "pfn", "icount", "ext2", "lmdb", "phase=get", "-", "ops_per_s", 2200, 2200, "2200,2201,2202"
	}' | awk -v ref=iomap -v path_accel=icount -f "$TOP/scripts/awk/lib.awk" -f "$TOP/scripts/awk/apps.awk")
	echo "$out"
	grep -Eq '^  manyfiles first 64K +xfs +1000 +1.20 !$' <<<"$out"
	grep -Eq '^  lmdb get +ext2 +2000 +1.10$' <<<"$out"
	grep -q '^  ! boots of one kernel differ by more than 3 % in this row' <<<"$out"
	[ "$(awk '{ if (length($0) > 72) n++ } END { print n + 0 }' <<<"$out")" -eq 0 ]
}

# lat_max [icount] rows of variant a: the worst fault of each of 3x3
# windows; $1 the file, $2 the value of every window but the first, $3
# the first window's.
worst_fault_rows() {
	awk -v v="$2" -v first="$3" 'BEGIN {
		OFS = "\t"
		print "variant", "accel", "round", "fs", "workload", "case", "metric", "unit", "rep", "value"
		c = "map=pte,op=read,order=seq,thr=1,sit=first,layout=written,size=16M"
		for (r = 1; r <= 3; r++) for (rep = 1; rep <= 3; rep++)
			print "a", "icount", r, "xfs", "fault", c, "lat_max", "ns", rep, (r == 1 && rep == 1) ? first : v
	}' >"$1"
}

@test "gate: the worst fault's interrupt luck passes, a doubled tail fails" {
	manifests
	# the fresh machine's false alarm: a baseline with one lucky window
	worst_fault_rows "$BATS_TEST_TMPDIR/base/results.tsv" 15230 13427
	worst_fault_rows "$BATS_TEST_TMPDIR/new/results.tsv" 15226 15226
	run gate
	echo "$output"
	assert_success
	worst_fault_rows "$BATS_TEST_TMPDIR/new/results.tsv" 30452 30452
	run gate
	echo "$output"
	assert_failure 1
	grep -q 'lat_max \[icount\] (best 30)' <<<"$output"
}
