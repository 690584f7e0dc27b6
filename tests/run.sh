#!/usr/bin/env bash
# The whole test suite: every part prints TAP, this script runs them in
# order, echoes their TAP and ends with one line "N passed, N failed".
#
#   unit     C unit tests of bench/lib
#   build    the benchmarks compile (-Wall -Wextra -Werror, static)
#   lint     shellcheck on every harness script
#   harness  bats tests of the harness (bad input, atomic results, ...)
#   kernel   build every variant, boot it, check DAX and run the suite
#
# DAXBENCH_TEST_KERNEL=0 skips the kernel level, DAXBENCH_TEST_HARNESS=0
# the harness level.  DAXBENCH_TEST_MODE=full runs the long cases.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
PASSED=0 FAILED=0 SKIPPED=0
START=$(date +%s)

# Run one TAP producer and count its lines as they come, so a person sees
# progress (long steps write "# ..." comments, see lib.sh's progress).  A
# producer that exits non-zero without a "not ok" line counts as one
# failure of its own.
tap_part() {
	local name=$1 rcfile line nok=0 rc
	shift
	echo "# --- $name: $* ---"
	rcfile=$(mktemp "${TMPDIR:-/tmp}/daxbench-rc.XXXXXX")
	while IFS= read -r line; do
		echo "$line"
		case $line in
		"not ok "*) FAILED=$((FAILED + 1)); nok=$((nok + 1)) ;;
		"ok "*"# skip"* | "ok "*"# SKIP"*) SKIPPED=$((SKIPPED + 1)) ;;
		"ok "*) PASSED=$((PASSED + 1)) ;;
		esac
	done < <(rc=0; "$@" 2>&1 || rc=$?; echo "$rc" >"$rcfile")
	rc=$(cat "$rcfile")
	rm -f "$rcfile"
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		FAILED=$((FAILED + 1))
	fi
}

unit_tests() {
	make -s -C tests/unit && tests/unit/build/test_lib
}

# TAP line number $1: does make in folder $2 succeed (what it builds: $3)?
build_one() {
	if make -s -C "$2" >/dev/null; then
		echo "ok $1 - $3 build with -Wall -Wextra -Werror"
	else
		echo "not ok $1 - $3 build with -Wall -Wextra -Werror"
	fi
}

build_bench() {
	build_one 1 bench "benchmarks (static)"
	build_one 2 tools "host tools (the QEMU plugin)"
	echo "1..2"
}

# Every shell file of the project: the one lint list (make shellcheck too).
lint_files() {
	git ls-files -co --exclude-standard '*.sh' '.ci/run' 'tests/*.bash' '*.bats' \
		'configs/matrix-*' 'kernels/*.conf' 'patches/experiments/*/matrix'
}

lint() {
	local f n=0 out
	out=$(mktemp "${TMPDIR:-/tmp}/daxbench-shellcheck.XXXXXX")
	while IFS= read -r f; do
		n=$((n + 1))
		if shellcheck -x "$f" >"$out" 2>&1; then
			echo "ok $n - shellcheck $f"
		else
			echo "not ok $n - shellcheck $f"
			sed 's/^/# /' "$out"
		fi
	done < <(lint_files)
	rm -f "$out"
	echo "1..$n"
}

main() {
	if [ "${1:-}" = lint ]; then
		# make shellcheck: the lint part alone, same list
		tap_part lint lint
		echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
		[ "$FAILED" -eq 0 ]
		return
	fi
	tap_part unit unit_tests
	tap_part build build_bench
	tap_part lint lint
	if [ "${DAXBENCH_TEST_HARNESS:-1}" != 0 ]; then
		tap_part harness bats --tap --timing tests/harness
	fi
	if [ "${DAXBENCH_TEST_KERNEL:-1}" != 0 ]; then
		tap_part kernel bats --tap --timing tests/kernel
	fi
	echo "# total time $(($(date +%s) - START))s"
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ]
}

main "$@"
