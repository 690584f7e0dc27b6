#!/usr/bin/env bash
# Draw the plots of a report folder from its results.tsv with gnuplot:
# grouped bars per filesystem, one group per benchmark case, one bar per
# variant, for the metrics that tell the fault paths apart.  PNG and SVG.
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

# Mean of metric per case (rows) and variant (columns), with short labels.
table() {
	local tsv=$1 fs=$2 metric=$3 accel=$4
	awk -F'\t' -v fs="$fs" -v m="$metric" -v a="$accel" '
	function label(c,  p, i, n, kv, out) {
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
		return $5 == "fault" ? out : $5 "/" out
	}
	$1 != "variant" && $4 == fs && $7 == m && $2 == a {
		k = label($6)
		if (!(k in seen)) { seen[k] = 1; cases[++nc] = k }
		if (!($1 in vs)) { vs[$1] = 1; var[++nv] = $1 }
		s[k, $1] += $10; n[k, $1]++
	}
	END {
		if (!nc) exit 1
		printf "case"
		for (j = 1; j <= nv; j++) printf "\t%s", var[j]
		printf "\n"
		for (i = 1; i <= nc; i++) {
			printf "%s", cases[i]
			for (j = 1; j <= nv; j++)
				printf "\t%s", n[cases[i], var[j]] ? s[cases[i], var[j]] / n[cases[i], var[j]] : "NaN"
			printf "\n"
		}
	}' "$tsv"
}

plot() {
	local dat=$1 out=$2 title=$3 ylabel=$4 scale=$5 ncol term yset
	ncol=$(head -n 1 "$dat" | awk -F'\t' '{print NF}')
	yset="set yrange [0:*]"
	[ "$scale" != log ] || yset="set logscale y; set yrange [1:*]"
	for term in "pngcairo size 1000,560 noenhanced font ',10'" "svg size 1000,560 noenhanced font ',10'"; do
		gnuplot <<GP
set terminal $term
set output '$out.${term%% *}'
set title "$title"
set ylabel "$ylabel"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set datafile separator "\t"
set datafile missing "NaN"
set key top left
set rmargin 12
set bmargin 7
set grid ytics
$yset
set xtics rotate by -30
plot for [c=2:$ncol] '$dat' using c:xtic(1) title columnheader
GP
	done
	mv "$out.pngcairo" "$out.png"
	mv "$out.svg" "$out.svg" 2>/dev/null || true
}

main() {
	local dir=${1:-} tsv fs p metric accel scale ylabel stem base
	[ -s "$dir/results.tsv" ] || die "no results.tsv in '$dir'"
	need_cmd gnuplot
	tsv=$dir/results.tsv
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
	done < <(awk -F'\t' 'NR > 1 { print $4 }' "$tsv" | sort -u)
}

main "$@"
