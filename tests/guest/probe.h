/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe.h: SIGBUS-safe access to mapped memory for the in-guest test
 * programs (their reporting is the kernel's kselftest.h, see gtest.h).
 */
#ifndef DAXBENCH_PROBE_H
#define DAXBENCH_PROBE_H

#include <setjmp.h>
#include <signal.h>
#include <string.h>

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

/*
 * Copy @len bytes from @src to @dst, or with no @src write @len bytes of
 * @byte; either side may be mapped.  PROBE_SIGBUS if a fault could not be
 * served (the copied part is undefined then).  The jump buffer is per
 * thread, so threads may probe at the same time.
 */
static inline int probe_copy(volatile unsigned char *dst,
			     const volatile unsigned char *src, int byte,
			     size_t len)
{
	size_t i;

	if (!probe_installed)
		probe_install();
	if (sigsetjmp(probe_env, 1)) {
		probe_armed = 0;
		return PROBE_SIGBUS;
	}
	probe_armed = 1;
	for (i = 0; i < len; i++)
		dst[i] = src ? src[i] : (unsigned char)byte;
	probe_armed = 0;
	return PROBE_OK;
}

/* Read @len bytes of mapped @src into @dst. */
static inline int probe_read(void *dst, const volatile void *src, size_t len)
{
	return probe_copy(dst, src, 0, len);
}

/* Write @len bytes of @byte to mapped @dst. */
static inline int probe_write(volatile void *dst, int byte, size_t len)
{
	return probe_copy(dst, NULL, byte, len);
}

#endif
