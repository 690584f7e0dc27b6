// SPDX-License-Identifier: GPL-2.0
/* bench/lib: the command line: the option table, sizes, numbers and choices. */

#include "bench.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

uint64_t parse_size(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("bad size '%s'", s);
	switch (*end) {
	case 'k': case 'K':
		v <<= 10; end++; break;
	case 'm': case 'M':
		v <<= 20; end++; break;
	case 'g': case 'G':
		v <<= 30; end++; break;
	default:
		break;
	}
	if (*end)
		die("bad size '%s'", s);
	return v;
}

long parse_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		die("bad %s '%s' (want %ld..%ld)", what, s, min, max);
	return v;
}

int parse_choice(const char * const *names, const char *s, const char *what)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	die("unknown %s '%s'", what, s);
}

const char * const map_names[] = { "pte", "pmd", NULL };
const char * const op_names[] = { "read", "write", NULL };

static void opt_set(const struct bench_opt *opt, char *value)
{
	switch (opt->type) {
	case ARG_STR:
		*(const char **)opt->dst = value;
		break;
	case ARG_SIZE:
		*(uint64_t *)opt->dst = parse_size(value);
		break;
	case ARG_INT:
		*(int *)opt->dst = (int)parse_long(value, opt->min, opt->max,
						   opt->what);
		break;
	case ARG_U64:
		*(uint64_t *)opt->dst = (uint64_t)parse_long(value, opt->min,
							     opt->max, opt->what);
		break;
	case ARG_CHOICE:
		*(int *)opt->dst = parse_choice(opt->choices, value, opt->name);
		break;
	case ARG_FUNC:
		opt->fn(opt->dst, value);
		break;
	}
}

__attribute__((noreturn))
static void usage_exit(const char *usage)
{
	fputs(usage, stderr);
	exit(2);
}

/*
 * getopt_long() returns an option's val.  Each gets its own, above any
 * character getopt_long() may return itself ('?'): options that shared
 * one would let an ambiguous abbreviation (--o for --op and --order)
 * pass as the first of them.
 */
#define OPT_VAL_BASE	256

void bench_parse(int argc, char **argv, const struct bench_opt *opts,
		 const char *usage)
{
	struct option lo[OPTS_MAX + 1];
	int seen[OPTS_MAX] = { 0 };
	size_t i, n;
	int c;

	for (n = 0; opts[n].name; n++) {
		if (n == OPTS_MAX)
			die("more than %d options", OPTS_MAX);
		lo[n] = (struct option){ opts[n].name, required_argument,
					 NULL, OPT_VAL_BASE + (int)n };
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;	/* start over: the unit tests parse many times */
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c < OPT_VAL_BASE)
			usage_exit(usage);
		i = (size_t)(c - OPT_VAL_BASE);
		opt_set(&opts[i], optarg);
		seen[i] = 1;
	}
	if (optind != argc)
		usage_exit(usage);
	for (i = 0; i < n; i++)
		if (opts[i].required && !seen[i])
			usage_exit(usage);
}

#define KIB	(1ULL << 10)
#define MIB	(1ULL << 20)

void check_multiple(const char *name, uint64_t v, uint64_t align)
{
	if (v && !(v % align))
		return;
	if (align % MIB)
		die("%s must be a non-zero multiple of %llu KiB", name,
		    (unsigned long long)(align / KIB));
	die("%s must be a non-zero multiple of %llu MiB", name,
	    (unsigned long long)(align / MIB));
}
