#!/usr/bin/awk -f
# The full tables of summary.txt, LKP style, 72 columns: for each pair
# and each case, every metric of both variants.
#
# usage: awk -v pairs="A:B C:D" -v registry=configs/metrics -v path_accel=icount \
#            -f lib.awk -f summary.awk metrics.tsv
# (the registry gives the display order; tsig=3 is the |Welch t| needed)
#
# Input is the metrics stage's output, columns found by name.  A cell
# shows the mean and relative standard deviation over all samples; the
# %change (B - A) / A is printed when Welch's t over the boots' means
# reaches tsig (or, with no spread on either side, when they differ at
# all), else "~".  Under path_accel (icount: guest time is executed
# instructions, configs/accelerators) a time is a path length: its best
# sample (the minimum) gets a row of its own, "min", since a rare boot
# adds unrelated guest work to a window and never removes any.  Each
# block says how many samples and boots each side has.
BEGIN {
	FS = "\t"
	if (tsig == "")
		tsig = 3
	nshow = ntimes = 0
	while ((getline line < registry) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		split(line, f, /[ \t]+/)
		reg_kind[f[1]] = f[4]
		if (f[4] == "time" || f[4] == "rate")
			times[++ntimes] = f[1]
		else
			counts[++nshow] = f[1]
	}
	if (!nshow) {
		print "summary: no metrics in registry " registry > "/dev/stderr"
		bad = 1
		exit 2
	}
}
NR == 1 {
	if (!need_path_accel("summary") || !metrics_columns("summary", "variant accel fs workload case params metric kind n boots mean min sd boot_means")) {
		bad = 1
		exit 2
	}
	next
}
{
	v = $col["variant"]; a = $col["accel"]
	key = $col["fs"] SUBSEP $col["workload"] SUBSEP $col["case"] SUBSEP $col["params"]
	if (!(key in seen_case)) {
		seen_case[key] = 1
		cases[++ncase] = key
	}
	accels[a] = 1
	k = v SUBSEP a SUBSEP key SUBSEP $col["metric"]
	n[k] = $col["n"]
	nb[k] = $col["boots"]
	mu[k] = $col["mean"]
	lo[k] = $col["min"]
	sd[k] = $col["sd"]
	bl[k] = $col["boot_means"]
	variants[v] = 1
}
function rsd(k) {
	if (mu[k] == 0)
		return "±0%"
	return sprintf("±%.0f%%", 100 * sd[k] / abs(mu[k]))
}
function change(ka, kb,  t) {
	t = welch_t(bl[ka], bl[kb])
	if (abs(t) < tsig)
		return "~"
	if (mu[ka] == 0)
		return "new"
	return sprintf("%+.1f%%", 100 * (mu[kb] - mu[ka]) / abs(mu[ka]))
}
# "fs workload case[,params]", wrapped within 72 columns.
function heading(key,  p) {
	split(key, p, SUBSEP)
	wrap_case(p[1] " " p[2] " ", p[3] (p[4] == "-" ? "" : "," p[4]), "    ")
}
# The row of a label, within 72 columns: a label that would pass them
# goes on a line of its own above its numbers (never cut).
function line_of(nums, label,  cols) {
	# "±" is one column but two bytes in a C locale
	cols = length(nums) - 2 * (length("±") - 1)
	if (cols + 1 + length(label) > 72)
		return "    " label "\n" nums "\n"
	return nums " " label "\n"
}
# One row of a block, "" if a side has no samples or both are 0; a min
# row follows a path_accel time.  Sets blk_n to the largest sample counts.
function row(a, b, acc, akey, bkey, m, label,  ka, kb, out, pct) {
	ka = a SUBSEP acc SUBSEP akey SUBSEP m
	kb = b SUBSEP acc SUBSEP bkey SUBSEP m
	if (!(ka in n) || !(kb in n))
		return ""
	if (mu[ka] == 0 && mu[kb] == 0)
		return ""
	# info rows (one clock calibration per boot) do not count
	if (reg_kind[m] != "info" && n[ka] "/" nb[ka] " " n[kb] "/" nb[kb] != blk_n) {
		blk_nrows++
		blk_n = n[ka] "/" nb[ka] " " n[kb] "/" nb[kb]
	}
	out = line_of(sprintf("%12s %-6s %9s %12s %-6s ", fmt(mu[ka]), rsd(ka),
			      change(ka, kb), fmt(mu[kb]), rsd(kb)), label)
	if (acc == path_accel && is_time[m]) {
		pct = lo[ka] == 0 ? "" : sprintf("%+.1f%%", 100 * (lo[kb] - lo[ka]) / abs(lo[ka]))
		out = out line_of(sprintf("%12s %-6s %9s %12s %-6s ", fmt(lo[ka]), "", pct, fmt(lo[kb]), ""),
				  "  min")
	}
	return out
}
# The case of variant a to set beside case key bkey of the other side:
# the same, else the same without parameters (a parameter only the other
# variant takes, as pfn's populate window).
function partner(a, bkey,  p, q) {
	if (has_case(a, bkey))
		return bkey
	split(bkey, p, SUBSEP)
	q = p[1] SUBSEP p[2] SUBSEP p[3] SUBSEP "-"
	return has_case(a, q) ? q : ""
}
function has_case(v, key,  acc, j) {
	for (acc in accels)
		for (j = 1; j <= nshow; j++)
			if ((v SUBSEP acc SUBSEP key SUBSEP counts[j]) in n)
				return 1
	for (acc in accels)
		for (j = 1; j <= ntimes; j++)
			if ((v SUBSEP acc SUBSEP key SUBSEP times[j]) in n)
				return 1
	return 0
}
END {
	if (bad)
		exit 2
	for (j = 1; j <= ntimes; j++)
		is_time[times[j]] = 1
	# counts do not depend on the accelerator: show them once, from
	# path_accel when it ran, else from the first by name that did (as the
	# opening section, regressions.awk)
	ca = ""
	if (path_accel in accels)
		ca = path_accel
	else
		for (acc in accels)
			if (ca == "" || acc < ca)
				ca = acc
	np = split_pairs(pairs, pa, pb)
	for (i = 1; i <= np; i++) {
		a = pa[i]; b = pb[i]
		printf "\n==== %s -> %s ", a, b
		printf "%s\n", substr("========================================================================", 1, 72 - 10 - length(a) - length(b))
		for (c = 1; c <= ncase; c++) {
			key = cases[c]
			akey = partner(a, key)
			if (akey == "")
				continue
			out = ""
			blk_n = ""
			blk_nrows = 0
			for (j = 1; j <= nshow; j++)
				out = out row(a, b, ca, akey, key, counts[j], counts[j])
			if (path_accel in accels)
				for (j = 1; j <= ntimes; j++)
					out = out row(a, b, path_accel, akey, key, times[j], times[j] " [" path_accel "]")
			for (acc in accels) {
				if (acc == path_accel)
					continue
				for (j = 1; j <= ntimes; j++)
					out = out row(a, b, acc, akey, key, times[j], times[j] " [" acc "]")
			}
			# a case measured on one side only is not a block
			if (out == "")
				continue
			print ""
			heading(key)
			split(blk_n, nn, " ")
			if (blk_nrows > 1)
				print "  samples/boots differ by row (metrics.tsv has each)"
			else
				printf "  samples/boots: %s %s, %s %s\n", a, nn[1], b, nn[2]
			printf "%12s %-5s %9s %12s %-5s  %s\n", a, "", "%change", b, "", "metric"
			printf "%s", out
		}
	}
}
