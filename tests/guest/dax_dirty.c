// SPDX-License-Identifier: GPL-2.0
/*
 * dax_dirty: dirty pages survive a cut into their 2 MiB, and writeback
 * flushes what was dirtied, no more.
 *
 * Each case reads the first page of a written 4 MiB file through a shared
 * mapping (a first touch: the pfn series populates ahead of it), writes
 * every page of the second 2 MiB, cuts into that 2 MiB (ftruncate to
 * 3 MiB, or FALLOC_FL_ZERO_RANGE of [2.5 MiB, 3 MiB)), fsyncs, and adds
 * up the pages that reached media meanwhile: dax/stats writeback_pages
 * (fsync) plus truncate_flush_pages (flushed by truncation itself).
 *
 * One more writes a single page and fsyncs: exactly one page is flushed.
 * Two more write the 2 MiB again after the fsync made it clean, through
 * the write-protected PTEs it left (pfn_mkwrite) or, after MADV_DONTNEED,
 * through new ones, and fsync: all of it must be flushed again.  A fault
 * that maps a cached pfn writable without tagging its entry dirty (the
 * lockless write hit of the pfn series, should it forget) fails them.
 * One more races write re-faults with fsync in a loop, then writes every
 * page once more and fsyncs: all of them must be flushed, so no fault
 * left a writable PTE on an entry writeback had cleaned (stores through
 * it would fault no more, tag nothing, and be flushed by no fsync).
 *
 *   pte-*: the mapping forbids huge pages, so only PTEs map it.  Every
 *	surviving dirty page must be flushed, and no more than was dirtied:
 *	a mapping that dirties 4 KiB pages flushes 4 KiB pages (as on the
 *	iomap path, which inserts PTE entries for PTE faults).  The pfn
 *	series' populate used to store PMD entries ahead of PTE faults (with
 *	a populate window of 512 pages or more): one write dirtied
 *	2 MiB, and a cut dropped the dirty tag of the pages that stayed.
 *	Run with dax/populate_window at its default and at 0 (whole
 *	extent), where the pfn series has the knob.
 *   pmd-*: 2 MiB aligned and huge pages allowed (ext4; ext2 has no PMD
 *	faults): one PMD entry, dirtied by PMD write faults.  The cut
 *	removes it whole; every surviving page must still be flushed.  On
 *	the 6.1 base that flush was lost on every variant.
 */
#include "gtest.h"

#include <pthread.h>

#define WINDOW		"/sys/kernel/debug/dax/populate_window"
#define FILE_LEN	(2 * PMD_SIZE_2M)
#define DIRTY_PAGES	(PMD_SIZE_2M / PAGE_SIZE_4K)
/* the dirtied 2 MiB is the second: a fault in the first populates it */
#define DIRTY_OFF	PMD_SIZE_2M
#define TRUNC_TO	(DIRTY_OFF + PMD_SIZE_2M / 2)
#define ZERO_OFF	(DIRTY_OFF + PMD_SIZE_2M / 4)
#define ZERO_LEN	(PMD_SIZE_2M / 4)
#define ONE_PAGE	7
#define NCASES		11
/* write passes over the dirtied 2 MiB while another thread fsyncs */
#define RACE_PASSES	40
#define RACE_DROP	64	/* MADV_DONTNEED every RACE_DROP pages */

#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE	0x10
#endif

/* CUT_NONE: no cut, one page dirtied (at ONE_PAGE) instead of 2 MiB */
enum cut { CUT_TRUNCATE, CUT_ZERO_RANGE, CUT_NONE };

static unsigned char buf[64 * 1024];
static long window_saved = -1;

static void window_restore(void)
{
	if (window_saved >= 0)
		knob_write(WINDOW, window_saved);
}

/* A written, fsynced FILE_LEN file: blocks allocated, no page faulted. */
static int make_file(const struct gopts *o)
{
	int fd = gcreate(o, "dirty");
	size_t off;

	/* one allocation: an aligned extent if the allocator can (PMD cases) */
	if (fallocate(fd, 0, 0, FILE_LEN) && errno != EOPNOTSUPP)
		die_errno("fallocate");
	memset(buf, 0x11, sizeof(buf));
	for (off = 0; off < FILE_LEN; off += sizeof(buf))
		gpwrite(fd, buf, sizeof(buf), (off_t)off);
	if (fsync(fd))
		die_errno("fsync");
	return fd;
}

/* Dirty every page of the first 2 MiB, cut into it, fsync; returns the
 * pages flushed meanwhile, or -1 (and a skip) if the cut is unsupported.
 * *@map_pmd gets the PMD mappings made by the writes. */
static long dirty_cut_fsync(const struct gopts *o, int pmd, enum cut cut,
			    long *survivors, uint64_t *map_pmd)
{
	struct kcounters a, b, c, d;
	volatile unsigned char *m;
	int fd = make_file(o);
	size_t i;
	long flushed;

	m = map_dax(fd, FILE_LEN, MAP_SHARED, pmd);
	/* read fault in the first 2 MiB: may populate the second one */
	(void)m[0];
	kcounters_read(&a);
	if (cut == CUT_NONE)
		m[DIRTY_OFF + ONE_PAGE * PAGE_SIZE_4K] = 0xa5;
	else
		for (i = 0; i < DIRTY_PAGES; i++)
			m[DIRTY_OFF + i * PAGE_SIZE_4K] = 0xa5;
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	*map_pmd = kcounters_get(&d, "map_pmd");
	if (cut == CUT_NONE) {
		*survivors = 1;
	} else if (cut == CUT_TRUNCATE) {
		if (ftruncate(fd, TRUNC_TO))
			die_errno("ftruncate");
		*survivors = (TRUNC_TO - DIRTY_OFF) / PAGE_SIZE_4K;
	} else {
		if (fallocate(fd, FALLOC_FL_ZERO_RANGE, ZERO_OFF, ZERO_LEN)) {
			if (errno != EOPNOTSUPP)
				die_errno("fallocate(ZERO_RANGE)");
			munmap((void *)m, FILE_LEN);
			close(fd);
			gremove(o, "dirty");
			return -1;
		}
		*survivors = DIRTY_PAGES - ZERO_LEN / PAGE_SIZE_4K;
	}
	if (fsync(fd))
		die_errno("fsync");
	kcounters_read(&c);
	kcounters_delta(&b, &c, &d);
	if (kcounters_has(&d, "writeback_pages"))
		flushed = (long)(kcounters_get(&d, "writeback_pages") +
				 kcounters_get(&d, "truncate_flush_pages"));
	else	/* a kernel before the counters: entries times this mapping's size */
		flushed = (long)kcounters_get(&d, "writeback") *
			  (pmd ? (long)DIRTY_PAGES : 1);
	munmap((void *)m, FILE_LEN);
	close(fd);
	gremove(o, "dirty");
	return flushed;
}

/* Pages an fsync of a PTE-only mapping flushed, from the counter deltas @d
 * (entries on a kernel before dax/stats writeback_pages: 4 KiB each). */
static long fsync_flushed(const struct kcounters *d)
{
	if (kcounters_has(d, "writeback_pages"))
		return (long)kcounters_get(d, "writeback_pages");
	return (long)kcounters_get(d, "writeback");
}

/*
 * Write every page of the second 2 MiB of a PTE-only mapping, fsync, (if
 * , drop the PTEs), write it all again and fsync: the pages the
 * second fsync flushed.
 */
static long rewrite_fsync(const struct gopts *o, int dontneed)
{
	struct kcounters a, b, d;
	volatile unsigned char *m;
	int fd = make_file(o);
	size_t i;

	m = map_dax(fd, FILE_LEN, MAP_SHARED, 0);
	(void)m[0];
	for (i = 0; i < DIRTY_PAGES; i++)
		m[DIRTY_OFF + i * PAGE_SIZE_4K] = 0xa5;
	if (fsync(fd))
		die_errno("fsync");
	if (dontneed && madvise((void *)(m + DIRTY_OFF), PMD_SIZE_2M,
				MADV_DONTNEED))
		die_errno("madvise");
	kcounters_read(&a);
	for (i = 0; i < DIRTY_PAGES; i++)
		m[DIRTY_OFF + i * PAGE_SIZE_4K] = 0x5a;
	if (fsync(fd))
		die_errno("fsync");
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	munmap((void *)m, FILE_LEN);
	close(fd);
	gremove(o, "dirty");
	return fsync_flushed(&d);
}

struct fsync_loop {
	int fd;
	int stop;
	unsigned long fsyncs;
};

static void *fsync_main(void *arg)
{
	struct fsync_loop *l = arg;

	while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
		if (fsync(l->fd))
			die_errno("fsync");
		l->fsyncs++;
	}
	return NULL;
}

/*
 * RACE_PASSES writes of every page of the second 2 MiB (PTEs dropped every
 * RACE_DROP pages, so most writes fault) against an fsync loop, then one
 * more write of every page and an fsync: the pages that fsync flushed.
 */
static long race_fsync(const struct gopts *o, unsigned long *fsyncs,
		       unsigned long *raced)
{
	struct fsync_loop l = { .fd = make_file(o) };
	volatile unsigned char *m = map_dax(l.fd, FILE_LEN, MAP_SHARED, 0);
	struct kcounters a, b, d;
	pthread_t t;
	size_t i, pass;
	long flushed;

	(void)m[0];
	kcounters_read(&a);
	if (pthread_create(&t, NULL, fsync_main, &l))
		die("pthread_create");
	for (pass = 0; pass < RACE_PASSES; pass++) {
		for (i = 0; i < DIRTY_PAGES; i++) {
			m[DIRTY_OFF + i * PAGE_SIZE_4K] = (unsigned char)pass;
			if (i % RACE_DROP == RACE_DROP - 1 &&
			    madvise((void *)(m + DIRTY_OFF +
					     (i + 1 - RACE_DROP) * PAGE_SIZE_4K),
				    RACE_DROP * PAGE_SIZE_4K, MADV_DONTNEED))
				die_errno("madvise");
		}
	}
	__atomic_store_n(&l.stop, 1, __ATOMIC_RELEASE);
	if (pthread_join(t, NULL))
		die("pthread_join");
	*fsyncs = l.fsyncs;
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	*raced = (unsigned long)kcounters_get(&d, "writeback");
	/* every tagged entry clean and write-protected */
	if (fsync(l.fd))
		die_errno("fsync");
	kcounters_read(&a);
	for (i = 0; i < DIRTY_PAGES; i++)
		m[DIRTY_OFF + i * PAGE_SIZE_4K] = 0x77;
	if (fsync(l.fd))
		die_errno("fsync");
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	flushed = fsync_flushed(&d);
	munmap((void *)m, FILE_LEN);
	close(l.fd);
	gremove(o, "dirty");
	return flushed;
}

static void race_case(const struct gopts *o, const char *name)
{
	unsigned long fsyncs = 0, raced = 0;
	long flushed = race_fsync(o, &fsyncs, &raced);

	ksft_print_msg("%s: %d write passes against %lu fsyncs, which wrote back %lu entries; then %ld pages written, %ld flushed\n",
		       name, RACE_PASSES, fsyncs, raced, (long)DIRTY_PAGES, flushed);
	gtest_result(flushed == (long)DIRTY_PAGES && fsyncs > 0, name);
}

static void rewrite_case(const struct gopts *o, const char *name, int dontneed)
{
	long flushed = rewrite_fsync(o, dontneed);

	ksft_print_msg("%s: %ld pages written again, %ld pages flushed\n", name,
		       (long)DIRTY_PAGES, flushed);
	gtest_result(flushed == (long)DIRTY_PAGES, name);
}

static void run_case(const struct gopts *o, const char *name, int pmd,
		     enum cut cut)
{
	long survivors = 0, flushed;
	uint64_t map_pmd = 0;

	if (pmd && is_ext2(o)) {
		gtest_skip(name, "ext2 DAX has no huge (PMD) fault handler");
		return;
	}
	flushed = dirty_cut_fsync(o, pmd, cut, &survivors, &map_pmd);
	if (flushed < 0) {
		gtest_skip(name, "the filesystem has no FALLOC_FL_ZERO_RANGE");
		return;
	}
	ksft_print_msg("%s: %ld dirty pages stay in the file, %ld pages flushed, map_pmd +%llu\n",
		       name, survivors, flushed, (unsigned long long)map_pmd);
	if (pmd && !map_pmd) {
		gtest_skip(name, "the writes were not mapped with a PMD (no aligned extent?)");
		return;
	}
	if (!pmd && map_pmd) {
		ksft_print_msg("%s: a mapping without huge pages got a PMD\n", name);
		gtest_result(0, name);
		return;
	}
	/*
	 * Every surviving dirty page, and for PTE mappings no more than was
	 * dirtied (a filesystem may write back the cut part first, as xfs
	 * does); a PMD entry is flushed whole, 2 MiB for any cut into it.
	 */
	gtest_result(flushed >= survivors &&
		     (pmd || flushed <= (cut == CUT_NONE ? 1 : (long)DIRTY_PAGES)),
		     name);
}

int main(int argc, char **argv)
{
	static const char *const w0[3] = {
		"pte-one-dirty-page-window-0",
		"pte-truncate-window-0",
		"pte-zero-range-window-0",
	};
	int i;
	struct gopts o;
	struct kcounters k;
	long w;

	gopts_parse(&o, argc, argv);
	ksft_print_header();
	ksft_set_plan(NCASES);
	kcounters_read(&k);
	if (!kcounters_has(&k, "writeback"))
		die("dax/stats has no writeback counter: kernel without patches/common");
	if (!kcounters_has(&k, "writeback_pages"))
		ksft_print_msg("no dax/stats writeback_pages: pages are counted as writeback entries times the mapping's page size\n");
	probe_install();
	run_case(&o, "pte-one-dirty-page-flushes-one-page", 0, CUT_NONE);
	run_case(&o, "pte-truncate-flushes-surviving-dirty-pages", 0, CUT_TRUNCATE);
	run_case(&o, "pte-zero-range-flushes-surviving-dirty-pages", 0, CUT_ZERO_RANGE);
	rewrite_case(&o, "pte-rewrite-after-fsync-flushes-again", 0);
	rewrite_case(&o, "pte-refault-write-after-fsync-flushes-again", 1);
	race_case(&o, "pte-write-refaults-racing-fsync-then-all-flushed");
	if (knob_read(WINDOW, &w)) {
		for (i = 0; i < 3; i++)
			gtest_skip(w0[i], "no debugfs dax/populate_window: no ->populate_pfns fault path");
	} else {
		window_saved = w;
		atexit(window_restore);
		knob_write(WINDOW, 0);
		run_case(&o, w0[0], 0, CUT_NONE);
		run_case(&o, w0[1], 0, CUT_TRUNCATE);
		run_case(&o, w0[2], 0, CUT_ZERO_RANGE);
		knob_write(WINDOW, w);
	}
	run_case(&o, "pmd-truncate-flushes-surviving-dirty-pages", 1, CUT_TRUNCATE);
	run_case(&o, "pmd-zero-range-flushes-surviving-dirty-pages", 1, CUT_ZERO_RANGE);
	return gtest_exit();
}
