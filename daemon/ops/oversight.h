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
	int		 np;
	int		 partners[OV_MAX_PARTNERS];
	int		 street;		/* the poster's street, or -1 */
	char		*category;
	char		*title;
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
	cJSON		*streets;		/* parsed array */
	char		 status;
};

struct ov_match {
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
	struct intern	*comms, *streets, *orgs;
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
int	ov_load(struct op_ctx *ctx, struct ov *ov, struct error *err);
void	ov_period(const cJSON *args, struct ov_period *p);
int	ov_in_period(const struct ov_period *p, const char *date);
int	ov_need_posted(const struct ov_period *p, const struct ov_need *n);
void	ov_mark_answered(struct ov *ov, const struct ov_period *p);
int	ov_shares(const struct ov_need *n, int64_t amount,
	    int comms[1 + OV_MAX_PARTNERS], int64_t shares[1 + OV_MAX_PARTNERS]);
int64_t	ov_ppm(double t);
int	ov_ge(int64_t a, int64_t tppm, int64_t b);
int	ov_gt(int64_t a, int64_t tppm, int64_t b);
double	ov_yuan(int64_t fen);
double	ov_ratio(int64_t num, int64_t den);
int	ov_scope(struct op_ctx *ctx, const cJSON *args, const char **street,
	    struct error *err);
int	ov_answer(cJSON *res, cJSON **result, struct error *err);
int	ov_serves(const cJSON *streets, const char *s);

struct ov_orgsum {
	int		 org;
	int64_t		 matches, amount;
};

/* Each organisation's confirmed matches and amount of year in street
 * (-1: all) into sums (norg entries); returns the total amount. */
int64_t	ov_org_sums(const struct ov *ov, int year, int street,
	    struct ov_orgsum *sums);

#endif
