// SPDX-License-Identifier: GPL-2.0
/*
 * tbcount: a QEMU TCG plugin that counts, for every translation block the
 * guest executes at or above a start address (the kernel's text by
 * default), how often it ran.  At exit it writes one line per block:
 *
 *	<vaddr, 16 hex digits> <instructions in the block> <executions>
 *
 * scripts/fault-profile.sh subtracts two boots that differ only in the
 * work measured and adds the blocks up per kernel symbol: an exact count
 * of the instructions each function executed, without the skid of
 * sampling (a sample due while interrupts are off is taken where they
 * come back on).  Counting is an inline add per block execution, so it
 * costs the guest nothing and does not change icount's instruction
 * count.  A block cut short by an exception or interrupt counts whole.
 * The adds are not atomic: with several vCPUs under multi-threaded TCG
 * some are lost, so exact counts need one vCPU (icount has one).
 *
 * usage: -plugin tbcount.so,out=FILE[,min=HEXADDR]
 *
 * The declarations below are the parts of QEMU's plugin API (version 1,
 * as in QEMU 7.2) that this plugin uses; Debian ships no header for it.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info;		/* passed to install; not read here */
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb cb,
				    void *userdata);

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
			       const struct qemu_info *info,
			       int argc, char **argv);

/* Records live in chunks that never move: inline ops keep their address. */
#define CHUNK_RECORDS	65536

struct record {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t count;
};

struct chunk {
	struct chunk *next;
	size_t used;
	struct record rec[CHUNK_RECORDS];
};

static struct chunk *chunks;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t min_vaddr = 0xffffffff80000000ULL;
static char *out_path;

static struct record *new_record(void)
{
	struct chunk *c = chunks;

	if (!c || c->used == CHUNK_RECORDS) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		c->next = chunks;
		chunks = c;
	}
	return &c->rec[c->used++];
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct record *r;

	(void)id;
	if (vaddr < min_vaddr)
		return;
	pthread_mutex_lock(&lock);
	r = new_record();
	pthread_mutex_unlock(&lock);
	if (!r) {
		fprintf(stderr, "tbcount: out of memory; counts are incomplete\n");
		return;
	}
	r->vaddr = vaddr;
	r->insns = qemu_plugin_tb_n_insns(tb);
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &r->count, 1);
}

/* A block translated again (after a flush) has a record per translation. */
static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	struct chunk *c;
	size_t i;
	FILE *f;

	(void)id;
	(void)userdata;
	f = fopen(out_path, "w");
	if (!f) {
		perror(out_path);
		return;
	}
	for (c = chunks; c; c = c->next)
		for (i = 0; i < c->used; i++)
			if (c->rec[i].count)
				fprintf(f, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
					c->rec[i].vaddr, c->rec[i].insns,
					c->rec[i].count);
	if (fclose(f))
		perror(out_path);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
			       const struct qemu_info *info,
			       int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			out_path = argv[i] + 4;
		} else if (!strncmp(argv[i], "min=", 4)) {
			char *end;

			min_vaddr = strtoull(argv[i] + 4, &end, 16);
			if (*end || end == argv[i] + 4) {
				fprintf(stderr, "tbcount: min= takes a hex address, not '%s'\n",
					argv[i] + 4);
				return 1;
			}
		} else {
			fprintf(stderr, "tbcount: unknown argument '%s' (out=FILE, min=HEXADDR)\n",
				argv[i]);
			return 1;
		}
	}
	if (!out_path || !*out_path) {
		fprintf(stderr, "tbcount: no out=FILE given\n");
		return 1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
