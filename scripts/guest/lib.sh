#!/bin/sh
# Helpers for guest jobs (busybox sh).  Sourced by init.sh before the job.
# stdout is the result channel: only TSV rows and @@ lines go there.
set -eu
# busybox ash has pipefail; POSIX sh does not
# shellcheck disable=SC3040
set -o pipefail
MNT=/mnt
PMEM=/dev/pmem0
DAX=/dev/dax0.0

# One clear error line on the result channel and the console, then fail.
gdie() {
	echo "@@DAXBENCH-ERROR $*"
	echo "daxbench-guest: error: $*" >&2
	exit 1
}

ginfo() {
	echo "daxbench-guest: $*" >&2
}

# Write $1 to the kernel knob $2, unless $1 is empty (keep the kernel's
# default) or this kernel has no such knob.
set_sys_knob() {
	[ -n "$1" ] && [ -w "$2" ] || return 0
	echo "$1" >"$2" || gdie "cannot set $2"
}

# khugepaged scans every process every 10 s of guest time; with one vCPU
# (icount) a scan that lands inside a measured window is timed as part of
# the touch it interrupts: about 2.2 M guest instructions, once per
# ~320 re-faults of 64 MiB, on whichever variant the boot's timeline
# puts there.  DAX VMAs are never collapsed, so for measurements the
# scans only add noise: put them off for an hour.  KHUGEPAGED_SLEEP_MS
# (guest env) sets another period; empty keeps the kernel's default.
khugepaged_put_off() {
	set_sys_knob "${KHUGEPAGED_SLEEP_MS-3600000}" \
		/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs
}

# Address space layout randomisation places the stack, heap and mappings
# of every program differently on each boot (the guest's random numbers
# come from the host), and the workloads' instruction counts move with
# them: LMDB puts under icount varied by 1 % over six boots with it, and
# by 0.001 % without.  The fault paths do not depend on it, so for
# measurements it is off for the programs started after this.  ASLR (guest env) sets another randomize_va_space value;
# empty keeps the kernel's default.
aslr_put_off() {
	set_sys_knob "${ASLR-0}" /proc/sys/kernel/randomize_va_space
}

# Wait for the NVDIMM region libnvdimm found, then make one namespace.
# $1: fsdax (default) or devdax; $2: its alignment (default 2M; a
# device-dax namespace faults at its alignment, so PTE faults need 4k).
pmem_setup() {
	mode=${1:-fsdax} align=${2:-2M}
	i=0
	while [ ! -e /sys/bus/nd/devices/region0 ]; do
		i=$((i + 1))
		[ "$i" -le 50 ] || gdie "no NVDIMM: no nd region under /sys/bus/nd/devices"
		sleep 0.2
	done
	ndctl create-namespace -f -e namespace0.0 -m "$mode" -a "$align" >/dev/null ||
		gdie "ndctl could not make a $mode namespace (align $align) on region0"
	ndctl list -n namespace0.0 | grep -q "\"mode\":\"$mode\"" ||
		gdie "namespace0.0 is not in $mode mode"
	case $mode in
	fsdax) [ -b "$PMEM" ] || gdie "$PMEM is missing after creating the fsdax namespace" ;;
	devdax) [ -c "$DAX" ] || gdie "$DAX is missing after creating the devdax namespace" ;;
	esac
}

# The device-dax namespace alignment cell arguments $1 fault at: 2M for
# PMD faults, 4k for the rest (device-dax faults at its alignment).
devdax_align() {
	case " $1 " in
	*" --map pmd "*) echo 2M ;;
	*) echo 4k ;;
	esac
}

# Field $2 of filesystem $1 in the host's configs/filesystems (shipped as
# /daxbench/filesystems): the rest of its line, empty if it has none.
fs_field() {
	awk -v fs="$1" -v k="$2" '/^[^#]/ && $1 == fs && $2 == k {
		sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+/, ""); print }' /daxbench/filesystems
}

# Make a filesystem of type $1 on the pmem device (its mkfs row) and mount
# it -o dax, then run its "mounted" row if it has one; fail unless a file
# created there reports STATX_ATTR_DAX.
fs_mount() {
	fs=$1
	mkfs=$(fs_field "$fs" mkfs)
	[ -n "$mkfs" ] || gdie "unknown filesystem '$fs' (no mkfs row in configs/filesystems)"
	eval "$mkfs \"\$PMEM\"" >&2 || gdie "$fs: $mkfs failed"
	mkdir -p "$MNT"
	mount -t "$fs" -o dax "$PMEM" "$MNT" || gdie "mount -t $fs -o dax failed"
	mounted=$(fs_field "$fs" mounted)
	[ -z "$mounted" ] || eval "$mounted \"\$MNT\"" >&2 || true
	daxcheck "$MNT/.daxcheck" || gdie "$fs on $PMEM: DAX is not on"
	rm -f "$MNT/.daxcheck"
}

fs_umount() {
	umount "$MNT" || gdie "umount $MNT failed"
}

# Is filesystem $1 one this variant supports?  (VARIANT_FS from env.)
fs_supported() {
	case " $VARIANT_FS " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# Run benchmark "$2..." with its rows labelled $1.  BENCH_CPU=N (matrix
# GUEST_ENV) pins it to vCPU N with taskset: which vCPU runs a cell is
# then fixed (reports/tcg-speeds: it does not decide plain TCG's speed).
run_bench() {
	fs=$1
	shift
	if [ -n "${BENCH_CPU:-}" ]; then
		taskset -c "$BENCH_CPU" "$@"
	else
		"$@"
	fi | awk -v fs="$fs" 'BEGIN { OFS = "\t" } { print fs, $0 }'
}
