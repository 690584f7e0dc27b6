#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031  # bats' run sets $output in each test
# Why the guest tests (tests/guest) report through the pinned tree's
# kselftest.h and not through its kselftest_harness.h: the harness of the
# pinned base cannot say "known failure".  A test that ran and failed on a
# variant that is known to fail it would be "not ok" (a failure of the
# suite) or a SKIP ("not run", which hides where a variant is worse);
# kselftest.h's ksft_test_result_xfail() says what happened.  Its SKIP
# line does not name the test either.  Mainline's harness (2024) takes
# KSFT_XFAIL from a test and names every result: if these tests fail
# after a base move, the harness fits and the guest tests should move
# to TEST()/FIXTURE().  KSFT_DIR names another selftests directory.

load helpers

setup_file() {
	local ksft=${KSFT_DIR:-}
	[ -n "$ksft" ] || ksft=$("$TOP/scripts/kernel-source.sh" --selftests)
	export KSFT_DIR=$ksft
	harness_output >"$BATS_FILE_TMPDIR/harness.out"
}

# Build and run, once for the file, a two-test program on the harness of
# $KSFT_DIR: one test ends the way a test says "expected failure" (exit
# KSFT_XFAIL), one skips.
harness_output() {
	[ -f "$KSFT_DIR/kselftest_harness.h" ] ||
		fail "no kselftest_harness.h in $KSFT_DIR (run 'make deps')"
	cat >"$BATS_FILE_TMPDIR/t.c" <<'EOF'
#include "kselftest_harness.h"

TEST(known_failure)
{
	_exit(KSFT_XFAIL);
}

TEST(skipped)
{
	SKIP(return, "reason");
}

TEST_HARNESS_MAIN
EOF
	gcc -w -I"$KSFT_DIR" -o "$BATS_FILE_TMPDIR/t" "$BATS_FILE_TMPDIR/t.c" ||
		fail "the harness test program does not build against $KSFT_DIR"
	"$BATS_FILE_TMPDIR/t" 2>&1 || true
}

@test "kselftest_harness.h of the pinned tree reports a known failure as a failure" {
	run cat "$BATS_FILE_TMPDIR/harness.out"
	echo "$output"
	assert_line --regexp '^not ok 1 global[.]known_failure$'
	refute_line --regexp '^ok 1 .*# XFAIL'
}

@test "kselftest_harness.h of the pinned tree does not name a skipped test" {
	run cat "$BATS_FILE_TMPDIR/harness.out"
	echo "$output"
	assert_line --regexp '^ok 2 # SKIP reason$'
}

@test "kselftest.h of the pinned tree reports a known failure as XFAIL (what tests/guest use)" {
	cat >"$BATS_TEST_TMPDIR/x.c" <<'EOF'
#include "kselftest.h"

int main(void)
{
	ksft_print_header();
	ksft_set_plan(1);
	ksft_test_result_xfail("known-failure: why\n");
	ksft_exit_pass();
}
EOF
	gcc -w -I"$KSFT_DIR" -o "$BATS_TEST_TMPDIR/x" "$BATS_TEST_TMPDIR/x.c"
	run "$BATS_TEST_TMPDIR/x"
	echo "$output"
	assert_success
	assert_line --regexp '^ok 1 # XFAIL known-failure: why$'
}
