/*
 * fuzz_frame.c: the native line framer.  The first byte is max (the line
 * limit, 0-255; odd inputs also run with 64 KiB); the rest is the stream.
 * The stream framed whole must give the same lines as the stream arriving
 * in two pieces split at every byte, and byte by byte, read the way
 * daemon/net/conn.c reads it (frame_next_from with a `scanned` offset).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/frame.h"
#include "tests/fuzz/fuzz_util.h"

#define MAX_EVENTS	4096

struct event {
	enum frame_status	st;
	size_t			off, len;	/* the line in the stream */
};

struct trace {
	struct event	ev[MAX_EVENTS];
	size_t		n;
	int		too_large;
};

static void
trace_add(struct trace *t, enum frame_status st, size_t off, size_t len)
{
	FUZZ_ASSERT(t->n < MAX_EVENTS);
	t->ev[t->n].st = st;
	t->ev[t->n].off = off;
	t->ev[t->n].len = len;
	t->n++;
}

/* Check one answer of the framer against its contract. */
static void
check_one(const char *buf, size_t len, size_t max, enum frame_status st,
    size_t linelen, size_t consumed)
{
	switch (st) {
	case FRAME_MORE:
		FUZZ_ASSERT(consumed == 0 && linelen == 0);
		FUZZ_ASSERT(memchr(buf, '\n', len) == NULL);
		break;
	case FRAME_TOO_LARGE:
		FUZZ_ASSERT(len > max);
		break;
	case FRAME_EMPTY:
	case FRAME_LINE:
		FUZZ_ASSERT(consumed >= 1 && consumed <= len);
		FUZZ_ASSERT(buf[consumed - 1] == '\n');
		FUZZ_ASSERT(memchr(buf, '\n', consumed - 1) == NULL);
		FUZZ_ASSERT(linelen <= max);
		FUZZ_ASSERT(linelen == consumed - 1 || (linelen ==
		    consumed - 2 && buf[linelen] == '\r'));
		FUZZ_ASSERT((st == FRAME_EMPTY) == (linelen == 0));
		break;
	default:
		FUZZ_FAIL("unknown frame status %d", (int)st);
	}
}

/* The whole stream in one buffer. */
static void
frame_whole(const char *s, size_t n, size_t max, struct trace *t)
{
	size_t			off = 0, linelen, consumed;
	enum frame_status	st;

	t->n = 0;
	t->too_large = 0;
	for (;;) {
		st = frame_next(s + off, n - off, max, &linelen, &consumed);
		check_one(s + off, n - off, max, st, linelen, consumed);
		if (st == FRAME_MORE)
			return;
		if (st == FRAME_TOO_LARGE) {
			t->too_large = 1;
			return;
		}
		trace_add(t, st, off, linelen);
		off += consumed;
	}
}

/*
 * The stream arriving in pieces: cut[0..ncut) are the ends of the pieces.
 * Like daemon/net/conn.c, the bytes up to `scanned` are known to hold no "\n".
 * Each piece is appended to an exactly sized heap buffer so that ASan sees
 * any read past what has arrived.
 */
static void
frame_pieces(const char *s, size_t n, size_t max, const size_t *cut,
    size_t ncut, struct trace *t)
{
	size_t			start = 0, have = 0, scanned = 0, k;
	size_t			linelen, consumed, avail;
	enum frame_status	st;
	char			*b;

	FUZZ_ASSERT(ncut > 0 && cut[ncut - 1] == n);
	t->n = 0;
	t->too_large = 0;
	for (k = 0; k < ncut; k++) {
		have = cut[k];
		while ((avail = have - start) > 0) {
			if ((b = malloc(avail)) == NULL)
				abort();
			memcpy(b, s + start, avail);
			st = frame_next_from(b, avail, scanned, max,
			    &linelen, &consumed);
			check_one(b, avail, max, st, linelen, consumed);
			free(b);
			if (st == FRAME_MORE) {
				scanned = avail;
				break;
			}
			if (st == FRAME_TOO_LARGE) {
				t->too_large = 1;
				return;
			}
			trace_add(t, st, start, linelen);
			start += consumed;
			scanned = 0;
		}
	}
}

static void
trace_same(const struct trace *a, const struct trace *b, const char *how,
    size_t at)
{
	size_t i;

	if (a->n != b->n || a->too_large != b->too_large)
		FUZZ_FAIL("%s (at %zu): %zu lines%s whole, %zu lines%s in "
		    "pieces", how, at, a->n, a->too_large ? " + too large" :
		    "", b->n, b->too_large ? " + too large" : "");
	for (i = 0; i < a->n; i++)
		if (a->ev[i].st != b->ev[i].st || a->ev[i].off !=
		    b->ev[i].off || a->ev[i].len != b->ev[i].len)
			FUZZ_FAIL("%s (at %zu): line %zu differs", how, at, i);
}

static struct trace	whole, pieces;

static void
run(const char *s, size_t n, size_t max)
{
	size_t	cut[2], *each, k;

	frame_whole(s, n, max, &whole);
	/* Two pieces, split at every byte. */
	for (k = 0; k <= n; k++) {
		cut[0] = k;
		cut[1] = n;
		frame_pieces(s, n, max, cut, 2, &pieces);
		trace_same(&whole, &pieces, "split", k);
	}
	/* One byte at a time. */
	if (n == 0)
		return;
	if ((each = calloc(n + 1, sizeof(*each))) == NULL)
		abort();
	for (k = 0; k < n; k++)
		each[k] = k + 1;
	frame_pieces(s, n, max, each, n, &pieces);
	trace_same(&whole, &pieces, "byte by byte", n);
	free(each);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	run((const char *)data + 1, size - 1, data[0]);
	if (data[0] & 1)
		run((const char *)data + 1, size - 1, 65536);
	return 0;
}
