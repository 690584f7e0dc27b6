#!/bin/sh
# Run every cell of /daxbench/data/cells on every filesystem of FS_LIST
# that this variant supports.  A cell is "program args..."; the file
# argument is added here.
CELLS=/daxbench/data/cells
[ -f "$CELLS" ] || gdie "no cells file in the guest"
pmem_setup fsdax
# Test only: a known extra cost per dax_direct_access() (see the gate tests).
if [ -n "${DAX_TEST_DELAY_LOOPS:-}" ]; then
	echo "$DAX_TEST_DELAY_LOOPS" >/sys/kernel/debug/dax/test_delay_loops ||
		gdie "this kernel has no dax/test_delay_loops knob"
fi
for fs in $FS_LIST; do
	if ! fs_supported "$fs"; then
		echo "@@DAXBENCH-SKIP $fs: variant $VARIANT has no $fs support"
		continue
	fi
	fs_mount "$fs"
	while read -r prog args; do
		case $prog in ''|'#'*) continue ;; esac
		case "$ACCEL $args " in
		"icount "*"--threads "[2-9]*|"icount "*"--threads "[1-9][0-9]*)
			echo "@@DAXBENCH-SKIP $fs $prog $args: multi-threaded cells need SMP, icount runs one vCPU"
			continue ;;
		esac
		ginfo "$fs: $prog $args"
		# shellcheck disable=SC2086  # args is a word list
		run_bench "$fs" "$prog" --file "$MNT/bench.dat" $args ||
			gdie "$fs: $prog $args failed"
		rm -f "$MNT/bench.dat"
	done <"$CELLS"
	fs_umount
done
