// SPDX-License-Identifier: GPL-2.0
/*
 * extent: DAX fault cost against the size of the file's extents.
 *
 * The pfn variant asks the filesystem once per extent, the other two once
 * per fault, so the extent size is the parameter that separates them.  The
 * file is laid out on purpose:
 *
 *   --extent N   every free block of the filesystem is first taken by a
 *                ballast file; then holes of N bytes are punched into the
 *                ballast, one block apart (ballast_make(), which also
 *                empties the reserve pools of ext4 and xfs meanwhile).
 *                The test file, written next, can only land in those
 *                holes, so its extents are N bytes long (or the
 *                filesystem's maximum extent length, if that is smaller).
 *   --aged SEED  instead, a reproducible history of small files created
 *                and deleted (from SEED) fragments the free space before
 *                the test file is written.
 *
 * The extents the filesystem really made are measured with FIEMAP and
 * reported (extents, extent_mean_bytes): the case names the request, the
 * rows say what it became.  Each repetition writes the file anew in the
 * same holes (no DAX entry of it exists yet) and touches every page once
 * through a PTE mapping: ns_per_page, faults and filesystem calls per
 * fault.
 */

#include "lib/bench.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define DEFAULT_SIZE		(256UL << 20)
#define DEFAULT_EXTENT		PMD_SIZE_2M
#define DEFAULT_REPS		3
/* Extra holes beyond the file's size, for the filesystem's metadata. */
#define SPARE_HOLE_DIVISOR	16
#define SPARE_HOLES_MIN		8
/* Ballast is allocated in steps that shrink on ENOSPC down to a block. */
/* Aging: fallocated files between AGE_MIN and AGE_MAX bytes fill the
 * filesystem, then about one in AGE_DELETE_ONE_IN (by the seed) is
 * deleted. */
#define AGE_MIN			PAGE_SIZE_4K
#define AGE_MAX			(256UL << 10)
#define AGE_DELETE_ONE_IN	2

struct opts {
	const char *path;
	uint64_t size;
	uint64_t extent;
	int aged;
	uint64_t seed;
	int reps;
	int write;
};

static struct ballast ballast;	/* --extent */
static char age_dir[PATH_MAX];
static size_t age_files;	/* files created in age_dir, 0..n-1 */

static const char usage[] =
	"usage: extent --file PATH [--size N] [--extent N | --aged SEED]\n"
	"              [--op read|write] [--reps N]\n";

static void parse_aged(void *dst, char *value)
{
	struct opts *o = dst;

	o->aged = 1;
	o->seed = (uint64_t)parse_long(value, 0, LONG_MAX, "seed");
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_SIZE("extent", &o->extent),
		OPT_FUNC("aged", o, parse_aged),
		OPT_OP(&o->write),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->extent = DEFAULT_EXTENT;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
	check_multiple("size", o->size, PAGE_SIZE_4K);
	check_multiple("extent", o->extent, PAGE_SIZE_4K);
}

static uint64_t free_bytes(const char *dir)
{
	struct statvfs sv;

	if (statvfs(dir, &sv))
		die_errno("statvfs %s", dir);
	return (uint64_t)sv.f_bavail * sv.f_frsize;
}

static void layout_extents(const struct opts *o, const char *dir)
{
	uint64_t holes = (o->size + o->extent - 1) / o->extent;

	/* Blocks freed by earlier cells become allocatable at the next
	 * journal commit: commit now, or the test file lands in them. */
	sync();
	if (o->extent >= o->size)
		return;		/* an empty filesystem will do */
	holes += holes / SPARE_HOLE_DIVISOR + SPARE_HOLES_MIN;
	if (ballast_make(&ballast, dir, o->extent, holes))
		skip("this filesystem has no fallocate: cannot shape extents");
}

/* Age the filesystem reproducibly: fill it with fallocated files of
 * seeded sizes until ENOSPC, then delete a seeded share of them.  Free
 * space is left in holes no larger than AGE_MAX. */
static void layout_aged(const struct opts *o, const char *dir)
{
	uint64_t st = o->seed ? o->seed : 1, len;
	char name[PATH_MAX + 32];
	size_t n, i;
	int fd, full = 0;

	snprintf(age_dir, sizeof(age_dir), "%s/.extent-aged", dir);
	if (mkdir(age_dir, 0755) && errno != EEXIST)
		die_errno("mkdir %s", age_dir);
	for (n = 0; !full; n++) {
		len = AGE_MIN + xorshift64(&st) % (AGE_MAX - AGE_MIN);
		len &= ~(PAGE_SIZE_4K - 1);
		snprintf(name, sizeof(name), "%s/%zu", age_dir, n);
		fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			if (errno != ENOSPC)
				die_errno("create %s", name);
			break;
		}
		clear_extsize_hint(fd, name);
		age_files = n + 1;
		if (fallocate(fd, 0, 0, (off_t)len)) {
			if (errno == EOPNOTSUPP)
				skip("this filesystem has no fallocate: cannot age it");
			if (errno != ENOSPC)
				die_errno("fallocate %s", name);
			full = 1;
		}
		close(fd);
	}
	for (i = 0; i < age_files; i++) {
		if (xorshift64(&st) % AGE_DELETE_ONE_IN)
			continue;
		snprintf(name, sizeof(name), "%s/%zu", age_dir, i);
		if (unlink(name))
			die_errno("unlink %s", name);
	}
	sync();		/* freed blocks are reusable once committed */
	if (free_bytes(dir) < o->size)
		skip("aged filesystem has no room for the file");
}

static void cleanup(void)
{
	char name[PATH_MAX + 32];
	size_t i;

	ballast_remove(&ballast);
	if (!age_dir[0]) {
		sync();
		return;
	}
	for (i = 0; i < age_files; i++) {
		snprintf(name, sizeof(name), "%s/%zu", age_dir, i);
		unlink(name);
	}
	rmdir(age_dir);
	sync();
}

static void run(const struct opts *o, struct tsv *t)
{
	uint64_t count, bytes;
	volatile char *map;
	int fd, rep;

	for (rep = 1; rep <= o->reps; rep++) {
		/*
		 * Write the file anew: its inode, and every DAX entry, goes
		 * with the old one, and the freed blocks (reusable after the
		 * commit) are the same holes, so the layout holds.
		 */
		unlink(o->path);
		sync();
		fd = file_create_plain(o->path);
		if (fd < 0)
			die_errno("create %s", o->path);
		file_fill(fd, o->path, 0, o->size, FILL_BYTE);
		if (fsync(fd))
			die_errno("fsync %s", o->path);
		require_dax(fd, o->path);
		if (file_extents(fd, &count, &bytes))
			die("%s: no FIEMAP", o->path);
		tsv_row_u64(t, "extents", "count", rep, count);
		tsv_row(t, "extent_mean_bytes", "bytes", rep,
			count ? (double)bytes / (double)count : 0);
		/* a layout that failed measures another case than it names */
		if (ballast.made && count &&
		    (double)bytes / (double)count > 1.25 * (double)o->extent)
			die("%s: extents of %.0f bytes on average, not %llu: the layout failed",
			    o->path, (double)bytes / (double)count,
			    (unsigned long long)o->extent);
		map = map_dax(fd, o->size, MAP_SHARED, 0);
		touch_measured(t, rep, map, o->size, o->write);
		munmap((void *)map, o->size);
		close(fd);
	}
}

static void fmt_size(char *buf, size_t len, uint64_t v)
{
	if (v % (1UL << 30) == 0)
		snprintf(buf, len, "%lluG", (unsigned long long)(v >> 30));
	else if (v % (1UL << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(v >> 20));
	else
		snprintf(buf, len, "%lluK", (unsigned long long)(v >> 10));
}

int main(int argc, char **argv)
{
	char dirbuf[PATH_MAX], sz[32];
	struct opts o;
	struct tsv t;
	char *dir;

	bench_set_name("extent");
	parse_opts(argc, argv, &o);
	if (path_is_chardev(o.path))
		skip("device-dax has no extents");
	snprintf(dirbuf, sizeof(dirbuf), "%s", o.path);
	dir = dirname(dirbuf);
	unlink(o.path);
	if (o.size > free_bytes(dir))
		skip("file of %llu bytes does not fit", (unsigned long long)o.size);
	atexit(cleanup);
	if (o.aged)
		layout_aged(&o, dir);
	else
		layout_extents(&o, dir);
	tsv_init(&t, stdout, "extent");
	/* case keys are the options that set them */
	if (o.aged) {
		tsv_case(&t, "aged", "%llu", (unsigned long long)o.seed);
	} else {
		fmt_size(sz, sizeof(sz), o.extent);
		tsv_case(&t, "extent", "%s", sz);
	}
	tsv_case(&t, "op", "%s", o.write ? "write" : "read");
	fmt_size(sz, sizeof(sz), o.size);
	tsv_case(&t, "size", "%s", sz);
	run(&o, &t);
	return 0;
}
