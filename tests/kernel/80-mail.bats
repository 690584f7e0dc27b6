#!/usr/bin/env bats
# make mail: every series with its cover letter, the measured results in
# it (the overview and every loss against the reference), no body line
# over 72 columns, and a plain note when the results were measured on
# another version of the series than the one posted.

load helpers

# Lines of a cover letter's body (after the headers) over 72 characters.
wide_lines() {
	local line n=0 body=0
	while IFS= read -r line; do
		[ "$body" = 1 ] || { [ -n "$line" ] || body=1; continue; }
		[ "${#line}" -le 72 ] || n=$((n + 1))
	done <"$1"
	echo "$n"
}

@test "mail: each series' cover letter carries the overview and its losses, within 72 columns" {
	local v ref n=0 letter
	# the variants and the reference, as kernels/ names them (lib.sh)
	ref=$(bash -c '. "$1/scripts/lib.sh"; reference_variant' _ "$TOP")
	for v in $(bash -c '. "$1/scripts/lib.sh"; known_variants' _ "$TOP"); do
		[ "$v" != "$ref" ] || continue
		need_kernel "$v"
		DAXBENCH_MAIL_FROM='A Developer <dev@kernel.org>' run "$TOP/scripts/mail.sh" "$v" ref-full
		echo "$output"
		assert_success
		letter=$DAXBENCH_CACHE/mail/$v/0000-cover-letter.patch
		grep -q '^Measured results (daxbench run ref-full' "$letter"
		grep -q '^Relative to iomap on the same filesystem' "$letter"
		grep -q "^$v is WORSE than $ref here" "$letter"
		grep -qE "^$v +ext4 " "$letter"
		[ "$(wide_lines "$letter")" -eq 0 ]
		n=$((n + 1))
	done
	echo "# $n cover letters checked" >&3
	[ "$n" -ge 2 ]
}

# A copy of reports/ref-full whose manifest says pfn's kernel was built
# from series $1 and source tree $2 (empty: not recorded).
fake_report() {
	local d=$BATS_TEST_TMPDIR/reports/fake
	mkdir -p "$d"
	cp "$TOP/reports/ref-full/summary.txt" "$d/"
	awk -F'\t' -v OFS='\t' -v s="$1" -v t="$2" '$1 == "kernel_pfn" {
		$2 = "flavour=default series=" s " config=0" (t != "" ? " tree=" t : "") } { print }' \
		"$TOP/reports/ref-full/manifest" >"$d/manifest"
}

@test "mail: results of another version of the series are said to be so" {
	need_kernel pfn
	local letter=$DAXBENCH_CACHE/mail/pfn/0000-cover-letter.patch now tree
	now=$(bash -c '. "$1/scripts/lib.sh"; load_variant pfn; series_hash $VARIANT_SERIES' _ "$TOP")
	tree=$(git -C "$("$TOP/scripts/kernel-build.sh" --tree pfn)" rev-parse --short=16 'HEAD^{tree}')
	export DAXBENCH_MAIL_FROM='A Developer <dev@kernel.org>' DAXBENCH_REPORTS=$BATS_TEST_TMPDIR/reports
	# the series posted: nothing to say
	fake_report "$now" "$tree"
	run "$TOP/scripts/mail.sh" pfn fake
	assert_success
	! grep -q '^NOTE: these results\|^(Measured with series' "$letter" || false
	# another series, another source: a NOTE with both hashes
	fake_report 0123456789abcdef fedcba9876543210
	run "$TOP/scripts/mail.sh" pfn fake
	assert_success
	grep -q '^NOTE: these results were measured on another version' "$letter"
	grep -q "^kernel series 0123456789abcdef; this posting is $now\.$" "$letter"
	grep -q "warning: fake measured pfn series 0123456789abcdef" <<<"$output"
	# a tree the kernel repository has: the files that differ are listed
	local kdir prev f
	kdir=$("$TOP/scripts/kernel-build.sh" --tree pfn)
	prev=$(git -C "$kdir" rev-parse --short=16 'HEAD~1^{tree}')
	fake_report 0123456789abcdef "$prev"
	run "$TOP/scripts/mail.sh" pfn fake
	assert_success
	grep -q "^Files that differ from the source measured (tree $prev):$" "$letter"
	for f in $(git -C "$kdir" diff --name-only HEAD~1 HEAD); do
		grep -q "^ $f " "$letter" || { echo "not listed: $f"; return 1; }
	done
	# no source tree recorded (runs before trees were): a NOTE too
	fake_report 0123456789abcdef ''
	run "$TOP/scripts/mail.sh" pfn fake
	grep -q '^NOTE: these results were measured on another version' "$letter"
	# another series that builds the same source (split or reworded): said
	# so, without the NOTE
	fake_report 0123456789abcdef "$tree"
	run "$TOP/scripts/mail.sh" pfn fake
	echo "$output"
	assert_success
	! grep -q '^NOTE: these results' "$letter" || false
	grep -q '^(Measured with series 0123456789abcdef; the patches were split or$' "$letter"
	grep -q "^reworded since, and build the same source tree, $tree\.)$" "$letter"
}
