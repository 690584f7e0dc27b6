#!/bin/sh
# The spine's smoke job: per filesystem of this variant, prove DAX is on
# and measure read and write faults once.
pmem_setup fsdax
for fs in $FS_LIST; do
	if ! fs_supported "$fs"; then
		echo "@@DAXBENCH-SKIP $fs: variant $VARIANT has no $fs support"
		continue
	fi
	fs_mount "$fs"
	for op in read write; do
		run_bench "$fs" fault --file "$MNT/f" --size "${SIZE:-16M}" \
			--op "$op" --situation refault --reps "${REPS:-2}" ||
			gdie "$fs: fault --op $op failed"
	done
	fs_umount
done
