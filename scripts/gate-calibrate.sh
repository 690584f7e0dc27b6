#!/usr/bin/env bash
# How close reruns of the same kernels come to the gate's thresholds.
# Each RUN is gated against BASELINE (scripts/gate.sh, the same rules);
# per rule, the largest share of its allowance any gated row of any run
# used the wrong way (1.00 = at the threshold: a false alarm), with the
# change and the row.  Exit 1 if any run would fail the gate.
#
# usage: gate-calibrate.sh BASELINE RUN...     (run ids or folders)
#        DAXBENCH_GATE_RULES=FILE to try other rules
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

main() {
	local base r rc=0 n=0
	[ $# -ge 2 ] || die "usage: gate-calibrate.sh BASELINE RUN..."
	base=$1
	shift
	OUT=$(mktemp "${TMPDIR:-/tmp}/daxbench-calibrate.XXXXXX")
	trap 'rm -f "$OUT" "$OUT.one" "$OUT.err"' EXIT
	for r in "$@"; do
		n=$((n + 1))
		if ! DAXBENCH_GATE_CALIBRATE=1 "$DAXBENCH_TOP/scripts/gate.sh" "$r" "$base" \
			>"$OUT.one" 2>"$OUT.err"; then
			rc=1
			printf 'run %s FAILS the gate:\n' "$r"
			grep -v '^use	' "$OUT.one" | sed 's/^/  /'
			sed 's/^/  /' "$OUT.err"
		fi
		awk -F'\t' -v r="$(basename "$r")" '$1 == "use" { print $0 "\t" r }' "$OUT.one" >>"$OUT"
	done
	rm -f "$OUT.one" "$OUT.err"
	echo "$n runs against $(basename "$base"); per rule, the largest share of"
	echo "its allowance used the wrong way (1.00 = the threshold):"
	echo
	awk -f "$DAXBENCH_TOP/scripts/awk/lib.awk" -f "$DAXBENCH_TOP/scripts/awk/calibrate.awk" "$OUT"
	return "$rc"
}

main "$@"
