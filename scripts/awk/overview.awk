#!/usr/bin/awk -f
# The overview: one row per variant and filesystem, one column per line
# of configs/overview, from metrics.tsv (columns found by name); then the
# same table relative to the reference variant on the same filesystem.
#
# usage: awk -v columns=configs/overview -v ref=iomap \
#            -f lib.awk -f overview.awk metrics.tsv
BEGIN {
	FS = "\t"
	while ((getline line < columns) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		nf = split(line, w, /[ \t]+/)
		if (nf != 7 || w[4] !~ /^(median|mean|max)$/)
			die(columns ": malformed line: " line)
		nc++
		h1[nc] = w[1]; h2[nc] = w[2]; c_acc[nc] = w[3]; c_stat[nc] = w[4]
		c_met[nc] = w[5]; c_wl[nc] = w[6]; c_case[nc] = w[7]
	}
	close(columns)
	if (!nc)
		die("no columns in " columns)
}
function die(msg) {
	print "overview.awk: error: " msg > "/dev/stderr"
	failed = 1
	exit 2
}
NR == 1 {
	if (!metrics_columns("overview.awk: error", "variant accel fs workload case params metric better mean median max")) {
		failed = 1
		exit 2
	}
	next
}
{
	v = $col["variant"]; fs = $col["fs"]
	for (c = 1; c <= nc; c++) {
		if ($col["accel"] != c_acc[c] || $col["workload"] != c_wl[c] ||
		    $col["metric"] != c_met[c] || index($col["case"], c_case[c]) != 1)
			continue
		if ($col["better"] != "lower")
			die("overview column " c_met[c] " is not a cost (better = lower)")
		# the case of this column: the reference's first, else the first
		if (v == ref && !(c in pick_ref)) {
			pick[c] = $col["case"]
			pick_ref[c] = 1
		} else if (!(c in pick))
			pick[c] = $col["case"]
		k = c SUBSEP $col["case"] SUBSEP v SUBSEP fs
		# a parameter sweep (pfn's window) is shown at its default only
		if ((k in val) && $col["params"] != "-")
			continue
		val[k] = $col[c_stat[c]]
		if (!((v, fs) in seen)) {
			seen[v, fs] = 1
			rows[++nrow] = v SUBSEP fs
		}
	}
}
function cellv(c, v, fs,  k) {
	k = c SUBSEP pick[c] SUBSEP v SUBSEP fs
	return (k in val) ? val[k] : ""
}
function show(x) {
	if (x == "")
		return "-"
	if (abs(x) >= 100)
		return sprintf("%.0f", x)
	return sprintf("%.3g", x)
}
function header(  c, l1, l2) {
	l1 = sprintf("%-9s %-6s", "variant", "fs")
	l2 = sprintf("%-9s %-6s", "", "")
	for (c = 1; c <= nc; c++) {
		l1 = l1 sprintf(" %8s", h1[c])
		l2 = l2 sprintf(" %8s", h2[c])
	}
	print l1
	print l2
}
END {
	if (failed)
		exit 2
	if (!nrow) {
		print "(no rows for the overview's cases)"
		exit
	}
	# the reference's rows first, then the others in the order they came
	n = 0
	for (i = 1; i <= nrow; i++) {
		split(rows[i], p, SUBSEP)
		if (p[1] == ref)
			ord[++n] = rows[i]
	}
	for (i = 1; i <= nrow; i++) {
		split(rows[i], p, SUBSEP)
		if (p[1] != ref)
			ord[++n] = rows[i]
	}
	header()
	for (i = 1; i <= n; i++) {
		split(ord[i], p, SUBSEP)
		line = sprintf("%-9s %-6s", p[1], p[2])
		for (c = 1; c <= nc; c++)
			line = line sprintf(" %8s", show(cellv(c, p[1], p[2])))
		print line
	}
	printf "\nRelative to %s on the same filesystem (1.00 = %s; lower is\nbetter in every column, so above 1 is where a variant loses):\n\n", ref, ref
	header()
	for (i = 1; i <= n; i++) {
		split(ord[i], p, SUBSEP)
		if (p[1] == ref)
			continue
		line = sprintf("%-9s %-6s", p[1], p[2])
		for (c = 1; c <= nc; c++) {
			a = cellv(c, ref, p[2])
			b = cellv(c, p[1], p[2])
			line = line sprintf(" %8s", a == "" || b == "" || a == 0 ? "-" : sprintf("%.2f", b / a))
		}
		print line
	}
	print "\nColumns (accel, statistic over all samples, metric, case):"
	for (c = 1; c <= nc; c++)
		wrap_case(sprintf("  %s %s: %s %s %s, %s ", h1[c], h2[c], c_acc[c], c_stat[c], c_met[c], c_wl[c]),
			  (c in pick) ? pick[c] : c_case[c] " (not measured)", "      ")
}
