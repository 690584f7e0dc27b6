#!/usr/bin/env bash
# Compare two runs side by side (mmtests' compare-kernels, LKP's
# comparison): every variant both ran, run A's against run B's, with the
# report's own statistics: first where B is worse, then where it is
# better, then the full tables.  The runs may come from different series,
# bases or matrices: what differs in their manifests is listed first, and
# only the cells both measured are compared (how many are not, is said).
#
# usage: compare.sh A B      A, B: a run id (cache or reports/) or a folder
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The folder of run $1 that holds its data (lib.sh run_data) and manifest.
run_dir() {
	local f
	f=$(run_data "$1") ||
		die "no run '$1' with a results.tsv or metrics.tsv (looked in $RUN_ROOT and reports/)"
	(cd "$(dirname "$f")" && pwd -P)
}

# The metrics (scripts/awk/metrics.awk) of run folder $1, each variant
# renamed "$2.<variant>"; with the header line if $3 is 1.
prefixed_metrics() {
	run_metrics "$(run_data "$1")" |
		awk -F'\t' -v OFS='\t' -v p="$2" -v head="$3" '
			NR == 1 { for (i = 1; i <= NF; i++) if ($i == "variant") vc = i
				  if (head) print; next }
			{ $vc = p "." $vc; print }'
}

# Lines of the two manifests that differ, for the fields that say how a
# run was made (not its times or loads).
manifest_changes() {
	local a=$1 b=$2
	if [ ! -s "$a/manifest" ] || [ ! -s "$b/manifest" ]; then
		echo "  (a manifest is missing: cannot say how the runs differ)"
		return
	fi
	awk -F'\t' '
		$1 ~ /^(run|run_start|run_end|run_seconds|date|resumed|load_.*|matrix_text|daxbench_commit_end)$/ { next }
		FNR == NR { a[$1] = $2; next }
		{ b[$1] = $2 }
		END {
			for (k in a) if (!(k in b) || a[k] != b[k]) d[k] = 1
			for (k in b) if (!(k in a)) d[k] = 1
			for (k in d) printf "  %s\n    A: %s\n    B: %s\n", k, (k in a) ? a[k] : "(none)", (k in b) ? b[k] : "(none)"
		}' "$a/manifest" "$b/manifest" | paste - - - | sort | tr '\t' '\n' | cut -c1-72
}

main() {
	local a b ta tb pairs v
	[ $# -eq 2 ] || die "usage: compare.sh A B (run ids or folders; make compare A=... B=...)"
	a=$(run_dir "$1")
	b=$(run_dir "$2")
	ta=$(basename "$a")
	tb=$(basename "$b")
	MERGED=$(mktemp "${TMPDIR:-/tmp}/daxbench-compare.XXXXXX")
	trap 'rm -f "$MERGED"' EXIT
	# variant v of run A becomes "A:v" ... of B "B:v"; the pairs are A:v -> B:v
	{
		prefixed_metrics "$a" A 1
		prefixed_metrics "$b" B 0
	} >"$MERGED"
	pairs=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "variant") vc = i; next }
		{ split($vc, w, "."); side[w[1], substr($vc, 3)] = 1; if (w[1] == "A") v[substr($vc, 3)] = 1 }
		END { for (x in v) if (("B", x) in side) printf " A.%s:B.%s", x, x }' "$MERGED")
	[ -n "$pairs" ] || die "runs $ta and $tb have no variant in common"
	echo "daxbench compare: A = $ta, B = $tb"
	echo
	echo "How the runs were made differently (manifests):"
	manifest_changes "$a" "$b"
	echo
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{
		k = substr($c["variant"], 3) SUBSEP $c["accel"] SUBSEP $c["fs"] SUBSEP \
		    $c["workload"] SUBSEP $c["case"] SUBSEP $c["params"]
		if ($c["variant"] ~ /^A\./) ina[k] = 1; else inb[k] = 1
	} END {
		for (k in ina) if (k in inb) both++; else onlya++
		for (k in inb) if (!(k in ina)) onlyb++
		printf "Cells (variant, accel, fs, workload, case): %d in both,\n", both
		printf "%d only in A, %d only in B (not compared).\n", onlya, onlyb
	}' "$MERGED"
	echo
	echo "Where each comparison loses, then where it wins:"
	awk -v pairs="$pairs" -v path_accel="$(path_accel)" -f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/regressions.awk" "$MERGED" ||
		die "comparing $ta with $tb failed (see above)"
	awk -v pairs="$pairs" -v registry="$CONFIGS_DIR/metrics" -v path_accel="$(path_accel)" \
		-f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/summary.awk" "$MERGED"
}

main "$@"
