#!/usr/bin/env bats
# The manifest describes a run completely: a test lists every field.

load helpers

setup() {
	scratch_repo
	RUN=$BATS_TEST_TMPDIR/run
	mkdir -p "$RUN/boots/r1-icount-iomap" "$RUN/boots/r1-tcg-iomap"
	printf 'VARIANTS="iomap"\nACCELS="icount tcg"\n' >"$RUN/matrix"
	local a
	for a in icount tcg; do
		printf '%s\t%s\n' variant iomap flavour default accel "$a" smp 1 mem_mib 1024 \
			pmem_mib 2048 numa 0 qemu "QEMU emulator version 7.2.22" \
			kernel_build "variant=iomap flavour=default series=1111 config=2222 head=abc build_seconds=9" \
			boot_seconds 12.5 host_load1 "0.50 1.25" \
			qemu_cmd "qemu-system-x86_64 -accel tcg -cpu max -kernel <cache>/variants/iomap/build/arch/x86/boot/bzImage" \
			>"$RUN/boots/r1-$a-iomap/meta"
	done
}

@test "manifest: every field a rerun needs is there" {
	DAXBENCH_PAIRS=iomap:pfn "$REPO/scripts/manifest.sh" start "$RUN" >"$RUN/start"
	run "$REPO/scripts/manifest.sh" "$RUN"
	echo "$output"
	assert_success
	local k
	for k in run run_start run_end run_seconds daxbench_commit daxbench_commit_end \
		base_package base_pinned base_tarball_sha256 series_common series_pfn \
		series_getblock kernel_iomap qemu accelerators guest qemu_cmd_icount qemu_cmd_tcg \
		tool_gcc tool_binutils tool_qemu tool_busybox tool_e2fsprogs tool_xfsprogs \
		tool_ndctl tool_fio tool_perf host_kernel host_cpu host matrix_sha256 \
		matrix_text env_DAXBENCH_PAIRS load_r1-icount-iomap load_r1-tcg-iomap; do
		grep -q "^$k	." <<<"$output" || { echo "missing: $k"; return 1; }
	done
	grep -qx 'env_DAXBENCH_PAIRS	iomap:pfn' <<<"$output"
	grep -qx 'kernel_iomap	flavour=default series=1111 config=2222' <<<"$output"
	grep -qx 'matrix_text	ACCELS="icount tcg"' <<<"$output"
	grep -qx 'load_r1-tcg-iomap	0.50 1.25' <<<"$output"
	[ "$(grep -c '^kernel_iomap	' <<<"$output")" -eq 1 ]
}

@test "manifest: the commit is the one at the start; untracked files make it dirty" {
	git init -q "$REPO"
	git -C "$REPO" -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
	git -C "$REPO" add -A
	git -C "$REPO" -c user.name=t -c user.email=t@t commit -q -m two
	"$REPO/scripts/manifest.sh" start "$RUN" >"$RUN/start"
	grep -q "^daxbench_commit	$(git -C "$REPO" rev-parse HEAD) clean" "$RUN/start"
	touch "$REPO/patches/new-experiment.patch"
	"$REPO/scripts/manifest.sh" start "$RUN" >"$RUN/start"
	grep -q "^daxbench_commit	.* dirty (1 files" "$RUN/start"
	git -C "$REPO" -c user.name=t -c user.email=t@t commit -q --allow-empty -m three
	run "$REPO/scripts/manifest.sh" "$RUN"
	[ "$(grep '^daxbench_commit	' <<<"$output" | cut -f2)" != "$(grep '^daxbench_commit_end	' <<<"$output" | cut -f2)" ]
}

@test "manifest: a series hash ignores cover letter and commit messages, not diffs" {
	local before after pf
	pf=$(ls "$REPO"/patches/pfn/0002-*.patch)
	before=$(. "$REPO/scripts/lib.sh" && series_hash pfn)
	echo "one more line of prose" >>"$REPO/patches/pfn/0000-cover-letter.patch"
	# a reworded commit message (the line after the subject)
	sed -i '1,/^$/!{0,/^$/s/^$/\nA reworded paragraph.\n/}' "$pf"
	after=$(. "$REPO/scripts/lib.sh" && series_hash pfn)
	[ "$before" = "$after" ]
	# one changed line of code in the diff
	sed -i '0,/^+\t/s/^+\t/+\t\/* changed *\/ /' "$pf"
	after=$(. "$REPO/scripts/lib.sh" && series_hash pfn)
	[ "$before" != "$after" ]
}

@test "manifest: a run without its start record is refused" {
	run "$REPO/scripts/manifest.sh" "$RUN"
	assert_error "has no start record"
}

@test "manifest: a kernel names its source tree, recorded or found from its commit" {
	local c t
	# recorded by kernel-build.sh
	sed -i 's/head=abc /head=abc tree=0123456789abcdef /' "$RUN/boots/r1-icount-iomap/meta" \
		"$RUN/boots/r1-tcg-iomap/meta"
	"$REPO/scripts/manifest.sh" start "$RUN" >"$RUN/start"
	run "$REPO/scripts/manifest.sh" "$RUN"
	assert_success
	grep -qx 'kernel_iomap	flavour=default series=1111 config=2222 tree=0123456789abcdef' <<<"$output"
	# older records: the tree of their head commit, if the repository has it
	fake_source
	c=$(git -C "$BATS_TEST_TMPDIR/cache/src/linux" rev-parse --short HEAD)
	t=$(git -C "$BATS_TEST_TMPDIR/cache/src/linux" rev-parse --short=16 'HEAD^{tree}')
	sed -i "s/head=abc tree=0123456789abcdef /head=$c /" "$RUN/boots/r1-icount-iomap/meta" \
		"$RUN/boots/r1-tcg-iomap/meta"
	run "$REPO/scripts/manifest.sh" "$RUN"
	echo "$output"
	grep -qx "kernel_iomap	flavour=default series=1111 config=2222 tree=$t" <<<"$output"
	# a commit it does not have: no tree, rather than a wrong one
	sed -i "s/head=$c /head=0000000 /" "$RUN/boots/r1-icount-iomap/meta" "$RUN/boots/r1-tcg-iomap/meta"
	run "$REPO/scripts/manifest.sh" "$RUN"
	grep -qx 'kernel_iomap	flavour=default series=1111 config=2222' <<<"$output"
}
