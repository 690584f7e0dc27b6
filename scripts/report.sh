#!/usr/bin/env bash
# Turn a finished run into reports/<run-id>/: the raw TSV, the manifest,
# summary.txt (72 columns, LKP style) and plots.  The folder appears whole
# or not at all.
#
# usage: report.sh RUN        RUN: a run id, 'latest', or a run directory
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

DEFAULT_PAIRS="getblock:pfn iomap:pfn iomap:getblock iomap:control control:pfn"
REPORTS=${DAXBENCH_REPORTS:-$DAXBENCH_TOP/reports}
DEFAULT_HEADLINE=map=pte,op=read,order=seq,thr=1,sit=refault

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
			own=$((own + $(find "$PATCHES_DIR/$s" -name '0*.patch' ! -name '0000-*' | wc -l)))
		done
		if [ "$own" -eq 0 ] && [ "$v" != iomap ]; then
			echo
			echo "NOTE: variant $v has no patches of its own yet: its kernel is"
			echo "the base with the instrumentation only, not the $v design."
		fi
	done < <(cut -f1 "$1/results.tsv" | sort -u)
}

# perf stat of the profiled cell per variant, and where the profiles are.
profiles_summary() {
	local run=$1 f cell=''
	[ -d "$run/profiles" ] || return 0
	echo
	echo "perf stat, one plain-TCG boot per variant (profiles/<variant>.txt:"
	echo "perf record -e cpu-clock -g of the same cell, perf report --stdio):"
	printf '  %-10s %14s %12s %12s\n' variant task-clock-ms page-faults ctx-switches
	for f in "$run"/profiles/*/perfstat.tsv; do
		[ -s "$f" ] || continue
		awk -F'\t' -v v="$(basename "$(dirname "$f")")" '
			{ e[$4] = $7 }
			END { printf "  %-10s %14.1f %12d %12d\n", v, e["task-clock"],
				e["page-faults"], e["context-switches"] }' "$f"
		cell=$(cut -f3 "$f" | head -n 1)
	done
	echo "  cell: $cell" | cut -c1-72
}

summary() {
	local run=$1
	echo "daxbench summary: run $(basename "$run")"
	grep -E '^(base_package|base_tarball_sha256|qemu|accelerators|guest|host_cpu)	' \
		"$run/manifest" | awk -F'\t' '{ printf "%s: %s\n", $1, $2 }' | cut -c1-72
	cat <<'TXT'

Each cell: mean and relative stddev over all samples (boots x
repetitions) of the left and right variant; %change is right against
left.  "~" means not significant: Welch's |t| < 3, or both sides
without spread and equal.  Counts come from the guest kernel (debugfs
dax/stats, getrusage); [icount] times are guest instructions (QEMU
-icount shift=0: 1 ns = 1 instruction); [tcg] times are emulated time.

The first section judges per boot: a boot counts as the mean of its
repetitions; a change is listed when Welch's t over boot means reaches
3, it is at least 1 %, the metric has a better direction
(configs/metrics), and, for emulated times, it exceeds the spread of
the device-dax control between the same two kernels.  The tables after
the overview use every sample (rounds x repetitions) as before.
TXT
	echo
	echo "Where each comparison loses, then where it wins:"
	awk -v pairs="$PAIRS" -v registry="$CONFIGS_DIR/metrics" \
		-f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/regressions.awk" "$run/results.tsv" ||
		die "summary of run $(basename "$run") failed (see above)"
	echo
	echo "Overview: $HEADLINE"
	echo
	awk -v headline="$HEADLINE" -f "$DAXBENCH_TOP/scripts/awk/overview.awk" "$run/results.tsv"
	empty_series "$run"
	awk -v pairs="$PAIRS" -v registry="$CONFIGS_DIR/metrics" \
		-f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/summary.awk" "$run/results.tsv"
	profiles_summary "$run"
	if [ -s "$run/skipped" ]; then
		echo
		echo "Not measured (the variant or guest cannot do it):"
		sort -u "$run/skipped" | cut -c1-70 | sed 's/^/  /'
	fi
}

copy_profiles() {
	local run=$1 stage=$2 d v
	[ -d "$run/profiles" ] || return 0
	mkdir -p "$stage/profiles"
	for d in "$run"/profiles/*/; do
		v=$(basename "$d")
		[ ! -s "$d/profile.txt" ] || cp "$d/profile.txt" "$stage/profiles/$v.txt"
		[ ! -s "$d/perfstat.tsv" ] || cp "$d/perfstat.tsv" "$stage/profiles/$v-perfstat.tsv"
	done
}

main() {
	local run id out stage
	[ $# -eq 1 ] || die "usage: report.sh RUN"
	run=$(resolve_run "$1")
	id=$(basename "$run")
	[ -s "$run/results.tsv" ] || die "run $id has no results.tsv (unfinished? resume it with bench-all --run $id)"
	[ -s "$run/manifest" ] || die "run $id has no manifest; a report without one is not a report"
	PAIRS=$(setting DAXBENCH_PAIRS "$run/manifest" "$DEFAULT_PAIRS")
	HEADLINE=$(setting DAXBENCH_HEADLINE "$run/manifest" "$DEFAULT_HEADLINE")
	# the boots' skip lines, unless the run only has its list (a committed run)
	if compgen -G "$run/boots/*/skipped" >/dev/null; then
		cat "$run"/boots/*/skipped | sort -u >"$run/skipped"
	fi
	cache_mkdir "$REPORTS"
	out=$REPORTS/$id
	stage=$(mktemp -d "$REPORTS/.$id.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	cp "$run/results.tsv" "$run/manifest" "$stage/"
	[ ! -s "$run/skipped" ] || cp "$run/skipped" "$stage/"
	copy_profiles "$run" "$stage"
	awk -v registry="$CONFIGS_DIR/metrics" -f "$DAXBENCH_TOP/scripts/awk/metrics.awk" \
		"$run/results.tsv" >"$stage/metrics.tsv" ||
		die "metrics stage of run $id failed (see above)"
	summary "$run" >"$stage/summary.txt"
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
