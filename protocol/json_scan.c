/*
 * json_scan.c: a strict validating pass over JSON text, before cJSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/charset.h"
#include "protocol/json_scan.h"

struct scan {
	const unsigned char	*p;
	const unsigned char	*end;
	const unsigned char	*start;
	int			 depth;
	int			 max_depth;
	struct error		*err;
};

static int	scan_value(struct scan *);

static int
scan_fail(struct scan *s, const char *why)
{
	return error_set(s->err, ERR_PARSE, NULL,
	    "the request is not valid JSON: %s at byte %zu", why,
	    (size_t)(s->p - s->start));
}

static void
scan_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
scan_literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return scan_fail(s, "unexpected character");
	s->p += n;
	return 0;
}

static int
scan_hex4(struct scan *s, unsigned *out)
{
	unsigned	v = 0;
	int		i;

	if (s->end - s->p < 4)
		return scan_fail(s, "short \\u escape");
	for (i = 0; i < 4; i++) {
		unsigned c = s->p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return scan_fail(s, "bad \\u escape");
	}
	s->p += 4;
	*out = v;
	return 0;
}

/* Check one UTF-8 sequence starting at s->p (a byte >= 0x80) and skip it. */
static int
scan_utf8(struct scan *s)
{
	size_t n = utf8_seq(s->p, (size_t)(s->end - s->p));

	if (n == 0)
		return scan_fail(s, "invalid UTF-8");
	s->p += n;
	return 0;
}

static int
scan_string(struct scan *s)
{
	unsigned cp, lo;

	s->p++;		/* the opening quote */
	for (;;) {
		if (s->p >= s->end)
			return scan_fail(s, "unterminated string");
		if (*s->p == '"') {
			s->p++;
			return 0;
		}
		if (*s->p < 0x20)
			return scan_fail(s, "raw control character in a string");
		if (*s->p >= 0x80) {
			if (scan_utf8(s) == -1)
				return -1;
			continue;
		}
		if (*s->p != '\\') {
			s->p++;
			continue;
		}
		s->p++;
		if (s->p >= s->end)
			return scan_fail(s, "unterminated string");
		switch (*s->p++) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			break;
		case 'u':
			if (scan_hex4(s, &cp) == -1)
				return -1;
			if (cp == 0)
				return scan_fail(s, "\\u0000 is not allowed");
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return scan_fail(s, "lone low surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (s->end - s->p < 6 || s->p[0] != '\\' ||
				    s->p[1] != 'u')
					return scan_fail(s, "lone high surrogate");
				s->p += 2;
				if (scan_hex4(s, &lo) == -1)
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return scan_fail(s, "lone high surrogate");
			}
			break;
		default:
			s->p--;
			return scan_fail(s, "bad escape");
		}
	}
}

static int
scan_digits(struct scan *s)
{
	const unsigned char *q = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	if (s->p == q)
		return scan_fail(s, "digit expected");
	return 0;
}

static int
scan_number(struct scan *s)
{
	const unsigned char *q = s->p;

	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (scan_digits(s) == -1)
		return -1;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (scan_digits(s) == -1)
			return -1;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (scan_digits(s) == -1)
			return -1;
	}
	if (s->p - q > 63)
		return scan_fail(s, "number longer than 63 characters");
	return 0;
}

/* An object or an array: open is '{' or '['. */
static int
scan_container(struct scan *s, int object)
{
	char close = object ? '}' : ']';

	if (++s->depth > s->max_depth)
		return scan_fail(s, "nested too deep");
	s->p++;
	scan_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		if (object) {
			scan_ws(s);
			if (s->p >= s->end || *s->p != '"')
				return scan_fail(s, "object key expected");
			if (scan_string(s) == -1)
				return -1;
			scan_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return scan_fail(s, "':' expected");
			s->p++;
		}
		if (scan_value(s) == -1)
			return -1;
		scan_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == close) {
			s->p++;
			s->depth--;
			return 0;
		}
		return scan_fail(s, object ? "',' or '}' expected" :
		    "',' or ']' expected");
	}
}

static int
scan_value(struct scan *s)
{
	scan_ws(s);
	if (s->p >= s->end)
		return scan_fail(s, "value expected");
	switch (*s->p) {
	case '{':
		return scan_container(s, 1);
	case '[':
		return scan_container(s, 0);
	case '"':
		return scan_string(s);
	case 't':
		return scan_literal(s, "true");
	case 'f':
		return scan_literal(s, "false");
	case 'n':
		return scan_literal(s, "null");
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s);
		return scan_fail(s, "unexpected character");
	}
}

int
json_scan(const char *buf, size_t len, int max_depth, struct error *err)
{
	struct scan s;

	s.start = s.p = (const unsigned char *)buf;
	s.end = s.p + len;
	s.depth = 0;
	s.max_depth = max_depth;
	s.err = err;
	if (scan_value(&s) == -1)
		return -1;
	scan_ws(&s);
	if (s.p != s.end)
		return scan_fail(&s, "trailing characters after the value");
	return 0;
}

/* Objects up to this many keys are checked pair by pair. */
#define DUP_PAIRWISE_MAX	16

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *
json_duplicate_key(const cJSON *node)
{
	const cJSON	*c, *d;
	const char	**keys, *dup = NULL;
	size_t		 n = 0, i;

	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return NULL;
	for (c = node->child; c != NULL; c = c->next) {
		if ((dup = json_duplicate_key(c)) != NULL)
			return dup;
		n++;
	}
	if (!cJSON_IsObject(node) || n < 2)
		return NULL;
	/* A request's objects are small: compare pairs, allocating nothing. */
	if (n <= DUP_PAIRWISE_MAX) {
		for (c = node->child; c != NULL; c = c->next)
			for (d = c->next; d != NULL; d = d->next)
				if (strcmp(c->string, d->string) == 0)
					return d->string;
		return NULL;
	}
	/* Sort the keys: O(n log n) even for a hostile object of 100,000 keys. */
	if ((keys = calloc(n, sizeof(*keys))) == NULL)
		return "(out of memory)";
	for (i = 0, c = node->child; c != NULL; c = c->next)
		keys[i++] = c->string;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0) {
			dup = keys[i];
			break;
		}
	free(keys);
	return dup;
}

/*
 * Past the end of the string opening at buf[open] (a '"'): memchr finds each
 * '"', which closes the string unless an odd run of backslashes escapes it.
 * Strings are most of a request's bytes; this skips them quickly.
 */
static size_t
string_end(const char *buf, size_t len, size_t open)
{
	const char	*q;
	size_t		 i = open + 1, k;

	while (i < len && (q = memchr(buf + i, '"', len - i)) != NULL) {
		i = (size_t)(q - buf);
		for (k = i; k > open + 1 && buf[k - 1] == '\\'; k--)
			;
		if ((i - k) % 2 == 0)
			return i + 1;
		i++;
	}
	return len;
}

/*
 * The next number literal in buf[*pos..len) outside strings; its start and
 * length.  Returns 0 when there is none.  buf has passed json_scan.
 */
static int
next_number(const char *buf, size_t len, size_t *pos, size_t *start,
    size_t *n)
{
	size_t i = *pos;

	while (i < len) {
		if (buf[i] == '"') {
			i = string_end(buf, len, i);
			continue;
		}
		if (buf[i] == '-' || (buf[i] >= '0' && buf[i] <= '9')) {
			*start = i;
			while (i < len && ((buf[i] >= '0' && buf[i] <= '9') ||
			    buf[i] == '.' || buf[i] == 'e' || buf[i] == 'E' ||
			    buf[i] == '+' || buf[i] == '-'))
				i++;
			*n = i - *start;
			*pos = i;
			return 1;
		}
		i++;
	}
	*pos = i;
	return 0;
}

/*
 * Give every number node its literal text in valuestring (cJSON frees and
 * copies valuestring for any type, and prints numbers from valuedouble), so
 * that checks can see exactly what the client wrote: "1.0000000000000001"
 * and "1" are the same double but not the same amount.  The tree is walked
 * in document order, the order in which next_number finds the literals.
 */
static int
attach_literals(cJSON *node, const char *buf, size_t len, size_t *pos)
{
	cJSON	*c;
	size_t	 start, n;

	if (cJSON_IsNumber(node)) {
		if (!next_number(buf, len, pos, &start, &n))
			return -1;
		if ((node->valuestring = malloc(n + 1)) == NULL)
			return -1;
		memcpy(node->valuestring, buf + start, n);
		node->valuestring[n] = '\0';
		return 0;
	}
	for (c = node->child; c != NULL; c = c->next)
		if (attach_literals(c, buf, len, pos) == -1)
			return -1;
	return 0;
}

cJSON *
json_parse_strict(const char *buf, size_t len, enum err_code dup_code,
    struct error *err)
{
	cJSON		*root;
	const char	*end = NULL, *dup;

	if (json_scan(buf, len, JSON_MAX_DEPTH, err) == -1)
		return NULL;
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		error_set(err, ERR_PARSE, NULL, "the request is not valid JSON");
		return NULL;
	}
	{
		size_t pos = 0;

		if (attach_literals(root, buf, len, &pos) == -1) {
			error_set(err, ERR_INTERNAL, NULL, "out of memory");
			cJSON_Delete(root);
			return NULL;
		}
	}
	if ((dup = json_duplicate_key(root)) != NULL) {
		error_set(err, dup_code, dup_code == ERR_INVALID_ARGUMENT ?
		    dup : NULL, "the key \"%s\" appears twice in one object",
		    dup);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}
