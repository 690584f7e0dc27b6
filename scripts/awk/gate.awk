# Compare a run against a baseline with the rules of configs/gate.conf.
# Usage: awk -v rules=configs/gate.conf -f gate.awk BASE.tsv NEW.tsv
# Prints each regression in the summary layout and a closing count line;
# exits 1 if anything regressed, 2 if nothing could be compared.
BEGIN {
	FS = "\t"
	nr = 0
	while ((getline line < rules) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		nf = split(line, f, /[ \t]+/)
		nr++
		r_acc[nr] = f[1]; r_met[nr] = f[2]; r_kind[nr] = f[3]
		r_p1[nr] = f[4]; r_p2[nr] = f[5]
		if (r_kind[nr] !~ /^(exact|slack|rel|min|welch)$/) {
			print "gate: bad rule in " rules ": " line > "/dev/stderr"
			exit_now = 1
			exit 2
		}
	}
	if (nr == 0) {
		print "gate: no rules in " rules > "/dev/stderr"
		exit_now = 1
		exit 2
	}
}
function glob2re(g) {
	gsub(/[.+^$()|{}\[\]\\]/, "\\\\&", g)
	gsub(/\*/, ".*", g)
	gsub(/\?/, ".", g)
	return "^" g "$"
}
# A rule's metric pattern matches "metric" or "workload/metric".
function rule_for(acc, wl, met,  i, re) {
	for (i = 1; i <= nr; i++) {
		re = glob2re(r_met[i])
		if (acc ~ glob2re(r_acc[i]) && (met ~ re || (wl "/" met) ~ re))
			return i
	}
	return 0
}
FNR == 1 { file++ }
$1 == "variant" { next }
NF >= 10 {
	k = $1 SUBSEP $2 SUBSEP $4 SUBSEP $5 SUBSEP $6 SUBSEP $7
	n[file, k]++
	s[file, k] += $10
	ss[file, k] += $10 * $10
	if (!((file, k) in lo) || $10 < lo[file, k])
		lo[file, k] = $10
	keys[k] = 1
}
function max(a, b) { return a > b ? a : b }
# Does the change from mb to mn pass rule ri, upwards (dir 1, a
# regression) or downwards (dir -1, an improvement)?
function beyond(ri, mb, mn, pct, k, dir,  d, t) {
	if (r_kind[ri] == "exact")
		return dir * (mn - mb) > 0
	if (r_kind[ri] == "slack")
		return dir * (mn - mb) > max(r_p1[ri], r_p2[ri] * mb / 100)
	if (r_kind[ri] == "rel" || r_kind[ri] == "min")
		return dir * pct > r_p1[ri]
	d = sqrt(var(1, k) / n[1, k] + var(2, k) / n[2, k])
	t = d == 0 ? (mn != mb ? dir * (mn - mb) * 1e9 : 0) : (mn - mb) / d
	return dir * t >= r_p1[ri] && dir * pct > r_p2[ri]
}
function mean(f, k) { return s[f, k] / n[f, k] }
function var(f, k,  m, v) {
	if (n[f, k] < 2)
		return 0
	m = mean(f, k)
	v = (ss[f, k] - n[f, k] * m * m) / (n[f, k] - 1)
	return v < 0 ? 0 : v
}
END {
	if (exit_now)
		exit 2
	checked = 0; bad = 0
	for (k in keys) {
		if (!((1, k) in n))
			continue
		split(k, p, SUBSEP)
		ri = rule_for(p[2], p[4], p[6])
		if (!ri)
			continue
		# a gated cell of the baseline that the run lacks is a failure:
		# deleting rows (a variant, a filesystem) must not pass
		if (!((2, k) in n)) {
			missing++
			printf "MISSING in the run: %s %s %s %s\n    %s [%s]\n", p[1], p[3], p[4], p[5], p[6], p[2]
			continue
		}
		checked++
		# "min" compares the minimums (icount path lengths), the rest means
		if (r_kind[ri] == "min") {
			mb = lo[1, k]; mn = lo[2, k]
		} else {
			mb = mean(1, k); mn = mean(2, k)
		}
		pct = mb == 0 ? (mn > 0 ? 100 : 0) : 100 * (mn - mb) / mb
		fail = beyond(ri, mb, mn, pct, k, 1)
		if (!fail) {
			# the same rule the other way: an improvement
			if (beyond(ri, mb, mn, pct, k, -1)) {
				better++
				imp[better] = sprintf("%s %s %s %s\n%12.6g %9s %12.6g  %s [%s] (%s %s)",
					p[1], p[3], p[4], p[5], mb, sprintf("%+.2f%%", pct), mn,
					p[6], p[2], r_kind[ri], r_p1[ri])
			}
			continue
		}
		bad++
		printf "%s %s %s %s\n", p[1], p[3], p[4], p[5]
		printf "%12.6g %9s %12.6g  %s [%s] (%s %s)\n", mb,
		       sprintf("%+.2f%%", pct), mn, p[6], p[2], r_kind[ri], r_p1[ri]
	}
	if (checked == 0) {
		print "gate: no metric of the run matches the baseline" > "/dev/stderr"
		exit 2
	}
	if (better) {
		printf "improved beyond the same rules (remake the baseline with\n'make baseline' to keep them):\n"
		for (i = 1; i <= better; i++)
			print imp[i]
	}
	printf "gate: %d metrics checked, %d regressed, %d missing, %d improved\n",
	       checked, bad, missing, better
	exit bad || missing ? 1 : 0
}
