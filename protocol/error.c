/*
 * error.c: names and HTTP statuses of the protocol's error codes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "protocol/error.h"

static const struct {
	const char	*name;
	int		 status;
} error_table[] = {
	[ERR_NONE]		= { "ok",		200 },
	[ERR_PARSE]		= { "parse_error",	400 },
	[ERR_BAD_REQUEST]	= { "bad_request",	400 },
	[ERR_UNKNOWN_OP]	= { "unknown_op",	404 },
	[ERR_INVALID_ARGUMENT]	= { "invalid_argument",	400 },
	[ERR_UNAUTHENTICATED]	= { "unauthenticated",	401 },
	[ERR_FORBIDDEN]		= { "forbidden",	403 },
	[ERR_NOT_FOUND]		= { "not_found",	404 },
	[ERR_CONFLICT]		= { "conflict",		409 },
	[ERR_TOO_LARGE]		= { "too_large",	413 },
	[ERR_RATE_LIMITED]	= { "rate_limited",	429 },
	[ERR_INTERNAL]		= { "internal",		500 },
	[ERR_UNAVAILABLE]	= { "unavailable",	503 },
};

const char *
error_name(enum err_code code)
{
	if ((unsigned)code >= sizeof(error_table) / sizeof(error_table[0]))
		return "internal";
	return error_table[code].name;
}

int
error_http_status(enum err_code code)
{
	if ((unsigned)code >= sizeof(error_table) / sizeof(error_table[0]))
		return 500;
	return error_table[code].status;
}

/*
 * Keep only whole, valid UTF-8 sequences of s, in place.  A message built
 * with "%.40s" or cut at the buffer's end may stop inside a character;
 * the answer must stay valid UTF-8 for clients that decode strictly.
 */
static void
error_utf8_clean(char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*w = s;
	unsigned		 cp;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			*w++ = (char)*p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1, cp = *p & 0x1f;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2, cp = *p & 0x0f;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3, cp = *p & 0x07;
		else {
			p++;
			continue;
		}
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (i <= n || (n == 2 && cp < 0x800) || (n == 3 &&
		    cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 &&
		    cp <= 0xdfff)) {
			p++;
			continue;
		}
		memmove(w, p, (size_t)n + 1);
		w += n + 1;
		p += n + 1;
	}
	*w = '\0';
}

int
error_set(struct error *err, enum err_code code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->reason[0] = '\0';
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	err->reason[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	error_utf8_clean(err->field);
	error_utf8_clean(err->message);
	return -1;
}

int
error_reason(struct error *err, const char *reason)
{
	snprintf(err->reason, sizeof(err->reason), "%s", reason);
	return -1;
}

const char *
error_reason_of(const struct error *err)
{
	return err->reason[0] != '\0' ? err->reason : error_name(err->code);
}
