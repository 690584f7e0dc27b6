#!/usr/bin/env bash
# Sweep pfn's populate window (debugfs dax/populate_window) over the
# first-touch cells of configs/matrix-window, one run per window, plus
# one iomap run for reference, and print per window and filesystem:
# populate calls per first touch of the 64 MiB file, the worst single
# fault and the mean cost per page (icount: guest instructions).
#
# usage: window-sweep.sh [WINDOW ...]     (default: 0 1 16 64 256 512 2048)
# Runs are kept as runs/window-<W> and runs/window-iomap.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

MATRIX=$CONFIGS_DIR/matrix-window

run_one() {
	local id=$1 variants=$2 env=$3 m
	m=$(mktemp "${TMPDIR:-/tmp}/daxbench-window.XXXXXX")
	sed -e "s/^VARIANTS=.*/VARIANTS=\"$variants\"/" \
		-e "s/^ROUNDS=.*/&${env:+\\nGUEST_ENV=\"$env\"}/" "$MATRIX" >"$m"
	"$DAXBENCH_TOP/scripts/bench-all.sh" --matrix "$m" --run "$id" --force >/dev/null ||
		{ rm -f "$m"; die "run $id failed"; }
	rm -f "$m"
}

# window fs op calls lat_max ns_per_page: minimum over repetitions, from
# the run's results.tsv read by column name
table() {
	local w=$1 id=$2
	awk -F'\t' -v w="$w" -v pa="$(path_accel)" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["accel"] == pa {
		m = $col["metric"]; x = $col["value"] + 0
		if (m != "fs_calls" && m != "lat_max" && m != "ns_per_page")
			next
		op = $col["case"]
		sub(/^.*(^|,)op=/, "", op); sub(/,.*/, "", op)
		k = $col["fs"] "\t" op
		if (!((k, m) in v) || x < v[k, m]) v[k, m] = x
		keys[k] = 1
	} END {
		for (k in keys)
			printf "%s\t%s\t%d\t%d\t%.0f\n", w, k, v[k, "fs_calls"], v[k, "lat_max"], v[k, "ns_per_page"]
	}
	}' "$RUN_ROOT/$id/results.tsv" | sort -t$'\t' -k2,3
}

main() {
	local windows=("$@") w
	[ ${#windows[@]} -gt 0 ] || windows=(0 1 16 64 256 512 2048)
	for w in "${windows[@]}"; do
		[[ $w =~ ^[0-9]+$ ]] || die "window '$w' is not a number of pages"
	done
	run_one window-iomap iomap ''
	for w in "${windows[@]}"; do run_one "window-$w" pfn "DAX_POPULATE_WINDOW=$w"; done
	printf 'window\tfs\top\tfs_calls\tlat_max\tns_per_page\n'
	table iomap window-iomap
	for w in "${windows[@]}"; do table "$w" "window-$w"; done
}

main "$@"
