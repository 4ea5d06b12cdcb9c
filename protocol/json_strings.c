/*
 * json_strings.c: JSON arrays of strings, read without global state.
 */
#include <stdint.h>
#include <string.h>

#include "protocol/json_strings.h"

#define JS_MAX	4096

static const char *
js_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static int
js_hex4(const char *p, unsigned *out)
{
	unsigned	v = 0;
	int		i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= (unsigned)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= (unsigned)(p[i] - 'a' + 10);
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= (unsigned)(p[i] - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Append code point cp as UTF-8 to buf (n used); -1 when it does not fit. */
static int
js_utf8(char *buf, size_t *n, unsigned cp)
{
	unsigned char	u[4];
	size_t		k, i;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	if (*n + k >= JS_MAX)
		return -1;
	for (i = 0; i < k; i++)
		buf[(*n)++] = (char)u[i];
	return 0;
}

/*
 * Decode the string starting after its opening quote at *pp into buf;
 * *pp is left after the closing quote.  Returns its length or -1.
 */
static long
js_string(const char **pp, char *buf)
{
	const char	*p = *pp;
	size_t		 n = 0;
	unsigned	 cp, lo;

	for (;;) {
		if (*p == '\0' || (unsigned char)*p < 0x20)
			return -1;
		if (*p == '"')
			break;
		if (*p != '\\') {
			if (n + 1 >= JS_MAX)
				return -1;
			buf[n++] = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case '"': case '\\': case '/':
			cp = (unsigned char)*p;
			break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (js_hex4(p + 1, &cp) == -1)
				return -1;
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p[1] != '\\' || p[2] != 'u' ||
				    js_hex4(p + 3, &lo) == -1 || lo < 0xdc00 ||
				    lo > 0xdfff)
					return -1;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff)
				return -1;
			break;
		default:
			return -1;
		}
		if (js_utf8(buf, &n, cp) == -1)
			return -1;
		p++;
	}
	buf[n] = '\0';
	*pp = p + 1;
	return (long)n;
}

int
json_strings_each(const char *text, int (*fn)(void *, const char *, size_t),
    void *arg)
{
	const char	*p;
	char		 buf[JS_MAX];
	long		 len;
	int		 count = 0;

	if (text == NULL)
		return -1;
	p = js_space(text);
	if (*p++ != '[')
		return -1;
	p = js_space(p);
	if (*p == ']')
		return *js_space(p + 1) == '\0' ? 0 : -1;
	for (;;) {
		if (*p++ != '"' || (len = js_string(&p, buf)) < 0)
			return -1;
		if (fn != NULL && fn(arg, buf, (size_t)len) == -1)
			return -1;
		count++;
		p = js_space(p);
		if (*p == ']')
			break;
		if (*p++ != ',')
			return -1;
		p = js_space(p);
	}
	return *js_space(p + 1) == '\0' ? count : -1;
}

static int
js_add(void *arg, const char *s, size_t len)
{
	cJSON *item;

	(void)len;
	if ((item = cJSON_CreateString(s)) == NULL)
		return -1;
	cJSON_AddItemToArray(arg, item);
	return 0;
}

cJSON *
json_strings_parse(const char *text)
{
	cJSON *a;

	if ((a = cJSON_CreateArray()) == NULL)
		return NULL;
	if (json_strings_each(text, js_add, a) == -1) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}
