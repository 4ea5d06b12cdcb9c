/*
 * test_json_print.c: json_print (protocol/json_print.c) against the printer
 * it replaces.  Every case prints one tree with both json_print and cJSON's
 * cJSON_PrintUnformatted and wants the same bytes and the right length.
 */
#include <float.h>
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

#include "protocol/json_print.h"

#define ZH	"\xe4\xb8\xad\xe6\x96\x87"	/* 中文 */

/* ---- helpers ----------------------------------------------------------- */

/*
 * Print item both ways and check that the texts, and json_print's length,
 * agree; where cJSON refuses to print, json_print must refuse too.
 */
static void
same(const cJSON *item)
{
	char	*want, *got;
	size_t	 len = 12345;

	want = cJSON_PrintUnformatted(item);
	got = json_print(item, &len);
	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
	cJSON_free(want);
}

/* same() on one number, naming the number (bit for bit) when they differ. */
static void
same_number(double d)
{
	cJSON	*n = cJSON_CreateNumber(d);
	char	*want, *got;
	size_t	 len;

	assert_non_null(n);
	want = cJSON_PrintUnformatted(n);
	got = json_print(n, &len);
	assert_non_null(want);
	assert_non_null(got);
	if (strcmp(want, got) != 0 || len != strlen(want))
		fail_msg("%a (%.17g): cJSON prints \"%s\", json_print \"%s\" "
		    "(%zu bytes)", d, d, want, got, len);
	free(got);
	cJSON_free(want);
	cJSON_Delete(n);
}

/* same() on a tree, then free it. */
static void
same_free(cJSON *item)
{
	assert_non_null(item);
	same(item);
	cJSON_Delete(item);
}

/* A string item whose text is s. */
static cJSON *
str(const char *s)
{
	cJSON	*v = cJSON_CreateString(s);

	assert_non_null(v);
	return v;
}

/* xorshift64*: the same sequence everywhere, from a fixed seed. */
static uint64_t
rnd(uint64_t *st)
{
	*st ^= *st >> 12;
	*st ^= *st << 25;
	*st ^= *st >> 27;
	return *st * 0x2545f4914f6cdd1dULL;
}

static const double pow10_tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * A random double of one of the kinds the daemon prints (integers, amounts
 * in two decimals) or of any other kind (decimals, huge, tiny, any bits).
 */
static double
random_double(uint64_t *st)
{
	uint64_t	 bits, m;
	double		 d, sign = (rnd(st) & 1) ? -1.0 : 1.0;

	switch (rnd(st) % 8) {
	case 0:		/* a small integer */
		return sign * (double)(rnd(st) % 2000001);
	case 1:		/* an integer of any size up to 2^64 */
		return sign * (double)(rnd(st) >> (rnd(st) % 64));
	case 2:		/* k/100 with k of 1 to 16 digits */
	case 3:
		m = rnd(st) % (uint64_t)pow10_tab[1 + rnd(st) % 16];
		return sign * (double)m / 100.0;
	case 4:		/* any bit pattern: NaN, infinities, subnormals */
		bits = rnd(st);
		memcpy(&d, &bits, sizeof(d));
		return d;
	case 5:		/* up to 17 digits, up to 22 of them decimals */
		m = rnd(st) % (uint64_t)pow10_tab[1 + rnd(st) % 17];
		return sign * (double)m / pow10_tab[rnd(st) % 23];
	case 6:		/* a fraction of any size */
		return sign * ldexp((double)(rnd(st) >> 11),
		    (int)(rnd(st) % 200) - 150);
	default:	/* k/100 near 1e13, where the amount shortcut stops */
		m = 999999999999000ULL + rnd(st) % 2000;
		return sign * (double)m / 100.0;
	}
}

/*
 * A random NUL-terminated string in buf[0..size): printable ASCII, the
 * bytes JSON escapes, DEL, Chinese, and bytes that are not UTF-8 at all.
 */
static char *
random_string(uint64_t *st, char *buf, size_t size)
{
	static const char *const zh[] = { "\xe4\xb8\xad", "\xe6\x96\x87",
	    "\xe7\xa4\xbe", "\xe5\x8c\xba", "\xf0\x9f\x98\x80", "\xc3\xa9" };
	size_t		 n = 0, want = rnd(st) % 24, k;
	const char	*piece;
	char		 one[2] = { 0, 0 };

	while (n < want) {
		switch (rnd(st) % 8) {
		case 0:
		case 1:
		case 2:
			one[0] = (char)(0x20 + rnd(st) % 0x5f);
			piece = one;
			break;
		case 3:
			one[0] = (char)(1 + rnd(st) % 0x1f);
			piece = one;
			break;
		case 4:
			one[0] = "\"\\\x7f/"[rnd(st) % 4];
			piece = one;
			break;
		case 5:
		case 6:
			piece = zh[rnd(st) % 6];
			break;
		default:
			one[0] = (char)(0x80 + rnd(st) % 0x80);
			piece = one;
			break;
		}
		k = strlen(piece);
		if (n + k >= size)
			break;
		memcpy(buf + n, piece, k);
		n += k;
	}
	buf[n] = '\0';
	return buf;
}

/* A random tree at most depth deep. */
static cJSON *
random_value(uint64_t *st, int depth)
{
	cJSON	*v, *c;
	char	 buf[96];
	int	 i, n;

	switch (rnd(st) % (depth > 0 ? 10 : 7)) {
	case 0:
	case 1:
		return cJSON_CreateNumber(random_double(st));
	case 2:
	case 3:
		return cJSON_CreateString(random_string(st, buf, sizeof(buf)));
	case 4:
		return cJSON_CreateBool(rnd(st) & 1);
	case 5:
		return (rnd(st) & 1) ? cJSON_CreateNull() :
		    cJSON_CreateRaw(random_string(st, buf, sizeof(buf)));
	case 6:
		return cJSON_CreateNumber((double)(rnd(st) % 100000) / 100.0);
	case 7:
		v = cJSON_CreateArray();
		break;
	default:
		v = cJSON_CreateObject();
		break;
	}
	assert_non_null(v);
	n = (int)(rnd(st) % 7);
	for (i = 0; i < n; i++) {
		c = random_value(st, depth - 1);
		assert_non_null(c);
		if (cJSON_IsArray(v) || rnd(st) % 16 == 0)
			/* In an object, a member without a key. */
			assert_true(cJSON_AddItemToArray(v, c));
		else
			assert_true(cJSON_AddItemToObject(v,
			    random_string(st, buf, sizeof(buf)), c));
	}
	return v;
}

/* ---- containers and literals ------------------------------------------- */

static void
test_empty_containers(void **state)
{
	cJSON	*o;

	(void)state;
	same_free(cJSON_CreateObject());
	same_free(cJSON_CreateArray());
	o = cJSON_CreateObject();
	assert_non_null(cJSON_AddArrayToObject(o, "a"));
	assert_non_null(cJSON_AddObjectToObject(o, "o"));
	same_free(o);
}

static void
test_literals(void **state)
{
	cJSON	*a;

	(void)state;
	same_free(cJSON_CreateTrue());
	same_free(cJSON_CreateFalse());
	same_free(cJSON_CreateNull());
	a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateTrue());
	cJSON_AddItemToArray(a, cJSON_CreateFalse());
	cJSON_AddItemToArray(a, cJSON_CreateNull());
	same_free(a);
}

static void
test_nested(void **state)
{
	cJSON	*root, *o, *a, *deep;
	int	 i;

	(void)state;
	root = cJSON_Parse("{\"id\":7,\"ok\":true,\"result\":{\"needs\":[{\"n\":"
	    "1,\"t\":\"" ZH "\",\"b\":1250.5,\"tags\":[]},{\"n\":2,\"x\":null,"
	    "\"o\":{}}],\"total\":-3.25,\"m\":[[1,[2,[3]]],{\"a\":{\"b\":{}}}]}}");
	same_free(root);

	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "list");
	for (i = 0; i < 20; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(i * 1.5));
	cJSON_AddStringToObject(o, "name", ZH);
	same_free(o);

	/* Deeper than any request may nest. */
	deep = cJSON_CreateArray();
	for (i = 0; i < 200; i++) {
		o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "k", deep);
		deep = cJSON_CreateArray();
		cJSON_AddItemToArray(deep, o);
	}
	same_free(deep);
}

/* ---- strings and keys -------------------------------------------------- */

static void
test_string_escapes(void **state)
{
	char	 s[2] = { 0, 0 }, all[256];
	cJSON	*v;
	int	 c;

	(void)state;
	same_free(str(""));
	same_free(str("\""));
	same_free(str("\\"));
	same_free(str("\b\f\n\r\t"));
	same_free(str("a\"b\\c/d\x7f" "e"));
	same_free(str("\x01\x02\x1e\x1f\x0b\x0e"));
	same_free(str(ZH "\xf0\x9f\x98\x80\xc3\xa9"));
	same_free(str("\xff\xfe\x80 not UTF-8"));
	/* Every byte alone, then all of them in one string. */
	for (c = 1; c < 256; c++) {
		s[0] = (char)c;
		same_free(str(s));
		all[c - 1] = (char)c;
	}
	all[255] = '\0';
	same_free(str(all));
	/* One byte to escape at every place of a long plain run (the count
	 * reads eight bytes at a time), and runs of every length. */
	for (c = 0; c < 40; c++) {
		char		 run[41];
		const char	*esc = "\"\\\x01\x1f\n";
		size_t		 k;

		for (k = 0; k < 5; k++) {
			memset(run, 'a', sizeof(run) - 1);
			run[c] = esc[k];
			run[40] = '\0';
			same_free(str(run));
			run[c] = '\0';
			same_free(str(run));
		}
		memset(run, 0xe4, 40);	/* bytes above 0x7f need nothing */
		run[c] = '\0';
		same_free(str(run));
	}

	/* A string item without text prints as "". */
	v = str("x");
	cJSON_free(v->valuestring);
	v->valuestring = NULL;
	same_free(v);
}

static void
test_keys(void **state)
{
	cJSON	*o;

	(void)state;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "", 1);
	cJSON_AddNumberToObject(o, "q\"b\\s\b\f\n\r\t\x01\x1f\x7f", 2);
	cJSON_AddStringToObject(o, ZH, ZH);
	/* A member without a key: cJSON prints "" for it. */
	cJSON_AddItemToArray(o, cJSON_CreateTrue());
	cJSON_AddItemToObjectCS(o, "const", cJSON_CreateNull());
	same_free(o);

	/* Keys of array members are not printed. */
	o = cJSON_CreateArray();
	cJSON_AddItemToArray(o, cJSON_CreateNumber(5));
	o->child->string = strdup("hidden");
	same_free(o);
}

static void
test_raw(void **state)
{
	cJSON	*o, *r;

	(void)state;
	same_free(cJSON_CreateRaw("9007199254740993"));
	same_free(cJSON_CreateRaw("{\"a\": [1, 2]}"));
	same_free(cJSON_CreateRaw(""));
	same_free(cJSON_CreateRaw("not \"json\" \x01 at all"));
	o = cJSON_CreateObject();
	cJSON_AddRawToObject(o, "id", "12345678901234567890");
	cJSON_AddRawToObject(o, "e", "");
	same_free(o);

	/* A raw item without text: both refuse the whole tree. */
	r = cJSON_CreateRaw("1");
	cJSON_free(r->valuestring);
	r->valuestring = NULL;
	same(r);
	assert_null(json_print(r, NULL));
	o = cJSON_CreateArray();
	cJSON_AddItemToArray(o, cJSON_CreateNumber(1));
	cJSON_AddItemToArray(o, r);
	same(o);
	assert_null(json_print(o, NULL));
	cJSON_Delete(o);
}

static void
test_invalid(void **state)
{
	cJSON	*v, *o, *ref, *target;

	(void)state;
	assert_null(json_print(NULL, NULL));

	/* No type, or two types at once, is refused. */
	v = cJSON_CreateNull();
	v->type = cJSON_Invalid;
	same(v);
	assert_null(json_print(v, NULL));
	v->type = cJSON_String | cJSON_Number;
	same(v);
	assert_null(json_print(v, NULL));
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "a", 1);
	cJSON_AddItemToObject(o, "bad", v);
	same(o);
	assert_null(json_print(o, NULL));
	cJSON_Delete(o);

	/* The reference and constant-key flags do not change the type. */
	target = cJSON_CreateObject();
	cJSON_AddStringToObject(target, "s", "t");
	o = cJSON_CreateObject();
	cJSON_AddItemReferenceToObject(o, "ref", target);
	ref = cJSON_CreateStringReference("const " ZH);
	cJSON_AddItemToObjectCS(o, "cs", ref);
	cJSON_AddItemToObjectCS(o, "arr", cJSON_CreateArrayReference(
	    target->child));
	same_free(o);
	cJSON_Delete(target);
}

/* ---- numbers ----------------------------------------------------------- */

static void
test_numbers_hand(void **state)
{
	static const double cases[] = {
		0.0, -0.0, 1, -1, 2147483647.0, 2147483648.0, -2147483648.0,
		-2147483649.0, 4294967296.0, 9007199254740992.0,
		9007199254740993.0, 999999999999999.0, -999999999999999.0,
		1e15, -1e15, 1e15 + 1, 1e16, 1e17, 1e21, 1e22, 1e23, 1e300,
		-1e300, DBL_MAX, -DBL_MAX, DBL_MIN, 4.9406564584124654e-324,
		1e-4, 1e-5, 0.0001, 0.00012, 0.001, 0.1, 0.01, 0.02, 0.03,
		0.05, 0.09, 0.1 + 0.2, 12345.67, -0.5, 1.0 / 3.0, 2.0 / 3.0,
		100.10, 100.01, 1250.5, 99.99, -3.1, 12345.5, 0.05, 0.5,
		9999999999999.99, 9999999999999.98, -9999999999999.99,
		9999999999999.995, 10000000000000.01, 99999999999999.99,
		123456789012345.6, 1234567890123.45, 4503599627370495.5,
		3.14159265358979, 2.718281828459045, 1.7976931348623157e308,
		0.30000000000000004, 1e-300, 5e-324, 123e-20, 6.02214076e23,
		18446744073709551616.0, 9223372036854775808.0, 1.5e-7,
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		same_number(cases[i]);
		same_number(-cases[i]);
	}
	/* cJSON prints what is not a finite number as null. */
	same_number(NAN);
	same_number(-NAN);
	same_number(INFINITY);
	same_number(-INFINITY);
}

/* The literal the parser keeps in a number's valuestring is not printed. */
static void
test_number_valuestring_ignored(void **state)
{
	cJSON	*o, *n;

	(void)state;
	o = cJSON_CreateObject();
	n = cJSON_AddNumberToObject(o, "amount", 1.5);
	n->valuestring = strdup("1.50");
	n = cJSON_AddNumberToObject(o, "id", 9007199254740993.0);
	n->valuestring = strdup("9007199254740993");
	same_free(o);

	o = cJSON_Parse("[1.50, 1e2, -0, 0.10, 12345678901234567890]");
	assert_non_null(o);
	for (n = o->child; n != NULL; n = n->next)
		n->valuestring = strdup("999");
	same_free(o);
}

/* A number whose valueint does not match is still printed from the double. */
static void
test_number_valueint_ignored(void **state)
{
	cJSON	*n;

	(void)state;
	n = cJSON_CreateNumber(3.0);
	n->valueint = 7;
	same(n);
	n->valuedouble = -0.0;
	n->valueint = 0;
	same(n);
	n->valuedouble = 2.5;
	n->valueint = 2;
	same_free(n);
}

/* Powers of two and ten, one either side, around every place digits end. */
static void
test_numbers_integers(void **state)
{
	double	 p;
	int	 e, i;

	(void)state;
	for (e = 0; e <= 70; e++) {
		p = ldexp(1.0, e);
		for (i = -2; i <= 2; i++)
			same_number(p + i);
	}
	for (e = 0; e <= 22; e++) {
		p = pow10_tab[e];
		for (i = -3; i <= 3; i++) {
			same_number(p + i);
			same_number(-(p + i));
			same_number(nextafter(p, 0.0) + i);
			same_number(nextafter(p, INFINITY) + i);
		}
	}
}

/* Amounts to the fen: every k/100 for |k| <= 200000, and many more. */
static void
test_numbers_amounts(void **state)
{
	uint64_t	 st = 0x5eed0001;
	long long	 k;
	int		 i, e;

	(void)state;
	for (k = -200000; k <= 200000; k++)
		same_number((double)k / 100.0);
	/* The top of the shortcut, 1e13, and just past it. */
	for (k = 999999999998000LL; k <= 1000000000002000LL; k++) {
		same_number((double)k / 100.0);
		same_number(-(double)k / 100.0);
	}
	/* Every magnitude, and each value one ulp either side. */
	for (i = 0; i < 200000; i++) {
		e = 1 + (int)(rnd(&st) % 15);
		k = (long long)(rnd(&st) % (uint64_t)pow10_tab[e]);
		if (i & 1)
			k = -k;
		same_number((double)k / 100.0);
		if (i % 8 == 0) {
			same_number(nextafter((double)k / 100.0, INFINITY));
			same_number(nextafter((double)k / 100.0, -INFINITY));
		}
	}
}

/* Random doubles of every kind. */
static void
test_numbers_random(void **state)
{
	uint64_t	 st = 0x5eed0002;
	double		 d;
	int		 i, e;

	(void)state;
	for (i = 0; i < 300000; i++)
		same_number(random_double(&st));
	/* Decimals of one to 17 digits at every decimal exponent. */
	for (i = 0; i < 100000; i++) {
		d = (double)(rnd(&st) % 100000000000000000ULL);
		e = (int)(rnd(&st) % 40) - 20;
		same_number(d * pow(10.0, e - 17));
	}
}

/* ---- whole trees ------------------------------------------------------- */

static void
test_random_trees(void **state)
{
	uint64_t	 st = 0x5eed0003;
	int		 i;

	(void)state;
	for (i = 0; i < 4000; i++)
		same_free(random_value(&st, 1 + i % 5));
}

/* Texts that outgrow the first buffer many times over. */
static void
test_large(void **state)
{
	cJSON	*a;
	char	*s;
	int	 i;

	(void)state;
	s = malloc(200001);
	assert_non_null(s);
	for (i = 0; i < 200000; i++)
		s[i] = (char)((i % 7 == 0) ? '\n' : 'a' + i % 26);
	s[200000] = '\0';
	same_free(str(s));
	free(s);

	a = cJSON_CreateArray();
	for (i = 0; i < 20000; i++)
		cJSON_AddItemToArray(a, (i & 1) ? cJSON_CreateString(ZH) :
		    cJSON_CreateNumber(i / 100.0));
	same_free(a);
}

static void
test_length_optional(void **state)
{
	cJSON	*o;
	char	*s;
	size_t	 len = 0;

	(void)state;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "t", ZH);
	s = json_print(o, NULL);
	assert_string_equal(s, "{\"t\":\"" ZH "\"}");
	free(s);
	s = json_print(o, &len);
	assert_int_equal(len, 14);
	free(s);
	cJSON_Delete(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_numbers_hand),
		cmocka_unit_test(test_number_valuestring_ignored),
		cmocka_unit_test(test_number_valueint_ignored),
		cmocka_unit_test(test_numbers_integers),
		cmocka_unit_test(test_numbers_amounts),
		cmocka_unit_test(test_numbers_random),
		cmocka_unit_test(test_random_trees),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_length_optional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
