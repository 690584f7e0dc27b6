#!/usr/bin/env bats
# The gate on committed data (reports/gate-reruns): a baseline of the
# quick matrix and reruns of the same kernels and workloads made right
# after it on this host (how: reports/gate-reruns/README).  No rerun
# may fail the gate, and +1 % path length on any variant's re-fault
# fast path must.

load helpers

RERUNS=$TOP/reports/gate-reruns

reruns() { find "$RERUNS" -mindepth 1 -maxdepth 1 -type d -name 'r[0-9]*' | sort; }

@test "gate: no rerun of the same kernels is a false alarm" {
	local n
	n=$(reruns | wc -l)
	echo "# $n reruns" >&3
	[ "$n" -ge 20 ]
	# shellcheck disable=SC2046  # one folder per word
	run "$TOP/scripts/gate-calibrate.sh" "$RERUNS/baseline" $(reruns)
	echo "$output"
	assert_success
	! grep -q 'FAILS the gate' <<<"$output" || false
}

# Rerun $1's metrics with every statistic of variant $2's icount
# ns_per_page in the PTE read re-fault cell on ext4 scaled by $3.
scaled() {
	local d=$BATS_TEST_TMPDIR/$2
	mkdir -p "$d"
	cp "$1/manifest" "$d/"
	gzip -dc "$1/metrics.tsv.gz" | awk -F'\t' -v OFS='\t' -v v="$2" -v f="$3" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
	$c["variant"] == v && $c["accel"] == "icount" && $c["fs"] == "ext4" &&
	$c["workload"] == "fault" && $c["metric"] == "ns_per_page" &&
	# committed metrics carry the case keys of their day
	$c["case"] ~ /^map=pte,op=read,order=seq,(thr|threads)=1,(sit|situation)=refault,/ {
		split("mean median min max", s, " ")
		for (i = 1; i <= 4; i++) $c[s[i]] *= f
		n = split($c["boot_means"], b, ",")
		$c["boot_means"] = ""
		for (i = 1; i <= n; i++)
			$c["boot_means"] = $c["boot_means"] (i > 1 ? "," : "") b[i] * f
	}
	{ print }' | gzip >"$d/metrics.tsv.gz"
	echo "$d"
}

@test "gate: +1 % path length in any variant's re-fault fast path fails, on committed data" {
	local v first n=0
	first=$(reruns | head -n 1)
	for v in $(gzip -dc "$first/metrics.tsv.gz" | awk -F'\t' 'NR > 1 { print $1 }' | sort -u); do
		run "$TOP/scripts/gate.sh" "$(scaled "$first" "$v" 1.01)" "$RERUNS/baseline"
		echo "$output"
		assert_failure 1
		grep -qE "^ .*\+1\.[0-9]+% .*ns_per_page \[icount\] \(best 0\.5\)$" <<<"$output"
		grep -q "^$v ext4 fault map=pte,op=read,order=seq,threads=1,situation=refault," <<<"$output"
		# and +0.3 % passes
		run "$TOP/scripts/gate.sh" "$(scaled "$first" "$v" 1.003)" "$RERUNS/baseline"
		assert_success
		n=$((n + 1))
	done
	echo "# $n variants" >&3
	[ "$n" -ge 4 ]
}

# The AMD host's runs (reports/gate-reruns-amd), every one gated
# against every other with the icount rules: the applications' rules
# (manyfiles best 3) were set from them.
@test "gate: runs on the AMD host pass against each other, in all twelve orders (icount)" {
	local d=$TOP/reports/gate-reruns-amd rules=$BATS_TEST_TMPDIR/icount.conf b r others
	{ echo 'tcg* * off'; cat "$TOP/configs/gate.conf"; } >"$rules"
	for b in baseline r01 r02 r03; do
		others=()
		for r in baseline r01 r02 r03; do
			[ "$b" = "$r" ] || others+=("$d/$r")
		done
		DAXBENCH_GATE_RULES=$rules run "$TOP/scripts/gate-calibrate.sh" "$d/$b" "${others[@]}"
		echo "$output"
		assert_success
		grep -q "^3 runs against $b;" <<<"$output"
		! grep -q 'FAILS the gate' <<<"$output" || false
	done
}
