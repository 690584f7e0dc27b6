// SPDX-License-Identifier: GPL-2.0
/* bench/lib: kernel counters around a measured window (debugfs dax/stats, getrusage). */

#include "bench.h"

#include <string.h>
#include <sys/resource.h>

const char *kcounters_dax_path = "/sys/kernel/debug/dax/stats";

/* Page faults of this process and of its children it has waited for (an
 * application workload's worker processes). */
static uint64_t self_faults(void)
{
	struct rusage ru, rc;

	if (getrusage(RUSAGE_SELF, &ru) || getrusage(RUSAGE_CHILDREN, &rc))
		die_errno("getrusage");
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt +
	       (uint64_t)rc.ru_minflt + (uint64_t)rc.ru_majflt;
}

void kcounters_read(struct kcounters *k)
{
	char name[KCOUNT_NAME];
	unsigned long long v;
	FILE *f;

	memset(k, 0, sizeof(*k));
	f = fopen(kcounters_dax_path, "r");
	if (f) {
		k->have_dax = 1;
		while (fscanf(f, "%63s %llu", name, &v) == 2) {
			if (k->n == KCOUNT_MAX)
				die("%s has more than %d counters (at %s); raise KCOUNT_MAX in bench/lib/bench.h",
				    kcounters_dax_path, KCOUNT_MAX, name);
			memcpy(k->name[k->n], name, KCOUNT_NAME);
			k->val[k->n++] = v;
		}
		fclose(f);
	}
	k->faults = self_faults();
}

static const uint64_t *kcounters_find(const struct kcounters *k,
				      const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->name[i], name))
			return &k->val[i];
	return NULL;
}

int kcounters_has(const struct kcounters *k, const char *name)
{
	return kcounters_find(k, name) != NULL;
}

uint64_t kcounters_get(const struct kcounters *k, const char *name)
{
	const uint64_t *v = kcounters_find(k, name);

	return v ? *v : 0;
}

void kcounters_delta(const struct kcounters *a, const struct kcounters *b,
		     struct kcounters *d)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->have_dax = a->have_dax && b->have_dax;
	for (i = 0; i < b->n; i++) {
		memcpy(d->name[i], b->name[i], KCOUNT_NAME);
		d->val[i] = b->val[i] - kcounters_get(a, b->name[i]);
	}
	d->n = b->n;
	d->faults = b->faults - a->faults;
}

void kcounters_emit(const struct tsv *t, int rep, const struct kcounters *d,
		    uint64_t pages)
{
	uint64_t fs_calls;
	size_t i;

	tsv_row_u64(t, "faults", "count", rep, d->faults);
	if (pages)
		tsv_row(t, "faults_per_page", "ratio", rep,
			(double)d->faults / (double)pages);
	if (!d->have_dax)
		return;
	for (i = 0; i < d->n; i++)
		tsv_row_u64(t, d->name[i], "count", rep, d->val[i]);
	fs_calls = kcounters_get(d, "fs_iomap_begin") +
		   kcounters_get(d, "fs_get_block") +
		   kcounters_get(d, "fs_populate_pfns");
	tsv_row_u64(t, "fs_calls", "count", rep, fs_calls);
	if (d->faults)
		tsv_row(t, "fs_calls_per_fault", "ratio", rep,
			(double)fs_calls / (double)d->faults);
}

void window_emit_ops(const struct tsv *t, int rep, const struct bench_window *w,
		     uint64_t ops)
{
	if (!ops || !w->ns)
		die("a window of %llu operations in %llu ns",
		    (unsigned long long)ops, (unsigned long long)w->ns);
	tsv_row(t, "ops_per_s", "count/s", rep,
		(double)ops * (double)NSEC_PER_SEC / (double)w->ns);
	tsv_row(t, "ns_per_op", "ns", rep, (double)w->ns / (double)ops);
	tsv_row_u64(t, "ops", "count", rep, ops);
	kcounters_emit(t, rep, &w->delta, 0);
}
