#!/usr/bin/env bash
# Draw the plots of a report folder from its metrics.tsv with gnuplot:
# grouped bars per filesystem, one group per benchmark case, one bar per
# variant (mean, error bar: one standard deviation over all samples),
# for the metrics that tell the fault paths apart.  PNG and SVG.
#
# usage: plots.sh REPORT_DIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# metric accel y-scale unit-label file-stem  (costs span 4 decades: log y)
PLOTS=(
	"fs_calls_per_fault icount lin filesystem_mapping_calls_per_fault fs-calls"
	"ns_per_page icount log guest_instructions_per_page_(icount_ns,_log) icount-ns"
	"ns_per_page tcg log emulated_ns_per_page_(TCG,_log) tcg-ns"
	"lat_p99 tcg log p99_touch_latency_ns_(TCG,_log) tcg-p99"
)

# Mean and standard deviation of metric per case (rows) and variant (two
# columns each: mean, sd), with short case labels, from metrics.tsv.
table() {
	local tsv=$1 fs=$2 metric=$3 accel=$4
	awk -F'\t' -v fs="$fs" -v m="$metric" -v a="$accel" '
	function label(wl, c, pr,  p, i, n, kv, out) {
		n = split(c, p, ",")
		out = ""
		for (i = 1; i <= n; i++) {
			split(p[i], kv, "=")
			if (kv[1] == "size" || (kv[1] == "order" && kv[2] == "seq") ||
			    (kv[1] == "thr" && kv[2] == 1) ||
			    (kv[1] == "layout" && kv[2] == "written"))
				continue
			out = out (out == "" ? "" : "/") (kv[1] == "thr" ? "t" kv[2] : kv[2])
		}
		if (pr != "-")
			out = out "/" pr
		return wl == "fault" ? out : wl "/" out
	}
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["metric"] == m && $col["accel"] == a {
		k = label($col["workload"], $col["case"], $col["params"])
		v = $col["variant"]
		if (!(k in seen)) { seen[k] = 1; cases[++nc] = k }
		if (!(v in vs)) { vs[v] = 1; var[++nv] = v }
		mu[k, v] = $col["mean"]; sd[k, v] = $col["sd"]
	}
	END {
		if (!nc) exit 1
		printf "case"
		for (j = 1; j <= nv; j++) printf "\t%s\t%s_sd", var[j], var[j]
		printf "\n"
		for (i = 1; i <= nc; i++) {
			printf "%s", cases[i]
			for (j = 1; j <= nv; j++)
				if ((cases[i], var[j]) in mu)
					printf "\t%s\t%s", mu[cases[i], var[j]], sd[cases[i], var[j]]
				else
					printf "\tNaN\tNaN"
			printf "\n"
		}
	}' "$tsv"
}

# Run the gnuplot commands on stdin twice, into OUT.png and OUT.svg, at
# SIZE ("W,H"), with what every plot here shares: tab-separated data,
# NaN for a missing cell, the key top left, a y grid.
draw() {
	local out=$1 size=$2 body term ext
	body=$(cat)
	for term in pngcairo svg; do
		ext=${term%cairo}
		gnuplot <<GP
set terminal $term size $size noenhanced font ',10'
set output '$out.$ext'
set datafile separator "\t"
set datafile missing "NaN"
set key top left
set grid ytics
$body
GP
	done
}

# Columns of the first line of a .dat file.
columns() { head -n 1 "$1" | awk -F'\t' '{ print NF }'; }

plot() {
	local dat=$1 out=$2 title=$3 ylabel=$4 scale=$5 yset
	yset="set yrange [0:*]"
	[ "$scale" != log ] || yset="set logscale y; set yrange [1:*]"
	draw "$out" 1000,560 <<GP
set title "$title"
set ylabel "$ylabel"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set key outside right top
set bmargin 9
$yset
set xtics rotate by 30 right
plot for [c=2:$(columns "$dat"):2] '$dat' using c:c+1:xtic(1) title columnheader(c)
GP
}

# The first-touch fault latency distribution as far as the benchmark
# records it (p50, p90, p99 and the worst fault, medians over samples),
# per variant: where populating a whole extent in one fault shows.
TAIL_CASE=map=pte,op=read,order=seq,thr=1,sit=first,layout=written
tail_table() {
	local tsv=$1 fs=$2 accel=$3
	awk -F'\t' -v fs="$fs" -v a="$accel" -v c="$TAIL_CASE" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["accel"] == a && $col["workload"] == "fault" &&
	index($col["case"], c) == 1 && $col["params"] == "-" &&
	$col["metric"] ~ /^lat_(p50|p90|p99|max)$/ {
		v = $col["variant"]
		if (!(v in vs)) { vs[v] = 1; var[++nv] = v }
		mu[$col["metric"], v] = $col["median"]
	}
	END {
		if (!nv) exit 1
		printf "percentile"
		for (j = 1; j <= nv; j++) printf "\t%s", var[j]
		printf "\n"
		np = split("p50 p90 p99 max", p, " ")
		for (i = 1; i <= np; i++) {
			printf "%s", p[i]
			for (j = 1; j <= nv; j++)
				printf "\t%s", (("lat_" p[i], var[j]) in mu) ? mu["lat_" p[i], var[j]] : "NaN"
			printf "\n"
		}
	}' "$tsv"
}

tail_plot() {
	local dat=$1 out=$2 title=$3
	draw "$out" 800,500 <<GP
set title "$title"
set ylabel "guest instructions per fault (icount, log)"
set xlabel "first-touch fault latency percentile"
set logscale y
plot for [c=2:$(columns "$dat")] '$dat' using 0:c:xtic(1) with linespoints lw 2 title columnheader(c)
GP
}



# Applications (workloads reporting ops_per_s) on filesystem $2 under
# icount: operations per second of every variant relative to the
# reference (kernels/base.conf), one group per application phase.
apps_table() {
	local tsv=$1 fs=$2 ref
	ref=$(reference_variant)
	awk -F'\t' -v fs="$fs" -v ref="$ref" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["accel"] == "icount" && $col["metric"] == "ops_per_s" &&
	$col["params"] == "-" {
		n = split($col["case"], p, ",")
		ph = sz = ""
		for (i = 1; i <= n; i++) {
			split(p[i], kv, "=")
			if (kv[1] == "phase") ph = kv[2]
			if (kv[1] == "filesize") sz = "/" kv[2]
		}
		k = $col["workload"] "/" ph sz
		v = $col["variant"]
		if (!(k in seen)) { seen[k] = 1; rows[++nr] = k }
		if (!(v in vs)) { vs[v] = 1; if (v != ref) var[++nv] = v }
		val[k, v] = $col["median"]
	}
	function rel(k, v) {
		if (!((k, v) in val) || !((k, ref) in val) || val[k, ref] <= 0)
			return "NaN"
		return val[k, v] / val[k, ref]
	}
	END {
		if (!nr || !nv) exit 1
		printf "application"
		for (j = 1; j <= nv; j++) printf "\t%s", var[j]
		printf "\n"
		for (i = 1; i <= nr; i++) {
			printf "%s", rows[i]
			for (j = 1; j <= nv; j++)
				printf "\t%s", rel(rows[i], var[j])
			printf "\n"
		}
	}' "$tsv"
}

apps_plot() {
	local dat=$1 out=$2 title=$3
	draw "$out" 1000,560 <<GP
set title "$title"
set ylabel "operations per second relative to $(reference_variant) (icount)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set bmargin 9
set yrange [0:*]
set xtics rotate by 30 right
plot for [c=2:$(columns "$dat")] '$dat' using c:xtic(1) title columnheader(c), 1 with lines lc rgb "black" dt 2 notitle
GP
}

main() {
	local dir=${1:-} fs p metric accel scale ylabel stem base
	need_cmd gnuplot
	tsv=$(mktemp "${TMPDIR:-/tmp}/daxbench-plots.XXXXXX")  # global: the trap runs after main
	trap 'rm -f "$tsv"' EXIT
	if [ -s "$dir/metrics.tsv" ]; then
		cp "$dir/metrics.tsv" "$tsv"
	elif [ -s "$dir/metrics.tsv.gz" ]; then
		gzip -dc "$dir/metrics.tsv.gz" >"$tsv"
	else
		die "no metrics.tsv in '$dir' (make it with 'make report')"
	fi
	base=$(grep -m1 '^base_package' "$dir/manifest" 2>/dev/null | cut -f2 || echo '?')
	mkdir -p "$dir/plots"
	while read -r fs; do
		for p in "${PLOTS[@]}"; do
			read -r metric accel scale ylabel stem <<<"$p"
			table "$tsv" "$fs" "$metric" "$accel" >"$dir/plots/$fs-$stem.dat" || {
				rm -f "$dir/plots/$fs-$stem.dat"
				continue
			}
			plot "$dir/plots/$fs-$stem.dat" "$dir/plots/$fs-$stem" \
				"$fs -o dax: $metric [$accel]  (base $base)" "${ylabel//_/ }" "$scale"
		done
		if tail_table "$tsv" "$fs" icount >"$dir/plots/$fs-first-touch-tail.dat"; then
			tail_plot "$dir/plots/$fs-first-touch-tail.dat" "$dir/plots/$fs-first-touch-tail" \
				"$fs -o dax: first-touch fault latency [icount] (base $base)"
		else
			rm -f "$dir/plots/$fs-first-touch-tail.dat"
		fi
		if apps_table "$tsv" "$fs" >"$dir/plots/$fs-apps.dat"; then
			apps_plot "$dir/plots/$fs-apps.dat" "$dir/plots/$fs-apps" \
				"$fs -o dax: applications, relative to $(reference_variant) (base $base)"
		else
			rm -f "$dir/plots/$fs-apps.dat"
		fi
	done < <(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "fs") c = i; next } { print $c }' "$tsv" | sort -u)
}

main "$@"
