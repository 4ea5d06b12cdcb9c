/*
 * clock.h: the daemon's clock.  Every date and time the daemon stamps or
 * compares (created and updated times, a project's stage times and notice
 * end, this year, deadlines) is read here: the system's UTC time plus an
 * offset, 0 in service.  Tests move it with the environment variable
 * MATCHD_CLOCK_OFFSET (seconds, read at start; docs/man/matchd.8), so that
 * a restart "days later" is a restart with a larger offset; the demo seeder
 * moves it while it tells its story (demo_run.c).
 */
#ifndef DAEMON_CLOCK_H
#define DAEMON_CLOCK_H

#include <time.h>

#define CLOCK_TEXT_LEN	21	/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/* Read MATCHD_CLOCK_OFFSET: 0, or -1 when it is set but not a number. */
int	clock_init(void);
time_t	clock_now(void);
/* The offset in seconds, and a new one (the demo's story). */
long	clock_offset(void);
void	clock_set_offset(long seconds);

/* t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf. */
void	clock_format(time_t t, char buf[CLOCK_TEXT_LEN]);
/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): timegm without the time zone machinery. */
long	clock_days(long y, long m, long d);
/* Parse that form (a date "YYYY-MM-DD" reads as its midnight): 0 or -1. */
int	clock_parse(const char *text, time_t *t);

#endif
