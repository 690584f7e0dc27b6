#!/usr/bin/env bash
# Print the manifest of a finished run: everything needed to know what
# was measured.  bench-all.sh writes it into the run when it completes.
#
# usage: manifest.sh RUN_DIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

field() { grep -m1 "^$2	" "$1" | cut -f2- || true; }

main() {
	local run=${1:-} v meta s sum
	[ -d "$run/boots" ] || die "'$run' is not a run directory"
	load_base
	sum=$(cat "$SRC_DIR/.git/daxbench-base-sha256" 2>/dev/null || echo unknown)
	printf 'run\t%s\n' "$(basename "$run")"
	printf 'date\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf 'base_package\t%s %s\n' "$BASE_PACKAGE" "$(dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null || echo '?')"
	printf 'base_pinned\t%s\n' "$BASE_VERSION"
	printf 'base_tarball_sha256\t%s\n' "$sum"
	for s in "$PATCHES_DIR"/*/; do
		s=$(basename "$s")
		printf 'series_%s\t%s (%s patches)\n' "$s" \
			"$(cat "$PATCHES_DIR/$s"/*.patch 2>/dev/null | sha256sum | cut -c1-16)" \
			"$(find "$PATCHES_DIR/$s" -name '0*.patch' ! -name '0000-*' | wc -l)"
	done
	for meta in "$run"/boots/*/meta; do
		[ -f "$meta" ] || continue
		v=$(field "$meta" variant)
		printf 'kernel_%s\t%s\n' "$v" "$(field "$meta" kernel_build)"
	done | sort -u
	meta=$(find "$run/boots" -name meta | head -n 1)
	[ -n "$meta" ] || die "no finished boot in $run"
	printf 'qemu\t%s\n' "$(field "$meta" qemu)"
	printf 'accelerators\t%s\n' "$(cat "$run"/boots/*/meta | awk -F'\t' '$1 == "accel" {print $2}' | sort -u | tr '\n' ' ')"
	printf 'guest\tsmp=%s (icount: 1), mem=%s MiB, nvdimm=%s MiB, fsdax namespace -a 2M\n' \
		"$(field "$meta" smp)" "$(field "$meta" mem_mib)" "$(field "$meta" pmem_mib)"
	printf 'host_cpu\t%s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	printf 'host\t%s cores, %s MiB\n' "$(nproc)" "$(($(grep MemTotal /proc/meminfo | awk '{print $2}') / 1024))"
	printf 'matrix_sha256\t%s\n' "$(sha256sum <"$run/matrix" | cut -c1-16)"
	printf 'daxbench_commit\t%s\n' "$(git -C "$DAXBENCH_TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$DAXBENCH_TOP" diff --quiet HEAD 2>/dev/null || echo '+dirty')"
}

main "$@"
