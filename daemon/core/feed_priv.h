/*
 * feed_priv.h: what feed.c (subscriptions, publishing) and feed_read.c
 * (pages, the tick, metrics) share.  Not for use outside them.
 */
#ifndef DAEMON_FEED_PRIV_H
#define DAEMON_FEED_PRIV_H

#include <sys/queue.h>

#include "daemon/core/feed.h"
#include "daemon/hooks/hooks.h"

/* Events read and handed on in one turn; the rest wait for the next. */
#define FEED_PUBLISH_MAX	2048
/* A replay's share of a turn: rows, and ids looked at. */
#define FEED_REPLAY_ROWS	256
#define FEED_REPLAY_IDS		8192
/* Reminders: matches looked at in one tick. */
#define FEED_REMIND_MAX		512

TAILQ_HEAD(sub_list, feed_sub);

/* The watchers behind one audience key: 'c' community, 'o' org, 's'
 * street (organizers of that street), in a chained hash table (glibc has
 * no <sys/tree.h>). */
struct feed_key {
	LIST_ENTRY(feed_key)	 entry;
	char			 type;
	char			*name;
	struct sub_list		 subs;
};

LIST_HEAD(key_list, feed_key);

/* Buckets of the key table: far more than a district has watchers' keys
 * (a city has some 660 communities and 74 streets). */
#define FEED_BUCKETS	4096

enum sub_state { SUB_FRESH, SUB_CATCHING_UP, SUB_LIVE };

/* A turn's committed events, held until its commit is synced (tag: the
 * commit's number, txn_commits).  Their ids are not told to anyone
 * before: a crash could lose them, and the next events reuse them. */
struct feed_turn {
	TAILQ_ENTRY(feed_turn)	 entry;
	struct event_list	 list;		/* the fast path (events.h) */
	int64_t			 last;		/* the newest id committed */
	uint64_t		 tag;
};

TAILQ_HEAD(feed_turn_list, feed_turn);

struct feed_sub {
	struct event_viewer	 viewer;
	uint32_t		 kinds;
	int64_t			 cursor;
	enum sub_state		 state;
	int			 tagged;	/* FRESH: its turn ended ... */
	uint64_t		 tag;		/* ... with this commit */
	int			 paused;
	feed_deliver_fn		 deliver;
	void			*arg;
	struct feed_key		*key;		/* NULL: on feed->all */
	TAILQ_ENTRY(feed_sub)	 key_entry;	/* key->subs or feed->all */
	TAILQ_ENTRY(feed_sub)	 street_entry;	/* feed->streets */
	TAILQ_ENTRY(feed_sub)	 state_entry;	/* fresh or catching_up */
};

struct feed {
	struct server		*srv;
	int64_t			 last;		/* the last event published */
	int64_t			 queued;	/* the newest on held */
	int64_t			 durable;	/* the newest known synced:
						   reads of the store stop
						   there */
	struct feed_turn_list	 held;		/* turns waiting for a sync */
	struct key_list		 keys[FEED_BUCKETS];
	int			 nkeys;
	struct sub_list		 all;		/* admin, district organizers */
	struct sub_list		 streets;	/* every street organizer */
	struct sub_list		 fresh;
	struct sub_list		 catching_up;
	int			 nsubs;
	int64_t			 remind_cursor;
	double			 remind_next;	/* monotonic seconds */
	struct hooks_position	 pos[64];	/* taken from the worker */
	size_t			 npos;
	unsigned long long	 published, delivered, dropped;
	/* The events published this turn, freed after its answers are out
	 * (not between the fan-out and the write to the sockets). */
	struct event_list	 spent;
};

/* Collects loaded events of one read. */
struct feed_batch {
	struct event	*ev[FEED_PUBLISH_MAX];
	int		 n;
};

/* Add row to the batch (a store reader's callback); empty the batch. */
int	feed_batch_add(void *, const struct store_event *, struct error *);
void	feed_batch_clear(struct feed_batch *);

#endif
