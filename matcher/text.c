/*
 * text.c: tokenising UTF-8 text into hashed token sets, Dice similarity.
 */
#include <stdlib.h>
#include <string.h>

#include "matcher/text.h"

/* Character classes the tokenizer distinguishes. */
enum text_class {
	TEXT_SEP,		/* punctuation, space, symbol, invalid byte */
	TEXT_WORD,		/* ASCII letter or digit */
	TEXT_LETTER		/* any other letter (Chinese, ...) */
};

static uint64_t	 text_mix(uint64_t);
static uint64_t	 text_hash(uint64_t, const unsigned char *, size_t);
static int	 text_decode(const unsigned char *, size_t, size_t *, uint32_t *);
static enum text_class text_classify(uint32_t);
static int	 text_push(struct text_tokens *, size_t *, uint64_t);
static int	 text_cmp_u64(const void *, const void *);
static int	 text_scan(const char *, size_t, struct text_tokens *, size_t *);

/* Final avalanche of a 64-bit hash (the splitmix64 finalizer). */
static uint64_t
text_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/*
 * FNV-1a over a tag and the token's bytes.  The tag keeps word tokens and
 * letter tokens apart even though their bytes cannot coincide anyway.
 */
static uint64_t
text_hash(uint64_t tag, const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ tag;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return text_mix(h ^ n);
}

/*
 * Decode one UTF-8 sequence at s[*i] (len bytes in all).  On success store
 * the code point in *cp, advance *i past it and return 1.  A byte that does
 * not start a valid, shortest-form sequence of a scalar value advances *i
 * by one and returns 0.
 */
static int
text_decode(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	size_t at = *i, need, k;
	uint32_t c = s[at], min;

	if (c < 0x80) {
		*cp = c;
		*i = at + 1;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1; c &= 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2; c &= 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3; c &= 0x07; min = 0x10000;
	} else {
		*i = at + 1;
		return 0;
	}
	if (len - at - 1 < need) {
		*i = at + 1;
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if ((s[at + k] & 0xc0) != 0x80) {
			*i = at + 1;
			return 0;
		}
		c = (c << 6) | (s[at + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*i = at + 1;
		return 0;
	}
	*cp = c;
	*i = at + need + 1;
	return 1;
}

/*
 * Classify a code point.  Non-ASCII code points are letters unless they are
 * in a block of punctuation, spaces or symbols: Latin-1 punctuation, the
 * general punctuation to miscellaneous-symbols blocks, CJK symbols and
 * punctuation (except the iteration and number marks), vertical, small and
 * fullwidth punctuation forms, specials, and pictographs.
 */
static enum text_class
text_classify(uint32_t c)
{
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			return TEXT_WORD;
		return TEXT_SEP;
	}
	if (c <= 0xbf || c == 0xd7 || c == 0xf7)
		return TEXT_SEP;
	if (c >= 0x2000 && c <= 0x2bff)
		return TEXT_SEP;
	if (c >= 0x2e00 && c <= 0x2e7f)
		return TEXT_SEP;
	if (c >= 0x3000 && c <= 0x303f) {
		if ((c >= 0x3005 && c <= 0x3007) ||
		    (c >= 0x3021 && c <= 0x3029) ||
		    (c >= 0x3031 && c <= 0x3035) || c == 0x303b || c == 0x303c)
			return TEXT_LETTER;
		return TEXT_SEP;
	}
	if (c >= 0xfe10 && c <= 0xfe1f)
		return TEXT_SEP;
	if (c >= 0xfe30 && c <= 0xfe6f)
		return TEXT_SEP;
	if (c == 0xfeff)
		return TEXT_SEP;
	if (c >= 0xff00 && c <= 0xff0f)
		return TEXT_SEP;
	if (c >= 0xff1a && c <= 0xff20)
		return TEXT_SEP;
	if (c >= 0xff3b && c <= 0xff40)
		return TEXT_SEP;
	if (c >= 0xff5b && c <= 0xff65)
		return TEXT_SEP;
	if (c >= 0xffe0 && c <= 0xffff)
		return TEXT_SEP;
	if (c >= 0x1f000 && c <= 0x1faff)
		return TEXT_SEP;
	return TEXT_LETTER;
}

/* Append hash h to t, growing it.  Returns 0 or -1 when out of memory. */
static int
text_push(struct text_tokens *t, size_t *alloc, uint64_t h)
{
	uint64_t *nh;
	size_t na;

	if (t->n == *alloc) {
		na = *alloc ? *alloc * 2 : 16;
		nh = realloc(t->h, na * sizeof(*nh));
		if (nh == NULL)
			return -1;
		t->h = nh;
		*alloc = na;
	}
	t->h[t->n++] = h;
	return 0;
}

static int
text_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Append the (unsorted) token hashes of s[0..len) to t.  Returns 0 or -1
 * when out of memory.
 */
static int
text_scan(const char *str, size_t len, struct text_tokens *t, size_t *alloc)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char word[64];
	size_t i = 0, start, wlen = 0, prev_at = 0, prev_len = 0, runlen = 0;
	uint64_t wh = 0;
	int inword = 0;

	while (i <= len) {
		uint32_t cp = 0;
		enum text_class cl = TEXT_SEP;
		int ok;

		start = i;
		if (i < len) {
			ok = text_decode(s, len, &i, &cp);
			cl = ok ? text_classify(cp) : TEXT_SEP;
		} else
			i++;		/* the end separates like a space */

		/* A word ends at anything but a word character. */
		if (inword && cl != TEXT_WORD) {
			if (wlen <= sizeof(word))
				wh = text_hash(1, word, wlen);
			if (text_push(t, alloc, wh) == -1)
				return -1;
			inword = 0;
		}
		/* A run of letters ends at anything but a letter. */
		if (runlen > 0 && cl != TEXT_LETTER) {
			if (runlen == 1 &&
			    text_push(t, alloc, text_hash(2, s + prev_at,
			    prev_len)) == -1)
				return -1;
			runlen = 0;
		}
		if (cl == TEXT_WORD) {
			unsigned char ch = (unsigned char)cp;

			if (ch >= 'A' && ch <= 'Z')
				ch = (unsigned char)(ch - 'A' + 'a');
			if (!inword) {
				inword = 1;
				wlen = 0;
				wh = 0;
			}
			/*
			 * Words longer than the buffer hash incrementally,
			 * continuing from the buffered prefix.
			 */
			if (wlen < sizeof(word))
				word[wlen] = ch;
			else {
				if (wlen == sizeof(word))
					wh = text_hash(1, word, wlen);
				wh = text_mix(wh ^ ch);
			}
			wlen++;
		} else if (cl == TEXT_LETTER) {
			if (runlen > 0) {
				/* The bigram is the bytes of both characters. */
				if (text_push(t, alloc, text_hash(2, s + prev_at,
				    i - prev_at)) == -1)
					return -1;
			}
			prev_at = start;
			prev_len = i - start;
			runlen++;
		}
	}
	return 0;
}

int
text_tokenize(const char *s, size_t len, struct text_tokens *out)
{
	size_t alloc = 0, i, j;

	out->h = NULL;
	out->n = 0;
	if (s != NULL && text_scan(s, len, out, &alloc) == -1) {
		text_tokens_free(out);
		return -1;
	}
	if (out->n > 1) {
		qsort(out->h, out->n, sizeof(*out->h), text_cmp_u64);
		for (i = 1, j = 1; i < out->n; i++)
			if (out->h[i] != out->h[j - 1])
				out->h[j++] = out->h[i];
		out->n = j;
	}
	return 0;
}

int
text_tokenize_doc(const char *title, const char *description,
    struct text_tokens *out)
{
	size_t tl = title ? strlen(title) : 0;
	size_t dl = description ? strlen(description) : 0;
	char *buf;
	int rc;

	buf = malloc(tl + dl + 2);
	if (buf == NULL) {
		out->h = NULL;
		out->n = 0;
		return -1;
	}
	if (tl)
		memcpy(buf, title, tl);
	buf[tl] = '\n';
	if (dl)
		memcpy(buf + tl + 1, description, dl);
	buf[tl + 1 + dl] = '\0';
	rc = text_tokenize(buf, tl + 1 + dl, out);
	free(buf);
	return rc;
}

/*
 * A branch-free merge: which side advances depends on data the branch
 * predictor cannot guess, so comparisons feed the indexes instead.
 */
size_t
text_common(const struct text_tokens *a, const struct text_tokens *b)
{
	const uint64_t *x, *y;
	size_t i = 0, j = 0, c = 0, na, nb;

	if (a == NULL || b == NULL)
		return 0;
	x = a->h;
	y = b->h;
	na = a->n;
	nb = b->n;
	while (i < na && j < nb) {
		uint64_t u = x[i], v = y[j];

		c += u == v;
		i += u <= v;
		j += v <= u;
	}
	return c;
}

double
text_dice(const struct text_tokens *a, const struct text_tokens *b)
{
	size_t na = a ? a->n : 0, nb = b ? b->n : 0;

	if (na + nb == 0)
		return 0.0;
	return 2.0 * (double)text_common(a, b) / (double)(na + nb);
}

void
text_tokens_free(struct text_tokens *t)
{
	if (t == NULL)
		return;
	free(t->h);
	t->h = NULL;
	t->n = 0;
}
