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
			print line
			line = indent
		}
		line = line parts[i] (i < np ? "," : "")
	}
	print line
}

# The pairs "A:B C:D" whose variants both ran (global array variants[]),
# into pa[i] and pb[i]; returns how many.
function split_pairs(pairs, pa, pb,  pl, ab, np, i, n) {
	n = 0
	np = split(pairs, pl, " ")
	for (i = 1; i <= np; i++) {
		split(pl[i], ab, ":")
		if (!(ab[1] in variants) || !(ab[2] in variants))
			continue
		n++
		pa[n] = ab[1]
		pb[n] = ab[2]
	}
	return n
}
