// SPDX-License-Identifier: GPL-2.0
/*
 * dax_inject: what a DAX fault does when the filesystem's ->populate_pfns
 * does not describe the faulting page (a filesystem bug), injected with
 * the pfn series' test knob debugfs dax/test_populate_skip: the next fault
 * that asks the filesystem loses the answer for its own page.
 *
 * Every case faults a page of a freshly written file (so the fault is a
 * miss and asks the filesystem) with the knob at 1 and expects SIGBUS: a
 * page nobody described must not read as a hole.  Read, MAP_PRIVATE
 * copy-on-write and write faults each get a case; one more checks that
 * the failed read fault left nothing behind, so the page reads its data
 * as soon as the filesystem answers again.  A PMD fault instead falls
 * back to PTEs, and the PTE fault, asking again, reads the data (ext4;
 * ext2 has no PMD faults).  The knob must be used up by each case (else
 * the fault never asked the filesystem, and the case proves nothing).
 * Three more check the lockless read and write hits of the pfn series with
 * their knobs dax/lockless_hit and dax/test_lockless_recheck (see
 * case_lockless()).
 * Kernels without the knobs (no ->populate_pfns) skip.
 *
 * The injected drop is logged by the kernel with pr_info(); a real one
 * would be a WARNING, which the harness counts as a failure.
 */
#include "gtest.h"

#define KNOB		"/sys/kernel/debug/dax/test_populate_skip"
#define FILE_PAGES	4
#define FILE_LEN	(FILE_PAGES * PAGE_SIZE_4K)
#define FAULT_PAGE	1
#define FILE_BYTE	0x5a
#define NEW_BYTE	0xc3
#define NCASES		8
#define LOCKLESS_KNOB	"/sys/kernel/debug/dax/lockless_hit"
#define RECHECK_KNOB	"/sys/kernel/debug/dax/test_lockless_recheck"

static unsigned char buf[FILE_LEN];
static int knob_set;
static long lockless_was = -1;	/* dax/lockless_hit to restore, or -1 */

/* At exit too, so a test that dies leaves the knobs as it found them. */
static void knob_restore(void)
{
	if (knob_set)
		knob_write(KNOB, 0);
	if (lockless_was >= 0) {
		knob_write(RECHECK_KNOB, 0);
		knob_write(LOCKLESS_KNOB, lockless_was);
		lockless_was = -1;
	}
}

/* Bytes of mapping @map that do not read FILE_BYTE; all of them if a read
 * faults (SIGBUS) instead. */
static size_t mapped_bad(const unsigned char *map)
{
	if (probe_read(buf, map, FILE_LEN) != PROBE_OK)
		return FILE_LEN;
	return count_not(buf, FILE_LEN, FILE_BYTE);
}

/* A FILE_LEN file of FILE_BYTE, written with pwrite: no page faulted. */
static int make_written(const struct gopts *o)
{
	int fd = gcreate(o, "inject");

	memset(buf, FILE_BYTE, FILE_LEN);
	gpwrite(fd, buf, FILE_LEN, 0);
	if (fsync(fd))
		die_errno("fsync");
	return fd;
}

/* Arm the knob for one dropped answer. */
static void knob_arm(void)
{
	knob_set = 1;
	knob_write(KNOB, 1);
}

/* Was the armed drop used?  Disarms the knob either way. */
static int knob_used(const char *what)
{
	long left = -1;

	if (knob_read(KNOB, &left))
		die("%s: cannot read %s", what, KNOB);
	if (left) {
		ksft_print_msg("%s: %s still %ld: the fault never asked ->populate_pfns\n",
			       what, KNOB, left);
		knob_write(KNOB, 0);
	}
	knob_set = 0;
	return left == 0;
}

/* Fault page FAULT_PAGE of @p with the knob armed: read (@write 0) or
 * write (1).  Returns 1 if the fault got SIGBUS and used the knob. */
static int injected_sigbus(unsigned char *p, int write, const char *what)
{
	unsigned char *page = p + FAULT_PAGE * PAGE_SIZE_4K;
	int r, used;

	knob_arm();
	if (write)
		r = probe_write(page, NEW_BYTE, PAGE_SIZE_4K);
	else
		r = probe_read(buf, page, PAGE_SIZE_4K);
	used = knob_used(what);
	if (r == PROBE_OK && write) {
		ksft_print_msg("%s: the write fault succeeded\n", what);
	} else if (r == PROBE_OK) {
		size_t zero = PAGE_SIZE_4K - count_not(buf, PAGE_SIZE_4K, 0);

		ksft_print_msg("%s: no SIGBUS; the page read %zu zero bytes, %zu bytes of data\n",
			       what, zero,
			       PAGE_SIZE_4K - count_not(buf, PAGE_SIZE_4K, FILE_BYTE));
	}
	return used && r == PROBE_SIGBUS;
}

/* Shared read fault: SIGBUS, then (knob spent) the data, through the
 * same mapping, a new one and read(2). */
static void case_read(const struct gopts *o)
{
	int fd = make_written(o);
	unsigned char *p = gmap(fd, FILE_LEN, MAP_SHARED), *q;
	size_t bad_old = 0, bad_new = 0, bad_read;

	gtest_result(injected_sigbus(p, 0, "read"), "undescribed-read-fault-sigbus");

	bad_old = mapped_bad(p);
	q = gmap(fd, FILE_LEN, MAP_SHARED);
	bad_new = mapped_bad(q);
	munmap(q, FILE_LEN);
	memset(buf, 0, FILE_LEN);
	gpread(fd, buf, FILE_LEN, 0);
	bad_read = count_not(buf, FILE_LEN, FILE_BYTE);
	if (bad_old || bad_new || bad_read)
		ksft_print_msg("after the failed fault, wrong bytes: same mapping %zu, new mapping %zu, read(2) %zu\n",
			       bad_old, bad_new, bad_read);
	gtest_result(!bad_old && !bad_new && !bad_read,
		     "read-after-undescribed-fault-reads-data");
	munmap(p, FILE_LEN);
	close(fd);
}

/* MAP_PRIVATE write to a page never faulted: the copy-on-write fault
 * asks the filesystem for the page to copy. */
static void case_cow(const struct gopts *o)
{
	int fd = make_written(o);
	unsigned char *p = gmap(fd, FILE_LEN, MAP_PRIVATE);

	gtest_result(injected_sigbus(p, 1, "cow"), "undescribed-cow-fault-sigbus");
	munmap(p, FILE_LEN);
	gpread(fd, buf, FILE_LEN, 0);
	if (count_not(buf, FILE_LEN, FILE_BYTE))
		ksft_print_msg("cow: the file changed\n");
	close(fd);
}

/* Shared write fault on written blocks. */
static void case_write(const struct gopts *o)
{
	int fd = make_written(o);
	unsigned char *p = gmap(fd, FILE_LEN, MAP_SHARED);

	gtest_result(injected_sigbus(p, 1, "write"), "undescribed-write-fault-sigbus");
	munmap(p, FILE_LEN);
	close(fd);
}

/* A 2 MiB aligned mapping of a 2 MiB file: the first read tries a PMD
 * fault, which loses the answer, falls back, and the PTE fault that
 * follows (knob spent) maps the data.  No SIGBUS. */
static void case_pmd(const struct gopts *o)
{
	const char *name = "undescribed-pmd-fault-falls-back";
	struct kcounters a, b, d;
	uint64_t pmd, fallback;
	unsigned char *m;
	size_t off, bad;
	int fd, r, used;

	if (is_ext2(o)) {
		gtest_skip(name, "ext2 DAX has no huge (PMD) fault handler");
		return;
	}
	fd = gcreate(o, "inject-pmd");
	/* one allocation: an aligned extent if the allocator can */
	if (fallocate(fd, 0, 0, PMD_SIZE_2M) && errno != EOPNOTSUPP)
		die_errno("fallocate");
	memset(buf, FILE_BYTE, FILE_LEN);
	for (off = 0; off < PMD_SIZE_2M; off += FILE_LEN)
		gpwrite(fd, buf, FILE_LEN, (off_t)off);
	if (fsync(fd))
		die_errno("fsync");
	m = mmap_aligned(fd, PMD_SIZE_2M, PROT_READ | PROT_WRITE, MAP_SHARED,
			 PMD_SIZE_2M);
	kcounters_read(&a);
	knob_arm();
	r = probe_read(buf, m, PAGE_SIZE_4K);
	used = knob_used(name);
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	pmd = kcounters_get(&d, "fault_pmd");
	fallback = kcounters_get(&d, "fault_pmd_fallback");
	bad = r == PROBE_OK ? count_not(buf, PAGE_SIZE_4K, FILE_BYTE) : PAGE_SIZE_4K;
	ksft_print_msg("%s: %s, fault_pmd +%llu, fault_pmd_fallback +%llu, %zu bytes wrong\n",
		       name, r == PROBE_OK ? "no SIGBUS" : "SIGBUS",
		       (unsigned long long)pmd, (unsigned long long)fallback, bad);
	if (!pmd)
		gtest_skip(name, "no PMD fault was tried (transparent huge pages off?)");
	else
		gtest_result(used && r == PROBE_OK && !bad && fallback >= 1, name);
	munmap(m, PMD_SIZE_2M);
	close(fd);
	gremove(o, "inject-pmd");
}

/*
 * The lockless hits (pfn v5 reads, v6 writes): a PTE fault on a populated
 * page, with its page table present (MADV_DONTNEED keeps it), maps the pfn
 * without the entry lock; a read checks the entry again after mapping it,
 * a write before, under the page table lock.  With
 * dax/test_lockless_recheck at N the next N checks find the entry changed,
 * so a read zaps its PTE and a write maps nothing, and each takes the
 * locked path: the page must still read its data (a write: the new
 * bytes, and fsync must flush every page, so the locked path tagged them
 * dirty), from a hit, without asking the filesystem, and the knob must be
 * used up (else no fault took the lockless path).  With dax/lockless_hit
 * at 0 no fault may take it: the knob stays armed.
 */
static void case_lockless(const struct gopts *o, int on, int write)
{
	const char *name = !on ? "lockless-hit-off-takes-entry-lock" :
			   write ? "lockless-write-hit-recheck-locked-path" :
				   "lockless-read-hit-recheck-undo";
	struct kcounters a, b, c, d;
	uint64_t hit, miss, map, flushed = FILE_PAGES;
	long left = -1, was = -1;
	size_t bad;
	int fd;
	unsigned char *p;

	if (knob_read(LOCKLESS_KNOB, &was)) {
		gtest_skip(name, "no debugfs dax/lockless_hit: this kernel has no lockless hit");
		return;
	}
	fd = make_written(o);
	p = gmap(fd, FILE_LEN, MAP_SHARED);
	bad = mapped_bad(p);		/* first touch: populate, table */
	if (madvise(p, FILE_LEN, MADV_DONTNEED))
		die_errno("madvise");
	lockless_was = was;
	knob_write(LOCKLESS_KNOB, on);
	knob_write(RECHECK_KNOB, FILE_PAGES);
	kcounters_read(&a);
	if (!write) {
		bad += mapped_bad(p);
	} else if (probe_write(p, NEW_BYTE, FILE_LEN) != PROBE_OK) {
		ksft_print_msg("%s: the write faults failed\n", name);
		bad += FILE_LEN;
	}
	kcounters_read(&b);
	if (knob_read(RECHECK_KNOB, &left))
		die("%s: cannot read %s", name, RECHECK_KNOB);
	knob_restore();
	if (write) {
		if (fsync(fd))
			die_errno("fsync");
		kcounters_read(&c);
		kcounters_delta(&b, &c, &d);
		flushed = kcounters_get(&d, "writeback_pages");
		gpread(fd, buf, FILE_LEN, 0);
		bad += count_not(buf, FILE_LEN, NEW_BYTE);
	}
	kcounters_delta(&a, &b, &d);
	hit = kcounters_get(&d, "pfn_hit");
	miss = kcounters_get(&d, "pfn_miss");
	map = kcounters_get(&d, "map_pte");
	ksft_print_msg("%s: %s left %ld of %d, pfn_hit +%llu, pfn_miss +%llu, map_pte +%llu, %zu bytes wrong\n",
		       name, RECHECK_KNOB, left, FILE_PAGES, (unsigned long long)hit,
		       (unsigned long long)miss, (unsigned long long)map, bad);
	if (write)
		ksft_print_msg("%s: fsync flushed %llu pages\n", name,
			       (unsigned long long)flushed);
	gtest_result(!bad && left == (on ? 0 : FILE_PAGES) && hit == FILE_PAGES &&
		     !miss && map == FILE_PAGES && flushed == FILE_PAGES, name);
	munmap(p, FILE_LEN);
	close(fd);
}

int main(int argc, char **argv)
{
	static const char *const names[NCASES] = {
		"undescribed-read-fault-sigbus",
		"read-after-undescribed-fault-reads-data",
		"undescribed-cow-fault-sigbus",
		"undescribed-write-fault-sigbus",
		"undescribed-pmd-fault-falls-back",
		"lockless-read-hit-recheck-undo",
		"lockless-write-hit-recheck-locked-path",
		"lockless-hit-off-takes-entry-lock",
	};
	struct gopts o;
	long v;
	int i;

	gopts_parse(&o, argc, argv);
	ksft_print_header();
	ksft_set_plan(NCASES);
	if (knob_read(KNOB, &v)) {
		for (i = 0; i < NCASES; i++)
			gtest_skip(names[i], "no debugfs dax/test_populate_skip: this kernel has no ->populate_pfns fault path");
		return 0;
	}
	if (v)
		die("%s is %ld before the test, not 0", KNOB, v);
	atexit(knob_restore);
	probe_install();
	case_read(&o);
	case_cow(&o);
	case_write(&o);
	case_pmd(&o);
	case_lockless(&o, 1, 0);
	case_lockless(&o, 1, 1);
	case_lockless(&o, 0, 0);
	gremove(&o, "inject");
	return gtest_exit();
}
