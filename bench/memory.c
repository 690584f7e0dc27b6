// SPDX-License-Identifier: GPL-2.0
/*
 * memory: kernel memory a populated DAX file costs.
 *
 * A file of --size bytes is written anew (no DAX entries yet), then it
 * is mapped and every page touched.  Read before and after the touches:
 * the radix_tree_node slab (XArray nodes: active objects x object size,
 * /proc/slabinfo) and /proc/meminfo's Slab, PageTables and
 * MemFree.  Reported as bytes per populated GiB (xa_bytes_per_gib, ...)
 * and as raw deltas.  The slab numbers are SLUB's view: objects sitting
 * free in a per-cpu slab count as active, so XArray nodes recycled from a
 * file deleted just before are not seen; sizes of 256 MiB and more make
 * that error small.
 *
 * The pfn variant fills the XArray for a whole extent, or for a window of
 * pages around the fault when debugfs has dax/populate_window.  If that
 * knob exists, --windows 1,16,512,0 sweeps it (0: from the faulting page
 * to the end of its extent; N: the N-page aligned window) and
 * the old value is restored afterwards; each case then says window=N.  If
 * it does not, one case without a window is measured.
 */

#include "lib/bench.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEFAULT_SIZE	(256UL << 20)
#define DEFAULT_REPS	3
#define MAX_WINDOWS	16
#define WINDOW_MAX	(1L << 30)	/* pages */
#define GIB		(1UL << 30)
#define XA_SLAB		"radix_tree_node"
#define WINDOW_KNOB	"/sys/kernel/debug/dax/populate_window"

/* The knob value found at start, put back at exit even after a failure. */
static long saved_window = -1;

static void restore_window(void)
{
	if (saved_window >= 0)
		knob_write(WINDOW_KNOB, saved_window);
}

struct opts {
	const char *path;
	uint64_t size;
	int pmd;
	int reps;
	size_t nwindows;
	long windows[MAX_WINDOWS];
};

struct sample {
	int64_t xa, slab, pt, memfree;
};

static const char usage[] =
	"usage: memory --file PATH [--size N] [--map pte|pmd] [--reps N]\n"
	"              [--windows W1,W2,...]\n";

static void parse_windows(void *dst, char *list)
{
	struct opts *o = dst;
	char *tok, *save = NULL;

	o->nwindows = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->nwindows == MAX_WINDOWS)
			die("more than %d windows", MAX_WINDOWS);
		o->windows[o->nwindows++] = parse_long(tok, 0, WINDOW_MAX, "window");
	}
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_MAP(&o->pmd),
		OPT_REPS(&o->reps),
		OPT_FUNC("windows", o, parse_windows),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
	check_multiple("size", o->size, PMD_SIZE_2M);
}

static void sample(struct sample *s)
{
	s->xa = slab_bytes(XA_SLAB);
	s->slab = meminfo_bytes("Slab");
	s->pt = meminfo_bytes("PageTables");
	s->memfree = meminfo_bytes("MemFree");
}

static void emit(const struct tsv *t, const char *name, int rep, int64_t a,
		 int64_t b, uint64_t size)
{
	char m[64];

	if (a < 0 || b < 0)
		return;		/* not available on this kernel */
	snprintf(m, sizeof(m), "%s_bytes", name);
	tsv_row(t, m, "bytes", rep, (double)(b - a));
	snprintf(m, sizeof(m), "%s_bytes_per_gib", name);
	tsv_row(t, m, "bytes", rep, (double)(b - a) * (double)GIB / (double)size);
}

static void measure(const struct opts *o, const struct tsv *t)
{
	struct kcounters before, after, delta;
	struct sample s0, s1;
	volatile char *map;
	int fd, rep;

	for (rep = 1; rep <= o->reps; rep++) {
		file_create(o->path, o->size, LAYOUT_WRITTEN);	/* no DAX entries yet */
		fd = open_dax(o->path);
		map = map_dax(fd, o->size, MAP_SHARED, o->pmd);
		sample(&s0);
		kcounters_read(&before);
		touch_range(map, o->size, 0);
		kcounters_read(&after);
		sample(&s1);
		kcounters_delta(&before, &after, &delta);
		emit(t, "xa", rep, s0.xa, s1.xa, o->size);
		emit(t, "slab", rep, s0.slab, s1.slab, o->size);
		emit(t, "pagetables", rep, s0.pt, s1.pt, o->size);
		/* MemFree falls as memory is used: report the use. */
		emit(t, "memused", rep, s1.memfree, s0.memfree, o->size);
		kcounters_emit(t, rep, &delta, o->size / PAGE_SIZE_4K);
		munmap((void *)map, o->size);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	struct tsv base, t;
	struct opts o;
	size_t i;

	bench_set_name("memory");
	parse_opts(argc, argv, &o);
	if (path_is_chardev(o.path))
		skip("device-dax has no page cache: no XArray to measure");
	if (slab_bytes(XA_SLAB) < 0)
		skip("no %s in /proc/slabinfo", XA_SLAB);
	tsv_init(&base, stdout, "memory");
	tsv_case(&base, "map", "%s", o.pmd ? "pmd" : "pte");
	tsv_case(&base, "size", "%lluM", (unsigned long long)(o.size >> 20));
	if (knob_read(WINDOW_KNOB, &saved_window) || !o.nwindows) {
		measure(&o, &base);
		return 0;
	}
	atexit(restore_window);
	for (i = 0; i < o.nwindows; i++) {
		t = base;
		tsv_case(&t, "window", "%ld", o.windows[i]);
		knob_write(WINDOW_KNOB, o.windows[i]);
		measure(&o, &t);
	}
	return 0;
}
