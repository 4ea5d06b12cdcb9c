/*
 * clock.c: today in the configured time zone.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/base/clock.h"

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

void
clock_today(char buf[11])
{
	time_t		now;
	struct tm	tm;

	if (clock_fixed[0] != '\0') {
		memcpy(buf, clock_fixed, 11);
		return;
	}
	if (clock_conf[0] != '\0') {
		memcpy(buf, clock_conf, 11);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
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
