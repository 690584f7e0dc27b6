/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gtest.h: options, reporting and file helpers shared by the in-guest
 * test programs.
 *
 * Results are reported with the kernel's own kselftest.h, from the pinned
 * tree's tools/testing/selftests (bench/Makefile finds it): a TAP plan,
 * "ok N name", "not ok N name", "ok N # SKIP ...", "ok N # XFAIL ..." for
 * a known failure, "# ..." diagnostics and a "# Totals" line.
 *
 * Every program takes --dir DIR (a directory on a -o dax filesystem) and
 * --fs TYPE (ext4, ext2, xfs: decides which "not supported" answers are
 * a skip and which a failure); some take --dev, --seed and --ops.
 */
#ifndef DAXBENCH_GTEST_H
#define DAXBENCH_GTEST_H

#include "lib/bench.h"
#include "kselftest.h"
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#define PATH_LEN	512
#define DEFAULT_OPS	10000
#define MAX_OPS		100000000L
#define GTEST_NAME_MAX	160
#define GTEST_MSG_MAX	512

struct gopts {
	const char *dir;
	const char *fs;
	const char *dev;
	uint64_t seed;
	long ops;
};

/* A seed: a whole decimal or 0x number, all of it (no size suffix). */
static inline uint64_t parse_seed(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		die("--seed '%s' is not a number", s);
	return v;
}

static inline void gopts_parse(struct gopts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "fs", required_argument, NULL, 'f' },
		{ "dev", required_argument, NULL, 'D' },
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* whole lines out before a fork() or a fatal signal */
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(o, 0, sizeof(*o));
	o->fs = "ext4";
	o->ops = DEFAULT_OPS;
	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->dir = optarg; break;
		case 'f': o->fs = optarg; break;
		case 'D': o->dev = optarg; break;
		case 's': o->seed = parse_seed(optarg); break;
		case 'n': o->ops = parse_long(optarg, 1, MAX_OPS, "--ops"); break;
		default: die("usage: %s --dir DIR --fs TYPE [--dev DEV] [--seed N] [--ops N]", argv[0]);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (usage: %s --dir DIR --fs TYPE ...)",
		    argv[optind], argv[0]);
	if (!o->dir)
		die("--dir is required");
	if (!o->seed)
		o->seed = 1;
}

/* One case's result, by name; a skip names its case and reason. */
static inline void gtest_result(int ok, const char *name)
{
	ksft_test_result(ok, "%s\n", name);
}

static inline void gtest_skip(const char *name, const char *reason)
{
	ksft_test_result_skip("%s: %s\n", name, reason);
}

/*
 * A known failure: kselftest.h reports it as XFAIL, not counted as a
 * failure; one that passes now is a pass that says so, so that the
 * note can be dropped.
 */
static inline void known_failure(int ok, const char *name, const char *why)
{
	if (ok)
		ksft_test_result_pass("%s (known failure, passes now: %s)\n",
				      name, why);
	else
		ksft_test_result_xfail("%s: %s\n", name, why);
}

/* The exit status: failure if any case failed (6.1's ksft_finished()
 * compares only the plan), after the "# Totals" line. */
static inline int gtest_exit(void)
{
	return ksft_get_fail_cnt() ? ksft_exit_fail() : ksft_exit_pass();
}

static inline void gpath(char *buf, const struct gopts *o, const char *name)
{
	snprintf(buf, PATH_LEN, "%s/%s", o->dir, name);
}

/* A fresh, empty file; dies on error. */
static inline int gcreate(const struct gopts *o, const char *name)
{
	char p[PATH_LEN];
	int fd;

	gpath(p, o, name);
	unlink(p);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die_errno("create %s", p);
	return fd;
}

static inline void gremove(const struct gopts *o, const char *name)
{
	char p[PATH_LEN];

	gpath(p, o, name);
	unlink(p);
}

static inline int is_ext2(const struct gopts *o)
{
	return !strcmp(o->fs, "ext2");
}

/* Full pwrite or die. */
static inline void gpwrite(int fd, const void *buf, size_t len, off_t off)
{
	const char *b = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, b, len, off);
		if (n <= 0)
			die_errno("pwrite %zu at %lld", len, (long long)off);
		b += n;
		len -= (size_t)n;
		off += n;
	}
}

/* pread as much as the file has; returns the bytes read. */
static inline size_t gpread(int fd, void *buf, size_t len, off_t off)
{
	char *b = buf;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = pread(fd, b + got, len - got, off + (off_t)got);
		if (n < 0)
			die_errno("pread");
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* Bytes of @p[0..len) that are not @v. */
static inline size_t count_not(const unsigned char *p, size_t len,
			       unsigned char v)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += p[i] != v;
	return n;
}

static inline void *gmap(int fd, size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);

	if (p == MAP_FAILED)
		die_errno("mmap %zu bytes", len);
	return p;
}

#endif
