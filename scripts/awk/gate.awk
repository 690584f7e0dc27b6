#!/usr/bin/awk -f
# Compare a run against a baseline with the rules of configs/gate.conf.
# Both inputs are metrics.tsv (scripts/awk/metrics.awk): columns are found
# by name, each row carries its metric's kind and better direction from
# the registry, and boot_means for a boot-level test.
#
# usage: awk -v rules=configs/gate.conf -f lib.awk -f gate.awk BASE NEW
#
# Every row of the baseline whose metric has a direction (better = lower
# or higher) is gated by the first rule that matches it: a cost may not
# rise, a rate may not fall.  Such a row that no rule matches is an
# error (exit 2), so a new metric is never silently left ungated; a rule
# "off" leaves a metric out on purpose.  A gated row of the baseline that
# the run lacks fails as MISSING.  Prints each regression, the
# improvements, and a closing count line; exits 0 pass, 1 regression or
# missing row, 2 nothing compared or bad rules.
BEGIN {
	FS = "\t"
	nr = 0
	if (!load_rules(rules))
		exit 2
	if (nr == 0) {
		print "gate: no rules in " rules > "/dev/stderr"
		failed = 1
		exit 2
	}
}
# Append the rules of file f; "include FILE" (beside f) reads another
# file's rules at that point, so a stricter or looser file can put its
# own lines first and take the rest from configs/gate.conf.
function load_rules(f,  line, w, dir) {
	while ((getline line < f) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		split(line, w, /[ \t]+/)
		if (w[1] == "include") {
			dir = f
			sub(/[^\/]*$/, "", dir)
			if (!load_rules(dir w[2]))
				return 0
			continue
		}
		nr++
		r_acc[nr] = w[1]; r_met[nr] = w[2]; r_kind[nr] = w[3]
		r_p1[nr] = w[4]; r_p2[nr] = w[5]
		if (r_kind[nr] !~ /^(exact|slack|rel|best|welch|off)$/) {
			print "gate: bad rule in " f ": " line > "/dev/stderr"
			failed = 1
			return 0
		}
	}
	close(f)
	return 1
}
function glob2re(g) {
	gsub(/[.+^$()|{}\[\]\\]/, "\\\\&", g)
	gsub(/\*/, ".*", g)
	gsub(/\?/, ".", g)
	return "^" g "$"
}
# The first rule for this row: its metric pattern matches "metric",
# "workload/metric", "kind=<kind>", "workload/kind=<kind>" or
# "workload:case/metric".
function rule_for(acc, wl, cs, met, kd,  i, re) {
	for (i = 1; i <= nr; i++) {
		if (acc !~ glob2re(r_acc[i]))
			continue
		re = glob2re(r_met[i])
		if (met ~ re || (wl "/" met) ~ re || ("kind=" kd) ~ re ||
		    (wl "/kind=" kd) ~ re || (wl ":" cs "/" met) ~ re)
			return i
	}
	return 0
}
FNR == 1 {
	file++
	delete col
	if (!metrics_columns("gate (input " file ")", "variant accel fs workload case params metric kind better mean min max boot_means")) {
		failed = 1
		exit 2
	}
	next
}
{
	k = $col["variant"] SUBSEP $col["accel"] SUBSEP $col["fs"] SUBSEP \
	    $col["workload"] SUBSEP $col["case"] SUBSEP $col["params"] SUBSEP $col["metric"]
	have[file, k] = 1
	mean[file, k] = $col["mean"]
	lo[file, k] = $col["min"]
	hi[file, k] = $col["max"]
	bm[file, k] = $col["boot_means"]
	if (file == 1) {
		keys[++nkeys] = k
		kind[k] = $col["kind"]
		better[k] = $col["better"]
	}
}
function max(a, b) { return a > b ? a : b }
# The share of rule ri's allowance that the change from side 1 to side
# 2 of key k uses in direction d (d = 1: a cost rising or a rate
# falling, the wrong way; d = -1: the other way); above 1 is beyond the
# rule.  Sets base_v, new_v and pct.
function share(ri, k, d,  kind, diff, lim, t) {
	kind = r_kind[ri]
	if (kind == "best") {
		base_v = better_sign(k) > 0 ? lo[1, k] : hi[1, k]
		new_v = better_sign(k) > 0 ? lo[2, k] : hi[2, k]
	} else {
		base_v = mean[1, k]
		new_v = mean[2, k]
	}
	pct = base_v == 0 ? (new_v == 0 ? 0 : (new_v > 0 ? 100 : -100)) : 100 * (new_v - base_v) / abs(base_v)
	diff = d * better_sign(k) * (new_v - base_v)
	lim = 0				# exact: any change the wrong way
	if (kind == "slack")
		lim = max(r_p1[ri], r_p2[ri] * abs(base_v) / 100)
	if (kind == "rel" || kind == "best") {
		diff = d * better_sign(k) * pct
		lim = r_p1[ri]
	}
	if (kind == "welch") {
		# over the boots' means, not the repetitions of one boot
		t = welch_t(bm[1, k], bm[2, k])
		if (d * better_sign(k) * t < r_p1[ri])
			return 0
		diff = d * better_sign(k) * pct
		lim = r_p2[ri]
	}
	if (lim <= 0)
		return diff > 0 ? 1e9 : 0
	return diff / lim
}
# +1 for a cost (lower is better), -1 for a rate.
function better_sign(k) { return better[k] == "lower" ? 1 : -1 }
function where(p) {
	return p[1] " " p[3] " " p[4] " " p[5] (p[6] == "-" ? "" : " " p[6])
}
function rule_text(ri) {
	return r_kind[ri] (r_p1[ri] == "" ? "" : " " r_p1[ri]) (r_p2[ri] == "" ? "" : " " r_p2[ri])
}
END {
	if (failed)
		exit 2
	checked = regressed = missing = improved = 0
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		if (better[k] != "lower" && better[k] != "higher")
			continue
		split(k, p, SUBSEP)
		ri = rule_for(p[2], p[4], p[5], p[7], kind[k])
		if (!ri) {
			printf "gate: no rule in %s for metric %s (kind %s, accel %s); add one, or an 'off' rule saying why\n",
			       rules, p[7], kind[k], p[2] > "/dev/stderr"
			exit 2
		}
		if (r_kind[ri] == "off")
			continue
		# deleting rows (a variant, a filesystem, a cell) must not pass
		if (!((2, k) in have)) {
			missing++
			printf "MISSING in the run: %s\n    %s [%s]\n", where(p), p[7], p[2]
			continue
		}
		checked++
		u = share(ri, k, 1)
		if (calibrate)
			note_use(ri, u, p)
		if (u > 1) {
			regressed++
			printf "%s\n%12.6g %9s %12.6g  %s [%s] (%s)\n", where(p), base_v,
			       sprintf("%+.2f%%", pct), new_v, p[7], p[2], rule_text(ri)
		} else if (share(ri, k, -1) > 1) {
			imp[++improved] = sprintf("%s\n%12.6g %9s %12.6g  %s [%s] (%s)",
				where(p), base_v, sprintf("%+.2f%%", pct), new_v, p[7], p[2], rule_text(ri))
		}
	}
	if (checked == 0) {
		print "gate: no metric of the run matches the baseline" > "/dev/stderr"
		exit 2
	}
	if (calibrate)
		print_use()
	if (improved) {
		printf "improved beyond the same rules (remake the baseline with\n'make baseline' to keep them):\n"
		for (i = 1; i <= improved; i++)
			print imp[i]
	}
	printf "gate: %d metrics checked, %d regressed, %d missing, %d improved\n",
	       checked, regressed, missing, improved
	exit regressed || missing ? 1 : 0
}
# Calibration (-v calibrate=1): the largest share u of its allowance any
# gated row used the wrong way, per rule, with its row, printed as
# "use<TAB>share<TAB>rule<TAB>change<TAB>row".
function note_use(ri, u, p) {
	if (!(ri in use) || u > use[ri]) {
		use[ri] = u
		use_at[ri] = sprintf("%+.2f%%\t%s %s [%s]", pct, where(p), p[7], p[2])
	}
}
function print_use(  i) {
	for (i = 1; i <= nr; i++)
		if (i in use)
			printf "use\t%.4f\t%s %s %s\t%s\n", use[i], r_acc[i], r_met[i], rule_text(i), use_at[i]
}
