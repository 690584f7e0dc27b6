// SPDX-License-Identifier: GPL-2.0
/*
 * dax_pmd: a 2 MiB aligned mapping of a 2 MiB aligned extent is served by
 * PMD faults (debugfs dax/stats map_pmd grows, or smaps FilePmdMapped);
 * a fragmented file (holes punched, then rewritten) falls back to PTEs
 * and still reads back right.
 */
#include "gtest.h"

#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#define FILE_LEN	(2 * PMD_SIZE_2M)
#define PMD_PAGES	(PMD_SIZE_2M / PAGE_SIZE_4K)
#define FILE_BYTE	0x6b
#define NEW_BYTE	0x96
#define FRAG_STRIDE	2	/* punch every other page */
#define SMAPS_LINE	256
#define NCASES		3
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

	ktap_diag("%s: map_pmd +%llu, FilePmdMapped %lu kB, %zu bytes wrong%s", name,
		  (unsigned long long)map_pmd, pmd_kb, bad,
		  have_dax ? "" : " (no dax/stats)");
	if (!pmd && !bad && is_ext2(o))
		ktap_skip(name, "ext2 DAX has no huge (PMD) fault handler");
	else
		ktap_result(pmd && !bad, name);
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
	const char *name = "pte-fallback-fragmented";
	struct kcounters a, b, d;
	unsigned char *m;
	size_t i, p, bad = 0;
	int fd = make_file(o, "frag"), joined;
	unsigned int next;

	for (p = 0; p < PMD_PAGES; p += FRAG_STRIDE) {
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)(p * PAGE_SIZE_4K), PAGE_SIZE_4K)) {
			if (errno == EOPNOTSUPP && is_ext2(o)) {
				ktap_skip(name, "ext2 cannot punch holes (EOPNOTSUPP)");
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
	ktap_diag("%s: map_pmd +%llu map_pte +%llu fallback +%llu, %zu bytes wrong",
		  name, (unsigned long long)kcounters_get(&d, "map_pmd"),
		  (unsigned long long)kcounters_get(&d, "map_pte"),
		  (unsigned long long)kcounters_get(&d, "fault_pmd_fallback"), bad);
	ktap_diag("%s: first 2 MiB in %u extents, %s", name, next,
		  joined ? "rejoined into one aligned run (a PMD is allowed)" : "fragmented");
	/* contents must be right; a PMD over a fragmented range is wrong */
	ktap_result(!bad && (joined || (kcounters_get(&d, "map_pmd") == 0 && file_pmd_kb() == 0)), name);
	munmap(m, PMD_SIZE_2M);
out:
	close(fd);
	gremove(o, "frag");
}

int main(int argc, char **argv)
{
	struct gopts o;

	bench_set_name("dax_pmd");
	gopts_parse(&o, argc, argv);
	ktap_plan(NCASES);
	case_pmd(&o, 0);
	case_pmd(&o, 1);
	case_fragmented(&o);
	return ktap_exit();
}
