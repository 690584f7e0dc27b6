# Turn a daxbench results.tsv into an LKP-style comparison, 72 columns.
#
# Input columns: variant accel round fs workload case metric unit rep value
# Variables (awk -v): pairs="A:B C:D"  comparisons, B against A
#                     registry=FILE    configs/metrics: which, in what order
#                     tsig=3           |Welch t| needed to call a change
#
# Per metric and side: mean ±relative stddev over all samples (rounds x
# repetitions).  %change = (B - A) / A.  It is printed only when Welch's t
# statistic reaches tsig (or, with no spread on either side, when the
# means differ at all); otherwise "~".
BEGIN {
	FS = "\t"
	if (tsig == "")
		tsig = 3
	ncase = 0
	# Metrics in the registry's order (configs/metrics): counts, ratios
	# and sizes first, then times and rates per accelerator.
	nshow = ntimes = 0
	while ((getline line < registry) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		split(line, f, /[ \t]+/)
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
NR == 1 && $1 == "variant" { next }
NF >= 10 {
	v = $1; a = $2; key = $4 SUBSEP $5 SUBSEP $6
	if (!(key in seen_case)) {
		seen_case[key] = 1
		cases[++ncase] = key
	}
	accels[a] = 1
	k = v SUBSEP a SUBSEP key SUBSEP $7
	n[k]++
	s[k] += $10
	ss[k] += $10 * $10
	unit[$7] = $8
	variants[v] = 1
}
function mean(k) { return s[k] / n[k] }
function var(k,  m) {
	if (n[k] < 2)
		return 0
	m = mean(k)
	return (ss[k] - n[k] * m * m) / (n[k] - 1) < 0 ? 0 : (ss[k] - n[k] * m * m) / (n[k] - 1)
}
function rsd(k,  m) {
	m = mean(k)
	if (m == 0)
		return "±0%"
	return sprintf("±%.0f%%", 100 * sqrt(var(k)) / (m < 0 ? -m : m))
}
function change(ka, kb,  ma, mb, d, t, sig) {
	ma = mean(ka); mb = mean(kb)
	d = sqrt(var(ka) / n[ka] + var(kb) / n[kb])
	if (d == 0)
		sig = (ma != mb)
	else {
		t = (mb - ma) / d
		sig = (t >= tsig || t <= -tsig)
	}
	if (!sig)
		return "~"
	if (ma == 0)
		return "new"
	return sprintf("%+.1f%%", 100 * (mb - ma) / (ma < 0 ? -ma : ma))
}
# "fs workload case", wrapped within 72 columns.
function heading(key,  p) {
	split(key, p, SUBSEP)
	wrap_case(p[1] " " p[2] " ", p[3], "    ")
}
# One row of a block, "" if a side has no samples or both are 0.  A label
# that would pass 72 columns goes on a line of its own above its numbers
# (never cut); "±" is one column but two bytes.
function row(a, b, acc, key, m, label,  ka, kb, nums, cols) {
	ka = a SUBSEP acc SUBSEP key SUBSEP m
	kb = b SUBSEP acc SUBSEP key SUBSEP m
	if (!(ka in n) || !(kb in n))
		return ""
	if (mean(ka) == 0 && mean(kb) == 0)
		return ""
	nums = sprintf("%12s %-6s %9s %12s %-6s ", fmt(mean(ka)), rsd(ka),
		       change(ka, kb), fmt(mean(kb)), rsd(kb))
	cols = length(nums) - 2 * (length("±") - 1)
	if (cols + 1 + length(label) > 72)
		return "    " label "\n" nums "\n"
	return nums " " label "\n"
}
function count_accel(a, b, key) {
	# Counts do not depend on the accelerator: show them once, from
	# icount when it ran, else from whichever accelerator did.
	if ("icount" in accels)
		return "icount"
	for (acc in accels)
		return acc
}
END {
	if (bad)
		exit 2
	np = split_pairs(pairs, pa, pb)
	for (i = 1; i <= np; i++) {
		a = pa[i]; b = pb[i]
		printf "\n==== %s -> %s ", a, b
		printf "%s\n", substr("========================================================================", 1, 72 - 10 - length(a) - length(b))
		for (c = 1; c <= ncase; c++) {
			key = cases[c]
			out = ""
			ca = count_accel(a, b, key)
			for (j = 1; j <= nshow; j++)
				out = out row(a, b, ca, key, counts[j], counts[j])
			for (acc in accels) {
				if (acc != "icount")
					continue
				for (j = 1; j <= ntimes; j++)
					out = out row(a, b, acc, key, times[j], times[j] " [icount]")
			}
			for (acc in accels) {
				if (acc == "icount")
					continue
				for (j = 1; j <= ntimes; j++)
					out = out row(a, b, acc, key, times[j], times[j] " [" acc "]")
			}
			# a case measured on one side only is not a block
			if (out == "")
				continue
			print ""
			heading(key)
			printf "%12s %-5s %9s %12s %-5s  %s\n", a, "", "%change", b, "", "metric"
			printf "%s", out
		}
	}
}
