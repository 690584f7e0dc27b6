#!/usr/bin/env bash
# Move the pinned base kernel to another version of the Debian package:
# install it, record its version and tarball sha256 in kernels/base.conf,
# unpack it, build every variant on it (naming a series that no longer
# applies) and say that the gate baseline must be remade.
#
# usage: rebase-base.sh VERSION        (make rebase-base VERSION=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

install_version() {
	local version=$1 served
	served=$(served_versions "$BASE_PACKAGE")
	grep -qF -- " $version " <<<" $served " ||
		die "$BASE_PACKAGE $version is not served by the archive (served: $served)"
	[ "$(id -u)" -eq 0 ] || die "installing $BASE_PACKAGE=$version needs root (run 'sudo make rebase-base VERSION=$version')"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		--allow-downgrades "$BASE_PACKAGE=$version" >/dev/null ||
		die "apt-get could not install $BASE_PACKAGE=$version"
	[ -f "$BASE_TARBALL" ] || die "$BASE_PACKAGE $version installed no $BASE_TARBALL"
}

# Rewrite the two pinned values of kernels/base.conf, nothing else.
write_pin() {
	local version=$1 sum=$2
	sed -e "s/^BASE_VERSION=.*/BASE_VERSION=$version/" \
		-e "s/^BASE_SHA256=.*/BASE_SHA256=$sum/" "$KERNELS_DIR/base.conf" |
		atomic_write "$KERNELS_DIR/base.conf"
}

main() {
	local version=${1:-} old sum v failed=''
	{ [ $# -eq 1 ] && [ -n "$version" ]; } || die "usage: make rebase-base VERSION=<package version> (see 'apt-cache policy linux-source-6.1')"
	[[ $version =~ ^[0-9][A-Za-z0-9.+~:-]*$ ]] || die "'$version' is not a Debian package version"
	load_base
	old=$BASE_VERSION
	install_version "$version"
	sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
	write_pin "$version" "$sum"
	log "kernels/base.conf: $BASE_PACKAGE $old -> $version (sha256 $sum)"
	# the unpacked base and every worktree made from it are of the old base
	if [ -d "$SRC_DIR" ]; then
		log "removing the unpacked $old base ($SRC_DIR)"
		rm -rf "$SRC_DIR"
	fi
	"$DAXBENCH_TOP/scripts/kernel-source.sh"
	for v in $(known_variants); do
		"$DAXBENCH_TOP/scripts/kernel-build.sh" "$v" || failed+=" $v"
	done
	[ -z "$failed" ] || die "variants that do not build on $version:$failed (the error above names the patch); fix the series, then 'make kernels'"
	log "every variant builds on $BASE_PACKAGE $version"
	log "the gate baseline (reports/baseline) was measured on $old: remake it with 'make baseline' and commit it with kernels/base.conf"
}

main "$@"
