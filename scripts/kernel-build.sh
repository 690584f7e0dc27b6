#!/usr/bin/env bash
# Build one variant's kernel: a git worktree of the pinned base with the
# variant's patch series applied by 'git am', configured from tinyconfig
# plus the fragments in configs/, built out of tree with ccache.
#
# usage: kernel-build.sh VARIANT [FLAVOUR]
#        kernel-build.sh --tree VARIANT   only apply the series; print the tree
#
# Layout in the cache, per variant:  variants/<v>/linux   (worktree)
#                                    variants/<v>/build[-<flavour>]  (O=)
# ccache's base_dir is variants/<v>, so every variant compiles identical
# files under identical relative paths and shares the ccache.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# (Re)create the worktree at the base and apply the series.
prepare_tree() {
	local tree=$1 stamp=$1/../series.stamp hash p n=0
	# shellcheck disable=SC2086  # a list of series names
	hash=$(series_hash $VARIANT_SERIES)
	# a worktree of a base unpacked before (rebase-base) is made again
	if [ -d "$tree" ] && ! git -C "$tree" merge-base --is-ancestor base HEAD 2>/dev/null; then
		log "$VARIANT: worktree is not on the current base; making it again"
		rm -rf "$tree" "$stamp"
	fi
	if [ -d "$tree" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
		return 0
	fi
	if [ ! -d "$tree" ]; then
		git -C "$SRC_DIR" worktree prune
		git -C "$SRC_DIR" worktree add -q --detach "$tree" base
	else
		git -C "$tree" am --abort >/dev/null 2>&1 || true
		git -C "$tree" checkout -q --detach base
	fi
	rm -f "$stamp"
	# shellcheck disable=SC2086  # a list of series names
	while read -r p; do
		[ -n "$p" ] || continue
		if ! git -C "$tree" am -q --keep-cr "$p" >/dev/null 2>"$tree/../am.err"; then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			die "$VARIANT: patch does not apply: ${p#"$DAXBENCH_TOP"/} ($(head -n 1 "$tree/../am.err"))"
		fi
		n=$((n + 1))
	done < <(series_patches $VARIANT_SERIES)
	echo "$hash" >"$stamp"
	log "$VARIANT: $n patches applied (series $hash)"
}

config_files() {
	local c base=$VARIANT_CONFIGS
	# a standalone flavour is merged on tinyconfig without the variant's fragments
	if [ -n "$FLAVOUR" ] && grep -qx '# daxbench-standalone' "$CONFIGS_DIR/$FLAVOUR.config" 2>/dev/null; then
		base=''
	fi
	for c in $base ${FLAVOUR:+$FLAVOUR.config}; do
		[ -f "$CONFIGS_DIR/$c" ] || die "config fragment configs/$c does not exist"
		printf '%s\n' "$CONFIGS_DIR/$c"
	done
}

# Every option a fragment sets must survive the merge as written.
check_config() {
	local cfg=$1 frag line opt missing=''
	while read -r frag; do
		while read -r line; do
			case $line in
			CONFIG_*=*)
				grep -qxF "$line" "$cfg" || missing+=" $line" ;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }
				opt=${opt%% *}
				! grep -q "^$opt=" "$cfg" || missing+=" $opt=n" ;;
			esac
		done <"$frag"
	done < <(config_files)
	[ -z "$missing" ] || die "$VARIANT: Kconfig dropped options:$missing"
}

# What to build: bzImage, or the objects a flavour names on a line
# "# daxbench-targets: ..." (a compile-only check).
build_targets() {
	local t=''
	[ -z "$FLAVOUR" ] ||
		t=$(sed -n 's/^# daxbench-targets: *//p' "$CONFIGS_DIR/$FLAVOUR.config")
	echo "${t:-bzImage}"
}

configure() {
	local tree=$1 build=$2 stamp=$2/.config.stamp hash
	hash=$( { config_files | xargs cat; echo "$VARIANT_SERIES"; } | sha256sum | cut -c1-16)
	if [ -f "$build/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
		return 0
	fi
	mkdir -p "$build"
	make -s -C "$tree" O="$build" tinyconfig >/dev/null
	# shellcheck disable=SC2046
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" \
		$(config_files) >"$build/merge.log" 2>&1 ||
		die "$VARIANT: merge_config.sh failed (see $build/merge.log)"
	make -s -C "$tree" O="$build" olddefconfig >"$build/olddefconfig.log" 2>&1
	check_config "$build/.config"
	echo "$hash" >"$stamp"
}

# Objects compiled so far, and how many a finished build of this flavour
# had (any variant): enough to tell a person how far a build is.
objects_built() {
	local n total
	n=$(find "$BUILD" -name '*.o' 2>/dev/null | wc -l)
	total=$(cat "$DAXBENCH_CACHE"/variants/*/"${BUILD##*/}"/.daxbench-objects 2>/dev/null | sort -n | tail -n 1)
	echo "$n objects${total:+ of about $total}"
}

main() {
	local dir tree build t0 t1 jobs targets tree_only=0
	if [ "${1:-}" = --tree ]; then tree_only=1; shift; fi
	VARIANT=${1:-}
	FLAVOUR=${2:-}
	load_variant "$VARIANT"
	need_cmd git make gcc ccache flex bison bc
	"$DAXBENCH_TOP/scripts/kernel-source.sh"
	dir=$DAXBENCH_CACHE/variants/$VARIANT
	tree=$dir/linux
	build=$(variant_build_dir "$VARIANT" "$FLAVOUR")
	BUILD=$build
	cache_mkdir "$dir"
	exec 9>"$dir/.lock"
	flock 9
	prepare_tree "$tree"
	if [ "$tree_only" = 1 ]; then
		printf '%s\n' "$tree"
		return 0
	fi
	configure "$tree" "$build"
	jobs=${DAXBENCH_JOBS:-$(nproc)}
	export CCACHE_DIR=${CCACHE_DIR:-$DAXBENCH_CACHE/ccache}
	export CCACHE_BASEDIR=$dir CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
	t0=$(date +%s)
	targets=$(build_targets)
	log "$VARIANT${FLAVOUR:+ ($FLAVOUR)}: building $targets in $build (-j$jobs)"
	# shellcheck disable=SC2086  # targets: words
	if ! with_progress "$VARIANT${FLAVOUR:+ ($FLAVOUR)}: build" --count objects_built \
		make -s -C "$tree" O="$build" CC="ccache gcc" -j"$jobs" $targets \
		>"$build/build.log" 2>&1; then
		grep -E 'error|Error' "$build/build.log" | head -n 20 >&2 || true
		die "$VARIANT: kernel build failed (see $build/build.log)"
	fi
	t1=$(date +%s)
	find "$build" -name '*.o' | wc -l >"$build/.daxbench-objects"
	{
		echo "variant=$VARIANT flavour=${FLAVOUR:-default}"
		echo "series=$(cat "$dir/series.stamp") config=$(sha256sum <"$build/.config" | cut -c1-16)"
		# tree: the source itself (git am stamps new commit ids on every
		# application; a series split or reworded builds the same tree)
		echo "head=$(git -C "$tree" rev-parse --short HEAD) tree=$(git -C "$tree" rev-parse --short=16 'HEAD^{tree}')" \
			"build_seconds=$((t1 - t0))"
	} | atomic_write "$build/.daxbench-build"
	log "$VARIANT${FLAVOUR:+ ($FLAVOUR)}: $targets ready in $((t1 - t0))s"
}

main "$@"
