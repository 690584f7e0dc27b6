// SPDX-License-Identifier: GPL-2.0
/*
 * numa: DAX fault cost from a CPU near the NVDIMM and from one far away.
 *
 * The thread is pinned to each NUMA node in turn (libnuma:
 * numa_run_on_node), the file is written anew (no DAX entries yet),
 * and every page is touched through a PTE mapping.  The case names the
 * node that ran and whether it is the NVDIMM's node (local=1) or not.
 * The NVDIMM's node is read from the pmem block device's sysfs
 * (guest-run.sh --accel tcg-numa puts it on node 1).  A guest with one
 * node has nothing to compare: the workload exits with "skip".
 */

#include "lib/bench.h"

#include <limits.h>
#include <numa.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DEFAULT_SIZE	(64UL << 20)
#define DEFAULT_REPS	3

struct opts {
	const char *path;
	uint64_t size;
	int write;
	int reps;
};

static const char usage[] =
	"usage: numa --file PATH [--size N] [--op read|write] [--reps N]\n";

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_SIZE("size", &o->size),
		OPT_OP(&o->write),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
	check_multiple("size", o->size, PMD_SIZE_2M);
}

/* NUMA node of the device holding @path (the file's filesystem, or the
 * device-dax character device itself); -1 if sysfs does not say. */
static int device_node(const char *path)
{
	char sysfs[PATH_MAX];
	struct stat st;
	dev_t dev;
	long node;

	if (stat(path, &st))
		die_errno("stat %s", path);
	dev = S_ISCHR(st.st_mode) ? st.st_rdev : st.st_dev;
	/* A block device names its parent; a dax device has the attribute. */
	snprintf(sysfs, sizeof(sysfs), "/sys/dev/%s/%u:%u/%snuma_node",
		 S_ISCHR(st.st_mode) ? "char" : "block", major(dev), minor(dev),
		 S_ISCHR(st.st_mode) ? "" : "device/");
	if (knob_read(sysfs, &node))
		return -1;
	return (int)node;
}

static void run_node(const struct opts *o, const struct tsv *base, int node,
		     int pmem_node)
{
	volatile char *map;
	struct tsv t = *base;
	int fd, rep;

	if (numa_run_on_node(node))
		die_errno("numa_run_on_node(%d)", node);
	tsv_case(&t, "node", "%d", node);
	tsv_case(&t, "local", "%d", node == pmem_node);
	for (rep = 1; rep <= o->reps; rep++) {
		if (!path_is_chardev(o->path))	/* no DAX entries yet */
			file_create(o->path, o->size, LAYOUT_WRITTEN);
		fd = open_dax(o->path);
		map = map_dax(fd, o->size, MAP_SHARED, 0);
		touch_measured(&t, rep, map, o->size, o->write);
		munmap((void *)map, o->size);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	int node, pmem_node, max;
	struct opts o;
	struct tsv t;

	bench_set_name("numa");
	parse_opts(argc, argv, &o);
	if (numa_available() < 0)
		skip("the kernel has no NUMA support");
	max = numa_max_node();
	if (max < 1)
		skip("one NUMA node: boot with guest-run.sh --accel tcg-numa");
	if (!path_is_chardev(o.path))
		file_create(o.path, o.size, LAYOUT_WRITTEN);	/* for device_node() */
	pmem_node = device_node(o.path);
	tsv_init(&t, stdout, "numa");
	tsv_case(&t, "op", "%s", o.write ? "write" : "read");
	tsv_case(&t, "size", "%lluM", (unsigned long long)(o.size >> 20));
	tsv_row(&t, "pmem_node", "node", 0, pmem_node);
	for (node = 0; node <= max; node++)
		if (numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)node))
			run_node(&o, &t, node, pmem_node);
	return 0;
}
