#!/usr/bin/env bash
# Compare a run with a stored baseline; exit 1 on a regression, printing
# the offending rows.  Both sides go through the metrics stage
# (scripts/awk/metrics.awk); the rules per metric kind are in
# configs/gate.conf.
#
# usage: gate.sh [--anyway] RUN [BASELINE]
#   RUN       a run id, 'latest', or a directory with results.tsv or
#             metrics.tsv (.gz or not)
#   BASELINE  the same (default: reports/baseline)
#   --anyway  compare even if the manifests say the two were made on
#             another base, QEMU, compiler or kernel (DAXBENCH_GATE_ANYWAY=1)
#
# Exit: 0 pass, 1 regression, 2 cannot compare (different base, QEMU,
# gcc, variant series or config; no manifest; no common metric).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# What must be equal in both manifests for numbers to be comparable.
# Every kernel_<variant> present in both is compared too.
SAME_KEYS='base_package base_tarball_sha256 qemu tool_gcc bench_sha256'

cannot() {
	printf '%s: cannot compare: %s\n' "$PROG" "$*" >&2
	exit 2
}

# The data file of run $1 (lib.sh's run_data), checked readable.
data_of() {
	local f
	f=$(run_data "$1") || cannot "no results.tsv or metrics.tsv for '$1'"
	case $f in *.gz) gzip -t "$f" 2>/dev/null || cannot "$f is corrupt" ;; esac
	echo "$f"
}

# Copy stdin to stdout with $1 before every line.
prefix_lines() {
	local line
	while IFS= read -r line; do printf '%s%s\n' "$1" "$line"; done
}

mfield() { awk -F'\t' -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# A kernel_<variant> record reduced to what makes two kernels the same:
# flavour, config and source tree when both records name a tree (a
# series split or reworded builds the same tree), else flavour, series
# and config.  $1 record, $2 1 to compare trees.
kernel_key() {
	local w out=''
	for w in $1; do
		case $w in
		tree=*) [ "$2" = 1 ] || continue ;;
		series=*) [ "$2" != 1 ] || continue ;;
		esac
		out="$out $w"
	done
	echo "${out# }"
}

# Print one line per manifest field that differs between $1 and $2.
manifest_diff() {
	local a=$1 b=$2 k va vb trees
	for k in $SAME_KEYS $(cut -f1 "$a" "$b" | grep '^kernel_' | sort -u); do
		va=$(mfield "$a" "$k")
		vb=$(mfield "$b" "$k")
		case $k in
		kernel_*)
			# a variant measured on one side only is the metrics' business
			{ [ -n "$va" ] && [ -n "$vb" ]; } || continue
			trees=0
			[[ " $va" != *" tree="* || " $vb" != *" tree="* ]] || trees=1
			[ "$(kernel_key "$va" "$trees")" != "$(kernel_key "$vb" "$trees")" ] || continue
			;;
		esac
		[ "$va" = "$vb" ] && continue
		printf "%s differs: baseline '%s', run '%s'\n" "${k#tool_}" "${va:-(not recorded)}" "${vb:-(not recorded)}"
	done
}

main() {
	local new base rules=${DAXBENCH_GATE_RULES:-$CONFIGS_DIR/gate.conf} rc=0
	local anyway=${DAXBENCH_GATE_ANYWAY:-0} bm nm diffs prefix=''
	OUT=$(mktemp "${TMPDIR:-/tmp}/daxbench-gate.XXXXXX")
	trap 'rm -f "$OUT"' EXIT
	if [ "${1:-}" = --anyway ]; then anyway=1; shift; fi
	if [ $# -lt 1 ] || [ $# -gt 2 ]; then die "usage: gate.sh [--anyway] RUN [BASELINE]"; fi
	new=$(data_of "$1")
	base=$(data_of "${2:-$REPORTS_DIR/baseline}")
	[ -f "$rules" ] || cannot "no gate rules at $rules"
	bm=$(dirname "$base")/manifest
	nm=$(dirname "$new")/manifest
	if [ ! -s "$bm" ] || [ ! -s "$nm" ]; then
		[ "$anyway" = 1 ] || cannot "no manifest beside $([ -s "$bm" ] && echo "$new" || echo "$base"); rerun it with bench-all.sh, or --anyway"
		prefix='[compared anyway: a manifest is missing] '
	else
		diffs=$(manifest_diff "$bm" "$nm")
		if [ -n "$diffs" ]; then
			if [ "$anyway" != 1 ]; then
				prefix_lines "$PROG: cannot compare: " <<<"$diffs" >&2
				cannot "the run and the baseline were made differently (above); remake the baseline ('make baseline') or pass --anyway"
			fi
			prefix="[compared anyway: $(cut -d' ' -f1 <<<"$diffs" | tr '\n' ' ' | sed 's/ $//') differ] "
			prefix_lines "$prefix" <<<"$diffs"
		fi
	fi
	log "${prefix}comparing $new against $base"
	awk -v rules="$rules" -v calibrate="${DAXBENCH_GATE_CALIBRATE:-0}" \
		-f "$DAXBENCH_TOP/scripts/awk/lib.awk" \
		-f "$DAXBENCH_TOP/scripts/awk/gate.awk" \
		<(run_metrics "$base") <(run_metrics "$new") >"$OUT" 2>&1 || rc=$?
	prefix_lines "$prefix" <"$OUT"
	case $rc in
	0) log "${prefix}pass" ;;
	1) log "${prefix}performance regression (rows above)"; exit 1 ;;
	*)
		if grep -q "no metric of the run matches" "$OUT"; then
			cannot "nothing in $new to compare with $base"
		fi
		cannot "the rules or the data cannot be used (above)"
		;;
	esac
}

main "$@"
