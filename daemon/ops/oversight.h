/*
 * oversight.h: the district as the oversight ops see it (oversight.c
 * loads it; ops_stats.c and ops_risk.c compute from it).  docs/oversight.md
 * is the prose of these definitions.  Not for use outside these files.
 */
#ifndef DAEMON_OVERSIGHT_H
#define DAEMON_OVERSIGHT_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "daemon/base/intern.h"
#include "daemon/ops/ops.h"

#define OV_MAX_PARTNERS	16
#define OV_PPM		1000000LL

struct ov_comm {
	int		 street;		/* index in ov.streets */
	int64_t		 cap;			/* fen */
};

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
};

struct ov_fair {
	int		 street;		/* -1: a district fair */
	char		 date[11];
	int		 runs;
};

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
	struct ov_comm	*comm;
	char		**org_name;
	struct ov_need	*needs;
	struct ov_offer	*offers;
	struct ov_match	*matches;
	struct ov_fair	*fairs;
	size_t		 ncomm, norg, nneeds, noffers, nmatches, nfairs;
	size_t		 acomm, aorg, aneeds, aoffers, amatches, afairs;
};

struct ov_period {
	int	year;
	int	month;
	char	end[11];	/* last date of the period, "YYYY-MM-31" */
};

/* Load the district (ov_load) and release it (ov_free); the definitions
 * the ops share are commented where oversight.c defines them. */
void	ov_free(struct ov *ov);
/*
 * What ov_load reads of the needs: those of year (0: every year), and in
 * any case those in a confirmed match; with OV_TITLES their titles too
 * (risk.flags), with OV_NO_NEEDS none but the matched ones (stats.orgs).
 */
#define OV_TITLES	0x1
#define OV_NO_NEEDS	0x2
int	ov_load(struct op_ctx *ctx, struct ov *ov, int year, int flags,
	    struct error *err);
/* Make room for one more element in *arr (n used of *alloc); OV_PUSH
 * takes the next element of an ov array, or NULL out of memory. */
int	ov_grow(void **arr, size_t *alloc, size_t n, size_t size);
#define OV_PUSH(ov, arr, n, a) \
	(ov_grow((void **)&(ov)->arr, &(ov)->a, (ov)->n, \
	    sizeof(*(ov)->arr)) == -1 ? NULL : &(ov)->arr[(ov)->n++])

/*
 * ov's needs from the cache's view (oversight_cache.c), for ov_load on a
 * reader thread: those of year (every one with 0, none with OV_NO_NEEDS)
 * and those of ov's confirmed matches.  0, or -1 with err set.
 */
struct need_cache_view;
int	ov_needs_cached(const struct need_cache_view *, struct ov *ov,
	    int year, int flags, struct error *err);
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

/* risk.flags (ops_risk.c, ops_risk_dup.c): the call's scope and answer. */
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

/* A new item of kind in fl's answer; NULL when out of memory. */
cJSON	*ov_flag(struct ov_flags *fl, const char *kind);
/* The duplicate_need flags (ops_risk_dup.c): 0, or -1 out of memory. */
int	ov_duplicates(struct ov_flags *fl);

struct ov_orgsum {
	int		 org;
	int64_t		 matches, amount;
};

/* Each organisation's confirmed matches and amount of year in street
 * (-1: all) into sums (norg entries); returns the total amount. */
int64_t	ov_org_sums(const struct ov *ov, int year, int street,
	    struct ov_orgsum *sums);

#endif
