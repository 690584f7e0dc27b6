# Turn a daxbench results.tsv into an LKP-style comparison, 72 columns.
#
# Input columns: variant accel round fs workload case metric unit rep value
# Variables (awk -v): pairs="A:B C:D"  comparisons, B against A
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
	# Order of metric groups: counts, then path length, then times.
	nshow = split("fs_calls fs_calls_per_fault faults faults_per_page " \
		      "direct_access fs_iomap_begin fs_get_block " \
		      "fs_populate_pfns pfn_hit pfn_miss entry_insert " \
		      "entry_remove map_pte map_pmd fault_pmd_fallback " \
		      "zero_page writeback extents extent_mean_bytes " \
		      "xa_bytes_per_gib slab_bytes_per_gib " \
		      "pagetables_bytes_per_gib", counts, " ")
	ntimes = split("ns_per_page lat_p50 lat_p90 lat_p99 lat_max " \
		       "dirty_ns_per_page flush_ns_per_page op_ns_per_page " \
		       "read_ns_per_page write_ns_per_page", times, " ")
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
function row(a, b, acc, key, m, label,  ka, kb) {
	ka = a SUBSEP acc SUBSEP key SUBSEP m
	kb = b SUBSEP acc SUBSEP key SUBSEP m
	if (!(ka in n) || !(kb in n))
		return 0
	if (mean(ka) == 0 && mean(kb) == 0)
		return 0
	printf "%12s %-5s %9s %12s %-5s  %s\n", fmt(mean(ka)), rsd(ka),
	       change(ka, kb), fmt(mean(kb)), rsd(kb), substr(label, 1, 23)
	return 1
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
	np = split_pairs(pairs, pa, pb)
	for (i = 1; i <= np; i++) {
		a = pa[i]; b = pb[i]
		printf "\n==== %s -> %s ", a, b
		printf "%s\n", substr("========================================================================", 1, 72 - 10 - length(a) - length(b))
		for (c = 1; c <= ncase; c++) {
			key = cases[c]
			printed = 0
			out = ""
			print ""
			heading(key)
			printf "%12s %-5s %9s %12s %-5s  %s\n", a, "", "%change", b, "", "metric"
			ca = count_accel(a, b, key)
			for (j = 1; j <= nshow; j++)
				printed += row(a, b, ca, key, counts[j], counts[j])
			for (acc in accels) {
				if (acc != "icount")
					continue
				for (j = 1; j <= ntimes; j++)
					printed += row(a, b, acc, key, times[j], times[j] " [icount]")
			}
			for (acc in accels) {
				if (acc == "icount")
					continue
				for (j = 1; j <= ntimes; j++)
					printed += row(a, b, acc, key, times[j], times[j] " [" acc "]")
			}
			if (!printed)
				print "    (no samples from both variants)"
		}
	}
}
