/*
 * demo_priv.h: what the demo seeder's files share (not for use outside
 * daemon/demo/): the plan's sizes and amounts, its state, the PRNG and small
 * helpers (demo.c), the planning (demo_plan.c, demo_plan_needs.c), the
 * sending (demo_send.c) and the story (demo_story.c).  The seeder knows
 * nothing of the daemon: it reaches it only through the state's call function.
 */
#ifndef MATCHD_DEMO_PRIV_H
#define MATCHD_DEMO_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "daemon/demo/demo.h"
#include "daemon/demo/demo_text.h"

#define DEMO_NORGS		207	/* as at the seed's three street fairs */
#define DEMO_NFILED		31	/* about 15% filed community organisations */
#define DEMO_NCOMPANIES		46	/* engineering and goods suppliers */
#define DEMO_NOFFERS		260
#define DEMO_NNEEDS		1400
#define DEMO_NEEDS_MIN		13	/* needs per community, before balancing */
#define DEMO_NEEDS_MAX		21
#define DEMO_MAXCATS		32
#define DEMO_MAX_OFFERS_PER_ORG	3

#define DEMO_YUAN		100LL			/* amounts are planned in fen */
#define DEMO_CAP		(2000000 * DEMO_YUAN)	/* the reference cap */
#define DEMO_LIMIT		(DEMO_CAP / 100 * 90)	/* ceiling for ordinary communities */
#define DEMO_PADDING		(DEMO_CAP / 100 * 97)	/* the planted padding total */
#define DEMO_BUDGET_MIN		(10000 * DEMO_YUAN)
#define DEMO_BUDGET_MAX		(400000 * DEMO_YUAN)
#define DEMO_BUDGET_STEP	(1000 * DEMO_YUAN)

#define DEMO_ALL_STREETS	0x8000u			/* streets mask: ["*"] */

#define DEMO_TITLE_MAX		200			/* characters, docs/protocol.md "Values" */
#define DEMO_DESC_MAX		200			/* characters, our own bound */

struct demo_rng {
	uint64_t	 s;
};

struct demo_comm {
	const char	*name;
	int		 street;
	char		 code[16];
	int		 padding;
	int		 nneeds;		/* planned */
	long long	 load;			/* fen counted against the cap */
	unsigned char	 per_cat[DEMO_MAXCATS];	/* needs planned per category */
	uint32_t	 used_titles[DEMO_MAXCATS]; /* title bases already posted */
};

struct demo_org {
	char		 code[24];
	char		 name[192];
	const struct demo_org_profile *prof;
	int		 registered;		/* kind registered, else filed */
	int		 street;		/* where it is based */
	unsigned	 streets;		/* service area mask */
	int		 noffers;
};

struct demo_offer {
	int		 org;
	int		 cat;
	int		 partner;		/* org index, or -1 */
	int		 capacity;
	long long	 price;			/* fen */
	unsigned	 streets;
	int		 explicit_streets;	/* send `streets` (else the org's) */
	long long	 id;			/* given by offer.post */
};

struct demo_need {
	int		 comm;
	int		 cat;
	int		 beneficiaries;
	int		 npartners;
	int		 partners[2];		/* community indices */
	long long	 budget;		/* fen */
	long long	 floor;			/* keep budget >= this (affordability) */
	int		 dropped;
	long long	 id;			/* given by need.post */
	char		 title[256];		/* as posted */
};

#define DEMO_LAGGARD		9	/* 清水河街道: no fair held yet */
#define DEMO_CONCENTRATED	2	/* 东门街道 */

struct demo_state {
	demo_call_fn	 call;
	demo_date_fn	 date;
	void		*ctx;
	FILE		*tokens;
	char		*errbuf;
	size_t		 errlen;

	struct demo_rng	 plan;			/* numbers */
	struct demo_rng	 text;			/* wording */

	struct demo_comm comms[DEMO_NCOMMUNITIES];
	struct demo_org	 orgs[DEMO_NORGS];
	struct demo_offer offers[DEMO_NOFFERS];
	size_t		 noffers;
	struct demo_need *needs;		/* owned, nneeds entries */
	size_t		 nneeds;
	int		 street_ncomms[DEMO_NSTREETS];
	int		 year;			/* this year (UTC): the story's */
	char		 organizer[DEMO_NSTREETS][24];	/* street organizers */
	char		 today[16];		/* the story's date (demo.clock) */
};

/* ---- demo.c: PRNG (splitmix64) and small helpers ----------------------- */

uint32_t	 demo_rng_below(struct demo_rng *, uint32_t);
long long	 demo_rng_range(struct demo_rng *, long long, long long);
int		 demo_rng_chance(struct demo_rng *, unsigned);
size_t		 demo_list_len(const char *const *);
const char	*demo_pick(struct demo_rng *, const char *const *);
size_t		 demo_utf8_len(const char *);
int		 demo_cat_index(const char *);
int		 demo_serves(unsigned, int);
long long	 demo_round_up(long long);
long long	 demo_round_down(long long);

/* ---- demo_plan.c, demo_plan_needs.c: every number, before any call ----- */

/* Plan communities, organisations, offers and needs from st->plan; 0 or -1
 * (the plan is inconsistent). */
int		 demo_plan(struct demo_state *);
int		 demo_plan_needs(struct demo_state *);
int		 demo_profile_has(const struct demo_org_profile *, int);

/* ---- demo_send.c: the district posted through st->call ---------------- */

/* Create the organizers, communities and organisations (writing their
 * tokens), then post the offers and needs.  0, or -1 with st->errbuf set. */
int		 demo_send(struct demo_state *);
void		 demo_set_str(cJSON *, const char *, const char *, int *);
void		 demo_set_num(cJSON *, const char *, double, int *);
int		 demo_do_as(struct demo_state *, const char *, const char *,
		    const char *, cJSON *, int, cJSON **);
int		 demo_do(struct demo_state *, const char *, cJSON *, int,
		    cJSON **);
/* The day the next operations happen on: day (0-based) of st->year. */
void		 demo_day(struct demo_state *, int);
long long	 demo_result_id(const cJSON *, const char *);

/* ---- demo_story.c: fairs held, one ready, planted risks ---------------- */

/* 0, or -1 with st->errbuf set. */
int		 demo_story(struct demo_state *);
/* Confirm match m: the community, then the organisation, accept it. */
int		 demo_confirm_pair(struct demo_state *, long long match,
		    const char *community, const char *org);

/* ---- demo_projects.c: what became of the projects ---------------------- */

/*
 * Set the story's clock `days` from now (the pseudo-op demo.clock of the
 * call function) and st->today to its date.  0 or -1.
 */
int		 demo_clock(struct demo_state *, int days);
/* The projects' story, after the spring fairs were matched and their
 * first pairs confirmed: 0 or -1 with st->errbuf set. */
int		 demo_projects(struct demo_state *);

#endif /* MATCHD_DEMO_PRIV_H */
