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

int
error_set(struct error *err, enum err_code code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}
