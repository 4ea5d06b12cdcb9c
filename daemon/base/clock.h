/*
 * clock.h: the daemon's calendar.  "Today", "this year", a need's default
 * year and the check that a fair is not in the past are dates in the
 * configured time zone (time.zone, default Asia/Shanghai); the times the
 * store stamps stay UTC (store_now).
 */
#ifndef DAEMON_CLOCK_H
#define DAEMON_CLOCK_H

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
