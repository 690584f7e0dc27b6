#!/usr/bin/env bash
# Unpack the pinned base kernel into a git repository in the cache.
# The repository's first commit is the Debian source exactly as shipped;
# variants are branches made from it by scripts/kernel-build.sh.
#
# usage: kernel-source.sh [--selftests]
#   --selftests  then print the tree's tools/testing/selftests (where
#                bench/Makefile finds kselftest.h for the guest tests)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

verify_package() {
	local have
	have=$(installed_version "$BASE_PACKAGE")
	[ -n "$have" ] ||
		die "$BASE_PACKAGE is not installed; run 'make deps'"
	[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL is missing; reinstall $BASE_PACKAGE"
	if [ "$have" != "$BASE_VERSION" ]; then
		[ "${DAXBENCH_BASE_OVERRIDE:-0}" = 1 ] ||
			die "installed $BASE_PACKAGE is $have but kernels/base.conf pins $BASE_VERSION; run 'make deps' to install the pin, or 'make rebase-base VERSION=$have' to move it"
		log "warning: building on $have instead of pinned $BASE_VERSION (override)"
	fi
}

verify_tarball() {
	local sum
	sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
	if [ "$sum" != "$BASE_SHA256" ]; then
		[ "${DAXBENCH_BASE_OVERRIDE:-0}" = 1 ] ||
			die "$BASE_TARBALL has sha256 $sum, kernels/base.conf pins $BASE_SHA256"
		log "warning: tarball sha256 $sum differs from the pin (override)"
	fi
	printf '%s\n' "$sum"
}

# Files unpacked so far (of about 80,000), for progress reports.
unpacked_files() {
	echo "$(find "$TMP_TREE" -type f 2>/dev/null | wc -l) files"
}

unpack() {
	local sum=$1 tmp
	cache_mkdir "$(dirname "$SRC_DIR")"
	tmp=$(mktemp -d "$SRC_DIR.tmp.XXXXXX")
	TMP_TREE=$tmp
	log "unpacking $BASE_TARBALL"
	with_progress "unpack $BASE_PACKAGE $BASE_VERSION" --count unpacked_files \
		tar -C "$tmp" --strip-components=1 -xJf "$BASE_TARBALL"
	git -C "$tmp" init -q -b base
	git -C "$tmp" config user.name daxbench
	git -C "$tmp" config user.email daxbench@localhost
	git -C "$tmp" config gc.auto 0
	with_progress "add the base to git" git -C "$tmp" add -A -f .
	git -C "$tmp" commit -q -m "base: $BASE_PACKAGE $BASE_VERSION" \
		-m "sha256 of $BASE_TARBALL: $sum"
	printf '%s\n' "$sum" >"$tmp/.git/daxbench-base-sha256"
	rm -rf "$SRC_DIR"
	mv "$tmp" "$SRC_DIR"
}

main() {
	load_base
	local print=''
	case ${1:-} in
	--selftests) print=$SRC_DIR/tools/testing/selftests ;;
	'') ;;
	*) die "unknown argument '$1' (usage: kernel-source.sh [--selftests])" ;;
	esac
	need_cmd git tar sha256sum dpkg-query
	verify_package
	if [ -f "$SRC_DIR/.git/daxbench-base-sha256" ]; then
		[ "$(cat "$SRC_DIR/.git/daxbench-base-sha256")" = "$BASE_SHA256" ] ||
			[ "${DAXBENCH_BASE_OVERRIDE:-0}" = 1 ] ||
			die "$SRC_DIR was unpacked from another tarball; remove it"
	else
		local sum
		sum=$(verify_tarball)
		unpack "$sum"
	fi
	[ -z "$print" ] || printf '%s\n' "$print"
}

main "$@"
