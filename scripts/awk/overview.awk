# One row per variant x filesystem for the headline case: the numbers a
# reader wants first.  Usage: awk -v headline=CASE-PREFIX -f overview.awk
# results.tsv   (CASE-PREFIX matches the start of the case column)
BEGIN { FS = "\t"; nrow = 0 }
$1 == "variant" { next }
NF >= 10 && index($6, headline) == 1 && $5 == "fault" {
	r = $1 SUBSEP $4
	if (!(r in seen)) {
		seen[r] = 1
		rows[++nrow] = r
	}
	k = r SUBSEP $2 SUBSEP $7
	n[k]++; s[k] += $10; ss[k] += $10 * $10
	if ($7 == "faults") { nf[r, $2]++; f[r, $2] += $10 }
	if ($7 == "fs_calls") fc[r, $2] += $10
	if ($7 == "direct_access") da[r, $2] += $10
	accs[$2] = 1
}
function m(k) { return n[k] ? s[k] / n[k] : -1 }
function sd(k,  mm, v) {
	if (n[k] < 2 || s[k] == 0) return 0
	mm = s[k] / n[k]
	v = (ss[k] - n[k] * mm * mm) / (n[k] - 1)
	return v > 0 ? 100 * sqrt(v) / mm : 0
}
function cell(k) {
	if (m(k) < 0) return sprintf("%13s", "-")
	return sprintf("%8.0f ±%2.0f%%", m(k), sd(k))
}
END {
	if (!nrow) {
		print "(no rows for the headline case)"
		exit
	}
	acc = ("icount" in accs) ? "icount" : ""
	if (acc == "") for (a in accs) { acc = a; break }
	printf "%-9s %-6s %9s %9s %13s %13s\n", "variant", "fs", "fs calls", \
	       "dax_dir.", "ns/page", "ns/page"
	printf "%-9s %-6s %9s %9s %13s %13s\n", "", "", "per fault", \
	       "per fault", "[icount]", "[tcg]"
	for (i = 1; i <= nrow; i++) {
		r = rows[i]
		split(r, p, SUBSEP)
		ff = f[r, acc]
		printf "%-9s %-6s %9s %9s %13s %13s\n", p[1], p[2],
		       ff ? sprintf("%.3f", fc[r, acc] / ff) : "-",
		       ff ? sprintf("%.3f", da[r, acc] / ff) : "-",
		       cell(r SUBSEP "icount" SUBSEP "ns_per_page"),
		       cell(r SUBSEP "tcg" SUBSEP "ns_per_page")
	}
}
