#!/usr/bin/env bats
# An interrupted bench-all run resumes cleanly: the boots that finished
# are kept as they are, the interrupted boot is redone, the run's results
# hold each boot's rows exactly once and only from its finished attempt,
# a resume with another matrix is refused, and --force starts over.
#
# A tiny matrix (iomap, tcg, three rounds of one 2 MiB fault cell on
# ext4: three boots of ~12 s) runs in a scratch copy of the harness with
# a private cache, so runs/latest and the real runs stay untouched.  The
# first run is killed, with every process it started (QEMU included),
# while its second boot is under way.

load helpers

ROUNDS=3
CELL='fault --map pte --op read --situation refault --size 2M --reps 1'
RUN_ID=resume-test
BOOT_WAIT=180	# seconds for one boot to finish or start

setup() {
	need_kernel iomap
	[ -x "$TOP/bench/build/fault" ] || skip "benchmarks not built (make bench)"
	SID=''
	scratch_harness
	MATRIX=$BATS_TEST_TMPDIR/matrix
	write_matrix "$ROUNDS" >"$MATRIX"
	RUN=$DAXBENCH_CACHE/runs/$RUN_ID
	LOG=$BATS_TEST_TMPDIR/first.log
}

teardown() {
	[ -z "$SID" ] || kill_session "$SID"
}

# The harness through symlinks, except kernel-build.sh: bench-all builds
# every variant first, and 10-build.bats already has; the stand-in only
# checks the image, so the test spends its time in guest boots, never
# in make over the kernel tree or waiting for its build lock.  The cache
# is private but for the kernels.
scratch_harness() {
	local real_cache=$DAXBENCH_CACHE f d
	H=$BATS_TEST_TMPDIR/harness
	mkdir -p "$H/scripts"
	for f in "$TOP"/scripts/*; do ln -s "$f" "$H/scripts/"; done
	rm "$H/scripts/kernel-build.sh"
	cat >"$H/scripts/kernel-build.sh" <<'EOF'
#!/usr/bin/env bash
# Test stand-in: the kernel must already be built.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
load_variant "$1"
[ -f "$(variant_bzimage "$1" "${2:-}")" ] || die "no $1 kernel"
EOF
	chmod +x "$H/scripts/kernel-build.sh"
	for d in bench kernels patches configs; do ln -s "$TOP/$d" "$H/$d"; done
	export DAXBENCH_CACHE=$BATS_TEST_TMPDIR/cache
	mkdir -p "$DAXBENCH_CACHE"
	ln -s "$real_cache/variants" "$DAXBENCH_CACHE/variants"
}

# $1 rounds.
write_matrix() {
	cat <<EOF
VARIANTS="iomap"
ACCELS="tcg"
ROUNDS=$1
FS="ext4"
TIMEOUT=300
CELLS="
$CELL
"
EOF
}

bench_all() {
	"$H/scripts/bench-all.sh" --matrix "$@"
}

# Wait up to $1 seconds until "${@:2}" succeeds.
wait_for() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

alive() { ps -o pid= -s "$1" >/dev/null; }

# Fail if "$@" succeeds (bats does not fail a test on "! cmd").
refute() {
	if "$@"; then
		echo "unexpectedly true: $*"
		return 1
	fi
}
booting() { compgen -G "$RUN/boots/r2-tcg-iomap/.boot.*/qemu.cmd" >/dev/null; }

# TERM every process of session $1, then KILL what is left: bench-all,
# guest-run and also QEMU, which timeout(1) moves to a process group of
# its own (so a Ctrl-C to bench-all's group never reaches it).
kill_session() {
	local pids
	for _ in $(seq 1 20); do
		pids=$(ps -o pid= -s "$1" || true)
		[ -n "$pids" ] || return 0
		# shellcheck disable=SC2086  # a list of pids
		kill -TERM $pids 2>/dev/null || true
		sleep 0.5
	done
	pids=$(ps -o pid= -s "$1" || true)
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
}

# The rows of round $1 in the run's results.tsv, without the first three
# columns (variant, accel, round): what that boot's result.tsv holds.
round_rows() {
	awk -F'\t' -v r="$1" 'NR > 1 && $3 == r' "$RUN/results.tsv" | cut -f4-
}

boot_rows() {
	awk -F'\t' 'NF >= 7' "$RUN/boots/r$1-tcg-iomap/result.tsv"
}

@test "an interrupted bench-all resumes: kept boots, redone boot, no mixing; --force starts over" {
	local r n sum1 ino1

	# 1. Start the run in a session of its own; kill it all during boot 2.
	# (fd 3 closed: bats waits for whatever holds it)
	# shellcheck disable=SC2016  # $$ and $@ are for the inner bash
	(setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$BATS_TEST_TMPDIR/sid" \
		"$H/scripts/bench-all.sh" --matrix "$MATRIX" --run "$RUN_ID" >"$LOG" 2>&1 3>&- &)
	wait_for 10 test -s "$BATS_TEST_TMPDIR/sid"
	SID=$(cat "$BATS_TEST_TMPDIR/sid")
	if ! wait_for "$BOOT_WAIT" booting; then
		cat "$LOG"
		echo "boot 2 never started"
		return 1
	fi
	sleep 2	# QEMU is up and the guest is running
	kill_session "$SID"
	refute alive "$SID"
	SID=''
	cat "$LOG"
	grep -q '\[1/3\] round 1 tcg iomap: done' "$LOG"
	refute grep -q '\[2/3\] round 2 tcg iomap: done' "$LOG"
	touch "$BATS_TEST_TMPDIR/killed"

	# Boot 1 finished; boot 2 left nothing that counts as a result; the
	# run has no results.tsv and is not runs/latest.
	[ -s "$RUN/boots/r1-tcg-iomap/result.tsv" ]
	[ -s "$RUN/boots/r1-tcg-iomap/meta" ]
	[ ! -e "$RUN/boots/r2-tcg-iomap/result.tsv" ]
	[ ! -e "$RUN/boots/r3-tcg-iomap" ]
	[ ! -e "$RUN/results.tsv" ]
	[ ! -e "$DAXBENCH_CACHE/runs/latest" ]
	sum1=$(sha256sum <"$RUN/boots/r1-tcg-iomap/result.tsv")
	ino1=$(stat -c %i "$RUN/boots/r1-tcg-iomap/result.tsv")

	# 2. Resuming with another matrix would mix two runs: refused, and
	# nothing of the run is touched.
	write_matrix 2 >"$BATS_TEST_TMPDIR/matrix2"
	run bench_all "$BATS_TEST_TMPDIR/matrix2" --run "$RUN_ID"
	assert_error "run $RUN_ID was started with another matrix"
	cmp "$MATRIX" "$RUN/matrix"
	[ "$(sha256sum <"$RUN/boots/r1-tcg-iomap/result.tsv")" = "$sum1" ]

	# 3. Resume: boot 1 kept as it was, boot 2 redone, boot 3 run.
	run bench_all "$MATRIX" --run "$RUN_ID"
	echo "$output"
	assert_success
	grep -q '\[1/3\] round 1 tcg iomap: kept from before' <<<"$output"
	grep -q '\[2/3\] round 2 tcg iomap: done' <<<"$output"
	grep -q '\[3/3\] round 3 tcg iomap: done' <<<"$output"
	[ "$(grep -c 'guest-run.sh: iomap (tcg): ok' <<<"$output")" -eq 2 ]
	[ "$(sha256sum <"$RUN/boots/r1-tcg-iomap/result.tsv")" = "$sum1" ]
	[ "$(stat -c %i "$RUN/boots/r1-tcg-iomap/result.tsv")" = "$ino1" ]
	refute test "$RUN/boots/r1-tcg-iomap/result.tsv" -nt "$BATS_TEST_TMPDIR/killed"
	for r in 2 3; do
		[ "$RUN/boots/r$r-tcg-iomap/result.tsv" -nt "$BATS_TEST_TMPDIR/killed" ]
		[ "$RUN/boots/r$r-tcg-iomap/meta" -nt "$BATS_TEST_TMPDIR/killed" ]
	done

	# Each round's rows in results.tsv are exactly its boot's rows, once;
	# every boot has as many as boot 1 (the redone boot is complete).
	n=$(boot_rows 1 | wc -l)
	[ "$n" -gt 0 ]
	[ "$(head -n 1 "$RUN/results.tsv" | cut -f1-3)" = "$(printf 'variant\taccel\tround')" ]
	[ "$(wc -l <"$RUN/results.tsv")" -eq $((ROUNDS * n + 1)) ]
	for r in 1 2 3; do
		[ "$(boot_rows "$r" | wc -l)" -eq "$n" ]
		diff <(round_rows "$r") <(boot_rows "$r")
	done
	[ "$(awk -F'\t' 'NR > 1 { print $1 "\t" $2 }' "$RUN/results.tsv" | sort -u)" = "$(printf 'iomap\ttcg')" ]
	[ "$(readlink "$DAXBENCH_CACHE/runs/latest")" = "$RUN_ID" ]

	# 4. --force (here with a two-round matrix) starts over: nothing is
	# kept, the third boot of the old matrix is gone, the run is the new
	# matrix's alone.
	touch "$BATS_TEST_TMPDIR/resumed"
	run bench_all "$BATS_TEST_TMPDIR/matrix2" --run "$RUN_ID" --force
	echo "$output"
	assert_success
	refute grep -q 'kept from before' <<<"$output"
	[ "$(grep -c 'guest-run.sh: iomap (tcg): ok' <<<"$output")" -eq 2 ]
	for r in 1 2; do
		[ "$RUN/boots/r$r-tcg-iomap/result.tsv" -nt "$BATS_TEST_TMPDIR/resumed" ]
		diff <(round_rows "$r") <(boot_rows "$r")
	done
	[ ! -e "$RUN/boots/r3-tcg-iomap" ]
	[ -z "$(find "$RUN/boots" -name '.boot.*')" ]
	cmp "$BATS_TEST_TMPDIR/matrix2" "$RUN/matrix"
	[ "$(wc -l <"$RUN/results.tsv")" -eq $((2 * n + 1)) ]
}
