# Shared by the bats files: a private copy of the harness and its cache.
# shellcheck shell=bash
# status and output are set by bats' run.
# shellcheck disable=SC2154

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# shellcheck source=../assert.bash
. "$TOP/tests/assert.bash"

# A copy of the harness in a scratch folder, so a test may add variants or
# break files without touching the repository.  Sets REPO and a private,
# empty DAXBENCH_CACHE.
scratch_repo() {
	REPO=$BATS_TEST_TMPDIR/repo
	mkdir -p "$REPO"
	cp -r "$TOP/scripts" "$TOP/kernels" "$TOP/patches" "$TOP/configs" "$REPO/"
	mkdir -p "$REPO/bench"
	export DAXBENCH_CACHE=$BATS_TEST_TMPDIR/cache
}

# A stand-in for the unpacked base: a tiny git repository with a 'base'
# branch and the marker kernel-source.sh trusts.
fake_source() {
	local src=$DAXBENCH_CACHE/src/linux sum
	mkdir -p "$src"
	git -C "$src" init -q -b base
	git -C "$src" config user.name t
	git -C "$src" config user.email t@t
	printf 'one\ntwo\nthree\n' >"$src/file.c"
	git -C "$src" add file.c
	git -C "$src" commit -q -m base
	# shellcheck source=/dev/null
	sum=$(. "$REPO/kernels/base.conf" && echo "$BASE_SHA256")
	echo "$sum" >"$src/.git/daxbench-base-sha256"
}

# A variant $1 whose one patch (patches/$1/0001-bad.patch) changes lines
# that the fake base (fake_source) does not have.
broken_variant() {
	mkdir -p "$REPO/patches/$1"
	cat >"$REPO/patches/$1/0001-bad.patch" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: t <t@t>
Date: Mon, 1 Jan 2024 00:00:00 +0000
Subject: [PATCH] test: a change against lines that are not there

---
 file.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/file.c b/file.c
--- a/file.c
+++ b/file.c
@@ -1,3 +1,3 @@
 alpha
-beta
+BETA
 gamma
PATCH
	printf 'VARIANT_SERIES="%s"\nVARIANT_CONFIGS="guest.config"\nVARIANT_FS="ext4"\n' "$1" \
		>"$REPO/kernels/$1.conf"
}
