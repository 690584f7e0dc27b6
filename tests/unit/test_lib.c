// SPDX-License-Identifier: GPL-2.0
/* Unit tests for bench/lib: statistics, TSV rows, counters, arguments,
 * the option table, files and measured windows. */
#include "lib/bench.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void test_stats(void)
{
	double v[] = { 5, 1, 4, 2, 3 };
	double one[] = { 7 };
	struct stats st;

	stats_compute(v, 5, &st);
	ok(near(st.mean, 3) && near(st.p50, 3), "mean and median of 1..5");
	ok(near(st.min, 1) && near(st.max, 5), "min and max of 1..5");
	ok(fabs(st.stddev - 1.5811388300841898) < 1e-9, "sample stddev of 1..5");
	ok(near(st.p90, 4.6), "p90 interpolates between ranks (4.6)");
	stats_compute(one, 1, &st);
	ok(near(st.stddev, 0) && near(st.p99, 7), "one sample: no spread");
	stats_compute(NULL, 0, &st);
	ok(st.n == 0 && near(st.mean, 0), "no samples: zeroed stats");
}

static void test_sort(void)
{
	size_t n = 20000, i;
	double *v = malloc(n * sizeof(*v));
	int sorted = 1;
	double sum = 0, after = 0;

	if (!v)
		abort();
	srand(3);
	for (i = 0; i < n; i++) {
		v[i] = (double)(rand() % 1000);
		sum += v[i];
	}
	sort_doubles(v, n);
	for (i = 0; i < n; i++) {
		after += v[i];
		if (i && v[i - 1] > v[i])
			sorted = 0;
	}
	ok(sorted && near(sum, after), "sort_doubles: 20000 values with repeats, ascending, none lost");
	sort_doubles(v, 0);
	sort_doubles(v, 1);
	ok(1, "sort_doubles: 0 and 1 elements");
	free(v);
}

static void test_permute(void)
{
	size_t a[100], b[100], seen[100] = { 0 };
	int i, same = 1, perm = 1, moved = 0;

	permute(a, 100, 7);
	permute(b, 100, 7);
	for (i = 0; i < 100; i++) {
		same &= a[i] == b[i];
		if (a[i] >= 100 || seen[a[i]]++)
			perm = 0;
		moved += a[i] != (size_t)i;
	}
	ok(same, "permute is reproducible from its seed");
	ok(perm, "permute yields a permutation");
	ok(moved > 50, "permute moves most elements (%d of 100)", moved);
}

static void test_parse(void)
{
	ok(parse_size("4k") == 4096, "parse_size 4k");
	ok(parse_size("64M") == 64UL << 20, "parse_size 64M");
	ok(parse_size("1G") == 1UL << 30, "parse_size 1G");
	ok(parse_long("12", 1, 64, "x") == 12, "parse_long in range");
}

static void test_tsv(void)
{
	char buf[512] = { 0 };
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct tsv t;

	tsv_init(&t, f, "fault");
	tsv_case(&t, "map", "%s", "pte");
	tsv_case(&t, "threads", "%d", 2);
	tsv_row(&t, "ns_per_page", "ns", 3, 1234.5);
	tsv_row_u64(&t, "faults", "count", 3, 16384);
	fclose(f);
	ok(!strcmp(buf, "fault\tmap=pte,threads=2\tns_per_page\tns\t3\t1234.5\n"
			"fault\tmap=pte,threads=2\tfaults\tcount\t3\t16384\n"),
	   "TSV rows: workload, case, metric, unit, rep, value");
}

/*
 * Run @fn(@arg) in a child: its exit status (-1 if it did not exit),
 * its stderr into @err.  For the cases that must die.
 */
static int child_status(void (*fn)(const void *), const void *arg,
			char *err, size_t len)
{
	char path[] = "/tmp/daxbench-err-XXXXXX";
	int fd = mkstemp(path), status;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fd, STDERR_FILENO);
		fn(arg);
		exit(0);
	}
	waitpid(pid, &status, 0);
	n = pread(fd, err, len - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void read_counters(const void *unused)
{
	struct kcounters k;

	(void)unused;
	kcounters_read(&k);
}

static void test_kcounters(void)
{
	char path[] = "/tmp/daxbench-kc-XXXXXX";
	struct kcounters a, b, d;
	char buf[2048] = { 0 };
	FILE *f, *out;
	struct tsv t;
	int fd = mkstemp(path);

	f = fdopen(fd, "w");
	fprintf(f, "fault_pte 10\nfs_iomap_begin 10\ndirect_access 10\n");
	fclose(f);
	kcounters_dax_path = path;
	kcounters_read(&a);
	f = fopen(path, "w");
	fprintf(f, "fault_pte 30\nfs_iomap_begin 25\ndirect_access 12\n");
	fclose(f);
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	ok(a.have_dax && a.n == 3, "counters file parsed (%zu names)", a.n);
	ok(kcounters_get(&d, "fault_pte") == 20, "delta of fault_pte is 20");
	ok(kcounters_get(&d, "direct_access") == 2, "delta of direct_access is 2");
	ok(kcounters_get(&d, "missing") == 0, "unknown counter reads 0");
	d.faults = 20;
	out = fmemopen(buf, sizeof(buf), "w");
	tsv_init(&t, out, "w");
	kcounters_emit(&t, 1, &d, 40);
	fclose(out);
	ok(strstr(buf, "\tfs_calls\tcount\t1\t15\n") != NULL,
	   "fs_calls sums the filesystem mapping calls");
	ok(strstr(buf, "\tfaults_per_page\tratio\t1\t0.5\n") != NULL,
	   "faults_per_page = faults / pages");
	unlink(path);
	kcounters_dax_path = "/nonexistent/daxbench";
	kcounters_read(&a);
	ok(!a.have_dax && a.n == 0, "missing counters file: no DAX counters");
	/* more counters than KCOUNT_MAX: an error naming the limit, not a
	 * silent cut */
	strcpy(path, "/tmp/daxbench-kc-XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	for (int i = 0; i <= KCOUNT_MAX; i++)
		fprintf(f, "c%d %d\n", i, i);
	fclose(f);
	kcounters_dax_path = path;
	ok(child_status(read_counters, NULL, buf, sizeof(buf)) == 1 &&
	   strstr(buf, "more than 32 counters (at c32)") != NULL,
	   "a 33rd counter is an error naming KCOUNT_MAX");
	unlink(path);
	kcounters_dax_path = "/nonexistent/daxbench";
}

/* --- bench_parse ----------------------------------------------------- */
struct topts {
	const char *path;
	uint64_t size, seed;
	int reps, pmd, write, order, calls;
};

static const char test_usage[] = "usage: t --file PATH\n";
static const char * const order_names[] = { "seq", "rand", NULL };

static void count_call(void *dst, char *value)
{
	struct topts *o = dst;

	o->calls += value[0] == 'x';
}

#define TEST_ARGS	32
#define DEFAULT_TEST_SIZE	(8UL << 20)
#define DEFAULT_TEST_REPS	3

/* Parse the words of @line (the program name first) into @o. */
static void parse_line(struct topts *o, const char *line)
{
	static char buf[256];
	char *argv[TEST_ARGS + 1], *save = NULL, *w;
	int argc = 0;
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_MAP(&o->pmd),
		OPT_OP(&o->write),
		OPT_CHOICE("order", &o->order, order_names),
		OPT_REPS(&o->reps),
		OPT_U64("seed", &o->seed, 0, 99, "seed"),
		OPT_FUNC("call", o, count_call),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_TEST_SIZE;
	o->reps = DEFAULT_TEST_REPS;
	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < TEST_ARGS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	if (w) {
		printf("Bail out! more than %d words: %s\n", TEST_ARGS, line);
		exit(1);
	}
	argv[argc] = NULL;
	bench_parse(argc, argv, opts, test_usage);
}

static void parse_and_check(const void *line)
{
	struct topts o;

	parse_line(&o, line);
	check_multiple("size", o.size, PMD_SIZE_2M);
}

/* Run parse_line(@line) in a child: its exit status, its stderr in @err. */
static int parse_status(const char *line, char *err, size_t len)
{
	return child_status(parse_and_check, line, err, len);
}

static void test_bench_parse(void)
{
	struct topts o;
	char err[512];

	parse_line(&o, "t --file f");
	ok(!strcmp(o.path, "f") && o.size == DEFAULT_TEST_SIZE &&
	   o.reps == DEFAULT_TEST_REPS && !o.pmd && !o.write,
	   "bench_parse keeps the defaults of options not given");
	parse_line(&o, "t --size 4M --file=f --map pmd --op write --order rand "
		   "--reps 7 --seed 9 --call x --call x");
	ok(o.size == 4UL << 20 && o.pmd && o.write && o.order == 1 &&
	   o.reps == 7 && o.seed == 9 && o.calls == 2,
	   "bench_parse sets sizes, choices, numbers and calls functions");
	parse_line(&o, "t --fi f --si 2M --or rand");
	ok(!strcmp(o.path, "f") && o.size == 2UL << 20 && o.order == 1,
	   "bench_parse takes unambiguous abbreviations");
	ok(parse_status("t --file f --order back", err, sizeof(err)) == 1 &&
	   !strcmp(err, "bench: error: unknown order 'back'\n"),
	   "an unknown choice dies naming the option");
	ok(parse_status("t --file f --reps 0", err, sizeof(err)) == 1 &&
	   !strcmp(err, "bench: error: bad reps '0' (want 1..1000)\n"),
	   "a number out of range dies with the range");
	ok(parse_status("t --size 2M", err, sizeof(err)) == 2 &&
	   !strcmp(err, test_usage), "a missing --file prints the usage");
	ok(parse_status("t --file f word", err, sizeof(err)) == 2 &&
	   !strcmp(err, test_usage), "a stray word prints the usage");
	ok(parse_status("t --file f --nosuch 1", err, sizeof(err)) == 2 &&
	   strstr(err, test_usage), "an unknown option prints the usage");
	ok(parse_status("t --file f --o read", err, sizeof(err)) == 2 &&
	   strstr(err, "ambiguous"), "an ambiguous abbreviation is refused");
	ok(parse_status("t --file f --size", err, sizeof(err)) == 2 &&
	   strstr(err, test_usage), "an option without its value: usage");
	ok(parse_status("t --file f --size 3M", err, sizeof(err)) == 1 &&
	   !strcmp(err, "bench: error: size must be a non-zero multiple of 2 MiB\n"),
	   "check_multiple names the size in MiB");
	ok(parse_status("t --file f --size 2M", err, sizeof(err)) == 0,
	   "check_multiple takes a multiple");
}

/* --- files and measured windows -------------------------------------- */
#define TEST_FILE_SIZE	(4 * PAGE_SIZE_4K)

static void test_files(void)
{
	static const char first_row[] = "w\t-\tns_per_page\tns\t2\t";
	char path[] = "/tmp/daxbench-file-XXXXXX";
	static char map[TEST_FILE_SIZE];
	char buf[2048] = { 0 };
	unsigned char first = 0;
	struct stat st;
	struct tsv t;
	FILE *out;
	int fd = mkstemp(path);

	close(fd);
	file_create(path, TEST_FILE_SIZE, LAYOUT_WRITTEN);
	fd = open(path, O_RDONLY);
	ok(fd >= 0 && !fstat(fd, &st) && st.st_size == TEST_FILE_SIZE &&
	   pread(fd, &first, 1, TEST_FILE_SIZE - 1) == 1 && first == FILL_BYTE,
	   "file_create written: the size, filled with FILL_BYTE");
	close(fd);
	file_create(path, TEST_FILE_SIZE, LAYOUT_SPARSE);
	ok(!stat(path, &st) && st.st_size == TEST_FILE_SIZE && st.st_blocks == 0,
	   "file_create sparse: the size, no blocks");
	unlink(path);

	kcounters_dax_path = "/nonexistent/daxbench";
	out = fmemopen(buf, sizeof(buf), "w");
	tsv_init(&t, out, "w");
	touch_measured(&t, 2, map, TEST_FILE_SIZE, 1);
	fclose(out);
	ok(!strncmp(buf, first_row, strlen(first_row)) &&
	   strstr(buf, "\nw\t-\tfaults\tcount\t2\t") &&
	   strstr(buf, "\tfaults_per_page\tratio\t2\t"),
	   "touch_measured: ns_per_page, then the window's counters");
}

int main(void)
{
	test_stats();
	test_sort();
	test_permute();
	test_parse();
	test_bench_parse();
	test_tsv();
	test_kcounters();
	test_files();
	return tap_done();
}
