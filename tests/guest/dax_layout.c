// SPDX-License-Identifier: GPL-2.0
/*
 * dax_layout: the file's layout changes under a live DAX mapping --
 * truncate, punch hole, collapse range, insert range, zero range -- once
 * with the mapping idle and once while another thread keeps faulting it.
 * Afterwards the same mapping, a new mapping and read(2) must show the
 * new layout (zeros, shifted data) or SIGBUS beyond EOF, never old data.
 */
#include "gtest.h"

#include <pthread.h>

#define NPAGES		64
#define MAP_PAGES	96	/* room for insert range to grow the file */
#define FILE_LEN	(NPAGES * PAGE_SIZE_4K)
#define MAP_LEN		(MAP_PAGES * PAGE_SIZE_4K)
#define R_START		16	/* the range every operation works on */
#define R_PAGES		16
#define VAL_RANGE	250

enum op { OP_TRUNCATE, OP_PUNCH, OP_COLLAPSE, OP_INSERT, OP_ZERO, OP_COUNT };

static const char *const op_name[OP_COUNT] = {
	"truncate", "punch-hole", "collapse-range", "insert-range", "zero-range",
};

static const int op_mode[OP_COUNT] = {
	0, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, FALLOC_FL_COLLAPSE_RANGE,
	FALLOC_FL_INSERT_RANGE, FALLOC_FL_ZERO_RANGE,
};

/* Byte value of original page p: distinct, never zero. */
static unsigned char pv(size_t p)
{
	return (unsigned char)(1 + p % VAL_RANGE);
}

/* Expected value of page p after @op; -1: beyond EOF (SIGBUS). */
static int expect(int op, size_t p)
{
	switch (op) {
	case OP_TRUNCATE:
		return p < R_START ? pv(p) : -1;
	case OP_PUNCH:
	case OP_ZERO:
		if (p >= NPAGES)
			return -1;
		return p >= R_START && p < R_START + R_PAGES ? 0 : pv(p);
	case OP_COLLAPSE:
		if (p >= NPAGES - R_PAGES)
			return -1;
		return p < R_START ? pv(p) : pv(p + R_PAGES);
	case OP_INSERT:
		if (p >= NPAGES + R_PAGES)
			return -1;
		if (p < R_START)
			return pv(p);
		return p < R_START + R_PAGES ? 0 : pv(p - R_PAGES);
	}
	return -1;
}

struct racer {
	pthread_t tid;
	unsigned char *map;
	volatile int stop;
	unsigned long loops;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	unsigned char c;
	size_t p;

	while (!r->stop) {
		for (p = 0; p < NPAGES + R_PAGES; p++)
			probe_read(&c, r->map + p * PAGE_SIZE_4K, 1);
		r->loops++;
	}
	return NULL;
}

static size_t check_map(const unsigned char *m, int op, const char *what)
{
	static unsigned char page[PAGE_SIZE_4K];
	size_t p, i, bad = 0;
	int e, sig;

	for (p = 0; p < MAP_PAGES; p++) {
		e = expect(op, p);
		sig = probe_read(page, m + p * PAGE_SIZE_4K, PAGE_SIZE_4K);
		if (e < 0) {
			bad += sig != PROBE_SIGBUS;
			if (sig != PROBE_SIGBUS)
				ksft_print_msg("%s %s: page %zu beyond EOF did not SIGBUS\n", op_name[op], what, p);
			continue;
		}
		if (sig != PROBE_OK) {
			ksft_print_msg("%s %s: SIGBUS at page %zu inside the file\n", op_name[op], what, p);
			bad++;
			continue;
		}
		for (i = 0; i < PAGE_SIZE_4K; i++)
			if (page[i] != e) {
				ksft_print_msg("%s %s: page %zu holds %#x, want %#x\n", op_name[op], what, p, page[i], e);
				bad++;
				break;
			}
	}
	return bad;
}

static size_t check_read(int fd, int op)
{
	static unsigned char buf[MAP_LEN];
	size_t got, p, i, bad = 0, want = 0;
	int e;

	for (p = 0; p < MAP_PAGES; p++)
		if (expect(op, p) >= 0)
			want = (p + 1) * PAGE_SIZE_4K;
	got = gpread(fd, buf, MAP_LEN, 0);
	if (got != want) {
		ksft_print_msg("%s read(2): %zu bytes, want %zu\n", op_name[op], got, want);
		bad++;
	}
	for (p = 0; p < got / PAGE_SIZE_4K; p++) {
		e = expect(op, p);
		for (i = 0; i < PAGE_SIZE_4K; i++)
			if (buf[p * PAGE_SIZE_4K + i] != e) {
				ksft_print_msg("%s read(2): page %zu holds %#x, want %#x\n", op_name[op], p,
					       buf[p * PAGE_SIZE_4K + i], e);
				bad++;
				break;
			}
	}
	return bad;
}

static void one_case(const struct gopts *o, int op, int racing)
{
	static unsigned char page[PAGE_SIZE_4K];
	char name[GTEST_NAME_MAX], why[GTEST_MSG_MAX];
	struct racer r = { 0 };
	unsigned char *m, *m2;
	size_t p, bad = 0;
	int fd, rc;

	snprintf(name, sizeof(name), "%s-%s", op_name[op], racing ? "racing-faults" : "mapped");
	fd = gcreate(o, "layout");
	for (p = 0; p < NPAGES; p++) {
		memset(page, pv(p), PAGE_SIZE_4K);
		gpwrite(fd, page, PAGE_SIZE_4K, (off_t)(p * PAGE_SIZE_4K));
	}
	fsync(fd);
	m = gmap(fd, MAP_LEN, MAP_SHARED);
	for (p = 0; p < NPAGES; p++)	/* fault every page in */
		bad += m[p * PAGE_SIZE_4K] != pv(p);
	if (racing) {
		r.map = m;
		if (pthread_create(&r.tid, NULL, race, &r))
			die("pthread_create");
		while (!r.loops)
			sched_yield();
	}
	if (op == OP_TRUNCATE)
		rc = ftruncate(fd, R_START * PAGE_SIZE_4K);
	else
		rc = fallocate(fd, op_mode[op], R_START * PAGE_SIZE_4K, R_PAGES * PAGE_SIZE_4K);
	snprintf(why, sizeof(why), "%s: %s", op_name[op], strerror(errno));
	if (racing) {
		r.stop = 1;
		pthread_join(r.tid, NULL);
	}
	if (rc) {
		if (errno == EOPNOTSUPP && is_ext2(o)) {
			gtest_skip(name, "ext2 does not support this fallocate mode (EOPNOTSUPP)");
		} else {
			ksft_print_msg("%s\n", why);
			gtest_result(0, name);
		}
		goto out;
	}
	bad += check_map(m, op, "same mapping");
	m2 = gmap(fd, MAP_LEN, MAP_SHARED);
	bad += check_map(m2, op, "new mapping");
	munmap(m2, MAP_LEN);
	bad += check_read(fd, op);
	gtest_result(bad == 0, name);
out:
	munmap(m, MAP_LEN);
	close(fd);
	gremove(o, "layout");
}

int main(int argc, char **argv)
{
	struct gopts o;
	int op;

	bench_set_name("dax_layout");
	gopts_parse(&o, argc, argv);
	probe_install();
	ksft_print_header();
	ksft_set_plan(2 * OP_COUNT);
	for (op = 0; op < OP_COUNT; op++) {
		one_case(&o, op, 0);
		one_case(&o, op, 1);
	}
	return gtest_exit();
}
