#!/usr/bin/env bash
# The manifest of a run: everything needed to rebuild the same kernels and
# rerun the same matrix, one "key<TAB>value" per line.
#
# usage: manifest.sh start RUN_DIR   what is known when a run starts: the
#                                    daxbench commit, the environment
#        manifest.sh RUN_DIR         the whole manifest of a finished run
#
# The gate (scripts/gate.sh) compares the fields named by manifest_keys
# below between a run and its baseline.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Settings read from the environment that change what is run, reported
# or compared.
ENV_SETTINGS='DAXBENCH_PAIRS DAXBENCH_ACCEL DAXBENCH_BASE_OVERRIDE DAXBENCH_GATE_RULES'

field() { grep -m1 "^$2	" "$1" | cut -f2- || true; }

now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

commit_state() {
	local c dirty
	c=$(git -C "$DAXBENCH_TOP" rev-parse HEAD 2>/dev/null || echo unknown)
	# tracked changes and untracked files (an experiment's new series) alike
	dirty=$(git -C "$DAXBENCH_TOP" status --porcelain 2>/dev/null | wc -l)
	if [ "$dirty" -gt 0 ]; then
		echo "$c dirty ($dirty files differ from it)"
	else
		echo "$c clean"
	fi
}

# The workloads' sources (bench/, not its build): a change there changes
# what a window measures (a different heap layout alone moved a
# re-fault's path length by 0.4 %), so the gate compares it.
bench_hash() {
	find "$DAXBENCH_TOP/bench" -path "$DAXBENCH_TOP/bench/build" -prune -o -type f -print |
		LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16
}

start() {
	local e
	printf 'run_start\t%s\n' "$(now)"
	printf 'run_start_epoch\t%s\n' "$(date +%s)"
	printf 'daxbench_commit\t%s\n' "$(commit_state)"
	printf 'bench_sha256\t%s\n' "$(bench_hash)"
	for e in $ENV_SETTINGS; do
		printf 'env_%s\t%s\n' "$e" "${!e-(unset)}"
	done
}

# Version of the Debian package that owns command $1.
tool_version() {
	local path pkg
	path=$(readlink -f "$(command -v "$1" 2>/dev/null)" 2>/dev/null) || { echo 'not installed'; return; }
	pkg=$(dpkg-query -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1)
	[ -n "$pkg" ] || { echo "$path (no package)"; return; }
	echo "$pkg $(installed_version "$pkg")"
}

tools() {
	local p
	printf 'tool_gcc\t%s; %s\n' "$(tool_version gcc)" "$(gcc --version 2>/dev/null | head -n 1)"
	printf 'tool_binutils\t%s\n' "$(tool_version ld)"
	printf 'tool_qemu\t%s\n' "$(tool_version qemu-system-x86_64)"
	printf 'tool_busybox\t%s\n' "busybox-static $(installed_version busybox-static)"
	# each filesystem's tools (configs/filesystems)
	for p in $(fs_field '*' package | sort -u); do
		printf 'tool_%s\t%s\n' "$p" "$p $(installed_version "$p")"
	done
	printf 'tool_ndctl\t%s\n' "$(tool_version ndctl)"
	printf 'tool_fio\t%s\n' "$(tool_version fio)"
	printf 'tool_perf\t%s\n' "linux-perf $(installed_version linux-perf)"
}

host() {
	printf 'host_kernel\t%s\n' "$(uname -srvm)"
	printf 'host_cpu\t%s\n' "$(awk -F': ' '
		/^vendor_id/ && !v { v = $2 } /^cpu family/ && !f { f = $2 }
		/^model\t/ && !m { m = $2 } /^model name/ && !n { n = $2 }
		/^stepping/ && !s { s = $2 } /^microcode/ && !u { u = $2 }
		END { printf "%s (%s family %s model %s stepping %s microcode %s)", n, v, f, m, s, u }' /proc/cpuinfo)"
	printf 'host\t%s cores, %s MiB\n' "$(nproc)" "$(($(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024))"
}

# The source tree a kernel_build record names: its tree= word, or for
# records made before kernels recorded it, the tree of its head= commit
# when the kernel repository still has that commit; nothing otherwise.
build_tree() {
	local rec=$1 w
	for w in $rec; do
		case $w in tree=*) echo "${w#tree=}"; return 0 ;; esac
	done
	for w in $rec; do
		case $w in
		head=*) git -C "$SRC_DIR" rev-parse -q --verify --short=16 "${w#head=}^{tree}" 2>/dev/null || true ;;
		esac
	done
}

kernels() {
	local run=$1 v s series rec tree
	for s in "$PATCHES_DIR"/*/; do
		s=$(basename "$s")
		[ "$s" != experiments ] || continue
		printf 'series_%s\t%s (%s patches)\n' "$s" "$(series_hash "$s")" "$(series_patches "$s" | wc -l)"
	done
	# one line per variant: the series, config and source tree its kernel
	# was built from
	while read -r v; do
		series=$(awk -F'\t' -v v="$v" '
			$1 == "variant" { cur = $2 }
			$1 == "kernel_build" && cur == v { print $2 }' "$run"/boots/*/meta |
			while read -r rec; do
				tree=$(build_tree "$rec")
				printf '%s%s\n' "$(tr ' ' '\n' <<<"$rec" | grep -E '^(series|config|flavour)=' | tr '\n' ' ' | sed 's/ $//')" \
					"${tree:+ tree=$tree}"
			done | sort -u)
		[ "$(grep -c . <<<"$series")" -le 1 ] ||
			series="CHANGED DURING THE RUN: $(tr '\n' ';' <<<"$series")"
		printf 'kernel_%s\t%s\n' "$v" "$series"
	done < <(awk -F'\t' '$1 == "variant" { print $2 }' "$run"/boots/*/meta | sort -u)
}

# " (icount: 1)": the accelerators whose row in configs/accelerators
# fixes the vCPU count.
fixed_smp() {
	local a s out=''
	for a in $(known_accels); do
		s=$(accel_field "$a" smp)
		[ -z "$s" ] || out="$out, $a: $s"
	done
	[ -z "$out" ] || printf ' (%s)' "${out#, }"
}

guest() {
	local run=$1 meta a
	meta=$(find "$run/boots" -name meta | sort | head -n 1)
	[ -n "$meta" ] || die "no finished boot in $run"
	printf 'qemu\t%s\n' "$(field "$meta" qemu)"
	printf 'accelerators\t%s\n' "$(cat "$run"/boots/*/meta | awk -F'\t' '$1 == "accel" {print $2}' | sort -u | tr '\n' ' ' | sed 's/ $//')"
	printf 'guest\tsmp=%s%s, mem=%s MiB, nvdimm=%s MiB, fsdax namespace -a 2M\n' \
		"$(field "$meta" smp)" "$(fixed_smp)" "$(field "$meta" mem_mib)" "$(field "$meta" pmem_mib)"
	# the exact QEMU command line of each accelerator (and NUMA shape)
	for meta in "$run"/boots/*/meta; do
		a=$(field "$meta" accel)
		# a NUMA boot of an accelerator whose row is not NUMA (boots made
		# before configs/accelerators named tcg-numa: tcg, numa 1)
		if [ "$(field "$meta" numa)" = 1 ] && [ "$(accel_field "$a" numa)" != 1 ]; then
			a=$a-numa
		fi
		printf 'qemu_cmd_%s\t%s\n' "$a" "$(field "$meta" qemu_cmd | sed 's#<cache>/[^ ]*/bzImage#<kernel>#')"
	done | sort -u -t$'\t' -k1,1
}

# Host load (1-min loadavg) at the start and end of every boot.
load() {
	local run=$1 meta
	for meta in "$run"/boots/*/meta; do
		printf 'load_%s\t%s\n' "$(basename "$(dirname "$meta")")" "$(field "$meta" host_load1)"
	done
}

whole() {
	local run=$1 end epoch0
	[ -d "$run/boots" ] || die "'$run' is not a run directory"
	[ -s "$run/start" ] || die "$run has no start record (made by bench-all.sh when a run starts)"
	load_base
	end=$(date +%s)
	epoch0=$(field "$run/start" run_start_epoch)
	printf 'run\t%s\n' "$(basename "$run")"
	grep -v '^run_start_epoch	' "$run/start"
	printf 'run_end\t%s\n' "$(now)"
	printf 'run_seconds\t%s\n' "$((end - epoch0))"
	printf 'daxbench_commit_end\t%s\n' "$(commit_state)"
	printf 'base_package\t%s %s\n' "$BASE_PACKAGE" "$(installed_version "$BASE_PACKAGE")"
	printf 'base_pinned\t%s\n' "$BASE_VERSION"
	printf 'base_tarball_sha256\t%s\n' "$(cat "$SRC_DIR/.git/daxbench-base-sha256" 2>/dev/null || echo unknown)"
	kernels "$run"
	guest "$run"
	tools
	host
	printf 'matrix_sha256\t%s\n' "$(sha256sum <"$run/matrix" | cut -c1-16)"
	sed 's/^/matrix_text\t/' "$run/matrix"
	load "$run"
}

main() {
	case ${1:-} in
	start)
		[ $# -eq 2 ] || die "usage: manifest.sh start RUN_DIR"
		start ;;
	'') die "usage: manifest.sh [start] RUN_DIR" ;;
	*) whole "$1" ;;
	esac
}

main "$@"
