/*
 * test_frame.c: the native transport's line framing (protocol/frame.c):
 * terminators, empty lines, partial lines, the size bound, and a property
 * test that feeding a stream in pieces finds the same lines as feeding it
 * whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocol/frame.h"

/* Call frame_next on a C string. */
static enum frame_status
next_str(const char *s, size_t max, size_t *linelen, size_t *consumed)
{
	return frame_next(s, strlen(s), max, linelen, consumed);
}

static void
test_lf(void **state)
{
	size_t ll, used;

	(void)state;
	assert_int_equal(next_str("{\"op\":\"ping\"}\n", 100, &ll, &used),
	    FRAME_LINE);
	assert_int_equal(ll, 13);
	assert_int_equal(used, 14);
}

static void
test_crlf(void **state)
{
	size_t ll, used;

	(void)state;
	assert_int_equal(next_str("abc\r\nrest", 100, &ll, &used), FRAME_LINE);
	assert_int_equal(ll, 3);
	assert_int_equal(used, 5);
}

static void
test_empty_lines(void **state)
{
	size_t ll, used;

	(void)state;
	assert_int_equal(next_str("\nabc\n", 100, &ll, &used), FRAME_EMPTY);
	assert_int_equal(ll, 0);
	assert_int_equal(used, 1);
	assert_int_equal(next_str("\r\nabc\n", 100, &ll, &used), FRAME_EMPTY);
	assert_int_equal(ll, 0);
	assert_int_equal(used, 2);
}

static void
test_partial(void **state)
{
	size_t ll = 99, used = 99;

	(void)state;
	assert_int_equal(next_str("", 100, &ll, &used), FRAME_MORE);
	assert_int_equal(used, 0);
	assert_int_equal(next_str("{\"op\":", 100, &ll, &used), FRAME_MORE);
	assert_int_equal(used, 0);
	assert_int_equal(next_str("abc\r", 100, &ll, &used), FRAME_MORE);
	assert_int_equal(used, 0);
}

static void
test_cr_alone_not_terminator(void **state)
{
	size_t ll, used;

	(void)state;
	assert_int_equal(next_str("a\rb", 100, &ll, &used), FRAME_MORE);
	/* A "\r" inside a line stays part of it. */
	assert_int_equal(next_str("a\rb\n", 100, &ll, &used), FRAME_LINE);
	assert_int_equal(ll, 3);
	assert_int_equal(used, 4);
	/* Only the one "\r" just before "\n" is dropped. */
	assert_int_equal(next_str("a\r\r\n", 100, &ll, &used), FRAME_LINE);
	assert_int_equal(ll, 2);
	assert_int_equal(used, 4);
}

static void
test_exactly_max(void **state)
{
	char	buf[64];
	size_t	ll, used;

	(void)state;
	memset(buf, 'x', 10);
	buf[10] = '\n';
	assert_int_equal(frame_next(buf, 11, 10, &ll, &used), FRAME_LINE);
	assert_int_equal(ll, 10);
	assert_int_equal(used, 11);
	/* max bytes, then CRLF: still fine. */
	buf[10] = '\r';
	buf[11] = '\n';
	assert_int_equal(frame_next(buf, 12, 10, &ll, &used), FRAME_LINE);
	assert_int_equal(ll, 10);
	assert_int_equal(used, 12);
	/* max bytes without the end yet: read more. */
	assert_int_equal(frame_next(buf, 10, 10, &ll, &used), FRAME_MORE);
	/* max bytes and a "\r" that may be the start of CRLF: read more. */
	assert_int_equal(frame_next(buf, 11, 10, &ll, &used), FRAME_MORE);
}

static void
test_max_plus_one_with_newline(void **state)
{
	char	buf[64];
	size_t	ll, used;

	(void)state;
	memset(buf, 'x', 11);
	buf[11] = '\n';
	assert_int_equal(frame_next(buf, 12, 10, &ll, &used),
	    FRAME_TOO_LARGE);
	buf[11] = '\r';
	buf[12] = '\n';
	assert_int_equal(frame_next(buf, 13, 10, &ll, &used),
	    FRAME_TOO_LARGE);
}

static void
test_max_plus_two_without_newline(void **state)
{
	char	buf[64];
	size_t	ll, used;

	(void)state;
	memset(buf, 'x', 12);
	assert_int_equal(frame_next(buf, 12, 10, &ll, &used),
	    FRAME_TOO_LARGE);
	/* Even when the last byte is a "\r". */
	buf[11] = '\r';
	assert_int_equal(frame_next(buf, 12, 10, &ll, &used),
	    FRAME_TOO_LARGE);
}

/*
 * max + 1 bytes with no newline yet, the last of which is not "\r": the
 * line is certainly longer than max, which frame.h promises to report "as
 * soon as that is certain".
 */
static void
test_max_plus_one_without_newline(void **state)
{
	char	buf[64];
	size_t	ll, used;

	(void)state;
	memset(buf, 'x', 11);
	assert_int_equal(frame_next(buf, 11, 10, &ll, &used),
	    FRAME_TOO_LARGE);
}

static void
test_many_lines(void **state)
{
	const char	*s = "one\ntwo\r\n\nthree\n\r\nfour";
	const char	*want[] = { "one", "two", "three" };
	size_t		 off = 0, len = strlen(s), ll, used;
	int		 nlines = 0, nempty = 0;
	enum frame_status st;

	(void)state;
	for (;;) {
		st = frame_next(s + off, len - off, 100, &ll, &used);
		if (st == FRAME_MORE)
			break;
		assert_true(st == FRAME_LINE || st == FRAME_EMPTY);
		if (st == FRAME_LINE) {
			assert_true(nlines < 3);
			assert_int_equal(ll, strlen(want[nlines]));
			assert_memory_equal(s + off, want[nlines], ll);
			nlines++;
		} else
			nempty++;
		off += used;
	}
	assert_int_equal(nlines, 3);
	assert_int_equal(nempty, 2);
	assert_string_equal(s + off, "four");
}

static void
test_from_skips_scanned(void **state)
{
	char	buf[32] = "abcdef";
	size_t	ll, used;

	(void)state;
	assert_int_equal(frame_next_from(buf, 6, 6, 100, &ll, &used),
	    FRAME_MORE);
	memcpy(buf + 6, "gh\n", 3);
	assert_int_equal(frame_next_from(buf, 9, 6, 100, &ll, &used),
	    FRAME_LINE);
	assert_int_equal(ll, 8);
	assert_int_equal(used, 9);
	/* The "\r" before "\n" is dropped even when it was already scanned. */
	memcpy(buf, "ab\r", 3);
	assert_int_equal(frame_next_from(buf, 3, 0, 100, &ll, &used),
	    FRAME_MORE);
	buf[3] = '\n';
	assert_int_equal(frame_next_from(buf, 4, 3, 100, &ll, &used),
	    FRAME_LINE);
	assert_int_equal(ll, 2);
	/* from past len is clamped, not read. */
	assert_int_equal(frame_next_from(buf, 4, 50, 100, &ll, &used),
	    FRAME_MORE);
}

/* ---- property: pieces versus whole ------------------------------------ */

#define EV_MAX		512
#define EV_TOO_LARGE	((size_t)-1)

/* What a reader saw: the lines in order, then how it stopped. */
struct events {
	size_t	n;
	size_t	off[EV_MAX];	/* into the stream */
	size_t	len[EV_MAX];	/* EV_TOO_LARGE for the refusal */
	size_t	rest;		/* bytes left unframed at the end */
};

static void
ev_add(struct events *ev, size_t off, size_t len)
{
	assert_true(ev->n < EV_MAX);
	ev->off[ev->n] = off;
	ev->len[ev->n] = len;
	ev->n++;
}

/*
 * A reader as conn.c has it: append each chunk to its buffer, then take
 * lines, remembering how far it searched without finding a "\n".
 */
static void
feed(const char *stream, size_t len, const size_t *cuts, size_t ncuts,
    size_t max, struct events *ev)
{
	char			*buf = malloc(len + 1);
	size_t			 blen = 0, base = 0, scanned = 0, pos = 0, i;
	size_t			 ll, used, upto;
	enum frame_status	 st;

	assert_non_null(buf);
	memset(ev, 0, sizeof(*ev));
	for (i = 0; i <= ncuts; i++) {
		upto = i < ncuts ? cuts[i] : len;
		memcpy(buf + blen, stream + pos, upto - pos);
		blen += upto - pos;
		pos = upto;
		for (;;) {
			st = frame_next_from(buf, blen, scanned, max, &ll,
			    &used);
			if (st == FRAME_MORE) {
				scanned = blen;
				break;
			}
			if (st == FRAME_TOO_LARGE) {
				ev_add(ev, base, EV_TOO_LARGE);
				free(buf);
				return;
			}
			if (st == FRAME_LINE)
				ev_add(ev, base, ll);
			assert_true(used > 0 && used <= blen);
			memmove(buf, buf + used, blen - used);
			blen -= used;
			base += used;
			scanned = 0;
		}
	}
	ev->rest = blen;
	free(buf);
}

static void
ev_equal(const struct events *a, const struct events *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->off[i], b->off[i]);
		assert_int_equal(a->len[i], b->len[i]);
	}
	if (a->n == 0 || a->len[a->n - 1] != EV_TOO_LARGE)
		assert_int_equal(a->rest, b->rest);
}

/* A random stream rich in "\n", "\r" and runs long enough to pass max. */
static void
random_stream(char *s, size_t len)
{
	static const char alphabet[] = "\n\n\n\r\r{}ab\"x";
	size_t i;

	for (i = 0; i < len; i++) {
		int r = rand() % 20;

		if (r < 6)
			s[i] = alphabet[rand() % (sizeof(alphabet) - 1)];
		else if (r < 5)
			s[i] = (char)(rand() % 256);
		else
			s[i] = 'a' + (char)(rand() % 26);
	}
}

static void
test_property_split_anywhere(void **state)
{
	char		stream[300];
	struct events	whole, pieces;
	size_t		cuts[300], len, cut, i, j, max;
	size_t		nlines = 0, nlarge = 0;
	int		round;

	(void)state;
	srand(12345);
	for (round = 0; round < 300; round++) {
		len = 1 + (size_t)rand() % 200;
		max = 1 + (size_t)rand() % 30;
		random_stream(stream, len);
		feed(stream, len, NULL, 0, max, &whole);
		for (i = 0; i < whole.n; i++)
			if (whole.len[i] == EV_TOO_LARGE)
				nlarge++;
			else
				nlines++;
		/* One cut at every offset. */
		for (cut = 0; cut <= len; cut++) {
			feed(stream, len, &cut, 1, max, &pieces);
			ev_equal(&whole, &pieces);
		}
		/* One byte at a time. */
		for (i = 0; i < len; i++)
			cuts[i] = i + 1;
		feed(stream, len, cuts, len, max, &pieces);
		ev_equal(&whole, &pieces);
		/* Random chunks. */
		for (i = 0, j = 0; j < len; i++) {
			j += 1 + (size_t)rand() % 17;
			cuts[i] = j < len ? j : len;
		}
		feed(stream, len, cuts, i, max, &pieces);
		ev_equal(&whole, &pieces);
	}
	/* The streams exercised both outcomes, many times. */
	assert_true(nlines > 500);
	assert_true(nlarge > 50);
}

/* frame_next is frame_next_from with from = 0, and lines are what split says. */
static void
test_property_whole_matches_split(void **state)
{
	char		stream[300];
	struct events	ev;
	size_t		len, max, k, start, i, n;
	int		round, stopped;

	(void)state;
	srand(777);
	for (round = 0; round < 500; round++) {
		len = 1 + (size_t)rand() % 250;
		max = 1 + (size_t)rand() % 40;
		random_stream(stream, len);
		feed(stream, len, NULL, 0, max, &ev);
		/* Recompute by hand: split on "\n", strip one "\r". */
		start = 0;
		k = 0;
		stopped = 0;
		for (i = 0; i < len; i++) {
			if (stream[i] != '\n')
				continue;
			n = i - start;
			if (n > 0 && stream[i - 1] == '\r')
				n--;
			if (n > max) {
				assert_true(k < ev.n);
				assert_int_equal(ev.len[k], EV_TOO_LARGE);
				assert_int_equal(ev.off[k], start);
				k++;
				stopped = 1;
				break;
			}
			if (n > 0) {
				assert_true(k < ev.n);
				assert_int_equal(ev.off[k], start);
				assert_int_equal(ev.len[k], n);
				k++;
			}
			start = i + 1;
		}
		if (!stopped && (len - start > max + 1 ||
		    (len - start == max + 1 && stream[len - 1] != '\r'))) {
			/* An unterminated tail that cannot fit any more. */
			assert_true(k < ev.n);
			assert_int_equal(ev.len[k], EV_TOO_LARGE);
			k++;
		} else if (!stopped)
			assert_int_equal(ev.rest, len - start);
		assert_int_equal(k, ev.n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lf),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_cr_alone_not_terminator),
		cmocka_unit_test(test_exactly_max),
		cmocka_unit_test(test_max_plus_one_with_newline),
		cmocka_unit_test(test_max_plus_two_without_newline),
		cmocka_unit_test(test_max_plus_one_without_newline),
		cmocka_unit_test(test_many_lines),
		cmocka_unit_test(test_from_skips_scanned),
		cmocka_unit_test(test_property_split_anywhere),
		cmocka_unit_test(test_property_whole_matches_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
