#!/bin/sh
# PID 1 of every daxbench guest (busybox sh).  It mounts the pseudo
# filesystems, runs /daxbench/job.sh with its stdout on the result channel
# (the second serial port, nothing else writes there) and powers off.
# The job's stderr and the kernel's messages go to the console (ttyS0).
export PATH=/daxbench/bin:/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
exec </dev/null >/dev/console 2>&1

RESULT=/dev/ttyS1
stty -F "$RESULT" raw -echo 2>/dev/null
{
	echo "@@DAXBENCH-BEGIN"
	# shellcheck source=/dev/null
	(. /daxbench/env && cd /tmp && . /daxbench/lib.sh && . /daxbench/job.sh)
	echo "@@DAXBENCH-END rc=$?"
} >"$RESULT"
sync
poweroff -f
