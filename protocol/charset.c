/*
 * charset.c: UTF-8 as it is, else GB18030 converted by iconv(3).
 */
#include <errno.h>
#include <limits.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/charset.h"

#define BOM	"\xef\xbb\xbf"

char *
utf8_put(char *q, unsigned cp)
{
	if (cp < 0x80)
		*q++ = (char)cp;
	else if (cp < 0x800) {
		*q++ = (char)(0xc0 | cp >> 6);
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*q++ = (char)(0xe0 | cp >> 12);
		*q++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (char)(0xf0 | cp >> 18);
		*q++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*q++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	}
	return q;
}

unsigned
hex4_value(const char *p)
{
	unsigned	v = 0;
	int		i;

	for (i = 0; i < 4; i++) {
		unsigned c = (unsigned char)p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return UINT_MAX;
	}
	return v;
}

size_t
utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned	c, cp;
	size_t		n, i;

	if (avail == 0)
		return 0;
	c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1; cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2; cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3; cp = c & 0x07;
	} else
		return 0;
	if (avail <= n)
		return 0;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n + 1;
}

size_t
utf8_valid_prefix(const char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)buf;
	size_t			 i = 0, n;

	while (i < len && (n = utf8_seq(p + i, len - i)) != 0)
		i += n;
	return i;
}

/* A copy of buf[0..len) without a leading BOM, NUL-terminated. */
static int
charset_copy(const char *buf, size_t len, struct charset_text *out)
{
	if (len >= 3 && memcmp(buf, BOM, 3) == 0) {
		buf += 3;
		len -= 3;
		out->bom = 1;
	}
	if ((out->data = malloc(len + 1)) == NULL)
		return -2;
	memcpy(out->data, buf, len);
	out->data[len] = '\0';
	out->len = len;
	return 0;
}

/*
 * GB18030 to UTF-8.  A character of one byte becomes one, of two bytes at
 * most three, of four bytes four: one and a half times the input is
 * always enough, but the loop grows the buffer rather than rely on it.
 */
static int
charset_from_gb18030(const char *buf, size_t len, struct charset_text *out)
{
	iconv_t	 cd;
	char	*in = (char *)(uintptr_t)buf, *o, *nd;
	size_t	 inleft = len, outleft, cap, used;
	int	 rc = 0;

	if (len > SIZE_MAX / 2 - 16)
		return -2;
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return -2;
	cap = len + len / 2 + 16;
	if ((out->data = malloc(cap)) == NULL) {
		iconv_close(cd);
		return -2;
	}
	o = out->data;
	outleft = cap - 1;	/* room for the NUL */
	while (inleft > 0 && iconv(cd, &in, &inleft, &o, &outleft) ==
	    (size_t)-1) {
		if (errno != E2BIG) {
			/* EILSEQ, or EINVAL: a character cut by the end. */
			out->gb_bad = (size_t)(in - buf);
			rc = -1;
			break;
		}
		used = (size_t)(o - out->data);
		if ((nd = realloc(out->data, cap * 2)) == NULL) {
			rc = -2;
			break;
		}
		out->data = nd;
		cap *= 2;
		o = nd + used;
		outleft = cap - used - 1;
	}
	iconv_close(cd);
	if (rc != 0) {
		free(out->data);
		out->data = NULL;
		return rc;
	}
	*o = '\0';
	out->len = (size_t)(o - out->data);
	/* GB18030's own mark, 84 31 95 33, is U+FEFF too. */
	if (out->len >= 3 && memcmp(out->data, BOM, 3) == 0) {
		memmove(out->data, out->data + 3, out->len - 3 + 1);
		out->len -= 3;
		out->bom = 1;
	}
	return 0;
}

int
charset_decode(const char *buf, size_t len, struct charset_text *out)
{
	memset(out, 0, sizeof(*out));
	out->utf8_bad = utf8_valid_prefix(buf, len);
	if (out->utf8_bad == len) {
		out->from = CHARSET_UTF8;
		return charset_copy(buf, len, out);
	}
	out->from = CHARSET_GB18030;
	return charset_from_gb18030(buf, len, out);
}

void
charset_text_free(struct charset_text *t)
{
	free(t->data);
	memset(t, 0, sizeof(*t));
}
