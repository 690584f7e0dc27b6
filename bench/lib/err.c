// SPDX-License-Identifier: GPL-2.0
/* bench/lib: errors and skipping a case: the workload's name, die(), skip(). */

#include "bench.h"

#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *bench_name = "bench";

void bench_set_name(const char *name)
{
	bench_name = name;
	/*
	 * A fixed threshold turns off malloc's dynamic one, so that no
	 * free() between two measured windows moves later allocations
	 * between mmap() and the heap (and so the address space the next
	 * window faults in).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

__attribute__((noreturn))
static void vdie(int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: error: ", bench_name);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	exit(1);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(0, fmt, ap);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vdie(err, fmt, ap);
}

void skip(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: skip: ", bench_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_SKIP);
}
