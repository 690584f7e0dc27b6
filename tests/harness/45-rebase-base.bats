#!/usr/bin/env bats
# make rebase-base VERSION=...: installs that version, records it and its
# tarball sha256 in kernels/base.conf, unpacks it and names a series that
# no longer applies.  apt-get, apt-cache, dpkg-query are stand-ins: the
# "archive" holds a tiny source tarball.

load helpers

setup() {
	scratch_repo
	STUBS=$BATS_TEST_TMPDIR/bin
	mkdir -p "$STUBS"
	# a tiny "kernel source" tarball, installed by the stand-in apt-get
	local src=$BATS_TEST_TMPDIR/pkg/linux-source-6.1
	mkdir -p "$src"
	printf 'one\ntwo\nthree\n' >"$src/file.c"
	NEWTAR=$BATS_TEST_TMPDIR/pkg.tar.xz
	tar -C "$BATS_TEST_TMPDIR/pkg" -cJf "$NEWTAR" linux-source-6.1
	TARBALL=$BATS_TEST_TMPDIR/usr-src/linux-source-6.1.tar.xz
	mkdir -p "${TARBALL%/*}"
	export NEWTAR TARBALL STATE=$BATS_TEST_TMPDIR/installed SERVED="6.1.192-2 6.1.192-3"
	echo 6.1.192-2 >"$STATE"
	cat >"$STUBS/dpkg-query" <<'STUB'
#!/bin/sh
for p; do :; done
printf 'install ok installed %s' "$(cat "$STATE")"
STUB
	cat >"$STUBS/apt-cache" <<'STUB'
#!/bin/sh
for v in $SERVED; do printf ' linux-source-6.1 | %s | http://archive bookworm/main amd64 Packages\n' "$v"; done
STUB
	cat >"$STUBS/apt-get" <<'STUB'
#!/bin/sh
for a; do case $a in linux-source-6.1=*) echo "${a#*=}" >"$STATE"; cp "$NEWTAR" "$TARBALL" ;; esac; done
STUB
	printf '#!/bin/sh\necho 0\n' >"$STUBS/id"
	chmod +x "$STUBS"/*
	sed -i "s|^BASE_TARBALL=.*|BASE_TARBALL=$TARBALL|" "$REPO/kernels/base.conf"
	# one variant, whose patch does not apply to the new base
	# every variant there is (kernels/ owns the list), not a list kept here
	find "$REPO/kernels" -name "*.conf*" ! -name base.conf -delete
	broken_variant x
}

rebase() {
	PATH=$STUBS:$PATH run "$REPO/scripts/rebase-base.sh" "$@"
	echo "$output"
}

@test "rebase-base: pins the new version and its sha256, names the series that fails" {
	rebase 6.1.192-3
	assert_error "variants that do not build on 6\.1\.192-3: x"
	grep -q "x: patch does not apply: patches/x/0001-bad.patch" <<<"$output"
	grep -qx "BASE_VERSION=6.1.192-3" "$REPO/kernels/base.conf"
	grep -qx "BASE_SHA256=$(sha256sum "$NEWTAR" | cut -d' ' -f1)" "$REPO/kernels/base.conf"
	[ "$(cat "$DAXBENCH_CACHE/src/linux/.git/daxbench-base-sha256")" = "$(sha256sum "$NEWTAR" | cut -d' ' -f1)" ]
}

@test "rebase-base: a version the archive does not serve changes nothing" {
	cp "$REPO/kernels/base.conf" "$BATS_TEST_TMPDIR/before"
	rebase 6.1.999-1
	assert_error "linux-source-6.1 6\.1\.999-1 is not served by the archive \(served: 6\.1\.192-2 6\.1\.192-3\)"
	cmp "$REPO/kernels/base.conf" "$BATS_TEST_TMPDIR/before"
}

@test "rebase-base: no version is a usage error" {
	rebase
	assert_error "usage: make rebase-base VERSION="
}
