/*
 * test_envelope.c: strict JSON (protocol/json_scan.c) and the request and
 * response envelopes (protocol/envelope.c) of docs/protocol.md ("Envelope").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "protocol/envelope.h"
#include "protocol/error.h"
#include "protocol/json_scan.h"
#include "tests/lib/json_tree_diff.h"

/* ---- helpers ----------------------------------------------------------- */

/* json_scan on n bytes; returns 0 or -1, and checks the error code. */
static int
scan_n(const char *s, size_t n)
{
	struct error err;

	memset(&err, 0, sizeof(err));
	if (json_scan(s, n, JSON_MAX_DEPTH, &err) == 0)
		return 0;
	assert_int_equal(err.code, ERR_PARSE);
	assert_true(err.message[0] != '\0');
	return -1;
}

static int
scan(const char *s)
{
	return scan_n(s, strlen(s));
}

/* json_parse_strict on a string: 0 when accepted, else the error code. */
static int
strict(const char *s, enum err_code dup_code, struct error *err)
{
	cJSON *root;

	memset(err, 0, sizeof(*err));
	root = json_parse_strict(s, strlen(s), dup_code, err);
	if (root == NULL) {
		assert_int_not_equal(err->code, ERR_NONE);
		return (int)err->code;
	}
	cJSON_Delete(root);
	return 0;
}

/* Nest n arrays around a 1: "[[...1...]]". */
static char *
nested(size_t n, char open, char close)
{
	char	*s = malloc(2 * n + 2);
	size_t	 i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		s[i] = open;
	s[n] = '1';
	for (i = 0; i < n; i++)
		s[n + 1 + i] = close;
	s[2 * n + 1] = '\0';
	return s;
}

/* Parse a request line; returns 0 or the error code.  Leaves req to clear. */
static int
parse(const char *line, struct request *req, struct error *err)
{
	memset(err, 0, sizeof(*err));
	if (envelope_parse(line, strlen(line), req, err) == 0)
		return 0;
	assert_int_not_equal(err->code, ERR_NONE);
	return (int)err->code;
}

/* ---- json_scan --------------------------------------------------------- */

static void
test_scan_valid(void **state)
{
	(void)state;
	assert_int_equal(scan("{}"), 0);
	assert_int_equal(scan("[]"), 0);
	assert_int_equal(scan(" \t\r\n{\"a\" : [1, -2.5e+3, 0, 0.0, 1E5, "
	    "true, false, null, \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]} \n"),
	    0);
	assert_int_equal(scan("\"\xe4\xb8\xad\xe6\x96\x87\""), 0);	/* 中文 */
	assert_int_equal(scan("\"\xf0\x9f\x98\x80\""), 0);	/* U+1F600 */
	assert_int_equal(scan("\"\xf4\x8f\xbf\xbf\""), 0);	/* U+10FFFF */
	assert_int_equal(scan("\"\xc2\x80\""), 0);		/* U+0080 */
	assert_int_equal(scan("\"\xef\xbf\xbf\""), 0);		/* U+FFFF */
	assert_int_equal(scan("\"\\ud83d\\ude00\""), 0);	/* pair */
	assert_int_equal(scan("-0"), 0);
	assert_int_equal(scan("123"), 0);
	assert_int_equal(scan("\"\""), 0);
}

static void
test_scan_bad_utf8(void **state)
{
	(void)state;
	assert_int_equal(scan("\"\xc0\x80\""), -1);	/* overlong NUL */
	assert_int_equal(scan("\"\xc1\xbf\""), -1);	/* overlong */
	assert_int_equal(scan("\"\xe0\x80\x80\""), -1);	/* overlong 3 */
	assert_int_equal(scan("\"\xf0\x80\x80\x80\""), -1);	/* overlong 4 */
	assert_int_equal(scan("\"\xed\xa0\x80\""), -1);	/* U+D800 */
	assert_int_equal(scan("\"\xed\xbf\xbf\""), -1);	/* U+DFFF */
	assert_int_equal(scan("\"\xf4\x90\x80\x80\""), -1);	/* > U+10FFFF */
	assert_int_equal(scan("\"\xf5\x80\x80\x80\""), -1);
	assert_int_equal(scan("\"\xff\""), -1);
	assert_int_equal(scan("\"\x80\""), -1);		/* lone continuation */
	assert_int_equal(scan("\"\xe4\xb8\""), -1);	/* truncated in string */
	assert_int_equal(scan("\"\xe4\xb8"), -1);	/* truncated at end */
	assert_int_equal(scan_n("\"\xe4", 2), -1);
	assert_int_equal(scan("\"\xe4\x41\x41\""), -1);	/* bad continuation */
	/* Bytes >= 0x80 outside strings are not JSON either. */
	assert_int_equal(scan("\xe4\xb8\xad"), -1);
}

static void
test_scan_control_and_escapes(void **state)
{
	(void)state;
	assert_int_equal(scan("\"a\x01" "b\""), -1);
	assert_int_equal(scan("\"a\nb\""), -1);
	assert_int_equal(scan("\"a\tb\""), -1);
	assert_int_equal(scan_n("\"a\0b\"", 5), -1);
	assert_int_equal(scan("\"a\x7f" "b\""), 0);	/* DEL is legal JSON */
	assert_int_equal(scan("\"\\u0000\""), -1);
	assert_int_equal(scan("{\"\\u0000\":1}"), -1);	/* in a key too */
	assert_int_equal(scan("\"\\ud800\""), -1);	/* lone high */
	assert_int_equal(scan("\"\\ud800x\""), -1);
	assert_int_equal(scan("\"\\ud800\\u0041\""), -1);
	assert_int_equal(scan("\"\\udc00\""), -1);	/* lone low */
	assert_int_equal(scan("\"\\ude00\\ud83d\""), -1);	/* reversed */
	assert_int_equal(scan("\"\\x41\""), -1);
	assert_int_equal(scan("\"\\u12\""), -1);
	assert_int_equal(scan("\"\\u12g4\""), -1);
	assert_int_equal(scan("\"\\"), -1);
	assert_int_equal(scan("\"abc"), -1);
	assert_int_equal(scan("'a'"), -1);
}

static void
test_scan_depth(void **state)
{
	char *s;

	(void)state;
	s = nested(32, '[', ']');
	assert_int_equal(scan(s), 0);
	free(s);
	s = nested(33, '[', ']');
	assert_int_equal(scan(s), -1);
	free(s);

	/* Objects count too: 32 levels of {"a": ...}. */
	{
		char	buf[32 * 6 + 64];
		size_t	n = 0;
		int	i;

		for (i = 0; i < 33; i++) {
			memcpy(buf + n, "{\"a\":", 5);
			n += 5;
		}
		buf[n++] = '1';
		for (i = 0; i < 33; i++)
			buf[n++] = '}';
		assert_int_equal(scan_n(buf, n), -1);
		/* Drop the outermost level: 32 deep. */
		assert_int_equal(scan_n(buf + 5, n - 6), 0);
	}
}

static void
test_scan_numbers(void **state)
{
	char	num[80];
	int	i;

	(void)state;
	assert_int_equal(scan("01"), -1);
	assert_int_equal(scan("[01]"), -1);
	assert_int_equal(scan("-01"), -1);
	assert_int_equal(scan("1."), -1);
	assert_int_equal(scan(".5"), -1);
	assert_int_equal(scan("-"), -1);
	assert_int_equal(scan("1e"), -1);
	assert_int_equal(scan("1e+"), -1);
	assert_int_equal(scan("+1"), -1);
	assert_int_equal(scan("0x10"), -1);
	assert_int_equal(scan("1.5e-3"), 0);
	assert_int_equal(scan("1e400"), 0);	/* syntax fine; range is values' */

	/* 63 characters are fine, 64 are not. */
	for (i = 0; i < 63; i++)
		num[i] = '1';
	num[63] = '\0';
	assert_int_equal(scan(num), 0);
	num[63] = '1';
	num[64] = '\0';
	assert_int_equal(scan(num), -1);
	/* Long in the fraction too. */
	memcpy(num, "0.", 2);
	assert_int_equal(scan(num), -1);
}

static void
test_scan_nan_infinity(void **state)
{
	(void)state;
	assert_int_equal(scan("NaN"), -1);
	assert_int_equal(scan("Infinity"), -1);
	assert_int_equal(scan("-Infinity"), -1);
	assert_int_equal(scan("{\"budget\":NaN}"), -1);
	assert_int_equal(scan("[nan]"), -1);
	assert_int_equal(scan("[inf]"), -1);
}

static void
test_scan_trailing_and_structure(void **state)
{
	(void)state;
	assert_int_equal(scan("{} x"), -1);
	assert_int_equal(scan("{}{}"), -1);
	assert_int_equal(scan("1 2"), -1);
	assert_int_equal(scan("[1,]"), -1);
	assert_int_equal(scan("{\"a\":1,}"), -1);
	assert_int_equal(scan("{\"a\" 1}"), -1);
	assert_int_equal(scan("{a:1}"), -1);
	assert_int_equal(scan("[1 2]"), -1);
	assert_int_equal(scan("["), -1);
	assert_int_equal(scan("{"), -1);
	assert_int_equal(scan(""), -1);
	assert_int_equal(scan("   "), -1);
	assert_int_equal(scan("tru"), -1);
	assert_int_equal(scan("nul"), -1);
	assert_int_equal(scan("True"), -1);
	assert_int_equal(scan("{\"a\":1}\n"), 0);
	assert_int_equal(scan_n("{}\0", 3), -1);	/* a NUL after the value */
}

static void
test_scan_deep_nesting_fast(void **state)
{
	size_t	n = 100000;
	char	*s;
	clock_t	t0;
	struct error err;
	cJSON	*root;

	(void)state;
	t0 = clock();
	s = nested(n, '[', ']');
	assert_int_equal(scan(s), -1);
	root = json_parse_strict(s, strlen(s), ERR_BAD_REQUEST, &err);
	assert_null(root);
	assert_int_equal(err.code, ERR_PARSE);
	free(s);
	s = nested(n, '{', '}');	/* not even valid, but must not recurse */
	assert_int_equal(scan(s), -1);
	free(s);
	/* Unclosed: 100,000 "[" and nothing else. */
	s = malloc(n + 1);
	assert_non_null(s);
	memset(s, '[', n);
	s[n] = '\0';
	assert_int_equal(scan(s), -1);
	free(s);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
}

/* Number n of the tree in document order (depth first), or NULL. */
static const cJSON *
nth_number(const cJSON *node, int *n)
{
	const cJSON *c, *r;

	if (cJSON_IsNumber(node))
		return (*n)-- == 0 ? node : NULL;
	for (c = node->child; c != NULL; c = c->next)
		if ((r = nth_number(c, n)) != NULL)
			return r;
	return NULL;
}

/* Every number keeps its literal, whatever the strings around it hold. */
static void
test_strict_number_literals(void **state)
{
	static const char *const in =
	    "{\"a\":\"x\\\"1,2\",\"b\":2.50,\"c\":\"\\\\\",\"d\":-3e2,"
	    "\"e\":[\"\\\\\\\"9\",1.0000000000000001,{\"f\":\"\xe4\xb8\xad" "7\"}],"
	    "\"g\":0}";
	static const char *const want[] = { "2.50", "-3e2",
	    "1.0000000000000001", "0" };
	struct error	 err;
	cJSON		*root;
	const cJSON	*v;
	int		 i, n;

	(void)state;
	root = json_parse_strict(in, strlen(in), ERR_BAD_REQUEST, &err);
	assert_non_null(root);
	for (i = 0; i < 4; i++) {
		n = i;
		v = nth_number(root, &n);
		assert_non_null(v);
		assert_string_equal(v->valuestring, want[i]);
	}
	n = 4;
	assert_null(nth_number(root, &n));
	cJSON_Delete(root);
}

static void
test_strict_duplicates(void **state)
{
	struct error	 err;
	char		 buf[1024], want[16], *p;
	size_t		 used;
	int		 n, i, dup;

	(void)state;
	assert_int_equal(strict("{\"a\":1,\"b\":2}", ERR_BAD_REQUEST, &err), 0);
	assert_int_equal(strict("{\"a\":1,\"a\":2}", ERR_BAD_REQUEST, &err),
	    ERR_BAD_REQUEST);
	assert_string_equal(err.field, "");
	assert_int_equal(strict("{\"a\":1,\"a\":2}", ERR_INVALID_ARGUMENT,
	    &err), ERR_INVALID_ARGUMENT);
	assert_string_equal(err.field, "a");
	/* Deep inside arrays and objects. */
	assert_int_equal(strict("{\"x\":[1,{\"y\":{\"k\":1,\"j\":2,\"k\":3}}]}",
	    ERR_INVALID_ARGUMENT, &err), ERR_INVALID_ARGUMENT);
	assert_string_equal(err.field, "k");
	assert_non_null(strstr(err.message, "\"k\""));
	/* The same key in different objects is fine. */
	assert_int_equal(strict("[{\"a\":1},{\"a\":2},{\"a\":{\"a\":3}}]",
	    ERR_BAD_REQUEST, &err), 0);
	/* Spelt differently, the same key once decoded. */
	assert_int_equal(strict("{\"a\":1,\"\\u0061\":2}", ERR_INVALID_ARGUMENT,
	    &err), ERR_INVALID_ARGUMENT);
	assert_string_equal(err.field, "a");
	assert_int_equal(strict("{\"\\u4e2d\":1,\"\xe4\xb8\xad\":2}",
	    ERR_BAD_REQUEST, &err), ERR_BAD_REQUEST);
	assert_int_equal(strict("{\"a/b\":1,\"a\\/b\":2}", ERR_BAD_REQUEST,
	    &err), ERR_BAD_REQUEST);
	/* Keys differing only in case are different keys. */
	assert_int_equal(strict("{\"a\":1,\"A\":2}", ERR_BAD_REQUEST, &err), 0);
	/* Small objects are checked pair by pair, big ones sorted: both
	 * find a duplicate wherever it is, and pass distinct keys. */
	for (n = 2; n <= 40; n++) {
		for (i = 0, used = 0; i < n; i++)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
			    "%sk%d\":%d", i ? ",\"" : "{\"", i, i);
		snprintf(buf + used, sizeof(buf) - used, "}");
		assert_int_equal(strict(buf, ERR_BAD_REQUEST, &err), 0);
		/* The last key renamed to the first, then to a middle one. */
		for (dup = 0; dup < n - 1; dup += n / 2 > 0 ? n / 2 : 1) {
			p = strrchr(buf, 'k');
			snprintf(p, sizeof(buf) - (size_t)(p - buf),
			    "k%d\":0}", dup);
			assert_int_equal(strict(buf, ERR_INVALID_ARGUMENT,
			    &err), ERR_INVALID_ARGUMENT);
			snprintf(want, sizeof(want), "k%d", dup);
			assert_string_equal(err.field, want);
		}
	}
	/* Not JSON at all: parse_error whatever dup_code says. */
	assert_int_equal(strict("{\"a\":", ERR_INVALID_ARGUMENT, &err),
	    ERR_PARSE);
}

static void
test_strict_many_keys(void **state)
{
	size_t	n = 20000, i, len = 0;
	char	*s = malloc(n * 16 + 16);
	struct error err;
	cJSON	*root;

	(void)state;
	assert_non_null(s);
	s[len++] = '{';
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "%s\"k%zu\":1", i ? "," : "",
		    i);
	s[len++] = '}';
	s[len] = '\0';
	root = json_parse_strict(s, len, ERR_BAD_REQUEST, &err);
	assert_non_null(root);
	cJSON_Delete(root);
	/* The last key repeats the first. */
	len--;
	len += (size_t)sprintf(s + len, ",\"k0\":2}");
	root = json_parse_strict(s, len, ERR_INVALID_ARGUMENT, &err);
	assert_null(root);
	assert_string_equal(err.field, "k0");
	free(s);
}

/*
 * json_parse_strict builds its tree in the pass that checks the text: the
 * tree must be the one cJSON's parser makes, escapes undone, numbers read by
 * strtod with their int saturated, true's valueint 1, children in order.
 */
static void
test_strict_tree_is_cjsons(void **state)
{
	static const char *const in[] = {
		"{}", "[]", "\"\"", "0", "-0", "true", "false", "null",
		" { \"a\" : [ 1 , 2.5 , -3e2 , 4E+1 , 5e-1 ] } ",
		"{\"k\":\"v\",\"n\":{\"m\":[[],{},[{}]]},\"z\":null}",
		"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
		"\"\\u0041\\u00e9\\u4e2d\\ud83d\\ude00x\"",
		"\"caf\xc3\xa9 \xe7\xa4\xbe\xe5\x8c\xba \xf0\x9f\x98\x80\"",
		"{\"\\u0061b\":1,\"a\\u0063\":2}",
		"[2147483647, 2147483648, -2147483648, -2147483649, 1e400,"
		" -1e400, 9007199254740993, 0.1, 1.0000000000000001,"
		" 123456789012345678901234567890]",
		"[true,false,null,true]",
		"{\"budget\":12.50,\"ids\":[1,2,3],\"title\":\"\\u793e\"}",
	};
	struct error	 err;
	cJSON		*strict, *plain;
	const char	*why;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		strict = json_parse_strict(in[i], strlen(in[i]),
		    ERR_BAD_REQUEST, &err);
		plain = cJSON_Parse(in[i]);
		assert_non_null(strict);
		assert_non_null(plain);
		why = json_tree_diff(strict, plain);
		if (why != NULL)
			fail_msg("%s: %s differs", in[i], why);
		cJSON_Delete(strict);
		cJSON_Delete(plain);
	}
	/* The comparison itself sees a difference. */
	strict = json_parse_strict("[1,true]", 8, ERR_BAD_REQUEST, &err);
	plain = cJSON_Parse("[1,false]");
	assert_non_null(json_tree_diff(strict, plain));
	cJSON_Delete(plain);
	plain = cJSON_Parse("[1.0000000000000002,true]");
	assert_non_null(json_tree_diff(strict, plain));
	cJSON_Delete(plain);
	cJSON_Delete(strict);
}

/*
 * A string's plain bytes are passed eight at a time: a byte that ends the
 * run (an escape, a quote, a UTF-8 sequence, a control, a bad byte) at
 * every place of a long string, and strings of every length, parse as
 * cJSON's parser reads them or are refused at that byte.
 */
static void
test_strict_string_runs(void **state)
{
	/* Read as cJSON reads them, then refused (a quote inside ends the
	 * string early, text follows; the rest at their own byte). */
	static const char *const odd[] = { "\\n", "\\\"", "\\u4e2d",
	    "\xe4\xb8\xad", "\xc3\xa9", "\x7f", "\"", "\x01", "\xff",
	    "\xe4\xb8" };
	const size_t	 first_refused = 6;
	char		 text[128];
	struct error	 err;
	cJSON		*strict, *plain;
	const char	*why;
	size_t		 at, k, n;

	(void)state;
	for (at = 0; at < 40; at++)
		for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
			text[0] = '"';
			memset(text + 1, 'a', at);
			n = 1 + at;
			memcpy(text + n, odd[k], strlen(odd[k]));
			n += strlen(odd[k]);
			memset(text + n, 'b', 40 - at);
			n += 40 - at;
			text[n++] = '"';
			text[n] = '\0';
			strict = json_parse_strict(text, n, ERR_BAD_REQUEST,
			    &err);
			plain = cJSON_Parse(text);
			if (k >= first_refused) {
				assert_null(strict);
				if (k > first_refused) {
					char where[32];

					snprintf(where, sizeof(where),
					    "at byte %zu", 1 + at);
					assert_non_null(strstr(err.message,
					    where));
				}
				cJSON_Delete(plain);
				continue;
			}
			assert_non_null(strict);
			assert_non_null(plain);
			if ((why = json_tree_diff(strict, plain)) != NULL)
				fail_msg("%s: %s differs", text, why);
			cJSON_Delete(strict);
			cJSON_Delete(plain);
		}
	for (n = 0; n < 40; n++) {
		text[0] = '"';
		memset(text + 1, 'x', n);
		text[n + 1] = '"';
		strict = json_parse_strict(text, n + 2, ERR_BAD_REQUEST, &err);
		assert_non_null(strict);
		assert_int_equal(strlen(strict->valuestring), n);
		cJSON_Delete(strict);
		/* Cut before its closing quote: refused. */
		assert_null(json_parse_strict(text, n + 1, ERR_BAD_REQUEST,
		    &err));
	}
}

/* A refusal deep in a tree frees what was built (LeakSanitizer in SAN=1). */
static void
test_strict_refusal_frees_the_partial_tree(void **state)
{
	static const char *const in[] = {
		"{\"a\":[1,2,{\"b\":\"x\"}],\"c\":[true,",
		"{\"a\":[1,2,{\"b\":\"x\"}],\"c\":tru}",
		"{\"a\":\"\\ud800\"}",
		"[1,2,3] 4",
		"{\"a\":1,\"b\":{\"c\":2,\"c\":3}}",
	};
	struct error	err;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_null(json_parse_strict(in[i], strlen(in[i]),
		    ERR_BAD_REQUEST, &err));
		assert_true(err.code == ERR_PARSE || err.code ==
		    ERR_BAD_REQUEST);
	}
}

/* ---- envelope_parse ---------------------------------------------------- */

static void
test_parse_ok(void **state)
{
	struct request	req;
	struct error	err;

	(void)state;
	assert_int_equal(parse("{\"id\":7,\"op\":\"need.post\",\"token\":\"t\","
	    "\"args\":{\"a\":1}}", &req, &err), 0);
	assert_string_equal(req.op, "need.post");
	assert_string_equal(req.token, "t");
	assert_non_null(req.id);
	assert_true(cJSON_IsNumber(req.id));
	assert_int_equal((int)req.id->valuedouble, 7);
	assert_non_null(req.args);
	assert_true(cJSON_IsObject(req.args));
	envelope_request_clear(&req);
	assert_null(req.root);

	assert_int_equal(parse("{\"op\":\"ping\"}", &req, &err), 0);
	assert_null(req.id);
	assert_null(req.token);
	assert_null(req.args);
	envelope_request_clear(&req);

	/* id null is no id; token and args null are absent. */
	assert_int_equal(parse("{\"id\":null,\"op\":\"ping\",\"token\":null,"
	    "\"args\":null}", &req, &err), 0);
	assert_null(req.id);
	assert_null(req.token);
	assert_null(req.args);
	envelope_request_clear(&req);

	assert_int_equal(parse("{\"op\":\"x\",\"id\":\"abc\"}", &req, &err), 0);
	assert_true(cJSON_IsString(req.id));
	assert_string_equal(req.id->valuestring, "abc");
	envelope_request_clear(&req);
}

static void
test_parse_bad_id(void **state)
{
	struct request	req;
	struct error	err;
	const char	*bad[] = {
		"{\"id\":true,\"op\":\"ping\"}",
		"{\"id\":false,\"op\":\"ping\"}",
		"{\"id\":[1],\"op\":\"ping\"}",
		"{\"id\":{},\"op\":\"ping\"}",
	};
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &req, &err), ERR_BAD_REQUEST);
		assert_null(req.id);
		envelope_request_clear(&req);
	}
}

static void
test_parse_bad_request(void **state)
{
	struct request	req;
	struct error	err;
	const char	*bad[] = {
		"{}",
		"{\"id\":1}",
		"{\"op\":7}",
		"{\"op\":null}",
		"{\"op\":[\"ping\"]}",
		"{\"op\":\"ping\",\"args\":[]}",
		"{\"op\":\"ping\",\"args\":\"x\"}",
		"{\"op\":\"ping\",\"args\":1}",
		"{\"op\":\"ping\",\"token\":1}",
		"{\"op\":\"ping\",\"token\":{}}",
		"{\"op\":\"ping\",\"extra\":1}",
		"{\"op\":\"ping\",\"Op\":\"x\"}",
		"{\"op\":\"ping\",\"op\":\"ping\"}",
		"{\"op\":\"ping\",\"args\":{\"a\":1,\"a\":1}}",
		"[]",
		"[{\"op\":\"ping\"}]",
		"\"ping\"",
		"1",
		"null",
		"true",
	};
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &req, &err) != ERR_BAD_REQUEST)
			fail_msg("%s: want bad_request, got %s (%s)", bad[i],
			    error_name(err.code), err.message);
		assert_true(err.message[0] != '\0');
		envelope_request_clear(&req);
	}
	/* The unknown key is named. */
	assert_int_equal(parse("{\"op\":\"ping\",\"tokne\":\"x\"}", &req,
	    &err), ERR_BAD_REQUEST);
	assert_non_null(strstr(err.message, "tokne"));
	envelope_request_clear(&req);
}

static void
test_parse_error_echoes_id(void **state)
{
	struct request	req;
	struct error	err;

	(void)state;
	assert_int_equal(parse("{\"id\":42,\"op\":5}", &req, &err),
	    ERR_BAD_REQUEST);
	assert_non_null(req.id);
	assert_int_equal((int)req.id->valuedouble, 42);
	envelope_request_clear(&req);
	assert_int_equal(parse("{\"op\":\"x\",\"zz\":1,\"id\":\"q\"}", &req,
	    &err), ERR_BAD_REQUEST);
	assert_non_null(req.id);
	assert_string_equal(req.id->valuestring, "q");
	envelope_request_clear(&req);
}

static void
test_parse_parse_error(void **state)
{
	struct request	req;
	struct error	err;
	const char	*bad[] = {
		"",
		"{",
		"{\"op\":\"ping\"} x",
		"{\"op\":\"\xc0\x80\"}",
		"{\"op\":\"ping\",\"id\":NaN}",
		"{\"op\":\"ping\",\"id\":Infinity}",
		"{\"op\":\"p\\u0000ing\"}",
		"{'op':'ping'}",
	};
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &req, &err) != ERR_PARSE)
			fail_msg("%s: want parse_error, got %s", bad[i],
			    error_name(err.code));
		envelope_request_clear(&req);
	}
}

/* ---- envelope_parse_args ----------------------------------------------- */

static void
test_parse_args(void **state)
{
	struct error	err;
	cJSON		*args = (cJSON *)1;

	(void)state;
	assert_int_equal(envelope_parse_args("", 0, &args, &err), 0);
	assert_null(args);
	args = (cJSON *)1;
	assert_int_equal(envelope_parse_args(" \r\n\t ", 5, &args, &err), 0);
	assert_null(args);
	assert_int_equal(envelope_parse_args("null", 4, &args, &err), 0);
	assert_null(args);
	assert_int_equal(envelope_parse_args(" {\"a\":1} ", 9, &args, &err),
	    0);
	assert_non_null(args);
	assert_true(cJSON_IsObject(args));
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(args,
	    "a")->valueint, 1);
	cJSON_Delete(args);

	memset(&err, 0, sizeof(err));
	assert_int_equal(envelope_parse_args("[1]", 3, &args, &err), -1);
	assert_null(args);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	assert_int_equal(envelope_parse_args("\"x\"", 3, &args, &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	assert_int_equal(envelope_parse_args("5", 1, &args, &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);

	assert_int_equal(envelope_parse_args("{\"budget\":1,\"budget\":2}", 23,
	    &args, &err), -1);
	assert_null(args);
	assert_int_equal(err.code, ERR_INVALID_ARGUMENT);
	assert_string_equal(err.field, "budget");

	assert_int_equal(envelope_parse_args("{\"a\":", 5, &args, &err), -1);
	assert_null(args);
	assert_int_equal(err.code, ERR_PARSE);
}

/* ---- answers ----------------------------------------------------------- */

static cJSON *
reparse(char *s)
{
	cJSON *o;

	assert_non_null(s);
	assert_null(strchr(s, '\n'));
	o = cJSON_Parse(s);
	assert_non_null(o);
	free(s);
	return o;
}

static void
test_envelope_ok(void **state)
{
	cJSON *id, *res, *o, *v;

	(void)state;
	id = cJSON_CreateNumber(7);
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "pong", "\xe4\xb8\xad");
	o = reparse(envelope_ok(id, res));
	assert_int_equal(cJSON_GetArraySize(o), 3);
	v = cJSON_GetObjectItemCaseSensitive(o, "id");
	assert_true(cJSON_IsNumber(v));
	assert_int_equal(v->valueint, 7);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")));
	v = cJSON_GetObjectItemCaseSensitive(o, "result");
	assert_true(cJSON_IsObject(v));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(v,
	    "pong")->valuestring, "\xe4\xb8\xad");
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "error"));
	cJSON_Delete(o);
	cJSON_Delete(id);

	/* No id: null.  No result: {}. */
	o = reparse(envelope_ok(NULL, NULL));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "id")));
	v = cJSON_GetObjectItemCaseSensitive(o, "result");
	assert_true(cJSON_IsObject(v));
	assert_null(v->child);
	cJSON_Delete(o);

	/* A string id comes back as the same string. */
	id = cJSON_CreateString("req-\"1\"");
	o = reparse(envelope_ok(id, NULL));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(o,
	    "id")->valuestring, "req-\"1\"");
	cJSON_Delete(o);
	cJSON_Delete(id);
}

/* The answers' exact bytes: the envelope is written, not built as a tree,
 * and must read as cJSON_PrintUnformatted would print the tree. */
static void
test_envelope_bytes(void **state)
{
	struct error	 err;
	cJSON		*id, *res;
	char		*out;

	(void)state;
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "n", 12345.5);
	cJSON_AddStringToObject(res, "s", "\"\xe4\xb8\xad\"\n");
	id = cJSON_CreateString("a\"b");
	out = envelope_ok(id, res);
	assert_string_equal(out, "{\"id\":\"a\\\"b\",\"ok\":true,\"result\":"
	    "{\"n\":12345.5,\"s\":\"\\\"\xe4\xb8\xad\\\"\\n\"}}");
	free(out);
	cJSON_Delete(id);
	out = envelope_ok(NULL, NULL);
	assert_string_equal(out, "{\"id\":null,\"ok\":true,\"result\":{}}");
	free(out);
	/* A numeric id as the client wrote it. */
	id = json_parse_strict("{\"id\":9007199254740993}", 23,
	    ERR_BAD_REQUEST, &err);
	assert_non_null(id);
	out = envelope_ok(cJSON_GetObjectItem(id, "id"), cJSON_CreateArray());
	assert_string_equal(out,
	    "{\"id\":9007199254740993,\"ok\":true,\"result\":[]}");
	free(out);
	memset(&err, 0, sizeof(err));
	error_set(&err, ERR_INVALID_ARGUMENT, "budget", "budget \"x\" < 0");
	out = envelope_error(cJSON_GetObjectItem(id, "id"), &err);
	assert_string_equal(out, "{\"id\":9007199254740993,\"ok\":false,"
	    "\"error\":{\"code\":\"invalid_argument\",\"message\":"
	    "\"budget \\\"x\\\" < 0\",\"field\":\"budget\","
	    "\"reason\":\"invalid_argument\"}}");
	free(out);
	cJSON_Delete(id);
	error_set(&err, ERR_UNAVAILABLE, NULL, "down");
	out = envelope_error(NULL, &err);
	assert_string_equal(out, "{\"id\":null,\"ok\":false,\"error\":"
	    "{\"code\":\"unavailable\",\"message\":\"down\","
	    "\"reason\":\"unavailable\"}}");
	free(out);
	/* A reason named by the handler; error_set clears it again. */
	error_set(&err, ERR_CONFLICT, NULL, "over");
	assert_int_equal(error_reason(&err, "over_cap"), -1);
	out = envelope_error(NULL, &err);
	assert_string_equal(out, "{\"id\":null,\"ok\":false,\"error\":"
	    "{\"code\":\"conflict\",\"message\":\"over\","
	    "\"reason\":\"over_cap\"}}");
	free(out);
	error_set(&err, ERR_NOT_FOUND, NULL, "gone");
	assert_string_equal(error_reason_of(&err), "not_found");
}

static void
test_envelope_error(void **state)
{
	struct error	 err;
	cJSON		*id, *o, *e;

	(void)state;
	error_set(&err, ERR_INVALID_ARGUMENT, "budget", "budget must be > %d",
	    0);
	id = cJSON_CreateString("x1");
	o = reparse(envelope_error(id, &err));
	assert_int_equal(cJSON_GetArraySize(o), 3);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(o,
	    "id")->valuestring, "x1");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "ok")));
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "result"));
	e = cJSON_GetObjectItemCaseSensitive(o, "error");
	assert_true(cJSON_IsObject(e));
	assert_int_equal(cJSON_GetArraySize(e), 4);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(e,
	    "code")->valuestring, "invalid_argument");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(e,
	    "message")->valuestring, "budget must be > 0");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(e,
	    "field")->valuestring, "budget");
	cJSON_Delete(o);
	cJSON_Delete(id);

	/* No field: no "field" key at all; the reason is the code's name. */
	error_set(&err, ERR_PARSE, NULL, "not JSON");
	o = reparse(envelope_error(NULL, &err));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "id")));
	e = cJSON_GetObjectItemCaseSensitive(o, "error");
	assert_int_equal(cJSON_GetArraySize(e), 3);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(e,
	    "reason")->valuestring, "parse_error");
	assert_null(cJSON_GetObjectItemCaseSensitive(e, "field"));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(e,
	    "code")->valuestring, "parse_error");
	cJSON_Delete(o);
}

/* Every code has its wire name and HTTP status (docs/protocol.md,
 * "HTTP/1.1"). */
static void
test_error_names(void **state)
{
	static const struct {
		enum err_code	 code;
		const char	*name;
		int		 status;
	} t[] = {
		{ ERR_PARSE, "parse_error", 400 },
		{ ERR_BAD_REQUEST, "bad_request", 400 },
		{ ERR_UNKNOWN_OP, "unknown_op", 404 },
		{ ERR_INVALID_ARGUMENT, "invalid_argument", 400 },
		{ ERR_UNAUTHENTICATED, "unauthenticated", 401 },
		{ ERR_FORBIDDEN, "forbidden", 403 },
		{ ERR_NOT_FOUND, "not_found", 404 },
		{ ERR_CONFLICT, "conflict", 409 },
		{ ERR_TOO_LARGE, "too_large", 413 },
		{ ERR_RATE_LIMITED, "rate_limited", 429 },
		{ ERR_INTERNAL, "internal", 500 },
		{ ERR_UNAVAILABLE, "unavailable", 503 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(error_name(t[i].code), t[i].name);
		assert_int_equal(error_http_status(t[i].code), t[i].status);
	}
}

/* An answer for every request echoes the id exactly as it came. */
static void
test_id_round_trip(void **state)
{
	const char *ids[] = { "0", "-1", "1.5", "9007199254740991", "\"\"",
	    "\"\xe4\xb8\xad\"", "\"a\\nb\"" };
	struct request	req;
	struct error	err;
	char		line[128], *out;
	cJSON		*o, *want;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		snprintf(line, sizeof(line), "{\"id\":%s,\"op\":\"ping\"}",
		    ids[i]);
		assert_int_equal(parse(line, &req, &err), 0);
		out = envelope_ok(req.id, NULL);
		o = reparse(out);
		want = cJSON_Parse(ids[i]);
		assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(o,
		    "id"), want, 1));
		cJSON_Delete(want);
		cJSON_Delete(o);
		envelope_request_clear(&req);
	}
}

/* A numeric id is echoed as the client wrote it, digit for digit. */
static void
test_id_echo_exact(void **state)
{
	const char *ids[] = { "9007199254740993", "12345678901234567890",
	    "1.10", "-0", "1e2" };
	struct request	req;
	struct error	err;
	char		line[128], want[64], *out;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		snprintf(line, sizeof(line), "{\"id\":%s,\"op\":\"ping\"}",
		    ids[i]);
		assert_int_equal(parse(line, &req, &err), 0);
		out = envelope_ok(req.id, NULL);
		assert_non_null(out);
		snprintf(want, sizeof(want), "{\"id\":%s,", ids[i]);
		if (strncmp(out, want, strlen(want)) != 0)
			fail_msg("id %s echoed as %s", ids[i], out);
		free(out);
		error_set(&err, ERR_FORBIDDEN, NULL, "no");
		out = envelope_error(req.id, &err);
		assert_non_null(out);
		if (strncmp(out, want, strlen(want)) != 0)
			fail_msg("id %s echoed as %s", ids[i], out);
		free(out);
		envelope_request_clear(&req);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_valid),
		cmocka_unit_test(test_scan_bad_utf8),
		cmocka_unit_test(test_scan_control_and_escapes),
		cmocka_unit_test(test_scan_depth),
		cmocka_unit_test(test_scan_numbers),
		cmocka_unit_test(test_scan_nan_infinity),
		cmocka_unit_test(test_scan_trailing_and_structure),
		cmocka_unit_test(test_scan_deep_nesting_fast),
		cmocka_unit_test(test_strict_duplicates),
		cmocka_unit_test(test_strict_number_literals),
		cmocka_unit_test(test_strict_many_keys),
		cmocka_unit_test(test_strict_tree_is_cjsons),
		cmocka_unit_test(test_strict_string_runs),
		cmocka_unit_test(test_strict_refusal_frees_the_partial_tree),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad_id),
		cmocka_unit_test(test_parse_bad_request),
		cmocka_unit_test(test_parse_error_echoes_id),
		cmocka_unit_test(test_parse_parse_error),
		cmocka_unit_test(test_parse_args),
		cmocka_unit_test(test_envelope_ok),
		cmocka_unit_test(test_envelope_error),
		cmocka_unit_test(test_envelope_bytes),
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_id_round_trip),
		cmocka_unit_test(test_id_echo_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
