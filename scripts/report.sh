#!/usr/bin/env bash
# Turn a finished run into reports/<run-id>/: the raw TSV, the manifest,
# summary.txt (72 columns, LKP style) and plots.  The folder appears whole
# or not at all.
#
# usage: report.sh RUN        RUN: a run id, 'latest', or a run directory
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

REPORTS=$REPORTS_DIR
REFERENCE=$(reference_variant)

# The comparisons a report makes, "A:B" (B against A): the reference
# against every other variant, then each variant against those its
# kernels/<v>.conf names in VARIANT_COMPARE.
default_pairs() {
	local v c pairs='' extra=''
	for v in $(known_variants); do
		[ "$v" != "$REFERENCE" ] || continue
		pairs+=" $REFERENCE:$v"
		# shellcheck source=/dev/null
		for c in $(VARIANT_COMPARE=''; . "$KERNELS_DIR/$v.conf"; echo "$VARIANT_COMPARE"); do
			extra+=" $c:$v"
		done
	done
	pairs+=$extra
	echo "${pairs# }"
}

# A setting from the environment, else the one the run recorded in its
# manifest (so a report of an old run is made as it was), else $3.
setting() {
	local name=$1 manifest=$2 v
	if [ -n "${!name:-}" ]; then
		echo "${!name}"
		return
	fi
	v=$(awk -F'\t' -v k="env_$name" '$1 == k { print $2; exit }' "$manifest")
	if [ -n "$v" ] && [ "$v" != "(unset)" ]; then echo "$v"; else echo "$3"; fi
}

# DAXBENCH_PAIRS is "A:B C:D": variant names, a colon, spaces between.
check_pairs() {
	local w
	for w in $1; do
		[[ $w =~ ^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$ ]] ||
			die "DAXBENCH_PAIRS: '$w' is not a pair A:B of variant names (pairs are separated by spaces)"
	done
}

resolve_run() {
	local r=$1
	if [ -d "$r" ]; then
		(cd "$r" && pwd -P)
	elif [ -d "$RUN_ROOT/$r" ]; then
		(cd "$RUN_ROOT/$r" && pwd -P)
	else
		die "no run '$r' (looked in $RUN_ROOT); run 'make bench-all' first"
	fi
}

# A variant whose own series is empty is the base kernel: say so.
empty_series() {
	local v s own
	while read -r v; do
		[ "$v" != variant ] || continue
		[ -f "$KERNELS_DIR/$v.conf" ] || continue
		own=0
		# shellcheck source=/dev/null
		for s in $(. "$KERNELS_DIR/$v.conf"; echo "$VARIANT_SERIES"); do
			[ "$s" = common ] && continue
			[ -d "$PATCHES_DIR/$s" ] ||
				die "variant $v: patch series '$s' (patches/$s) does not exist"
			own=$((own + $(find "$PATCHES_DIR/$s" -name '0*.patch' ! -name '0000-*' | wc -l)))
		done
		if [ "$own" -eq 0 ] && [ "$v" != "$REFERENCE" ]; then
			echo
			echo "NOTE: variant $v has no patches of its own yet: its kernel is"
			echo "the base with the instrumentation only, not the $v design."
		fi
	done < <(cut -f1 "$1/results.tsv" | sort -u)
}

# Print $1 then the comma-separated $2, wrapped within 72 columns.
wrap_line() {
	awk -v l="$1" -v c="$2" -f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f <(echo 'BEGIN { wrap_case(l, c, "        ") }')
}

# perf stat of the profiled cell per variant, and where the profiles are
# (the report's layout: profiles/<variant>-perfstat.tsv).
profiles_summary() {
	local run=$1 f cell=''
	[ -d "$run/profiles" ] || return 0
	echo
	echo "perf stat, one plain-TCG boot per variant (profiles/<variant>.txt:"
	echo "perf record -e cpu-clock -g of the same cell, perf report --stdio);"
	echo "share of the samples under the DAX fault handler and any page fault:"
	printf '  %-10s %13s %11s %9s %9s %9s\n' variant task-clock-ms page-faults ctx-sw dax-fault all-fault
	for f in "$run"/profiles/*-perfstat.tsv; do
		[ -s "$f" ] || continue
		v=$(basename "$f" -perfstat.tsv)
		awk -F'\t' -v v="$v" '
			{ e[$4] = $7 }
			function pct(k) { return (k in e) ? sprintf("%.1f%%", e[k]) : "-" }
			END { printf "  %-10s %13.1f %11d %9d %9s %9s\n", v, e["task-clock"],
				e["page-faults"], e["context-switches"], pct("dax_fault_share"),
				pct("fault_share") }' "$f"
		cell=$(cut -f3 "$f" | head -n 1)
	done
	wrap_line "  cell: " "$cell"
}

# The applications (workloads reporting ops_per_s) of metrics file $1, if
# the run has any: under the path-length accelerator $2 first, then under
# each other one that ran them (configs/accelerators).
apps_section() {
	local acc out pa=$2 others
	mapfile -t others < <(known_accels | grep -vxF -- "$pa")
	for acc in "$pa" "${others[@]}"; do
		# apps.awk prints nothing when the run has no application rows
		out=$(awk -v ref="$REFERENCE" -v accel="$acc" -v path_accel="$pa" -f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
			-f "$DAXBENCH_TOP/scripts/awk/apps.awk" "$1") ||
			die "applications section failed (see above)"
		[ -z "$out" ] || printf '\n%s\n' "$out"
	done
}

# summary.txt of a staged report folder (results.tsv, metrics.tsv,
# manifest, skipped, profiles).
summary() {
	local run=$1 metrics=$1/metrics.tsv pa
	pa=$(path_accel)
	echo "daxbench summary: run $(awk -F'\t' '$1 == "run" { print $2; exit }' "$run/manifest")"
	grep -E '^(base_package|base_tarball_sha256|qemu|accelerators|guest|host_cpu)	' \
		"$run/manifest" | awk -F'\t' '{ printf "%s: %s\n", $1, $2 }' | cut -c1-72
	cat <<TXT

All statistics come from metrics.tsv (the metrics stage,
scripts/awk/metrics.awk).  A boot is one guest boot of one variant on
one accelerator; it counts as the mean of its repetitions, which are
not independent of each other.  Significance is Welch's t over the
boot means, |t| >= 3 (or, with no spread on either side, any
difference).  Counts come from the guest kernel (debugfs dax/stats,
getrusage); [$pa] times are guest instructions (QEMU -icount
shift=0: 1 ns = 1 instruction), and their best sample ("min") is the
path length; [tcg] times are emulated time and move with the host.

The first section lists, per pair, every change beyond noise: at least
1 %, significant, the metric has a better direction (configs/metrics),
and, for emulated times, larger than the spread of the device-dax
control (identical code on every kernel) between the same two kernels.
The overview follows; then per case every metric: mean ±relative
stddev over all samples, "~" where not significant.
TXT
	echo
	echo "Where each comparison loses, then where it wins:"
	awk -v pairs="$PAIRS" -v path_accel="$pa" -f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/regressions.awk" "$metrics" ||
		die "summary of run $(basename "$run") failed (see above)"
	echo
	echo "Overview (configs/overview):"
	echo
	awk -v columns="$CONFIGS_DIR/overview" -v ref="$REFERENCE" \
		-f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/overview.awk" "$metrics" ||
		die "overview of run $(basename "$run") failed (see above)"
	apps_section "$metrics" "$pa"
	empty_series "$run"
	awk -v pairs="$PAIRS" -v registry="$CONFIGS_DIR/metrics" -v path_accel="$pa" \
		-f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/summary.awk" "$metrics"
	profiles_summary "$run"
	if [ -s "$run/skipped" ]; then
		echo
		echo "Not measured (the variant or guest cannot do it):"
		# wrapped at 72 columns, never cut
		sort -u "$run/skipped" | awk '{
			line = "  "
			for (i = 1; i <= NF; i++) {
				if (line !~ /^ *$/ && length(line) + 1 + length($i) > 72) {
					print line
					line = "      "
				}
				line = line (line ~ /^ *$/ ? "" : " ") $i
			}
			print line
		}'
	fi
}

# Profiles into the stage: a run keeps profiles/<variant>/{profile.txt,
# perfstat.tsv}, a report (a committed run) profiles/<variant>.txt and
# <variant>-perfstat.tsv already.
copy_profiles() {
	local run=$1 stage=$2 d v
	[ -d "$run/profiles" ] || return 0
	mkdir -p "$stage/profiles"
	for d in "$run"/profiles/*/; do
		[ -d "$d" ] || continue
		v=$(basename "$d")
		[ ! -s "$d/profile.txt" ] || cp "$d/profile.txt" "$stage/profiles/$v.txt"
		[ ! -s "$d/perfstat.tsv" ] || cp "$d/perfstat.tsv" "$stage/profiles/$v-perfstat.tsv"
	done
	find "$run/profiles" -maxdepth 1 -type f -exec cp {} "$stage/profiles/" \;
}

# The samples of a run or a report into $2: results.tsv, else the
# committed results.tsv.gz.
copy_results() {
	if [ -s "$1/results.tsv" ]; then
		cp "$1/results.tsv" "$2/"
	else
		gzip -dc "$1/results.tsv.gz" >"$2/results.tsv"
	fi
}

main() {
	local run id out
	[ $# -eq 1 ] || die "usage: report.sh RUN"
	run=$(resolve_run "$1")
	id=$(basename "$run")
	[ -s "$run/results.tsv" ] || [ -s "$run/results.tsv.gz" ] ||
		die "run $id has no results.tsv (unfinished? resume it with bench-all --run $id)"
	[ -s "$run/manifest" ] || die "run $id has no manifest; a report without one is not a report"
	PAIRS=$(setting DAXBENCH_PAIRS "$run/manifest" "$(default_pairs)")
	check_pairs "$PAIRS"
	cache_mkdir "$REPORTS"
	out=$REPORTS/$id
	# global: the trap may run where main's locals are gone
	stage=$(mktemp -d "$REPORTS/.$id.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	copy_results "$run" "$stage"
	cp "$run/manifest" "$stage/"
	# the boots' skip lines, unless the run only has its list (a report)
	if compgen -G "$run/boots/*/skipped" >/dev/null; then
		cat "$run"/boots/*/skipped | sort -u >"$stage/skipped"
	elif [ -s "$run/skipped" ]; then
		cp "$run/skipped" "$stage/"
	fi
	copy_profiles "$run" "$stage"
	awk -v registry="$CONFIGS_DIR/metrics" -f "$DAXBENCH_TOP/scripts/awk/metrics.awk" \
		"$stage/results.tsv" >"$stage/metrics.tsv" ||
		die "metrics stage of run $id failed (see above)"
	summary "$stage" >"$stage/summary.txt"
	if [ -x "$DAXBENCH_TOP/scripts/plots.sh" ]; then
		"$DAXBENCH_TOP/scripts/plots.sh" "$stage" || die "plots failed for run $id"
	fi
	# Data is kept compressed: a full run is ~100k rows, its metrics 2 MiB.
	gzip -9n "$stage/results.tsv" "$stage/metrics.tsv"
	chmod 0755 "$stage"
	rm -rf "$out"
	mv "$stage" "$out"
	trap - EXIT
	log "report in ${out#"$DAXBENCH_TOP"/}/summary.txt"
}

main "$@"
