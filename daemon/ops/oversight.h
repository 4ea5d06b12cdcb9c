/*
 * oversight.h: the district as the oversight ops see it (oversight.c
 * loads it; ops_stats.c and ops_risk.c compute from it).  docs/oversight.md
 * is the prose of these definitions.  Not for use outside these files.
 */
#ifndef DAEMON_OVERSIGHT_H
#define DAEMON_OVERSIGHT_H

#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "daemon/base/intern.h"
#include "daemon/ops/ops.h"

#define OV_MAX_PARTNERS	16
#define OV_PPM		1000000LL

struct ov_comm {
	int		 street;		/* index in ov.streets */
	int64_t		 cap;			/* fen */
	char		*name;
};

/* A need, lean: a city holds a million of them (ov_load's flags say
 * what is read). */
struct ov_need {
	int64_t		 id;
	int		 comm;			/* index in ov.comms */
	int		 np;			/* partners: ov.pool[poff ..] */
	int		 poff;
	int		 street;		/* the poster's street, or -1 */
	int		 cat;			/* index in ov.cats */
	char		*title;			/* NULL unless OV_TITLES */
	const uint64_t	*tok;			/* the cache's tokens of it */
	int		 ntok;			/* -1: none, tokenize it */
	char		 status;		/* 'o'pen, 'm'atched, 'w'ithdrawn */
	char		 created[11];		/* YYYY-MM-DD */
	char		 wfrom[11];		/* "" when no window */
	int		 year;
	int64_t		 budget;		/* fen */
	int		 answered;		/* confirmed in the period */
};

struct ov_offer {
	int64_t		 id;
	int		 org;			/* index in ov.orgs */
	char		*category;
	int64_t		 price;			/* fen */
	int		 all;			/* serves "*" */
	int		 soff, ns;		/* streets: ov.spool[soff ..],
						   indexes in ov.ostreets */
	char		 status;
};

struct ov_match {
	int64_t		 need_id;
	int		 need;			/* index in ov.needs */
	int		 org;
	int64_t		 amount;		/* fen */
	char		 date[11];		/* the fair's */
	int		 year;			/* the date's */
};

struct ov_fair {
	int		 street;		/* -1: a district fair */
	char		 date[11];
	int		 runs;
};

/* A project (oversight_projects.c), now and as at a time (ov_at). */
struct ov_project {
	int64_t		 id;
	int		 org;			/* index in ov.orgs, or -1 */
	int		 street;		/* index in ov.streets, or -1 */
	int		 comm;			/* index in ov.comms, or -1 */
	int		 stage;			/* programme.h, now */
	int		 year;			/* the need's */
	int64_t		 amount, paid;		/* fen */
	time_t		 created, since;
	int64_t		 served;		/* beneficiaries_served */
	char		*title;
	int		 at_stage;		/* as at ov_at's time; -1: none */
	time_t		 at_since;
};

/* A failed acceptance: by whom, when, of which project's street. */
struct ov_failed {
	int		 org;
	int		 year;
	int		 street;
	int64_t		 project;
};

struct need_cache;

struct ov {
	struct need_cache *ncache;		/* held until ov_free, or NULL */
	int		 titles_borrowed;	/* the cache's */
	int		 needs_borrowed;	/* the cache's scratch */
	struct intern	*comms, *streets, *orgs, *cats;
	struct intern	*ostreets;		/* the streets offers name */
	int		*pool;			/* needs' partners */
	size_t		 npool, apool;
	int		*spool;			/* offers' streets */
	size_t		 nspool, aspool;
	int64_t		*pneed;			/* needs of projects dated
						   in the year, ascending */
	size_t		 npneed, apneed;
	int64_t		*mneed;			/* needs of the matches,
						   ascending (OV_NO_NEEDS) */
	size_t		 nmneed;
	struct ov_comm	*comm;
	char		**org_name;
	struct ov_need	*needs;
	struct ov_offer	*offers;
	struct ov_match	*matches;
	struct ov_fair	*fairs;
	struct ov_project *projects;
	struct ov_failed *failed;
	size_t		 ncomm, norg, nneeds, noffers, nmatches, nfairs;
	size_t		 acomm, aorg, aneeds, aoffers, amatches, afairs;
	size_t		 nprojects, aprojects, nfailed, afailed;
};

struct ov_period {
	int	year;
	int	month;
	char	end[11];	/* last date of the period, "YYYY-MM-31" */
	time_t	as_of;		/* its last second, or now when earlier */
	int	now;		/* as_of is now: the projects as they are */
};

/* Load the district (ov_load) and release it (ov_free); the definitions
 * the ops share are commented where oversight.c defines them. */
void	ov_free(struct ov *ov);
/*
 * What ov_load reads of the needs: those of year (0: every year) and those
 * of its projects (docs/oversight.md); with OV_TITLES their titles too
 * (risk.flags, report.monthly), with OV_NO_NEEDS only those of a confirmed
 * match (stats.orgs).  On a reader thread (ctx->ncache) the needs come
 * from the cache of needs, taken first: everything else is read in the
 * snapshot it takes (domain/need_cache.h), and ov holds the cache until
 * ov_free.
 */
#define OV_TITLES	0x1
#define OV_NO_NEEDS	0x2
int	ov_load(struct op_ctx *ctx, struct ov *ov, int year, int flags,
	    struct error *err);
/* A confirmed match of need id; its need is found (ov.needs index) once
 * the needs are read: ov_load does, dropping a match whose need was not
 * read or has no known community. */
int	ov_match_add(struct ov *ov, int64_t need, const char *org,
	    int64_t amount, const char *date, struct error *err);
/*
 * ov's needs from the cache's view (oversight_cache.c), for ov_load on a
 * reader thread, as flags and year say (ov_load).  0, or -1 with err set.
 */
struct need_cache_view;
int	ov_needs_cached(const struct need_cache_view *, struct ov *ov,
	    int year, int flags, struct error *err);
/* Whether ov_load keeps a need of nyear and id (the projects and matches
 * read). */
int	ov_need_wanted(const struct ov *ov, int year, int flags, int nyear,
	    int64_t id);
/* Community k (0: the poster, 1..np the partners) of need n. */
int	ov_need_comm(const struct ov *ov, const struct ov_need *n, int k);
void	ov_period(const cJSON *args, struct ov_period *p);
int	ov_in_period(const struct ov_period *p, const char *date);
int	ov_need_posted(const struct ov_period *p, const struct ov_need *n);
void	ov_mark_answered(struct ov *ov, const struct ov_period *p);
int	ov_shares(const struct ov *ov, const struct ov_need *n, int64_t amount,
	    int comms[1 + OV_MAX_PARTNERS], int64_t shares[1 + OV_MAX_PARTNERS]);
int64_t	ov_ppm(double t);
int	ov_ge(int64_t a, int64_t tppm, int64_t b);
int	ov_gt(int64_t a, int64_t tppm, int64_t b);
double	ov_yuan(int64_t fen);
double	ov_ratio(int64_t num, int64_t den);
int	ov_scope(struct op_ctx *ctx, const cJSON *args, const char **street,
	    struct error *err);
int	ov_answer(cJSON *res, cJSON **result, struct error *err);
/* Whether offer o serves street s (an index in ov.ostreets; -1: none). */
int	ov_serves(const struct ov *ov, const struct ov_offer *o, int s);

/* Grow *arr for one more element (n used of *alloc): 0 or -1. */
int	ov_grow(void **arr, size_t *alloc, size_t n, size_t size);
#define OV_PUSH(ov, arr, n, a) \
	(ov_grow((void **)&(ov)->arr, &(ov)->a, (ov)->n, \
	    sizeof(*(ov)->arr)) == -1 ? NULL : &(ov)->arr[(ov)->n++])

/* Projects (oversight_projects.c): read them (those holding their amount
 * are the confirmed matches too) and the failed acceptances, of year
 * (text, or NULL for all), into ov (ov_load does), free them, and set each
 * one's stage and since as at p->as_of, from the histories when past. */
int	ov_load_projects(struct op_ctx *, struct ov *, const char *year,
	    struct error *);
void	ov_free_projects(struct ov *);
int	ov_at(struct op_ctx *, struct ov *, const struct ov_period *,
	    struct error *);
/* Whether project pr is overdue as at p->as_of. */
int	ov_project_overdue(const struct config *, const struct ov_project *,
	    const struct ov_period *);

/* stats.streets' items for the period into items (ops_stats.c), street
 * `only` or all; ov_at and ov_mark_answered must have run. */
int	ov_streets(struct op_ctx *, struct ov *, const struct ov_period *,
	    const char *only, cJSON *items);

/* risk.flags (ops_risk.c, ops_risk_projects.c). */
struct ov_flags {
	struct op_ctx		*ctx;
	struct ov		*ov;
	int			 street;	/* -1: every street */
	const char		*street_name;
	int			 year;		/* 0: every year */
	cJSON			*items;
};

/* A flag lists at most this many ids of its needs (the first ones). */
#define OV_FIRST_IDS	20

/* A new flag of kind in fl->items (NULL when out of memory); ov_key sets
 * its stable key (printf). */
cJSON	*ov_flag(struct ov_flags *, const char *kind);
void	 ov_key(cJSON *flag, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Every flag of fl's scope into fl->items, then (resolved 0) only the
 * open ones, or (resolved 1) only the resolved ones with their
 * resolution.  0 or -1 (out of memory, or err set). */
int	ov_flags_all(struct ov_flags *, int resolved, struct error *);
/* The duplicate_need flags (ops_risk_dup.c): 0, or -1 out of memory. */
int	ov_duplicates(struct ov_flags *);
/* The flags of the project lifecycle (ops_risk_projects.c). */
int	ov_split(struct ov_flags *);
int	ov_stalled(struct ov_flags *);
int	ov_settled_over(struct ov_flags *);
int	ov_failed_acceptance(struct ov_flags *);

struct ov_orgsum {
	int		 org;
	int64_t		 matches, amount;
};

/* Each organisation's confirmed matches and amount of year in street
 * (-1: all) into sums (norg entries); returns the total amount. */
int64_t	ov_org_sums(const struct ov *ov, int year, int street,
	    struct ov_orgsum *sums);

#endif
