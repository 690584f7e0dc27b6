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
		[ "$status" -eq 0 ]
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

@test "mail: results of another version of the series are said to be so" {
	need_kernel pfn
	local letter=$DAXBENCH_CACHE/mail/pfn/0000-cover-letter.patch was now
	was=$(awk -F'\t' '$1 == "kernel_pfn" { print $2 }' "$TOP/reports/ref-full/manifest" |
		grep -o 'series=[0-9a-f]*' | cut -d= -f2)
	now=$(bash -c '. "$1/scripts/lib.sh"; load_variant pfn; series_hash $VARIANT_SERIES' _ "$TOP")
	DAXBENCH_MAIL_FROM='A Developer <dev@kernel.org>' run "$TOP/scripts/mail.sh" pfn ref-full
	[ "$status" -eq 0 ]
	if [ "$was" = "$now" ]; then
		! grep -q '^NOTE: these results were measured on another version' "$letter" || false
	else
		grep -q '^NOTE: these results were measured on another version' "$letter"
		grep -q "^kernel series $was; this posting is $now\.$" "$letter"
		grep -q "warning: ref-full measured pfn series $was" <<<"$output"
	fi
}
