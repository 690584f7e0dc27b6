#!/usr/bin/env bash
# Prepare a variant's series for posting: the commits its kernel is built
# from (scripts/kernel-build.sh applies them; nothing here applies a patch
# again), authored and signed off by the user, a cover letter from
# patches/<v>/0000-cover-letter.patch and the measured results of one
# report: its overview and every case where the variant is worse than the
# reference (generated from the report, never typed).
#
# usage: mail.sh VARIANT [RUN]   RUN: a report id under reports/ (default
#                                ref-full, the committed reference run)
# The identity is git's user.name/user.email, or DAXBENCH_MAIL_FROM
# ("Name <address>"); a placeholder identity is refused.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

COLS=72
REFERENCE=$(reference_variant)
# improvements shown in the cover letter (all losses are)
BEST=20
# the identity the series is committed with in this repository
SERIES_AUTHOR='daxbench <daxbench@localhost>'

identity() {
	local id=${DAXBENCH_MAIL_FROM:-} name email
	if [ -z "$id" ]; then
		name=$(git -C "$DAXBENCH_TOP" config user.name 2>/dev/null || true)
		email=$(git -C "$DAXBENCH_TOP" config user.email 2>/dev/null || true)
		id="$name <$email>"
	fi
	case $id in
	" <"* | *"<>" | *@localhost* | *.example\> | *.invalid\> | *"<daxbench@"* | "$SERIES_AUTHOR")
		die "no real author for the patches ('$id'); set git's user.name and user.email, or DAXBENCH_MAIL_FROM='Name <address>'" ;;
	*" <"*@*">") ;;
	*) die "'$id' is not 'Name <address>'; set git's user.name and user.email, or DAXBENCH_MAIL_FROM" ;;
	esac
	printf '%s\n' "$id"
}

# The cover letter's subject (without "[PATCH 0/N] ") and its body, up to
# the shortlog git appended.
cover_subject() {
	sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$1" | head -n 1
}

cover_body() {
	awk 'body && /^[^ ].* \([0-9]+\):$/ { exit }
	     body { print }
	     !body && /^$/ { body = 1 }' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

# The measured part: the report's overview, then the opening section's
# lists for "reference -> variant": every case where it is worse, then
# where it is better.
# Say so in the letter when run $1 measured another version of the series
# of variant $2 than the one being posted (its kernel_<v> series hash).
# A series split or reworded since builds the same source tree ($3 is the
# posted tree): then the letter says that instead.
stale_note() {
	local report=$1 v=$2 tree=$3 rec was now was_tree now_tree rc
	rec=$(awk -F'\t' -v k="kernel_$v" '$1 == k { print $2 }' "$report/manifest")
	was=$(grep -o 'series=[0-9a-f]*' <<<"$rec" | cut -d= -f2 || true)
	was_tree=$(grep -o 'tree=[0-9a-f]*' <<<"$rec" | cut -d= -f2 || true)
	# shellcheck disable=SC2086  # VARIANT_SERIES: a list of series names
	now=$(series_hash $VARIANT_SERIES)
	[ "$was" != "$now" ] || return 0
	now_tree=$(git -C "$tree" rev-parse --short=16 'HEAD^{tree}')
	if [ -n "$was_tree" ] && [ "$was_tree" = "$now_tree" ]; then
		log "$(basename "$report") measured $v series $was; the posted $now builds the same source (tree $now_tree)"
		printf '(Measured with series %s; the patches were split or\n' "$was"
		printf 'reworded since, and build the same source tree, %s.)\n\n' "$now_tree"
		return 0
	fi
	log "warning: $(basename "$report") measured $v series ${was:-(unknown)}, not $now (posted); the letter says so"
	printf 'NOTE: these results were measured on another version of this series:\n'
	printf 'kernel series %s; this posting is %s.\n' "${was:-unknown}" "$now"
	# what differs, when the kernel repository has both trees (diff
	# --quiet: 1 = they differ, anything else = it cannot tell)
	rc=0
	[ -z "$was_tree" ] || git -C "$tree" diff --quiet "$was_tree" "$now_tree" 2>/dev/null || rc=$?
	if [ "$rc" -eq 1 ]; then
		printf 'Files that differ from the source measured (tree %s):\n' "$was_tree"
		git -C "$tree" diff --stat=$COLS "$was_tree" "$now_tree"
	fi
	printf 'What the changes since then touch may measure differently now.\n\n'
}

results() {
	local report=$1 v=$2 tree=$3 id
	id=$(basename "$report")
	echo "Measured results (daxbench run $id; generated from"
	echo "reports/$id/summary.txt, not typed)"
	echo
	stale_note "$report" "$v" "$tree"
	awk '/^Overview/ { on = 1 } on && /^(====|NOTE:)/ { exit } on { print }' "$report/summary.txt" |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
	echo
	# every loss; the first $BEST wins (the report has them all)
	awk -v v="$v" -v ref="$REFERENCE" -v best="$BEST" '
		$0 == v " is WORSE than " ref " here (beyond noise; largest first):" { on = 1 }
		!on { next }
		/^Overview/ { exit }
		/ is (WORSE|better) than / && $0 !~ ("^" v " is .* than " ref " ") { exit }
		/ is better than / { better = 1 }
		# an entry: its %change line, then its "fs workload case" lines
		{ head = /^ +([-+][0-9.]+%|new) / }
		better && head { n++; skipping = n > best; skipped += skipping }
		better && !head && !/^      +[a-z]/ { skipping = 0 }
		skipping { next }
		{ print }
		END { if (skipped) printf "  (%d more where it is better: see the report)\n", skipped }' \
		"$report/summary.txt"
	echo
	echo "Full tables, plots and the manifest: reports/$id/"
}

check_width() {
	local f=$1 bad
	bad=$(awk -v c="$COLS" 'body && length($0) > c { printf "%d: %s\n", NR, $0 }
		/^$/ { body = 1 }' "$f" | head -n 3)
	[ -z "$bad" ] || die "$(basename "$f") has lines over $COLS columns: $bad"
}

main() {
	local v=${1:-} run=${2:-ref-full} report cover out tree id prefix n f subject
	check_variant "$v"
	load_variant "$v"
	[ "$v" != "$REFERENCE" ] || die "$REFERENCE is the reference: it has no series of its own to post"
	id=$(identity)
	cover=$PATCHES_DIR/$v/0000-cover-letter.patch
	[ -f "$cover" ] || die "patches/$v has no cover letter"
	report=$REPORTS_DIR/$run
	[ -s "$report/summary.txt" ] || die "no report '$run' (reports/$run/summary.txt); name one with 'make mail MAIL_RUN=<id>'"
	grep -q "^$v is WORSE than $REFERENCE here" "$report/summary.txt" ||
		die "report $run does not compare $REFERENCE with $v; remake it with 'make report'"
	prefix=${VARIANT_MAIL_PREFIX:-RFC PATCH}
	tree=$("$DAXBENCH_TOP/scripts/kernel-build.sh" --tree "$v")
	out=$DAXBENCH_CACHE/mail/$v
	rm -rf "$out"
	mkdir -p "$out"
	git -C "$tree" format-patch -q --subject-prefix="$prefix" --stat=$COLS \
		--numbered -o "$out" base..HEAD
	n=$(find "$out" -name '0*.patch' | wc -l)
	# the user is the author and signs off
	for f in "$out"/0*.patch; do
		sed -i "s|$SERIES_AUTHOR|$id|g" "$f"
	done
	subject=$(cover_subject "$cover")
	{
		printf 'From: %s\n' "$id"
		printf 'Date: %s\n' "$(date -R)"
		printf 'Subject: [%s 0/%d] %s\n\n' "$prefix" "$n" "$subject"
		cover_body "$cover"
		echo
		results "$report" "$v" "$tree"
		echo
		git -C "$tree" shortlog -w$COLS,2,4 base..HEAD | sed "s|^${SERIES_AUTHOR%% <*}|${id%% <*}|"
		git -C "$tree" diff --stat=$COLS base..HEAD
	} >"$out/0000-cover-letter.patch"
	for f in "$out"/0*.patch; do
		[ "${f##*/}" != 0000-cover-letter.patch ] || check_width "$f"
	done
	! grep -l "$SERIES_AUTHOR" "$out"/*.patch >/dev/null ||
		die "a patch in $out still names $SERIES_AUTHOR"
	log "$n patches and a cover letter in $out (from $id, results of $run)"
}

main "$@"
