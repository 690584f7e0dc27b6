#!/usr/bin/env bash
# Profile the DAX fault path of each variant: one boot per variant runs
# scripts/guest/jobs/profile.sh (perf stat software events and perf
# record -e cpu-clock -g of one fault cell).  Under plain TCG (the
# default) the samples count time; with --accel icount they count guest
# instructions (one vCPU, shift=0), so the page-fault profile says where
# a fault's instructions go.
#
# usage: profile.sh --out DIR [--variant V]... [--fs FS] [--cell "ARGS"]
#                   [--accel NAME] [--target devdax] [--period NS]
#   --accel          a TCG accelerator of configs/accelerators (default tcg)
#
# Writes DIR/<variant>/perfstat.tsv (daxbench rows, workload "perfstat"),
# DIR/<variant>/cell.tsv (the profiled run's own rows),
# DIR/<variant>/profile.txt (perf report --stdio) and
# DIR/<variant>/fault-profile.txt (self shares of the samples taken in a
# page fault), split from the guest's result rows by their tags.
# --target devdax runs the cell on device-dax instead of a filesystem.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

OUT='' VARIANTS=() FS=ext4 CELL='' ACCEL=tcg TARGET='' PERIOD=''

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--out|--variant|--fs|--cell|--accel|--target|--period)
			[ $# -ge 2 ] || die "option '$1' needs a value" ;;&
		--out) OUT=$2 ;;
		--variant) VARIANTS+=("$2") ;;
		--fs) FS=$2 ;;
		--cell) CELL=$2 ;;
		--accel) ACCEL=$2 ;;
		--target) TARGET=$2 ;;
		--period) PERIOD=$2 ;;
		*) die "unknown option '$1'" ;;
		esac
		shift 2
	done
	[ -n "$OUT" ] || die "no --out directory given"
	[ "${#VARIANTS[@]}" -gt 0 ] || mapfile -t VARIANTS < <(known_variants)
	local ok='^[-a-zA-Z0-9 ]*$'
	[[ $CELL =~ $ok ]] || die "bad --cell '$CELL'"
	check_accel "$ACCEL"
	# perf in the guest samples cpu-clock: guest time, which only a TCG
	# accelerator makes emulated time or instructions
	[ "$(accel_field "$ACCEL" clock)" != host ] ||
		die "--accel needs a TCG accelerator (emulated time or instructions), not '$ACCEL'"
	case $TARGET in ''|devdax) ;; *) die "--target is devdax or not given, not '$TARGET'" ;; esac
	[[ -z $PERIOD || $PERIOD =~ ^[1-9][0-9]*$ ]] || die "--period is a number of ns, not '$PERIOD'"
}

# Lines of the guest's result rows tagged $1, without the tag.
tagged() {
	awk -F'\t' -v t="$1" '$1 == t { sub(/^[^\t]*\t/, ""); print }' "$2"
}

main() {
	local v dir env_args=()
	parse_args "$@"
	[ -z "$CELL" ] || env_args+=(--env "PROFILE_CELL=$CELL")
	[ -z "$TARGET" ] || env_args+=(--env "PROFILE_TARGET=$TARGET")
	[ -z "$PERIOD" ] || env_args+=(--env "PROFILE_PERIOD=$PERIOD")
	for v in "${VARIANTS[@]}"; do
		dir=$OUT/$v
		"$DAXBENCH_TOP/scripts/guest-run.sh" --variant "$v" --accel "$ACCEL" \
			--job "$DAXBENCH_TOP/scripts/guest/jobs/profile.sh" \
			--fs "$FS" --out "$dir" "${env_args[@]}" ||
			die "$v: profile boot failed"
		tagged perf-report "$dir/result.tsv" | atomic_write "$dir/profile.txt"
		tagged perf-fault "$dir/result.tsv" | atomic_write "$dir/fault-profile.txt"
		awk -F'\t' '$2 == "perfstat"' "$dir/result.tsv" | atomic_write "$dir/perfstat.tsv"
		awk -F'\t' '$1 !~ /^perf-/ && $2 != "perfstat"' "$dir/result.tsv" |
			atomic_write "$dir/cell.tsv"
		log "$v: $dir/profile.txt ($(wc -l <"$dir/profile.txt") lines), fault-profile.txt"
	done
}

main "$@"
