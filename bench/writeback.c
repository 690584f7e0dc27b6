// SPDX-License-Identifier: GPL-2.0
/*
 * writeback: what making DAX stores durable costs.
 *
 *   --flush msync    dirty N pages through a MAP_SHARED mapping, then
 *                    msync(MS_SYNC) the whole mapping;
 *   --flush fsync    the same, flushed with fsync() instead;
 *   --flush mapsync  no flush at all: the mapping is MAP_SHARED_VALIDATE |
 *                    MAP_SYNC, so each write fault itself commits the
 *                    metadata the page needs; the cost is in the faults.
 *
 * The N dirtied pages are spread evenly over the file.  For msync and
 * fsync, reported per repetition: dirty_ns_per_page (the stores, which
 * write-fault on pages the previous flush cleaned), flush_ns and
 * flush_ns_per_page, with the DAX counters of the flush window
 * (writeback: entries flushed).  For mapsync: ns_per_page of the write
 * faults on a fresh mapping, with its counters.  --layout sparse makes the
 * faults allocate blocks (mapsync then has to commit the allocation).
 */

#include "lib/bench.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEFAULT_SIZE	(64UL << 20)
#define DEFAULT_PAGES	1024
#define PAGES_MAX	(1L << 30)
#define DEFAULT_REPS	5

enum flush { FLUSH_MSYNC, FLUSH_FSYNC, FLUSH_MAPSYNC };
static const char * const flush_names[] = {
	"msync", "fsync", "mapsync", NULL
};

struct opts {
	const char *path;
	uint64_t size;
	uint64_t pages;
	int flush;		/* enum flush */
	int sparse;		/* --layout sparse */
	int reps;
};

static const char usage[] =
	"usage: writeback --file PATH [--size N] [--pages N]\n"
	"                 [--flush msync|fsync|mapsync]\n"
	"                 [--layout written|sparse] [--reps N]\n";

static const char * const wb_layout_names[] = { "written", "sparse", NULL };

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_U64("pages", &o->pages, 1, PAGES_MAX, "pages"),
		OPT_CHOICE("flush", &o->flush, flush_names),
		OPT_CHOICE("layout", &o->sparse, wb_layout_names),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->pages = DEFAULT_PAGES;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
	check_multiple("size", o->size, PMD_SIZE_2M);
	if (o->pages > o->size / PAGE_SIZE_4K)
		die("more pages than the file has");
}

static void prepare(const struct opts *o, int is_dev)
{
	if (!is_dev)
		file_create(o->path, o->size,
			    o->sparse ? LAYOUT_SPARSE : LAYOUT_WRITTEN);
}

/* Store to the @n pages spread evenly over the mapping. */
static void dirty(volatile char *map, const struct opts *o, int rep)
{
	size_t stride = o->size / PAGE_SIZE_4K / o->pages, i;

	for (i = 0; i < o->pages; i++)
		map[i * stride * PAGE_SIZE_4K] = (char)(rep + (int)i);
}

static void run_flush(const struct opts *o, struct tsv *t, int is_dev)
{
	struct kcounters before, after, delta;
	volatile char *map;
	uint64_t t0, t1, t2;
	int fd, rep;

	prepare(o, is_dev);
	fd = open_dax(o->path);
	/* PTE mappings: a dirty page is one 4 KiB entry to flush. */
	map = map_dax(fd, o->size, MAP_SHARED, 0);
	dirty(map, o, 0);	/* warm-up: allocate, fault in, flush once */
	if (msync((void *)map, o->size, MS_SYNC))
		die_errno("msync");
	for (rep = 1; rep <= o->reps; rep++) {
		t0 = now_ns();
		dirty(map, o, rep);
		t1 = now_ns();
		kcounters_read(&before);
		if (o->flush == FLUSH_MSYNC) {
			if (msync((void *)map, o->size, MS_SYNC))
				die_errno("msync");
		} else if (fsync(fd)) {
			die_errno("fsync");
		}
		t2 = now_ns();
		kcounters_read(&after);
		kcounters_delta(&before, &after, &delta);
		tsv_row(t, "dirty_ns_per_page", "ns", rep,
			(double)(t1 - t0) / (double)o->pages);
		tsv_row(t, "flush_ns", "ns", rep, (double)(t2 - t1));
		tsv_row(t, "flush_ns_per_page", "ns", rep,
			(double)(t2 - t1) / (double)o->pages);
		kcounters_emit(t, rep, &delta, o->pages);
	}
	munmap((void *)map, o->size);
	close(fd);
}

static void run_mapsync(const struct opts *o, struct tsv *t, int is_dev)
{
	struct bench_window w;
	volatile char *map;
	int fd, rep;

	for (rep = 1; rep <= o->reps; rep++) {
		prepare(o, is_dev);	/* a sparse file allocates anew */
		fd = open_dax(o->path);
		map = mmap(NULL, o->size, PROT_READ | PROT_WRITE,
			   MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
		if (map == MAP_FAILED) {
			if (errno == EOPNOTSUPP || errno == EINVAL)
				skip("MAP_SYNC is not supported here");
			die_errno("mmap MAP_SYNC");
		}
		advise_huge(map, o->size, 0);
		window_start(&w);
		dirty(map, o, rep);
		window_stop(&w);
		tsv_row(t, "ns_per_page", "ns", rep, (double)w.ns / (double)o->pages);
		kcounters_emit(t, rep, &w.delta, o->pages);
		munmap((void *)map, o->size);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	struct tsv t;
	int is_dev;

	bench_set_name("writeback");
	parse_opts(argc, argv, &o);
	is_dev = path_is_chardev(o.path);
	if (is_dev && (o.flush != FLUSH_MAPSYNC || o.sparse))
		skip("device-dax tracks no dirty pages and has no sparse files");
	tsv_init(&t, stdout, "writeback");
	tsv_case(&t, "flush", "%s", flush_names[o.flush]);
	tsv_case(&t, "layout", "%s", o.sparse ? "sparse" : "written");
	tsv_case(&t, "pages", "%llu", (unsigned long long)o.pages);
	tsv_case(&t, "size", "%lluM", (unsigned long long)(o.size >> 20));
	if (o.flush == FLUSH_MAPSYNC)
		run_mapsync(&o, &t, is_dev);
	else
		run_flush(&o, &t, is_dev);
	return 0;
}
