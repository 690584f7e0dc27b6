#!/usr/bin/env bash
# Install everything daxbench needs from the Debian 12 archive, and nothing
# from anywhere else.  Idempotent: installed packages are left alone.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	# the pinned base kernel and what building it takes
	linux-source-6.1 build-essential bc flex bison libelf-dev libssl-dev
	dwarves cpio xz-utils kmod git ccache rsync
	# the guest: QEMU with NVDIMM emulation and the tools run inside it
	qemu-system-x86 busybox-static ndctl e2fsprogs xfsprogs fio linux-perf
	# benchmarks, reports and tests
	libnuma-dev gnuplot-nox bats shellcheck
)

main() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		log "all ${#PACKAGES[@]} packages are installed"
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || die "installing ${missing[*]} needs root"
	log "installing: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

main "$@"
