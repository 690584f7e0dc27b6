#!/usr/bin/env bash
# Where the instructions of one re-fault go, per kernel, counted exactly:
# each re-fault cell runs in two icount boots per variant and filesystem
# (and on device-dax, the floor) that differ only in the number of
# measured repetitions; tools/tbcount.c (a QEMU plugin) counts the kernel
# instructions every translation block ran, and scripts/awk/
# fault-profile.awk subtracts the boots and adds the blocks up per symbol
# of the kernel's System.map, per fault.  No sampling, so no skid: the
# numbers add up to the kernel's share of the matrix's cost per page.
#
# usage: fault-profile.sh [OUT]      (default: $REPORTS_DIR/fault-profile)
# Writes OUT/summary.txt (groups and the symbols with at least MIN_SHOWN
# instructions per fault in some kernel) and OUT/data/ (the awk output per
# cell and filesystem); OUT is replaced whole.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SIZE_MIB=64			# the file; one fault per 4 KiB page per repetition
# cell name, then the program and its arguments without --reps
CELLS=(
	"pte-read fault --map pte --op read --situation refault --size ${SIZE_MIB}M"
	"pte-write fault --map pte --op write --situation refault --size ${SIZE_MIB}M"
)
FEW=1 MANY=11			# repetitions of the two boots
SHOWN=30			# symbol rows per table
MIN_SHOWN=10			# instructions per fault a shown symbol has somewhere

# One boot of cell args $3 with $4 repetitions on filesystem $2 ("" for
# device-dax), variant $1, into directory $5; the rest: VAR=VALUE words
# for the guest job.
boot() {
	local v=$1 fs=$2 args=$3 reps=$4 dir=$5 env=() e
	shift 5
	for e in "$@"; do env+=(--env "$e"); done
	mkdir -p "$dir/data"
	printf '%s --reps %s\n' "$args" "$reps" >"$dir/data/cells"
	[ -n "$fs" ] || env+=(--env DEVDAX=1)
	"$DAXBENCH_TOP/scripts/guest-run.sh" --variant "$v" --accel "$(path_accel)" --tb-count \
		--job "$DAXBENCH_TOP/scripts/guest/jobs/matrix.sh" --data "$dir/data/cells" \
		--fs "$fs" "${env[@]}" --out "$dir" >&2 ||
		die "$v ${fs:-devdax}: boot with $reps repetitions failed"
}

# awk arguments for column $1 of variant $2 from boots under $3.
column() {
	printf '%s\n' "col=$1" "per=$(((MANY - FEW) * SIZE_MIB * 256))" \
		kind=map "$(variant_build_dir "$2")/System.map" \
		kind=plus "$3/many/tbcount.txt" kind=minus "$3/few/tbcount.txt"
}

# The table of one cell on one filesystem from fault-profile.awk's output.
layout() {
	awk -F'\t' '
		$1 == "cols" { printf "%-28s", "instructions per fault"
			for (i = 2; i <= NF; i++) printf " %8s", $i; printf "\n" }
		$1 == "group" { printf "%-28s", $2
			for (i = 3; i <= NF; i++) printf " %8s", $i; printf "\n" }' "$1"
	echo "symbols (exact; at least $MIN_SHOWN in one kernel, largest first):"
	awk -F'\t' '$1 == "sym" { m = 0; for (i = 3; i <= NF; i++) if ($i + 0 > m) m = $i + 0
		printf "%d\t%s\n", m, $0 }' "$1" | sort -t"$(printf '\t')" -k1,1nr | head -n "$SHOWN" |
		awk -F'\t' '{ printf "  %-26s", substr($3, 1, 26)
			for (i = 4; i <= NF; i++) printf " %8s", $i; printf "\n" }'
}

main() {
	local out=${1:-$REPORTS_DIR/fault-profile} stage ref c cell args v fs cols knob name dir
	[ $# -le 1 ] || die "usage: fault-profile.sh [OUT]"
	ref=$(reference_variant)
	read -ra VARIANTS <<<"$(matrix_variants)"
	stage=$(mktemp -d "$(dirname "$out")/.fault-profile.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage/data"
	for c in "${CELLS[@]}"; do
		cell=${c%% *} args=${c#* }
		boot "$ref" '' "$args" "$FEW" "$stage/boots/$cell/devdax/few"
		boot "$ref" '' "$args" "$MANY" "$stage/boots/$cell/devdax/many"
		for fs in $(variants_fs "${VARIANTS[@]}"); do
			mapfile -t cols < <(column devdax "$ref" "$stage/boots/$cell/devdax")
			for v in "${VARIANTS[@]}"; do
				(load_variant "$v"; [[ " $VARIANT_FS " == *" $fs "* ]]) || continue
				for knob in "" $(load_variant "$v"; echo "${VARIANT_PROFILE_KNOBS:-}"); do
					name=${knob%%:*} name=${name:-$v} dir=$stage/boots/$cell/$fs/$name
					boot "$v" "$fs" "$args" "$FEW" "$dir/few" ${knob:+"${knob#*:}"}
					boot "$v" "$fs" "$args" "$MANY" "$dir/many" ${knob:+"${knob#*:}"}
					mapfile -t -O "${#cols[@]}" cols < <(column "$name" "$v" "$dir")
				done
			done
			awk -v MIN_SHOWN="$MIN_SHOWN" -f "$DAXBENCH_TOP/scripts/awk/fault-profile.awk" "${cols[@]}" \
				>"$stage/data/$cell-$fs.tsv" || die "profile of $cell on $fs failed"
		done
	done
	{
		echo "Where a re-fault's instructions go: guest kernel instructions per"
		echo "fault, counted per translation block by a QEMU plugin in $(path_accel)"
		echo "boots with $FEW and $MANY repetitions of the cell, subtracted"
		echo "(scripts/fault-profile.sh).  Everything the kernel runs per"
		echo "repetition is in: the munmap()/mmap() between repetitions and the"
		echo "counter reads are 'unmap and mmap' and 'syscalls'.  The fault"
		echo "workload's own user-space loop is not (the matrix's cost per page"
		echo "is these plus ~70)."
		for c in "${CELLS[@]}"; do
			cell=${c%% *} args=${c#* }
			for fs in $(variants_fs "${VARIANTS[@]}"); do
				printf '\n%s on %s (%s)\n' "$cell" "$fs" "$args"
				layout "$stage/data/$cell-$fs.tsv"
			done
		done
	} >"$stage/summary.txt"
	rm -rf "$stage/boots"
	rm -rf "$out"
	mv "$stage" "$out"
	trap - EXIT
	log "$out/summary.txt"
}

main "$@"
