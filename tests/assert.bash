# Assertions shared by the harness and kernel bats files (their
# helpers.bash source this).
# shellcheck shell=bash
# status and output are set by bats' run.
# shellcheck disable=SC2154

# Assert that the last 'run' failed with an error line matching $1.
assert_error() {
	if [ "$status" -eq 0 ]; then
		echo "expected failure, got status 0; output: $output"
		return 1
	fi
	if ! grep -qE "error: .*$1" <<<"$output"; then
		echo "expected an error matching '$1'; output: $output"
		return 1
	fi
}
