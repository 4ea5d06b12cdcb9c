/*
 * test_http_req.c: the HTTP/1.x request head parser (protocol/http_req.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protocol/http_req.h"

#define MAX_HEAD	8192

static struct http_req	req;
static size_t		head_len;
static const char	*why;

static enum http_parse
parse_n(const char *s, size_t n, size_t max)
{
	enum http_parse r;

	why = NULL;
	r = http_req_parse(s, n, max, &req, &head_len, &why);
	if (r == HTTP_BAD) {
		assert_non_null(why);
		assert_true(why[0] != '\0');
	}
	return r;
}

static enum http_parse
parse(const char *s)
{
	return parse_n(s, strlen(s), MAX_HEAD);
}

static void
bad(const char *s)
{
	enum http_parse r = parse(s);

	if (r != HTTP_BAD)
		fail_msg("want HTTP_BAD (%d), got %d for: %s", HTTP_BAD, r, s);
}

static void
test_get(void **state)
{
	const char *s = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
	    "Accept: */*\r\n\r\n";

	(void)state;
	assert_int_equal(parse(s), HTTP_DONE);
	assert_int_equal(head_len, strlen(s));
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/healthz");
	assert_string_equal(req.query, "");
	assert_int_equal(req.minor, 1);
	assert_int_equal(req.content_length, -1);
	assert_int_equal(req.keep_alive, 1);
	assert_int_equal(req.has_token, 0);
	assert_int_equal(req.bad_auth, 0);
	/* No header fields at all. */
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n"), HTTP_DONE);
	assert_int_equal(head_len, 18);
	assert_string_equal(req.path, "/");
	/* Bare LF line ends. */
	assert_int_equal(parse("GET /x HTTP/1.1\nHost: a\n\n"), HTTP_DONE);
	assert_int_equal(head_len, 25);
	assert_string_equal(req.path, "/x");
}

static void
test_post_content_length(void **state)
{
	const char *head = "POST /v1/op/need.post HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/json\r\ncontent-length:  12 \r\n\r\n";
	char buf[512];

	(void)state;
	snprintf(buf, sizeof(buf), "%s{\"a\":\"xyz\"}\r\n", head);
	assert_int_equal(parse(buf), HTTP_DONE);
	assert_int_equal(head_len, strlen(head));
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.path, "/v1/op/need.post");
	assert_int_equal(req.content_length, 12);
	/* The same value twice is no conflict. */
	assert_int_equal(parse("POST / HTTP/1.1\r\nContent-Length: 3\r\n"
	    "Content-Length: 3\r\n\r\n"), HTTP_DONE);
	assert_int_equal(req.content_length, 3);
	assert_int_equal(parse("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
	    HTTP_DONE);
	assert_int_equal(req.content_length, 0);
	assert_int_equal(parse("POST / HTTP/1.1\r\nContent-Length: "
	    "999999999999999\r\n\r\n"), HTTP_DONE);
	assert_int_equal(req.content_length, 999999999999999LL);
}

static void
test_content_length_bad(void **state)
{
	(void)state;
	bad("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length: 1234567890123456\r\n\r\n");
}

static void
test_keep_alive(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n"), HTTP_DONE);
	assert_int_equal(req.keep_alive, 1);
	assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n"), HTTP_DONE);
	assert_int_equal(req.minor, 0);
	assert_int_equal(req.keep_alive, 0);
	assert_int_equal(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"),
	    HTTP_DONE);
	assert_int_equal(req.keep_alive, 0);
	assert_int_equal(parse("GET / HTTP/1.1\r\nconnection: CLOSE\r\n\r\n"),
	    HTTP_DONE);
	assert_int_equal(req.keep_alive, 0);
	assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n"
	    "\r\n"), HTTP_DONE);
	assert_int_equal(req.keep_alive, 1);
	assert_int_equal(parse("GET / HTTP/1.1\r\nConnection: upgrade\r\n\r\n"),
	    HTTP_DONE);
	assert_int_equal(req.keep_alive, 1);
}

static void
test_authorization(void **state)
{
	char buf[1024], tok[300];

	(void)state;
	assert_int_equal(parse("POST / HTTP/1.1\r\nAuthorization: Bearer "
	    "abc.DEF-123_~+/=\r\n\r\n"), HTTP_DONE);
	assert_int_equal(req.has_token, 1);
	assert_int_equal(req.bad_auth, 0);
	assert_string_equal(req.token, "abc.DEF-123_~+/=");
	/* Trailing blanks are not part of the token. */
	assert_int_equal(parse("POST / HTTP/1.1\r\nauthorization:bearer t0k \t"
	    "\r\n\r\n"), HTTP_DONE);
	assert_int_equal(req.has_token, 1);
	assert_string_equal(req.token, "t0k");

	assert_int_equal(parse("POST / HTTP/1.1\r\nAuthorization: Basic "
	    "dXNlcjpwYXNz\r\n\r\n"), HTTP_DONE);
	assert_int_equal(req.has_token, 0);
	assert_int_equal(req.bad_auth, 1);
	assert_int_equal(parse("POST / HTTP/1.1\r\nAuthorization: Bearer\r\n"
	    "\r\n"), HTTP_DONE);
	assert_int_equal(req.has_token, 0);
	assert_int_equal(req.bad_auth, 1);
	assert_int_equal(parse("POST / HTTP/1.1\r\nAuthorization: abc\r\n\r\n"),
	    HTTP_DONE);
	assert_int_equal(req.bad_auth, 1);

	/* The longest token that fits, and one more. */
	memset(tok, 'a', HTTP_TOKEN_MAX - 1);
	tok[HTTP_TOKEN_MAX - 1] = '\0';
	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nAuthorization: Bearer "
	    "%s\r\n\r\n", tok);
	assert_int_equal(parse(buf), HTTP_DONE);
	assert_int_equal(req.has_token, 1);
	assert_int_equal(strlen(req.token), HTTP_TOKEN_MAX - 1);
	memset(tok, 'a', HTTP_TOKEN_MAX);
	tok[HTTP_TOKEN_MAX] = '\0';
	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nAuthorization: Bearer "
	    "%s\r\n\r\n", tok);
	assert_int_equal(parse(buf), HTTP_DONE);
	assert_int_equal(req.has_token, 0);
	assert_int_equal(req.bad_auth, 1);

	/* Two Authorization headers, of any form, are refused: the request
	 * would act as whichever one we picked. */
	assert_int_equal(parse("POST / HTTP/1.1\r\nAuthorization: Bearer a\r\n"
	    "Authorization: Bearer b\r\n\r\n"), HTTP_BAD);
	assert_non_null(strstr(why, "two Authorization"));
	assert_int_equal(parse("POST / HTTP/1.1\r\nAuthorization: Basic x\r\n"
	    "authorization: Bearer b\r\n\r\n"), HTTP_BAD);
	assert_int_equal(parse("POST / HTTP/1.1\r\nAuthorization: Bearer a\r\n"
	    "AUTHORIZATION: Bearer a\r\n\r\n"), HTTP_BAD);
}

static void
test_transfer_encoding(void **state)
{
	(void)state;
	bad("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
	assert_non_null(strstr(why, "Transfer-Encoding"));
	bad("POST / HTTP/1.1\r\ntransfer-encoding: identity\r\n\r\n");
	bad("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n");
}

static void
test_query(void **state)
{
	(void)state;
	assert_int_equal(parse("GET /v1/fairs/3/matches.csv?x=1&y=%20 "
	    "HTTP/1.1\r\n\r\n"), HTTP_DONE);
	assert_string_equal(req.path, "/v1/fairs/3/matches.csv");
	assert_string_equal(req.query, "x=1&y=%20");
	assert_int_equal(parse("GET /?  HTTP/1.1\r\n\r\n"), HTTP_BAD);
	assert_int_equal(parse("GET /? HTTP/1.1\r\n\r\n"), HTTP_DONE);
	assert_string_equal(req.path, "/");
	assert_string_equal(req.query, "");
	assert_int_equal(parse("GET /a?b?c HTTP/1.1\r\n\r\n"), HTTP_DONE);
	assert_string_equal(req.path, "/a");
	assert_string_equal(req.query, "b?c");
}

static void
test_target_length(void **state)
{
	char	buf[4096], target[2048];

	(void)state;
	target[0] = '/';
	memset(target + 1, 'a', HTTP_TARGET_MAX - 2);
	target[HTTP_TARGET_MAX - 1] = '\0';	/* 1023 characters: fits */
	snprintf(buf, sizeof(buf), "GET %s HTTP/1.1\r\n\r\n", target);
	assert_int_equal(parse(buf), HTTP_DONE);
	assert_int_equal(strlen(req.path), HTTP_TARGET_MAX - 1);
	target[HTTP_TARGET_MAX - 1] = 'a';
	target[HTTP_TARGET_MAX] = '\0';		/* 1024: does not */
	snprintf(buf, sizeof(buf), "GET %s HTTP/1.1\r\n\r\n", target);
	bad(buf);
	/* The query has room of its own, and the same bound. */
	target[0] = '/';
	target[1] = '?';
	memset(target + 2, 'q', HTTP_TARGET_MAX - 1);
	target[HTTP_TARGET_MAX + 1] = '\0';	/* query of 1023 */
	snprintf(buf, sizeof(buf), "GET %s HTTP/1.1\r\n\r\n", target);
	assert_int_equal(parse(buf), HTTP_DONE);
	assert_string_equal(req.path, "/");
	assert_int_equal(strlen(req.query), HTTP_TARGET_MAX - 1);
	target[HTTP_TARGET_MAX + 1] = 'q';
	target[HTTP_TARGET_MAX + 2] = '\0';	/* query of 1024 */
	snprintf(buf, sizeof(buf), "GET %s HTTP/1.1\r\n\r\n", target);
	bad(buf);
}

static void
test_incomplete(void **state)
{
	const char *s = "POST /v1/op/ping HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 2\r\n\r\n{}";
	size_t full, n;

	(void)state;
	assert_int_equal(parse(s), HTTP_DONE);
	full = head_len;
	/* Every proper prefix of the head is "read more". */
	for (n = 0; n < full; n++)
		if (parse_n(s, n, MAX_HEAD) != HTTP_MORE)
			fail_msg("prefix of %zu bytes is not HTTP_MORE", n);
	/* And the body after it does not change where the head ends. */
	for (n = full; n <= strlen(s); n++) {
		assert_int_equal(parse_n(s, n, MAX_HEAD), HTTP_DONE);
		assert_int_equal(head_len, full);
	}
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: x\r\n"), HTTP_MORE);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: x\r\n\r"), HTTP_MORE);
}

static void
test_too_large(void **state)
{
	char	buf[512];
	size_t	n;

	(void)state;
	n = (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nX-Pad: "
	    "%0100d\r\n\r\n", 0);
	/* Exactly max bytes: fine. */
	assert_int_equal(parse_n(buf, n, n), HTTP_DONE);
	assert_int_equal(head_len, n);
	/* One byte short of room: too large, complete or not. */
	assert_int_equal(parse_n(buf, n, n - 1), HTTP_TOO_LARGE);
	assert_int_equal(parse_n(buf, n - 2, n - 2), HTTP_TOO_LARGE);
	assert_int_equal(parse_n(buf, n - 2, 64), HTTP_TOO_LARGE);
	/* Not complete, not yet max: more. */
	assert_int_equal(parse_n(buf, 60, 64), HTTP_MORE);
}

static void
test_bad_request_line(void **state)
{
	(void)state;
	bad("GET /\r\n\r\n");			/* no version */
	bad("GET\r\n\r\n");
	bad("\r\n\r\n");
	bad("GET / HTTP/2.0\r\n\r\n");
	bad("GET / HTTP/1.2\r\n\r\n");
	bad("GET / HTTP/1.10\r\n\r\n");
	bad("GET / HTTP/1\r\n\r\n");
	bad("GET / http/1.1\r\n\r\n");
	bad("GET / HTTP/1.1 \r\n\r\n");
	bad("G T / HTTP/1.1\r\n\r\n");		/* method with a space */
	bad(" GET / HTTP/1.1\r\n\r\n");
	bad("GET  / HTTP/1.1\r\n\r\n");
	bad("GE(T / HTTP/1.1\r\n\r\n");
	bad("GET\t/ HTTP/1.1\r\n\r\n");
	bad("ABCDEFGHIJKLMNOPQ / HTTP/1.1\r\n\r\n");	/* method too long */
	bad("GET x HTTP/1.1\r\n\r\n");		/* target not "/..." */
	bad("GET * HTTP/1.1\r\n\r\n");
	bad("GET http://a/ HTTP/1.1\r\n\r\n");
	bad("GET /a b HTTP/1.1\r\n\r\n");
	bad("GET /a\x7f HTTP/1.1\r\n\r\n");
	bad("GET /\xe4\xb8\xad HTTP/1.1\r\n\r\n");
	bad("GET /a\x01 HTTP/1.1\r\n\r\n");
	/* The longest method that fits is fine. */
	assert_int_equal(parse("ABCDEFGHIJKLMNO / HTTP/1.1\r\n\r\n"),
	    HTTP_DONE);
	assert_string_equal(req.method, "ABCDEFGHIJKLMNO");
}

static void
test_bad_header(void **state)
{
	(void)state;
	bad("GET / HTTP/1.1\r\nX-A: a\x01" "b\r\n\r\n");
	bad("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n");
	bad("GET / HTTP/1.1\r\nX-A: \x1b[0m\r\n\r\n");
	bad("GET / HTTP/1.1\r\nNo colon here\r\n\r\n");
	bad("GET / HTTP/1.1\r\n: empty name\r\n\r\n");
	bad("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n");
	bad("GET / HTTP/1.1\r\nBad\tName: x\r\n\r\n");
	bad("GET / HTTP/1.1\r\nName : x\r\n\r\n");
	bad("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");
	/* Tabs, and bytes above 0x7f (obs-text), are allowed in values. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nX-A: a\tb \xe4\xb8\xad\r\n"
	    "\r\n"), HTTP_DONE);
	assert_int_equal(parse("GET / HTTP/1.1\r\nX-Empty:\r\n\r\n"),
	    HTTP_DONE);
}

/* DEL is a control character: RFC 9110 field values hold none. */
static void
test_bad_header_del(void **state)
{
	(void)state;
	bad("GET / HTTP/1.1\r\nX-A: a\x7f" "b\r\n\r\n");
}

/* NUL bytes in a value or the target are control characters. */
static void
test_nul_in_value_and_target(void **state)
{
	static const char v[] = "GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n";
	static const char t[] = "GET /a\0b HTTP/1.1\r\n\r\n";

	(void)state;
	assert_int_equal(parse_n(v, sizeof(v) - 1, MAX_HEAD), HTTP_BAD);
	assert_int_equal(parse_n(t, sizeof(t) - 1, MAX_HEAD), HTTP_BAD);
}

/*
 * A NUL byte is no token character: a method holding one must be refused,
 * not read as the method before the NUL ("GET\0X" is not "GET").
 */
static void
test_nul_in_method(void **state)
{
	static const char m[] = "GET\0X / HTTP/1.1\r\n\r\n";

	(void)state;
	assert_int_equal(parse_n(m, sizeof(m) - 1, MAX_HEAD), HTTP_BAD);
}

/* Nor may a field name hold a NUL byte. */
static void
test_nul_in_field_name(void **state)
{
	static const char h[] = "GET / HTTP/1.1\r\nX\0Y: z\r\n\r\n";

	(void)state;
	assert_int_equal(parse_n(h, sizeof(h) - 1, MAX_HEAD), HTTP_BAD);
}

/* Random bytes, and random mutations of a good head, never crash. */
static void
test_property_random(void **state)
{
	static const char good[] = "POST /v1/op/need.post?a=b HTTP/1.1\r\n"
	    "Host: x\r\nContent-Length: 10\r\nAuthorization: Bearer tok\r\n"
	    "Connection: keep-alive\r\n\r\n0123456789";
	static const char pieces[][24] = { "GET ", "POST ", "/", " HTTP/1.1",
	    " HTTP/1.0", "\r\n", "\n", ": ", "Content-Length", "Connection",
	    "Authorization", "Bearer ", "close", "?", " ", "\r", "7", "\t" };
	char		buf[600];
	size_t		len, max, i;
	int		round;
	enum http_parse	r;

	(void)state;
	srand(4242);
	for (round = 0; round < 200000; round++) {
		int kind = round % 3;

		if (kind == 0) {
			len = (size_t)rand() % 200;
			for (i = 0; i < len; i++)
				buf[i] = (char)(rand() % 256);
		} else if (kind == 1) {
			len = 0;
			while (len < 400 && rand() % 30 != 0) {
				const char *p = pieces[(size_t)rand() %
				    (sizeof(pieces) / sizeof(pieces[0]))];
				size_t n = strlen(p);

				memcpy(buf + len, p, n);
				len += n;
			}
		} else {
			len = sizeof(good) - 1;
			memcpy(buf, good, len);
			for (i = 0; i < 3; i++)
				buf[(size_t)rand() % len] = (char)(rand() % 256);
			len = (size_t)rand() % (len + 1);
		}
		max = 1 + (size_t)rand() % 512;
		r = parse_n(buf, len, max);
		switch (r) {
		case HTTP_DONE:
			assert_true(head_len > 0);
			assert_true(head_len <= len);
			assert_true(head_len <= max);
			assert_true(buf[head_len - 1] == '\n');
			assert_true(strlen(req.method) > 0);
			assert_true(req.path[0] == '/');
			assert_true(req.minor == 0 || req.minor == 1);
			assert_true(req.keep_alive == 0 || req.keep_alive == 1);
			assert_true(!(req.has_token && req.token[0] == '\0'));
			break;
		case HTTP_MORE:
			assert_true(len < max);
			break;
		case HTTP_TOO_LARGE:
			assert_true(len >= max);
			break;
		case HTTP_BAD:
			break;
		default:
			fail_msg("unknown result %d", r);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_post_content_length),
		cmocka_unit_test(test_content_length_bad),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_authorization),
		cmocka_unit_test(test_transfer_encoding),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_target_length),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_bad_request_line),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_header_del),
		cmocka_unit_test(test_nul_in_value_and_target),
		cmocka_unit_test(test_nul_in_method),
		cmocka_unit_test(test_nul_in_field_name),
		cmocka_unit_test(test_property_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
