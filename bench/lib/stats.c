// SPDX-License-Identifier: GPL-2.0
/* bench/lib: time, statistics and random orders. */

#include "bench.h"

#include <math.h>
#include <string.h>
#include <time.h>

/* Out of line: see touch_range(). */
__attribute__((noinline))
uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die_errno("clock_gettime");
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/*
 * Sort in place, allocating nothing.  glibc's qsort() takes a temporary
 * buffer from malloc() for large arrays: at 128 KiB (a 64 MiB window's
 * latencies) that is an mmap() whose free() raises malloc's dynamic mmap
 * threshold, so the next sort's buffer comes from the heap instead and
 * the address space the following windows fault in has changed.  That
 * cost +56 guest instructions per page from the third repetition on, on
 * every kernel and on device-dax alike.  A heapsort keeps the process
 * layout the same for every repetition.
 */
static void sift_down(double *v, size_t root, size_t n)
{
	size_t child;
	double t;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (!(v[child] > v[root]))
			return;
		t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

void sort_doubles(double *v, size_t n)
{
	size_t i;
	double t;

	for (i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (i = n; i-- > 1;) {
		t = v[0];
		v[0] = v[i];
		v[i] = t;
		sift_down(v, 0, i);
	}
}

double percentile_sorted(const double *v, size_t n, double pct)
{
	double pos, frac;
	size_t lo;

	if (n == 0)
		return 0;
	pos = pct / 100.0 * (double)(n - 1);
	lo = (size_t)pos;
	if (lo + 1 >= n)
		return v[n - 1];
	frac = pos - (double)lo;
	return v[lo] + (v[lo + 1] - v[lo]) * frac;
}

void stats_compute(double *v, size_t n, struct stats *st)
{
	double sum = 0, sq = 0;
	size_t i;

	memset(st, 0, sizeof(*st));
	st->n = n;
	if (n == 0)
		return;
	sort_doubles(v, n);
	for (i = 0; i < n; i++)
		sum += v[i];
	st->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (v[i] - st->mean) * (v[i] - st->mean);
	st->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	st->min = v[0];
	st->max = v[n - 1];
	st->p50 = percentile_sorted(v, n, 50);
	st->p90 = percentile_sorted(v, n, 90);
	st->p99 = percentile_sorted(v, n, 99);
}

uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

void permute(size_t *idx, size_t n, uint64_t seed)
{
	uint64_t st = seed ? seed : 1;
	size_t i, j, tmp;

	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = n; i > 1; i--) {
		j = (size_t)(xorshift64(&st) % i);
		tmp = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = tmp;
	}
}
