#!/usr/bin/env bats
# make deps installs exactly the pinned base kernel source.  apt-get,
# apt-cache and dpkg-query are stand-ins on PATH that answer like a machine
# with 6.1.192-3 installed and record what they were asked: no network.

load helpers

setup() {
	scratch_repo
	STUBS=$BATS_TEST_TMPDIR/bin
	APTLOG=$BATS_TEST_TMPDIR/apt.log
	mkdir -p "$STUBS"
	export APTLOG INSTALLED_BASE=6.1.192-3 SERVED="6.1.192-3 6.1.192-2 6.1.192-1"
	# shellcheck source=/dev/null
	PINNED=$(. "$REPO/kernels/base.conf" && echo "$BASE_VERSION")
	# every package is installed; the base at $INSTALLED_BASE
	cat >"$STUBS/dpkg-query" <<'STUB'
#!/bin/sh
for p; do :; done
case $p in
linux-source-6.1) printf 'install ok installed %s' "$INSTALLED_BASE" ;;
*) printf 'install ok installed 1.0' ;;
esac
STUB
	cat >"$STUBS/apt-cache" <<'STUB'
#!/bin/sh
for v in $SERVED; do printf ' linux-source-6.1 | %s | http://archive bookworm/main amd64 Packages\n' "$v"; done
STUB
	cat >"$STUBS/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >>"$APTLOG"
STUB
	printf '#!/bin/sh\necho 0\n' >"$STUBS/id"
	chmod +x "$STUBS"/*
	# the "installed" tarball: a small file whose hash the pin names
	TARBALL=$BATS_TEST_TMPDIR/linux-source.tar.xz
	echo tarball >"$TARBALL"
	sed -i -e "s|^BASE_TARBALL=.*|BASE_TARBALL=$TARBALL|" \
		-e "s|^BASE_SHA256=.*|BASE_SHA256=$(sha256sum "$TARBALL" | cut -d' ' -f1)|" \
		"$REPO/kernels/base.conf"
}

deps() {
	PATH=$STUBS:$PATH run "$REPO/scripts/deps.sh"
	echo "$output"
}

@test "deps: a newer base installed is replaced by the pinned version" {
	deps
	assert_success
	grep -q "^apt-get update" "$APTLOG"
	grep -E "^apt-get install .*--allow-downgrades.* linux-source-6\.1=$PINNED( |\$)" "$APTLOG"
	grep -q "linux-source-6.1: 6.1.192-3 -> $PINNED (pinned)" <<<"$output"
}

@test "deps: the pinned base already installed asks apt for nothing" {
	INSTALLED_BASE=$PINNED deps
	assert_success
	[ ! -e "$APTLOG" ]
	grep -q "tarball sha256 matches the pin" <<<"$output"
}

@test "deps: a pin the archive no longer serves: one line, versions served, the fix" {
	SERVED="6.1.192-3 6.1.192-4" deps
	assert_error "linux-source-6.1 $PINNED \(pinned in kernels/base.conf\) is not served by the archive \(served: 6\.1\.192-3 6\.1\.192-4\); move the pin with 'make rebase-base VERSION=<version>'"
	[ "$(grep -c 'error:' <<<"$output")" -eq 1 ]
	[ ! -e "$APTLOG" ] || [ "$(grep -c "^apt-get install" "$APTLOG")" -eq 0 ]
}

@test "deps: the pinned version with another tarball hash is refused" {
	echo other >"$TARBALL"
	INSTALLED_BASE=$PINNED deps
	assert_error "has sha256 [0-9a-f]+, kernels/base.conf pins [0-9a-f]+"
}
