#!/usr/bin/env bats
# One owner per concern: an accelerator is a block of configs/accelerators
# (QEMU arguments, clock, vCPUs, NUMA shape).  guest-run.sh, bench-all.sh,
# profile.sh and the reports ask it; a new one needs no other edit.  The
# guest here is a stand-in QEMU that only says the job ran.

load helpers

setup() {
	scratch_repo
	cat >>"$REPO/configs/accelerators" <<'ACC'

# a test accelerator: single-threaded TCG, one vCPU
tcg-one   qemu   -accel tcg,thread=single -cpu max
tcg-one   clock  emulated
tcg-one   smp    1
ACC
	# no real image, initramfs or benchmarks: guest-run only packs them
	local bin=$BATS_TEST_TMPDIR/bin image
	mkdir -p "$bin" "$REPO/bench/build" "$REPO/bench/fio"
	echo '[job]' >"$REPO/bench/fio/x.fio"
	printf '#!/bin/sh\n' >"$REPO/bench/build/fault"
	chmod +x "$REPO/bench/build/fault"
	echo initramfs >"$BATS_TEST_TMPDIR/initramfs"
	printf '#!/bin/sh\necho %s\n' "$BATS_TEST_TMPDIR/initramfs" >"$REPO/scripts/initramfs.sh"
	image=$(lib 'variant_bzimage iomap')
	mkdir -p "$(dirname "$image")"
	echo kernel >"$image"
	# QEMU: a console line, and a row between the result channel's markers
	cat >"$bin/qemu-system-x86_64" <<'QEMU'
#!/bin/bash
[ "$1" != --version ] || { echo 'QEMU emulator version 7.2.0 (stand-in)'; exit 0; }
for a in "$@"; do
	case $a in
	file,id=con,path=*) echo booted >"${a#file,id=con,path=}" ;;
	file,id=res,path=*) printf '@@DAXBENCH-BEGIN\nrow\tof\tresults\n@@DAXBENCH-END rc=0\n' >"${a#file,id=res,path=}" ;;
	esac
done
QEMU
	chmod +x "$bin/qemu-system-x86_64"
	PATH=$bin:$PATH
	echo 'true' >"$BATS_TEST_TMPDIR/job.sh"
}

lib() { bash -c ". '$REPO/scripts/lib.sh'; $1"; }

# Boot the stand-in with --accel $1; the meta file's field $2.
boot() {
	run "$REPO/scripts/guest-run.sh" --variant iomap --accel "$1" \
		--job "$BATS_TEST_TMPDIR/job.sh" --out "$BATS_TEST_TMPDIR/o-$1" --pmem-mib 64
	assert_success
}
meta() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' "$BATS_TEST_TMPDIR/o-$1/meta"; }

@test "accelerators: a new one is its block in configs/accelerators, nothing else" {
	lib 'known_accels' | grep -qx tcg-one
	lib 'check_accel tcg-one'
	boot tcg-one
	[ "$(meta tcg-one accel)" = tcg-one ]
	[ "$(meta tcg-one smp)" = 1 ]
	meta tcg-one qemu_cmd | grep -q -- '^qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 1 '
}

@test "accelerators: the table fixes icount's one vCPU and tcg-numa's two nodes" {
	boot icount
	[ "$(meta icount smp)" = 1 ]
	meta icount qemu_cmd | grep -q -- '-icount shift=0,sleep=off,align=off -smp 1 '
	boot tcg-numa
	[ "$(meta tcg-numa numa)" = 1 ]
	meta tcg-numa qemu_cmd | grep -q -- '-numa node,nodeid=1,cpus=1-1,memdev=m1 '
	meta tcg-numa qemu_cmd | grep -q -- 'nvdimm,id=nv1,memdev=nvmem,label-size=128K,node=1'
}

@test "accelerators: a matrix naming an unknown one is refused with the known list" {
	printf 'ACCELS="icount warp"\nROUNDS=1\nCELLS="fault --size 16M"\n' >"$BATS_TEST_TMPDIR/m"
	run "$REPO/scripts/bench-all.sh" --matrix "$BATS_TEST_TMPDIR/m" --run t
	assert_error "m: unknown accel 'warp' [(]configs/accelerators has: kvm tcg icount tcg-numa tcg-one[)]"
	[ ! -e "$DAXBENCH_CACHE/runs/t" ]
}

@test "accelerators: reports read path lengths from the accelerator whose clock is instructions" {
	local p head
	[ "$(lib path_accel)" = icount ]
	# without it the report's programs refuse to guess
	head=$(printf '%s\t' variant accel fs workload case params metric kind better n boots \
		mean median min max sd boot_means)
	for p in regressions summary apps; do
		run awk -v pairs=a:b -v ref=a -v registry="$TOP/configs/metrics" \
			-f "$TOP/scripts/awk/lib.awk" -f "$TOP/scripts/awk/$p.awk" <<<"$head"
		assert_failure 2
		assert_output "$p: no -v path_accel given (scripts/lib.sh path_accel)"
		run awk -v pairs=a:b -v ref=a -v registry="$TOP/configs/metrics" -v path_accel=icount \
			-f "$TOP/scripts/awk/lib.awk" -f "$TOP/scripts/awk/$p.awk" <<<"$head"
		assert_success
	done
	# and a table with two path-length accelerators is refused
	printf 'tcg-one clock instructions\n' >>"$REPO/configs/accelerators"
	run lib path_accel
	assert_error "exactly one accelerator has clock instructions, not 'icount tcg-one '"
}

@test "accelerators: a malformed block is refused, naming what it needs" {
	# shellcheck disable=SC2016  # expanded by lib's shell
	lib 'for a in $(known_accels); do check_accel "$a"; done'
	printf 'slow qemu -accel tcg\nslow clock emulated\nslow smp two\n' >>"$REPO/configs/accelerators"
	run lib 'check_accel slow'
	assert_error "accelerator 'slow' needs smp: a number"
	printf 'warp qemu -accel warp\nwarp clock fast\n' >>"$REPO/configs/accelerators"
	run "$REPO/scripts/guest-run.sh" --variant iomap --accel warp \
		--job "$BATS_TEST_TMPDIR/job.sh" --out "$BATS_TEST_TMPDIR/o-warp"
	assert_error "accelerator 'warp' needs one clock row: instructions, emulated or host"
}

@test "accelerators: --accel auto takes the first 'auto' row that works here" {
	# kvm's probe fails here (no nested KVM; the stand-in QEMU would
	# pass it, so the probe's row goes first): tcg is the next one
	local want=tcg
	if [ -w /dev/kvm ] && grep -qE '\b(vmx|svm)\b' /proc/cpuinfo; then want=kvm; fi
	boot auto
	[ "$(meta auto accel)" = "$want" ]
	sed -i '/ auto /d' "$REPO/configs/accelerators"
	run "$REPO/scripts/guest-run.sh" --variant iomap --accel auto \
		--job "$BATS_TEST_TMPDIR/job.sh" --out "$BATS_TEST_TMPDIR/o-none"
	assert_error 'no "auto" accelerator of configs/accelerators works here'
}
