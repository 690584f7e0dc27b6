/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/lib: what every daxbench workload shares.
 *
 * A workload (bench/<name>.c) holds only the operation it measures and
 * the options it alone has.  This library owns the command line (a table
 * of options), creating, opening and mapping the measured file, timing,
 * statistics, the kernel counters read around a measured window, DAX
 * checks and the TSV rows every result is made of:
 *
 *	workload <TAB> case <TAB> metric <TAB> unit <TAB> rep <TAB> value
 *
 * "case" is a comma-separated key=value list naming the parameters.
 *
 * One file per concern: err.c (die, skip), stats.c (time, statistics,
 * random orders), tsv.c (rows), counters.c (dax/stats and getrusage
 * around a window), opts.c (the option table), files.c (creating,
 * mapping and touching files, FIEMAP, free space), procfs.c (slabinfo,
 * meminfo, knobs).
 */
#ifndef DAXBENCH_BENCH_H
#define DAXBENCH_BENCH_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define NSEC_PER_SEC	1000000000ULL
#define PAGE_SIZE_4K	4096UL
#define PMD_SIZE_2M	(2UL << 20)
#define CASE_MAX	256

/* --- errors ---------------------------------------------------------- */
void bench_set_name(const char *name);
__attribute__((noreturn, format(printf, 1, 2)))
void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2)))
void die_errno(const char *fmt, ...);

/* --- time ------------------------------------------------------------ */
/* CLOCK_MONOTONIC in ns.  Under QEMU -icount it counts guest instructions. */
uint64_t now_ns(void);

/* --- statistics ------------------------------------------------------ */
struct stats {
	size_t n;
	double mean, stddev, min, max;
	double p50, p90, p99;
};

/* Sorts @v in place and fills @st; @n may be 0 (everything becomes 0). */
/* Sort v ascending in place; allocates nothing (see bench.c). */
void sort_doubles(double *v, size_t n);
void stats_compute(double *v, size_t n, struct stats *st);
/* Linear-interpolated percentile of sorted @v, 0 <= @pct <= 100. */
double percentile_sorted(const double *v, size_t n, double pct);

/* --- TSV output ------------------------------------------------------ */
struct tsv {
	FILE *out;
	const char *workload;
	char casestr[CASE_MAX];
};

void tsv_init(struct tsv *t, FILE *out, const char *workload);
/* Append key=value (formatted) to the case string. */
__attribute__((format(printf, 3, 4)))
void tsv_case(struct tsv *t, const char *key, const char *fmt, ...);
void tsv_row(const struct tsv *t, const char *metric, const char *unit,
	     int rep, double value);
void tsv_row_u64(const struct tsv *t, const char *metric, const char *unit,
		 int rep, uint64_t value);
void tsv_stats(const struct tsv *t, const char *prefix, const char *unit,
	       int rep, const struct stats *st);

/* --- kernel counters ------------------------------------------------- */
#define KCOUNT_MAX	32
#define KCOUNT_NAME	64

struct kcounters {
	size_t n;
	char name[KCOUNT_MAX][KCOUNT_NAME];
	uint64_t val[KCOUNT_MAX];
	uint64_t faults;	/* minor + major faults of this process */
	int have_dax;		/* debugfs dax/stats was readable */
};

/* Path of the DAX counters; overridable for tests. */
extern const char *kcounters_dax_path;

void kcounters_read(struct kcounters *k);
/* d = b - a, name by name. */
void kcounters_delta(const struct kcounters *a, const struct kcounters *b,
		     struct kcounters *d);
uint64_t kcounters_get(const struct kcounters *k, const char *name);
/* Does @k have a counter @name (this kernel counts it)? */
int kcounters_has(const struct kcounters *k, const char *name);
/* One row per counter, plus "faults" and "fs_calls" (all fs mapping calls). */
void kcounters_emit(const struct tsv *t, int rep, const struct kcounters *d,
		    uint64_t pages);

/*
 * A measured window: the DAX counters are read just outside the clock,
 * so reading them is not part of the time.  Inline, so that the window
 * holds nothing but the measured operation and the clock reads.
 */
struct bench_window {
	struct kcounters before, after, delta;
	uint64_t t0, ns;
};

static inline void window_start(struct bench_window *w)
{
	kcounters_read(&w->before);
	w->t0 = now_ns();
}

/* Fills w->ns and w->delta. */
static inline void window_stop(struct bench_window *w)
{
	w->ns = now_ns() - w->t0;
	kcounters_read(&w->after);
	kcounters_delta(&w->before, &w->after, &w->delta);
}

/*
 * The rows of an application's window of  operations (gets, queries,
 * records, files): ops_per_s, ns_per_op (under icount: guest instructions
 * per operation) and the window's counters.
 */
void window_emit_ops(const struct tsv *t, int rep, const struct bench_window *w,
		     uint64_t ops);

/* --- files and DAX --------------------------------------------------- */
/* Fails unless @fd's file has STATX_ATTR_DAX set (unless @path is a char
 * device: device-dax has no filesystem to ask). */
void require_dax(int fd, const char *path);
/* Map @len bytes of @fd at a 2 MiB aligned address. */
void *mmap_aligned(int fd, size_t len, int prot, int flags, size_t align);
/* Open @path read-write; fails unless it is DAX (require_dax). */
int open_dax(const char *path);
/* Map @len bytes of @fd read-write with @flags (MAP_SHARED, ...) at a
 * 2 MiB boundary, asking for huge pages if @pmd and forbidding them
 * otherwise. */
void *map_dax(int fd, uint64_t len, int flags, int pmd);
/* madvise() huge pages on (@pmd) or off for the mapping at @map. */
void advise_huge(volatile void *map, uint64_t len, int pmd);
/* MAP_SYNC mappings (older C libraries lack the flags). */
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif

/* --- random ---------------------------------------------------------- */
uint64_t xorshift64(uint64_t *state);
/* Fisher-Yates permutation of 0..n-1 from @seed. */
void permute(size_t *idx, size_t n, uint64_t seed);

/* --- arguments ------------------------------------------------------- */
uint64_t parse_size(const char *s);
long parse_long(const char *s, long min, long max, const char *what);
/* Index of @s in the NULL-terminated @names; dies "unknown WHAT 's'". */
int parse_choice(const char * const *names, const char *s, const char *what);

/*
 * The command line of a workload: long options only, each with a value,
 * described by a table of struct bench_opt ending with OPT_END.  A bad
 * value dies naming the option ("unknown map 'x'", "bad reps '0' (want
 * 1..1000)"); an unknown option, a missing required one or a word that is
 * no option prints the workload's usage text and exits with status 2.
 * Defaults are whatever the destinations hold before bench_parse().
 */
enum bench_arg {
	ARG_STR,	/* const char *: the value itself */
	ARG_SIZE,	/* uint64_t: parse_size() */
	ARG_INT,	/* int: parse_long() within [min, max] */
	ARG_U64,	/* uint64_t: parse_long() within [min, max] */
	ARG_CHOICE,	/* int: index of the value in choices */
	ARG_FUNC,	/* fn(dst, value) */
};

struct bench_opt {
	const char *name;
	enum bench_arg type;
	void *dst;
	int required;
	long min, max;			/* ARG_INT, ARG_U64 */
	const char *what;		/* ARG_INT, ARG_U64: name in errors */
	const char * const *choices;	/* ARG_CHOICE: NULL-terminated */
	void (*fn)(void *dst, char *value);	/* ARG_FUNC */
};

#define OPTS_MAX	16
#define REPS_MAX	1000

#define OPT_STR(n, p)		{ .name = (n), .type = ARG_STR, .dst = (p) }
#define OPT_SIZE(n, p)		{ .name = (n), .type = ARG_SIZE, .dst = (p) }
#define OPT_INT(n, p, lo, hi)						\
	{ .name = (n), .type = ARG_INT, .dst = (p), .min = (lo),	\
	  .max = (hi), .what = (n) }
#define OPT_U64(n, p, lo, hi, w)					\
	{ .name = (n), .type = ARG_U64, .dst = (p), .min = (lo),	\
	  .max = (hi), .what = (w) }
#define OPT_CHOICE(n, p, list)						\
	{ .name = (n), .type = ARG_CHOICE, .dst = (p), .choices = (list) }
#define OPT_FUNC(n, p, f)	{ .name = (n), .type = ARG_FUNC, .dst = (p), .fn = (f) }
#define OPT_END			{ .name = NULL }

/* The options most workloads share. */
extern const char * const map_names[];	/* pte, pmd: *p = 1 for pmd */
extern const char * const op_names[];	/* read, write: *p = 1 for write */
#define OPT_FILE(p)	{ .name = "file", .type = ARG_STR, .dst = (p), .required = 1 }
#define OPT_MAP(p)	OPT_CHOICE("map", (p), map_names)
#define OPT_OP(p)	OPT_CHOICE("op", (p), op_names)
#define OPT_REPS(p)	OPT_INT("reps", (p), 1, REPS_MAX)

void bench_parse(int argc, char **argv, const struct bench_opt *opts,
		 const char *usage);
/* Die unless @v is a non-zero multiple of @align (a multiple of 1 KiB):
 * "NAME must be a non-zero multiple of 2 MiB". */
void check_multiple(const char *name, uint64_t v, uint64_t align);

/* --- skipping a case ------------------------------------------------- */
/* Exit status of a workload whose case cannot run here (no fallocate,
 * no MAP_SYNC, one NUMA node, ...); the guest job turns it into a
 * @@DAXBENCH-SKIP line instead of a failure. */
#define EXIT_SKIP	77
__attribute__((noreturn, format(printf, 1, 2)))
void skip(const char *fmt, ...);

/* --- files ----------------------------------------------------------- */
/* Is @path a character device (device-dax)? */
int path_is_chardev(const char *path);
/* pwrite @len bytes of @byte at @off, in 1 MiB chunks. */
void file_fill(int fd, const char *path, uint64_t off, uint64_t len, int byte);
/* How a new file's blocks are laid out: data written (FILL_BYTE),
 * unwritten extents (fallocate), or one hole. */
enum file_layout { LAYOUT_WRITTEN, LAYOUT_FALLOC, LAYOUT_SPARSE };
extern const char * const layout_names[];	/* written, falloc, sparse */
#define FILL_BYTE	0xa5
/* Create @path anew (unlinking it first), @size bytes laid out as
 * @layout, fsync'd.  Skips the case if the filesystem has no fallocate. */
void file_create(const char *path, uint64_t size, enum file_layout layout);
/* Load (or store, if @write) one byte of every 4 KiB page of @map, in
 * order; returns the loaded bytes' sum so the loads are not dropped. */
uint64_t touch_range(volatile char *map, size_t len, int write);
/* touch_range() in one measured window: rows ns_per_page (per 4 KiB
 * page of @len) and the window's counters. */
void touch_measured(const struct tsv *t, int rep, volatile char *map,
		    uint64_t len, int write);
/* FIEMAP: number of extents of @fd and their total length in bytes.
 * Returns -1 if the filesystem has no FIEMAP. */
int file_extents(int fd, uint64_t *count, uint64_t *bytes);
/* Take every free block of @fd's filesystem into @fd: fallocate in
 * steps of FILL_STEP_MAX that halve on ENOSPC down to a page.  Returns
 * the bytes taken, or -1 if the filesystem has no fallocate. */
#define FILL_STEP_MAX	(64UL << 20)
int64_t fill_free_space(int fd);
/* Clear @fd's extent size hint (@path for the error): the guest sets
 * "extsize 2m" on the xfs root, which new files inherit and which makes
 * xfs look for 2 MiB runs instead of filling small holes. */
void clear_extsize_hint(int fd, const char *path);
/* @path anew (unlinked first), read-write, with no extent size hint;
 * -1 (errno ENOSPC) if no inode is left. */
int file_create_plain(const char *path);

/*
 * Free space cut into holes (lib/ballast.c): a ballast file in @dir takes
 * every free block, filler files what closing it gives back, then
 * @holes holes of @hole bytes are punched into it one block apart, so a
 * file written next lands in pieces of at most @hole bytes.  Meanwhile
 * the filesystem's reserve pools are empty (ext4 reserved_clusters, the
 * xfs reserve pool: the ballast would stop short of them, and the file
 * could land there in one piece).  Returns 0, or -1 (errno EOPNOTSUPP,
 * nothing left behind) if the filesystem has no fallocate.
 * ballast_remove() deletes the files and gives the pools back, reading
 * them again: 0, or -1 if a pool did not come back (said on stderr);
 * safe to call again, and from an atexit() handler.  Making twice
 * without removing is an error.
 */
struct ballast {
	char dir[PATH_MAX];
	int made;
	size_t fillers;			/* .ballast.0 .. .ballast.N-1 */
	char ext4_knob[PATH_MAX];	/* reserved_clusters, if emptied */
	long ext4_resv;
	int xfs_resv_set;
	uint64_t xfs_resv;
	int fd;				/* the ballast while punching, else -1 */
};
int ballast_make(struct ballast *b, const char *dir, uint64_t hole,
		 uint64_t holes);
int ballast_remove(struct ballast *b);

/* --- kernel memory and tunables -------------------------------------- */
/* active_objs x objsize of slab cache @name from /proc/slabinfo, in
 * bytes; -1 if the cache or the file is missing. */
int64_t slab_bytes(const char *name);
/* A /proc/meminfo field in bytes; -1 if missing. */
int64_t meminfo_bytes(const char *field);
/* Read and write a one-number file (sysfs, debugfs); read returns -1 if
 * the file is missing. */
int knob_read(const char *path, long *v);
void knob_write(const char *path, long v);
/* 1 if /proc/kallsyms names @sym, 0 if not, -1 if unreadable. */
int kallsyms_has(const char *sym);

#endif
