/*
 * match_input.h: the bridge from the store to the matcher.  It reads needs,
 * offers, caps and earlier pairs into the plain arrays of matcher.h and
 * owns every array the matcher borrows.
 */
#ifndef DAEMON_MATCH_INPUT_H
#define DAEMON_MATCH_INPUT_H

#include "daemon/base/config.h"
#include "daemon/base/intern.h"
#include "daemon/store/store.h"
#include "matcher/matcher.h"

struct match_input {
	struct matcher_input	 in;		/* points into the arrays below */
	const struct config	*conf;
	struct intern		*communities, *orgs, *streets;
	/*
	 * The matcher's "communities" are cap accounts: a community in one
	 * year ("code" US "year"), since a need counts against its
	 * communities' caps of its own year.  party: per need, its
	 * community's index in communities (the party at meetings).
	 */
	struct intern		*accounts;
	int			*party;
	struct matcher_need	*needs;
	size_t			 nneeds, capneeds;
	struct matcher_offer	*offers;
	size_t			 noffers, capoffers;
	struct matcher_community *comms;
	struct matcher_pair	*forbidden, *fixed;
	size_t			 nforbidden, nfixed, capforbidden, capfixed;
	/*
	 * What the matcher's structs point at, owned here (theirs are const):
	 * per need its partners and tokens, per offer its streets and tokens.
	 */
	struct match_owned {
		int			*ints;
		struct text_tokens	*tokens;
	}			*need_own, *offer_own;
	size_t			 capneed_own, capoffer_own;
	struct matcher_interest	*interests;	/* resolved, sorted */
	size_t			 ninterests;
};

/* Start an empty input with the configured weights.  0 or -1 (err set). */
int	match_input_init(struct match_input *, const struct config *,
	    struct error *err);
void	match_input_free(struct match_input *);

/* Store row callbacks: add one need / offer (eligible when open). */
int	match_input_add_need(void *mi, const struct store_need_row *,
	    struct error *err);
int	match_input_add_offer(void *mi, const struct store_offer_row *,
	    struct error *err);

/*
 * Read the fair's declined pairs (forbidden) and confirmed pairs of its
 * latest run (fixed; their offers get the capacity back that they use).
 */
int	match_input_pairs(struct match_input *, struct store *, int64_t fair,
	    struct error *err);

/*
 * Read the cap of every community in the year of each need it pays for,
 * and what its confirmed matches on needs of that year (in fairs other
 * than except) already use.  Call after adding needs.
 */
int	match_input_caps(struct match_input *, struct store *, int64_t except,
	    struct error *err);

/*
 * Read the fair's interests (match_interests.c) and resolve them into one
 * level a pair, sorted: a pair-level interest overrides its party-level
 * one on each side, the sides' levels add up, and `no` stands alone.
 * Call after adding needs and offers.
 */
int	match_input_interests(struct match_input *, struct store *,
	    int64_t fair, struct error *err);
/* The level bits of pair (need, offer) indexes: 0 when none. */
int	match_input_level(const struct match_input *, int need, int offer);

/* A fair's rules: rule "sub" or "family", min_score in points. */
void	match_input_rules(struct match_input *, const char *rule,
	    double min_score);

/*
 * The whole input of fair.match and fair.schedule for fair `fair` with
 * rules rule and min_score: init, its enrolled needs and offers, its
 * pairs, interests and caps, and the rules.  0 or -1 (err set; free mi
 * either way).
 */
int	match_input_fair(struct match_input *, const struct config *,
	    struct store *, int64_t fair, const char *rule, double min_score,
	    struct error *err);

/* The code of need i's community; of cap account a (a capped one). */
const char *match_input_community(const struct match_input *, int need);
const char *match_input_account(const struct match_input *, int account);

/* Indexes by id (needs and offers are added in ascending id): -1 if absent. */
int	match_input_need(const struct match_input *, int64_t id);
int	match_input_offer(const struct match_input *, int64_t id);

#endif
