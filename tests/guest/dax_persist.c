// SPDX-License-Identifier: GPL-2.0
/*
 * dax_persist: data written through a DAX mapping survives munmap,
 * unmount and mount -- plain, after msync, after fsync and with MAP_SYNC.
 * The program unmounts and mounts --dir itself (--dev, --fs), so nothing
 * else may hold files open there.
 */
#include "gtest.h"

#include <sys/mount.h>

#define FILE_PAGES	64
#define FILE_LEN	(FILE_PAGES * PAGE_SIZE_4K)
#define MOUNT_OPTS	"dax"

enum how { HOW_PLAIN, HOW_MSYNC, HOW_FSYNC, HOW_MAP_SYNC, HOW_COUNT };

static const char *const how_name[HOW_COUNT] = {
	"persist-munmap-umount", "persist-msync", "persist-fsync",
	"persist-map-sync",
};

static unsigned char pat(int how, size_t off)
{
	return (unsigned char)(((off >> 12) * 31 + off * 7 + (size_t)how * 101) | 1);
}

/* 0 written, 1 skipped (reason in @why), -1 failed (reason in @why). */
static int write_one(const struct gopts *o, int how, char *why, size_t wlen)
{
	int flags = MAP_SHARED, fd;
	unsigned char *p;
	size_t i;

	fd = gcreate(o, how_name[how]);
	if (ftruncate(fd, FILE_LEN))
		die_errno("ftruncate");
	if (how == HOW_MAP_SYNC)
		flags = MAP_SHARED_VALIDATE | MAP_SYNC;
	p = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED) {
		int err = errno;

		close(fd);
		snprintf(why, wlen, "mmap MAP_SYNC: %s", strerror(err));
		if (how == HOW_MAP_SYNC && err == EOPNOTSUPP && is_ext2(o))
			return 1;
		return -1;
	}
	for (i = 0; i < FILE_LEN; i++)
		p[i] = pat(how, i);
	if (how == HOW_MSYNC && msync(p, FILE_LEN, MS_SYNC)) {
		snprintf(why, wlen, "msync: %s", strerror(errno));
		return -1;
	}
	if (how == HOW_FSYNC && fsync(fd)) {
		snprintf(why, wlen, "fsync: %s", strerror(errno));
		return -1;
	}
	munmap(p, FILE_LEN);
	close(fd);
	return 0;
}

static int verify_one(const struct gopts *o, int how)
{
	static unsigned char buf[FILE_LEN];
	char path[PATH_LEN];
	unsigned char *p;
	size_t i, bad = 0;
	struct stat st;
	int fd;

	gpath(path, o, how_name[how]);
	fd = open(path, O_RDWR);
	if (fd < 0 || fstat(fd, &st)) {
		ksft_print_msg("%s: open after remount: %s\n", path, strerror(errno));
		return 0;
	}
	if (st.st_size != (off_t)FILE_LEN)
		ksft_print_msg("%s: size %lld, want %lu\n", path, (long long)st.st_size, FILE_LEN);
	if (gpread(fd, buf, FILE_LEN, 0) != FILE_LEN)
		bad++;
	for (i = 0; i < FILE_LEN; i++)
		bad += buf[i] != pat(how, i);
	p = gmap(fd, FILE_LEN, MAP_SHARED);
	for (i = 0; i < FILE_LEN; i++)
		bad += p[i] != pat(how, i);
	munmap(p, FILE_LEN);
	close(fd);
	if (bad)
		ksft_print_msg("%s: %zu bytes differ after remount (read(2) + mmap)\n", how_name[how], bad);
	return bad == 0;
}

int main(int argc, char **argv)
{
	char why[HOW_COUNT][GTEST_MSG_MAX];
	int state[HOW_COUNT], how;
	struct gopts o;

	bench_set_name("dax_persist");
	gopts_parse(&o, argc, argv);
	if (!o.dev)
		die("--dev is required (the program remounts --dir)");
	ksft_print_header();
	ksft_set_plan(HOW_COUNT);
	for (how = 0; how < HOW_COUNT; how++)
		state[how] = write_one(&o, how, why[how], sizeof(why[how]));
	sync();
	if (umount2(o.dir, 0))
		die_errno("umount %s", o.dir);
	if (mount(o.dev, o.dir, o.fs, 0, MOUNT_OPTS))
		die_errno("mount -t %s -o %s %s %s", o.fs, MOUNT_OPTS, o.dev, o.dir);
	for (how = 0; how < HOW_COUNT; how++) {
		if (state[how] == 1) {
			gtest_skip(how_name[how], why[how]);
			continue;
		}
		if (state[how] < 0) {
			ksft_print_msg("%s: %s\n", how_name[how], why[how]);
			gtest_result(0, how_name[how]);
			continue;
		}
		gtest_result(verify_one(&o, how), how_name[how]);
		gremove(&o, how_name[how]);
	}
	return gtest_exit();
}
