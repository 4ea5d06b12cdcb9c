/*
 * clock.c: the daemon's clock (clock.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base/clock.h"

static long clock_off;

int
clock_init(void)
{
	const char	*v = getenv("MATCHD_CLOCK_OFFSET");
	char		*end;
	long		 l;

	if (v == NULL || *v == '\0')
		return 0;
	errno = 0;
	l = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	clock_off = l;
	return 0;
}

time_t
clock_now(void)
{
	return time(NULL) + clock_off;
}

long
clock_offset(void)
{
	return clock_off;
}

void
clock_set_offset(long seconds)
{
	clock_off = seconds;
}

void
clock_format(time_t t, char buf[CLOCK_TEXT_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, CLOCK_TEXT_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
clock_parse(const char *text, time_t *t)
{
	struct tm	 tm;
	int		 n = 0;

	memset(&tm, 0, sizeof(tm));
	if (text == NULL || sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &n) != 3)
		return -1;
	if (text[n] == 'T' && sscanf(text + n, "T%2d:%2d:%2dZ", &tm.tm_hour,
	    &tm.tm_min, &tm.tm_sec) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*t = timegm(&tm);
	return 0;
}
