// SPDX-License-Identifier: GPL-2.0
/*
 * lmdb: an LMDB database on a DAX file, used as its programs use it
 * (liblmdb from Debian, linked statically; daxbench wrote none of it).
 *
 * Once: a database of --keys keys (16-byte keys, --value byte values)
 * is built at --file (MDB_NOSUBDIR: the data file is PATH, its lock file
 * PATH-lock) with ordinary writes.  Then per repetition, two windows:
 *
 *   phase=get  --readers fresh processes, one after another as a
 *              server's workers would start, each opens the environment
 *              (a new mapping of the data file), does --gets random gets
 *              in one read transaction and exits: cross-process
 *              re-faults of a file whose DAX entries exist.
 *   phase=put  one process opens the environment with MDB_WRITEMAP
 *              (LMDB writes through the mapping: write faults), updates
 *              --puts random keys, 100 per transaction, and calls
 *              mdb_env_sync(): writeback of the dirtied pages.
 *
 * Rows per window: ops_per_s and ns_per_op (operations: gets or puts,
 * the environment opens included, as a program pays them), and the
 * window's counters (faults of the workers included).
 */

#include "lib/bench.h"

#include <lmdb.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_KEYS	100000
#define DEFAULT_VALUE	100
#define DEFAULT_READERS	4
#define DEFAULT_GETS	10000
#define DEFAULT_PUTS	10000
#define DEFAULT_REPS	3
#define PUTS_PER_TXN	100
#define MAP_SIZE	(1ULL << 30)
#define VALUE_MAX	4000

struct opts {
	const char *path;
	uint64_t keys, gets, puts;
	int value, readers, reps;
};

static const char usage[] =
	"usage: lmdb --file PATH [--keys N] [--value BYTES] [--readers N]\n"
	"            [--gets N] [--puts N] [--reps N]\n";

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_U64("keys", &o->keys, 1, 100000000, "keys"),
		OPT_INT("value", &o->value, 1, VALUE_MAX),
		OPT_INT("readers", &o->readers, 1, 64),
		OPT_U64("gets", &o->gets, 1, 100000000, "gets"),
		OPT_U64("puts", &o->puts, 1, 100000000, "puts"),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->keys = DEFAULT_KEYS;
	o->value = DEFAULT_VALUE;
	o->readers = DEFAULT_READERS;
	o->gets = DEFAULT_GETS;
	o->puts = DEFAULT_PUTS;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
}

static void check(int rc, const char *what)
{
	if (rc)
		die("lmdb: %s: %s", what, mdb_strerror(rc));
}

/* Key i as 16 bytes, "k" and 15 digits (keys are below 10^15). */
static void key_of(uint64_t i, char *k)
{
	int d;

	k[0] = 'k';
	for (d = 15; d >= 1; d--, i /= 10)
		k[d] = (char)('0' + i % 10);
	k[16] = '\0';
}

static MDB_env *env_open(const struct opts *o, unsigned int flags)
{
	MDB_env *env;

	check(mdb_env_create(&env), "mdb_env_create");
	check(mdb_env_set_mapsize(env, MAP_SIZE), "mdb_env_set_mapsize");
	check(mdb_env_open(env, o->path, MDB_NOSUBDIR | flags, 0644),
	      "mdb_env_open");
	return env;
}

/* The data file and its lock file. */
static void remove_db(const struct opts *o)
{
	char lock[4096];

	unlink(o->path);
	snprintf(lock, sizeof(lock), "%s-lock", o->path);
	unlink(lock);
}

static void build(const struct opts *o)
{
	char k[17], v[VALUE_MAX];
	MDB_val key = { 16, k }, val = { (size_t)o->value, v };
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	uint64_t i;

	remove_db(o);
	memset(v, FILL_BYTE, sizeof(v));
	env = env_open(o, 0);
	check(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
	check(mdb_dbi_open(txn, NULL, 0, &dbi), "mdb_dbi_open");
	for (i = 0; i < o->keys; i++) {
		key_of(i, k);
		check(mdb_put(txn, dbi, &key, &val, MDB_APPEND), "mdb_put");
	}
	check(mdb_txn_commit(txn), "mdb_txn_commit");
	check(mdb_env_sync(env, 1), "mdb_env_sync");
	mdb_env_close(env);
}

/* One worker: a fresh process's gets.  Exits 0 if every key was found. */
static void reader(const struct opts *o, uint64_t seed)
{
	char k[17];
	MDB_val key = { 16, k }, val;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	uint64_t i, sum = 0;

	/* stdout's buffer holds the parent's rows: never ours to write */
	__fpurge(stdout);
	env = env_open(o, MDB_RDONLY);
	check(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "mdb_txn_begin");
	check(mdb_dbi_open(txn, NULL, 0, &dbi), "mdb_dbi_open");
	for (i = 0; i < o->gets; i++) {
		key_of(xorshift64(&seed) % o->keys, k);
		check(mdb_get(txn, dbi, &key, &val), "mdb_get");
		sum += ((const unsigned char *)val.mv_data)[0];
	}
	mdb_txn_abort(txn);
	mdb_env_close(env);
	_exit(sum == i * FILL_BYTE ? 0 : 3);
}

static void gets(const struct opts *o, const struct tsv *t, int rep)
{
	struct bench_window w;
	int i, status;
	pid_t pid;

	window_start(&w);
	for (i = 0; i < o->readers; i++) {
		pid = fork();
		if (pid < 0)
			die_errno("fork");
		if (pid == 0)
			reader(o, (uint64_t)rep * 1000 + (uint64_t)i + 1);
		if (waitpid(pid, &status, 0) != pid)
			die_errno("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("reader %d failed (status 0x%x)", i, status);
	}
	window_stop(&w);
	window_emit_ops(t, rep, &w, (uint64_t)o->readers * o->gets);
}

static void puts_(const struct opts *o, const struct tsv *t, int rep)
{
	char k[17], v[VALUE_MAX];
	MDB_val key = { 16, k }, val = { (size_t)o->value, v };
	uint64_t i, seed = (uint64_t)rep + 77;
	struct bench_window w;
	MDB_txn *txn = NULL;
	MDB_env *env;
	MDB_dbi dbi;

	memset(v, FILL_BYTE, sizeof(v));
	window_start(&w);
	env = env_open(o, MDB_WRITEMAP);
	for (i = 0; i < o->puts; i++) {
		if (i % PUTS_PER_TXN == 0) {
			if (txn)
				check(mdb_txn_commit(txn), "mdb_txn_commit");
			check(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
			check(mdb_dbi_open(txn, NULL, 0, &dbi), "mdb_dbi_open");
		}
		key_of(xorshift64(&seed) % o->keys, k);
		check(mdb_put(txn, dbi, &key, &val, 0), "mdb_put");
	}
	check(mdb_txn_commit(txn), "mdb_txn_commit");
	check(mdb_env_sync(env, 1), "mdb_env_sync");
	mdb_env_close(env);
	window_stop(&w);
	window_emit_ops(t, rep, &w, o->puts);
}

int main(int argc, char **argv)
{
	struct tsv get, put;
	struct opts o;
	int rep;

	bench_set_name("lmdb");
	parse_opts(argc, argv, &o);
	if (path_is_chardev(o.path))
		skip("LMDB needs a file; device-dax has none");
	tsv_init(&get, stdout, "lmdb");
	tsv_case(&get, "keys", "%llu", (unsigned long long)o.keys);
	tsv_case(&get, "value", "%d", o.value);
	put = get;
	tsv_case(&get, "phase", "get");
	tsv_case(&get, "readers", "%d", o.readers);
	tsv_case(&get, "gets", "%llu", (unsigned long long)o.gets);
	tsv_case(&put, "phase", "put");
	tsv_case(&put, "puts", "%llu", (unsigned long long)o.puts);
	build(&o);
	for (rep = 1; rep <= o.reps; rep++) {
		gets(&o, &get, rep);
		puts_(&o, &put, rep);
	}
	remove_db(&o);
	return 0;
}
