#!/usr/bin/env bash
# Profile the DAX fault path of each variant: one boot per variant under
# plain TCG runs scripts/guest/jobs/profile.sh (perf stat software events
# and perf record -e cpu-clock -g of one fault cell).
#
# usage: profile.sh --out DIR [--variant V]... [--fs FS] [--cell "ARGS"]
#
# Writes DIR/<variant>/perfstat.tsv (daxbench rows, workload "perfstat")
# and DIR/<variant>/profile.txt (perf report --stdio), split from the
# guest's result rows by their "perf-report" tag.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

OUT='' VARIANTS=() FS=ext4 CELL=''

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--out) OUT=$2; shift ;;
		--variant) VARIANTS+=("$2"); shift ;;
		--fs) FS=$2; shift ;;
		--cell) CELL=$2; shift ;;
		*) die "unknown option '$1'" ;;
		esac
		shift
	done
	[ -n "$OUT" ] || die "no --out directory given"
	[ "${#VARIANTS[@]}" -gt 0 ] || mapfile -t VARIANTS < <(known_variants)
	local ok='^[-a-zA-Z0-9 ]*$'
	[[ $CELL =~ $ok ]] || die "bad --cell '$CELL'"
}

main() {
	local v dir env_args=()
	parse_args "$@"
	[ -z "$CELL" ] || env_args=(--env "PROFILE_CELL=$CELL")
	for v in "${VARIANTS[@]}"; do
		dir=$OUT/$v
		"$DAXBENCH_TOP/scripts/guest-run.sh" --variant "$v" --accel tcg \
			--job "$DAXBENCH_TOP/scripts/guest/jobs/profile.sh" \
			--fs "$FS" --out "$dir" "${env_args[@]}" ||
			die "$v: profile boot failed"
		awk -F'\t' '$1 == "perf-report" { sub(/^perf-report\t/, ""); print }' \
			"$dir/result.tsv" | atomic_write "$dir/profile.txt"
		awk -F'\t' '$1 != "perf-report"' "$dir/result.tsv" |
			atomic_write "$dir/perfstat.tsv"
		log "$v: $dir/profile.txt ($(wc -l <"$dir/profile.txt") lines)"
	done
}

main "$@"
