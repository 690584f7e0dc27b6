#!/usr/bin/env bash
# Boot one variant's kernel under QEMU with an emulated NVDIMM and run one
# guest job.  The only script that starts a guest.
#
# usage: guest-run.sh --variant V --job FILE --out DIR [options]
#   --fs "ext4 ext2"       filesystems the job should try (FS_LIST;
#                          default: all of configs/filesystems)
#   --accel auto|NAME      an accelerator of configs/accelerators (its QEMU
#                          arguments, vCPUs, NUMA shape); auto: the first
#                          of its "auto" rows that works here
#   --smp N --mem MIB --pmem-mib MIB --timeout SEC --flavour NAME
#   --env K=V              extra variable for the job (repeatable)
#   --data FILE            copied to /daxbench/data/ in the guest (repeatable)
#   --append " k=v"        extra kernel command line (tests use it)
#   --pmem-mib 0           no NVDIMM at all (to test that the guest says so)
#   --tb-count             count the kernel instructions each translation
#                          block ran (tools/tbcount.c, QEMU plugin; an
#                          accelerator whose clock is not "host") into
#                          DIR/tbcount.txt
#
# On success DIR holds result.tsv (the job's rows), meta (how the guest
# was run) and console.log.  On failure one error line names the cause,
# the console tail is shown, and no result.tsv exists.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

LABEL_AREA=$((128 * 1024))
# region alignment (16 MiB), fsdax metadata (struct pages) and a filesystem
MIN_PMEM_MIB=64
# "quiet" alone sets the console loglevel to 4, which keeps KERN_WARNING
# (WARN splats, lockdep reports) off the console this list is matched
# against: loglevel=5 after it lets warnings through, and little else.
BAD_CONSOLE='Kernel panic|Oops|BUG:|WARNING:|KASAN|general protection fault|circular locking|recursive locking|unreferenced object|UBSAN|hung_task|soft lockup'

WORK="" VARIANT='' JOB='' OUT='' FS_LIST=$(known_fs | tr '\n' ' ' | sed 's/ $//') ACCEL=${DAXBENCH_ACCEL:-auto}
SMP=2 MEM_MIB=1024 PMEM_MIB=2048 TIMEOUT=600 FLAVOUR='' NUMA=0
EXTRA_ENV=() DATA_FILES=() APPEND_EXTRA='' TB_COUNT=0
TBCOUNT_SO=$DAXBENCH_TOP/tools/build/tbcount.so

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--variant) VARIANT=$2; shift ;;
		--job) JOB=$2; shift ;;
		--out) OUT=$2; shift ;;
		--fs) FS_LIST=$2; shift ;;
		--accel) ACCEL=$2; shift ;;
		--smp) SMP=$2; shift ;;
		--mem) MEM_MIB=$2; shift ;;
		--pmem-mib) PMEM_MIB=$2; shift ;;
		--timeout) TIMEOUT=$2; shift ;;
		--flavour) FLAVOUR=$2; shift ;;
		--tb-count) TB_COUNT=1 ;;
		--append) APPEND_EXTRA=$2; shift ;;
		--env) EXTRA_ENV+=("$2"); shift ;;
		--data) DATA_FILES+=("$2"); shift ;;
		*) die "unknown option '$1'" ;;
		esac
		shift
	done
	load_variant "$VARIANT"
	[ -n "$JOB" ] || die "no --job given"
	[ -f "$JOB" ] || die "job file '$JOB' not found"
	[ -n "$OUT" ] || die "no --out directory given"
	[ "$ACCEL" = auto ] || check_accel "$ACCEL"
	if [ "$TB_COUNT" = 1 ]; then
		if [ "$ACCEL" = auto ] || [ "$(accel_field "$ACCEL" clock)" = host ]; then
			die "--tb-count needs a TCG accelerator (a QEMU plugin), not '$ACCEL'"
		fi
		[ -f "$TBCOUNT_SO" ] || die "no QEMU plugin at $TBCOUNT_SO; run 'make tools'"
	fi
	[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "bad --timeout '$TIMEOUT'"
	[[ $PMEM_MIB =~ ^[0-9]+$ ]] || die "bad --pmem-mib '$PMEM_MIB' (MiB, a number)"
	if [ "$PMEM_MIB" -ne 0 ] && [ "$PMEM_MIB" -lt "$MIN_PMEM_MIB" ]; then
		die "--pmem-mib $PMEM_MIB is too small for an fsdax namespace and a filesystem (at least $MIN_PMEM_MIB; 0 for no NVDIMM)"
	fi
}

# KVM only if the host CPU can nest it and a guest really starts.
kvm_usable() {
	[ -w /dev/kvm ] || return 1
	grep -qE '\b(vmx|svm)\b' /proc/cpuinfo || return 1
	timeout 10 qemu-system-x86_64 -accel kvm -machine none -nographic \
		-S -qmp stdio </dev/null >/dev/null 2>&1 && return 0
	[ $? -eq 124 ]
}

# Does accelerator $1 work here?  (Its probe: "kvm", or none.)
accel_usable() {
	[ "$(accel_field "$1" probe)" != kvm ] || kvm_usable
}

# The accelerator (auto: the first "auto" row of configs/accelerators
# that works here) and the guest shape its row fixes.
pick_accel() {
	local smp a
	if [ "$ACCEL" = auto ]; then
		ACCEL=''
		for a in $(known_accels); do
			if [ "$(accel_field "$a" auto)" = yes ] && accel_usable "$a"; then
				ACCEL=$a
				break
			fi
		done
		[ -n "$ACCEL" ] || die "--accel auto: no \"auto\" accelerator of configs/accelerators works here"
	elif ! accel_usable "$ACCEL"; then
		die "--accel $ACCEL requested but KVM does not work here"
	fi
	smp=$(accel_field "$ACCEL" smp)
	[ -z "$smp" ] || SMP=$smp
	[ "$(accel_field "$ACCEL" numa)" != 1 ] || NUMA=1
}

# The accelerator's QEMU arguments, appended to the array named $1.
accel_args() {
	local -n into=$1
	local words
	read -ra words <<<"$(accel_field "$ACCEL" qemu)"
	[ "${#words[@]}" -gt 0 ] || die "configs/accelerators: no qemu arguments for '$ACCEL'"
	into+=("${words[@]}")
}

make_overlay() {
	local stage=$1 bin=$DAXBENCH_TOP/bench/build v
	mkdir -p "$stage/daxbench/bin"
	install -m 0755 "$DAXBENCH_TOP/scripts/guest/init.sh" "$stage/init"
	install -m 0644 "$DAXBENCH_TOP/scripts/guest/lib.sh" "$stage/daxbench/lib.sh"
	install -m 0644 "$CONFIGS_DIR/filesystems" "$stage/daxbench/filesystems"
	install -m 0644 "$JOB" "$stage/daxbench/job.sh"
	mkdir -p "$stage/daxbench/fio"
	cp "$DAXBENCH_TOP"/bench/fio/*.fio "$stage/daxbench/fio/"
	mkdir -p "$stage/daxbench/data"
	for v in "${DATA_FILES[@]}"; do
		[ -f "$v" ] || die "data file '$v' not found"
		cp "$v" "$stage/daxbench/data/"
	done
	[ -x "$bin/fault" ] || die "benchmarks not built: run 'make bench'"
	find "$bin" -maxdepth 1 -type f -perm -u+x -exec cp {} "$stage/daxbench/bin/" \;
	{
		printf "VARIANT='%s'\nVARIANT_FS='%s'\nFS_LIST='%s'\nACCEL='%s'\n" \
			"$VARIANT" "$VARIANT_FS" "$FS_LIST" "$ACCEL"
		for v in "${EXTRA_ENV[@]}"; do
			[[ $v =~ ^[A-Z_][A-Z0-9_]*=[^\']*$ ]] || die "bad --env '$v'"
			printf "%s='%s'\n" "${v%%=*}" "${v#*=}"
		done
	} >"$stage/daxbench/env"
	(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1
}

# The NVDIMM's QEMU arguments (backing file $2, node suffix $3), appended
# to the array named $1; none with --pmem-mib 0.
nvdimm_args() {
	local -n nv_into=$1
	[ "$PMEM_MIB" -gt 0 ] || return 0
	nv_into+=(-object "memory-backend-file,id=nvmem,share=on,mem-path=$2,size=$((PMEM_MIB * 1024 * 1024 + LABEL_AREA))"
		-device "nvdimm,id=nv1,memdev=nvmem,label-size=128K$3")
}

# Arguments as one line a shell would split back into them: quoted only
# where they need it (the record in meta and the manifest).
shell_words() {
	local a line=''
	for a in "$@"; do
		if [[ $a =~ ^[-A-Za-z0-9_./:=,@%+]+$ ]]; then line+=" $a"; else line+=" $(printf '%q' "$a")"; fi
	done
	printf '%s\n' "${line# }"
}

# The QEMU command line, as the global array QEMU_CMD (no string is ever
# re-parsed by a shell: paths with spaces or quotes stay one argument).
qemu_cmd() {
	local kernel=$1 initrd=$2 pmem=$3 work=$4 numa_args=() node=''
	local smp=$SMP
	local maxmem=$((MEM_MIB + PMEM_MIB + 1024))
	if [ "$NUMA" = 1 ]; then
		[ "$SMP" -ge 2 ] || die "--accel $ACCEL (numa 1) needs at least two vCPUs"
		numa_args=(-object "memory-backend-ram,id=m0,size=$((MEM_MIB / 2))M"
			-object "memory-backend-ram,id=m1,size=$((MEM_MIB - MEM_MIB / 2))M"
			-numa "node,nodeid=0,cpus=0,memdev=m0"
			-numa "node,nodeid=1,cpus=1-$((SMP - 1)),memdev=m1")
		node=',node=1'
		# one socket per vCPU: two nodes inside one socket (one LLC) make
		# the guest kernel WARN in topology_sane() at boot
		smp="$SMP,sockets=$SMP,cores=1,threads=1"
	fi
	QEMU_CMD=(qemu-system-x86_64)
	accel_args QEMU_CMD
	QEMU_CMD+=(-smp "$smp" -machine "pc,nvdimm=on" -m "${MEM_MIB}M,slots=2,maxmem=${maxmem}M"
		"${numa_args[@]}")
	nvdimm_args QEMU_CMD "$pmem" "$node"
	QEMU_CMD+=(-kernel "$kernel" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 quiet loglevel=5$APPEND_EXTRA"
		-display none -monitor none -no-reboot
		-chardev "file,id=con,path=$work/console.log" -serial chardev:con
		-chardev "file,id=res,path=$work/result.raw" -serial chardev:res)
	[ "$TB_COUNT" = 0 ] || QEMU_CMD+=(-plugin "$TBCOUNT_SO,out=$work/tbcount.txt")
}

fail_with_console() {
	local work=$1 why=$2
	if [ -s "$work/console.log" ]; then
		printf -- '--- console tail (%s) ---\n' "$work/console.log" >&2
		tail -n 40 "$work/console.log" >&2
		printf -- '--- end of console ---\n' >&2
	fi
	die "$VARIANT: $why"
}

check_outcome() {
	local work=$1 rc=$2 err bad
	if [ "$rc" -eq 137 ] || [ "$rc" -eq 124 ]; then
		fail_with_console "$work" "guest hang: watchdog killed QEMU after ${TIMEOUT}s"
	fi
	bad=$(grep -aE "$BAD_CONSOLE" "$work/console.log" | head -n 3 || true)
	[ -z "$bad" ] || fail_with_console "$work" "kernel reported: $(echo "$bad" | head -n 1 | tr -d '\r')"
	[ "$rc" -eq 0 ] || fail_with_console "$work" "QEMU exited with status $rc"
	grep -aq '^@@DAXBENCH-BEGIN' "$work/result.raw" 2>/dev/null ||
		fail_with_console "$work" "guest never started its job (no result channel output)"
	err=$(grep -a '^@@DAXBENCH-ERROR' "$work/result.raw" | head -n 1 | cut -d' ' -f2- || true)
	[ -z "$err" ] || fail_with_console "$work" "guest job failed: $err"
	grep -aq '^@@DAXBENCH-END rc=0' "$work/result.raw" ||
		fail_with_console "$work" "guest job did not finish cleanly ($(grep -a '^@@DAXBENCH-END' "$work/result.raw" || echo 'no end marker'))"
}

# How far a running guest is, for progress reports.  grep -c prints 0
# and fails on a file without a match, so the count is taken as printed.
console_lines() {
	local con res
	con=$(wc -l 2>/dev/null <"$WORK/console.log") || con=0
	res=$(grep -ac . "$WORK/result.raw" 2>/dev/null) || res=${res:-0}
	echo "$con console lines, $res result lines"
}

write_meta() {
	load_base
	cat <<META
variant	$VARIANT
flavour	${FLAVOUR:-default}
base	$BASE_PACKAGE $BASE_VERSION
accel	$ACCEL
smp	$SMP
mem_mib	$MEM_MIB
pmem_mib	$PMEM_MIB
numa	$NUMA
qemu	$(qemu-system-x86_64 --version | head -n 1)
kernel_build	$(tr '\n' ' ' <"$(variant_build_dir "$VARIANT" "$FLAVOUR")/.daxbench-build" 2>/dev/null || true)
boot_seconds	$1
host_load1	$LOAD_START $LOAD_END
qemu_cmd	$(sed -e "s#$WORK#<work>#g" -e "s#$DAXBENCH_CACHE#<cache>#g" "$WORK/qemu.cmd")
META
}

main() {
	local kernel base overlay pmem initrd rc t0 t1
	parse_args "$@"
	need_cmd qemu-system-x86_64 cpio gzip timeout
	kernel=$(variant_bzimage "$VARIANT" "$FLAVOUR")
	[ -f "$kernel" ] || die "no kernel image for variant '$VARIANT' at $kernel; run 'make kernel-$VARIANT'"
	pick_accel
	base=$("$DAXBENCH_TOP/scripts/initramfs.sh")
	cache_mkdir "$OUT"
	rm -f "$OUT/result.tsv" "$OUT/meta" "$OUT/tbcount.txt"
	WORK=$(mktemp -d "$OUT/.boot.XXXXXX")
	trap 'rm -rf "$WORK/stage" "$WORK/pmem.img" "$WORK/initrd"' EXIT
	overlay=$WORK/overlay.cpio.gz
	make_overlay "$WORK/stage" >"$overlay"
	initrd=$WORK/initrd
	cat "$base" "$overlay" >"$initrd"
	pmem=$WORK/pmem.img
	truncate -s $((PMEM_MIB * 1024 * 1024 + LABEL_AREA)) "$pmem" ||
		die "cannot create the NVDIMM backing file (disk full?)"
	qemu_cmd "$kernel" "$initrd" "$pmem" "$WORK"
	shell_words "${QEMU_CMD[@]}" >"$WORK/qemu.cmd"
	t0=$(date +%s.%N)
	rc=0
	INTERRUPTED=''
	trap 'INTERRUPTED=1' INT TERM
	# --foreground: QEMU stays in our process group, so Ctrl-C reaches it
	LOAD_START=$(cut -d" " -f1 /proc/loadavg)
	with_progress "$VARIANT ($ACCEL): boot" --count console_lines \
		timeout --foreground -s KILL "$TIMEOUT" "${QEMU_CMD[@]}" </dev/null >"$WORK/qemu.out" 2>&1 || rc=$?
	LOAD_END=$(cut -d" " -f1 /proc/loadavg)
	trap - INT TERM
	[ -z "$INTERRUPTED" ] || die "$VARIANT: interrupted; no result kept"
	t1=$(date +%s.%N)
	cp -f "$WORK/console.log" "$OUT/console.log" 2>/dev/null || true
	check_outcome "$WORK" "$rc"
	grep -a '^@@DAXBENCH-SKIP' "$WORK/result.raw" | cut -d' ' -f2- >"$OUT/skipped" || true
	tr -d '\r' <"$WORK/result.raw" | grep -av '^@@' | atomic_write "$OUT/result.tsv.part"
	write_meta "$(echo "$t1 - $t0" | bc)" | atomic_write "$OUT/meta"
	[ "$TB_COUNT" = 0 ] || mv -f "$WORK/tbcount.txt" "$OUT/tbcount.txt" ||
		die "$VARIANT: the QEMU plugin wrote no counts ($WORK/tbcount.txt)"
	mv -f "$OUT/result.tsv.part" "$OUT/result.tsv"
	rm -rf "$WORK"
	log "$VARIANT ($ACCEL): ok in $(grep boot_seconds "$OUT/meta" | cut -f2)s, $(wc -l <"$OUT/result.tsv") rows"
}

main "$@"
