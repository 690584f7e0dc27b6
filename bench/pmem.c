// SPDX-License-Identifier: GPL-2.0
/*
 * pmem: a persistent log written as PMDK programs write one (libpmem
 * from Debian, linked statically; daxbench wrote none of it).
 *
 * Per repetition the log file (--size bytes) is created anew and
 * written with ordinary writes, then two windows, each a
 * pmem_map_file() of the whole file (libpmem asks for MAP_SYNC and says
 * whether it got it: is_pmem), --record byte records appended one after
 * another until the file is full, each made durable as the library
 * tells programs to (pmem_memcpy_persist() on pmem, else memcpy() and
 * pmem_msync()), and pmem_unmap():
 *
 *   phase=first    the first mapping of the new file's blocks;
 *   phase=again    the same file mapped again: its DAX entries exist.
 *
 * Rows per window: ops_per_s and ns_per_op (records), map_sync (1 if
 * libpmem mapped with MAP_SYNC: the flush path is the CPU's, not
 * msync) and the window's counters.
 */

#include "lib/bench.h"

#include <libpmem.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SIZE	(64UL << 20)
#define DEFAULT_RECORD	256
#define RECORD_MAX	(1 << 20)
#define DEFAULT_REPS	3

struct opts {
	const char *path;
	uint64_t size;
	int record, reps;
};

static const char usage[] =
	"usage: pmem --file PATH [--size N] [--record BYTES] [--reps N]\n";

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_INT("record", &o->record, 8, RECORD_MAX),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->record = DEFAULT_RECORD;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
	check_multiple("size", o->size, PMD_SIZE_2M);
}

/* One window: map, append records until the log is full, unmap. */
static void append_all(const struct opts *o, const struct tsv *t, int rep,
		       const char *rec)
{
	uint64_t off, n = o->size / (uint64_t)o->record;
	struct bench_window w;
	size_t len;
	int is_pmem;
	char *log;

	window_start(&w);
	log = pmem_map_file(o->path, 0, 0, 0, &len, &is_pmem);
	if (!log)
		die("pmem_map_file %s: %s", o->path, pmem_errormsg());
	if (len < o->size)
		die("pmem_map_file mapped %zu bytes, want %llu", len,
		    (unsigned long long)o->size);
	for (off = 0; off + (uint64_t)o->record <= o->size; off += (uint64_t)o->record) {
		if (is_pmem) {
			pmem_memcpy_persist(log + off, rec, (size_t)o->record);
		} else {
			memcpy(log + off, rec, (size_t)o->record);
			if (pmem_msync(log + off, (size_t)o->record))
				die_errno("pmem_msync");
		}
	}
	if (pmem_unmap(log, len))
		die_errno("pmem_unmap");
	window_stop(&w);
	window_emit_ops(t, rep, &w, n);
	tsv_row(t, "map_sync", "bool", rep, is_pmem);
}

int main(int argc, char **argv)
{
	struct tsv base, first, again;
	struct opts o;
	char *rec;
	int rep;

	bench_set_name("pmem");
	parse_opts(argc, argv, &o);
	if (path_is_chardev(o.path))
		skip("the log is a file; device-dax has none");
	rec = malloc((size_t)o.record);
	if (!rec)
		die("out of memory for a %d byte record", o.record);
	memset(rec, 0x5a, (size_t)o.record);
	tsv_init(&base, stdout, "pmem");
	tsv_case(&base, "record", "%d", o.record);
	tsv_case(&base, "size", "%lluM", (unsigned long long)(o.size >> 20));
	first = again = base;
	tsv_case(&first, "phase", "first");
	tsv_case(&again, "phase", "again");
	for (rep = 1; rep <= o.reps; rep++) {
		file_create(o.path, o.size, LAYOUT_WRITTEN);
		append_all(&o, &first, rep, rec);
		append_all(&o, &again, rep, rec);
	}
	free(rec);
	return 0;
}
