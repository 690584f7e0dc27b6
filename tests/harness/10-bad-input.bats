#!/usr/bin/env bats
# Bad input gets one clear error and a non-zero exit.

load helpers

setup() {
	scratch_repo
}

@test "kernel-build: unknown variant is named with the known ones" {
	run "$REPO/scripts/kernel-build.sh" nosuch
	assert_error "unknown variant 'nosuch' \(known: .*iomap"
}

@test "kernel-build: no variant at all" {
	run "$REPO/scripts/kernel-build.sh"
	assert_error "no variant given"
}

@test "kernel-build: 'base' is not a variant" {
	run "$REPO/scripts/kernel-build.sh" base
	assert_error "unknown variant 'base'"
}

@test "kernel-source: another package version stops the build naming both" {
	sed -i 's/^BASE_VERSION=.*/BASE_VERSION=6.1.0-0/' "$REPO/kernels/base.conf"
	run "$REPO/scripts/kernel-source.sh"
	assert_error "is 6\.1\..* but kernels/base.conf pins 6\.1\.0-0"
}

@test "kernel-source: a tarball with another hash is refused" {
	sed -i 's/^BASE_SHA256=.*/BASE_SHA256=0000/' "$REPO/kernels/base.conf"
	run "$REPO/scripts/kernel-source.sh"
	assert_error "has sha256 [0-9a-f]+, kernels/base.conf pins 0000"
	[ ! -e "$DAXBENCH_CACHE/src/linux" ]
}

@test "kernel-build: a patch that does not apply is named" {
	fake_source
	broken_variant broken
	run "$REPO/scripts/kernel-build.sh" broken
	assert_error "patch does not apply: patches/broken/0001-bad.patch"
}

@test "kernel-build: a series directory that does not exist" {
	fake_source
	printf 'VARIANT_SERIES="nowhere"\nVARIANT_CONFIGS="guest.config"\nVARIANT_FS="ext4"\n' \
		>"$REPO/kernels/lost.conf"
	run "$REPO/scripts/kernel-build.sh" lost
	assert_error "patch series 'nowhere' \(patches/nowhere\) does not exist"
}

@test "guest-run: unknown variant" {
	run "$REPO/scripts/guest-run.sh" --variant nosuch --job /dev/null --out "$BATS_TEST_TMPDIR/o"
	assert_error "unknown variant 'nosuch'"
}

@test "guest-run: missing kernel image says how to build it" {
	run "$REPO/scripts/guest-run.sh" --variant iomap \
		--job "$REPO/scripts/guest/jobs/fault-smoke.sh" --out "$BATS_TEST_TMPDIR/o"
	assert_error "no kernel image for variant 'iomap'.*make kernel-iomap"
	[ ! -e "$BATS_TEST_TMPDIR/o/result.tsv" ]
}

@test "guest-run: missing job file" {
	run "$REPO/scripts/guest-run.sh" --variant iomap --job /nonexistent --out "$BATS_TEST_TMPDIR/o"
	assert_error "job file '/nonexistent' not found"
}

@test "guest-run: unknown accelerator" {
	run "$REPO/scripts/guest-run.sh" --variant iomap --job "$REPO/scripts/guest/jobs/fault-smoke.sh" \
		--out "$BATS_TEST_TMPDIR/o" --accel warp
	assert_error "unknown accel 'warp'"
}

@test "guest-run: unknown option" {
	run "$REPO/scripts/guest-run.sh" --variant iomap --frobnicate
	assert_error "unknown option '--frobnicate'"
}

@test "cache: a read-only cache folder is reported, not ignored" {
	mkdir -p "$DAXBENCH_CACHE"
	if [ "$(id -u)" -ne 0 ]; then
		chmod a-w "$DAXBENCH_CACHE"
		run "$REPO/scripts/initramfs.sh"
	else
		# root ignores directory permissions: make it a read-only mount,
		# in a mount namespace of its own
		unshare -m true 2>/dev/null || skip "root, and no mount namespace to make a read-only folder"
		# shellcheck disable=SC2016  # $1 and $2 belong to the inner bash
		run unshare -m bash -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" &&
			exec "$2"' _ "$DAXBENCH_CACHE" "$REPO/scripts/initramfs.sh"
	fi
	assert_error "cannot create|not writable"
}

@test "guest-run: an NVDIMM too small for fsdax and a filesystem is refused" {
	run "$REPO/scripts/guest-run.sh" --variant iomap --job "$REPO/scripts/guest/jobs/fault-smoke.sh" \
		--out "$BATS_TEST_TMPDIR/o" --pmem-mib 16
	assert_error "--pmem-mib 16 is too small .*at least 64"
	[ ! -e "$BATS_TEST_TMPDIR/o" ]
}

@test "guest-run: an NVDIMM size that is not a number" {
	run "$REPO/scripts/guest-run.sh" --variant iomap --job "$REPO/scripts/guest/jobs/fault-smoke.sh" \
		--out "$BATS_TEST_TMPDIR/o" --pmem-mib 1G
	assert_error "bad --pmem-mib '1G'"
}

@test "mail: a placeholder author is refused, naming the fix" {
	DAXBENCH_MAIL_FROM='daxbench <daxbench@localhost>' run "$REPO/scripts/mail.sh" pfn
	assert_error "no real author for the patches \('daxbench <daxbench@localhost>'\); set git's user.name and user.email, or DAXBENCH_MAIL_FROM"
	DAXBENCH_MAIL_FROM='A Developer <dev@host.example>' run "$REPO/scripts/mail.sh" pfn
	assert_error "no real author"
}

@test "mail: a report that is not there is named, by id" {
	DAXBENCH_MAIL_FROM='A Developer <dev@kernel.org>' run "$REPO/scripts/mail.sh" pfn no-such-run
	assert_error "no report 'no-such-run' \(reports/no-such-run/summary.txt\)"
}

@test "mail: the reference variant has nothing to post" {
	run "$REPO/scripts/mail.sh" iomap
	assert_error "iomap is the reference: it has no series of its own"
}

@test "profile: an accelerator that cannot count instructions or time" {
	run "$REPO/scripts/profile.sh" --out "$BATS_TEST_TMPDIR/p" --variant iomap --accel kvm
	assert_error "--accel needs a TCG accelerator [(]emulated time or instructions[)], not 'kvm'"
}

@test "profile: an unknown target" {
	run "$REPO/scripts/profile.sh" --out "$BATS_TEST_TMPDIR/p" --variant iomap --target pmem
	assert_error "--target is devdax or not given, not 'pmem'"
}

@test "profile: an option without its value" {
	run "$REPO/scripts/profile.sh" --out
	assert_error "option '--out' needs a value"
}
