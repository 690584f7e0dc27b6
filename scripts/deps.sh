#!/usr/bin/env bash
# Install everything daxbench needs from the Debian 12 archive, and nothing
# from anywhere else.  The base kernel source is installed at exactly the
# version kernels/base.conf pins (downgrading a newer one), and its tarball
# is checked against the pinned sha256.  Idempotent.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	# what building the base kernel takes
	build-essential bc flex bison libelf-dev libssl-dev
	dwarves cpio xz-utils kmod git ccache rsync
	# the guest: QEMU with NVDIMM emulation and the tools run inside it
	# (and each filesystem's tools: configs/filesystems, added below)
	qemu-system-x86 busybox-static ndctl fio linux-perf
	# benchmarks, reports and tests
	libnuma-dev gnuplot-nox bats bats-support bats-assert shellcheck
	# applications run on DAX as their users run them (bench/lmdb.c,
	# pmem.c, sqlite.c, rocksdb.sh)
	liblmdb-dev libpmem-dev libsqlite3-dev rocksdb-tools
)
mapfile -t -O "${#PACKAGES[@]}" PACKAGES < <(fs_field '*' package | sort -u)

apt() {
	DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

check_served() {
	local served
	served=$(served_versions "$BASE_PACKAGE")
	grep -qF -- " $BASE_VERSION " <<<" $served " && return 0
	die "$BASE_PACKAGE $BASE_VERSION (pinned in kernels/base.conf) is not served by the archive (served: $served); move the pin with 'make rebase-base VERSION=<version>'"
}

check_tarball() {
	local sum
	[ -f "$BASE_TARBALL" ] || die "$BASE_PACKAGE $BASE_VERSION is installed but $BASE_TARBALL is missing; run 'apt-get install --reinstall $BASE_PACKAGE=$BASE_VERSION'"
	sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
	[ "$sum" = "$BASE_SHA256" ] ||
		die "$BASE_TARBALL has sha256 $sum, kernels/base.conf pins $BASE_SHA256; the archive rebuilt $BASE_VERSION: check it, then 'make rebase-base VERSION=$BASE_VERSION'"
	log "$BASE_PACKAGE $BASE_VERSION installed, tarball sha256 matches the pin"
}

main() {
	local missing=() p base_have
	load_base
	for p in "${PACKAGES[@]}"; do
		[ -n "$(installed_version "$p")" ] || missing+=("$p")
	done
	base_have=$(installed_version "$BASE_PACKAGE")
	if [ ${#missing[@]} -eq 0 ] && [ "$base_have" = "$BASE_VERSION" ]; then
		log "all ${#PACKAGES[@]} packages and $BASE_PACKAGE $BASE_VERSION are installed"
		check_tarball
		return 0
	fi
	[ "$(id -u)" -eq 0 ] ||
		die "installing ${missing[*]} $BASE_PACKAGE=$BASE_VERSION needs root (run 'sudo make deps')"
	apt update -qq
	check_served
	[ "$base_have" = "$BASE_VERSION" ] ||
		log "$BASE_PACKAGE: ${base_have:-not installed} -> $BASE_VERSION (pinned)"
	[ ${#missing[@]} -eq 0 ] || log "installing: ${missing[*]}"
	apt install -y -qq --no-install-recommends --allow-downgrades \
		"${missing[@]}" "$BASE_PACKAGE=$BASE_VERSION" >/dev/null
	check_tarball
}

main "$@"
