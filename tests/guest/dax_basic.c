// SPDX-License-Identifier: GPL-2.0
/*
 * dax_basic: holes and unwritten extents read as zeros through a DAX
 * mapping; a write into a hole allocates and is seen by read(2) and new
 * mappings; MAP_PRIVATE copy-on-write leaves the file alone; fork()
 * shares MAP_SHARED and copies MAP_PRIVATE; SIGBUS beyond EOF.
 */
#include "gtest.h"

#include <sys/wait.h>

#define FILE_PAGES	64
#define FILE_LEN	(FILE_PAGES * PAGE_SIZE_4K)
#define HOLE_PAGE	17
#define FILE_BYTE	0x5a
#define NEW_BYTE	0xc3
#define CHILD_BYTE	0x3c
#define EOF_TAIL	100	/* file ends this far into its second page */
#define EOF_MAP_PAGES	3
#define NCASES		8

static unsigned char buf[FILE_LEN];

/* Every byte of @fd's first FILE_LEN reads as zero by mmap and read(2). */
static int all_zero(int fd, const char *what)
{
	unsigned char *p = gmap(fd, FILE_LEN, MAP_SHARED);
	size_t bad;

	if (probe_read(buf, p, FILE_LEN) != PROBE_OK) {
		ksft_print_msg("%s: SIGBUS reading through the mapping\n", what);
		munmap(p, FILE_LEN);
		return 0;
	}
	bad = count_not(buf, FILE_LEN, 0);
	munmap(p, FILE_LEN);
	memset(buf, 1, FILE_LEN);
	gpread(fd, buf, FILE_LEN, 0);
	bad += count_not(buf, FILE_LEN, 0);
	if (bad)
		ksft_print_msg("%s: %zu non-zero bytes\n", what, bad);
	return bad == 0;
}

/* Write one page in the middle through mmap; read(2) and a new mapping
 * see it, the rest stays zero, and the file got blocks. */
static int write_into(int fd, const char *what)
{
	size_t off = HOLE_PAGE * PAGE_SIZE_4K, bad = 0;
	unsigned char *p = gmap(fd, FILE_LEN, MAP_SHARED);
	struct stat st0, st1;

	fstat(fd, &st0);
	memset(p + off, NEW_BYTE, PAGE_SIZE_4K);
	munmap(p, FILE_LEN);
	fstat(fd, &st1);
	gpread(fd, buf, FILE_LEN, 0);
	bad += count_not(buf, off, 0);
	bad += count_not(buf + off, PAGE_SIZE_4K, NEW_BYTE);
	bad += count_not(buf + off + PAGE_SIZE_4K, FILE_LEN - off - PAGE_SIZE_4K, 0);
	p = gmap(fd, FILE_LEN, MAP_SHARED);
	bad += count_not(p + off, PAGE_SIZE_4K, NEW_BYTE);
	bad += count_not(p, off, 0);
	munmap(p, FILE_LEN);
	if (bad)
		ksft_print_msg("%s: %zu bytes wrong after the write\n", what, bad);
	if (st1.st_blocks <= st0.st_blocks && st0.st_blocks == 0) {
		ksft_print_msg("%s: no blocks allocated (st_blocks %lld)\n", what,
			       (long long)st1.st_blocks);
		bad++;
	}
	return bad == 0;
}

static int falloc_or_skip(const struct gopts *o, int fd, const char *name)
{
	if (!fallocate(fd, 0, 0, FILE_LEN))
		return 1;
	if (errno == EOPNOTSUPP && is_ext2(o)) {
		gtest_skip(name, "ext2 has no fallocate (EOPNOTSUPP): no unwritten extents");
	} else {
		ksft_print_msg("fallocate: %s\n", strerror(errno));
		gtest_result(0, name);
	}
	return 0;
}

static void case_private_cow(const struct gopts *o)
{
	int fd = gcreate(o, "cow");
	unsigned char *s, *p;
	size_t bad = 0;

	memset(buf, FILE_BYTE, FILE_LEN);
	gpwrite(fd, buf, FILE_LEN, 0);
	p = gmap(fd, FILE_LEN, MAP_PRIVATE);
	s = gmap(fd, FILE_LEN, MAP_SHARED);
	bad += count_not(p, FILE_LEN, FILE_BYTE);	/* read faults first */
	memset(p, NEW_BYTE, FILE_LEN);
	bad += count_not(p, FILE_LEN, NEW_BYTE);
	bad += count_not(s, FILE_LEN, FILE_BYTE);
	gpread(fd, buf, FILE_LEN, 0);
	bad += count_not(buf, FILE_LEN, FILE_BYTE);
	munmap(p, FILE_LEN);
	munmap(s, FILE_LEN);
	close(fd);
	gremove(o, "cow");
	if (bad)
		ksft_print_msg("private-cow: %zu bytes wrong\n", bad);
	gtest_result(bad == 0, "private-cow-file-unchanged");
}

static void case_fork(const struct gopts *o)
{
	int fd = gcreate(o, "fork"), status;
	unsigned char *s, *p;
	size_t bad = 0;
	pid_t pid;

	memset(buf, FILE_BYTE, FILE_LEN);
	gpwrite(fd, buf, FILE_LEN, 0);
	s = gmap(fd, FILE_LEN, MAP_SHARED);
	p = gmap(fd, FILE_LEN, MAP_PRIVATE);
	bad += count_not(s, FILE_LEN, FILE_BYTE);
	bad += count_not(p, FILE_LEN, FILE_BYTE);
	pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid == 0) {
		memset(s, CHILD_BYTE, PAGE_SIZE_4K);
		memset(p, CHILD_BYTE, FILE_LEN);
		_exit(count_not(p, FILE_LEN, CHILD_BYTE) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		ksft_print_msg("fork: child failed (status %#x)\n", status);
		bad++;
	}
	bad += count_not(s, PAGE_SIZE_4K, CHILD_BYTE);
	bad += count_not(s + PAGE_SIZE_4K, FILE_LEN - PAGE_SIZE_4K, FILE_BYTE);
	/* an unmodified MAP_PRIVATE page may show the file's new data:
	 * page 0 (written by the child through MAP_SHARED) is not checked */
	bad += count_not(p + PAGE_SIZE_4K, FILE_LEN - PAGE_SIZE_4K, FILE_BYTE);
	gpread(fd, buf, PAGE_SIZE_4K, 0);
	bad += count_not(buf, PAGE_SIZE_4K, CHILD_BYTE);
	munmap(p, FILE_LEN);
	munmap(s, FILE_LEN);
	close(fd);
	gremove(o, "fork");
	if (bad)
		ksft_print_msg("fork: %zu bytes wrong\n", bad);
	gtest_result(bad == 0, "fork-shared-and-private");
}

static void case_sigbus_eof(const struct gopts *o)
{
	size_t len = EOF_MAP_PAGES * PAGE_SIZE_4K, flen = PAGE_SIZE_4K + EOF_TAIL;
	int fd = gcreate(o, "eof"), ok = 1;
	unsigned char *p;

	memset(buf, FILE_BYTE, flen);
	gpwrite(fd, buf, flen, 0);
	p = gmap(fd, len, MAP_SHARED);
	if (probe_read(buf, p, 2 * PAGE_SIZE_4K) != PROBE_OK) {
		ksft_print_msg("eof: SIGBUS inside the last (partial) page\n");
		ok = 0;
	} else if (count_not(buf, flen, FILE_BYTE) ||
		   count_not(buf + flen, 2 * PAGE_SIZE_4K - flen, 0)) {
		ksft_print_msg("eof: wrong data or non-zero tail in the last page\n");
		ok = 0;
	}
	if (probe_read(buf, p + 2 * PAGE_SIZE_4K, 1) != PROBE_SIGBUS) {
		ksft_print_msg("eof: read one page beyond EOF did not SIGBUS\n");
		ok = 0;
	}
	if (probe_write(p + 2 * PAGE_SIZE_4K, NEW_BYTE, 1) != PROBE_SIGBUS) {
		ksft_print_msg("eof: write one page beyond EOF did not SIGBUS\n");
		ok = 0;
	}
	munmap(p, len);
	close(fd);
	gremove(o, "eof");
	gtest_result(ok, "sigbus-beyond-eof");
}

int main(int argc, char **argv)
{
	struct gopts o;
	int fd;

	bench_set_name("dax_basic");
	gopts_parse(&o, argc, argv);
	probe_install();
	ksft_print_header();
	ksft_set_plan(NCASES);

	fd = gcreate(&o, "hole");
	if (ftruncate(fd, FILE_LEN))
		die_errno("ftruncate");
	gtest_result(all_zero(fd, "hole"), "hole-reads-zero");
	gtest_result(write_into(fd, "hole"), "hole-write-allocates");
	close(fd);
	gremove(&o, "hole");

	fd = gcreate(&o, "unwritten");
	if (falloc_or_skip(&o, fd, "unwritten-reads-zero")) {
		gtest_result(all_zero(fd, "unwritten"), "unwritten-reads-zero");
		gtest_result(write_into(fd, "unwritten"), "unwritten-write-converts");
	} else {
		gtest_skip("unwritten-write-converts", "no unwritten extents on this filesystem");
	}
	close(fd);
	gremove(&o, "unwritten");

	case_private_cow(&o);
	case_fork(&o);
	case_sigbus_eof(&o);

	/* read(2) of a hole after a mapping wrote its neighbour */
	fd = gcreate(&o, "hole2");
	if (ftruncate(fd, FILE_LEN))
		die_errno("ftruncate");
	{
		unsigned char *p = gmap(fd, FILE_LEN, MAP_SHARED);

		p[0] = NEW_BYTE;
		munmap(p, FILE_LEN);
		gpread(fd, buf, FILE_LEN, 0);
		gtest_result(buf[0] == NEW_BYTE && !count_not(buf + 1, FILE_LEN - 1, 0),
			     "hole-beside-written-byte-reads-zero");
	}
	close(fd);
	gremove(&o, "hole2");
	return gtest_exit();
}
