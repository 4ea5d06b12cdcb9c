/*
 * trim.h: which meetings a schedule leaves out (internal to schedule.c).
 */
#ifndef MATCHER_TRIM_H
#define MATCHER_TRIM_H

#include <stddef.h>

#include "matcher/schedule.h"

/*
 * Leave meetings out until the rest fits (docs/design.md, "Meetings";
 * docs/protocol.md, "fair.interest", "fair.schedule"): while a party has more meetings than its limit (slots, or the
 * option's max per party when smaller), then, without booths, while
 * ceil(E / tables) > slots.  Meetings go in three kinds, all of the first
 * before any of the next: other non-matched meetings, `must` ones, matched
 * ones; within a kind lowest score first, then the later meeting first.
 * active[i] is set for the meetings kept; the left-out indexes go to
 * rem[0 .. *nrem), in the order they were left out.  Returns 0 or -1 when
 * out of memory.
 */
int	 trim_meetings(const struct schedule_meeting *m, size_t n, int tables,
	    int slots, const struct schedule_options *opt,
	    unsigned char *active, size_t *rem, size_t *nrem);

#endif
