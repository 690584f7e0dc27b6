#!/usr/bin/env bash
# Helpers shared by every daxbench harness script. Source it; do not run it.
# shellcheck disable=SC2034  # variables here are used by the sourcing scripts

DAXBENCH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DAXBENCH_CACHE=${DAXBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daxbench}
KERNELS_DIR=$DAXBENCH_TOP/kernels
PATCHES_DIR=$DAXBENCH_TOP/patches
CONFIGS_DIR=$DAXBENCH_TOP/configs
SRC_DIR=$DAXBENCH_CACHE/src/linux
IMAGE_ROOT=$DAXBENCH_CACHE/images
RUN_ROOT=$DAXBENCH_CACHE/runs
# committed report folders (DAXBENCH_REPORTS: elsewhere, as tests do)
REPORTS_DIR=${DAXBENCH_REPORTS:-$DAXBENCH_TOP/reports}
PROG=${PROG:-$(basename "$0")}

die() {
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit 1
}

log() {
	printf '%s: %s\n' "$PROG" "$*" >&2
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			die "'$c' not found; run 'make deps' first"
	done
}

# Every variant has kernels/<name>.conf; anything else is a typo.
known_variants() {
	local f
	for f in "$KERNELS_DIR"/*.conf; do
		f=${f##*/}
		f=${f%.conf}
		[ "$f" = base ] || printf '%s\n' "$f"
	done
}

check_variant() {
	local v=$1
	[ -n "$v" ] || die "no variant given (known: $(known_variants | tr '\n' ' '))"
	if [ "$v" = base ] || [ ! -f "$KERNELS_DIR/$v.conf" ]; then
		die "unknown variant '$v' (known: $(known_variants | tr '\n' ' '))"
	fi
}

# Load kernels/<variant>.conf into VARIANT_* variables.
load_variant() {
	check_variant "$1"
	VARIANT=$1
	# shellcheck source=/dev/null
	. "$KERNELS_DIR/$1.conf"
}

load_base() {
	# shellcheck source=../kernels/base.conf
	. "$KERNELS_DIR/base.conf"
}

# The reference variant (kernels/base.conf), in a subshell: the caller's
# variables are left alone.
reference_variant() { (load_base; echo "$REFERENCE_VARIANT"); }

# The variants a matrix runs when it names none: the reference first,
# then the others as kernels/ lists them, on one line.
matrix_variants() {
	local ref
	ref=$(reference_variant)
	{ echo "$ref"; known_variants | grep -vx "$ref"; } | tr '\n' ' ' | sed 's/ $//'
}

# Every filesystem one of variants $@ supports (VARIANT_FS), first seen
# first, on one line.
variants_fs() {
	local v
	# shellcheck disable=SC2086  # VARIANT_FS: a list of filesystems
	for v in "$@"; do (load_variant "$v"; printf '%s\n' $VARIANT_FS); done |
		awk '!seen[$0]++' | tr '\n' ' ' | sed 's/ $//'
}

# The names a table of blocks (configs/filesystems, configs/accelerators:
# "name key value..." rows) knows, in its order, one per line.
table_names() {
	awk '/^[^#]/ && NF >= 2 && !seen[$1]++ { print $1 }' "$1"
}

# Field $3 of name $2 in table $1 (the rest of its line); with $2 "*",
# that field of every name, one value per line.
table_field() {
	awk -v n="$2" -v k="$3" '/^[^#]/ && ($1 == n || n == "*") && $2 == k {
		sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+/, ""); print }' "$1"
}

known_fs() { table_names "$CONFIGS_DIR/filesystems"; }
fs_field() { table_field "$CONFIGS_DIR/filesystems" "$@"; }

# The accelerators (configs/accelerators), and field $2 of accelerator $1.
known_accels() { table_names "$CONFIGS_DIR/accelerators"; }
accel_field() { table_field "$CONFIGS_DIR/accelerators" "$@"; }

# Die unless $1 is an accelerator configs/accelerators knows, with a
# well-formed block; $2 says where the name came from.
check_accel() {
	local t=$CONFIGS_DIR/accelerators bad
	known_accels | grep -qxF -- "$1" ||
		die "${2:+$2: }unknown accel '$1' (configs/accelerators has: $(known_accels | tr '\n' ' ' | sed 's/ $//'))"
	bad=$(awk -v a="$1" '/^[^#]/ && $1 == a { n[$2]++; v[$2] = $3 }
	END {
		if (n["qemu"] != 1) print "one qemu row"
		if (n["clock"] != 1 || v["clock"] !~ /^(instructions|emulated|host)$/)
			print "one clock row: instructions, emulated or host"
		for (k in n)
			if (k !~ /^(qemu|clock|smp|numa|probe|auto)$/) print "no key " k
			else if (k != "qemu" && n[k] > 1) print "one " k " row"
		if ("smp" in v && v["smp"] !~ /^[1-9][0-9]*$/) print "smp: a number"
		if ("numa" in v && v["numa"] != 1) print "numa: 1"
		if ("probe" in v && v["probe"] != "kvm") print "probe: kvm"
		if ("auto" in v && v["auto"] != "yes") print "auto: yes"
	}' "$t" | head -n 1)
	[ -z "$bad" ] || die "configs/accelerators: accelerator '$1' needs $bad"
}

# The accelerator whose guest time is a path length (clock
# "instructions"): reports read its times as instructions.  Exactly one.
path_accel() {
	local a
	a=$(awk '/^[^#]/ && $2 == "clock" && $3 == "instructions" { print $1 }' "$CONFIGS_DIR/accelerators")
	[ "$(grep -c . <<<"$a")" = 1 ] ||
		die "configs/accelerators: exactly one accelerator has clock instructions, not '$(tr '\n' ' ' <<<"$a")'"
	echo "$a"
}

# The directory of a kernel build and its image.
variant_build_dir() { printf '%s/variants/%s/build%s\n' "$DAXBENCH_CACHE" "$1" "${2:+-$2}"; }
variant_bzimage() { printf '%s/arch/x86/boot/bzImage\n' "$(variant_build_dir "$1" "${2:-}")"; }

# Write stdin to $1 through a temporary name in the same directory, so a
# reader never sees a half-written file.
atomic_write() {
	local dst=$1 tmp
	tmp=$(mktemp "${dst}.tmp.XXXXXX") || die "cannot create a file beside $dst"
	atomic_write_via "$dst" "$tmp"
}

# Run a command with its stdout going to $1, which appears only if the
# command succeeds: a failing producer never leaves a plausible file.
atomic_run() {
	local dst=$1 tmp rc=0
	shift
	tmp=$(mktemp "${dst}.tmp.XXXXXX") || die "cannot create a file beside $dst"
	"$@" >"$tmp" || rc=$?
	if [ "$rc" -ne 0 ]; then
		rm -f "$tmp"
		return "$rc"
	fi
	chmod 0644 "$tmp" 2>/dev/null || true
	mv -f "$tmp" "$dst" || { rm -f "$tmp"; die "cannot rename into $dst"; }
}

# The same through a given temporary path (tests point it at /dev/full).
atomic_write_via() {
	local dst=$1 tmp=$2
	if ! cat >"$tmp"; then
		rm -f "$tmp"
		die "writing $dst failed (disk full?)"
	fi
	chmod 0644 "$tmp" 2>/dev/null || true
	mv -f "$tmp" "$dst" || { rm -f "$tmp"; die "cannot rename into $dst"; }
}

# Make a cache subdirectory, failing clearly if the cache is unusable.
cache_mkdir() {
	mkdir -p "$1" 2>/dev/null || die "cannot create $1 (cache folder read-only? set DAXBENCH_CACHE)"
	[ -w "$1" ] || die "cache folder $1 is not writable (set DAXBENCH_CACHE)"
}

# The patch files of one or more series (patches/<s>/0*.patch), in the
# order 'git am' applies them; cover letters (0000-*) are not patches.
series_patches() {
	local s p
	for s in "$@"; do
		[ -d "$PATCHES_DIR/$s" ] || die "patch series '$s' (patches/$s) does not exist"
		for p in "$PATCHES_DIR/$s"/*.patch; do
			[ -e "$p" ] || continue
			case ${p##*/} in 0000-*) continue ;; esac
			printf '%s\n' "$p"
		done
	done
}

# A short hash of what the series change in the kernel: their names and
# the diffs of their patches, not cover letters, commit messages or
# format-patch headers (a reworded message is not another kernel).  Build
# stamps and manifests use the same one, so a manifest names the kernel
# that was built.
series_hash() {
	local p
	{
		echo "$*"
		series_patches "$@" | while read -r p; do
			sed -n '/^diff --git /,/^-- $/p' "$p" | grep -v '^index ' | sha256sum
		done
	} | sha256sum | cut -c1-16
}

# Progress of a long step (unpack, build, boot) for a person watching.
# Goes to DAXBENCH_PROGRESS (a file or /dev/fd/N) as a TAP comment, so it
# may be written into a TAP stream; nowhere when unset.
progress() {
	[ -n "${DAXBENCH_PROGRESS:-}" ] || return 0
	printf '# %s: %s\n' "$PROG" "$*" >>"$DAXBENCH_PROGRESS" 2>/dev/null || true
}

# Run "$@" in the foreground (Ctrl-C still reaches it) while a reporter
# says every DAXBENCH_PROGRESS_EVERY seconds (default 30) how long the
# step has run; with --count FN, also what FN prints (e.g. objects built).
with_progress() {
	local step=$1 count='' reporter rc=0 t0
	shift
	if [ "$1" = --count ]; then count=$2; shift 2; fi
	if [ -z "${DAXBENCH_PROGRESS:-}" ]; then
		"$@"
		return
	fi
	t0=$(date +%s)
	progress "$step: started"
	(
		while sleep "${DAXBENCH_PROGRESS_EVERY:-30}"; do
			progress "$step: $(($(date +%s) - t0))s${count:+, $($count)}"
		done
	) </dev/null >/dev/null 2>&1 &
	reporter=$!
	"$@" || rc=$?
	kill "$reporter" 2>/dev/null || true
	wait "$reporter" 2>/dev/null || true
	local how="done"
	[ "$rc" -eq 0 ] || how="failed (status $rc)"
	progress "$step: $how in $(($(date +%s) - t0))s"
	return "$rc"
}

# The versions of Debian package $1 that apt's archive serves, oldest
# first, space-separated ("none" if none).
served_versions() {
	local v
	v=$(apt-cache madison "$1" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -u -V | tr '\n' ' ')
	v=${v% }
	echo "${v:-none}"
}

# The installed version of Debian package $1, empty if not installed.
installed_version() {
	{ dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null || true; } |
		awk '$3 == "installed" { print $4 }'
}

# The data file of run $1 (an id under RUN_ROOT or reports/, or a
# folder): its results.tsv[.gz] (the samples), else a stored
# metrics.tsv[.gz]; status 1 and nothing if it has neither.
run_data() {
	local r=$1 d f
	for d in "$r" "$RUN_ROOT/$r" "$REPORTS_DIR/$r"; do
		for f in "$d/results.tsv" "$d/results.tsv.gz" "$d/metrics.tsv" "$d/metrics.tsv.gz"; do
			if [ -s "$f" ]; then
				echo "$f"
				return 0
			fi
		done
	done
	return 1
}

# The metrics of data file $1 (see run_data) on stdout: samples go
# through the metrics stage with today's registry; a stored metrics.tsv
# only has its old case keys renamed (scripts/awk/metrics.awk).
run_metrics() {
	case $1 in *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac |
		awk -v registry="$CONFIGS_DIR/metrics" -f "$DAXBENCH_TOP/scripts/awk/metrics.awk"
}
