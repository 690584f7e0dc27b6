// SPDX-License-Identifier: GPL-2.0
/* bench/lib: TSV rows: the case string and one row per metric. */

#include "bench.h"

#include <stdarg.h>
#include <string.h>

/*
 * Rows wait in a buffer that holds a whole run's output, and go out when
 * the program exits.  stdout is a pipe to the guest's result channel: a
 * 4 KiB block written between two windows woke its reader, which ran (and
 * drove the serial port, ~200k instructions) inside the next window as
 * soon as the benchmark blocked on its workers.
 */
static char out_buf[1 << 20];

void tsv_init(struct tsv *t, FILE *out, const char *workload)
{
	static FILE *buffered;

	if (!buffered) {
		if (setvbuf(out, out_buf, _IOFBF, sizeof(out_buf)))
			die("setvbuf failed");
		buffered = out;
	}
	t->out = out;
	t->workload = workload;
	t->casestr[0] = '\0';
}

void tsv_case(struct tsv *t, const char *key, const char *fmt, ...)
{
	size_t len = strlen(t->casestr);
	va_list ap;
	int n;

	n = snprintf(t->casestr + len, sizeof(t->casestr) - len, "%s%s=",
		     len ? "," : "", key);
	if (n < 0 || (size_t)n >= sizeof(t->casestr) - len)
		die("case string too long at '%s'", key);
	len += (size_t)n;
	va_start(ap, fmt);
	n = vsnprintf(t->casestr + len, sizeof(t->casestr) - len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(t->casestr) - len)
		die("case string too long at '%s'", key);
}

static void tsv_check(const struct tsv *t)
{
	if (ferror(t->out))
		die("writing results failed");
}

void tsv_row(const struct tsv *t, const char *metric, const char *unit,
	     int rep, double value)
{
	fprintf(t->out, "%s\t%s\t%s\t%s\t%d\t%.6g\n", t->workload,
		t->casestr[0] ? t->casestr : "-", metric, unit, rep, value);
	tsv_check(t);
}

void tsv_row_u64(const struct tsv *t, const char *metric, const char *unit,
		 int rep, uint64_t value)
{
	fprintf(t->out, "%s\t%s\t%s\t%s\t%d\t%llu\n", t->workload,
		t->casestr[0] ? t->casestr : "-", metric, unit, rep,
		(unsigned long long)value);
	tsv_check(t);
}

void tsv_stats(const struct tsv *t, const char *prefix, const char *unit,
	       int rep, const struct stats *st)
{
	char m[64];

	snprintf(m, sizeof(m), "%s_p50", prefix);
	tsv_row(t, m, unit, rep, st->p50);
	snprintf(m, sizeof(m), "%s_p90", prefix);
	tsv_row(t, m, unit, rep, st->p90);
	snprintf(m, sizeof(m), "%s_p99", prefix);
	tsv_row(t, m, unit, rep, st->p99);
	snprintf(m, sizeof(m), "%s_max", prefix);
	tsv_row(t, m, unit, rep, st->max);
}
