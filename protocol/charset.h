/*
 * charset.h: the text of a file people make, as UTF-8.  A file is UTF-8
 * when all of it is valid UTF-8; else it is read as GB18030, the national
 * standard that contains GBK, in which Excel and WPS save CSV files on a
 * Chinese system.  Pure: iconv(3) of the C library, no I/O.
 */
#ifndef PROTOCOL_CHARSET_H
#define PROTOCOL_CHARSET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * The length of the valid UTF-8 sequence that starts at p (1 to 4 bytes,
 * at most avail of them), or 0 when none starts there: a stray
 * continuation byte, an overlong form, a surrogate, a code point past
 * U+10FFFF or a sequence cut by the end.
 */
size_t	utf8_seq(const unsigned char *p, size_t avail);

/* The length of the longest prefix of buf[0..len) that is valid UTF-8. */
size_t	utf8_valid_prefix(const char *buf, size_t len);

/*
 * Write code point cp (at most U+10FFFF, not a surrogate) as UTF-8 at q, 1
 * to 4 bytes; returns the byte after them.
 */
char	*utf8_put(char *q, unsigned cp);

/*
 * The value of the four hex digits at p (a JSON "\u" escape's), or
 * UINT_MAX when one is not a hex digit; reads no byte past the first that
 * is not one, so a NUL-terminated string may end sooner.
 */
unsigned hex4_value(const char *p);

/*
 * Eight bytes at a time ("Bit Twiddling Hacks"): the next eight bytes at p
 * as a word, and whether the word holds a byte below c (c at most 0x80),
 * a byte equal to c, or a byte of 0x80 and above.  The JSON scanner and
 * printer pass plain runs of text this way.
 */
#define CS_ONES		0x0101010101010101ULL
#define CS_HIGHS	0x8080808080808080ULL

static inline uint64_t
cs_load8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static inline uint64_t
cs_has_less(uint64_t w, unsigned c)
{
	return (w - CS_ONES * c) & ~w & CS_HIGHS;
}

static inline uint64_t
cs_has_byte(uint64_t w, unsigned c)
{
	return cs_has_less(w ^ (CS_ONES * c), 1);
}

static inline uint64_t
cs_has_high(uint64_t w)
{
	return w & CS_HIGHS;
}

enum charset {
	CHARSET_UTF8,
	CHARSET_GB18030
};

struct charset_text {
	char		*data;		/* UTF-8, NUL-terminated (owned) */
	size_t		 len;		/* bytes of data, without the NUL */
	enum charset	 from;		/* what the input was read as */
	int		 bom;		/* a byte order mark was dropped */
	size_t		 utf8_bad;	/* on failure: where UTF-8 stopped, */
	size_t		 gb_bad;	/* and where GB18030 did */
};

/*
 * Turn buf[0..len) into UTF-8 text without a byte order mark: valid UTF-8
 * as it is, else converted from GB18030.  Returns 0 with out filled (free
 * with charset_text_free), -1 when the bytes are neither (out->utf8_bad
 * and out->gb_bad are the offsets of the first byte each could not read;
 * out->data is NULL), -2 when memory or iconv is lacking.
 */
int	charset_decode(const char *buf, size_t len, struct charset_text *out);
void	charset_text_free(struct charset_text *);

#endif
