#!/usr/bin/env bats
# Every patch of every series passes the pinned tree's
# scripts/checkpatch.pl --strict, as a maintainer would run it.  The one
# CHECK allowed is CamelCase on __SetPageUptodate(), a kernel API name
# the series call but do not own.  patches/experiments is not a series
# anyone posts and is not checked.

load helpers

ALLOWED='^CHECK: Avoid CamelCase: <__SetPageUptodate>$'

# checkpatch's complaints about patch $1 that are not allowed, one per line.
complaints() {
	(cd "$BATS_TEST_TMPDIR" && "$SRC_DIR/scripts/checkpatch.pl" --strict --no-tree -q "$1" || true) |
		grep -E '^(ERROR|WARNING|CHECK):' | grep -vE "$ALLOWED" || true
}

# A fresh machine has no kernel source before 10-build.bats makes it, and
# a skip here let a cold 'make test' pass without checking one patch: make
# the source first (scripts/kernel-source.sh, about 25 s, a no-op when it
# is there).
setup_file() {
	[ -x "$SRC_DIR/scripts/checkpatch.pl" ] || "$TOP/scripts/kernel-source.sh" >&3 2>&1
}

setup() {
	[ -x "$SRC_DIR/scripts/checkpatch.pl" ] || {
		echo "no scripts/checkpatch.pl in $SRC_DIR after scripts/kernel-source.sh"
		return 1
	}
}

@test "checkpatch --strict: every patch of every series is clean" {
	local s p c bad='' n=0
	for s in "$TOP"/patches/*/; do
		s=$(basename "$s")
		[ "$s" != experiments ] || continue
		while read -r p; do
			n=$((n + 1))
			c=$(complaints "$p")
			[ -z "$c" ] || bad+="$s/$(basename "$p"): $c"$'\n'
		done < <(series_patches "$s")
	done
	echo "# $n patches checked" >&3
	[ "$n" -ge 10 ]
	[ -z "$bad" ] || { printf '%s' "$bad"; return 1; }
}

@test "checkpatch: the check does fail on a patch with a style error" {
	local p=$BATS_TEST_TMPDIR/bad.patch
	# a real patch with one line made too long and a trailing blank
	sed '0,/^+\t/s/^\(+\t.*\)$/\1 \/* this comment makes the line far too long for the kernel style *\/ /' \
		"$(series_patches pfn | head -n 1)" >"$p"
	run complaints "$p"
	echo "$output"
	[ -n "$output" ]
}
