/*
 * suggest_index.h: every open offer in memory, tokenized and grouped by
 * category family, so that match.suggest for a need scores only the
 * offers that can serve it instead of reading the whole table each time.
 *
 * The store tells the index of every offer it writes (store_offer_hook);
 * touched offers are read again before the next suggestion, and a batch
 * that fails to commit invalidates the whole index (it is rebuilt on the
 * next use), so the index never serves a write that was rolled back.
 */
#ifndef DAEMON_SUGGEST_INDEX_H
#define DAEMON_SUGGEST_INDEX_H

#include <stdint.h>

#include "daemon/base/config.h"
#include "daemon/store/store.h"
#include "matcher/score.h"

struct suggest_index;

/* One suggestion for a need. */
struct suggestion {
	int64_t			 offer;
	const char		*org;		/* owned by the index */
	int64_t			 price;		/* fen */
	struct score_parts	 score;
};

/* The need a suggestion is for, with what its communities have left. */
struct suggest_need {
	const char	*street;
	const char	*category;
	int64_t		 budget;		/* fen */
	const char	*title, *description;
	int		 ncommunities;		/* the need's, then partners */
	int64_t		 left[1 + 16];		/* fen of cap left each */
};

struct suggest_index	*suggest_index_new(void);
void			 suggest_index_free(struct suggest_index *);

/* The store hook: remember that offer changed. */
void	suggest_index_touch(void *index, int64_t offer, int inserted);
/* Forget everything: the next use rebuilds from the store. */
void	suggest_index_invalidate(struct suggest_index *);

/*
 * Read every open offer now (at start: the first suggestion would wait
 * for it otherwise).  0, or -1 with err set.
 */
int	suggest_index_build(struct suggest_index *, struct store *,
	    const struct config *, struct error *err);

/*
 * Reading the index again whole, off the loop (core/jobs.c), when a burst
 * of offer writes or a failed commit has left it to be read whole on its
 * next use (a second at 100,000 offers, on the loop), or more offers were
 * touched than the loop should read again one by one
 * (suggest_index_stale):
 *
 *   suggest_index_rebuild_begin(x)	loop: from now on x remembers every
 *					offer touched
 *   suggest_index_build(fresh, ...)	a reader thread: a new index over
 *					a snapshot taken after that
 *   suggest_index_adopt(x, fresh)	loop: x takes fresh's tables (fresh
 *					NULL when the build failed), and
 *					the offers touched since begin are
 *					read again at the next suggestion,
 *					one row each; 0.  fresh, which then
 *					holds x's old tables, is the
 *					caller's to free (off the loop: a
 *					city's offers take milliseconds)
 *
 * If the build failed, or more offers were touched meanwhile than a
 * refresh is worth, x keeps what it had (and is read whole on its next use
 * if it must be): -1, and fresh is the caller's to free as it is.
 */
int	suggest_index_stale(const struct suggest_index *);
void	suggest_index_rebuild_begin(struct suggest_index *);
int	suggest_index_adopt(struct suggest_index *,
	    struct suggest_index *fresh);

/*
 * The best offers for need under the hard filters of docs/design.md, "Matching"
 * (open, same family, price <= budget, serves the street, the need's shares
 * fit its communities' caps), best first: higher score, lower price, lower
 * offer id.  Up to limit into out (limit entries).  Refreshes the index
 * from the store first.  Returns how many, or -1 with err set.
 */
int	suggest_index_for_need(struct suggest_index *, struct store *,
	    const struct config *, const struct suggest_need *need, int limit,
	    struct suggestion *out, struct error *err);

#endif
