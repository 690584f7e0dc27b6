#!/usr/bin/env bats
# One owner per concern: a new variant is kernels/<v>.conf plus
# patches/<v>/, and everything that iterates variants (matrices without
# a VARIANTS line, their filesystems, report pairs, make mail, checks)
# finds it there without another edit.

load helpers

setup() {
	scratch_repo
	cp "$TOP/Makefile" "$REPO/"
	mkdir -p "$REPO/patches/newv"
	cp "$TOP/patches/pfn/0001-"*.patch "$REPO/patches/newv/"
	printf '%s\n' '# newv: a variant added by this test' \
		'VARIANT_DESC="a test variant"' 'VARIANT_SERIES="common newv"' \
		'VARIANT_FS="ext4 btrfs"' >"$REPO/kernels/newv.conf"
}

lib() { bash -c ". '$REPO/scripts/lib.sh'; $1"; }

# The filesystems of a matrix that names none, one per line.
# shellcheck disable=SC2016  # expanded by lib's shell
all_fs() { lib 'variants_fs $(matrix_variants)' | tr ' ' '\n'; }

@test "variants: a new variant is its kernels/ file and its series, nothing else" {
	local ref
	ref=$(lib reference_variant)
	lib 'check_variant newv'
	lib known_variants | grep -qx newv
	# a matrix without VARIANTS runs it, the reference first
	[ "$(lib matrix_variants | cut -d' ' -f1)" = "$ref" ]
	lib matrix_variants | tr ' ' '\n' | grep -qx newv
	# and a matrix without FS its filesystems, once each
	[ "$(all_fs | grep -c .)" -eq "$(all_fs | sort -u | grep -c .)" ]
	all_fs | grep -qx btrfs
	# make mail posts it, and not the reference
	make -s -C "$REPO" -n mail | grep -q '^for v in .*\bnewv\b'
	! make -s -C "$REPO" -n mail | grep -q "^for v in .*\\b$ref\\b" || false
	# the full and quick matrices name no variants of their own
	! grep -q '^VARIANTS=' "$REPO/configs/matrix-full" "$REPO/configs/matrix-quick" || false
}

@test "variants: a report compares a new variant with the reference" {
	local run=$BATS_TEST_TMPDIR/run v r
	mkdir -p "$run/boots"
	{
		printf 'variant\taccel\tround\tfs\tworkload\tcase\tmetric\tunit\trep\tvalue\n'
		for v in iomap newv; do
			for r in 1 2 3; do
				printf '%s\ticount\t%s\text4\tfault\tmap=pte,size=16M\tns_per_page\tns\t0\t%s\n' \
					"$v" "$r" "$([ "$v" = iomap ] && echo 1000 || echo 900)"
			done
		done
	} >"$run/results.tsv"
	printf 'run\trun\nbase_package\tlinux-source-6.1 6.1.192-2\n' >"$run/manifest"
	DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports run "$REPO/scripts/report.sh" "$run"
	echo "$output"
	assert_success
	grep -q "^==== $(lib reference_variant) -> newv" "$BATS_TEST_TMPDIR/reports/run/summary.txt"
}

# "variant: fs" for every filesystem a variant names that the table lacks.
unknown_fs() {
	local v fs
	for v in $(lib known_variants); do
		for fs in $(lib "load_variant $v; echo \$VARIANT_FS"); do
			lib known_fs | grep -qx "$fs" || echo "$v: $fs"
		done
	done
}

@test "filesystems: one table; each one built into the guest kernel, each variant's in it" {
	local fs v
	[ "$(lib known_fs | tr '\n' ' ')" = "ext4 ext2 xfs " ]
	for fs in $(lib known_fs); do
		for k in package tools kconfig mkfs faults; do
			[ -n "$(lib "fs_field $fs $k")" ] || { echo "$fs has no $k row"; return 1; }
		done
		grep -qx "$(lib "fs_field $fs kconfig")=y" "$TOP/configs/guest.config"
	done
	# setup's newv names btrfs, which the table does not have
	[ "$(unknown_fs)" = "newv: btrfs" ]
	rm "$REPO/kernels/newv.conf"
	[ -z "$(unknown_fs)" ]
	[ "$(lib 'fs_field xfs mounted')" = '/usr/sbin/xfs_io -c "extsize 2m"' ]
}

@test "filesystems: a new one is a block of configs/filesystems" {
	printf '%s\n' 'btrfs package btrfs-progs' 'btrfs tools /bin/mkfs.btrfs' \
		'btrfs kconfig CONFIG_BTRFS_FS' 'btrfs mkfs mkfs.btrfs -q -f' \
		'btrfs faults btrfs_dax_fault' >>"$REPO/configs/filesystems"
	lib known_fs | grep -qx btrfs
	lib "fs_field '*' package" | grep -qx btrfs-progs
	[ "$(lib 'fs_field btrfs mkfs')" = 'mkfs.btrfs -q -f' ]
	# what guest-run.sh tries by default
	# shellcheck disable=SC2016  # the literal text of the script
	grep -qF 'FS_LIST=$(known_fs' "$REPO/scripts/guest-run.sh"
}
