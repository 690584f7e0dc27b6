// SPDX-License-Identifier: GPL-2.0

#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
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
	/*
	 * A fixed threshold turns off malloc's dynamic one, so that no
	 * free() between two measured windows moves later allocations
	 * between mmap() and the heap (and so the address space the next
	 * window faults in).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
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

/* Page faults of this process and of its children it has waited for (an
 * application workload's worker processes). */
static uint64_t self_faults(void)
{
	struct rusage ru, rc;

	if (getrusage(RUSAGE_SELF, &ru) || getrusage(RUSAGE_CHILDREN, &rc))
		die_errno("getrusage");
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt +
	       (uint64_t)rc.ru_minflt + (uint64_t)rc.ru_majflt;
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

static const uint64_t *kcounters_find(const struct kcounters *k,
				      const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->name[i], name))
			return &k->val[i];
	return NULL;
}

int kcounters_has(const struct kcounters *k, const char *name)
{
	return kcounters_find(k, name) != NULL;
}

uint64_t kcounters_get(const struct kcounters *k, const char *name)
{
	const uint64_t *v = kcounters_find(k, name);

	return v ? *v : 0;
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

int open_dax(const char *path)
{
	int fd = open(path, O_RDWR);

	if (fd < 0)
		die_errno("open %s", path);
	require_dax(fd, path);
	return fd;
}

void advise_huge(volatile void *map, uint64_t len, int pmd)
{
	if (madvise((void *)map, len, pmd ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die_errno("madvise");
}

void *map_dax(int fd, uint64_t len, int flags, int pmd)
{
	void *p = mmap_aligned(fd, len, PROT_READ | PROT_WRITE, flags,
			       PMD_SIZE_2M);

	advise_huge(p, len, pmd);
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

int parse_choice(const char * const *names, const char *s, const char *what)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	die("unknown %s '%s'", what, s);
}

const char * const map_names[] = { "pte", "pmd", NULL };
const char * const op_names[] = { "read", "write", NULL };

static void opt_set(const struct bench_opt *opt, char *value)
{
	switch (opt->type) {
	case ARG_STR:
		*(const char **)opt->dst = value;
		break;
	case ARG_SIZE:
		*(uint64_t *)opt->dst = parse_size(value);
		break;
	case ARG_INT:
		*(int *)opt->dst = (int)parse_long(value, opt->min, opt->max,
						   opt->what);
		break;
	case ARG_U64:
		*(uint64_t *)opt->dst = (uint64_t)parse_long(value, opt->min,
							     opt->max, opt->what);
		break;
	case ARG_CHOICE:
		*(int *)opt->dst = parse_choice(opt->choices, value, opt->name);
		break;
	case ARG_FUNC:
		opt->fn(opt->dst, value);
		break;
	}
}

__attribute__((noreturn))
static void usage_exit(const char *usage)
{
	fputs(usage, stderr);
	exit(2);
}

/*
 * getopt_long() returns an option's val.  Each gets its own, above any
 * character getopt_long() may return itself ('?'): options that shared
 * one would let an ambiguous abbreviation (--o for --op and --order)
 * pass as the first of them.
 */
#define OPT_VAL_BASE	256

void bench_parse(int argc, char **argv, const struct bench_opt *opts,
		 const char *usage)
{
	struct option lo[OPTS_MAX + 1];
	int seen[OPTS_MAX] = { 0 };
	size_t i, n;
	int c;

	for (n = 0; opts[n].name; n++) {
		if (n == OPTS_MAX)
			die("more than %d options", OPTS_MAX);
		lo[n] = (struct option){ opts[n].name, required_argument,
					 NULL, OPT_VAL_BASE + (int)n };
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;	/* start over: the unit tests parse many times */
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c < OPT_VAL_BASE)
			usage_exit(usage);
		i = (size_t)(c - OPT_VAL_BASE);
		opt_set(&opts[i], optarg);
		seen[i] = 1;
	}
	if (optind != argc)
		usage_exit(usage);
	for (i = 0; i < n; i++)
		if (opts[i].required && !seen[i])
			usage_exit(usage);
}

#define KIB	(1ULL << 10)
#define MIB	(1ULL << 20)

void check_multiple(const char *name, uint64_t v, uint64_t align)
{
	if (v && !(v % align))
		return;
	if (align % MIB)
		die("%s must be a non-zero multiple of %llu KiB", name,
		    (unsigned long long)(align / KIB));
	die("%s must be a non-zero multiple of %llu MiB", name,
	    (unsigned long long)(align / MIB));
}

void skip(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: skip: ", bench_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_SKIP);
}

int path_is_chardev(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISCHR(st.st_mode);
}

#define FILL_CHUNK	(1UL << 20)

void file_fill(int fd, const char *path, uint64_t off, uint64_t len, int byte)
{
	static char buf[FILL_CHUNK];
	uint64_t done, n;

	memset(buf, byte, sizeof(buf));
	for (done = 0; done < len; done += n) {
		n = len - done < FILL_CHUNK ? len - done : FILL_CHUNK;
		if (pwrite(fd, buf, n, (off_t)(off + done)) != (ssize_t)n)
			die_errno("write %s", path);
	}
}

const char * const layout_names[] = { "written", "falloc", "sparse", NULL };

void file_create(const char *path, uint64_t size, enum file_layout layout)
{
	int fd;

	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die_errno("create %s", path);
	switch (layout) {
	case LAYOUT_WRITTEN:
		file_fill(fd, path, 0, size, FILL_BYTE);
		break;
	case LAYOUT_FALLOC:
		if (fallocate(fd, 0, 0, (off_t)size)) {
			if (errno == EOPNOTSUPP)
				skip("this filesystem has no fallocate");
			die_errno("fallocate %s", path);
		}
		break;
	case LAYOUT_SPARSE:
		if (ftruncate(fd, (off_t)size))
			die_errno("truncate %s", path);
		break;
	}
	if (fsync(fd))
		die_errno("fsync %s", path);
	close(fd);
}

/*
 * now_ns() and touch_range() stay out of line, also in touch_measured():
 * a measured window then runs the same instructions (calls included)
 * whichever file it is in, and instruction counts (-icount) compare.
 */
__attribute__((noinline))
uint64_t touch_range(volatile char *map, size_t len, int write)
{
	uint64_t sink = 0;
	size_t off;

	for (off = 0; off < len; off += PAGE_SIZE_4K) {
		if (write)
			map[off] = (char)off;
		else
			sink += (uint64_t)map[off];
	}
	return sink;
}

void touch_measured(const struct tsv *t, int rep, volatile char *map,
		    uint64_t len, int write)
{
	uint64_t pages = len / PAGE_SIZE_4K;
	struct bench_window w;

	window_start(&w);
	touch_range(map, len, write);
	window_stop(&w);
	tsv_row(t, "ns_per_page", "ns", rep, (double)w.ns / (double)pages);
	kcounters_emit(t, rep, &w.delta, pages);
}

#define FIEMAP_BATCH	256

int file_extents(int fd, uint64_t *count, uint64_t *bytes)
{
	size_t sz = sizeof(struct fiemap) +
		    FIEMAP_BATCH * sizeof(struct fiemap_extent);
	struct fiemap *fm = malloc(sz);
	uint64_t start = 0;
	unsigned int i;
	int last = 0;

	if (!fm)
		die("out of memory");
	*count = 0;
	*bytes = 0;
	while (!last) {
		memset(fm, 0, sz);
		fm->fm_start = start;
		fm->fm_length = FIEMAP_MAX_OFFSET - start;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
			free(fm);
			return -1;
		}
		if (!fm->fm_mapped_extents)
			break;
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			struct fiemap_extent *e = &fm->fm_extents[i];

			(*count)++;
			*bytes += e->fe_length;
			start = e->fe_logical + e->fe_length;
			if (e->fe_flags & FIEMAP_EXTENT_LAST)
				last = 1;
		}
	}
	free(fm);
	return 0;
}

int64_t slab_bytes(const char *name)
{
	unsigned long active, total, objsize;
	char line[512], cache[128];
	int64_t ret = -1;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %lu %lu %lu", cache, &active, &total,
			   &objsize) != 4)
			continue;
		if (!strcmp(cache, name)) {
			ret = (int64_t)active * (int64_t)objsize;
			break;
		}
	}
	fclose(f);
	return ret;
}

int64_t meminfo_bytes(const char *field)
{
	char line[256], name[128];
	unsigned long kb;
	int64_t ret = -1;
	size_t len = strlen(field);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127[^:]: %lu", name, &kb) != 2)
			continue;
		if (strlen(name) == len && !strcmp(name, field)) {
			ret = (int64_t)kb * 1024;
			break;
		}
	}
	fclose(f);
	return ret;
}

int knob_read(const char *path, long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%ld", v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

void knob_write(const char *path, long v)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die_errno("open %s", path);
	fprintf(f, "%ld\n", v);
	if (fclose(f))
		die_errno("write %s", path);
}

int64_t fill_free_space(int fd)
{
	uint64_t off = 0, step = FILL_STEP_MAX;

	while (step >= PAGE_SIZE_4K) {
		if (!fallocate(fd, 0, (off_t)off, (off_t)step)) {
			off += step;
			continue;
		}
		if (errno == EOPNOTSUPP)
			return -1;
		if (errno != ENOSPC)
			die_errno("fallocate ballast");
		step /= 2;
	}
	return (int64_t)off;
}

void clear_extsize_hint(int fd, const char *path)
{
	struct fsxattr fsx;

	if (!ioctl(fd, FS_IOC_FSGETXATTR, &fsx) &&
	    (fsx.fsx_xflags & FS_XFLAG_EXTSIZE || fsx.fsx_extsize)) {
		fsx.fsx_xflags &= ~(unsigned int)FS_XFLAG_EXTSIZE;
		fsx.fsx_extsize = 0;
		if (ioctl(fd, FS_IOC_FSSETXATTR, &fsx))
			die_errno("clear the extent size hint of %s", path);
	}
}

void window_emit_ops(const struct tsv *t, int rep, const struct bench_window *w,
		     uint64_t ops)
{
	if (!ops || !w->ns)
		die("a window of %llu operations in %llu ns",
		    (unsigned long long)ops, (unsigned long long)w->ns);
	tsv_row(t, "ops_per_s", "count/s", rep,
		(double)ops * (double)NSEC_PER_SEC / (double)w->ns);
	tsv_row(t, "ns_per_op", "ns", rep, (double)w->ns / (double)ops);
	tsv_row_u64(t, "ops", "count", rep, ops);
	kcounters_emit(t, rep, &w->delta, 0);
}
