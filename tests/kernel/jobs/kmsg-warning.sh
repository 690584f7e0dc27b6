#!/bin/sh
# A kernel log line at KERN_WARNING, the level of a WARN() splat or a
# lockdep report, written through /dev/kmsg: the harness must see it on
# the console and fail the run.
echo "<4>WARNING: CPU: 0 PID: 1 at daxbench: a test warning" >/dev/kmsg
sleep 1
