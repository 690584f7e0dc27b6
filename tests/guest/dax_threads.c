// SPDX-License-Identifier: GPL-2.0
/*
 * dax_threads: several threads fault the same and neighbouring pages of
 * one DAX mapping (write faults that allocate, read faults of holes and
 * of written pages), then the contents are checked through read(2) and
 * a fresh mapping.
 */
#include "gtest.h"

#include <pthread.h>

#define NTHREADS	4
#define FILE_PAGES	256
#define FILE_LEN	(FILE_PAGES * PAGE_SIZE_4K)
#define SLOT		64	/* bytes per thread inside a shared page */
#define ROUNDS		3
#define NCASES		4
#define VAL_STRIDE	61	/* per-thread offset of the byte values */
#define VAL_RANGE	255	/* values 1..255: never zero */

struct worker {
	pthread_t tid;
	int idx;
	unsigned char *map;
	uint64_t seed;
	size_t bad;
	int mode;
};

enum { MODE_SAME, MODE_NEIGHBOUR, MODE_READ, MODE_MIXED };

static unsigned char val(int thread, size_t page)
{
	return (unsigned char)(1 + ((size_t)thread * VAL_STRIDE + page) % VAL_RANGE);
}

/* Owner of a byte in MODE_NEIGHBOUR: pages are dealt round-robin. */
static int owner_neighbour(size_t page)
{
	return (int)(page % NTHREADS);
}

static unsigned char expect_same(size_t off)
{
	size_t page = off / PAGE_SIZE_4K, in = off % PAGE_SIZE_4K;
	int t = (int)(in / SLOT);

	return t < NTHREADS ? val(t, page) : 0;
}

static unsigned char expect_neighbour(size_t off)
{
	size_t page = off / PAGE_SIZE_4K;

	return val(owner_neighbour(page), page);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t idx[FILE_PAGES], i, page, off, j;
	volatile unsigned char *m = w->map;

	permute(idx, FILE_PAGES, w->seed);
	for (i = 0; i < FILE_PAGES; i++) {
		page = idx[i];
		off = page * PAGE_SIZE_4K;
		switch (w->mode) {
		case MODE_SAME:
			memset((void *)(m + off + (size_t)w->idx * SLOT),
			       val(w->idx, page), SLOT);
			break;
		case MODE_NEIGHBOUR:
			if (owner_neighbour(page) == w->idx)
				memset((void *)(m + off), val(w->idx, page), PAGE_SIZE_4K);
			break;
		case MODE_READ:
			for (j = 0; j < PAGE_SIZE_4K; j += SLOT)
				w->bad += m[off + j] != expect_same(off + j);
			break;
		case MODE_MIXED:
			/* odd threads write their slot, even threads read
			 * every slot: each byte is 0 or its final value */
			if (w->idx & 1) {
				memset((void *)(m + off + (size_t)w->idx * SLOT),
				       val(w->idx, page), SLOT);
			} else {
				for (j = 0; j < (size_t)NTHREADS * SLOT; j++) {
					unsigned char v = m[off + j];

					w->bad += v && v != expect_same(off + j);
				}
			}
			break;
		}
	}
	return NULL;
}

static size_t run_threads(unsigned char *map, int mode, uint64_t seed)
{
	struct worker w[NTHREADS];
	size_t bad = 0;
	int i;

	for (i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .idx = i, .map = map, .mode = mode,
					.seed = seed + (uint64_t)i };
		if (pthread_create(&w[i].tid, NULL, work, &w[i]))
			die("pthread_create");
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(w[i].tid, NULL);
		bad += w[i].bad;
	}
	return bad;
}

static size_t verify(int fd, unsigned char (*expect)(size_t), int mixed)
{
	static unsigned char buf[FILE_LEN];
	unsigned char *p;
	size_t i, bad = 0;
	unsigned char e;

	gpread(fd, buf, FILE_LEN, 0);
	p = gmap(fd, FILE_LEN, MAP_SHARED);
	for (i = 0; i < FILE_LEN; i++) {
		e = expect(i);
		/* mixed: only the odd threads wrote */
		if (mixed && (i % PAGE_SIZE_4K) / SLOT < NTHREADS &&
		    !(((i % PAGE_SIZE_4K) / SLOT) & 1))
			e = 0;
		bad += buf[i] != e;
		bad += p[i] != e;
	}
	munmap(p, FILE_LEN);
	return bad;
}

static void one_case(const struct gopts *o, int mode, const char *name, uint64_t seed)
{
	size_t bad = 0;
	unsigned char *m;
	int r, fd;

	for (r = 0; r < ROUNDS; r++) {
		fd = gcreate(o, "threads");
		if (ftruncate(fd, FILE_LEN))
			die_errno("ftruncate");
		m = gmap(fd, FILE_LEN, MAP_SHARED);
		if (mode == MODE_READ) {
			/* fill with the same-page layout, then read it
			 * concurrently through a fresh mapping */
			bad += run_threads(m, MODE_SAME, seed + (uint64_t)r);
			munmap(m, FILE_LEN);
			m = gmap(fd, FILE_LEN, MAP_SHARED);
		}
		bad += run_threads(m, mode, seed + (uint64_t)r);
		munmap(m, FILE_LEN);
		bad += verify(fd, mode == MODE_NEIGHBOUR ? expect_neighbour : expect_same,
			      mode == MODE_MIXED);
		close(fd);
		gremove(o, "threads");
	}
	if (bad)
		ksft_print_msg("%s: %zu bytes wrong over %d rounds\n", name, bad, ROUNDS);
	gtest_result(bad == 0, name);
}

int main(int argc, char **argv)
{
	struct gopts o;

	bench_set_name("dax_threads");
	gopts_parse(&o, argc, argv);
	ksft_print_header();
	ksft_set_plan(NCASES);
	ksft_print_msg("seed %llu\n", (unsigned long long)o.seed);
	one_case(&o, MODE_SAME, "threads-write-same-pages", o.seed);
	one_case(&o, MODE_NEIGHBOUR, "threads-write-neighbour-pages", o.seed);
	one_case(&o, MODE_READ, "threads-read-same-pages", o.seed);
	one_case(&o, MODE_MIXED, "threads-read-while-write-same-pages", o.seed);
	return gtest_exit();
}
