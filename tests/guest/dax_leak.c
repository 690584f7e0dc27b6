// SPDX-License-Identifier: GPL-2.0
/*
 * dax_leak: stale-pfn leak test.  File A is mapped and faulted, then its
 * blocks are freed (punch hole or truncate, chosen at random); file B is
 * written with a secret byte so that it likely reuses those blocks (the
 * filesystem is filled first so that only a few MiB stay free).  A's old
 * range is then read through the same mapping, a new mapping and read(2):
 * zeros (or SIGBUS beyond EOF) are right; B's secret byte seen through A
 * is a leak, A's old byte is stale data.  Randomised from --seed (printed)
 * for --ops operations.
 */
#include "gtest.h"

#include <sys/statvfs.h>

#define A_PAGES_MIN	8
#define A_PAGES_MAX	64
#define A_LEN_MAX	(A_PAGES_MAX * PAGE_SIZE_4K)
#define KEEP_FREE	(4UL << 20)	/* free space left beside the filler */
#define FILL_CHUNK	(4UL << 20)
#define A_BYTE		0xa5
#define SECRET_BYTE	0xb7
#define PERCENT		100
#define PUNCH_PCT	50	/* share of operations that punch */
#define MMAP_B_PCT	50	/* share that writes B through mmap */
#define PROGRESS_EVERY	1000
#define NCASES		4

enum view { VIEW_SAME_MAP, VIEW_NEW_MAP, VIEW_READ, VIEW_COUNT };

static const char *const view_name[VIEW_COUNT] = {
	"leak-same-mapping", "leak-new-mapping", "leak-read",
};

struct tally {
	uint64_t leak[VIEW_COUNT];	/* secret bytes seen */
	uint64_t stale[VIEW_COUNT];	/* A's old bytes seen */
	uint64_t other[VIEW_COUNT];	/* other wrong answers (SIGBUS/no SIGBUS) */
	long first_bad_op[VIEW_COUNT];
	uint64_t enospc, punches, truncates;
};

static unsigned char rbuf[A_LEN_MAX];
static unsigned char wbuf[A_LEN_MAX];
static size_t a_len;	/* A's mapped length in the current operation */

static uint64_t rnd(uint64_t *st, uint64_t n)
{
	return xorshift64(st) % n;
}

/* Fill the filesystem so that about KEEP_FREE bytes stay free. */
static void fill(const struct gopts *o)
{
	static unsigned char zero[FILL_CHUNK];
	struct statvfs sv;
	uint64_t freeb, want, off = 0;
	int fd;

	if (statvfs(o->dir, &sv))
		die_errno("statvfs %s", o->dir);
	freeb = (uint64_t)sv.f_bfree * sv.f_frsize;
	if (freeb <= 2 * KEEP_FREE)
		return;
	/* statfs counts space only metadata may use (ext4 reserved
	 * clusters): fill until ENOSPC, then give KEEP_FREE back */
	want = freeb + FILL_CHUNK;
	fd = gcreate(o, "leak-filler");
	/* chunk by chunk: ENOSPC before @want means full enough */
	for (off = 0; off < want; off += FILL_CHUNK) {
		if (!fallocate(fd, 0, (off_t)off, FILL_CHUNK))
			continue;
		if (errno == ENOSPC)
			break;
		if (errno != EOPNOTSUPP)
			die_errno("fallocate filler at %llu", (unsigned long long)off);
		if (pwrite(fd, zero, FILL_CHUNK, (off_t)off) != (ssize_t)FILL_CHUNK)
			break;
	}
	if (off > KEEP_FREE && ftruncate(fd, (off_t)(off - KEEP_FREE)))
		die_errno("shrink filler");
	fsync(fd);
	close(fd);
	statvfs(o->dir, &sv);
	ksft_print_msg("filler %llu MiB, %llu KiB left free\n",
		       (unsigned long long)(off >> 20),
		       (unsigned long long)((uint64_t)sv.f_bfree * sv.f_frsize >> 10));
}

/*
 * Check @len bytes at @off of A's old range as one view sees them.
 * @got: the bytes (@len of them, up to where a SIGBUS stopped the view),
 * @eof: A's size now,
 * @zero_from/@zero_to: the freed range that must read zero.
 */
static void judge(struct tally *t, int v, long op, const unsigned char *got,
		  size_t len, size_t eof, size_t zero_from, size_t zero_to)
{
	size_t i, mapped_end = (eof + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
	uint64_t leak = 0, stale = 0, other = 0;

	/* a mapping must serve every page up to EOF's and SIGBUS after */
	if (v != VIEW_READ && len != (mapped_end < a_len ? mapped_end : a_len))
		other++;
	for (i = 0; i < len; i++) {
		unsigned char c = got[i];

		if (c == SECRET_BYTE)
			leak++;
		else if (i >= zero_from && i < zero_to)
			c == A_BYTE ? stale++ : (other += c != 0);
		else if (c != A_BYTE)
			other++;
	}
	t->leak[v] += leak;
	t->stale[v] += stale;
	t->other[v] += other;
	if ((leak || stale || other) && t->first_bad_op[v] < 0) {
		t->first_bad_op[v] = op;
		ksft_print_msg("%s: op %ld: %llu secret, %llu stale, %llu other (eof %zu, zero %zu..%zu, served %zu)\n",
			       view_name[v], op, (unsigned long long)leak,
			       (unsigned long long)stale, (unsigned long long)other,
			       eof, zero_from, zero_to, len);
	}
}

/* Read A's range through a mapping; the bytes that read before a SIGBUS
 * are kept page by page.  Returns how many bytes were served. */
static size_t read_map(const unsigned char *m, size_t len)
{
	size_t off;

	memset(rbuf, 0, len);
	for (off = 0; off < len; off += PAGE_SIZE_4K)
		if (probe_read(rbuf + off, m + off, PAGE_SIZE_4K) != PROBE_OK)
			return off;
	return len;
}

static void one_op(const struct gopts *o, struct tally *t, long op, uint64_t *st)
{
	size_t apages = A_PAGES_MIN + rnd(st, A_PAGES_MAX - A_PAGES_MIN + 1);
	size_t alen = apages * PAGE_SIZE_4K, zfrom, zto, eof, blen, sb, got;
	int punch = !is_ext2(o) && rnd(st, PERCENT) < PUNCH_PCT;
	unsigned char *m, *m2;
	int fa, fb;

	fa = gcreate(o, "leak-a");
	if (ftruncate(fa, (off_t)alen))
		die_errno("ftruncate A");
	m = gmap(fa, alen, MAP_SHARED);
	if (probe_write(m, A_BYTE, alen) != PROBE_OK) {
		t->enospc++;	/* no space for A's blocks this time */
		goto out_a;
	}
	if (punch) {
		size_t s = rnd(st, apages), n = 1 + rnd(st, apages - s);

		zfrom = s * PAGE_SIZE_4K;
		zto = (s + n) * PAGE_SIZE_4K;
		eof = alen;
		if (fallocate(fa, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)zfrom, (off_t)(zto - zfrom)))
			die_errno("punch %zu..%zu", zfrom, zto);
		t->punches++;
	} else {
		eof = rnd(st, alen);	/* any byte: a partial last page too */
		zfrom = eof;
		zto = alen;
		if (ftruncate(fa, (off_t)eof))
			die_errno("truncate to %zu", eof);
		t->truncates++;
	}
	/* B: about as much as was freed, full of the secret */
	blen = ((zto - zfrom + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1)) + PAGE_SIZE_4K;
	fb = gcreate(o, "leak-b");
	memset(wbuf, SECRET_BYTE, blen);
	if (rnd(st, PERCENT) < MMAP_B_PCT) {
		if (ftruncate(fb, (off_t)blen))
			die_errno("ftruncate B");
		m2 = gmap(fb, blen, MAP_SHARED);
		if (probe_write(m2, SECRET_BYTE, blen) != PROBE_OK)
			t->enospc++;
		munmap(m2, blen);
	} else {
		for (sb = 0; sb < blen;) {
			ssize_t n = pwrite(fb, wbuf + sb, blen - sb, (off_t)sb);

			if (n <= 0) {
				if (n < 0 && errno != ENOSPC)
					die_errno("write B");
				t->enospc++;
				break;
			}
			sb += (size_t)n;
		}
	}

	a_len = alen;
	got = read_map(m, alen);
	judge(t, VIEW_SAME_MAP, op, rbuf, got, eof, zfrom, zto);
	m2 = gmap(fa, alen, MAP_SHARED);
	got = read_map(m2, alen);
	judge(t, VIEW_NEW_MAP, op, rbuf, got, eof, zfrom, zto);
	munmap(m2, alen);
	memset(rbuf, 0, alen);
	got = gpread(fa, rbuf, alen, 0);
	if (got != eof) {
		t->other[VIEW_READ]++;
		ksft_print_msg("leak-read: op %ld: read(2) returned %zu bytes, size is %zu\n", op, got, eof);
	}
	judge(t, VIEW_READ, op, rbuf, got, eof, zfrom, zto);
	close(fb);
	gremove(o, "leak-b");
out_a:
	munmap(m, alen);
	close(fa);
	gremove(o, "leak-a");
}

int main(int argc, char **argv)
{
	struct tally t;
	struct gopts o;
	uint64_t st;
	long op;
	int v;

	bench_set_name("dax_leak");
	gopts_parse(&o, argc, argv);
	probe_install();
	memset(&t, 0, sizeof(t));
	for (v = 0; v < VIEW_COUNT; v++)
		t.first_bad_op[v] = -1;
	ksft_print_header();
	ksft_set_plan(NCASES);
	ksft_print_msg("seed %llu ops %ld (reproduce: dax_leak --seed %llu --ops %ld)\n",
		       (unsigned long long)o.seed, o.ops, (unsigned long long)o.seed, o.ops);
	if (is_ext2(&o))
		ksft_print_msg("ext2 cannot punch holes: every operation truncates\n");
	fill(&o);
	st = o.seed;
	for (op = 0; op < o.ops; op++) {
		one_op(&o, &t, op, &st);
		if ((op + 1) % PROGRESS_EVERY == 0)
			fprintf(stderr, "dax_leak: %ld of %ld ops\n", op + 1, o.ops);
	}
	gremove(&o, "leak-filler");
	ksft_print_msg("%ld ops: %llu punches, %llu truncates, %llu ENOSPC\n",
		       o.ops, (unsigned long long)t.punches,
		       (unsigned long long)t.truncates, (unsigned long long)t.enospc);
	for (v = 0; v < VIEW_COUNT; v++) {
		if (t.leak[v] || t.stale[v] || t.other[v])
			ksft_print_msg("%s: %llu secret bytes, %llu stale bytes, %llu other errors; first bad op %ld\n",
				       view_name[v], (unsigned long long)t.leak[v],
				       (unsigned long long)t.stale[v],
				       (unsigned long long)t.other[v], t.first_bad_op[v]);
		gtest_result(!t.leak[v] && !t.stale[v] && !t.other[v], view_name[v]);
	}
	/* ENOSPC on most operations would mean blocks were never reused */
	if (t.enospc * 2 > (uint64_t)o.ops)
		ksft_print_msg("too many ENOSPC (%llu of %ld)\n", (unsigned long long)t.enospc, o.ops);
	gtest_result(t.enospc * 2 <= (uint64_t)o.ops, "leak-ops-mostly-completed");
	return gtest_exit();
}
