// SPDX-License-Identifier: GPL-2.0
/* Unit tests for bench/lib: statistics, TSV rows, counters, arguments. */
#include "lib/bench.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

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
	tsv_case(&t, "thr", "%d", 2);
	tsv_row(&t, "ns_per_page", "ns", 3, 1234.5);
	tsv_row_u64(&t, "faults", "count", 3, 16384);
	fclose(f);
	ok(!strcmp(buf, "fault\tmap=pte,thr=2\tns_per_page\tns\t3\t1234.5\n"
			"fault\tmap=pte,thr=2\tfaults\tcount\t3\t16384\n"),
	   "TSV rows: workload, case, metric, unit, rep, value");
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
}

int main(void)
{
	test_stats();
	test_permute();
	test_parse();
	test_tsv();
	test_kcounters();
	return tap_done();
}
