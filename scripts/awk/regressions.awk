#!/usr/bin/awk -f
# Where the right variant of each pair is worse, and where it is better,
# beyond noise, largest change first: the opening of summary.txt.
#
# usage: awk -v pairs="A:B C:D" -v path_accel=icount \
#            -f lib.awk -f regressions.awk metrics.tsv
#
# Input is the metrics stage's output (scripts/awk/metrics.awk), columns
# found by name.  Statistics are per boot: a boot (one round of one
# variant on one accelerator) counts as the mean of its repetitions
# (boot_means), since repetitions inside one boot are not independent.
# A change is listed when
#  - the metric has a direction in the registry (better = lower/higher),
#  - Welch's t over the boot means reaches tsig (default 3), or both sides
#    have no spread and differ,
#  - it is at least minpct (default 1) percent, and
#  - for plain-TCG times, it is larger than the largest change the
#    device-dax control (identical code on both kernels, fs "devdax")
#    shows between the same two variants in the same run: that much is
#    host noise, not the kernel.
BEGIN {
	FS = "\t"
	if (tsig == "")
		tsig = 3
	if (minpct == "")
		minpct = 1
}
NR == 1 {
	if (!need_path_accel("regressions") || !metrics_columns("regressions", "variant accel fs workload case params metric kind better boot_means")) {
		bad = 1
		exit 2
	}
	next
}
{
	# one cell: accel, fs, workload, case, params, metric
	m = $col["metric"]
	c = $col["accel"] SUBSEP $col["fs"] SUBSEP $col["workload"] SUBSEP \
	    $col["case"] SUBSEP $col["params"] SUBSEP m
	v = $col["variant"]
	bl[v, c] = $col["boot_means"]
	cells[c] = 1
	better[m] = $col["better"]
	kind[m] = $col["kind"]
	have[$col["fs"], $col["workload"], $col["case"], $col["params"], m, $col["accel"]] = 1
	variants[v] = 1
}
# Mean of the boot means of variant v in cell c, in st_mean.
function stats(v, c) {
	boot_stats(bl[v, c])
	st_mean = bs_mean
}
# The cell of variant a to compare with cell c (split into p) of the
# other side: the same, else the same without parameters (a parameter
# only the other variant takes, as pfn's populate window); "" if none.
function partner(a, c, p,  q) {
	if ((a, c) in bl)
		return c
	q = p[1] SUBSEP p[2] SUBSEP p[3] SUBSEP p[4] SUBSEP "-" SUBSEP p[6]
	return (a, q) in bl ? q : ""
}
# Print "fs workload case [params]", indented, within 72 columns.
function where(fs, wl, cs, pr) {
	wrap_case("      " fs " " wl " ", cs (pr == "-" ? "" : "," pr), "        ")
}
# The largest |%change| of TCG time metric m on device-dax between a and b
# (-1: no control).
function control_noise(a, b, acc, m,  c, p, ma, worst, pct) {
	worst = -1
	for (c in cells) {
		split(c, p, SUBSEP)
		if (p[1] != acc || p[2] != "devdax" || p[6] != m)
			continue
		if (!((a, c) in bl) || !((b, c) in bl))
			continue
		stats(a, c); ma = st_mean
		stats(b, c)
		if (ma == 0)
			continue
		pct = abs(100 * (st_mean - ma) / ma)
		if (pct > worst)
			worst = pct
	}
	return worst
}
# Collect the listed changes of pair a:b into lst[]; nl counts them.
# Counts do not depend on the accelerator: judge them once, from
# path_accel when it ran, else from the first by name that did (the
# summary's tables show them from the same one).
function counted_here(p,  k, acc, first) {
	if (kind[p[6]] == "time")
		return 1
	k = p[2] SUBSEP p[3] SUBSEP p[4] SUBSEP p[5] SUBSEP p[6]
	if ((k SUBSEP path_accel) in have)
		return p[1] == path_accel
	first = ""
	for (acc in accs)
		if ((k SUBSEP acc) in have && (first == "" || acc < first))
			first = acc
	return p[1] == first
}
function collect(a, b,  c, ca, p, ma, mb, pct, worse, acc, noise, k) {
	nl = 0
	for (acc in accs)
		delete accs[acc]
	for (c in cells) {
		split(c, p, SUBSEP)
		accs[p[1]] = 1
	}
	for (c in cells) {
		split(c, p, SUBSEP)
		if (p[2] == "devdax" || better[p[6]] == "none")
			continue
		if (!counted_here(p))
			continue
		if (!((b, c) in bl) || (ca = partner(a, c, p)) == "")
			continue
		stats(a, ca); ma = st_mean
		stats(b, c)
		mb = st_mean
		if (ma == 0 && mb == 0)
			continue
		pct = ma == 0 ? 1e9 : 100 * (mb - ma) / abs(ma)
		if (abs(pct) < minpct || abs(welch_t(bl[a, ca], bl[b, c])) < tsig)
			continue
		if (kind[p[6]] == "time" && p[1] != path_accel) {
			if (!((p[1], p[6]) in noise))
				noise[p[1], p[6]] = control_noise(a, b, p[1], p[6])
			if (abs(pct) <= noise[p[1], p[6]]) {
				hidden++
				continue
			}
			if (noise[p[1], p[6]] < 0)
				uncalibrated++
		}
		worse = better[p[6]] == "lower" ? pct > 0 : pct < 0
		nl++
		lst_c[nl] = c
		lst_pct[nl] = pct
		lst_a[nl] = ma
		lst_b[nl] = mb
		lst_worse[nl] = worse
		# sort key: the size of the change in the direction that matters
		lst_key[nl] = abs(pct)
	}
	for (k in noise)
		noise_of[a, b, k] = noise[k]
}
function show(a, b, want,  i, j, n, idx, t, p, shown, label, pct, head, line) {
	n = 0
	for (i = 1; i <= nl; i++)
		if (lst_worse[i] == want)
			idx[++n] = i
	# insertion sort, largest change first (n is a few hundred at most)
	for (i = 2; i <= n; i++) {
		t = idx[i]
		for (j = i - 1; j >= 1 && lst_key[idx[j]] < lst_key[t]; j--)
			idx[j + 1] = idx[j]
		idx[j + 1] = t
	}
	shown = 0
	for (i = 1; i <= n; i++) {
		t = idx[i]
		split(lst_c[t], p, SUBSEP)
		label = p[6] " [" p[1] "]"
		pct = lst_pct[t] >= 1e9 ? "new" : sprintf("%+.1f%%", lst_pct[t])
		head = sprintf("  %9s %12s -> ", pct, fmt(lst_a[t]))
		line = head sprintf("%-12s %s", fmt(lst_b[t]), label)
		# 72 columns: a long metric name goes on a line of its own
		print (length(line) > 72 ? head fmt(lst_b[t]) "\n      " label : line)
		where(p[2], p[3], p[4], p[5])
		shown++
	}
	if (!shown)
		print "  (none)"
}
END {
	if (bad)
		exit 2
	np = split_pairs(pairs, pa, pb, dropped)
	not_compared(dropped)
	for (i = 1; i <= np; i++) {
		a = pa[i]; b = pb[i]
		hidden = uncalibrated = 0
		collect(a, b)
		printf "\n%s is WORSE than %s here (beyond noise; largest first):\n", b, a
		printf "  %9s %12s    %-12s %s\n", "%change", a, b, "metric [accel]"
		show(a, b, 1)
		printf "\n%s is better than %s here:\n", b, a
		printf "  %9s %12s    %-12s %s\n", "%change", a, b, "metric [accel]"
		show(a, b, 0)
		noise_note(a, b)
	}
}
# Name the pairs split_pairs() dropped: a pair not compared is said so,
# not left out in silence.
function not_compared(dropped,  i, d) {
	for (i = 1; i <= dropped["n"]; i++) {
		split(dropped[i], d, SUBSEP)
		printf "\n%s not compared: %s is not in this run\n", d[1], d[2]
	}
	if (!np)
		print "\nNo pair of variants in this run was compared."
}
# What the device-dax control says about emulated-time noise in this pair.
function noise_note(a, b,  k, p, n, line) {
	n = 0
	for (k in noise_of) {
		split(k, p, SUBSEP)
		if (p[1] != a || p[2] != b || noise_of[k] < 0)
			continue
		if (!n++) {
			printf "\n  Emulated times (not %s) are judged against the device-dax\n", path_accel
			printf "  control, identical code on both kernels; its spread between\n"
			printf "  %s and %s, per metric (a smaller change is not listed):\n", a, b
		}
		printf "    %-22s %-9s %6.1f%%\n", p[4], "[" p[3] "]", noise_of[k]
	}
	if (hidden)
		printf "  %d emulated-time changes fell within that spread.\n", hidden
	if (uncalibrated)
		printf "\n  %d emulated-time changes listed above have no device-dax\n  control in this run to calibrate them: they may be host noise.\n", uncalibrated
}
