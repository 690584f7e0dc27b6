#!/usr/bin/env bats
# scripts/guest/lib.sh under the guest's shell (busybox sh, whose
# applets such as taskset come before PATH), outside a guest: the
# helpers that need no kernel of ours.

load helpers

guest_sh() {
	command -v busybox >/dev/null || skip "no busybox"
	run busybox sh -c ". '$TOP/scripts/guest/lib.sh'; $*"
}

@test "guest lib: run_bench labels every row with the filesystem" {
	guest_sh "run_bench ext4 printf 'a\tb\nc\td\n'"
	assert_success
	[ "$output" = "$(printf 'ext4\ta\tb\next4\tc\td')" ]
}

@test "guest lib: BENCH_CPU pins the benchmark to that CPU, unset leaves it free" {
	[ "$(nproc)" -ge 2 ] || skip "one CPU: nothing to pin to"
	guest_sh "BENCH_CPU=1; run_bench ext2 grep Cpus_allowed_list /proc/self/status"
	assert_success
	[ "$output" = "$(printf 'ext2\tCpus_allowed_list:\t1')" ]
	guest_sh "run_bench ext2 grep Cpus_allowed_list /proc/self/status"
	assert_success
	[ "$output" = "$(printf 'ext2\t%s' "$(grep Cpus_allowed_list /proc/self/status)")" ]
}
