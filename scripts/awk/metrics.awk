#!/usr/bin/awk -f
# The metrics stage: results.tsv (every sample) in, metrics.tsv out, one
# row per variant x accel x fs x workload x case x params x metric:
#
#   variant accel fs workload case params metric unit kind better
#   n boots mean median min max sd boot_means
#
# Columns are found by the names in results.tsv's header line, never by
# position.  Case keys are normalised so that the same cell compares
# across variants: parameters that only some variants take (pfn's
# populate window) leave the case for the params column ("-" if none),
# and keys of runs made before 2026-11-30 get the names of the options
# that set them: thr, sit -> threads, situation; invalidate's op -> cut
# (op is read|write everywhere else); extent's seed -> aged, and its
# layout key (extent|aged, which the other key says) goes.
# A boot is one (variant, accel, round); boot_means lists each boot's
# mean of its repetitions in round order, comma separated, the numbers a
# boot-level test uses.  sd is the sample standard deviation over all
# samples (0 for one sample).  unit, kind and better come from the
# registry (configs/metrics); a metric it lacks is an error naming it.
# A stored metrics.tsv (its header has boot_means and no value) passes
# through with only its case keys renamed, so old reports read as new.
#
# usage: awk -v registry=configs/metrics -f scripts/awk/metrics.awk results.tsv
BEGIN {
	FS = OFS = "\t"
	# case parameters that become params
	nparams = split("window", param_names, " ")
	for (i = 1; i <= nparams; i++)
		is_param[param_names[i]] = 1
	# old case keys -> option names, per workload ("*": all)
	renamed["*", "thr"] = "threads"
	renamed["*", "sit"] = "situation"
	renamed["invalidate", "op"] = "cut"
	renamed["extent", "seed"] = "aged"
	dropped["extent", "layout"] = 1
	if (registry == "")
		die("no -v registry=configs/metrics given")
	while ((getline line < registry) > 0) {
		if (line ~ /^#/ || line ~ /^[ \t]*$/)
			continue
		nf = split(line, w, /[ \t]+/)
		if (nf < 4)
			die(registry ": malformed line: " line)
		reg_unit[w[1]] = w[2]
		reg_better[w[1]] = w[3]
		reg_kind[w[1]] = w[4]
	}
	close(registry)
}

function die(msg) {
	print "metrics.awk: error: " msg > "/dev/stderr"
	failed = 1
	exit 1
}

function need(name) {
	if (!(name in col))
		die("results.tsv has no '" name "' column (header: " header ")")
}

# case of workload w -> normalised case in ncase, params in nparam
function split_case(c, w,  parts, np, i, kv, keep, par) {
	np = split(c, parts, ",")
	keep = ""
	par = ""
	for (i = 1; i <= np; i++) {
		split(parts[i], kv, "=")
		if ((w, kv[1]) in dropped)
			continue
		if (("*", kv[1]) in renamed)
			parts[i] = renamed["*", kv[1]] "=" kv[2]
		else if ((w, kv[1]) in renamed)
			parts[i] = renamed[w, kv[1]] "=" kv[2]
		if (kv[1] in is_param)
			par = par (par == "" ? "" : ",") parts[i]
		else
			keep = keep (keep == "" ? "" : ",") parts[i]
	}
	ncase = keep
	nparam = par == "" ? "-" : par
}

NR == 1 {
	header = $0
	for (i = 1; i <= NF; i++)
		col[$i] = i
	# a stored metrics.tsv: only its case keys are renamed
	stored = ("boot_means" in col) && !("value" in col)
	if (stored) {
		need("case"); need("workload")
		print
		next
	}
	need("variant"); need("accel"); need("round"); need("fs")
	need("workload"); need("case"); need("metric"); need("unit")
	need("value")
	next
}

stored {
	split_case($col["case"], $col["workload"])
	$col["case"] = ncase
	print
	next
}

{
	split_case($col["case"], $col["workload"])
	m = $col["metric"]
	if (!(m in reg_unit))
		die("metric '" m "' is not in " registry "; add a line for it")
	key = $col["variant"] SUBSEP $col["accel"] SUBSEP $col["fs"] SUBSEP \
	      $col["workload"] SUBSEP ncase SUBSEP nparam SUBSEP m
	if (!(key in n)) {
		order[++nkeys] = key
		unit[key] = $col["unit"]
	}
	v = $col["value"] + 0
	n[key]++
	sum[key] += v
	val[key, n[key]] = v
	b = $col["round"]
	if (!((key, b) in bcount))
		boot[key, ++nboots[key]] = b
	bcount[key, b]++
	bsum[key, b] += v
}

# sort a[1..k] ascending (insertion sort: cells have few samples)
function sort_n(a, k,  i, j, t) {
	for (i = 2; i <= k; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}

function num(x) {
	return x == int(x) ? sprintf("%d", x) : sprintf("%.10g", x)
}

END {
	if (failed)
		exit 1
	if (stored)
		exit 0
	print "variant", "accel", "fs", "workload", "case", "params", "metric",
	      "unit", "kind", "better", "n", "boots", "mean", "median", "min",
	      "max", "sd", "boot_means"
	for (k = 1; k <= nkeys; k++) {
		key = order[k]
		split(key, f, SUBSEP)
		cnt = n[key]
		mean = sum[key] / cnt
		delete s
		ss = 0
		for (i = 1; i <= cnt; i++) {
			s[i] = val[key, i]
			ss += (s[i] - mean) ^ 2
		}
		sort_n(s, cnt)
		median = cnt % 2 ? s[(cnt + 1) / 2] : (s[cnt / 2] + s[cnt / 2 + 1]) / 2
		sd = cnt > 1 ? sqrt(ss / (cnt - 1)) : 0
		bm = ""
		for (i = 1; i <= nboots[key]; i++) {
			b = boot[key, i]
			bm = bm (i > 1 ? "," : "") num(bsum[key, b] / bcount[key, b])
		}
		print f[1], f[2], f[3], f[4], f[5], f[6], f[7], unit[key],
		      reg_kind[f[7]], reg_better[f[7]], cnt, nboots[key],
		      num(mean), num(median), num(s[1]), num(s[cnt]), num(sd), bm
	}
}
