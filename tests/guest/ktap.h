/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktap.h: the few helpers every in-guest test program shares.
 *
 * KTAP output ("KTAP version 1", "1..N", "ok N name", "not ok N name",
 * "ok N name # SKIP reason"), a counter of failed cases for the exit
 * status, and a SIGBUS-safe byte probe for mapped memory.
 */
#ifndef DAXBENCH_KTAP_H
#define DAXBENCH_KTAP_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KTAP_NAME_MAX	160
#define KTAP_MSG_MAX	512

static int ktap_case_no;
static int ktap_failed;

static inline void ktap_plan(int n)
{
	printf("KTAP version 1\n1..%d\n", n);
	fflush(stdout);
}

/* Diagnostic line ("# ..."), goes with the KTAP output. */
__attribute__((format(printf, 1, 2)))
static inline void ktap_diag(const char *fmt, ...)
{
	char msg[KTAP_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# %s\n", msg);
	fflush(stdout);
}

static inline void ktap_result(int ok, const char *name)
{
	ktap_case_no++;
	if (!ok)
		ktap_failed++;
	printf("%sok %d %s\n", ok ? "" : "not ", ktap_case_no, name);
	fflush(stdout);
}

static inline void ktap_skip(const char *name, const char *reason)
{
	ktap_case_no++;
	printf("ok %d %s # SKIP %s\n", ktap_case_no, name, reason);
	fflush(stdout);
}

/* A known failure (KTAP/TAP TODO): reported, not counted as a failure;
 * a TODO case that passes is reported too, so the note can be dropped. */
static inline void ktap_todo(int ok, const char *name, const char *why)
{
	ktap_case_no++;
	printf("%sok %d %s # TODO %s\n", ok ? "" : "not ", ktap_case_no, name,
	       why);
	fflush(stdout);
}

static inline int ktap_exit(void)
{
	return ktap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* --- SIGBUS-safe access to a mapping -------------------------------- */

#define PROBE_OK	0
#define PROBE_SIGBUS	1

static __thread sigjmp_buf probe_env;
static __thread volatile sig_atomic_t probe_armed;

static inline void probe_handler(int sig)
{
	if (probe_armed)
		siglongjmp(probe_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static volatile sig_atomic_t probe_installed;

/* The handler is the process's; probe_read() and probe_write() install it
 * themselves if the program did not, so no test can forget it. */
static inline void probe_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	probe_installed = 1;
}

/* Copy @len bytes from mapped @src to @dst; PROBE_SIGBUS if a fault
 * could not be served (the copied part is undefined then).  The jump
 * buffer is per thread, so threads may probe at the same time. */
static inline int probe_read(void *dst, const volatile void *src, size_t len)
{
	const volatile unsigned char *s = src;
	unsigned char *d = dst;
	size_t i;

	if (!probe_installed)
		probe_install();
	if (sigsetjmp(probe_env, 1)) {
		probe_armed = 0;
		return PROBE_SIGBUS;
	}
	probe_armed = 1;
	for (i = 0; i < len; i++)
		d[i] = s[i];
	probe_armed = 0;
	return PROBE_OK;
}

/* Write @len bytes of @byte to mapped @dst; PROBE_SIGBUS on a fault. */
static inline int probe_write(volatile void *dst, int byte, size_t len)
{
	volatile unsigned char *d = dst;
	size_t i;

	if (!probe_installed)
		probe_install();
	if (sigsetjmp(probe_env, 1)) {
		probe_armed = 0;
		return PROBE_SIGBUS;
	}
	probe_armed = 1;
	for (i = 0; i < len; i++)
		d[i] = (unsigned char)byte;
	probe_armed = 0;
	return PROBE_OK;
}

#endif
