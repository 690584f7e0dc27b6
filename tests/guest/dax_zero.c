// SPDX-License-Identifier: GPL-2.0
/*
 * dax_zero: partial pages zeroed by truncate, punch hole and zero range
 * read as zeroes afterwards, through read(2), a new mapping and a mapping
 * that stayed in place, while the rest of the file keeps its data.  Every
 * page is faulted in first, so a kernel that caches pfns (the pfn
 * variant) has entries for the pages being zeroed.
 */
#include "gtest.h"

#include <linux/falloc.h>

#define FILE_PAGES	4
#define FILE_LEN	(FILE_PAGES * PAGE_SIZE_4K)
#define FILE_BYTE	0xa5
#define EDGE		100	/* bytes into a page where a cut starts/ends */
#define TRUNC_LEN	(PAGE_SIZE_4K + EDGE)
#define CUT_START	(PAGE_SIZE_4K + EDGE)
#define CUT_END		(3 * PAGE_SIZE_4K - EDGE)
#define NCASES		3

static unsigned char buf[FILE_LEN];

/* A FILE_LEN file of FILE_BYTE whose every page has been read-faulted. */
static int make_faulted(const struct gopts *o, unsigned char **map)
{
	int fd = gcreate(o, "zero");
	unsigned char *p;
	size_t i;
	unsigned int sum = 0;

	memset(buf, FILE_BYTE, FILE_LEN);
	gpwrite(fd, buf, FILE_LEN, 0);
	if (fsync(fd))
		die_errno("fsync");
	p = gmap(fd, FILE_LEN, MAP_SHARED);
	for (i = 0; i < FILE_LEN; i += PAGE_SIZE_4K)
		sum += ((volatile unsigned char *)p)[i];
	if (sum != FILE_PAGES * FILE_BYTE)
		die("freshly written file reads %u, not %u", sum,
		    FILE_PAGES * FILE_BYTE);
	*map = p;
	return fd;
}

/* Bytes of @p outside [zs, ze) that are not FILE_BYTE, plus bytes inside
 * that are not zero. */
static size_t count_bad(const unsigned char *p, size_t zs, size_t ze)
{
	size_t i, bad = 0;

	for (i = 0; i < FILE_LEN; i++)
		bad += p[i] != ((i >= zs && i < ze) ? 0 : FILE_BYTE);
	return bad;
}

/* Check the file through read(2), a new mapping and the old one @old. */
static int check_layout(int fd, unsigned char *old, size_t zs, size_t ze,
			const char *what)
{
	unsigned char *p;
	size_t bad_read, bad_new, bad_old = 0;

	memset(buf, 1, FILE_LEN);
	gpread(fd, buf, FILE_LEN, 0);
	bad_read = count_bad(buf, zs, ze);
	p = gmap(fd, FILE_LEN, MAP_SHARED);
	if (probe_read(buf, p, FILE_LEN) != PROBE_OK)
		bad_new = FILE_LEN;
	else
		bad_new = count_bad(buf, zs, ze);
	munmap(p, FILE_LEN);
	if (probe_read(buf, old, FILE_LEN) != PROBE_OK)
		bad_old = FILE_LEN;
	else
		bad_old = count_bad(buf, zs, ze);
	if (bad_read || bad_new || bad_old)
		ksft_print_msg("%s: wrong bytes: read(2) %zu, new mapping %zu, old mapping %zu\n",
			       what, bad_read, bad_new, bad_old);
	return !bad_read && !bad_new && !bad_old;
}

/* Truncate into page 1, extend again: the tail of page 1 reads zero. */
static void case_truncate(const struct gopts *o)
{
	unsigned char *p;
	int fd = make_faulted(o, &p);

	if (ftruncate(fd, TRUNC_LEN) || ftruncate(fd, FILE_LEN))
		die_errno("ftruncate");
	gtest_result(check_layout(fd, p, TRUNC_LEN, FILE_LEN, "truncate"),
		     "truncate-partial-page");
	munmap(p, FILE_LEN);
	close(fd);
}

/* fallocate @mode over [CUT_START, CUT_END), keeping the size. */
static void case_cut(const struct gopts *o, int mode, const char *name)
{
	unsigned char *p;
	int fd = make_faulted(o, &p);

	if (fallocate(fd, mode | FALLOC_FL_KEEP_SIZE, CUT_START,
		      CUT_END - CUT_START)) {
		int err = errno;

		if (err == EOPNOTSUPP && is_ext2(o)) {
			gtest_skip(name, "ext2 has no fallocate (EOPNOTSUPP)");
		} else {
			ksft_print_msg("fallocate: %s\n", strerror(err));
			gtest_result(0, name);
		}
	} else {
		gtest_result(check_layout(fd, p, CUT_START, CUT_END, name), name);
	}
	munmap(p, FILE_LEN);
	close(fd);
}

int main(int argc, char **argv)
{
	struct gopts o;

	gopts_parse(&o, argc, argv);
	ksft_print_header();
	ksft_set_plan(NCASES);
	probe_install();
	case_truncate(&o);
	case_cut(&o, FALLOC_FL_PUNCH_HOLE, "punch-partial-pages");
	case_cut(&o, FALLOC_FL_ZERO_RANGE, "zero-range-partial-pages");
	gremove(&o, "zero");
	return gtest_exit();
}
