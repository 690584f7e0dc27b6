#!/bin/sh
# Run every cell of /daxbench/data/cells on every filesystem of FS_LIST
# that this variant supports.  A cell is "program args..."; the file
# argument is added here.
#
# DEVDAX=1 (matrix GUEST_ENV): afterwards, turn the namespace into
# device-dax and run the cells that make sense there on /dev/dax0.0, rows
# labelled "devdax": with 2 MiB alignment the --map pmd cells, with 4 KiB
# alignment the others.  Filesystem-only cells are skipped.
#
# A guest with two NUMA nodes (bench-all accel tcg-numa) runs only the
# numa cells; elsewhere they skip themselves.
CELLS=/daxbench/data/cells
[ -f "$CELLS" ] || gdie "no cells file in the guest"

# Run one cell on target $2 (a file, or $DAX), rows labelled $1.  A
# workload that exits 77 cannot run this case here: that is a
# @@DAXBENCH-SKIP line with its reason, not a failure.  One that fails,
# or succeeds without a single row (an application that printed nothing
# daxbench could read), fails the cell with its own error output shown.
run_cell() {
	label=$1 target=$2 prog=$3 args=$4 rc=0
	ginfo "$label: $prog $args"
	# shellcheck disable=SC2086  # args is a word list
	run_bench "$label" "$prog" --file "$target" $args >/tmp/cell.out 2>/tmp/cell.err || rc=$?
	cat /tmp/cell.err >&2
	cat /tmp/cell.out
	[ "$rc" != 0 ] || [ -s /tmp/cell.out ] ||
		gdie "$label: $prog $args printed no result (its stderr is above)"
	case $rc in
	0) ;;
	77) echo "@@DAXBENCH-SKIP $label $prog $args: $(sed -n "s/^$prog: skip: //p" /tmp/cell.err | tail -n 1)" ;;
	*) gdie "$label: $prog $args failed: $(tail -n 1 /tmp/cell.err)" ;;
	esac
}

# Should this boot run the cell "$1 $2" at all?  (Prints the skip line.)
cell_wanted() {
	prog=$1 args=$2 label=$3
	threads=$(echo " $args " | sed -n 's/.* --threads[ =]\([0-9][0-9]*\) .*/\1/p')
	if [ "${threads:-1}" -gt "$NCPUS" ]; then
		echo "@@DAXBENCH-SKIP $label $prog $args: $threads threads need as many vCPUs, this guest ($ACCEL) has $NCPUS"
		return 1
	fi
	if [ "$NUMA_BOOT" = 1 ] && [ "$prog" != numa ]; then
		return 1	# said once, at the start
	fi
	return 0
}

# Device-dax: which cells of namespace alignment $1 (2M or 4k)?
devdax_wanted() {
	align=$1 prog=$2 args=$3
	[ "$(devdax_align "$args")" = "$align" ] || return 1
	case "$prog $args " in
	*" --layout falloc "*|*" --layout sparse "*)
		echo "@@DAXBENCH-SKIP devdax $prog $args: device-dax has no file layout"
		return 1 ;;
	esac
	return 0
}

run_devdax() {
	for align in 2M 4k; do
		pmem_setup devdax "$align"
		while read -r prog args; do
			case $prog in ''|'#'*) continue ;; esac
			devdax_wanted "$align" "$prog" "$args" || continue
			cell_wanted "$prog" "$args" devdax || continue
			run_cell devdax "$DAX" "$prog" "$args"
		done <"$CELLS"
	done
}

# vCPUs of this guest (icount boots have one): cells with more threads skip
NCPUS=$(grep -c '^processor' /proc/cpuinfo)
NUMA_BOOT=0
[ ! -d /sys/devices/system/node/node1 ] || NUMA_BOOT=1
[ "$NUMA_BOOT" = 0 ] || echo "@@DAXBENCH-SKIP two NUMA nodes: this boot runs only the numa cells"

khugepaged_put_off
aslr_put_off

pmem_setup fsdax
# Test only: a known extra cost per dax_direct_access() or per DAX fault,
# whichever path serves it (see the gate tests).
set_knob() {
	[ -n "$2" ] || return 0
	echo "$2" >"/sys/kernel/debug/dax/$1" ||
		gdie "this kernel has no dax/$1 knob"
}
set_knob test_delay_loops "${DAX_TEST_DELAY_LOOPS:-}"
set_knob test_fault_delay_loops "${DAX_TEST_FAULT_DELAY_LOOPS:-}"
# pfn only: pages populated per miss (0: to the end of the extent)
set_knob populate_window "${DAX_POPULATE_WINDOW:-}"
# pfn only: 0 makes read hits take the entry lock (dax/lockless_hit)
set_knob lockless_hit "${DAX_LOCKLESS_HIT:-}"
for fs in $FS_LIST; do
	if ! fs_supported "$fs"; then
		echo "@@DAXBENCH-SKIP $fs: variant $VARIANT has no $fs support"
		continue
	fi
	fs_mount "$fs"
	while read -r prog args; do
		case $prog in ''|'#'*) continue ;; esac
		cell_wanted "$prog" "$args" "$fs" || continue
		run_cell "$fs" "$MNT/bench.dat" "$prog" "$args"
		rm -f "$MNT/bench.dat"
	done <"$CELLS"
	fs_umount
done
if [ "${DEVDAX:-0}" = 1 ]; then
	run_devdax
fi
