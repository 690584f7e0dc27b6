// SPDX-License-Identifier: GPL-2.0
/*
 * invalidate: tearing down DAX entries of a live mapping, and what the
 * faults after it cost.
 *
 * Each repetition writes the file, maps it and touches every page (all
 * DAX entries exist and are mapped), then, with the mapping still in
 * place, either
 *
 *   --cut truncate  ftruncate()s the last --range bytes away, or
 *   --cut punch     punches --range bytes at --offset
 *                   (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE),
 *
 * timed with the DAX counters of that window (entry_remove).  The range
 * is then refilled with pwrite() (re-extending the file first after a
 * truncate), untimed, and its pages are touched again: refault_ns_per_page
 * and the counters of those first faults after the invalidation.
 */

#include "lib/bench.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEFAULT_SIZE	(64UL << 20)
#define DEFAULT_RANGE	(32UL << 20)
#define DEFAULT_REPS	3

struct opts {
	const char *path;
	uint64_t size, range, offset;
	int punch;		/* --cut punch, not truncate */
	int pmd;
	int reps;
};

static const char usage[] =
	"usage: invalidate --file PATH [--size N] [--cut truncate|punch]\n"
	"                  [--range N] [--offset N] [--map pte|pmd] [--reps N]\n";

static const char * const cut_names[] = { "truncate", "punch", NULL };

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_CHOICE("cut", &o->punch, cut_names),
		OPT_SIZE("range", &o->range),
		OPT_SIZE("offset", &o->offset),
		OPT_MAP(&o->pmd),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->range = DEFAULT_RANGE;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
	check_multiple("size", o->size, PMD_SIZE_2M);
	if (!o->range || o->range % PAGE_SIZE_4K || o->offset % PAGE_SIZE_4K)
		die("range and offset must be multiples of 4 KiB");
	if (!o->punch)
		o->offset = o->size - o->range;
	if (o->range > o->size || o->offset > o->size - o->range)
		die("range does not fit in the file");
}

static void rep_once(const struct opts *o, const struct tsv *base, int rep)
{
	struct tsv inv = *base, ref = *base;
	struct bench_window w;
	size_t pages = o->range / PAGE_SIZE_4K;
	volatile char *map;
	int fd;

	file_create(o->path, o->size, LAYOUT_WRITTEN);
	fd = open_dax(o->path);
	map = map_dax(fd, o->size, MAP_SHARED, o->pmd);
	touch_range(map, o->size, 0);

	window_start(&w);
	if (o->punch) {
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)o->offset, (off_t)o->range)) {
			if (errno == EOPNOTSUPP)
				skip("this filesystem cannot punch holes");
			die_errno("punch %s", o->path);
		}
	} else if (ftruncate(fd, (off_t)o->offset)) {
		die_errno("truncate %s", o->path);
	}
	window_stop(&w);
	tsv_case(&inv, "phase", "invalidate");
	tsv_row(&inv, "op_ns", "ns", rep, (double)w.ns);
	tsv_row(&inv, "op_ns_per_page", "ns", rep, (double)w.ns / (double)pages);
	kcounters_emit(&inv, rep, &w.delta, pages);

	/* Refill: re-extend (after a truncate) and rewrite the range. */
	file_fill(fd, o->path, o->offset, o->range, 0x3c);
	if (fsync(fd))
		die_errno("fsync %s", o->path);
	tsv_case(&ref, "phase", "refault");
	touch_measured(&ref, rep, map + o->offset, o->range, 0);

	munmap((void *)map, o->size);
	close(fd);
	unlink(o->path);
}

int main(int argc, char **argv)
{
	struct tsv base;
	struct opts o;
	int rep;

	bench_set_name("invalidate");
	parse_opts(argc, argv, &o);
	if (path_is_chardev(o.path))
		skip("device-dax cannot be truncated or punched");
	tsv_init(&base, stdout, "invalidate");
	tsv_case(&base, "cut", "%s", o.punch ? "punch" : "truncate");
	tsv_case(&base, "map", "%s", o.pmd ? "pmd" : "pte");
	tsv_case(&base, "range", "%lluM", (unsigned long long)(o.range >> 20));
	tsv_case(&base, "size", "%lluM", (unsigned long long)(o.size >> 20));
	for (rep = 1; rep <= o.reps; rep++)
		rep_once(&o, &base, rep);
	return 0;
}
