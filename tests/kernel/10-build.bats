#!/usr/bin/env bats
# Every variant builds from the pinned base with its series applied.

load helpers

build_variant() {
	run "$TOP/scripts/kernel-build.sh" "$1"
	echo "$output"
	assert_success
	[ -f "$(kernel_image "$1")" ]
	grep -q "^CONFIG_FS_DAX_PMD=y" "$(variant_build_dir "$1")/.config"
}

@test "iomap kernel builds (base + instrumentation)" {
	build_variant iomap
}

@test "getblock kernel builds" {
	build_variant getblock
}

@test "pfn kernel builds" {
	build_variant pfn
}

@test "control kernel builds" {
	build_variant control
}
