/*
 * json_strings.c: JSON arrays of strings, read without global state.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "protocol/charset.h"
#include "protocol/json_strings.h"

#define JS_MAX	4096

static const char *
js_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Append code point cp as UTF-8 to buf (n used); -1 when it does not fit. */
static int
js_utf8(char *buf, size_t *n, unsigned cp)
{
	char	u[4];
	size_t	k = (size_t)(utf8_put(u, cp) - u);

	if (*n + k >= JS_MAX)
		return -1;
	memcpy(buf + *n, u, k);
	*n += k;
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
			if ((cp = hex4_value(p + 1)) == UINT_MAX)
				return -1;
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p[1] != '\\' || p[2] != 'u' ||
				    (lo = hex4_value(p + 3)) == UINT_MAX ||
				    lo < 0xdc00 || lo > 0xdfff)
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
