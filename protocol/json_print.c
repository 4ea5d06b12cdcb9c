/*
 * json_print.c: cJSON_PrintUnformatted without its costs.
 *
 * cJSON 1.7.15 prints every number with sprintf("%1.15g") and reads it back
 * with sscanf to see whether 17 digits are needed, and measures its buffer
 * with strlen after every value.  Here integers and amounts with at most two
 * decimals are written digit by digit where that provably gives the same
 * bytes; every other number goes through cJSON's own rule.  The output is
 * written once into a buffer that doubles as it fills.
 */
#include <assert.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/charset.h"
#include "protocol/json_print.h"

#define JP_INITIAL	512

/* Below this an integral double prints as plain digits under %1.15g. */
#define JP_INT_LIMIT	1e15
/* Below this k/100 has at most 15 significant digits (|k| < 1e15). */
#define JP_AMOUNT_LIMIT	1e13

/* The letter of the two-byte escape of a control byte, or 0 for \u00XX. */
static const char short_escape[32] = {
	['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
};

static const char hex_digit[] = "0123456789abcdef";

/*
 * Grow b so that n more bytes and a NUL fit, doubling the allocation.
 * Returns 0, or -1 when out of memory (b keeps its old buffer).
 */
static int
jbuf_grow(struct json_buf *b, size_t n)
{
	size_t	 need, cap;
	char	*p;

	if (n > SIZE_MAX - 1 - b->len)
		return -1;
	need = b->len + n + 1;
	for (cap = b->cap ? b->cap : JP_INITIAL; cap < need; cap *= 2)
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
	if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Make room for n more bytes and a NUL.  Returns 0 or -1. */
static inline int
jbuf_room(struct json_buf *b, size_t n)
{
	return b->cap - b->len > n ? 0 : jbuf_grow(b, n);
}

/* Append s[0..n).  Returns 0 or -1. */
static int
jbuf_put(struct json_buf *b, const char *s, size_t n)
{
	if (jbuf_room(b, n) == -1)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* Append one byte.  Returns 0 or -1. */
static inline int
jbuf_putc(struct json_buf *b, char c)
{
	if (jbuf_room(b, 1) == -1)
		return -1;
	b->p[b->len++] = c;
	return 0;
}

/*
 * Write the decimal digits of v ending just before end; returns where they
 * start.  The caller's space holds at least 20 bytes before end.
 */
static char *
put_digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* cJSON's compare_double: equal within DBL_EPSILON of the larger. */
static int
same_double(double a, double b)
{
	double	 max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return fabs(a - b) <= max * DBL_EPSILON;
}

/*
 * cJSON's print_number rule, sprintf and all: %1.15g, or %1.17g when that
 * does not read back as (nearly) d; the locale's decimal point becomes '.'.
 * Writes into out[32] and returns the length, or -1 where cJSON fails.
 */
static int
number_slow(char *out, double d)
{
	double	 test = 0.0;
	char	 point = localeconv()->decimal_point[0];
	int	 n, i;

	n = snprintf(out, 32, "%1.15g", d);
	if (sscanf(out, "%lg", &test) != 1 || !same_double(test, d))
		n = snprintf(out, 32, "%1.17g", d);
	/* cJSON's number buffer holds 25 characters. */
	if (n < 0 || n > 25)
		return -1;
	for (i = 0; i < n; i++)
		if (out[i] == point)
			out[i] = '.';
	return n;
}

/*
 * Append the number d as cJSON prints it.  Returns 0 or -1.
 *
 * Two shortcuts give %1.15g's bytes without sprintf.  An integral d below
 * 1e15 (but not -0, which prints "-0") has at most 15 digits, so %1.15g
 * prints them with no point and no exponent, and they read back exactly.
 * A d that is the double nearest k/100 with 0 < |k| < 1e15 lies within
 * |d| * 2^-53 of k/100; %1.15g rounds d to 14 - X >= 2 decimals (X its
 * decimal exponent, -2 <= X <= 12, so no exponent form), a grid that holds
 * k/100 and whose half step, 0.5 * 10^(X-14), exceeds that distance
 * (< 0.12 * 10^(X-14)).  So %1.15g prints k/100 with trailing zeros
 * dropped, which reads back as d.
 */
static int
print_number(struct json_buf *b, double d)
{
	char		 tmp[32], *end = tmp + sizeof(tmp), *s;
	long long	 k;
	uint64_t	 u;
	int		 n;

	if (isnan(d) || isinf(d))
		return jbuf_put(b, "null", 4);
	if (fabs(d) < JP_INT_LIMIT && d == (double)(long long)d &&
	    !(d == 0 && signbit(d))) {
		s = put_digits(end, (uint64_t)fabs(d));
		if (d < 0)
			*--s = '-';
		return jbuf_put(b, s, (size_t)(end - s));
	}
	if (fabs(d) < JP_AMOUNT_LIMIT && (k = llround(d * 100)) != 0 &&
	    (double)k / 100.0 == d) {
		u = (uint64_t)(k < 0 ? -k : k);
		/* Whole numbers took the branch above. */
		assert(u % 100 != 0);
		s = end;
		if (u % 10 != 0)
			*--s = (char)('0' + u % 10);
		*--s = (char)('0' + u / 10 % 10);
		*--s = '.';
		s = put_digits(s, u / 100);
		if (k < 0)
			*--s = '-';
		return jbuf_put(b, s, (size_t)(end - s));
	}
	if ((n = number_slow(tmp, d)) == -1)
		return -1;
	return jbuf_put(b, tmp, (size_t)n);
}

/*
 * The bytes that escaping adds to the n bytes at in.  Eight at a time
 * while none needs escaping (a control, '"' or '\\'): a post's answer is
 * some 400 bytes of strings, nearly all plain.
 */
static size_t
escape_extra(const unsigned char *in, size_t n)
{
	const unsigned char	*p = in, *end = in + n;
	uint64_t		 w;
	size_t			 extra = 0;

	while ((size_t)(end - p) >= 8) {
		w = cs_load8(p);
		if ((cs_has_less(w, 0x20) | cs_has_byte(w, '"') |
		    cs_has_byte(w, '\\')) != 0)
			break;
		p += 8;
	}
	for (; p < end; p++)
		if (*p < 0x20)
			extra += short_escape[*p] != 0 ? 1 : 5;
		else if (*p == '"' || *p == '\\')
			extra++;
	return extra;
}

/*
 * Append s as a JSON string the way cJSON escapes it: '"', '\\' and the
 * bytes below 0x20 (\b \f \n \r \t by letter, the rest as \u00xx); every
 * other byte as it is.  NULL prints as "".  Returns 0 or -1.
 */
static int
print_string(struct json_buf *b, const char *s)
{
	const unsigned char	*p, *in = (const unsigned char *)s;
	size_t			 extra = 0, n;
	char			*out;

	if (s == NULL)
		return jbuf_put(b, "\"\"", 2);
	n = strlen(s);
	extra = escape_extra(in, n);
	if (n > SIZE_MAX - 2 - extra || jbuf_room(b, n + extra + 2) == -1)
		return -1;
	out = b->p + b->len;
	*out++ = '"';
	if (extra == 0) {
		memcpy(out, in, n);
		out += n;
	} else
		for (p = in; *p != '\0'; p++) {
			if (*p >= 0x20 && *p != '"' && *p != '\\') {
				*out++ = (char)*p;
				continue;
			}
			*out++ = '\\';
			if (*p >= 0x20)
				*out++ = (char)*p;
			else if (short_escape[*p] != 0)
				*out++ = short_escape[*p];
			else {
				memcpy(out, "u00", 3);
				out[3] = hex_digit[*p >> 4];
				out[4] = hex_digit[*p & 0xf];
				out += 5;
			}
		}
	*out++ = '"';
	b->len = (size_t)(out - b->p);
	return 0;
}

/*
 * Append item as cJSON's print_value does; an array's or object's members
 * recurse, as deep as the tree nests (request trees are bounded by
 * JSON_MAX_DEPTH).  Returns -1 when out of memory or for what cJSON refuses
 * to print: an unknown type, or a raw item without text.
 */
static int
print_value(struct json_buf *b, const cJSON *item)
{
	const cJSON	*c;
	int		 object;

	switch (item->type & 0xff) {
	case cJSON_NULL:
		return jbuf_put(b, "null", 4);
	case cJSON_False:
		return jbuf_put(b, "false", 5);
	case cJSON_True:
		return jbuf_put(b, "true", 4);
	case cJSON_Number:
		/* valuestring may hold the client's literal: cJSON ignores it. */
		return print_number(b, item->valuedouble);
	case cJSON_Raw:
		if (item->valuestring == NULL)
			return -1;
		return jbuf_put(b, item->valuestring,
		    strlen(item->valuestring));
	case cJSON_String:
		return print_string(b, item->valuestring);
	case cJSON_Array:
	case cJSON_Object:
		break;
	default:
		return -1;
	}
	object = (item->type & 0xff) == cJSON_Object;
	if (jbuf_putc(b, object ? '{' : '[') == -1)
		return -1;
	for (c = item->child; c != NULL; c = c->next) {
		if (c != item->child && jbuf_putc(b, ',') == -1)
			return -1;
		/* A member without a key prints as "", as in cJSON. */
		if (object && (print_string(b, c->string) == -1 ||
		    jbuf_putc(b, ':') == -1))
			return -1;
		if (print_value(b, c) == -1)
			return -1;
	}
	return jbuf_putc(b, object ? '}' : ']');
}

char *
json_print(const cJSON *item, size_t *lenp)
{
	struct json_buf b;

	if (item == NULL)
		return NULL;
	json_buf_init(&b);
	if (print_value(&b, item) == -1)
		b.failed = 1;
	return json_buf_finish(&b, lenp);
}

void
json_buf_init(struct json_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void
json_buf_raw(struct json_buf *b, const char *s, size_t n)
{
	if (!b->failed && jbuf_put(b, s, n) == -1)
		b->failed = 1;
}

void
json_buf_string(struct json_buf *b, const char *s)
{
	if (!b->failed && print_string(b, s) == -1)
		b->failed = 1;
}

void
json_buf_value(struct json_buf *b, const cJSON *item)
{
	if (!b->failed && (item == NULL || print_value(b, item) == -1))
		b->failed = 1;
}

void
json_buf_number(struct json_buf *b, double d)
{
	if (!b->failed && print_number(b, d) == -1)
		b->failed = 1;
}

char *
json_buf_finish(struct json_buf *b, size_t *lenp)
{
	if (b->failed || (b->p == NULL && jbuf_grow(b, 0) == -1)) {
		free(b->p);
		json_buf_init(b);
		return NULL;
	}
	/* jbuf_room always left space for this NUL. */
	b->p[b->len] = '\0';
	if (lenp != NULL)
		*lenp = b->len;
	/* The caller owns the text from here. */
	return b->p;
}
