// SPDX-License-Identifier: GPL-2.0
/*
 * dax_race: re-faults racing with the operations that remove or move DAX
 * entries.
 *
 * Two reader threads fault pages of file A, one through a mapping that
 * allows PMDs, one through a mapping that forbids them (so one file has
 * PMD and PTE mappings at once), and drop their page tables with
 * MADV_DONTNEED every few reads so that reads keep re-faulting (served
 * from cached pfns on the variants that cache them).  Meanwhile a mutator
 * thread punches, zeroes, truncates and re-extends, collapses and inserts
 * ranges of A and writes A's byte back into random ranges, and a polluter
 * thread keeps writing and freeing file B, full of B's byte, so that the
 * blocks A frees are reused.
 *
 * A reader may see A's byte or zero, or get SIGBUS past EOF.  Any other
 * byte is stale data: a pfn served after its block was freed or moved.
 * A kernel warning fails the run through the harness's console check, a
 * hang through its timeout.  Operations the filesystem does not have
 * (ext2: punch, zero, collapse, insert) are counted and skipped.
 *
 *   race-refault-vs-invalidate: no reader saw a byte that is neither A's
 *	nor zero, the mutator finished --ops operations, the readers made
 *	progress.
 */
#include "gtest.h"

#include <pthread.h>

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE	0x02
#endif
#ifndef FALLOC_FL_COLLAPSE_RANGE
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#endif
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE	0x10
#endif
#ifndef FALLOC_FL_INSERT_RANGE
#define FALLOC_FL_INSERT_RANGE	0x20
#endif

#define A_LEN		(2 * PMD_SIZE_2M)
#define A_PAGES		(A_LEN / PAGE_SIZE_4K)
#define B_LEN		(2 * PMD_SIZE_2M)
#define A_BYTE		0xa1
#define B_BYTE		0xb2
#define DONTNEED_EVERY	64	/* reads between MADV_DONTNEEDs */
#define NCASES		1
/* operation weights, out of 100: A is refilled often, so that most reads
 * fault data pages, not holes */
#define FILL_PCT	40

enum { MUT_DONE, MUT_UNSUPPORTED, MUT_SKIPPED };

enum op { OP_PUNCH, OP_ZERO, OP_TRUNCATE, OP_COLLAPSE, OP_INSERT, OP_FILL,
	  OP_COUNT };

static const char *const mut_names[OP_COUNT] = {
	"punch", "zero", "truncate", "collapse", "insert", "fill",
};

struct reader {
	pthread_t tid;
	volatile unsigned char *map;
	uint64_t seed;
	unsigned long reads, sigbus, wrong, zero_pages;
	unsigned char wrong_byte;
};

static volatile int stop;
static int fd_a, fd_b;
static unsigned char fill[PMD_SIZE_2M];

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	unsigned char page[PAGE_SIZE_4K];
	size_t i, p;

	while (!stop) {
		p = xorshift64(&r->seed) % A_PAGES;
		if (probe_read(page, r->map + p * PAGE_SIZE_4K, PAGE_SIZE_4K) !=
		    PROBE_OK) {
			r->sigbus++;
		} else {
			for (i = 0; i < PAGE_SIZE_4K; i++) {
				if (page[i] != A_BYTE && page[i] != 0) {
					r->wrong++;
					r->wrong_byte = page[i];
				}
			}
			r->zero_pages += page[0] == 0;
		}
		if (++r->reads % DONTNEED_EVERY == 0 &&
		    madvise((void *)r->map, A_LEN, MADV_DONTNEED))
			die_errno("madvise(MADV_DONTNEED)");
	}
	return NULL;
}

/* Write and free B over and over, so that A's freed blocks get reused. */
static void *polluter_main(void *arg)
{
	static unsigned char b[PMD_SIZE_2M];
	unsigned long *rounds = arg;
	off_t off;

	memset(b, B_BYTE, sizeof(b));
	while (!stop) {
		for (off = 0; off < (off_t)B_LEN; off += (off_t)sizeof(b))
			gpwrite(fd_b, b, sizeof(b), off);
		if (ftruncate(fd_b, 0))
			die_errno("ftruncate B");
		(*rounds)++;
	}
	return NULL;
}

/* A random block-aligned range inside A: *off, *len (len > 0). */
static void rnd_range(uint64_t *s, off_t *off, off_t *len)
{
	size_t first = xorshift64(s) % A_PAGES;
	size_t n = 1 + xorshift64(s) % (A_PAGES - first);

	/* half of the ranges are 2 MiB aligned, to cut PMD entries whole */
	if (xorshift64(s) % 2) {
		first &= ~(size_t)(PMD_SIZE_2M / PAGE_SIZE_4K - 1);
		n = PMD_SIZE_2M / PAGE_SIZE_4K;
	}
	*off = (off_t)first * PAGE_SIZE_4K;
	*len = (off_t)n * PAGE_SIZE_4K;
}

/* One operation on A: MUT_DONE, MUT_UNSUPPORTED (the filesystem lacks it)
 * or MUT_SKIPPED (collapse/insert geometry it refuses). */
static int mutate(enum op op, uint64_t *s)
{
	off_t off, len;
	int r = 0;

	rnd_range(s, &off, &len);
	switch (op) {
	case OP_PUNCH:
		r = fallocate(fd_a, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      off, len);
		break;
	case OP_ZERO:
		r = fallocate(fd_a, FALLOC_FL_ZERO_RANGE, off, len);
		break;
	case OP_TRUNCATE:
		if (ftruncate(fd_a, off))
			die_errno("ftruncate A to %lld", (long long)off);
		break;
	case OP_COLLAPSE:
		/* collapse and insert need a range that ends before EOF */
		if (off + len >= (off_t)A_LEN)
			return MUT_SKIPPED;
		r = fallocate(fd_a, FALLOC_FL_COLLAPSE_RANGE, off, len);
		break;
	case OP_INSERT:
		r = fallocate(fd_a, FALLOC_FL_INSERT_RANGE, off, len);
		break;
	case OP_FILL:
		gpwrite(fd_a, fill, (size_t)(len < (off_t)sizeof(fill) ?
					     len : (off_t)sizeof(fill)), off);
		break;
	default:
		break;
	}
	if (r && errno == EOPNOTSUPP)
		return MUT_UNSUPPORTED;
	if (r && errno == EINVAL)	/* collapse/insert geometry */
		return MUT_SKIPPED;
	if (r)
		die_errno("%s of [%lld, +%lld)", mut_names[op], (long long)off,
			  (long long)len);
	/* back to A_LEN: truncate, collapse and insert change the size */
	if (ftruncate(fd_a, A_LEN))
		die_errno("ftruncate A back");
	return MUT_DONE;
}

int main(int argc, char **argv)
{
	struct reader rd[2];
	pthread_t pol;
	unsigned long done[OP_COUNT] = { 0 }, unsupported[OP_COUNT] = { 0 };
	unsigned long skipped[OP_COUNT] = { 0 };
	unsigned long b_rounds = 0, reads = 0, wrong = 0;
	struct gopts o;
	uint64_t s;
	long ops, i;
	int k;

	gopts_parse(&o, argc, argv);
	ops = o.ops;
	ksft_print_header();
	ksft_set_plan(NCASES);
	ksft_print_msg("seed %llu, %ld operations\n", (unsigned long long)o.seed, ops);
	probe_install();
	memset(fill, A_BYTE, sizeof(fill));
	/* self-test of the check: refill A with B's byte, as a leak would show */
	if (getenv("DAX_RACE_SELFTEST"))
		memset(fill, B_BYTE, sizeof(fill));
	fd_a = gcreate(&o, "race-a");
	fd_b = gcreate(&o, "race-b");
	for (i = 0; i < (long)A_LEN; i += (long)sizeof(fill))
		gpwrite(fd_a, fill, sizeof(fill), (off_t)i);
	if (fsync(fd_a))
		die_errno("fsync");

	s = o.seed ? o.seed : 1;
	for (k = 0; k < 2; k++) {
		memset(&rd[k], 0, sizeof(rd[k]));
		rd[k].seed = s + 17 * (k + 1);
		rd[k].map = map_dax(fd_a, A_LEN, MAP_SHARED, k == 0);
		if (pthread_create(&rd[k].tid, NULL, reader_main, &rd[k]))
			die("pthread_create");
	}
	if (pthread_create(&pol, NULL, polluter_main, &b_rounds))
		die("pthread_create");

	for (i = 0; i < ops; i++) {
		enum op op = xorshift64(&s) % 100 < FILL_PCT ? OP_FILL :
			     (enum op)(xorshift64(&s) % OP_FILL);
		int m = mutate(op, &s);

		if (m == MUT_UNSUPPORTED)
			unsupported[op]++;
		else if (m == MUT_DONE)
			done[op]++;
		else
			skipped[op]++;
	}
	stop = 1;
	for (k = 0; k < 2; k++)
		pthread_join(rd[k].tid, NULL);
	pthread_join(pol, NULL);

	for (k = 0; k < 2; k++) {
		ksft_print_msg("reader %d (%s): %lu reads, %lu SIGBUS, %lu zero pages, %lu wrong bytes%s\n",
			       k, k == 0 ? "PMDs allowed" : "PTEs only", rd[k].reads,
			       rd[k].sigbus, rd[k].zero_pages, rd[k].wrong,
			       rd[k].wrong ? (rd[k].wrong_byte == B_BYTE ?
					      " (file B's byte: a stale pfn)" :
					      " (neither file's byte)") : "");
		reads += rd[k].reads;
		wrong += rd[k].wrong;
	}
	for (k = 0; k < OP_COUNT; k++)
		ksft_print_msg("%s: %lu done, %lu refused (geometry), %lu not supported by %s\n",
			       mut_names[k], done[k], skipped[k], unsupported[k], o.fs);
	ksft_print_msg("file B written and freed %lu times\n", b_rounds);
	gtest_result(!wrong && reads > 0 && b_rounds > 0,
		     "race-refault-vs-invalidate");
	munmap((void *)rd[0].map, A_LEN);
	munmap((void *)rd[1].map, A_LEN);
	close(fd_a);
	close(fd_b);
	gremove(&o, "race-a");
	gremove(&o, "race-b");
	return gtest_exit();
}
