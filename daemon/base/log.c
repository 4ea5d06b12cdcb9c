/*
 * log.c: timestamped lines on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/base/log.h"

/*
 * Atomic: reader threads log while SIGHUP sets the level and format on the
 * loop thread (a plain load or store on x86; no lock).
 */
static _Atomic enum log_level	log_level = LOG_LEVEL_INFO;
static _Atomic enum log_format	log_format = LOG_FORMAT_TEXT;
static _Atomic int		log_journal = -1;	/* stderr is journald's */

static const char *const log_names[] = { "warn", "info", "debug" };

/* A line is built whole, then written with one call: lines of several
 * threads never mix. */
#define LOG_LINE_MAX	4096

struct log_line {
	char	buf[LOG_LINE_MAX];
	size_t	len;
};

void
log_set_level(enum log_level level)
{
	log_level = level;
}

int
log_parse_level(const char *s, enum log_level *out)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

const char *
log_level_name(enum log_level level)
{
	return log_names[level];
}

void
log_set_format(enum log_format format)
{
	log_format = format;
}

int
log_parse_format(const char *s, enum log_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = LOG_FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = LOG_FORMAT_JSON;
	else
		return -1;
	return 0;
}

static void
log_add(struct log_line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append to l, cutting what does not fit. */
static void
log_add(struct log_line *l, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof(l->buf) - l->len ? (size_t)n :
		    sizeof(l->buf) - l->len - 1;
}

/* Append s as the body of a JSON string (without quotes). */
static void
log_add_json(struct log_line *l, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			log_add(l, "\\%c", *p);
		else if (*p < 0x20)
			log_add(l, "\\u%04x", *p);
		else if (l->len < sizeof(l->buf) - 1)
			l->buf[l->len++] = (char)*p;
	}
	l->buf[l->len] = '\0';
}

/* Append s with control characters as '?': a text line stays one line. */
static void
log_add_text(struct log_line *l, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0' &&
	    l->len < sizeof(l->buf) - 1; p++)
		l->buf[l->len++] = *p < 0x20 || *p == 0x7f ? '?' : (char)*p;
	l->buf[l->len] = '\0';
}

/* Start a line: the journald priority, then the time and level. */
static void
log_begin(struct log_line *l, const char *tag)
{
	static const struct { const char *tag; int prio; } prios[] = {
		{ "fatal", 2 }, { "warn", 4 }, { "info", 6 }, { "debug", 7 } };
	char		stamp[32];
	time_t		now = time(NULL);
	struct tm	tm;
	size_t		i;

	l->len = 0;
	l->buf[0] = '\0';
	if (log_journal == -1)
		log_journal = getenv("JOURNAL_STREAM") != NULL;
	if (log_journal)
		for (i = 0; i < sizeof(prios) / sizeof(prios[0]); i++)
			if (strcmp(prios[i].tag, tag) == 0)
				log_add(l, "<%d>", prios[i].prio);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (log_format == LOG_FORMAT_JSON)
		log_add(l, "{\"time\":\"%s\",\"level\":\"%s\"", stamp, tag);
	else
		log_add(l, "%s matchd %s: ", stamp, tag);
}

static void
log_end(struct log_line *l)
{
	if (log_format == LOG_FORMAT_JSON)
		log_add(l, "}");
	if (l->len >= sizeof(l->buf) - 1)
		l->len = sizeof(l->buf) - 2;
	l->buf[l->len++] = '\n';
	fwrite(l->buf, 1, l->len, stderr);
}

static void
log_vwrite(const char *tag, const char *fmt, va_list ap, int errnum)
{
	struct log_line	l;
	char		msg[LOG_LINE_MAX];
	int		n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s",
		    strerror(errnum));
	log_begin(&l, tag);
	if (log_format == LOG_FORMAT_JSON) {
		log_add(&l, ",\"msg\":\"");
		log_add_json(&l, msg);
		log_add(&l, "\"");
	} else
		log_add(&l, "%s", msg);
	log_end(&l);
}

void
log_request(const char *op, const char *role, const char *code,
    const char *outcome, double ms)
{
	struct log_line l;

	if (log_level < LOG_LEVEL_INFO)
		return;
	log_begin(&l, "info");
	if (log_format == LOG_FORMAT_JSON) {
		log_add(&l, ",\"op\":\"");
		log_add_json(&l, op);
		log_add(&l, "\",\"role\":\"%s\",\"code\":\"",
		    role ? role : "");
		log_add_json(&l, code ? code : "");
		log_add(&l, "\",\"outcome\":\"%s\",\"ms\":%.3f", outcome, ms);
	} else {
		log_add(&l, "request ");
		log_add_text(&l, op);
		log_add(&l, " by %s ", role ? role : "-");
		log_add_text(&l, code ? code : "-");
		log_add(&l, ": %s in %.3f ms", outcome, ms);
	}
	log_end(&l);
}

#define LOG_BODY(tag, errnum) do {		\
	va_list ap;				\
	va_start(ap, fmt);			\
	log_vwrite(tag, fmt, ap, errnum);	\
	va_end(ap);				\
} while (0)

void
log_warn(const char *fmt, ...)
{
	int saved = errno;

	LOG_BODY("warn", saved);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY("warn", 0);
}

void
log_info(const char *fmt, ...)
{
	if (log_level >= LOG_LEVEL_INFO)
		LOG_BODY("info", 0);
}

void
log_debug(const char *fmt, ...)
{
	if (log_level >= LOG_LEVEL_DEBUG)
		LOG_BODY("debug", 0);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;

	LOG_BODY("fatal", saved);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY("fatal", 0);
	exit(1);
}
