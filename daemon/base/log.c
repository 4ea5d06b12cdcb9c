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

static enum log_level log_level = LOG_LEVEL_INFO;

static const char *const log_names[] = { "warn", "info", "debug" };

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

static void
log_vwrite(const char *tag, const char *fmt, va_list ap, int errnum)
{
	char		stamp[32];
	time_t		now = time(NULL);
	struct tm	tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s matchd %s: ", stamp, tag);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
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
