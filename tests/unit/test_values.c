/*
 * test_values.c: the value rules of docs/protocol.md, "Values"
 * (protocol/values.c): amounts to the fen, text, codes, dates, times,
 * categories and the taxonomy.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "protocol/error.h"
#include "protocol/json_scan.h"
#include "protocol/values.h"

#define ZH	"\xe4\xb8\xad"		/* 中, three bytes, one character */

/* ---- helpers ----------------------------------------------------------- */

/*
 * value_amount on a number as the wire spells it, parsed as the daemon
 * parses requests (json_parse_strict).  Returns 0 with *fen, or -1 after
 * checking the error.
 */
static int
amount(const char *json, int zero_ok, int64_t *fen)
{
	struct error	 err;
	cJSON		*v = json_parse_strict(json, strlen(json),
			    ERR_BAD_REQUEST, &err);
	int		 rc;

	if (v == NULL)
		fail_msg("%s does not parse: %s", json, err.message);
	memset(&err, 0, sizeof(err));
	*fen = -12345;
	rc = value_amount(v, "budget", zero_ok, fen, &err);
	cJSON_Delete(v);
	if (rc == -1) {
		assert_int_equal(err.code, ERR_INVALID_ARGUMENT);
		assert_string_equal(err.field, "budget");
		assert_true(err.message[0] != '\0');
	} else
		assert_int_equal(rc, 0);
	return rc;
}

static int
amount_d(double d, int zero_ok)
{
	cJSON		*v = cJSON_CreateNumber(d);
	struct error	 err;
	int64_t		 fen;
	int		 rc;

	rc = value_amount(v, "price", zero_ok, &fen, &err);
	cJSON_Delete(v);
	return rc;
}

/* Run a string check on a C string; err receives the refusal. */
typedef int (*str_check)(const cJSON *, const char *, struct error *);

static int
check_str(str_check fn, const char *s, struct error *err)
{
	cJSON	*v = cJSON_CreateString(s);
	int	 rc;

	assert_non_null(v);
	memset(err, 0, sizeof(*err));
	rc = fn(v, "f", err);
	cJSON_Delete(v);
	if (rc == -1) {
		assert_int_equal(err->code, ERR_INVALID_ARGUMENT);
		assert_string_equal(err->field, "f");
	}
	return rc;
}

static int
text(const char *s, long min, long max, struct error *err)
{
	cJSON	*v = cJSON_CreateString(s);
	int	 rc;

	assert_non_null(v);
	memset(err, 0, sizeof(*err));
	rc = value_text(v, "title", min, max, err);
	cJSON_Delete(v);
	if (rc == -1) {
		assert_int_equal(err->code, ERR_INVALID_ARGUMENT);
		assert_string_equal(err->field, "title");
	}
	return rc;
}

/* s repeated n times, into a fresh buffer. */
static char *
repeat(const char *s, size_t n)
{
	size_t	 len = strlen(s), i;
	char	*out = malloc(len * n + 1);

	assert_non_null(out);
	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

static int
category(const struct taxonomy *tax, const char *s, int allow_family,
    struct error *err)
{
	cJSON	*v = cJSON_CreateString(s);
	int	 rc;

	memset(err, 0, sizeof(*err));
	rc = value_category(v, "category", tax, allow_family, err);
	cJSON_Delete(v);
	if (rc == -1) {
		assert_int_equal(err->code, ERR_INVALID_ARGUMENT);
		assert_string_equal(err->field, "category");
	}
	return rc;
}

/* ---- amounts ----------------------------------------------------------- */

static void
test_amount_ok(void **state)
{
	int64_t fen;

	(void)state;
	assert_int_equal(amount("50000", 0, &fen), 0);
	assert_int_equal(fen, 5000000);
	assert_int_equal(amount("0.01", 0, &fen), 0);
	assert_int_equal(fen, 1);
	assert_int_equal(amount("1234.5", 0, &fen), 0);
	assert_int_equal(fen, 123450);
	assert_int_equal(amount("0.29", 0, &fen), 0);
	assert_int_equal(fen, 29);
	assert_int_equal(amount("1234.56", 0, &fen), 0);
	assert_int_equal(fen, 123456);
	assert_int_equal(amount("99999999.99", 0, &fen), 0);
	assert_int_equal(fen, 9999999999LL);
	assert_int_equal(amount("9999999999.99", 0, &fen), 0);
	assert_int_equal(fen, 999999999999LL);
	assert_int_equal(amount("1e10", 0, &fen), 0);
	assert_int_equal(fen, AMOUNT_MAX_FEN);
	assert_int_equal(amount("10000000000", 0, &fen), 0);
	assert_int_equal(fen, AMOUNT_MAX_FEN);
	assert_int_equal(amount("1.10", 0, &fen), 0);
	assert_int_equal(fen, 110);
	assert_int_equal(amount("1.5e2", 0, &fen), 0);
	assert_int_equal(fen, 15000);
	assert_int_equal(amount("12e-2", 0, &fen), 0);
	assert_int_equal(fen, 12);
}

static void
test_amount_refused(void **state)
{
	int64_t	fen;
	cJSON	*v;
	struct error err;

	(void)state;
	assert_int_equal(amount("1.005", 0, &fen), -1);
	assert_int_equal(amount("0.125", 0, &fen), -1);
	assert_int_equal(amount("0.001", 0, &fen), -1);
	assert_int_equal(amount("1234.567", 0, &fen), -1);
	assert_int_equal(amount("1e400", 0, &fen), -1);
	assert_int_equal(amount("-1e400", 1, &fen), -1);
	assert_int_equal(amount("-1", 0, &fen), -1);
	assert_int_equal(amount("-0.01", 1, &fen), -1);
	assert_int_equal(amount("10000000000.01", 0, &fen), -1);
	assert_int_equal(amount("10000000001", 1, &fen), -1);
	assert_int_equal(amount("1e11", 1, &fen), -1);
	assert_int_equal(amount("\"100\"", 0, &fen), -1);
	assert_int_equal(amount("null", 1, &fen), -1);
	assert_int_equal(amount("true", 1, &fen), -1);
	assert_int_equal(amount("[1]", 1, &fen), -1);
	/* A refusal leaves *fen alone. */
	assert_int_equal(fen, -12345);
	assert_int_equal(amount_d(NAN, 1), -1);
	assert_int_equal(amount_d(INFINITY, 1), -1);
	/* Missing value. */
	v = NULL;
	assert_int_equal(value_amount(v, "cap", 1, NULL, &err), -1);
	assert_string_equal(err.field, "cap");
}

/*
 * Decimals are counted on what the client wrote: these literals name the
 * same doubles as 1, 0.1 and 1234.56, but hold more than two decimals
 * (docs/protocol.md, "Values": "more decimals ... is invalid_argument").
 */
static void
test_amount_literal_decimals(void **state)
{
	int64_t fen;

	(void)state;
	assert_int_equal(amount("1.0000000000000001", 0, &fen), -1);
	assert_int_equal(amount("0.1000000000000000055511151231257827", 0,
	    &fen), -1);
	assert_int_equal(amount("1234.5600000000001", 0, &fen), -1);
	/* Trailing zeros and exponents are no extra decimals. */
	assert_int_equal(amount("1.500000", 0, &fen), 0);
	assert_int_equal(fen, 150);
	assert_int_equal(amount("100e-2", 0, &fen), 0);
	assert_int_equal(fen, 100);
	assert_int_equal(amount("123e-3", 0, &fen), -1);
}

static void
test_amount_zero(void **state)
{
	int64_t fen;

	(void)state;
	/* budget: > 0 */
	assert_int_equal(amount("0", 0, &fen), -1);
	assert_int_equal(amount("0.0", 0, &fen), -1);
	assert_int_equal(amount("-0", 0, &fen), -1);
	/* price and cap: >= 0 */
	assert_int_equal(amount("0", 1, &fen), 0);
	assert_int_equal(fen, 0);
	assert_int_equal(amount("0.00", 1, &fen), 0);
	assert_int_equal(fen, 0);
	assert_int_equal(amount("0.01", 1, &fen), 0);
	assert_int_equal(fen, 1);
}

/* Every amount of two decimals, as a client would write it, is exact. */
static void
test_amount_exact_property(void **state)
{
	char	buf[64];
	int64_t	fen, want, i;
	int	round;

	(void)state;
	for (i = 1; i <= 200000; i++) {
		snprintf(buf, sizeof(buf), "%lld.%02lld", (long long)(i / 100),
		    (long long)(i % 100));
		assert_int_equal(amount(buf, 0, &fen), 0);
		assert_int_equal(fen, i);
	}
	srand(99);
	for (round = 0; round < 200000; round++) {
		want = (((int64_t)rand() << 31) ^ rand()) % (AMOUNT_MAX_FEN + 1);
		snprintf(buf, sizeof(buf), "%lld.%02lld",
		    (long long)(want / 100), (long long)(want % 100));
		assert_int_equal(amount(buf, 1, &fen), 0);
		if (fen != want)
			fail_msg("%s: got %lld fen", buf, (long long)fen);
		/* A third decimal that is not 0 is always refused. */
		snprintf(buf, sizeof(buf), "%lld.%02lld%d",
		    (long long)(want / 100), (long long)(want % 100),
		    1 + rand() % 9);
		if (want < AMOUNT_MAX_FEN && amount(buf, 1, &fen) != -1)
			fail_msg("%s: accepted as %lld fen", buf,
			    (long long)fen);
	}
}

/* ---- text -------------------------------------------------------------- */

static void
test_text_length_in_characters(void **state)
{
	struct error	 err;
	char		*s;

	(void)state;
	s = repeat(ZH, 200);
	assert_int_equal(strlen(s), 600);
	assert_int_equal(text(s, 1, 200, &err), 0);
	free(s);
	s = repeat(ZH, 201);
	assert_int_equal(text(s, 1, 200, &err), -1);
	assert_non_null(strstr(err.message, "201"));
	free(s);
	s = repeat("\xf0\x9f\x98\x80", 200);	/* four-byte characters */
	assert_int_equal(text(s, 1, 200, &err), 0);
	free(s);
	s = repeat("a", 200);
	assert_int_equal(text(s, 1, 200, &err), 0);
	free(s);
	s = repeat("a", 201);
	assert_int_equal(text(s, 1, 200, &err), -1);
	free(s);
	assert_int_equal(text("", 1, 200, &err), -1);
	assert_non_null(strstr(err.message, "empty"));
	assert_int_equal(text("", 0, 4000, &err), 0);
	/* Blanks only are no title; a description may be blank. */
	assert_int_equal(text("  \t\n ", 1, 200, &err), -1);
	assert_int_equal(text(" \n", 0, 4000, &err), 0);
	assert_int_equal(text(" a ", 1, 200, &err), 0);
	assert_int_equal(text(ZH ZH, 3, 10, &err), -1);
	assert_int_equal(utf8_length(ZH "a\xc2\xa9" "\xf0\x9f\x98\x80"), 4);
	assert_int_equal(utf8_length(""), 0);
}

static void
test_text_control_chars(void **state)
{
	struct error	err;
	cJSON		*v;

	(void)state;
	assert_int_equal(text("a\nb\tc", 1, 200, &err), 0);
	assert_int_equal(text("a\x01" "b", 1, 200, &err), -1);
	assert_non_null(strstr(err.message, "control"));
	assert_int_equal(text("a\x7f" "b", 1, 200, &err), -1);
	assert_int_equal(text("a\rb", 1, 200, &err), -1);
	assert_int_equal(text("\x1b[31m", 1, 200, &err), -1);
	assert_int_equal(text("\x1f", 1, 200, &err), -1);
	assert_int_equal(text("a\xc2\x85" "b", 1, 200, &err), -1);	/* U+0085 */
	assert_int_equal(text("\xc2\x80", 1, 200, &err), -1);	/* U+0080 */
	assert_int_equal(text("\xc2\x9f", 1, 200, &err), -1);	/* U+009F */
	assert_int_equal(text("\xc2\xa0", 1, 200, &err), 0);	/* U+00A0 */
	assert_int_equal(text("\xc2\xa9", 1, 200, &err), 0);	/* © */
	/* Not a string. */
	v = cJSON_CreateNumber(5);
	assert_int_equal(value_text(v, "title", 0, 10, &err), -1);
	assert_string_equal(err.field, "title");
	cJSON_Delete(v);
}

/* ---- codes ------------------------------------------------------------- */

static void
test_code(void **state)
{
	struct error	 err;
	char		*s;
	cJSON		*v;

	(void)state;
	s = repeat("a", 64);
	assert_int_equal(check_str(value_code, s, &err), 0);
	free(s);
	s = repeat("a", 65);
	assert_int_equal(check_str(value_code, s, &err), -1);
	free(s);
	assert_int_equal(check_str(value_code, "91110105MA01ABCD2X", &err), 0);
	assert_int_equal(check_str(value_code, "A-z_09", &err), 0);
	assert_int_equal(check_str(value_code, "-", &err), 0);
	assert_int_equal(check_str(value_code, "", &err), -1);
	assert_int_equal(check_str(value_code, "a b", &err), -1);
	assert_int_equal(check_str(value_code, ZH, &err), -1);
	assert_int_equal(check_str(value_code, "a.b", &err), -1);
	assert_int_equal(check_str(value_code, "a/b", &err), -1);
	assert_int_equal(check_str(value_code, "a\n", &err), -1);
	assert_int_equal(check_str(value_code, "*", &err), -1);
	assert_int_equal(value_code_ok("abc"), 1);
	assert_int_equal(value_code_ok(""), 0);
	v = cJSON_CreateNumber(12);
	assert_int_equal(value_code(v, "code", &err), -1);
	assert_string_equal(err.field, "code");
	cJSON_Delete(v);
}

/* ---- dates and times --------------------------------------------------- */

static void
test_date(void **state)
{
	struct error	 err;
	const char	*good[] = { "2024-02-29", "2000-02-29", "2026-01-01",
	    "2026-12-31", "2026-04-30", "0001-01-01", "9999-12-31" };
	const char	*bad[] = { "2023-02-29", "1900-02-29", "2026-02-30",
	    "2026-13-01", "2026-00-10", "2026-01-00", "2026-04-31",
	    "2026-01-32", "2026-1-01", "2026-01-1", "26-01-01", "0000-01-01",
	    "2026/01/01", "2026-01-01T00:00", "2026-01-01 ", " 2026-01-01",
	    "2026-0a-01", "+026-01-01", "2026-01--1", "", "abcd-ef-gh" };
	size_t		 i;
	cJSON		*v;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (check_str(value_date, good[i], &err) != 0)
			fail_msg("%s refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (check_str(value_date, bad[i], &err) != -1)
			fail_msg("%s accepted", bad[i]);
	v = cJSON_CreateNumber(20260101);
	assert_int_equal(value_date(v, "d", &err), -1);
	cJSON_Delete(v);
}

static void
test_time(void **state)
{
	struct error	 err;
	const char	*good[] = { "00:00", "23:59", "09:30", "12:00" };
	const char	*bad[] = { "24:00", "12:60", "9:00", "09:5", "09-00",
	    "ab:cd", " 9:00", "09:00:00", "-1:00", "09:-1", "", "0900" };
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (check_str(value_time, good[i], &err) != 0)
			fail_msg("%s refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (check_str(value_time, bad[i], &err) != -1)
			fail_msg("%s accepted", bad[i]);
}

static void
test_int(void **state)
{
	struct error	 err;
	long long	 out = 0;
	cJSON		*v;

	(void)state;
	v = cJSON_CreateNumber(5);
	assert_int_equal(value_int(v, "n", 1, 10, &out, &err), 0);
	assert_int_equal(out, 5);
	assert_int_equal(value_int(v, "n", 6, 10, &out, &err), -1);
	assert_string_equal(err.field, "n");
	cJSON_Delete(v);
	v = cJSON_CreateNumber(1.5);
	assert_int_equal(value_int(v, "n", 0, 10, &out, &err), -1);
	cJSON_Delete(v);
	v = cJSON_CreateString("5");
	assert_int_equal(value_int(v, "n", 0, 10, &out, &err), -1);
	cJSON_Delete(v);
}

/* ---- categories and the taxonomy -------------------------------------- */

static void
test_category_default(void **state)
{
	struct taxonomy	tax;
	struct error	err;

	(void)state;
	taxonomy_default(&tax);
	assert_int_equal(tax.nfamilies, 3);
	assert_int_equal(category(&tax, "service.elderly", 0, &err), 0);
	assert_int_equal(category(&tax, "engineering.accessibility", 0, &err),
	    0);
	assert_int_equal(category(&tax, "goods.books", 0, &err), 0);

	assert_int_equal(category(&tax, "engineering.roofing", 0, &err), -1);
	assert_non_null(strstr(err.message, "positive list"));
	assert_non_null(strstr(err.message, "accessibility"));
	assert_int_equal(category(&tax, "service.roofing", 0, &err), -1);
	assert_non_null(strstr(err.message, "elderly"));

	assert_int_equal(category(&tax, "service", 0, &err), -1);
	assert_int_equal(category(&tax, "service", 1, &err), 0);
	assert_int_equal(category(&tax, "engineering", 1, &err), 0);
	assert_int_equal(category(&tax, "nosuch.x", 0, &err), -1);
	assert_int_equal(category(&tax, "nosuch.x", 1, &err), -1);
	assert_int_equal(category(&tax, "nosuch", 1, &err), -1);
	assert_int_equal(category(&tax, "service.", 1, &err), -1);
	assert_int_equal(category(&tax, ".elderly", 1, &err), -1);
	assert_int_equal(category(&tax, "", 1, &err), -1);
	assert_int_equal(category(&tax, "Service.elderly", 0, &err), -1);
	assert_int_equal(category(&tax, "service.Elderly", 0, &err), -1);
	assert_int_equal(category(&tax, "service.elderly.x", 1, &err), -1);
	assert_int_equal(category(&tax, "service.elder", 0, &err), -1);
	assert_int_equal(category(&tax, "servic.elderly", 0, &err), -1);
	assert_int_equal(category(&tax, "services.elderly", 0, &err), -1);
	assert_int_equal(category(&tax, "serviceelderly", 1, &err), -1);
}

static void
test_taxonomy_find(void **state)
{
	struct taxonomy	tax;
	int		f = -9, s = -9;

	(void)state;
	taxonomy_default(&tax);
	assert_int_equal(taxonomy_find(&tax, "goods.books", 0, &f, &s), 0);
	assert_string_equal(tax.fam[f].name, "goods");
	assert_string_equal(tax.fam[f].subs[s], "books");
	assert_int_equal(taxonomy_find(&tax, "goods", 1, &f, &s), 0);
	assert_string_equal(tax.fam[f].name, "goods");
	assert_int_equal(s, -1);
	assert_int_equal(taxonomy_find(&tax, "goods", 0, NULL, NULL), -1);
}

static void
test_taxonomy_set(void **state)
{
	struct taxonomy	tax, before;
	struct error	err;
	char		msg[256], list[512];
	int		i;

	(void)state;
	taxonomy_default(&tax);

	/* Replace a family's list. */
	assert_int_equal(taxonomy_set(&tax, "service", " alpha ,, beta,gamma ",
	    msg, sizeof(msg)), 0);
	assert_int_equal(tax.nfamilies, 3);
	assert_int_equal(category(&tax, "service.elderly", 0, &err), -1);
	assert_int_equal(category(&tax, "service.alpha", 0, &err), 0);
	assert_int_equal(category(&tax, "service.beta", 0, &err), 0);
	assert_int_equal(category(&tax, "service.gamma", 0, &err), 0);
	taxonomy_list(&tax, 1, list, sizeof(list));
	assert_string_equal(list, "alpha, beta, gamma");

	/* Remove a family with an empty list. */
	assert_int_equal(taxonomy_set(&tax, "goods", "", msg, sizeof(msg)), 0);
	assert_int_equal(tax.nfamilies, 2);
	assert_int_equal(category(&tax, "goods.books", 0, &err), -1);
	assert_int_equal(category(&tax, "goods", 1, &err), -1);
	/* The others stay. */
	assert_int_equal(category(&tax, "engineering.safety", 0, &err), 0);
	assert_int_equal(category(&tax, "service.alpha", 0, &err), 0);
	/* Removing the first family keeps the rest in order. */
	assert_int_equal(taxonomy_set(&tax, "engineering", " , ", msg,
	    sizeof(msg)), 0);
	assert_int_equal(tax.nfamilies, 1);
	assert_string_equal(tax.fam[0].name, "service");
	/* Removing what is not there changes nothing. */
	assert_int_equal(taxonomy_set(&tax, "nosuch", "", msg, sizeof(msg)), 0);
	assert_int_equal(tax.nfamilies, 1);

	/* A new family is added. */
	assert_int_equal(taxonomy_set(&tax, "green_2", "trees", msg,
	    sizeof(msg)), 0);
	assert_int_equal(tax.nfamilies, 2);
	assert_int_equal(category(&tax, "green_2.trees", 0, &err), 0);

	/* Bad names are refused. */
	assert_int_equal(taxonomy_set(&tax, "Bad", "a", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "Bad"));
	assert_int_equal(taxonomy_set(&tax, "", "a", msg, sizeof(msg)), -1);
	assert_int_equal(taxonomy_set(&tax, "service", "ok, not-ok", msg,
	    sizeof(msg)), -1);
	assert_int_equal(taxonomy_set(&tax, "service", "a.b", msg,
	    sizeof(msg)), -1);
	assert_int_equal(taxonomy_set(&tax, "service", ZH, msg,
	    sizeof(msg)), -1);
	assert_int_equal(taxonomy_set(&tax, "a234567890123456789012345678901",
	    "x", msg, sizeof(msg)), 0);		/* 31 characters */
	before = tax;
	assert_int_equal(taxonomy_set(&tax, "a2345678901234567890123456789012",
	    "x", msg, sizeof(msg)), -1);	/* 32 characters */
	assert_memory_equal(&before, &tax, sizeof(tax));

	/* At most TAX_MAX_SUBS subs. */
	{
		char	csv[TAX_MAX_SUBS * 8 + 16];
		size_t	n = 0;

		for (i = 0; i < TAX_MAX_SUBS; i++)
			n += (size_t)sprintf(csv + n, "s%d,", i);
		assert_int_equal(taxonomy_set(&tax, "service", csv, msg,
		    sizeof(msg)), 0);
		assert_int_equal(category(&tax, "service.s31", 0, &err), 0);
		sprintf(csv + n, "s%d", TAX_MAX_SUBS);
		assert_int_equal(taxonomy_set(&tax, "service", csv, msg,
		    sizeof(msg)), -1);
	}

	/* At most TAX_MAX_FAMILIES families. */
	taxonomy_default(&tax);
	for (i = tax.nfamilies; i < TAX_MAX_FAMILIES; i++) {
		char name[16];

		snprintf(name, sizeof(name), "fam%d", i);
		assert_int_equal(taxonomy_set(&tax, name, "x", msg,
		    sizeof(msg)), 0);
	}
	assert_int_equal(tax.nfamilies, TAX_MAX_FAMILIES);
	assert_int_equal(taxonomy_set(&tax, "onemore", "x", msg, sizeof(msg)),
	    -1);
	/* Replacing one of them still works when full. */
	assert_int_equal(taxonomy_set(&tax, "goods", "y", msg, sizeof(msg)), 0);
	assert_int_equal(category(&tax, "goods.y", 0, &err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amount_ok),
		cmocka_unit_test(test_amount_refused),
		cmocka_unit_test(test_amount_literal_decimals),
		cmocka_unit_test(test_amount_zero),
		cmocka_unit_test(test_amount_exact_property),
		cmocka_unit_test(test_text_length_in_characters),
		cmocka_unit_test(test_text_control_chars),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_category_default),
		cmocka_unit_test(test_taxonomy_find),
		cmocka_unit_test(test_taxonomy_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
