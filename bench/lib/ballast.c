// SPDX-License-Identifier: GPL-2.0
/*
 * Free space cut into holes of one size, so that a file written next can
 * only land in pieces of at most that size: bench/extent.c --extent and
 * tests/guest/dax_pmd.c (pmd-fragmented-falls-back-to-pte) lay out their
 * files on it.  See ballast_make() in bench.h.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define FILLERS_MAX	16
/*
 * Punches whose metadata (extent tree splits) the spare hole must hold:
 * blocks a punch frees are reusable only once committed, so the ballast
 * is fsync'd after every PUNCH_BATCH punches.
 */
#define PUNCH_BATCH	64

/* XFS_IOC_GET_RESBLKS / XFS_IOC_SET_RESBLKS, from xfs_fs.h */
struct xfs_resblks {
	uint64_t resblks;
	uint64_t resblks_avail;
};
#define XFS_SET_RESBLKS	_IOWR('X', 114, struct xfs_resblks)
#define XFS_GET_RESBLKS	_IOR('X', 115, struct xfs_resblks)

static void ballast_name(char *buf, size_t len, const struct ballast *b,
			 const char *suffix)
{
	if ((size_t)snprintf(buf, len, "%s/.ballast%s", b->dir, suffix) >= len)
		die("path too long: %s/.ballast%s", b->dir, suffix);
}

/*
 * ext4 (the ext4 driver: /sys/fs/ext4/<dev> exists) and xfs hold free
 * blocks back from ordinary allocations (reserved_clusters, the reserve
 * pool): the ballast stops short of them, and a file written later can
 * land there in one piece.  Empty both; ballast_remove() gives them back.
 */
static void release_reserve(struct ballast *b)
{
	struct xfs_resblks none = { 0, 0 }, got;
	char sys[64], link[256];	/* ../../devices/.../block/<dev> */
	const char *dev;
	struct statfs sf;
	struct stat st;
	ssize_t n;
	int fd;

	if (statfs(b->dir, &sf))
		die_errno("statfs %s", b->dir);
	if (sf.f_type == EXT4_SUPER_MAGIC) {
		if (stat(b->dir, &st))
			die_errno("stat %s", b->dir);
		snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u",
			 major(st.st_dev), minor(st.st_dev));
		n = readlink(sys, link, sizeof(link) - 1);
		if (n < 0 || (size_t)n == sizeof(link) - 1)
			return;	/* no block device in sysfs: no knob */
		link[n] = '\0';
		dev = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
		snprintf(b->ext4_knob, sizeof(b->ext4_knob),
			 "/sys/fs/ext4/%s/reserved_clusters", dev);
		if (access(b->ext4_knob, F_OK)) {	/* ext2 or ext3 */
			b->ext4_knob[0] = '\0';
			return;
		}
		if (knob_read(b->ext4_knob, &b->ext4_resv)) {
			b->ext4_knob[0] = '\0';
			die("cannot read /sys/fs/ext4/%s/reserved_clusters", dev);
		}
		knob_write(b->ext4_knob, 0);
	} else if (sf.f_type == XFS_SUPER_MAGIC) {
		fd = open(b->dir, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			die_errno("open %s", b->dir);
		if (ioctl(fd, XFS_GET_RESBLKS, &got))
			die_errno("XFS_IOC_GET_RESBLKS");
		b->xfs_resv = got.resblks;
		if (ioctl(fd, XFS_SET_RESBLKS, &none))
			die_errno("XFS_IOC_SET_RESBLKS 0");
		b->xfs_resv_set = 1;
		close(fd);
	}
}

/* Give the pools back and read them again: 0, or -1 (said on stderr). */
static int restore_reserve(struct ballast *b)
{
	struct xfs_resblks resv = { b->xfs_resv, 0 }, now;
	FILE *f;
	long v;
	int fd, rc = 0;

	if (b->ext4_knob[0]) {
		f = fopen(b->ext4_knob, "w");
		if (!f || fprintf(f, "%ld\n", b->ext4_resv) < 0 || fclose(f) ||
		    knob_read(b->ext4_knob, &v) || v != b->ext4_resv) {
			fprintf(stderr, "%s not restored to %ld\n", b->ext4_knob,
				b->ext4_resv);
			rc = -1;
		}
		b->ext4_knob[0] = '\0';
	}
	if (b->xfs_resv_set) {
		fd = open(b->dir, O_RDONLY | O_DIRECTORY);
		if (fd < 0 || ioctl(fd, XFS_SET_RESBLKS, &resv) ||
		    ioctl(fd, XFS_GET_RESBLKS, &now) || now.resblks != b->xfs_resv) {
			fprintf(stderr, "xfs reserve pool not restored to %llu\n",
				(unsigned long long)b->xfs_resv);
			rc = -1;
		}
		if (fd >= 0)
			close(fd);
		b->xfs_resv_set = 0;
	}
	return rc;
}

/* Filler files take what closing a file gives back (its unused
 * preallocation), until one finds nothing left. */
static void take_the_rest(struct ballast *b)
{
	char name[PATH_MAX], suffix[32];
	int64_t got;
	int fd;

	do {
		if (b->fillers == FILLERS_MAX)
			die("free space still appearing after %d filler files",
			    FILLERS_MAX);
		snprintf(suffix, sizeof(suffix), ".%zu", b->fillers++);
		ballast_name(name, sizeof(name), b, suffix);
		fd = file_create_plain(name);
		if (fd < 0)
			return;		/* no room even for an inode */
		got = fill_free_space(fd);
		close(fd);
	} while (got > 0);
}

int ballast_make(struct ballast *b, const char *dir, uint64_t hole,
		 uint64_t holes)
{
	char path[PATH_MAX], spare[PATH_MAX];
	uint64_t off, i;
	int64_t size;
	int fd;

	if (b->made)
		die("ballast_make() twice without ballast_remove()");
	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if ((size_t)snprintf(b->dir, sizeof(b->dir), "%s", dir) >= sizeof(b->dir))
		die("path too long: %s", dir);
	ballast_name(path, sizeof(path), b, "");
	ballast_name(spare, sizeof(spare), b, "-spare");
	fd = file_create_plain(path);
	if (fd < 0)
		die_errno("create %s", path);
	close(fd);
	b->made = 1;
	/* a spare hole, freed before punching: room for the punches' metadata */
	fd = file_create_plain(spare);
	if (fd < 0)
		die_errno("create %s", spare);
	release_reserve(b);
	sync();		/* blocks freed before are reusable once committed */
	if (fallocate(fd, 0, 0, (off_t)hole)) {
		int err = errno;

		close(fd);
		unlink(spare);
		errno = err;
		if (err != EOPNOTSUPP)
			die_errno("fallocate %s", spare);
		ballast_remove(b);
		errno = EOPNOTSUPP;
		return -1;
	}
	close(fd);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die_errno("open %s", path);
	size = fill_free_space(fd);
	close(fd);
	if (size < 0)
		die("%s: fallocate refused after it worked", path);
	take_the_rest(b);
	if (unlink(spare))
		die_errno("unlink %s", spare);
	sync();
	/* kept in b: a die() below closes it in ballast_remove(), at exit */
	fd = b->fd = open(path, O_RDWR);
	if (fd < 0)
		die_errno("open %s", path);
	/*
	 * Every hole has a ballast block on both sides, the first one too:
	 * the spare was allocated just before the ballast, so a hole at
	 * offset 0 would join the spare's freed blocks into one free run of
	 * two holes (a 64 MiB request once gave a 128 MiB extent).
	 */
	for (i = 0, off = PAGE_SIZE_4K; i < holes; i++, off += hole + PAGE_SIZE_4K) {
		if (off + hole > (uint64_t)size)
			die("a ballast of %lld bytes has no room for %llu holes of %llu bytes",
			    (long long)size, (unsigned long long)holes,
			    (unsigned long long)hole);
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)off, (off_t)hole))
			die_errno("punch hole %llu of %s", (unsigned long long)i, path);
		if (i % PUNCH_BATCH == PUNCH_BATCH - 1 && fsync(fd))
			die_errno("fsync %s", path);
	}
	if (fsync(fd))
		die_errno("fsync %s", path);
	close(fd);
	b->fd = -1;
	sync();		/* the punched blocks are reusable once committed */
	return 0;
}

int ballast_remove(struct ballast *b)
{
	char name[PATH_MAX], suffix[32];
	int rc;

	if (!b->made)
		return 0;
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	ballast_name(name, sizeof(name), b, "");
	unlink(name);
	ballast_name(name, sizeof(name), b, "-spare");
	unlink(name);
	while (b->fillers) {
		snprintf(suffix, sizeof(suffix), ".%zu", --b->fillers);
		ballast_name(name, sizeof(name), b, suffix);
		unlink(name);
	}
	sync();		/* freed blocks are reusable once committed */
	rc = restore_reserve(b);
	b->made = 0;
	return rc;
}
