// SPDX-License-Identifier: GPL-2.0
/*
 * fault: the cost of DAX page faults on a file mapping.
 *
 * Every page of a file is touched once (one load or one store) through a
 * MAP_SHARED mapping, and each touch is timed.  What a touch costs depends
 * on the situation:
 *
 *   first     the file is created anew before each repetition, so no
 *             DAX entry for it exists yet;
 *   refault   the same file is unmapped and mapped again: its DAX entries
 *             survive, only the page tables are new;
 *   dontneed  MADV_DONTNEED drops the page tables of a live mapping.
 *
 * With --threads N the pages are split between N threads: in N blocks
 * (--split block, each thread its own run of pages) or interleaved
 * (--split interleave: thread i takes pages i, i + N, ..., so the threads
 * fault side by side in the same 2 MiB at the same time, where a design
 * that populates a whole extent per miss could make them wait).
 *
 * Mapping "pte" forbids huge pages on the mapping; "pmd" aligns it to 2 MiB
 * and asks for them.  Reported per repetition: ns per touched page, the
 * touch-latency distribution, the process's page faults and the DAX
 * counter deltas of the measured window.
 */

#include "lib/bench.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_SIZE	(64UL << 20)
#define DEFAULT_REPS	5
#define MAX_THREADS	64
#define DEFAULT_SEED	42
#define TIMER_SAMPLES	1000

enum situation { SIT_FIRST, SIT_REFAULT, SIT_DONTNEED };

static const char * const situation_names[] = {
	"first", "refault", "dontneed", NULL
};
static const char * const order_names[] = { "seq", "rand", NULL };
static const char * const split_names[] = { "block", "interleave", NULL };

struct opts {
	const char *path;
	uint64_t size;
	int pmd;
	int write;
	int random;		/* --order rand */
	int threads;
	int interleave;		/* --split interleave */
	int reps;
	int sit;		/* enum situation */
	int layout;		/* enum file_layout */
	uint64_t seed;
};

struct pool;

struct worker {
	pthread_t tid;
	struct pool *pool;
	volatile char *map;
	const size_t *order;
	size_t first, end, stride;
	int write;
	double *lat;
	uint64_t sink;
};

/*
 * The workers live for the whole run and wait between windows: a window
 * holds the touches and two barriers, not each thread's clone() and
 * exit().
 */
struct pool {
	pthread_barrier_t start, done;
	struct worker w[MAX_THREADS];
	int threads;
	int quit;
};

static const char usage[] =
	"usage: fault --file PATH [--size N] [--map pte|pmd] [--op read|write]\n"
	"             [--order seq|rand] [--threads N] [--split block|interleave]\n"
	"             [--reps N]\n"
	"             [--situation first|refault|dontneed]\n"
	"             [--layout written|falloc|sparse] [--seed N]\n";

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_MAP(&o->pmd),
		OPT_OP(&o->write),
		OPT_CHOICE("order", &o->random, order_names),
		OPT_INT("threads", &o->threads, 1, MAX_THREADS),
		OPT_CHOICE("split", &o->interleave, split_names),
		OPT_REPS(&o->reps),
		OPT_CHOICE("situation", &o->sit, situation_names),
		OPT_CHOICE("layout", &o->layout, layout_names),
		OPT_U64("seed", &o->seed, 0, LONG_MAX, "seed"),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->threads = 1;
	o->reps = DEFAULT_REPS;
	o->seed = DEFAULT_SEED;
	bench_parse(argc, argv, opts, usage);
	check_multiple("size", o->size, PMD_SIZE_2M);
}

static int open_target(const struct opts *o)
{
	struct stat st;
	int fd = open_dax(o->path);

	if (fstat(fd, &st))
		die_errno("stat %s", o->path);
	if (!S_ISCHR(st.st_mode) && (uint64_t)st.st_size < o->size)
		die("%s is smaller than --size", o->path);
	return fd;
}

static void touch_pages(struct worker *w)
{
	uint64_t t0, sink = 0;
	size_t i, off;

	for (i = w->first; i < w->end; i += w->stride) {
		off = w->order[i] * PAGE_SIZE_4K;
		t0 = now_ns();
		if (w->write)
			w->map[off] = (char)i;
		else
			sink += (uint64_t)w->map[off];
		w->lat[i] = (double)(now_ns() - t0);
	}
	w->sink = sink;
}

static void *worker_loop(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		pthread_barrier_wait(&w->pool->start);
		if (w->pool->quit)
			return NULL;
		touch_pages(w);
		pthread_barrier_wait(&w->pool->done);
	}
}

/* Start o->threads workers, each with its share of the pages. */
static void pool_start(struct pool *p, const struct opts *o,
		       const size_t *order, double *lat, size_t pages)
{
	size_t per = pages / (size_t)o->threads;
	int i;

	memset(p, 0, sizeof(*p));
	p->threads = o->threads;
	if (pthread_barrier_init(&p->start, NULL, (unsigned int)p->threads + 1) ||
	    pthread_barrier_init(&p->done, NULL, (unsigned int)p->threads + 1))
		die("pthread_barrier_init failed");
	for (i = 0; i < p->threads; i++) {
		struct worker *w = &p->w[i];

		w->pool = p;
		w->order = order;
		if (o->interleave) {
			/* thread i: pages i, i + T, i + 2T, ...: the threads
			 * fault side by side in the same 2 MiB at once */
			w->first = (size_t)i;
			w->end = pages;
			w->stride = (size_t)o->threads;
		} else {
			w->first = (size_t)i * per;
			w->end = i == o->threads - 1 ? pages : w->first + per;
			w->stride = 1;
		}
		w->write = o->write;
		w->lat = lat;
		if (pthread_create(&w->tid, NULL, worker_loop, w))
			die("pthread_create failed");
	}
}

static void pool_stop(struct pool *p)
{
	int i;

	p->quit = 1;
	pthread_barrier_wait(&p->start);
	for (i = 0; i < p->threads; i++)
		pthread_join(p->w[i].tid, NULL);
	pthread_barrier_destroy(&p->start);
	pthread_barrier_destroy(&p->done);
}

/* Touch every page of map once with the pool's workers; returns window ns. */
static uint64_t touch_all(struct pool *p, volatile char *map)
{
	uint64_t t0, t1;
	int i;

	for (i = 0; i < p->threads; i++)
		p->w[i].map = map;
	t0 = now_ns();
	pthread_barrier_wait(&p->start);
	pthread_barrier_wait(&p->done);
	t1 = now_ns();
	return t1 - t0;
}

static double timer_overhead(void)
{
	double v[TIMER_SAMPLES];
	struct stats st;
	uint64_t t0;
	int i;

	for (i = 0; i < TIMER_SAMPLES; i++) {
		t0 = now_ns();
		v[i] = (double)(now_ns() - t0);
	}
	stats_compute(v, TIMER_SAMPLES, &st);
	return st.p50;
}

/* Open and map the target, creating the file anew unless it is a device. */
static volatile char *open_and_map(const struct opts *o, int *fd)
{
	if (!path_is_chardev(o->path))
		file_create(o->path, o->size, o->layout);
	*fd = open_target(o);
	return map_dax(*fd, o->size, MAP_SHARED, o->pmd);
}

static void unmap_and_close(const struct opts *o, volatile char *map, int fd)
{
	munmap((void *)map, o->size);
	close(fd);
}

/* Bring the mapping into the state the situation measures. */
static volatile char *next_situation(const struct opts *o, volatile char *map,
				     int *fd)
{
	switch (o->sit) {
	case SIT_FIRST:
		unmap_and_close(o, map, *fd);
		return open_and_map(o, fd);
	case SIT_REFAULT:
		munmap((void *)map, o->size);
		return map_dax(*fd, o->size, MAP_SHARED, o->pmd);
	case SIT_DONTNEED:
		if (madvise((void *)map, o->size, MADV_DONTNEED))
			die_errno("madvise(MADV_DONTNEED)");
		return map;
	}
	return map;
}

static void run(const struct opts *o, struct tsv *t)
{
	size_t i, pages = o->size / PAGE_SIZE_4K;
	size_t *order = calloc(pages, sizeof(*order));
	double *lat = calloc(pages, sizeof(*lat));
	struct kcounters before, after, delta;
	struct pool pool;
	volatile char *map;
	struct stats st;
	uint64_t ns;
	int fd, rep;

	if (!order || !lat)
		die("out of memory for %zu pages", pages);
	if (o->random) {
		permute(order, pages, o->seed);
	} else {
		for (i = 0; i < pages; i++)
			order[i] = i;
	}
	tsv_row(t, "timer_overhead", "ns", 0, timer_overhead());

	pool_start(&pool, o, order, lat, pages);
	/* Warm-up pass: populates what refault and dontneed re-fault. */
	map = open_and_map(o, &fd);
	touch_all(&pool, map);
	for (rep = 1; rep <= o->reps; rep++) {
		map = next_situation(o, map, &fd);
		memset(lat, 0, pages * sizeof(*lat));
		kcounters_read(&before);
		ns = touch_all(&pool, map);
		kcounters_read(&after);
		kcounters_delta(&before, &after, &delta);
		tsv_row(t, "ns_per_page", "ns", rep, (double)ns / (double)pages);
		stats_compute(lat, pages, &st);
		tsv_stats(t, "lat", "ns", rep, &st);
		kcounters_emit(t, rep, &delta, pages);
	}
	pool_stop(&pool);
	unmap_and_close(o, map, fd);
	free(order);
	free(lat);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct tsv t;

	bench_set_name("fault");
	parse_opts(argc, argv, &o);
	tsv_init(&t, stdout, "fault");
	tsv_case(&t, "map", "%s", o.pmd ? "pmd" : "pte");
	tsv_case(&t, "op", "%s", o.write ? "write" : "read");
	tsv_case(&t, "order", "%s", o.random ? "rand" : "seq");
	tsv_case(&t, "threads", "%d", o.threads);
	/* only multi-threaded cases have a split (earlier runs' keys stay) */
	if (o.threads > 1)
		tsv_case(&t, "split", "%s", split_names[o.interleave]);
	tsv_case(&t, "situation", "%s", situation_names[o.sit]);
	tsv_case(&t, "layout", "%s", layout_names[o.layout]);
	tsv_case(&t, "size", "%lluM", (unsigned long long)(o.size >> 20));
	run(&o, &t);
	return 0;
}
