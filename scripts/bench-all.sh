#!/usr/bin/env bash
# Run a benchmark matrix (configs/matrix-*) on every variant, interleaved:
# round 1 boots A B C, round 2 boots A B C, ... so host drift hits all
# variants alike.  Finished boots are kept; rerunning the same --run
# resumes where it stopped (--force redoes everything).
#
# usage: bench-all.sh --matrix FILE [--run ID] [--force]
#
# Writes $DAXBENCH_CACHE/runs/<ID>/results.tsv (one row per sample) once
# every boot has finished, and points runs/latest at it.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

MATRIX='' RUN_ID='' FORCE=0
HEADER=$'variant\taccel\tround\tfs\tworkload\tcase\tmetric\tunit\trep\tvalue'

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--matrix) MATRIX=$2; shift ;;
		--run) RUN_ID=$2; shift ;;
		--force) FORCE=1 ;;
		*) die "unknown option '$1'" ;;
		esac
		shift
	done
	[ -n "$MATRIX" ] || die "no --matrix given"
	[ -f "$MATRIX" ] || die "matrix file '$MATRIX' not found"
}

load_matrix() {
	local v a
	VARIANTS='' ACCELS='' ROUNDS='' FS='' CELLS='' TIMEOUT=1800 GUEST_ENV='' PROFILE=''
	# shellcheck source=/dev/null
	. "$MATRIX"
	# no VARIANTS: every variant in kernels/; no FS: every filesystem one of
	# them supports (lib.sh), so a new variant joins without a matrix edit
	[ -n "$VARIANTS" ] || VARIANTS=$(matrix_variants)
	# shellcheck disable=SC2086  # a list of variants
	[ -n "$FS" ] || FS=$(variants_fs $VARIANTS)
	if [ -z "$ACCELS" ] || [ -z "$CELLS" ]; then
		die "$MATRIX must set ACCELS and CELLS"
	fi
	[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "$MATRIX: ROUNDS must be a positive number"
	for v in $VARIANTS; do check_variant "$v"; done
	for a in $ACCELS; do check_accel "$a" "$MATRIX"; done
}

# Prefix one boot's rows with the columns that say where they came from.
boot_rows() {
	local dir=$1 variant=$2 accel=$3 round=$4
	awk -v p="$variant"$'\t'"$accel"$'\t'"$round" 'NF >= 7 { print p "\t" $0 }' "$dir/result.tsv"
}

# PROFILE ("program args", or fault arguments alone) set: perf stat and
# a perf record call-graph text profile of that cell per variant
# (scripts/profile.sh, plain TCG, the first filesystem of FS), kept
# across resumes like the boots.
profile_variants() {
	local run=$1 v
	for v in $VARIANTS; do
		if [ -s "$run/profiles/$v/profile.txt" ]; then
			log "profile $v: kept from before"
			continue
		fi
		"$DAXBENCH_TOP/scripts/profile.sh" --out "$run/profiles" --variant "$v" \
			--fs "${FS%% *}" --cell "$PROFILE" ||
			die "profile of $v failed; rerun with --run $RUN_ID to resume"
	done
}

assemble() {
	local run=$1 r a v
	echo "$HEADER"
	for r in $(seq 1 "$ROUNDS"); do
		for a in $ACCELS; do
			for v in $VARIANTS; do
				boot_rows "$run/boots/r$r-$a-$v" "$v" "$a" "$r"
			done
		done
	done
}

main() {
	local run total k=0 r a v e dir t0 now eta done_boots=0 ran=0 env_args
	parse_args "$@"
	load_matrix
	RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-$(basename "$MATRIX")}
	run=$RUN_ROOT/$RUN_ID
	cache_mkdir "$run/boots"
	if [ -f "$run/matrix" ] && ! cmp -s "$MATRIX" "$run/matrix" && [ "$FORCE" = 0 ]; then
		die "run $RUN_ID was started with another matrix; use a new --run or --force"
	fi
	[ "$FORCE" = 0 ] || rm -rf "$run/boots" "$run/results.tsv" "$run/profiles" "$run/start"
	mkdir -p "$run/boots"
	cp "$MATRIX" "$run/matrix"
	printf '%s\n' "$CELLS" >"$run/cells"
	rm -f "$run/results.tsv" "$run/manifest"
	# the commit and settings at the start: a resume adds a line, keeps the rest
	if [ -s "$run/start" ]; then
		printf 'resumed\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$DAXBENCH_TOP" rev-parse HEAD 2>/dev/null || echo unknown)" >>"$run/start"
	else
		atomic_run "$run/start" "$DAXBENCH_TOP/scripts/manifest.sh" start "$run"
	fi
	for v in $VARIANTS; do "$DAXBENCH_TOP/scripts/kernel-build.sh" "$v"; done
	total=$((ROUNDS * $(wc -w <<<"$VARIANTS") * $(wc -w <<<"$ACCELS")))
	log "run $RUN_ID: $total boots; resume an interrupted run with --run $RUN_ID"
	# Ctrl-C reaches the whole foreground group, QEMU included (guest-run.sh)
	trap 'log "interrupted; resume with --run $RUN_ID"; exit 130' INT TERM
	t0=$(date +%s)
	for r in $(seq 1 "$ROUNDS"); do
		for a in $ACCELS; do
			for v in $VARIANTS; do
				k=$((k + 1))
				dir=$run/boots/r$r-$a-$v
				if [ -f "$dir/result.tsv" ]; then
					done_boots=$((done_boots + 1))
					log "[$k/$total] round $r $a $v: kept from before"
					continue
				fi
				# a boot killed half way left its work folder: start clean
				rm -rf "$dir"
				load_variant "$v"
				env_args=()
				for e in $GUEST_ENV; do env_args+=(--env "$e"); done
				"$DAXBENCH_TOP/scripts/guest-run.sh" --variant "$v" --accel "$a" \
					--job "$DAXBENCH_TOP/scripts/guest/jobs/matrix.sh" \
					--data "$run/cells" --fs "$FS" --timeout "$TIMEOUT" --out "$dir" \
					"${env_args[@]}" ||
					die "[$k/$total] round $r $a $v failed; rerun with --run $RUN_ID to resume"
				ran=$((ran + 1))
				now=$(date +%s)
				eta=$(((now - t0) * (total - k) / ran))
				log "[$k/$total] round $r $a $v: done; elapsed $((now - t0))s, about ${eta}s to go"
			done
		done
	done
	[ -z "$PROFILE" ] || profile_variants "$run"
	atomic_run "$run/manifest" "$DAXBENCH_TOP/scripts/manifest.sh" "$run"
	atomic_run "$run/results.tsv" assemble "$run"
	ln -sfn "$RUN_ID" "$RUN_ROOT/latest"
	log "run $RUN_ID: $(($(wc -l <"$run/results.tsv") - 1)) rows in $run/results.tsv"
	echo "$run"
}

main "$@"
