/*
 * error.h: the error codes of the wire protocol (docs/protocol.md, "Error
 * codes") and the one struct that carries an error from where it is found to
 * the answer.
 */
#ifndef PROTOCOL_ERROR_H
#define PROTOCOL_ERROR_H

enum err_code {
	ERR_NONE = 0,
	ERR_PARSE,		/* parse_error */
	ERR_BAD_REQUEST,	/* bad_request */
	ERR_UNKNOWN_OP,		/* unknown_op */
	ERR_INVALID_ARGUMENT,	/* invalid_argument */
	ERR_UNAUTHENTICATED,	/* unauthenticated */
	ERR_FORBIDDEN,		/* forbidden */
	ERR_NOT_FOUND,		/* not_found */
	ERR_CONFLICT,		/* conflict */
	ERR_TOO_LARGE,		/* too_large */
	ERR_RATE_LIMITED,	/* rate_limited */
	ERR_INTERNAL,		/* internal */
	ERR_UNAVAILABLE		/* unavailable */
};

struct error {
	enum err_code	code;
	char		message[512];
	char		field[72];	/* "" when no one argument is at fault */
	/*
	 * A stable snake_case key for programs (the page maps it to Chinese);
	 * "" until error_reason names one, and then the answer carries the
	 * code's own name (error_reason_of).
	 */
	char		reason[48];
};

/* The code's wire name, e.g. "invalid_argument". */
const char	*error_name(enum err_code);

/* The HTTP status docs/protocol.md ("HTTP/1.1") gives the code (200 for
 * ERR_NONE). */
int		 error_http_status(enum err_code);

/*
 * Fill err: code, the argument at fault (NULL for none) and a printf-style
 * message; the reason is cleared.  Returns -1 so that callers can write
 * "return error_set(...)".
 */
int		 error_set(struct error *err, enum err_code code, const char *field,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Name the reason of the error err holds (after error_set, which clears
 * it): a stable snake_case key such as "budget_over_cap", at most 47
 * characters, listed in docs/protocol.md ("Reasons").  Returns -1, so that
 * a handler can end with "return error_reason(err, ...)".
 */
int		 error_reason(struct error *err, const char *reason);

/* The reason an answer carries: the one named, else the code's name. */
const char	*error_reason_of(const struct error *err);

#endif
