// SPDX-License-Identifier: GPL-2.0
/*
 * sqlite: an SQLite database on a DAX file, read through SQLite's own
 * memory-mapped I/O (libsqlite3 from Debian, linked statically; daxbench
 * wrote none of it).
 *
 * Once: a table t(id INTEGER PRIMARY KEY, v BLOB) of --rows rows of
 * --value bytes is built at --file with ordinary writes.  Then per
 * repetition, two windows, each on a new connection (a new mapping)
 * with PRAGMA mmap_size covering the whole file, so SQLite reads pages
 * through the mapping, not read():
 *
 *   phase=point  --queries SELECT v FROM t WHERE id = ? with random ids;
 *   phase=scan   one SELECT sum(length(v)) FROM t over every row.
 *
 * Rows per window: ops_per_s and ns_per_op (queries; for the scan,
 * rows), the open included, and the window's counters.
 */

#include "lib/bench.h"

#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_ROWS	100000
#define DEFAULT_VALUE	100
#define DEFAULT_QUERIES	20000
#define DEFAULT_REPS	3
#define VALUE_MAX	4000
#define MMAP_MAX	(1LL << 30)

struct opts {
	const char *path;
	uint64_t rows, queries;
	int value, reps;
};

static const char usage[] =
	"usage: sqlite --file PATH [--rows N] [--value BYTES] [--queries N]\n"
	"              [--reps N]\n";

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const struct bench_opt opts[] = {
		OPT_FILE(&o->path),
		OPT_U64("rows", &o->rows, 1, 100000000, "rows"),
		OPT_INT("value", &o->value, 1, VALUE_MAX),
		OPT_U64("queries", &o->queries, 1, 100000000, "queries"),
		OPT_REPS(&o->reps),
		OPT_END
	};

	memset(o, 0, sizeof(*o));
	o->rows = DEFAULT_ROWS;
	o->value = DEFAULT_VALUE;
	o->queries = DEFAULT_QUERIES;
	o->reps = DEFAULT_REPS;
	bench_parse(argc, argv, opts, usage);
}

static void check(sqlite3 *db, int rc, int want, const char *what)
{
	if (rc != want)
		die("sqlite: %s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static void exec(sqlite3 *db, const char *sql)
{
	check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, sql);
}

static sqlite3 *db_open(const char *path)
{
	char pragma[64];
	sqlite3 *db;

	check(NULL, sqlite3_open(path, &db), SQLITE_OK, "sqlite3_open");
	snprintf(pragma, sizeof(pragma), "PRAGMA mmap_size=%lld", MMAP_MAX);
	exec(db, pragma);
	return db;
}

static void build(const struct opts *o)
{
	char v[VALUE_MAX];
	sqlite3_stmt *st;
	sqlite3 *db;
	uint64_t i;

	unlink(o->path);
	memset(v, FILL_BYTE, sizeof(v));
	db = db_open(o->path);
	exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
	exec(db, "BEGIN");
	check(db, sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?, ?)", -1, &st, NULL),
	      SQLITE_OK, "prepare insert");
	for (i = 0; i < o->rows; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		sqlite3_bind_blob(st, 2, v, o->value, SQLITE_STATIC);
		check(db, sqlite3_step(st), SQLITE_DONE, "insert");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	exec(db, "COMMIT");
	check(db, sqlite3_close(db), SQLITE_OK, "sqlite3_close");
}

static void point(const struct opts *o, const struct tsv *t, int rep)
{
	uint64_t i, seed = (uint64_t)rep + 11, sum = 0;
	struct bench_window w;
	sqlite3_stmt *st;
	sqlite3 *db;

	window_start(&w);
	db = db_open(o->path);
	check(db, sqlite3_prepare_v2(db, "SELECT v FROM t WHERE id = ?", -1, &st, NULL),
	      SQLITE_OK, "prepare select");
	for (i = 0; i < o->queries; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)(xorshift64(&seed) % o->rows));
		check(db, sqlite3_step(st), SQLITE_ROW, "select");
		sum += ((const unsigned char *)sqlite3_column_blob(st, 0))[0];
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	check(db, sqlite3_close(db), SQLITE_OK, "sqlite3_close");
	window_stop(&w);
	if (sum != o->queries * FILL_BYTE)
		die("point queries read wrong values");
	window_emit_ops(t, rep, &w, o->queries);
}

static void scan(const struct opts *o, const struct tsv *t, int rep)
{
	struct bench_window w;
	sqlite3_stmt *st;
	sqlite3_int64 len;
	sqlite3 *db;

	window_start(&w);
	db = db_open(o->path);
	check(db, sqlite3_prepare_v2(db, "SELECT sum(length(v)) FROM t", -1, &st, NULL),
	      SQLITE_OK, "prepare scan");
	check(db, sqlite3_step(st), SQLITE_ROW, "scan");
	len = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	check(db, sqlite3_close(db), SQLITE_OK, "sqlite3_close");
	window_stop(&w);
	if ((uint64_t)len != o->rows * (uint64_t)o->value)
		die("the scan read %lld bytes of values, want %llu", (long long)len,
		    (unsigned long long)(o->rows * (uint64_t)o->value));
	window_emit_ops(t, rep, &w, o->rows);
}

int main(int argc, char **argv)
{
	struct tsv base, pt, sc;
	struct opts o;
	int rep;

	bench_set_name("sqlite");
	parse_opts(argc, argv, &o);
	if (path_is_chardev(o.path))
		skip("SQLite needs a file; device-dax has none");
	tsv_init(&base, stdout, "sqlite");
	tsv_case(&base, "rows", "%llu", (unsigned long long)o.rows);
	tsv_case(&base, "value", "%d", o.value);
	pt = sc = base;
	tsv_case(&pt, "phase", "point");
	tsv_case(&pt, "queries", "%llu", (unsigned long long)o.queries);
	tsv_case(&sc, "phase", "scan");
	build(&o);
	for (rep = 1; rep <= o.reps; rep++) {
		point(&o, &pt, rep);
		scan(&o, &sc, rep);
	}
	return 0;
}
