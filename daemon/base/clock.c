/*
 * clock.c: the daemon's clock (the system's UTC time plus an offset that
 * tests move) and its calendar (today in the configured time zone, or a
 * pretended date).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

long
clock_days(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n digits of s as a number, or -1. */
static long
clock_digits(const char *s, int n)
{
	long v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/*
 * The fixed forms only, by position: the oversight reads parse a few
 * hundred thousand of them per call, and sscanf with timegm took a fifth
 * of a report's time.
 */
int
clock_parse(const char *text, time_t *t)
{
	long y, mo, d, h = 0, mi = 0, se = 0;

	if (text == NULL || strlen(text) < 10 || text[4] != '-' ||
	    text[7] != '-')
		return -1;
	y = clock_digits(text, 4);
	mo = clock_digits(text + 5, 2);
	d = clock_digits(text + 8, 2);
	if (text[10] == 'T') {
		if (strlen(text) < 20 || text[13] != ':' || text[16] != ':' ||
		    text[19] != 'Z')
			return -1;
		h = clock_digits(text + 11, 2);
		mi = clock_digits(text + 14, 2);
		se = clock_digits(text + 17, 2);
	} else if (text[10] != '\0')
		return -1;
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
		return -1;
	*t = (time_t)clock_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* ---- the calendar -------------------------------------------------- */

static char clock_fixed[11];	/* "" unless clock_pretend set a date */
static char clock_conf[11];	/* "" unless time.today set one */

int
clock_zone_ok(const char *zone)
{
	const char	*dir = getenv("TZDIR");
	char		 path[512];
	struct stat	 st;

	if (strcmp(zone, "UTC") == 0)
		return 0;
	/* A name of the tz database: no absolute path, no way up. */
	if (zone[0] == '\0' || zone[0] == '/' || zone[0] == ':' ||
	    strstr(zone, "..") != NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir :
	    "/usr/share/zoneinfo", zone);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -1;
}

void
clock_set_zone(const char *zone)
{
	char tz[200];

	snprintf(tz, sizeof(tz), "%s", strcmp(zone, "UTC") == 0 ? "UTC0" :
	    zone);
	setenv("TZ", tz, 1);
	tzset();
}

/*
 * Today in the daemon's zone.  The same second gives the same day, kept
 * per thread: localtime_r and strftime cost 1.4 % of a post (its year).
 * A change of zone (clock_set_zone) shows within the second.
 */
void
clock_today(char buf[11])
{
	static _Thread_local time_t	 at = (time_t)-1;
	static _Thread_local char	 day[11];
	time_t				 now;
	struct tm			 tm;

	if (clock_fixed[0] != '\0') {
		memcpy(buf, clock_fixed, 11);
		return;
	}
	if (clock_conf[0] != '\0') {
		memcpy(buf, clock_conf, 11);
		return;
	}
	now = clock_now();
	if (now != at) {
		localtime_r(&now, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		at = now;
	}
	memcpy(buf, day, 11);
}

int
clock_year(void)
{
	char today[11];

	clock_today(today);
	return atoi(today);
}

void
clock_set_today(const char *date)
{
	snprintf(clock_conf, sizeof(clock_conf), "%s", date ? date : "");
}

void
clock_pretend(const char *date)
{
	if (date == NULL)
		clock_fixed[0] = '\0';
	else
		snprintf(clock_fixed, sizeof(clock_fixed), "%s", date);
}

int
clock_pretended(char buf[11])
{
	if (clock_fixed[0] == '\0')
		return 0;
	memcpy(buf, clock_fixed, 11);
	return 1;
}
