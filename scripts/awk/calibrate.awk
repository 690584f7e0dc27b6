#!/usr/bin/awk -f
# Aggregate gate.awk's calibration lines over runs (scripts/gate-calibrate.sh):
# input "use<TAB>share<TAB>rule<TAB>change<TAB>row<TAB>run"; per rule, in
# the rules' order, the largest share of its allowance any row used the
# wrong way (1.00 = at the threshold), with its change, run and row.
# usage: awk -f lib.awk -f calibrate.awk uses
BEGIN { FS = "\t" }
$1 == "use" {
	if (!($3 in seen)) {
		seen[$3] = 1
		order[++n] = $3
	}
	if (!($3 in u) || $2 + 0 > u[$3]) {
		u[$3] = $2 + 0
		ch[$3] = $4
		row[$3] = $5
		run[$3] = $6
	}
}
END {
	for (i = 1; i <= n; i++) {
		r = order[i]
		printf "%5.2f  %s\n", u[r], r
		printf "       worst %s, run %s:\n", ch[r], run[r]
		wrap_case("       ", row[r], "         ")
	}
}
