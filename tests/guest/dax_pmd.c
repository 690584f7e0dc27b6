// SPDX-License-Identifier: GPL-2.0
/*
 * dax_pmd: PMD (2 MiB) DAX faults and their fallback to PTEs.
 *
 *   pmd-read-fault, pmd-write-fault: a 2 MiB aligned mapping of a 2 MiB
 *	aligned extent is served by PMD faults (debugfs dax/stats map_pmd
 *	grows, or smaps FilePmdMapped).
 *   punch-rewrite-reads-back: holes punched into the first 2 MiB, then
 *	rewritten; reads back right through a PMD-aligned mapping, and no
 *	PMD unless the allocator gave the same aligned run back (ext4 and
 *	xfs do: it does not fragment the file, the next case does).
 *   pmd-fragmented-falls-back-to-pte: the free space is cut into 64 KiB
 *	holes first (ballast file with punched holes; on ext2, which has no
 *	fallocate, a plug block after every 64 KiB of the file), so FIEMAP
 *	must show the first 2 MiB of the 4 MiB test file in more than one
 *	run.  Through a 2 MiB aligned MAP_SHARED mapping every page is
 *	read and written, no SIGBUS; read(2) then sees the writes; no PMD
 *	is mapped (dax/stats map_pmd +0, smaps FilePmdMapped 0) and, where
 *	the filesystem has a PMD fault handler (not ext2), each 2 MiB
 *	range tried one and fell back (dax/stats fault_pmd_fallback,
 *	/proc/vmstat thp_fault_fallback).  The ballast is removed after.
 *   mapsync-pte-write-in-pmd-entry: a PMD read fault through one
 *	mapping leaves a PMD entry; then, with the inode's metadata dirty
 *	(the file grew), a MAP_SYNC write through a second mapping that can
 *	only map PTEs (4 KiB past a 2 MiB boundary) lands inside it.
 *	dax_insert_pfn_mkwrite() finds a PMD entry for a PTE and returns
 *	VM_FAULT_NOPAGE after the fsync, so the write faults again: it must
 *	complete (within MAPSYNC_ALARM seconds) and read(2) must see it.
 *	Skipped where there is no MAP_SYNC (ext2) or no PMD entry to write
 *	into.
 */
#include "gtest.h"

#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

#define FILE_LEN	(2 * PMD_SIZE_2M)
#define PMD_PAGES	(PMD_SIZE_2M / PAGE_SIZE_4K)
#define FILE_BYTE	0x6b
#define NEW_BYTE	0x96
#define FRAG_STRIDE	2	/* punch every other page */
#define SMAPS_LINE	256
#define NCASES		5
#define MAPSYNC_ALARM	30
#ifndef MAP_SYNC
#define MAP_SYNC	0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#define FIEMAP_EXTENTS	(PMD_PAGES + 1)

static unsigned char buf[PMD_SIZE_2M];

/* Sum of FilePmdMapped (kB) over this process's mappings. */
static unsigned long file_pmd_kb(void)
{
	char line[SMAPS_LINE];
	unsigned long kb, sum = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "FilePmdMapped: %lu kB", &kb) == 1)
			sum += kb;
	fclose(f);
	return sum;
}

/*
 * Is [0, 2 MiB) of @fd one physically contiguous, 2 MiB aligned run?
 * Then a PMD is right even after punch + rewrite (the allocator may give
 * the same blocks back); otherwise only PTEs are.
 */
static int contiguous_aligned(int fd, unsigned int *nextents)
{
	static char space[sizeof(struct fiemap) +
			  FIEMAP_EXTENTS * sizeof(struct fiemap_extent)];
	struct fiemap *fm = (struct fiemap *)space;
	uint64_t phys0, want;
	unsigned int i;

	memset(space, 0, sizeof(space));
	fm->fm_length = PMD_SIZE_2M;
	fm->fm_flags = FIEMAP_FLAG_SYNC;
	fm->fm_extent_count = FIEMAP_EXTENTS;
	if (ioctl(fd, FS_IOC_FIEMAP, fm) || !fm->fm_mapped_extents) {
		*nextents = 0;
		return 0;
	}
	*nextents = fm->fm_mapped_extents;
	phys0 = fm->fm_extents[0].fe_physical - fm->fm_extents[0].fe_logical;
	if (phys0 % PMD_SIZE_2M)
		return 0;
	for (want = 0, i = 0; i < fm->fm_mapped_extents; i++) {
		struct fiemap_extent *e = &fm->fm_extents[i];

		if (e->fe_logical != want || e->fe_physical != phys0 + want)
			return 0;
		want += e->fe_length;
	}
	return want >= PMD_SIZE_2M;
}

static int make_file(const struct gopts *o, const char *name)
{
	int fd = gcreate(o, name);
	size_t off;

	/* one allocation for the whole file: an aligned extent if the
	 * allocator can (ext4 stripe, xfs extsize hints are 2 MiB) */
	if (fallocate(fd, 0, 0, FILE_LEN) && errno != EOPNOTSUPP)
		die_errno("fallocate");
	memset(buf, FILE_BYTE, sizeof(buf));
	for (off = 0; off < FILE_LEN; off += PMD_SIZE_2M)
		gpwrite(fd, buf, PMD_SIZE_2M, (off_t)off);
	fsync(fd);
	return fd;
}

/* ok / skip (ext2 has no PMD fault path) / fail, from the map_pmd delta. */
static void report_pmd(const struct gopts *o, const char *name, uint64_t map_pmd,
		       unsigned long pmd_kb, int have_dax, size_t bad)
{
	int pmd = map_pmd > 0 || pmd_kb > 0;

	ksft_print_msg("%s: map_pmd +%llu, FilePmdMapped %lu kB, %zu bytes wrong%s\n", name,
		       (unsigned long long)map_pmd, pmd_kb, bad,
		       have_dax ? "" : " (no dax/stats)");
	if (!pmd && !bad && is_ext2(o))
		gtest_skip(name, "ext2 DAX has no huge (PMD) fault handler");
	else
		gtest_result(pmd && !bad, name);
}

static void case_pmd(const struct gopts *o, int write)
{
	const char *name = write ? "pmd-write-fault" : "pmd-read-fault";
	struct kcounters a, b, d;
	unsigned long kb;
	size_t i, bad = 0;
	unsigned char *m;
	int fd = make_file(o, "pmd");

	m = mmap_aligned(fd, FILE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, PMD_SIZE_2M);
	kcounters_read(&a);
	for (i = 0; i < FILE_LEN; i += PMD_SIZE_2M) {
		if (write)
			m[i] = NEW_BYTE;
		else
			bad += m[i] != FILE_BYTE;
	}
	kcounters_read(&b);
	kb = file_pmd_kb();
	for (i = 0; i < FILE_LEN; i++)
		bad += m[i] != ((write && i % PMD_SIZE_2M == 0) ? NEW_BYTE : FILE_BYTE);
	kcounters_delta(&a, &b, &d);
	munmap(m, FILE_LEN);
	close(fd);
	gremove(o, "pmd");
	report_pmd(o, name, kcounters_get(&d, "map_pmd"), kb, d.have_dax, bad);
}

static void case_fragmented(const struct gopts *o)
{
	const char *name = "punch-rewrite-reads-back";
	struct kcounters a, b, d;
	unsigned char *m;
	size_t i, p, bad = 0;
	int fd = make_file(o, "frag"), joined;
	unsigned int next;

	for (p = 0; p < PMD_PAGES; p += FRAG_STRIDE) {
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)(p * PAGE_SIZE_4K), PAGE_SIZE_4K)) {
			if (errno == EOPNOTSUPP && is_ext2(o)) {
				gtest_skip(name, "ext2 cannot punch holes (EOPNOTSUPP)");
				goto out;
			}
			die_errno("punch page %zu", p);
		}
	}
	fsync(fd);
	memset(buf, NEW_BYTE, PAGE_SIZE_4K);
	for (p = 0; p < PMD_PAGES; p += FRAG_STRIDE)
		gpwrite(fd, buf, PAGE_SIZE_4K, (off_t)(p * PAGE_SIZE_4K));
	fsync(fd);
	joined = contiguous_aligned(fd, &next);
	m = mmap_aligned(fd, PMD_SIZE_2M, PROT_READ | PROT_WRITE, MAP_SHARED, PMD_SIZE_2M);
	kcounters_read(&a);
	for (i = 0; i < PMD_SIZE_2M; i++)
		bad += m[i] != ((i / PAGE_SIZE_4K) % FRAG_STRIDE ? FILE_BYTE : NEW_BYTE);
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	ksft_print_msg("%s: map_pmd +%llu map_pte +%llu fallback +%llu, %zu bytes wrong\n",
		       name, (unsigned long long)kcounters_get(&d, "map_pmd"),
		       (unsigned long long)kcounters_get(&d, "map_pte"),
		       (unsigned long long)kcounters_get(&d, "fault_pmd_fallback"), bad);
	ksft_print_msg("%s: first 2 MiB in %u extents, %s\n", name, next,
		       joined ? "rejoined into one aligned run (a PMD is allowed)" : "fragmented");
	/* contents must be right; a PMD over a fragmented range is wrong */
	gtest_result(!bad && (joined || (kcounters_get(&d, "map_pmd") == 0 && file_pmd_kb() == 0)), name);
	munmap(m, PMD_SIZE_2M);
out:
	close(fd);
	gremove(o, "frag");
}

/* --- pmd-fragmented-falls-back-to-pte -------------------------------- */

/*
 * The free space is cut into FRAG_HOLE pieces before the test file is
 * written, so no 2 MiB of the file can be one extent.  ext4 and xfs:
 * every free block is taken by a ballast file, then holes are punched
 * into it one block apart (ballast_make(), shared with bench/extent.c
 * --extent).  ext2 has no fallocate: there the test file is written
 * FRAG_HOLE at a time, each piece followed by one block of a plug file,
 * with the block reservation windows of both files off, so every piece
 * starts after a plug block.
 */
#define FRAG_LEN	(2 * PMD_SIZE_2M)	/* two PMD ranges */
#define FRAG_RANGES	(FRAG_LEN / PMD_SIZE_2M)
#define FRAG_PAGES	(FRAG_LEN / PAGE_SIZE_4K)
#define FRAG_HOLE	(64UL << 10)
#define FRAG_HOLES	(FRAG_LEN / FRAG_HOLE + 32)	/* spare for metadata */
#define FRAG_FILE	"frag-file"
#define FRAG_PLUG	".frag-plug"
#define EXT2_SETRSVSZ	_IOW('f', 6, long)	/* EXT2_IOC_SETRSVSZ */

/* What the layout changed, for frag_cleanup() (also run at exit). */
static struct {
	const struct gopts *o;
	struct ballast ballast;
} frag;

/* Byte at @off of the file as pwrite wrote it: varies inside a page. */
static unsigned char frag_old(size_t off)
{
	return (unsigned char)(off / PAGE_SIZE_4K * 37 + off % 251 + 1);
}

/* Byte of page @p as written through the mapping: one value a page. */
static unsigned char frag_new(size_t p)
{
	return (unsigned char)(p * 53 + 0xa7);
}

/*
 * Remove every file of the case and give the reserve pools back: 0, or
 * -1 if a pool did not come back.
 */
static int frag_undo(void)
{
	int rc;

	if (!frag.o)
		return 0;
	gremove(frag.o, FRAG_FILE);
	gremove(frag.o, FRAG_PLUG);
	rc = ballast_remove(&frag.ballast);
	sync();		/* freed blocks are reusable once committed */
	frag.o = NULL;
	return rc;
}

/* at exit, and after an early failure of the case */
static void frag_cleanup(void)
{
	frag_undo();
}

/*
 * A new file @name with no extent size hint (the guest gives the xfs
 * root "extsize 2m", which makes xfs look for 2 MiB runs) and, on ext2,
 * no block reservation window.  -1 (errno ENOSPC) if no inode is left.
 */
static int frag_create(const struct gopts *o, const char *name)
{
	char p[PATH_LEN];
	int fd, rsv = 0;

	gpath(p, o, name);
	fd = file_create_plain(p);
	if (fd < 0)
		return -1;
	if (is_ext2(o) && ioctl(fd, EXT2_SETRSVSZ, &rsv))
		ksft_print_msg("%s: reservation window stays on: %s\n", p, strerror(errno));
	return fd;
}

/*
 * Write the test file, FRAG_HOLE at a time; with @plug >= 0 one block of
 * the plug file after each piece.  0, or the errno of the failed write.
 */
static int frag_write(int fd, int plug)
{
	size_t off, i;
	ssize_t n;

	for (off = 0; off < FRAG_LEN; off += FRAG_HOLE) {
		for (i = 0; i < FRAG_HOLE; i++)
			buf[i] = frag_old(off + i);
		n = pwrite(fd, buf, FRAG_HOLE, (off_t)off);
		if (n != (ssize_t)FRAG_HOLE)
			return n < 0 ? errno : ENOSPC;
		if (plug < 0)
			continue;
		n = pwrite(plug, buf, PAGE_SIZE_4K, (off_t)(off / FRAG_HOLE * PAGE_SIZE_4K));
		if (n != (ssize_t)PAGE_SIZE_4K)
			return n < 0 ? errno : ENOSPC;
	}
	if (fsync(fd) || (plug >= 0 && fsync(plug)))
		return errno;
	return 0;
}

/*
 * Physically contiguous runs in [@start, @start + 2 MiB) of @fd: FIEMAP
 * extents that continue each other count as one run.  @nextents gets
 * the extents FIEMAP reported; -1 if there is no FIEMAP.
 */
static int frag_runs(int fd, uint64_t start, unsigned int *nextents)
{
	static char space[sizeof(struct fiemap) +
			  FIEMAP_EXTENTS * sizeof(struct fiemap_extent)];
	struct fiemap *fm = (struct fiemap *)space;
	uint64_t lend = 0, pend = 0;
	unsigned int i;
	int runs = 0;

	memset(space, 0, sizeof(space));
	fm->fm_start = start;
	fm->fm_length = PMD_SIZE_2M;
	fm->fm_flags = FIEMAP_FLAG_SYNC;
	fm->fm_extent_count = FIEMAP_EXTENTS;
	*nextents = 0;
	if (ioctl(fd, FS_IOC_FIEMAP, fm))
		return -1;
	*nextents = fm->fm_mapped_extents;
	for (i = 0; i < fm->fm_mapped_extents; i++) {
		struct fiemap_extent *e = &fm->fm_extents[i];

		if (!i || e->fe_logical != lend || e->fe_physical != pend)
			runs++;
		lend = e->fe_logical + e->fe_length;
		pend = e->fe_physical + e->fe_length;
	}
	return runs;
}

/* FilePmdMapped (kB) of this process's mapping at @addr; -1 if none. */
static long vma_pmd_kb(const void *addr)
{
	unsigned long start, end, kb;
	char line[SMAPS_LINE];
	long found = -1;
	int here = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			here = start == (uintptr_t)addr;
		else if (here && sscanf(line, "FilePmdMapped: %lu kB", &kb) == 1)
			found = (long)kb;
	}
	fclose(f);
	return found;
}

/*
 * thp_fault_fallback of /proc/vmstat (every DAX PMD fallback counts it,
 * dax/stats or not); -1 if the kernel has no such line.
 */
static long long vmstat_thp_fallback(void)
{
	char line[SMAPS_LINE];
	long long v = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "thp_fault_fallback %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* What touching the fragmented file found. */
struct frag_seen {
	size_t sigbus, bad, bad_read;
	long pmd_kb;
	long long thp_fallback;
	struct kcounters d;
};

/*
 * Touch every page of @m (the FRAG_LEN file): [0, 2M) is first written,
 * [2M, 4M) first read, then written, then [0, 2M) is read back; each
 * range's first touch is where a PMD fault is tried.  Then read(2).
 */
static void frag_touch(int fd, unsigned char *m, struct frag_seen *s)
{
	static unsigned char page[PAGE_SIZE_4K];
	long long thp0 = vmstat_thp_fallback();
	struct kcounters a, b;
	size_t p, i, got;

	kcounters_read(&a);
	for (p = 0; p < PMD_PAGES; p++)
		s->sigbus += probe_write(m + p * PAGE_SIZE_4K, frag_new(p),
					 PAGE_SIZE_4K) != PROBE_OK;
	for (p = PMD_PAGES; p < FRAG_PAGES; p++) {
		if (probe_read(page, m + p * PAGE_SIZE_4K, PAGE_SIZE_4K)) {
			s->sigbus++;
			continue;
		}
		for (i = 0; i < PAGE_SIZE_4K; i++)
			s->bad += page[i] != frag_old(p * PAGE_SIZE_4K + i);
		s->sigbus += probe_write(m + p * PAGE_SIZE_4K, frag_new(p),
					 PAGE_SIZE_4K) != PROBE_OK;
	}
	for (p = 0; p < PMD_PAGES; p++) {
		if (probe_read(page, m + p * PAGE_SIZE_4K, PAGE_SIZE_4K)) {
			s->sigbus++;
			continue;
		}
		for (i = 0; i < PAGE_SIZE_4K; i++)
			s->bad += page[i] != frag_new(p);
	}
	kcounters_read(&b);
	kcounters_delta(&a, &b, &s->d);
	s->thp_fallback = thp0 < 0 ? -1 : vmstat_thp_fallback() - thp0;
	s->pmd_kb = vma_pmd_kb(m);
	for (p = 0; p < FRAG_PAGES; p += PMD_PAGES) {
		got = gpread(fd, buf, PMD_SIZE_2M, (off_t)(p * PAGE_SIZE_4K));
		for (i = 0; i < PMD_SIZE_2M; i++)
			s->bad_read += i >= got ||
				       buf[i] != frag_new(p + i / PAGE_SIZE_4K);
	}
}

/*
 * pmd-fragmented-falls-back-to-pte: FIEMAP must show the first 2 MiB in
 * more than one run (or the setup failed); then every page reads and
 * writes right with no SIGBUS and no PMD is mapped.  smaps'
 * FilePmdMapped is checked too, but 6.1 does not count DAX PMDs there
 * (it reads 0 in pmd-read-fault as well): dax/stats map_pmd is the real
 * check, and where a PMD fault handler exists (not ext2) each 2 MiB
 * range must have tried one and fallen back (dax/stats
 * fault_pmd_fallback, /proc/vmstat thp_fault_fallback).
 */
static void case_fragmented_ballast(const struct gopts *o)
{
	const char *name = "pmd-fragmented-falls-back-to-pte";
	struct frag_seen s = { 0 };
	uint64_t map_pmd, fallback;
	unsigned int ext0, ext1;
	int fd, plug = -1, runs0, runs1, err, ok;
	unsigned char *m;

	frag.o = o;
	fd = frag_create(o, FRAG_FILE);	/* its inode before the space goes */
	if (fd < 0)
		die_errno("create " FRAG_FILE);
	if (ballast_make(&frag.ballast, o->dir, FRAG_HOLE, FRAG_HOLES)) {
		plug = frag_create(o, FRAG_PLUG);
		if (plug < 0)
			die_errno("create " FRAG_PLUG);
	}
	err = frag_write(fd, plug);
	if (plug >= 0)
		close(plug);
	if (err) {
		ksft_print_msg("%s: writing the test file: %s\n", name, strerror(err));
		gtest_result(0, name);
		goto out;
	}
	runs0 = frag_runs(fd, 0, &ext0);
	runs1 = frag_runs(fd, PMD_SIZE_2M, &ext1);
	ksft_print_msg("%s: %s; FIEMAP: [0, 2M) %u extents in %d runs, [2M, 4M) %u in %d\n",
		  name, plug >= 0 ? "plug blocks" : "punched ballast",
		  ext0, runs0, ext1, runs1);
	if (runs0 < 2) {
		ksft_print_msg("%s: the setup did not fragment: the first 2 MiB is one run\n",
			       name);
		gtest_result(0, name);
		goto out;
	}

	m = mmap_aligned(fd, FRAG_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, PMD_SIZE_2M);
	frag_touch(fd, m, &s);
	munmap(m, FRAG_LEN);
	map_pmd = kcounters_get(&s.d, "map_pmd");
	fallback = kcounters_get(&s.d, "fault_pmd_fallback");
	ksft_print_msg("%s: fault_pmd +%llu fault_pmd_fallback +%llu map_pmd +%llu map_pte +%llu%s, thp_fault_fallback +%lld\n",
		       name, (unsigned long long)kcounters_get(&s.d, "fault_pmd"),
		       (unsigned long long)fallback, (unsigned long long)map_pmd,
		       (unsigned long long)kcounters_get(&s.d, "map_pte"),
		       s.d.have_dax ? "" : " (no dax/stats)", s.thp_fallback);
	ksft_print_msg("%s: FilePmdMapped %ld kB, %zu SIGBUS, %zu bytes wrong in the mapping, %zu through read(2)\n",
		       name, s.pmd_kb, s.sigbus, s.bad, s.bad_read);
	ok = !s.sigbus && !s.bad && !s.bad_read && s.pmd_kb == 0;
	if (s.d.have_dax)
		ok = ok && map_pmd == 0;
	if (is_ext2(o)) {
		ksft_print_msg("%s: ext2 DAX has no huge (PMD) fault handler: PTE faults only\n",
			       name);
	} else {
		if (s.d.have_dax)
			ok = ok && fallback >= FRAG_RANGES;
		if (s.thp_fallback >= 0)
			ok = ok && s.thp_fallback >= (long long)FRAG_RANGES;
	}
	close(fd);
	fd = -1;
	if (frag_undo()) {
		ksft_print_msg("%s: a reserve pool was not given back\n", name);
		ok = 0;
	}
	gtest_result(ok, name);
out:
	if (fd >= 0)
		close(fd);
	frag_cleanup();
}

/* A mapping of @len bytes of @fd whose address is 4 KiB past a 2 MiB
 * boundary while file offset 0 is not: no PMD can map it. */
static void *mmap_pte_only(int fd, size_t len, int prot, int flags)
{
	unsigned char *p = mmap_aligned(-1, len + 2 * PMD_SIZE_2M, PROT_NONE,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
					PMD_SIZE_2M);
	void *want = p + PAGE_SIZE_4K, *m;

	m = mmap(want, len, prot, flags | MAP_FIXED, fd, 0);
	if (m == MAP_FAILED)
		return m;
	if (m != want)
		die("mmap placed the mapping at %p, not %p", m, want);
	return m;
}

static void case_mapsync_pte_in_pmd(const struct gopts *o)
{
	const char *name = "mapsync-pte-write-in-pmd-entry";
	const size_t off = PMD_SIZE_2M + 5 * PAGE_SIZE_4K;
	struct kcounters a, b, d;
	unsigned char *pm, *m, c = 0;
	uint64_t map_pmd;
	int fd = make_file(o, "sync"), err;

	pm = mmap_aligned(fd, FILE_LEN, PROT_READ, MAP_SHARED, PMD_SIZE_2M);
	kcounters_read(&a);
	c = *(volatile unsigned char *)(pm + PMD_SIZE_2M);
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	map_pmd = kcounters_get(&d, "map_pmd");
	m = mmap_pte_only(fd, FILE_LEN, PROT_READ | PROT_WRITE,
			  MAP_SHARED_VALIDATE | MAP_SYNC);
	if (m == MAP_FAILED) {
		err = errno;
		if (err == EOPNOTSUPP || err == EINVAL) {
			gtest_skip(name, "no MAP_SYNC on this filesystem");
			goto out;
		}
		die_errno("mmap MAP_SYNC");
	}
	if (c != FILE_BYTE || (d.have_dax && !map_pmd)) {
		ksft_print_msg("%s: map_pmd +%llu\n", name, (unsigned long long)map_pmd);
		gtest_skip(name, "no PMD entry to write into");
		munmap(m, FILE_LEN);
		goto out;
	}
	/* dirty metadata: the MAP_SYNC write must sync it before mapping */
	if (ftruncate(fd, FILE_LEN + PAGE_SIZE_4K))
		die_errno("ftruncate");
	kcounters_read(&a);
	alarm(MAPSYNC_ALARM);	/* no forward progress: SIGALRM kills us */
	m[off] = NEW_BYTE;
	alarm(0);
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	munmap(m, FILE_LEN);
	if (pread(fd, &c, 1, (off_t)off) != 1)
		die_errno("pread");
	ksft_print_msg("%s: %llu faults for one write, map_pte +%llu, read(2) sees 0x%02x\n",
		       name, (unsigned long long)d.faults,
		       (unsigned long long)kcounters_get(&d, "map_pte"), c);
	gtest_result(c == NEW_BYTE, name);
out:
	munmap(pm, FILE_LEN);
	close(fd);
	gremove(o, "sync");
}

int main(int argc, char **argv)
{
	static struct gopts o;	/* frag_cleanup() may use it at exit */

	bench_set_name("dax_pmd");
	gopts_parse(&o, argc, argv);
	probe_install();
	atexit(frag_cleanup);
	ksft_print_header();
	ksft_set_plan(NCASES);
	case_pmd(&o, 0);
	case_pmd(&o, 1);
	case_fragmented(&o);
	case_fragmented_ballast(&o);
	case_mapsync_pte_in_pmd(&o);
	return gtest_exit();
}
