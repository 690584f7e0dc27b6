#!/usr/bin/env bats
# The pfn series must leave FS_DAX buildable without the block layer: with
# CONFIG_BLOCK=n, fs/dax.c and drivers/dax compile, the block-free
# primitives (dax_add_pfn_entries, dax_pfn_fault, dax_zero_range) are
# there and dax_create_pfns, which needs a block device, is not.
# Compile-only (configs/noblock.config): a few objects, not a kernel.

load helpers

# $1 object, $2 symbol: is it a defined text symbol?
defines() {
	nm "$1" | grep -qE "^[0-9a-f]+ T $2\$"
}

@test "pfn: fs/dax.c and drivers/dax compile with CONFIG_BLOCK=n" {
	local build
	build=$(variant_build_dir pfn noblock)
	run "$TOP/scripts/kernel-build.sh" pfn noblock
	echo "$output"
	assert_success
	grep -qx '# CONFIG_BLOCK is not set' "$build/.config"
	grep -qx 'CONFIG_FS_DAX=y' "$build/.config"
	[ -f "$build/drivers/dax/super.o" ]
	defines "$build/fs/dax.o" dax_add_pfn_entries
	defines "$build/fs/dax.o" dax_pfn_fault
	defines "$build/fs/dax.o" dax_zero_range
	run defines "$build/fs/dax.o" dax_create_pfns
	assert_failure
}
