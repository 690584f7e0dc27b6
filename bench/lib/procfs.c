// SPDX-License-Identifier: GPL-2.0
/* bench/lib: kernel memory and tunables: /proc/slabinfo, /proc/meminfo, one-number knobs, /proc/kallsyms. */

#include "bench.h"

#include <string.h>

int64_t slab_bytes(const char *name)
{
	unsigned long active, total, objsize;
	char line[512], cache[128];
	int64_t ret = -1;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %lu %lu %lu", cache, &active, &total,
			   &objsize) != 4)
			continue;
		if (!strcmp(cache, name)) {
			ret = (int64_t)active * (int64_t)objsize;
			break;
		}
	}
	fclose(f);
	return ret;
}

int64_t meminfo_bytes(const char *field)
{
	char line[256], name[128];
	unsigned long kb;
	int64_t ret = -1;
	size_t len = strlen(field);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127[^:]: %lu", name, &kb) != 2)
			continue;
		if (strlen(name) == len && !strcmp(name, field)) {
			ret = (int64_t)kb * 1024;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* A number, or a debugfs bool (Y or N) read as 1 or 0. */
int knob_read(const char *path, long *v)
{
	FILE *f = fopen(path, "r");
	char yn;
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%ld", v) == 1;
	if (!ok && fscanf(f, " %c", &yn) == 1 && (yn == 'Y' || yn == 'N')) {
		*v = yn == 'Y';
		ok = 1;
	}
	fclose(f);
	return ok ? 0 : -1;
}

void knob_write(const char *path, long v)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die_errno("open %s", path);
	fprintf(f, "%ld\n", v);
	if (fclose(f))
		die_errno("write %s", path);
}

/* 1 if /proc/kallsyms names function or object @sym, 0 if not, -1 if it
 * cannot be read. */
int kallsyms_has(const char *sym)
{
	char line[512], name[256];
	int ret = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %255s", name) == 1 &&
		    !strcmp(name, sym)) {
			ret = 1;
			break;
		}
	}
	fclose(f);
	return ret;
}
