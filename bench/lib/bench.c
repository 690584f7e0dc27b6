// SPDX-License-Identifier: GPL-2.0

#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX	0x00200000
#endif

static const char *bench_name = "bench";

void bench_set_name(const char *name)
{
	bench_name = name;
}

__attribute__((noreturn))
static void vdie(int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: error: ", bench_name);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	exit(1);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(0, fmt, ap);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vdie(err, fmt, ap);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die_errno("clock_gettime");
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
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
	qsort(v, n, sizeof(*v), cmp_double);
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

void tsv_init(struct tsv *t, FILE *out, const char *workload)
{
	t->out = out;
	t->workload = workload;
	t->casestr[0] = '\0';
}

void tsv_case(struct tsv *t, const char *key, const char *fmt, ...)
{
	size_t len = strlen(t->casestr);
	va_list ap;
	int n;

	n = snprintf(t->casestr + len, sizeof(t->casestr) - len, "%s%s=",
		     len ? "," : "", key);
	if (n < 0 || (size_t)n >= sizeof(t->casestr) - len)
		die("case string too long at '%s'", key);
	len += (size_t)n;
	va_start(ap, fmt);
	n = vsnprintf(t->casestr + len, sizeof(t->casestr) - len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(t->casestr) - len)
		die("case string too long at '%s'", key);
}

static void tsv_check(const struct tsv *t)
{
	if (ferror(t->out))
		die("writing results failed");
}

void tsv_row(const struct tsv *t, const char *metric, const char *unit,
	     int rep, double value)
{
	fprintf(t->out, "%s\t%s\t%s\t%s\t%d\t%.6g\n", t->workload,
		t->casestr[0] ? t->casestr : "-", metric, unit, rep, value);
	tsv_check(t);
}

void tsv_row_u64(const struct tsv *t, const char *metric, const char *unit,
		 int rep, uint64_t value)
{
	fprintf(t->out, "%s\t%s\t%s\t%s\t%d\t%llu\n", t->workload,
		t->casestr[0] ? t->casestr : "-", metric, unit, rep,
		(unsigned long long)value);
	tsv_check(t);
}

void tsv_stats(const struct tsv *t, const char *prefix, const char *unit,
	       int rep, const struct stats *st)
{
	char m[64];

	snprintf(m, sizeof(m), "%s_p50", prefix);
	tsv_row(t, m, unit, rep, st->p50);
	snprintf(m, sizeof(m), "%s_p90", prefix);
	tsv_row(t, m, unit, rep, st->p90);
	snprintf(m, sizeof(m), "%s_p99", prefix);
	tsv_row(t, m, unit, rep, st->p99);
	snprintf(m, sizeof(m), "%s_max", prefix);
	tsv_row(t, m, unit, rep, st->max);
}

const char *kcounters_dax_path = "/sys/kernel/debug/dax/stats";

static uint64_t self_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die_errno("getrusage");
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
}

void kcounters_read(struct kcounters *k)
{
	char name[KCOUNT_NAME];
	unsigned long long v;
	FILE *f;

	memset(k, 0, sizeof(*k));
	f = fopen(kcounters_dax_path, "r");
	if (f) {
		k->have_dax = 1;
		while (k->n < KCOUNT_MAX &&
		       fscanf(f, "%63s %llu", name, &v) == 2) {
			memcpy(k->name[k->n], name, KCOUNT_NAME);
			k->val[k->n++] = v;
		}
		fclose(f);
	}
	k->faults = self_faults();
}

uint64_t kcounters_get(const struct kcounters *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->name[i], name))
			return k->val[i];
	return 0;
}

void kcounters_delta(const struct kcounters *a, const struct kcounters *b,
		     struct kcounters *d)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->have_dax = a->have_dax && b->have_dax;
	for (i = 0; i < b->n; i++) {
		memcpy(d->name[i], b->name[i], KCOUNT_NAME);
		d->val[i] = b->val[i] - kcounters_get(a, b->name[i]);
	}
	d->n = b->n;
	d->faults = b->faults - a->faults;
}

void kcounters_emit(const struct tsv *t, int rep, const struct kcounters *d,
		    uint64_t pages)
{
	uint64_t fs_calls;
	size_t i;

	tsv_row_u64(t, "faults", "count", rep, d->faults);
	if (pages)
		tsv_row(t, "faults_per_page", "ratio", rep,
			(double)d->faults / (double)pages);
	if (!d->have_dax)
		return;
	for (i = 0; i < d->n; i++)
		tsv_row_u64(t, d->name[i], "count", rep, d->val[i]);
	fs_calls = kcounters_get(d, "fs_iomap_begin") +
		   kcounters_get(d, "fs_get_block") +
		   kcounters_get(d, "fs_populate_pfns");
	tsv_row_u64(t, "fs_calls", "count", rep, fs_calls);
	if (d->faults)
		tsv_row(t, "fs_calls_per_fault", "ratio", rep,
			(double)fs_calls / (double)d->faults);
}

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

uint64_t parse_size(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("bad size '%s'", s);
	switch (*end) {
	case 'k': case 'K':
		v <<= 10; end++; break;
	case 'm': case 'M':
		v <<= 20; end++; break;
	case 'g': case 'G':
		v <<= 30; end++; break;
	default:
		break;
	}
	if (*end)
		die("bad size '%s'", s);
	return v;
}

long parse_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		die("bad %s '%s' (want %ld..%ld)", what, s, min, max);
	return v;
}
