// SPDX-License-Identifier: GPL-2.0
/* bench/lib: files and DAX: creating, mapping and touching the measured file, FIEMAP, free space. */

#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX	0x00200000
#endif

void require_dax(int fd, const char *path)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx))
		die_errno("statx %s", path);
	if (S_ISCHR(stx.stx_mode))
		return;
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
		die("%s: kernel does not report STATX_ATTR_DAX", path);
	if (!(stx.stx_attributes & STATX_ATTR_DAX))
		die("%s: DAX is not enabled on this file (mounted -o dax?)",
		    path);
}

void *mmap_aligned(int fd, size_t len, int prot, int flags, size_t align)
{
	uintptr_t base, aligned;
	void *p, *want;

	p = mmap(NULL, len + align, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die_errno("mmap reserve %zu bytes", len + align);
	base = (uintptr_t)p;
	aligned = (base + align - 1) & ~(uintptr_t)(align - 1);
	munmap(p, len + align);
	want = (void *)aligned;
	p = mmap(want, len, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);
	if (p == MAP_FAILED)
		die_errno("mmap %zu bytes", len);
	if (p != want)
		die("mmap placed the mapping at %p, not %p", p, want);
	return p;
}

int open_dax(const char *path)
{
	int fd = open(path, O_RDWR);

	if (fd < 0)
		die_errno("open %s", path);
	require_dax(fd, path);
	return fd;
}

void advise_huge(volatile void *map, uint64_t len, int pmd)
{
	if (madvise((void *)map, len, pmd ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die_errno("madvise");
}

void *map_dax(int fd, uint64_t len, int flags, int pmd)
{
	void *p = mmap_aligned(fd, len, PROT_READ | PROT_WRITE, flags,
			       PMD_SIZE_2M);

	advise_huge(p, len, pmd);
	return p;
}

int path_is_chardev(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISCHR(st.st_mode);
}

/*
 * Allocating writes of 2 MiB.  ext4 puts a data allocation at its goal
 * (for a file being written: where the last allocation ended) and moves
 * only a request of exactly one stripe (2 MiB, configs/filesystems) to a
 * stripe boundary (ext4_mb_find_by_goal).  With 1 MiB writes a 2 MiB
 * file was PMD-mappable in some boots and not in others.
 */
#define FILL_CHUNK	PMD_SIZE_2M

void file_fill(int fd, const char *path, uint64_t off, uint64_t len, int byte)
{
	static char buf[FILL_CHUNK];
	uint64_t done, n;

	memset(buf, byte, sizeof(buf));
	for (done = 0; done < len; done += n) {
		n = len - done < FILL_CHUNK ? len - done : FILL_CHUNK;
		if (pwrite(fd, buf, n, (off_t)(off + done)) != (ssize_t)n)
			die_errno("write %s", path);
	}
}

const char * const layout_names[] = { "written", "falloc", "sparse", NULL };

void file_create(const char *path, uint64_t size, enum file_layout layout)
{
	int fd;

	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die_errno("create %s", path);
	switch (layout) {
	case LAYOUT_WRITTEN:
		file_fill(fd, path, 0, size, FILL_BYTE);
		break;
	case LAYOUT_FALLOC:
		if (fallocate(fd, 0, 0, (off_t)size)) {
			if (errno == EOPNOTSUPP)
				skip("this filesystem has no fallocate");
			die_errno("fallocate %s", path);
		}
		break;
	case LAYOUT_SPARSE:
		if (ftruncate(fd, (off_t)size))
			die_errno("truncate %s", path);
		break;
	}
	if (fsync(fd))
		die_errno("fsync %s", path);
	close(fd);
}

/*
 * now_ns() and touch_range() stay out of line, also in touch_measured():
 * a measured window then runs the same instructions (calls included)
 * whichever file it is in, and instruction counts (-icount) compare.
 */
__attribute__((noinline))
uint64_t touch_range(volatile char *map, size_t len, int write)
{
	uint64_t sink = 0;
	size_t off;

	for (off = 0; off < len; off += PAGE_SIZE_4K) {
		if (write)
			map[off] = (char)off;
		else
			sink += (uint64_t)map[off];
	}
	return sink;
}

void touch_measured(const struct tsv *t, int rep, volatile char *map,
		    uint64_t len, int write)
{
	uint64_t pages = len / PAGE_SIZE_4K;
	struct bench_window w;

	window_start(&w);
	touch_range(map, len, write);
	window_stop(&w);
	tsv_row(t, "ns_per_page", "ns", rep, (double)w.ns / (double)pages);
	kcounters_emit(t, rep, &w.delta, pages);
}

#define FIEMAP_BATCH	256

int file_extents(int fd, uint64_t *count, uint64_t *bytes)
{
	size_t sz = sizeof(struct fiemap) +
		    FIEMAP_BATCH * sizeof(struct fiemap_extent);
	struct fiemap *fm = malloc(sz);
	uint64_t start = 0;
	unsigned int i;
	int last = 0;

	if (!fm)
		die("out of memory");
	*count = 0;
	*bytes = 0;
	while (!last) {
		memset(fm, 0, sz);
		fm->fm_start = start;
		fm->fm_length = FIEMAP_MAX_OFFSET - start;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
			free(fm);
			return -1;
		}
		if (!fm->fm_mapped_extents)
			break;
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			struct fiemap_extent *e = &fm->fm_extents[i];

			(*count)++;
			*bytes += e->fe_length;
			start = e->fe_logical + e->fe_length;
			if (e->fe_flags & FIEMAP_EXTENT_LAST)
				last = 1;
		}
	}
	free(fm);
	return 0;
}

int64_t fill_free_space(int fd)
{
	uint64_t off = 0, step = FILL_STEP_MAX;

	while (step >= PAGE_SIZE_4K) {
		if (!fallocate(fd, 0, (off_t)off, (off_t)step)) {
			off += step;
			continue;
		}
		if (errno == EOPNOTSUPP)
			return -1;
		if (errno != ENOSPC)
			die_errno("fallocate ballast");
		step /= 2;
	}
	return (int64_t)off;
}

void clear_extsize_hint(int fd, const char *path)
{
	struct fsxattr fsx;

	if (!ioctl(fd, FS_IOC_FSGETXATTR, &fsx) &&
	    (fsx.fsx_xflags & FS_XFLAG_EXTSIZE || fsx.fsx_extsize)) {
		fsx.fsx_xflags &= ~(unsigned int)FS_XFLAG_EXTSIZE;
		fsx.fsx_extsize = 0;
		if (ioctl(fd, FS_IOC_FSSETXATTR, &fsx))
			die_errno("clear the extent size hint of %s", path);
	}
}

int file_create_plain(const char *path)
{
	int fd;

	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0 && errno == ENOSPC)
		return -1;
	if (fd < 0)
		die_errno("create %s", path);
	clear_extsize_hint(fd, path);
	return fd;
}
