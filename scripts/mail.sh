#!/usr/bin/env bash
# Prepare a variant's series for posting: 'git format-patch --cover-letter'
# against the base, the instrumentation patch first (the series uses its
# counters), the cover letter's text from patches/<v>/0000-cover-letter.patch
# and the measured table from a report embedded in it.
#
# usage: mail.sh VARIANT [REPORT]   REPORT: a folder under reports/ (default:
#                                   the newest with a summary.txt)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

COLS=72

# The cover letter's subject (without "[PATCH 0/N] ") and its body up to
# the shortlog git appended.
cover_subject() {
	sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$1" | head -n 1
}

cover_body() {
	awk 'body && /^[^ ].* \([0-9]+\):$/ { exit }
	     body { print }
	     !body && /^$/ { body = 1 }' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

# The overview and the headline case of each comparison with VARIANT.
results() {
	local sum=$1 v=$2
	echo "Results (daxbench, $(basename "$(dirname "$sum")")):"
	echo
	awk '/^Overview:/ { on = 1 } on && /^====/ { exit } on { print }' "$sum"
	awk -v v="$v" '
		/^==== / { on = ($0 ~ (" -> " v " ") || $0 ~ ("==== " v " -> ")); blk = "" ; if (on) print ""; if (on) print; next }
		on && /^$/ { if (blk ~ /map=pte,op=read,order=seq,thr=1,sit=refault/) printf "%s", blk; blk = ""; next }
		on { blk = blk $0 "\n" }
		END { if (on && blk ~ /map=pte,op=read,order=seq,thr=1,sit=refault/) printf "%s", blk }' "$sum"
	echo
	echo "Full tables, plots and the manifest: reports/$(basename "$(dirname "$sum")")/"
}

main() {
	local v=${1:-} report=${2:-} cover out tree p n=0 subject
	check_variant "$v"
	cover=$PATCHES_DIR/$v/0000-cover-letter.patch
	[ -f "$cover" ] || die "patches/$v has no cover letter"
	if [ -z "$report" ]; then
		report=$(find "$DAXBENCH_TOP/reports" -mindepth 2 -maxdepth 2 -name summary.txt -printf '%T@ %h\n' 2>/dev/null |
			sort -rn | head -n 1 | cut -d' ' -f2-)
	elif [ -d "$DAXBENCH_TOP/reports/$report" ]; then
		report=$DAXBENCH_TOP/reports/$report
	fi
	if [ -z "$report" ] || [ ! -s "$report/summary.txt" ]; then
		die "no report with a summary.txt; run 'make report' first"
	fi
	"$DAXBENCH_TOP/scripts/kernel-source.sh"
	out=$DAXBENCH_CACHE/mail/$v
	tree=$DAXBENCH_CACHE/mail/.tree-$v
	rm -rf "$out"
	git -C "$SRC_DIR" worktree remove --force "$tree" >/dev/null 2>&1 || true
	git -C "$SRC_DIR" worktree add -q --detach "$tree" base
	for p in "$PATCHES_DIR"/common/0001-*.patch "$PATCHES_DIR/$v"/0*.patch; do
		case ${p##*/} in 0000-*) continue ;; esac
		git -C "$tree" am -q "$p" || die "patch does not apply: ${p#"$DAXBENCH_TOP"/}"
		n=$((n + 1))
	done
	git -C "$tree" format-patch -q --cover-letter -o "$out" base..HEAD
	subject=$(cover_subject "$cover")
	{
		cover_body "$cover"
		echo
		results "$report/summary.txt" "$v"
	} >"$out/.blurb"
	awk -v subj="$subject" -v blurb="$out/.blurb" '
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
		/^\*\*\* BLURB HERE \*\*\*$/ { while ((getline l < blurb) > 0) print l; next }
		{ print }' "$out"/0000-cover-letter.patch >"$out/.cover"
	mv "$out/.cover" "$out"/0000-cover-letter.patch
	rm -f "$out/.blurb"
	git -C "$SRC_DIR" worktree remove --force "$tree"
	if awk -v c="$COLS" '/^$/ { body = 1 } /^---$/ { exit } body && length($0) > c { bad = 1 } END { exit !bad }' \
		"$out"/0000-cover-letter.patch; then
		log "warning: cover letter body has lines over $COLS columns"
	fi
	log "$n patches and a cover letter in $out"
}

main "$@"
