#!/bin/sh
# The in-guest correctness and reliability suite (tests/guest/*.c, fio
# verify, kmemleak).  Per filesystem of FS_LIST this variant supports it
# makes a fresh -o dax filesystem and runs every test program on it.
# Every KTAP line goes to the result channel as
#   <fs> TAB ktap TAB <program> TAB <KTAP line>
# A program that dies without a "not ok" line gets one of its own.
#
# env: CORRECTNESS_MODE  quick (default) or full: the leak test's ops
#      CORRECTNESS_OPS   leak-test operations (overrides the mode)
#      CORRECTNESS_SEED  leak-test / thread-test seed (default: random)
#      CORRECTNESS_ONLY  run only these programs (space separated)
#      CORRECTNESS_FS    only these filesystems (default: all the variant has)
#      DAX_RACE_SELFTEST set: dax_race refills with the other file's byte, so
#                        its check must fail (shows that it can)
QUICK_OPS=300
FULL_OPS=10000
# dax_race: operations racing with re-faults
RACE_QUICK_OPS=400
RACE_FULL_OPS=4000
FIO_SIZE=16M
# dax_poison leaves poisoned blocks behind: only alone, with CORRECTNESS_ONLY
PROGRAMS='dax_persist dax_basic dax_threads dax_pmd dax_layout dax_zero dax_dirty dax_inject dax_race dax_leak'

case ${CORRECTNESS_MODE:-quick} in
quick) LEAK_OPS=$QUICK_OPS RACE_OPS=$RACE_QUICK_OPS ;;
full) LEAK_OPS=$FULL_OPS RACE_OPS=$RACE_FULL_OPS ;;
*) gdie "unknown CORRECTNESS_MODE '${CORRECTNESS_MODE:-}'" ;;
esac
LEAK_OPS=${CORRECTNESS_OPS:-$LEAK_OPS}
[ -z "${DAX_RACE_SELFTEST:-}" ] || export DAX_RACE_SELFTEST
SEED_ARGS=''
[ -z "${CORRECTNESS_SEED:-}" ] || SEED_ARGS="--seed $CORRECTNESS_SEED"

# Prefix every line of stdin: $1 fs, $2 program.
ktap_prefix() {
	awk -v fs="$1" -v prog="$2" 'BEGIN { OFS = "\t" } { print fs, "ktap", prog, $0; fflush() }'
}

# Run one test program and send its KTAP, prefixed, to the result channel.
# $1 fs, $2 program, rest: its arguments.
run_ktap() {
	fs=$1
	prog=$2
	shift 2
	out=/tmp/ktap.$prog.out
	rc=0
	ginfo "$fs: $prog $*"
	"$prog" "$@" >"$out" 2>/tmp/ktap.err || rc=$?
	cat /tmp/ktap.err >&2
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$out"; then
		echo "not ok 0 $prog exited with status $rc: $(tail -n 1 /tmp/ktap.err)" >>"$out"
	fi
	ktap_prefix "$fs" "$prog" <"$out"
	# the next program starts on an empty filesystem
	for f in "$MNT"/* "$MNT"/.[!.]*; do
		case $f in "$MNT/lost+found" | *"*") ;; *) rm -rf "$f" ;; esac
	done
}

run_fio() {
	fs=$1
	out=/tmp/fio.out
	{
		echo "KTAP version 1"
		echo "1..1"
		if fio --name=mmapverify --directory="$MNT" --ioengine=mmap \
			--rw=randwrite --bs=4k --size="$FIO_SIZE" --verify=crc32c \
			--do_verify=1 --verify_fatal=1 --randrepeat=0 >"$out" 2>&1; then
			echo "ok 1 fio-mmap-randwrite-verify-crc32c"
		elif grep -q "shmget: Function not implemented" "$out"; then
			echo "ok 1 fio-mmap-randwrite-verify-crc32c # SKIP guest kernel has no SysV shm (CONFIG_SYSVIPC), fio cannot start"
		else
			sed 's/^/# /' "$out" | tail -n 20
			echo "not ok 1 fio-mmap-randwrite-verify-crc32c"
		fi
	} | ktap_prefix "$fs" fio
	cat "$out" >&2
	rm -f "$MNT"/mmapverify.*
}

# With a kmemleak kernel: scan once more and fail on any report.
run_kmemleak() {
	km=/sys/kernel/debug/kmemleak
	[ -e "$km" ] || return 0
	{
		echo "KTAP version 1"
		echo "1..1"
		echo scan >"$km"
		sleep 6
		echo scan >"$km"
		cat "$km" >/tmp/kmemleak.out
		if [ -s /tmp/kmemleak.out ]; then
			sed 's/^/# /' /tmp/kmemleak.out | head -n 200
			echo "not ok 1 kmemleak-no-unreferenced-objects"
		else
			echo "ok 1 kmemleak-no-unreferenced-objects"
		fi
	} | ktap_prefix all kmemleak
}

pmem_setup fsdax
for fs in ${CORRECTNESS_FS:-$FS_LIST}; do
	if ! fs_supported "$fs"; then
		echo "@@DAXBENCH-SKIP $fs: variant $VARIANT has no $fs support"
		printf 'KTAP version 1\n1..1\nok 1 %s # SKIP variant %s has no %s support\n' \
			"$fs" "$VARIANT" "$fs" | ktap_prefix "$fs" all
		continue
	fi
	fs_mount "$fs"
	for prog in ${CORRECTNESS_ONLY:-$PROGRAMS fio}; do
		case $prog in
		fio) run_fio "$fs" ;;
		dax_persist | dax_poison) run_ktap "$fs" "$prog" --dir "$MNT" --fs "$fs" --dev "$PMEM" ;;
		dax_leak | dax_race)
			ops=$LEAK_OPS
			[ "$prog" = dax_leak ] || ops=$RACE_OPS
			# shellcheck disable=SC2086  # SEED_ARGS is empty or two words
			run_ktap "$fs" "$prog" --dir "$MNT" --fs "$fs" --ops "$ops" $SEED_ARGS ;;
		*)
			# shellcheck disable=SC2086
			run_ktap "$fs" "$prog" --dir "$MNT" --fs "$fs" $SEED_ARGS ;;
		esac
	done
	fs_umount
done
run_kmemleak
