#!/usr/bin/env bash
# Build the guest's base initramfs: busybox-static plus the tools a DAX
# run needs (ndctl, mkfs for ext4/ext2/xfs, xfs_io, fio, perf, RocksDB's
# db_bench) with the shared libraries ldd finds for them.  The daxbench
# programs, the init script and the job are not in it: scripts/guest-run.sh
# appends them as a second, small cpio archive per boot, so they never
# force a rebuild.
#
# usage: initramfs.sh            prints the image path, building if needed
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Tools every guest needs; each filesystem's come from configs/filesystems.
GUEST_TOOLS=(/usr/bin/ndctl /usr/bin/fio /usr/bin/perf /sbin/blkid /usr/bin/db_bench)
read -r -a FS_TOOLS <<<"$(fs_field '*' tools | tr ' ' '\n' | awk '!seen[$0]++' | tr '\n' ' ')"
GUEST_TOOLS+=("${FS_TOOLS[@]}")
# Shared libraries of daxbench programs that cannot link them statically
# (bench/pmem: libpmem.a needs libndctl, which Debian ships shared only).
GUEST_LIBS=(/lib/x86_64-linux-gnu/libpmem.so.1)
# Names that busybox must not shadow (its applets are weaker or absent).
TOOL_NAMES=(mkfs.ext4 mkfs.ext2 ndctl fio perf blkid "${FS_TOOLS[@]##*/}")

image_key() {
	{
		# shellcheck disable=SC2046  # package names
		dpkg-query -W -f='${Package} ${Version}\n' busybox-static ndctl \
			$(fs_field '*' package | sort -u) fio linux-perf libc6 rocksdb-tools \
			libpmem1 2>/dev/null
		# the script's content, not its path: every clone shares the image
		sha256sum <"$0"
		sha256sum <"$CONFIGS_DIR/filesystems"
	} | sha256sum | cut -c1-16
}

copy_with_libs() {
	local root=$1 bin=$2 lib
	install -D -m 0755 "$bin" "$root$bin"
	ldd "$bin" 2>/dev/null | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' |
		while read -r lib; do
			[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
		done
}

populate() {
	local root=$1 app t skip
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,mnt,etc,run}
	install -m 0755 /bin/busybox "$root/bin/busybox"
	for app in $(/bin/busybox --list); do
		skip=0
		for t in "${TOOL_NAMES[@]}" busybox init; do
			[ "$app" = "$t" ] && skip=1
		done
		[ "$skip" = 1 ] || ln -sf busybox "$root/bin/$app"
	done
	for t in "${GUEST_TOOLS[@]}"; do
		[ -x "$t" ] || die "$t is missing; run 'make deps'"
		copy_with_libs "$root" "$t"
	done
	for t in "${GUEST_LIBS[@]}"; do
		[ -e "$t" ] || die "$t is missing; run 'make deps'"
		copy_with_libs "$root" "$t"
	done
	ln -sf mke2fs "$root/sbin/mkfs.ext4"
	ln -sf mke2fs "$root/sbin/mkfs.ext2"
	# 64-bit libs are found through /lib64 and the usrmerge paths.
	ln -sfn lib "$root/lib64" 2>/dev/null || true
	[ -d "$root/usr/lib" ] || ln -sfn ../lib "$root/usr/lib"
	cp /etc/mke2fs.conf "$root/etc/mke2fs.conf"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
}

main() {
	local key img
	need_cmd cpio gzip ldd dpkg-query
	[ -x /bin/busybox ] || die "/bin/busybox (busybox-static) is missing; run 'make deps'"
	cache_mkdir "$IMAGE_ROOT"
	key=$(image_key)
	img=$IMAGE_ROOT/base-$key.cpio.gz
	if [ ! -s "$img" ]; then
		log "building $img"
		STAGE=$(mktemp -d "$IMAGE_ROOT/stage.XXXXXX")
		trap 'rm -rf "$STAGE"' EXIT
		populate "$STAGE/root"
		(cd "$STAGE/root" && find . -print0 | cpio --null -o -H newc --quiet) |
			gzip -1 | atomic_write "$img"
	fi
	printf '%s\n' "$img"
}

main "$@"
