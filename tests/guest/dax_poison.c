// SPDX-License-Identifier: GPL-2.0
/*
 * dax_poison: a fault never maps a page that the driver or memory failure
 * has declared bad.  The iomap path is the reference: it asks
 * dax_direct_access() on every fault, which fails (SIGBUS) for blocks in
 * the pmem driver's bad-block list.
 *
 *   badblock-refault-sigbus: a file is read through a mapping (so the pfn
 *	series caches its pfns), unmapped, and one of its blocks is added to
 *	/sys/block/<pmem>/badblocks, as the driver does when a scrub finds
 *	latent poison.  A new mapping must SIGBUS on that page and read the
 *	others.  A fault served from a cached pfn (dax/stats pfn_hit) did not
 *	ask the driver: on a kernel without dax_cached_pfns_suspect() (the
 *	control, pfn before v8) that is reported as a TODO, a known gap, not
 *	as a pass; on one with it (pfn v8 on: no hit while the device has
 *	bad blocks) a hit fails.
 *   badblock-elsewhere-pmd-refault-keeps-pmd (ext4): then a clean 2 MiB
 *	file mapped twice with a PMD maps with one PMD the second time too
 *	(its entry exists): a device with a bad block elsewhere must not cost
 *	512 PTE faults per 2 MiB, where the baseline maps one PMD.
 *   hwpoison-pte-refault-sigbus, hwpoison-pmd-refault-sigbus: a mapped
 *	page is poisoned with madvise(MADV_HWPOISON) (memory failure: the
 *	page is marked and unmapped, the i_pages entry stays).  Touching it
 *	again must SIGBUS; a neighbour must still read its data.  Needs
 *	CONFIG_MEMORY_FAILURE, else skipped.  The PMD case is ext4 only.
 *	hwpoison-pte-write-refault-sigbus: the same, touched again by
 *	writes (the pfn series' lockless write hit tests the poison under
 *	the page table lock and again after mapping).
 *	A re-fault served from a cached pfn must pass.  One that asks the
 *	filesystem and dax_direct_access() (6.1's path, on every variant's
 *	misses) maps the page again: only the driver's bad-block list stops
 *	it, and on real hardware the platform's machine-check handler adds
 *	the block there (ACPI NFIT), which madvise() does not.  That is
 *	6.1's behaviour, reported as a TODO, not a pass.
 *
 * Poison stays for the rest of the boot, on a block later files may get:
 * run this program alone, last, in a boot of its own (jobs/poison.sh).
 */
#include "gtest.h"

#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#define FILE_PAGES	16
#define FILE_LEN	(FILE_PAGES * PAGE_SIZE_4K)
#define BAD_PAGE	5
#define GOOD_PAGE	9
#define FILE_BYTE	0x3c
#define NCASES		5

#ifndef MADV_HWPOISON
#define MADV_HWPOISON	100
#endif

static unsigned char buf[PMD_SIZE_2M];

static int make_file(const struct gopts *o, const char *name, size_t len)
{
	int fd = gcreate(o, name);

	memset(buf, FILE_BYTE, len);
	gpwrite(fd, buf, len, 0);
	if (fsync(fd))
		die_errno("fsync");
	return fd;
}

/* Device byte offset of file page @page, from FIEMAP. */
static uint64_t phys_of(int fd, size_t page)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent fe[1];
	} f;
	uint64_t off = (uint64_t)page * PAGE_SIZE_4K;

	memset(&f, 0, sizeof(f));
	f.fm.fm_start = off;
	f.fm.fm_length = PAGE_SIZE_4K;
	f.fm.fm_flags = FIEMAP_FLAG_SYNC;
	f.fm.fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, &f.fm) || f.fm.fm_mapped_extents != 1)
		die("FIEMAP of page %zu failed", page);
	if (f.fe[0].fe_flags & (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_ENCODED))
		die("FIEMAP: page %zu has no known device address", page);
	return f.fe[0].fe_physical + (off - f.fe[0].fe_logical);
}

static void sysfs_write(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(s, f) < 0 || fclose(f))
		die_errno("write '%s' to %s", s, path);
}

/* Page @page of @m: PROBE_SIGBUS, or PROBE_OK with *@bad wrong bytes. */
/* Read (or write with FILE_BYTE, then read) page @page of @m. */
static int touch_page(volatile unsigned char *m, size_t page, int write,
		      size_t *bad)
{
	int r = PROBE_OK;

	if (write)
		r = probe_write(m + page * PAGE_SIZE_4K, FILE_BYTE, PAGE_SIZE_4K);
	if (r == PROBE_OK)
		r = probe_read(buf, m + page * PAGE_SIZE_4K, PAGE_SIZE_4K);

	*bad = r == PROBE_OK ? count_not(buf, PAGE_SIZE_4K, FILE_BYTE) : 0;
	return r;
}

/*
 * Touch page BAD_PAGE, then GOOD_PAGE, of @m (read, or @write), results
 * into *@r_bad and *@r_good; *@bad_good gets the clean page's wrong
 * bytes.  Returns 1 if the bad page's fault was served from a cached pfn
 * (dax/stats pfn_hit).
 */
static int touch_bad_and_good(volatile unsigned char *m, int write,
			      int *r_bad, int *r_good, size_t *bad_good)
{
	struct kcounters a, b, d;
	size_t bad_bad;

	kcounters_read(&a);
	*r_bad = touch_page(m, BAD_PAGE, write, &bad_bad);
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	*r_good = touch_page(m, GOOD_PAGE, write, bad_good);
	return kcounters_get(&d, "pfn_hit") > 0;
}

static void case_badblock(const struct gopts *o)
{
	const char *name = "badblock-refault-sigbus";
	char path[PATH_LEN], line[64];
	const char *dev;
	volatile unsigned char *m;
	uint64_t phys;
	size_t bad_good = 0;
	int fd, r_bad, r_good, ok, hit;

	if (!o->dev) {
		gtest_skip(name, "no --dev: the pmem block device is not known");
		return;
	}
	dev = strrchr(o->dev, '/') ? strrchr(o->dev, '/') + 1 : o->dev;
	snprintf(path, sizeof(path), "/sys/block/%s/badblocks", dev);
	fd = make_file(o, "poison-bb", FILE_LEN);
	/* fault every page once: the pfn series caches the pfns now */
	m = gmap(fd, FILE_LEN, MAP_SHARED);
	if (probe_read(buf, m, FILE_LEN) != PROBE_OK)
		die("%s: the file does not read before any poison", name);
	munmap((void *)m, FILE_LEN);

	phys = phys_of(fd, BAD_PAGE);
	snprintf(line, sizeof(line), "%llu %d\n",
		 (unsigned long long)(phys >> 9), (int)(PAGE_SIZE_4K >> 9));
	sysfs_write(path, line);

	m = gmap(fd, FILE_LEN, MAP_SHARED);
	hit = touch_bad_and_good(m, 0, &r_bad, &r_good, &bad_good);
	munmap((void *)m, FILE_LEN);
	ksft_print_msg("%s: sector %llu marked bad; its page %s, a clean page %s (%zu bytes wrong)\n",
		       name, (unsigned long long)(phys >> 9),
		       r_bad == PROBE_SIGBUS ? "SIGBUS" : "read",
		       r_good == PROBE_SIGBUS ? "SIGBUS" : "read", bad_good);
	ok = r_bad == PROBE_SIGBUS && r_good == PROBE_OK && !bad_good;
	if (hit && kallsyms_has("dax_cached_pfns_suspect") == 1) {
		ksft_print_msg("%s: a cached-pfn hit while the device has bad blocks\n", name);
		gtest_result(0, name);
	} else if (hit) {
		known_failure(ok, name, "a cached pfn is mapped without asking the driver's bad-block list");
	} else {
		gtest_result(ok, name);
	}
	/* the block stays bad: a DAX recovery write fails on the emulated
	 * NVDIMM (EFAULT), so nothing can clear it in this boot */
	close(fd);
}

/* Map 2 MiB of @fd with a PMD, read it, unmap; the counters into *@d. */
static int read_pmd_mapping(int fd, struct kcounters *d)
{
	struct kcounters a, b;
	volatile unsigned char *m;
	int r;

	kcounters_read(&a);
	m = map_dax(fd, PMD_SIZE_2M, MAP_SHARED, 1);
	r = probe_read(buf, m, PMD_SIZE_2M);
	munmap((void *)m, PMD_SIZE_2M);
	kcounters_read(&b);
	kcounters_delta(&a, &b, d);
	return r;
}

/*
 * After case_badblock(): the device has a bad block, in another file.  A
 * clean 2 MiB file mapped with a PMD maps with one PMD again when it is
 * mapped a second time (its DAX entry exists then), as on the baseline,
 * which asks dax_direct_access() for the 2 MiB: not 512 PTE faults.
 */
static void case_badblock_pmd(const struct gopts *o)
{
	const char *name = "badblock-elsewhere-pmd-refault-keeps-pmd";
	struct kcounters d;
	uint64_t pmd1, pmd2, pte2;
	size_t bad = 0;
	int fd, r;

	if (is_ext2(o)) {
		gtest_skip(name, "ext2 DAX has no huge (PMD) fault handler");
		return;
	}
	fd = make_file(o, "poison-bb-pmd", PMD_SIZE_2M);
	r = read_pmd_mapping(fd, &d);
	pmd1 = kcounters_get(&d, "map_pmd");
	if (r != PROBE_OK || !pmd1) {
		gtest_skip(name, "the file was not mapped with a PMD (no aligned extent?)");
		close(fd);
		return;
	}
	/* its DAX entry exists now */
	r = read_pmd_mapping(fd, &d);
	pmd2 = kcounters_get(&d, "map_pmd");
	pte2 = kcounters_get(&d, "map_pte");
	if (r == PROBE_OK)
		bad = count_not(buf, PMD_SIZE_2M, FILE_BYTE);
	ksft_print_msg("%s: mapped again: %llu PMD, %llu PTE mappings, %s, %zu bytes wrong\n",
		       name, (unsigned long long)pmd2, (unsigned long long)pte2,
		       r == PROBE_OK ? "read" : "SIGBUS", bad);
	gtest_result(r == PROBE_OK && !bad && pmd2 == 1 && !pte2, name);
	close(fd);
}

/* madvise(MADV_HWPOISON) may signal the caller itself: catch that too. */
static int hwpoison(volatile unsigned char *page, int *sigbus)
{
	int r;

	*sigbus = 0;
	if (sigsetjmp(probe_env, 1)) {
		probe_armed = 0;
		*sigbus = 1;
		return 0;
	}
	probe_armed = 1;
	r = madvise((void *)page, PAGE_SIZE_4K, MADV_HWPOISON);
	probe_armed = 0;
	return r ? errno : 0;
}

static void case_hwpoison(const struct gopts *o, const char *name, int pmd,
			  int write)
{
	size_t len = pmd ? PMD_SIZE_2M : FILE_LEN, bad_good = 0;
	volatile unsigned char *m;
	struct kcounters a, b, d;
	int fd, err, sig, r_bad, r_good, hit, ok;
	uint64_t map_pmd;

	if (pmd && is_ext2(o)) {
		gtest_skip(name, "ext2 DAX has no huge (PMD) fault handler");
		return;
	}
	fd = make_file(o, pmd ? "poison-pmd" : write ? "poison-ptew" : "poison-pte",
		       len);
	m = map_dax(fd, len, MAP_SHARED, pmd);
	kcounters_read(&a);
	if (probe_read(buf, m, len) != PROBE_OK)
		die("%s: the file does not read before any poison", name);
	kcounters_read(&b);
	kcounters_delta(&a, &b, &d);
	map_pmd = kcounters_get(&d, "map_pmd");
	if (pmd && !map_pmd) {
		gtest_skip(name, "the file was not mapped with a PMD (no aligned extent?)");
		goto out;
	}
	err = hwpoison(m + BAD_PAGE * PAGE_SIZE_4K, &sig);
	if (err == EINVAL) {
		gtest_skip(name, "madvise(MADV_HWPOISON): EINVAL, kernel without CONFIG_MEMORY_FAILURE");
		goto out;
	}
	if (err)
		die("%s: madvise(MADV_HWPOISON): %s", name, strerror(err));
	hit = touch_bad_and_good(m, write, &r_bad, &r_good, &bad_good);
	ksft_print_msg("%s: poisoned (%s); its page %s (%s), a clean page %s (%zu bytes wrong)\n",
		       name, sig ? "SIGBUS at once" : "no signal",
		       r_bad == PROBE_SIGBUS ? "SIGBUS" : write ? "written" : "read",
		       hit ? "a cached-pfn hit" : "asked the filesystem and the driver",
		       r_good == PROBE_SIGBUS ? "SIGBUS" : write ? "written" : "read",
		       bad_good);
	ok = r_bad == PROBE_SIGBUS && r_good == PROBE_OK && !bad_good;
	if (hit)
		gtest_result(ok, name);
	else
		known_failure(ok, name, "6.1's dax_direct_access() path maps a page memory failure marked unless the driver lists its block as bad, which software injection does not do");
out:
	munmap((void *)m, len);
	close(fd);
}

int main(int argc, char **argv)
{
	struct gopts o;

	gopts_parse(&o, argc, argv);
	ksft_print_header();
	ksft_set_plan(NCASES);
	probe_install();
	/*
	 * Bad blocks last: from the first one on, pfn (v8 on) stops serving
	 * hits from the device, and the hwpoison cases would no longer test
	 * the hit path's own poison checks.
	 */
	case_hwpoison(&o, "hwpoison-pte-refault-sigbus", 0, 0);
	case_hwpoison(&o, "hwpoison-pmd-refault-sigbus", 1, 0);
	case_hwpoison(&o, "hwpoison-pte-write-refault-sigbus", 0, 1);
	case_badblock(&o);
	case_badblock_pmd(&o);
	return gtest_exit();
}
