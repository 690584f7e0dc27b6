# Assertions shared by the harness and kernel bats files (their
# helpers.bash source this): bats-assert and bats-support from Debian
# (make deps installs them), and the one check of our own on top.
# shellcheck shell=bash
# status and output are set by bats' run.
# shellcheck disable=SC2154

bats_load_library bats-support
bats_load_library bats-assert

# The last 'run' failed with a one-line error naming the cause, matching
# the extended regular expression $1 (scripts/lib.sh's die: "error: ...").
assert_error() {
	assert_failure
	assert_line --regexp "error: .*$1"
}
