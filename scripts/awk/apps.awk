#!/usr/bin/awk -f
# The applications section of summary.txt, from metrics.tsv: every
# workload that reports ops_per_s is an application (bench/lmdb.c,
# pmem.c, sqlite.c, manyfiles.c, rocksdb.sh).  Per filesystem, one row
# per application phase: the reference's operations per second, then
# every other variant relative to it (above 1: more operations per
# second); then filesystem calls and DAX faults per 1000 operations, so
# the fault path's share of the difference can be read next to it.
#
# usage: awk -v ref=iomap -v path_accel=icount [-v accel=tcg] \
#            -f lib.awk -f apps.awk metrics.tsv
# A row where two boots of one kernel differ by more than SPREAD of the
# median is marked: its ratios say which boot mode each kernel hit (file
# layout, a PMD or not), not how its fault path compares.
BEGIN { FS = "\t"; if (accel == "") accel = path_accel }
BEGIN { SPREAD = 0.03 }

# (max - min) / m of the comma-separated boot means bm.
function spread(bm, m,  b, n, i, lo, hi) {
	n = split(bm, b, ",")
	if (n < 2 || m <= 0)
		return 0
	lo = hi = b[1] + 0
	for (i = 2; i <= n; i++) {
		if (b[i] + 0 < lo) lo = b[i] + 0
		if (b[i] + 0 > hi) hi = b[i] + 0
	}
	return (hi - lo) / m
}
NR == 1 {
	if (!need_path_accel("apps") || !metrics_columns("apps", "variant accel fs workload case params metric median mean boot_means")) {
		bad = 1
		exit 2
	}
	next
}
$col["accel"] != accel || $col["params"] != "-" { next }
{
	m = $col["metric"]
	if (m != "ops_per_s" && m != "ops" && m != "fs_calls" &&
	    m != "fault_pte" && m != "fault_pmd")
		next
	r = $col["fs"] SUBSEP $col["workload"] SUBSEP $col["case"]
	v = $col["variant"]
	if (m == "ops_per_s") {
		if (!(r in seen)) {
			seen[r] = 1
			rows[++nr] = r
		}
		ops_s[r, v] = $col["median"]
		if (spread($col["boot_means"], $col["median"]) > SPREAD)
			unstable[r] = 1
	} else
		cnt[r, v, m] = $col["mean"]
	if (!(v in vs)) {
		vs[v] = 1
		if (v != ref)
			var[++nv] = v
	}
}
# A short label: the workload, its phase, and a size that tells apart
# cases of the same phase (manyfiles' filesize).
function label(r,  p, kv, parts, i, n, ph, sz) {
	split(r, p, SUBSEP)
	n = split(p[3], parts, ",")
	ph = sz = ""
	for (i = 1; i <= n; i++) {
		split(parts[i], kv, "=")
		if (kv[1] == "phase")
			ph = kv[2]
		if (kv[1] == "filesize")
			sz = kv[2]
	}
	return p[2] " " ph (sz == "" ? "" : " " sz)
}
function head(title,  j, l) {
	print ""
	print title
	l = sprintf("  %-22s %-6s %10s", "application", "fs", ref)
	for (j = 1; j <= nv; j++)
		l = l sprintf(" %8s", var[j])
	print l
}
function per_k(r, v,  o) {
	o = cnt[r, v, "ops"]
	return o > 0 ? 1000 / o : -1
}
END {
	if (bad)
		exit 2
	if (!nr)
		exit
	printf "Applications [%s]: operations per second as each reports them\n", accel
	printf "(median of the samples), and per 1000 operations what the DAX\n"
	printf "fault path did.  Variants are relative to %s on the same\n", ref
	printf "filesystem; above 1 is more operations per second.\n"
	if (accel != path_accel)
		printf "Emulated time moves with the host: which of these differences\nare beyond noise, the first section of this summary says.\n"
	head("Operations per second (" ref "), others relative to it:")
	for (i = 1; i <= nr; i++) {
		r = rows[i]
		split(r, p, SUBSEP)
		l = sprintf("  %-22s %-6s %10s", label(r), p[1], (r, ref) in ops_s ? fmt(ops_s[r, ref]) : "-")
		for (j = 1; j <= nv; j++)
			l = l sprintf(" %8s", ratio(r, var[j]))
		if (r in unstable) {
			l = l " !"
			marked++
		}
		print l
	}
	if (marked)
		printf "  ! boots of one kernel differ by more than %d %% in this row (file\n    layout, a PMD mapping or not): its ratios do not rank the kernels.\n", SPREAD * 100
	count_table("Filesystem calls per 1000 operations:", "fs_calls")
	count_table("DAX faults (PTE + PMD) per 1000 operations:", "faults")
}
# One table of counter 'what' per 1000 operations, a row per phase.
function count_table(title, what,  i, j, r, p, l) {
	head(title)
	for (i = 1; i <= nr; i++) {
		r = rows[i]
		split(r, p, SUBSEP)
		l = sprintf("  %-22s %-6s %10s", label(r), p[1], per_cell(r, ref, what))
		for (j = 1; j <= nv; j++)
			l = l sprintf(" %8s", per_cell(r, var[j], what))
		print l
	}
}
function per_cell(r, v, what,  k, x) {
	k = per_k(r, v)
	if (k < 0 || !((r, v, "ops") in cnt))
		return "-"
	if (what == "faults")
		x = cnt[r, v, "fault_pte"] + cnt[r, v, "fault_pmd"]
	else
		x = cnt[r, v, what]
	return sprintf("%.1f", x * k)
}
# Operations per second of variant v relative to the reference, or "-".
function ratio(r, v) {
	if (!((r, v) in ops_s) || !((r, ref) in ops_s) || ops_s[r, ref] <= 0)
		return "-"
	return sprintf("%.2f", ops_s[r, v] / ops_s[r, ref])
}
