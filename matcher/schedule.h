/*
 * schedule.h: putting a fair's meetings into tables x slots (docs/design.md,
 * "Meetings").  Pure: no I/O.
 */
#ifndef MATCHER_SCHEDULE_H
#define MATCHER_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

/* One meeting: a community and an org at one table for one slot. */
struct schedule_meeting {
	int	community;	/* index, >= 0 */
	int	org;		/* index, >= 0 */
	int32_t	score;		/* the pair's score; higher is kept first */
	int	matched;	/* the pair was matched (kept over others) */
	int	must;		/* a side said `must`: kept over other */
				/* non-matched meetings */
	/*
	 * Optional hint: where the meeting was in an earlier schedule
	 * (1-based), or 0.  Honoured where it costs nothing.
	 */
	int	prev_table;
	int	prev_slot;
};

/* Where a meeting goes: both 0 when it is unscheduled. */
struct schedule_place {
	int	table;		/* 1 .. tables */
	int	slot;		/* 1 .. nslots */
};

struct schedule_result {
	struct schedule_place	*place;		/* per meeting, input order */
	size_t			 n;
	int			 nslots;	/* L, the slots used */
	size_t			*unscheduled;	/* meeting indexes, in the */
	size_t			 nunscheduled;	/* order they were left out */
};

/* Options of fair.schedule (docs/protocol.md, "fair.interest", "fair.schedule"); all 0 is the default. */
struct schedule_options {
	/*
	 * Each org keeps one table all the fair: the orgs that have a
	 * meeting in m get tables 1..k in ascending org index (the caller
	 * numbers orgs in code order); needs tables >= k.
	 */
	int	booths;
	int	max_per_org;		/* meetings per org; 0: no limit */
	int	max_per_community;	/* meetings per community; 0: none */
};

/* schedule_build_with: too few tables for one booth per org. */
#define SCHEDULE_TOO_FEW_TABLES	(-2)

/*
 * Schedule meetings m[0..n) at `tables` tables in at most `slots` slots.
 * No community and no org is in two meetings of one slot and no slot holds
 * more than `tables` meetings.  Exactly L = max(D, ceil(E / tables)) slots
 * are used, each holding floor(E / L) or ceil(E / L) meetings, where D is
 * the most meetings of one party and E the meetings scheduled (bipartite
 * edge colouring by alternating paths, then equitable balancing by
 * swapping colours on alternating paths).
 * If L would exceed `slots`, meetings are left out, lowest score first
 * (ties: higher index first): while D > slots, non-matched meetings of a
 * party with more than `slots` meetings; while ceil(E / tables) > slots,
 * any non-matched meeting; matched meetings only where those alone do not
 * fit.  Previous places are kept where the colouring allows: colour
 * classes are named after the slot most of their meetings had, and a
 * meeting keeps its table when free.  Deterministic.
 * On success *out owns its arrays (free with schedule_result_free) and 0 is
 * returned; -1 on bad input (tables < 1, slots < 0, a negative index) or
 * out of memory.
 */
int	 schedule_build(const struct schedule_meeting *m, size_t n, int tables,
	    int slots, struct schedule_result *out);

/*
 * schedule_build with options (opt NULL or all 0: the same).  Limits
 * count as slots do: a party over its limit leaves meetings out, and
 * meetings are left out in three kinds, all of one before any of the
 * next: other non-matched meetings, `must` ones, matched ones (within a
 * kind lowest score first, then the later meeting first).  With booths
 * every meeting of an org is at the org's table, no slot is bound by the
 * table count, and exactly L = D slots are used (a proper edge colouring;
 * the previous tables are not kept).  Returns 0, -1 on bad input (also a
 * negative limit) or out of memory, SCHEDULE_TOO_FEW_TABLES with booths
 * when tables < the orgs with meetings in m (nothing is scheduled).
 */
int	 schedule_build_with(const struct schedule_meeting *m, size_t n,
	    int tables, int slots, const struct schedule_options *opt,
	    struct schedule_result *out);
void	 schedule_result_free(struct schedule_result *r);

#endif
