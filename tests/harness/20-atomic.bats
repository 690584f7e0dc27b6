#!/usr/bin/env bats
# Results are written whole or not at all.

load helpers

setup() {
	scratch_repo
	# shellcheck source=../../scripts/lib.sh
	. "$REPO/scripts/lib.sh"
}

@test "atomic_write: the file appears complete" {
	printf 'a\nb\n' | atomic_write "$BATS_TEST_TMPDIR/f"
	[ "$(cat "$BATS_TEST_TMPDIR/f")" = "$(printf 'a\nb')" ]
	[ -z "$(find "$BATS_TEST_TMPDIR" -name 'f.tmp.*')" ]
}

@test "atomic_run: a failing producer leaves the old file alone" {
	echo old >"$BATS_TEST_TMPDIR/f"
	run atomic_run "$BATS_TEST_TMPDIR/f" bash -c 'echo new; exit 3'
	assert_failure 3
	[ -z "$(find "$BATS_TEST_TMPDIR" -name 'f.tmp.*')" ]
	assert_failure
	[ "$(cat "$BATS_TEST_TMPDIR/f")" = old ]
}

@test "atomic_write: a full disk is an error, and nothing half-written remains" {
	[ -w /dev/full ] || skip "no /dev/full"
	mkdir -p "$BATS_TEST_TMPDIR/d"
	ln -s /dev/full "$BATS_TEST_TMPDIR/d/full"
	run bash -c ". '$REPO/scripts/lib.sh'; head -c 100000 /dev/zero | atomic_write_via '$BATS_TEST_TMPDIR/d/out' '$BATS_TEST_TMPDIR/d/full'"
	assert_failure
	[ ! -e "$BATS_TEST_TMPDIR/d/out" ]
}
