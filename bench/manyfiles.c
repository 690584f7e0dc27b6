// SPDX-License-Identifier: GPL-2.0
/*
 * manyfiles: many files, each mapped once, as a static web server or a
 * build tool reads them: --files files of --filesize bytes (PATH.0,
 * PATH.1, ...) are written once; then per repetition, two windows, each
 * opening every file, mapping it, reading one byte of each 4 KiB page,
 * unmapping and closing it:
 *
 *   phase=first  right after the files were written anew (their DAX
 *                entries do not exist yet);
 *   phase=again  the same files once more (the entries exist).
 *
 * Rows per window: ops_per_s and ns_per_op (files), ns_per_page (per
 * 4 KiB page read) and the window's counters.
 */

#include "lib/bench.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEFAULT_FILES		256
#define DEFAULT_FILESIZE	(64UL << 10)
#define DEFAULT_REPS		3
#define PATH_LEN		4096

struct opts {
	const char *path;
	uint64_t files, filesize;
	int reps;
};

static const char usage[] =
	"usage: manyfiles --file PATH [--files N] [--filesize N] [--reps N]\n";

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_U64("files", &o->files, 1, 1000000, "files"),
		OPT_SIZE("filesize", &o->filesize),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->files = DEFAULT_FILES;
	o->filesize = DEFAULT_FILESIZE;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
	check_multiple("filesize", o->filesize, PAGE_SIZE_4K);
}

static void name_of(const struct opts *o, uint64_t i, char *p)
{
	if (snprintf(p, PATH_LEN, "%s.%llu", o->path, (unsigned long long)i) >= PATH_LEN)
		die("--file is too long");
}

static void write_all(const struct opts *o)
{
	char p[PATH_LEN];
	uint64_t i;

	for (i = 0; i < o->files; i++) {
		name_of(o, i, p);
		file_create(p, o->filesize, LAYOUT_WRITTEN);
	}
}

static void remove_all(const struct opts *o)
{
	char p[PATH_LEN];
	uint64_t i;

	for (i = 0; i < o->files; i++) {
		name_of(o, i, p);
		unlink(p);
	}
}

static void read_all(const struct opts *o, const struct tsv *t, int rep)
{
	uint64_t i, sum = 0, pages = o->files * (o->filesize / PAGE_SIZE_4K);
	struct bench_window w;
	char p[PATH_LEN];
	void *map;
	int fd;

	window_start(&w);
	for (i = 0; i < o->files; i++) {
		name_of(o, i, p);
		fd = open(p, O_RDONLY);
		if (fd < 0)
			die_errno("open %s", p);
		map = mmap(NULL, o->filesize, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			die_errno("mmap %s", p);
		sum += touch_range(map, o->filesize, 0);
		munmap(map, o->filesize);
		close(fd);
	}
	window_stop(&w);
	/* touch_range() sums the bytes as (signed) char */
	if (sum != pages * (uint64_t)(char)FILL_BYTE)
		die("the files read back wrong");
	window_emit_ops(t, rep, &w, o->files);
	tsv_row(t, "ns_per_page", "ns", rep, (double)w.ns / (double)pages);
}

int main(int argc, char **argv)
{
	struct tsv base, first, again;
	struct opts o;
	int rep;

	bench_set_name("manyfiles");
	parse_opts(argc, argv, &o);
	if (path_is_chardev(o.path))
		skip("many files need a filesystem; device-dax has none");
	tsv_init(&base, stdout, "manyfiles");
	tsv_case(&base, "files", "%llu", (unsigned long long)o.files);
	tsv_case(&base, "filesize", "%lluK", (unsigned long long)(o.filesize >> 10));
	first = again = base;
	tsv_case(&first, "phase", "first");
	tsv_case(&again, "phase", "again");
	for (rep = 1; rep <= o.reps; rep++) {
		write_all(&o);
		/* commit the writes' journal work now, not inside the window */
		sync();
		read_all(&o, &first, rep);
		sync();
		read_all(&o, &again, rep);
	}
	remove_all(&o);
	return 0;
}
