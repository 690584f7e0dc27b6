#!/usr/bin/awk -f
# Functions shared by the report's awk programs: load it first,
#   awk -f scripts/awk/lib.awk -f scripts/awk/<program>.awk ...

function abs(x) { return x < 0 ? -x : x }

# A number as a table shows it: integers whole, large values rounded,
# small ones to 4 significant digits.
function fmt(x) {
	if (x == int(x) && abs(x) < 1e12)
		return sprintf("%d", x)
	if (abs(x) >= 100)
		return sprintf("%.0f", x)
	return sprintf("%.4g", x)
}

# Print line, then the comma-separated parts of cs after it, wrapped at
# commas so that no line passes 72 columns; continuation lines start
# with indent.  Case keys are never cut.
function wrap_case(line, cs, indent,  parts, i, np) {
	np = split(cs, parts, ",")
	for (i = 1; i <= np; i++) {
		if (length(line) + length(parts[i]) + 1 > 72) {
			sub(/ +$/, "", line)
			print line
			line = indent
		}
		line = line parts[i] (i < np ? "," : "")
	}
	print line
}

# The pairs "A:B C:D" whose variants both ran (global array variants[]),
# into pa[i] and pb[i]; returns how many.  The others, if asked for,
# into dropped[1..dropped["n"]] as "A:B" SUBSEP "the variant not in the run".
function split_pairs(pairs, pa, pb, dropped,  pl, ab, np, i, n) {
	n = dropped["n"] = 0
	np = split(pairs, pl, " ")
	for (i = 1; i <= np; i++) {
		split(pl[i], ab, ":")
		if (!(ab[1] in variants) || !(ab[2] in variants)) {
			dropped[++dropped["n"]] = pl[i] SUBSEP \
				(ab[1] in variants ? ab[2] : ab[1])
			continue
		}
		n++
		pa[n] = ab[1]
		pb[n] = ab[2]
	}
	return n
}

# The columns of a metrics.tsv header line (the current record) into
# col[name].  Returns "" when every space-separated name in need is
# there, else the first one missing.
function metrics_header(need,  i, w, n) {
	for (i = 1; i <= NF; i++)
		col[$i] = i
	n = split(need, w, " ")
	for (i = 1; i <= n; i++)
		if (!(w[i] in col))
			return w[i]
	return ""
}

# Mean, sample variance and count of a comma-separated list of boot
# means (metrics.tsv's boot_means) into bs_mean, bs_var, bs_n.
function boot_stats(list,  v, i, s, ss) {
	bs_n = split(list, v, ",")
	s = ss = 0
	for (i = 1; i <= bs_n; i++)
		s += v[i]
	bs_mean = s / bs_n
	for (i = 1; i <= bs_n; i++)
		ss += (v[i] - bs_mean) ^ 2
	bs_var = bs_n > 1 ? ss / (bs_n - 1) : 0
}

# Welch's t of the change from boot means la to lb (positive: lb is
# larger).  With no spread on either side: 0 if the means are equal,
# else +-1e9 (a deterministic difference).
function welch_t(la, lb,  ma, va, na, d) {
	boot_stats(la); ma = bs_mean; va = bs_var; na = bs_n
	boot_stats(lb)
	d = sqrt(va / na + bs_var / bs_n)
	if (d == 0)
		return bs_mean == ma ? 0 : (bs_mean > ma ? 1e9 : -1e9)
	return (bs_mean - ma) / d
}

# metrics_header(need), and if a column is missing, say so as program
# prog and return 0 (the caller exits 2).
function metrics_columns(prog, need,  miss) {
	miss = metrics_header(need)
	if (miss == "")
		return 1
	print prog ": input has no '" miss "' column: not a metrics.tsv" > "/dev/stderr"
	return 0
}

# path_accel, which every program that reads times as path lengths is
# given (-v path_accel="$(path_accel)", scripts/lib.sh): the accelerator
# whose guest time is executed instructions (configs/accelerators).
# Returns 0, and says so, when the caller did not give it.
function need_path_accel(prog) {
	if (path_accel != "")
		return 1
	printf "%s: no -v path_accel given (scripts/lib.sh path_accel)\n", prog > "/dev/stderr"
	return 0
}
