#!/usr/bin/env bash
# Draw the plots of a report folder from its metrics.tsv with gnuplot,
# PNG and SVG, per filesystem: grouped bars (one group per case, one bar
# per variant, mean and one standard deviation over all samples) for the
# metrics in PLOTS (fault cost, fs calls, writeback, threads, NUMA); the
# first-touch latency percentiles; cost and fs calls against the measured
# extent size with the device-dax floor; XArray bytes and populate calls
# against pfn's window; every boot's mean against its cell (strips);
# applications relative to the reference.
#
# usage: plots.sh REPORT_DIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# metric accel y-scale unit-label file-stem [cases]  (costs span 4 decades:
# log y).  cases, if given, is an awk regex on "workload/case" that picks
# the groups shown.
# P: the accelerator whose times are instructions (configs/accelerators)
P=$(path_accel)
PLOTS=(
	"fs_calls_per_fault $P lin filesystem_mapping_calls_per_fault fs-calls"
	"ns_per_page $P log guest_instructions_per_page_(${P}_ns,_log) icount-ns"
	"ns_per_page tcg log emulated_ns_per_page_(TCG,_log) tcg-ns"
	"lat_p99 tcg log p99_touch_latency_ns_(TCG,_log) tcg-p99"
	"dirty_ns_per_page $P lin guest_instructions_per_dirty_page_($P) writeback-dirty"
	"flush_ns_per_page $P lin guest_instructions_per_flushed_dirty_page_($P) writeback-flush"
	"ns_per_page tcg lin emulated_ns_per_page_(TCG,_1_vs_2_threads) threads-tcg-ns ^fault/map=pte,op=read,order=seq,threads=[0-9]+,(split=[a-z]+,)?situation=(first|refault),layout=written,"
	"ns_per_page tcg-numa lin emulated_ns_per_page_(TCG,_NVDIMM_on_node_1) numa-tcg-ns"
)

# A case as a plot labels it: its values without the defaults (size,
# seq order, one thread, a written layout), then the parameters (pfn's
# window), prefixed by the workload unless it is "fault".  Shared by the
# awk programs below, which start with it.
LABEL_AWK='
	function label(wl, c, pr,  p, i, n, kv, out) {
		n = split(c, p, ",")
		out = ""
		for (i = 1; i <= n; i++) {
			split(p[i], kv, "=")
			if (kv[1] == "size" || (kv[1] == "order" && kv[2] == "seq") ||
			    (kv[1] == "threads" && kv[2] == 1) ||
			    (kv[1] == "layout" && kv[2] == "written"))
				continue
			out = out (out == "" ? "" : "/") (kv[1] == "threads" ? "t" kv[2] : kv[2])
		}
		if (pr != "-")
			out = out "/" pr
		return wl == "fault" ? out : wl "/" out
	}
'

# Mean and standard deviation of metric per case (rows) and variant (two
# columns each: mean, sd), with short case labels, from metrics.tsv.
table() {
	local tsv=$1 fs=$2 metric=$3 accel=$4 cases=${5:-}
	awk -F'\t' -v fs="$fs" -v m="$metric" -v a="$accel" -v pick="$cases" "$LABEL_AWK"'
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["metric"] == m && $col["accel"] == a &&
	(pick == "" || ($col["workload"] "/" $col["case"]) ~ pick) {
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
# The same first-touch PTE read cell gives devdax_floor() its floor.
TAIL_CASE=map=pte,op=read,order=seq,threads=1,situation=first,layout=written
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
set ylabel "guest instructions per fault ($P, log)"
set xlabel "first-touch fault latency percentile"
set logscale y
plot for [c=2:$(columns "$dat")] '$dat' using 0:c:xtic(1) with linespoints lw 2 title columnheader(c)
GP
}

# Cost against the extent size the filesystem really gave (FIEMAP mean,
# measured per variant), log x: one block per variant (gnuplot index),
# rows "extent_bytes value sd case", sorted by size.  Names of the
# blocks in order on the first line ("# variants a b ...").
extent_table() {
	local tsv=$1 fs=$2 metric=$3 accel=$4
	awk -F'\t' -v fs="$fs" -v m="$metric" -v a="$accel" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["accel"] == a && $col["workload"] == "extent" &&
	$col["params"] == "-" && ($col["metric"] == m || $col["metric"] == "extent_mean_bytes") {
		v = $col["variant"]; c = $col["case"]
		if (!(v in vs)) { vs[v] = 1; var[++nv] = v }
		if ($col["metric"] == "extent_mean_bytes")
			x[v, c] = $col["median"]
		else {
			y[v, c] = $col["mean"]; sd[v, c] = $col["sd"]
			if (!((v, c) in seen)) { seen[v, c] = 1; cs[v] = cs[v] SUBSEP c }
		}
	}
	function label(c,  p, n, i, kv, out) {
		n = split(c, p, ",")
		for (i = 1; i <= n; i++) {
			split(p[i], kv, "=")
			if (kv[1] == "extent")
				out = kv[2]
			else if (kv[1] == "aged")
				out = "aged/" kv[2]
		}
		return out
	}
	END {
		# a curve needs two extent sizes (ext2 has one: it cannot punch
		# the holes the smaller sizes are made of)
		for (j = 1; j <= nv; j++)
			if (split(substr(cs[var[j]], 2), cl, SUBSEP) >= 2)
				curve = 1
		if (!curve) exit 1
		printf "# variants"
		for (j = 1; j <= nv; j++) printf " %s", var[j]
		printf "\n"
		for (j = 1; j <= nv; j++) {
			v = var[j]
			n = split(substr(cs[v], 2), cl, SUBSEP)
			# insertion sort by measured extent size
			for (i = 2; i <= n; i++)
				for (k = i; k > 1 && x[v, cl[k]] + 0 < x[v, cl[k - 1]] + 0; k--) {
					t = cl[k]; cl[k] = cl[k - 1]; cl[k - 1] = t
				}
			printf "%s", (j > 1 ? "\n\n" : "")
			for (i = 1; i <= n; i++)
				if ((v, cl[i]) in x)
					printf "%s\t%s\t%s\t%s\n", x[v, cl[i]], y[v, cl[i]], sd[v, cl[i]], label(cl[i])
		}
	}' "$tsv"
}

# The device-dax floor for a first-touch PTE read (the fault path with
# no filesystem), as the reference variant measured it; empty if the
# run has no device-dax cells.
devdax_floor() {
	local tsv=$1 accel=$2
	awk -F'\t' -v a="$accel" -v ref="$(reference_variant)" -v c="$TAIL_CASE" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == "devdax" && $col["accel"] == a && $col["variant"] == ref &&
	$col["metric"] == "ns_per_page" && $col["workload"] == "fault" &&
	index($col["case"], c) == 1 {
		print $col["median"]; exit
	}' "$tsv"
}

extent_plot() {
	local dat=$1 out=$2 title=$3 ylabel=$4 floor=$5 names n extra=""
	names=$(sed -n '1s/^# variants //p' "$dat")
	n=$(wc -w <<<"$names")
	[ -z "$floor" ] || extra=", $floor with lines lc rgb 'black' dt 2 title 'device-dax floor'"
	draw "$out" 900,560 <<GP
set title "$title"
set ylabel "$ylabel"
set xlabel "mean extent size the filesystem gave (FIEMAP, bytes, log)"
set logscale xy
set format x "%.0s%cB"
set key outside right top
names = "$names"
plot for [i=0:$((n - 1))] '$dat' index i using 1:2:3 with yerrorlines lw 2 title word(names, i + 1)$extra
GP
}

# XArray bytes per GiB mapped and populate calls per GiB against pfn's
# populate window (memory workload), other variants as lines: rows
# "window xa_bytes_per_gib populate_calls_per_gib", then a line per other
# variant "# ref variant xa_bytes_per_gib".
window_table() {
	local tsv=$1 fs=$2
	awk -F'\t' -v fs="$fs" -v pa="$P" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["accel"] == pa && $col["workload"] == "memory" &&
	($col["metric"] == "xa_bytes_per_gib" || $col["metric"] == "fs_calls") {
		v = $col["variant"]; w = $col["params"]
		if (w == "-") {
			if ($col["metric"] == "xa_bytes_per_gib") other[v] = $col["median"]
			next
		}
		sub(/^window=/, "", w)
		if (!(w in seen)) { seen[w] = 1; ws[++nw] = w }
		# the case key names the mapped size (size=256M): calls per GiB
		if ($col["metric"] == "fs_calls") {
			gib = 1
			if (match($col["case"], /size=[0-9]+[KMG]/)) {
				s = substr($col["case"], RSTART + 5, RLENGTH - 6)
				u = substr($col["case"], RSTART + RLENGTH - 1, 1)
				gib = s / (u == "G" ? 1 : u == "M" ? 1024 : 1048576)
			}
			calls[w] = $col["median"] / gib
		} else
			xa[w] = $col["median"]
	}
	END {
		if (!nw) exit 1
		# windows by size, 0 (the whole extent) last
		for (i = 2; i <= nw; i++)
			for (k = i; k > 1 && (ws[k - 1] == 0 || (ws[k] != 0 && ws[k] + 0 < ws[k - 1] + 0)); k--) {
				t = ws[k]; ws[k] = ws[k - 1]; ws[k - 1] = t
			}
		for (v in other)
			printf "# ref %s %s\n", v, other[v]
		printf "window\txa_bytes_per_gib\tpopulate_calls_per_gib\n"
		for (i = 1; i <= nw; i++)
			printf "%s\t%s\t%s\n", ws[i] == 0 ? "extent" : ws[i], xa[ws[i]], calls[ws[i]]
	}' "$tsv"
}

window_plot() {
	local dat=$1 out=$2 title=$3 refs
	refs=$(awk '$1 == "#" && $2 == "ref" { printf ", %s with lines dt 2 lw 2 title \"%s XArray\"", $4, $3 }' "$dat")
	draw "$out" 900,560 <<GP
set title "$title"
set xlabel "populate window (pages; extent = the whole extent)"
set ylabel "XArray bytes per GiB mapped"
set y2label "populate calls per GiB mapped (log)"
set logscale y2
set yrange [0:*]
set ytics nomirror
set y2tics
set key outside right top
plot '$dat' using 0:2:xtic(1) with linespoints lw 2 pt 7 title 'pfn XArray bytes', \
     '' using 0:3 axes x1y2 with linespoints lw 2 pt 5 title 'pfn populate calls'$refs
GP
}

# Every boot's mean of the icount cost per page, as % from the median of
# the cell's boot means: one strip per fault case, one colour per
# variant.  Rows "x pct" in one block per variant; the first lines carry
# the variant names and the gnuplot xtics.
strip_table() {
	local tsv=$1 fs=$2
	awk -F'\t' -v fs="$fs" -v pa="$P" "$LABEL_AWK"'
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["accel"] == pa && $col["workload"] == "fault" &&
	$col["metric"] == "ns_per_page" && $col["params"] == "-" && $col["boots"] > 1 {
		v = $col["variant"]; c = $col["case"]
		if (!(v in vs)) { vs[v] = 1; var[++nv] = v }
		if (!(c in seen)) { seen[c] = 1; cs[++nc] = c }
		bm[v, c] = $col["boot_means"]; med[v, c] = median($col["boot_means"])
	}
	function median(s,  b, n, i, k, t) {
		n = split(s, b, ",")
		for (i = 2; i <= n; i++)
			for (k = i; k > 1 && b[k] + 0 < b[k - 1] + 0; k--) {
				t = b[k]; b[k] = b[k - 1]; b[k - 1] = t
			}
		return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
	}
	END {
		if (!nv) exit 1
		printf "# variants"
		for (j = 1; j <= nv; j++) printf " %s", var[j]
		printf "\n# xtics "
		for (i = 1; i <= nc; i++) printf "%s\"%s\" %d", (i > 1 ? ", " : ""), label("fault", cs[i], "-"), i
		printf "\n"
		for (j = 1; j <= nv; j++) {
			printf "%s", (j > 1 ? "\n\n" : "")
			for (i = 1; i <= nc; i++) {
				if (!((var[j], cs[i]) in bm) || med[var[j], cs[i]] <= 0)
					continue
				n = split(bm[var[j], cs[i]], b, ",")
				for (k = 1; k <= n; k++)
					printf "%.3f\t%.4f\n", i + (j - (nv + 1) / 2) * 0.15,
						100 * (b[k] / med[var[j], cs[i]] - 1)
			}
		}
	}' "$tsv"
}

strip_plot() {
	local dat=$1 out=$2 title=$3 names xtics n
	names=$(sed -n '1s/^# variants //p' "$dat")
	xtics=$(sed -n '2s/^# xtics //p' "$dat")
	n=$(wc -w <<<"$names")
	draw "$out" 1000,560 <<GP
set title "$title"
set ylabel "boot mean - median of boot means (%, $P)"
set xtics ($xtics) rotate by 30 right
set xrange [0.5:$(grep -o '" [0-9]*' <<<"$xtics" | tail -n 1 | tr -d '" ') + 0.5]
set lmargin 14
set bmargin 9
set key outside right top
set xzeroaxis
names = "$names"
plot for [i=0:$((n - 1))] '$dat' index i using 1:2 with points pt 7 ps 1 title word(names, i + 1)
GP
}

# Applications (workloads reporting ops_per_s) on filesystem $2 under
# icount: operations per second of every variant relative to the
# reference (kernels/base.conf), one group per application phase.
apps_table() {
	local tsv=$1 fs=$2 ref
	ref=$(reference_variant)
	awk -F'\t' -v fs="$fs" -v ref="$ref" -v pa="$P" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["fs"] == fs && $col["accel"] == pa && $col["metric"] == "ops_per_s" &&
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
set ylabel "operations per second relative to $(reference_variant) ($P)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set bmargin 9
set yrange [0:*]
set xtics rotate by 30 right
plot for [c=2:$(columns "$dat")] '$dat' using c:xtic(1) title columnheader(c), 1 with lines lc rgb "black" dt 2 notitle
GP
}

# Write what the table function (the rest of the arguments) prints into
# STEM.dat; false, and no .dat left, when it has nothing to show.
emit() {
	local stem=$1
	shift
	"$@" >"$stem.dat" && return 0
	rm -f "$stem.dat"
	return 1
}

main() {
	local dir=${1:-} fs p metric accel scale ylabel stem cases base d floor
	need_cmd gnuplot
	tsv=$(mktemp "${TMPDIR:-/tmp}/daxbench-plots.XXXXXX")  # global: the trap runs after main
	trap 'rm -f "$tsv"' EXIT
	# through lib.sh, which gives the case keys of older reports today's names
	if [ -s "$dir/metrics.tsv" ]; then
		run_metrics "$dir/metrics.tsv" >"$tsv"
	elif [ -s "$dir/metrics.tsv.gz" ]; then
		run_metrics "$dir/metrics.tsv.gz" >"$tsv"
	else
		die "no metrics.tsv in '$dir' (make it with 'make report')"
	fi
	base=$(grep -m1 '^base_package' "$dir/manifest" 2>/dev/null | cut -f2 || echo '?')
	floor=$(devdax_floor "$tsv" "$P")
	mkdir -p "$dir/plots"
	while read -r fs; do
		for p in "${PLOTS[@]}"; do
			read -r metric accel scale ylabel stem cases <<<"$p"
			d=$dir/plots/$fs-$stem
			if emit "$d" table "$tsv" "$fs" "$metric" "$accel" "$cases"; then
				plot "$d.dat" "$d" "$fs -o dax: $metric [$accel]  (base $base)" \
					"${ylabel//_/ }" "$scale"
			fi
		done
		d=$dir/plots/$fs-first-touch-tail
		if emit "$d" tail_table "$tsv" "$fs" "$P"; then
			tail_plot "$d.dat" "$d" "$fs -o dax: first-touch fault latency [$P] (base $base)"
		fi
		d=$dir/plots/$fs-extent-icount-ns
		if emit "$d" extent_table "$tsv" "$fs" ns_per_page "$P"; then
			extent_plot "$d.dat" "$d" "$fs -o dax: first-touch read of a file in extents of one size [$P]" \
				"guest instructions per page ($P, log)" "$floor"
		fi
		d=$dir/plots/$fs-extent-fs-calls
		if emit "$d" extent_table "$tsv" "$fs" fs_calls_per_fault "$P"; then
			extent_plot "$d.dat" "$d" "$fs -o dax: filesystem calls per fault against extent size [$P]" \
				"filesystem mapping calls per fault (log)" ""
		fi
		d=$dir/plots/$fs-window
		if emit "$d" window_table "$tsv" "$fs"; then
			window_plot "$d.dat" "$d" "$fs -o dax: pfn's populate window, $(reference_variant)'s XArray for reference [$P]"
		fi
		d=$dir/plots/$fs-boot-strips
		if emit "$d" strip_table "$tsv" "$fs"; then
			strip_plot "$d.dat" "$d" "$fs -o dax: fault cost per page, each boot against the cell's median [$P]"
		fi
		d=$dir/plots/$fs-apps
		if emit "$d" apps_table "$tsv" "$fs"; then
			apps_plot "$d.dat" "$d" "$fs -o dax: applications, relative to $(reference_variant) (base $base)"
		fi
	done < <(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "fs") c = i; next } { print $c }' "$tsv" | sort -u)
}

main "$@"
