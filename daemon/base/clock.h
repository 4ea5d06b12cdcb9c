/*
 * clock.h: the daemon's clock.  Every date and time the daemon stamps or
 * compares (created and updated times, a project's stage times and notice
 * end, this year, deadlines) is read here: the system's UTC time plus an
 * offset, 0 in service.  Tests move it with the environment variable
 * MATCHD_CLOCK_OFFSET (seconds, read at start; docs/man/matchd.8), so that
 * a restart "days later" is a restart with a larger offset; the demo seeder
 * moves it while it tells its story (demo_run.c).
 *
 * The calendar: "today", "this year", a need's default year and the check
 * that a fair is not in the past are dates in the configured time zone
 * (time.zone, default Asia/Shanghai) of that clock, or of a pretended date;
 * the times the store stamps stay UTC (store_now).
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

/*
 * Whether zone names a time zone this machine knows (a file of the tz
 * database, or "UTC").  0 when it does, -1 when not.
 */
int	clock_zone_ok(const char *zone);

/*
 * Use zone for every later date.  Call at start, before any other thread
 * runs (it sets TZ): time.zone is read once.
 */
void	clock_set_zone(const char *zone);

/*
 * Pretend that today is date (YYYY-MM-DD; "" or NULL: the clock), from
 * time.today: tests and rehearsals replay a calendar.  Stamps stay real.
 */
void	clock_set_today(const char *date);

/* Today as YYYY-MM-DD into buf (11 bytes). */
void	clock_today(char buf[11]);

/* This year: the year of today. */
int	clock_year(void);

/*
 * Pretend that today is date (YYYY-MM-DD), stamps included, until called
 * with NULL: the demo seeds a district's year as it happened, from its
 * first day.
 */
void	clock_pretend(const char *date);

/* The date pretended into buf and 1, or 0 when the clock runs: the store
 * stamps what happens on a pretended day at 02:00 UTC (10:00 in China). */
int	clock_pretended(char buf[11]);

#endif
