/*
 * json_scan.c: strict JSON, checked and (for json_parse_strict) built into
 * a cJSON tree in one pass.  cJSON's own parser is not used: it would read
 * the text a second time, and a third to find the number literals.  The
 * tree is the one cJSON_Parse makes (test_strict_tree_is_cjsons in
 * tests/unit/test_envelope.c and the fuzzers, fz_check_strict_tree, compare
 * them), with each number's literal text added.
 */
#include <limits.h>
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

/*
 * Each scan_ function checks the value at s->p and moves past it; with out
 * not NULL it also makes its node (or, for a string, its text), which the
 * caller then owns.  On failure err is set and nothing is left allocated.
 */
static int	scan_value(struct scan *, cJSON **out);

static int
scan_fail(struct scan *s, const char *why)
{
	return error_set(s->err, ERR_PARSE, NULL,
	    "the request is not valid JSON: %s at byte %zu", why,
	    (size_t)(s->p - s->start));
}

static int
scan_oom(struct scan *s)
{
	return error_set(s->err, ERR_INTERNAL, NULL, "out of memory");
}

/* A node of type t, as cJSON's parser makes it. */
static cJSON *
node_new(int t)
{
	cJSON *n = cJSON_CreateNull();

	if (n != NULL) {
		n->type = t;
		if (t == cJSON_True)
			n->valueint = 1;
	}
	return n;
}

static void
scan_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
scan_literal(struct scan *s, const char *word, int type, cJSON **out)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return scan_fail(s, "unexpected character");
	s->p += n;
	if (out != NULL && (*out = node_new(type)) == NULL)
		return scan_oom(s);
	return 0;
}

static int
scan_hex4(struct scan *s, unsigned *out)
{
	if (s->end - s->p < 4)
		return scan_fail(s, "short \\u escape");
	if ((*out = hex4_value((const char *)s->p)) == UINT_MAX)
		return scan_fail(s, "bad \\u escape");
	s->p += 4;
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

/*
 * The text of the string between p and end (its quotes excluded), which
 * scan_string has checked, with its escapes undone.  An escape is never
 * shorter than what it stands for.
 */
static char *
string_text(const unsigned char *p, const unsigned char *end, int escaped)
{
	char		*t, *q;
	unsigned	 cp, lo;

	if ((t = malloc((size_t)(end - p) + 1)) == NULL)
		return NULL;
	if (!escaped) {
		memcpy(t, p, (size_t)(end - p));
		t[end - p] = '\0';
		return t;
	}
	for (q = t; p < end; ) {
		if (*p != '\\') {
			*q++ = (char)*p++;
			continue;
		}
		switch (p[1]) {
		case 'b': *q++ = '\b'; break;
		case 'f': *q++ = '\f'; break;
		case 'n': *q++ = '\n'; break;
		case 'r': *q++ = '\r'; break;
		case 't': *q++ = '\t'; break;
		case 'u':
			cp = hex4_value((const char *)p + 2);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				lo = hex4_value((const char *)p + 8);
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			}
			q = utf8_put(q, cp);
			p += 6;
			continue;
		default:	/* '"', '\\', '/' */
			*q++ = (char)p[1];
			break;
		}
		p += 2;
	}
	*q = '\0';
	return t;
}

static int
scan_string(struct scan *s, char **out)
{
	const unsigned char	*open;
	uint64_t		 w;
	unsigned		 cp, lo;
	int			 escaped = 0;

	open = ++s->p;		/* past the opening quote */
	for (;;) {
		/* Most bytes are plain ASCII: pass them eight at a time,
		 * then one at a time up to the first that is not. */
		while (s->end - s->p >= 8) {
			w = cs_load8(s->p);
			if ((cs_has_less(w, 0x20) | cs_has_high(w) |
			    cs_has_byte(w, '"') | cs_has_byte(w, '\\')) != 0)
				break;
			s->p += 8;
		}
		while (s->p < s->end && *s->p >= 0x20 && *s->p < 0x80 &&
		    *s->p != '"' && *s->p != '\\')
			s->p++;
		if (s->p >= s->end)
			return scan_fail(s, "unterminated string");
		if (*s->p == '"')
			break;
		if (*s->p < 0x20)
			return scan_fail(s, "raw control character in a string");
		if (*s->p >= 0x80) {
			if (scan_utf8(s) == -1)
				return -1;
			continue;
		}
		escaped = 1;
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
	if (out != NULL && (*out = string_text(open, s->p, escaped)) == NULL)
		return scan_oom(s);
	s->p++;		/* the closing quote */
	return 0;
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

/*
 * The value of the checked literal lit (n bytes), as strtod reads it.  An
 * integer of at most 15 digits is exact in a double, and so is the sum
 * that makes it: ids and counts skip strtod.
 */
static double
number_value(const char *lit, size_t n)
{
	const char	*d = lit + (*lit == '-');
	int64_t		 v = 0;

	if (n - (size_t)(d - lit) > 15 || strpbrk(d, ".eE") != NULL)
		return strtod(lit, NULL);
	for (; *d != '\0'; d++)
		v = v * 10 + (*d - '0');
	/* "-0" is the double -0, as strtod makes it. */
	return *lit == '-' ? -(double)v : (double)v;
}

/*
 * A number node holds its value as cJSON's parser makes it (strtod; valueint
 * saturated by cJSON_CreateNumber) and, in valuestring, the literal itself
 * (cJSON frees valuestring of any type and prints numbers from
 * valuedouble), so that checks can see exactly what the client wrote:
 * "1.0000000000000001" and "1" are the same double but not the same amount.
 */
static int
scan_number(struct scan *s, cJSON **out)
{
	const unsigned char	*q = s->p;
	char			*lit;
	size_t			 n;

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
	if ((n = (size_t)(s->p - q)) > 63)
		return scan_fail(s, "number longer than 63 characters");
	if (out == NULL)
		return 0;
	if ((lit = malloc(n + 1)) == NULL)
		return scan_oom(s);
	memcpy(lit, q, n);
	lit[n] = '\0';
	if ((*out = cJSON_CreateNumber(number_value(lit, n))) == NULL) {
		free(lit);
		return scan_oom(s);
	}
	(*out)->valuestring = lit;
	return 0;
}

/*
 * Append item to the object or array c as cJSON's parser does (its first
 * child's prev is the last child).
 */
static void
append(cJSON *c, cJSON *item)
{
	if (c->child == NULL) {
		c->child = item;
		item->prev = item;
	} else {
		c->child->prev->next = item;
		item->prev = c->child->prev;
		c->child->prev = item;
	}
}

/* An object or an array: open is '{' or '['. */
static int
scan_container(struct scan *s, int object, cJSON **out)
{
	char	 close = object ? '}' : ']';
	cJSON	*c = NULL, *item = NULL, **itemp = NULL;
	char	*key = NULL, **keyp = NULL;

	if (++s->depth > s->max_depth)
		return scan_fail(s, "nested too deep");
	if (out != NULL) {
		if ((c = node_new(object ? cJSON_Object : cJSON_Array)) == NULL)
			return scan_oom(s);
		itemp = &item;
		keyp = &key;
	}
	s->p++;
	scan_ws(s);
	if (s->p < s->end && *s->p == close)
		goto done;
	for (;;) {
		if (object) {
			scan_ws(s);
			if (s->p >= s->end || *s->p != '"') {
				scan_fail(s, "object key expected");
				goto fail;
			}
			if (scan_string(s, keyp) == -1)
				goto fail;
			scan_ws(s);
			if (s->p >= s->end || *s->p != ':') {
				scan_fail(s, "':' expected");
				goto fail;
			}
			s->p++;
		}
		if (scan_value(s, itemp) == -1)
			goto fail;
		if (c != NULL) {
			item->string = key;
			key = NULL;
			append(c, item);
		}
		scan_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == close)
			goto done;
		scan_fail(s, object ? "',' or '}' expected" :
		    "',' or ']' expected");
		goto fail;
	}
done:
	s->p++;
	s->depth--;
	if (out != NULL)
		*out = c;
	return 0;
fail:
	free(key);
	cJSON_Delete(c);
	return -1;
}

/* A string value: its node holds the text. */
static int
scan_string_node(struct scan *s, cJSON **out)
{
	char *text;

	if (out == NULL)
		return scan_string(s, NULL);
	if (scan_string(s, &text) == -1)
		return -1;
	if ((*out = node_new(cJSON_String)) == NULL) {
		free(text);
		return scan_oom(s);
	}
	(*out)->valuestring = text;
	return 0;
}

static int
scan_value(struct scan *s, cJSON **out)
{
	scan_ws(s);
	if (s->p >= s->end)
		return scan_fail(s, "value expected");
	switch (*s->p) {
	case '{':
		return scan_container(s, 1, out);
	case '[':
		return scan_container(s, 0, out);
	case '"':
		return scan_string_node(s, out);
	case 't':
		return scan_literal(s, "true", cJSON_True, out);
	case 'f':
		return scan_literal(s, "false", cJSON_False, out);
	case 'n':
		return scan_literal(s, "null", cJSON_NULL, out);
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s, out);
		return scan_fail(s, "unexpected character");
	}
}

/* The one value in buf[0..len), built into *out unless out is NULL. */
static int
scan_all(const char *buf, size_t len, int max_depth, struct error *err,
    cJSON **out)
{
	struct scan s;

	s.start = s.p = (const unsigned char *)buf;
	s.end = s.p + len;
	s.depth = 0;
	s.max_depth = max_depth;
	s.err = err;
	if (scan_value(&s, out) == -1)
		return -1;
	scan_ws(&s);
	if (s.p != s.end) {
		scan_fail(&s, "trailing characters after the value");
		if (out != NULL) {
			cJSON_Delete(*out);
			*out = NULL;
		}
		return -1;
	}
	return 0;
}

int
json_scan(const char *buf, size_t len, int max_depth, struct error *err)
{
	return scan_all(buf, len, max_depth, err, NULL);
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

cJSON *
json_parse_strict(const char *buf, size_t len, enum err_code dup_code,
    struct error *err)
{
	cJSON		*root = NULL;
	const char	*dup;

	if (scan_all(buf, len, JSON_MAX_DEPTH, err, &root) == -1)
		return NULL;
	if ((dup = json_duplicate_key(root)) != NULL) {
		error_set(err, dup_code, dup_code == ERR_INVALID_ARGUMENT ?
		    dup : NULL, "the key \"%s\" appears twice in one object",
		    dup);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}
