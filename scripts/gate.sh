#!/usr/bin/env bash
# Compare a run with a stored baseline; exit 1 on a regression, printing
# the offending rows.  Thresholds per metric kind: configs/gate.conf.
#
# usage: gate.sh RUN [BASELINE]
#   RUN       a run id, 'latest', or a directory with results.tsv
#   BASELINE  a directory with results.tsv (default: reports/baseline)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

results_of() {
	local r=$1 d
	for d in "$r" "$RUN_ROOT/$r" "$DAXBENCH_TOP/reports/$r"; do
		if [ -s "$d/results.tsv" ]; then
			echo "$d/results.tsv"
			return 0
		fi
		if [ -s "$d/results.tsv.gz" ]; then
			gzip -t "$d/results.tsv.gz" 2>/dev/null || die "$d/results.tsv.gz is corrupt"
			echo "$d/results.tsv.gz"
			return 0
		fi
	done
	die "no results.tsv for '$r'"
}

# The rows of a results file, compressed or not.
rows_of() {
	case $1 in
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

main() {
	local new base rules=${DAXBENCH_GATE_RULES:-$CONFIGS_DIR/gate.conf} rc=0
	if [ $# -lt 1 ] || [ $# -gt 2 ]; then die "usage: gate.sh RUN [BASELINE]"; fi
	new=$(results_of "$1")
	base=$(results_of "${2:-$DAXBENCH_TOP/reports/baseline}")
	[ -f "$rules" ] || die "no gate rules at $rules"
	log "comparing $new against $base"
	awk -v rules="$rules" -f "$DAXBENCH_TOP/scripts/awk/gate.awk" \
		<(rows_of "$base") <(rows_of "$new") || rc=$?
	case $rc in
	0) log "pass" ;;
	1) die "performance regression (rows above)" ;;
	*) die "nothing to compare between $new and $base" ;;
	esac
}

main "$@"
