/*
 * events.h: the event log (docs/protocol.md, "Events").  An event is a row
 * written in the transaction of the write that causes it, so it is
 * exactly as durable as that write: an acknowledged write's event is never
 * lost, and a write rolled back leaves none.  Readers (watchers, Server-
 * Sent Events, webhooks) take committed events by id, in id order, and
 * each sees only what its caller may see: its audience.
 *
 * Emitting, for an operation that writes (in its handler, after the write
 * itself succeeded; a failure rolls both back):
 *
 *	const char *comm[] = { need_community }, *streets[] = { street };
 *	struct event_audience aud = { comm, 1, NULL, 0, streets, 1, 0 };
 *	struct event_object obj = { "project", project_id, fair_id, 0 };
 *
 *	if (events_emit(ctx->store, EVENT_PROJECT_STAGE, &obj,
 *	    "项目进入公示阶段", &aud, err) == -1)
 *		goto fail;
 *
 * Reading: events_load turns a stored row into a struct event (its JSON
 * made once, for every reader); events_visible says whether a viewer may
 * see it.
 */
#ifndef DAEMON_EVENTS_H
#define DAEMON_EVENTS_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "daemon/domain/auth.h"
#include "daemon/store/store.h"
#include "protocol/error.h"
#include "protocol/event_kinds.h"

/* A set of kinds: bit (1 << kind). */
#define EVENT_KINDS_ALL	((1u << EVENT_NKINDS) - 1)

/* "need.posted" for EVENT_NEED_POSTED; the kind of a name, or -1. */
const char	*events_kind_name(enum event_kind);
int		 events_kind_of(const char *name);
/* The set a JSON array of kind names gives (NULL or []: every kind);
 * names are known to be valid (the argument schema checked them). */
uint32_t	 events_kinds_mask(const cJSON *names);

/* What an event is about: type is "need" | "offer" | "match" | "fair" |
 * "project" | "objection" | "risk"; fair and run 0 when none. */
struct event_object {
	const char	*type;
	int64_t		 id;
	int64_t		 fair;
	int		 run;
};

/*
 * Who may see an event besides the admin: the communities and the
 * organisations named (codes), and the organizers of the streets named
 * ("*": every street; a district organizer sees every event).  With
 * staff_only, only organizers (by street) and the admin.
 */
struct event_audience {
	const char *const	*communities;
	size_t			 ncommunities;
	const char *const	*orgs;
	size_t			 norgs;
	const char *const	*streets;
	size_t			 nstreets;
	int			 staff_only;
};

/*
 * Store one event of kind about obj, with summary (one line of Chinese for
 * people), seen by aud, in the open transaction.  0, or -1 with err set.
 */
int	events_emit(struct store *, enum event_kind, const struct event_object *,
	    const char *summary, const struct event_audience *, struct error *);

/*
 * The events of today's operations (events_emit.c); each reads what it
 * names from the store and emits in the open transaction.  0 or -1.
 */
/* need.posted / offer.posted: the record as the store completed it. */
int	events_need_posted(struct store *, const cJSON *need, struct error *);
int	events_offer_posted(struct store *, const cJSON *offer, struct error *);
/* match.proposed, once for each proposed match of the run. */
int	events_run_proposed(struct store *, int64_t fair, int run,
	    struct error *);
/* match.answered (or match.confirmed once both accepted) after match's
 * status changed; by: who answered (a name). */
int	events_match_answered(struct store *, int64_t match, const char *by,
	    struct error *);
/* match.superseded for each match of ids (an array of match ids, of any
 * fairs), to its parties; why says what superseded it, in Chinese. */
int	events_matches_superseded(struct store *, const cJSON *ids,
	    const char *why, struct error *);
/* fair.published: run of fair is published, to every party with a row in
 * it and the streets' organizers; hours is the window for answers
 * (events.remind_after_hours; 0: none is said). */
int	events_fair_published(struct store *, int64_t fair, int run,
	    double hours, struct error *);
/*
 * events_fair_published and events_run_proposed in slices (a run written
 * over several turns): _new reads the fair (NULL with err set), _add
 * reads the rows of run of ids in (after, upto] (0 or -1), _emit stores
 * fair.published (0 or -1), _proposed stores match.proposed for the
 * proposed matches of run of ids in (after, upto] (0 or -1), _free
 * releases it (NULL: nothing).  The caller owns what _new returns.
 */
struct events_published;
struct events_published *events_published_new(struct store *, int64_t fair,
	    struct error *);
int	events_published_add(struct events_published *, int run,
	    int64_t after, int64_t upto, struct error *);
int	events_published_emit(struct events_published *, int run,
	    double hours, struct error *);
int	events_published_proposed(struct events_published *, int run,
	    int64_t after, int64_t upto, struct error *);
void	events_published_free(struct events_published *);
/* fair.scheduled, to every party with a meeting. */
int	events_fair_scheduled(struct store *, int64_t fair, struct error *);
/*
 * project.stage: project id, p as saved, entered its stage from prev (""
 * for a new project); to its community and partners, its organisation and
 * its street's organizers.
 */
int	events_project_stage(struct store *, int64_t id, const cJSON *p,
	    const char *prev, struct error *);
/* objection.lodged: objection about project p, to p's audience. */
int	events_objection_lodged(struct store *, int64_t objection,
	    const cJSON *p, struct error *);
/*
 * match.reminder: for matches created at or before cutoff that still await
 * an answer, once each, looking at up to limit matches after *cursor
 * (moved on); hours is said in the summary.  Returns the number of
 * matches looked at, or -1.
 */
int	events_remind(struct store *, const char *cutoff, double hours,
	    int64_t *cursor, int limit, struct error *);

/* ---- readers -------------------------------------------------------- */

/* Who reads: a role (ROLE_*) with its account code and street ("": none,
 * a district organizer). */
struct event_viewer {
	unsigned	role;
	char		code[65];
	char		street[260];
};

void	events_viewer_of(const struct principal *, struct event_viewer *);
/* The store's filter for what viewer may see (after, upto, limit unset). */
void	events_filter_of(const struct event_viewer *,
	    struct store_event_filter *);

/* A committed event, as every reader hands it on. */
struct event {
	int64_t		 id;
	int		 kind;		/* enum event_kind, -1 if unknown */
	char		*json;		/* {"id", "time", "kind", "object",
					   "summary"}, no newline */
	size_t		 json_len;
	char		*line;		/* {"event": json}\n, a native
					   watcher's line, made once */
	size_t		 line_len;
	char		*summary;
	char		*communities, *orgs, *streets;	/* encoded */
	int		 staff;
	TAILQ_ENTRY(event) entry;	/* on the turn's list, or a reader's */
};

TAILQ_HEAD(event_list, event);

/* A copy of row; NULL when out of memory.  events_free frees it. */
struct event	*events_load(const struct store_event *row);
void		 events_free(struct event *);
/* 1 when viewer may see ev. */
int		 events_visible(const struct event_viewer *,
		    const struct event *);

/* ---- the turn's events, kept in memory ---------------------------------
 *
 * While the feed has watchers, events_emit also keeps each event it
 * stores, made once (its JSON written now, inside the request, not after
 * the commit), on the turn's list, so that the feed hands the committed
 * events to watchers without reading them back.  The list follows the
 * transaction (core/txn.c calls these):
 *
 *	txn_open   --> events_turn_rewind: what was emitted since the last
 *	               keep belongs to a request whose savepoint was rolled
 *	               back: dropped
 *	txn_wrote  --> events_turn_keep: the request's savepoint was
 *	               released: its events stay with the transaction
 *	txn_end    --> events_turn_seal, just before COMMIT: the newest id
 *	               stored, read under the transaction's own lock
 *	COMMIT ok  --> events_turn_take (the feed): the kept events, in id
 *	               order, and the sealed id; the others dropped
 *	COMMIT failed, or SQLite gave the transaction up
 *	           --> events_turn_take, then events_free_list: nothing kept
 *	               is delivered
 *
 * The list is a fast path, never the truth: the feed checks that what it
 * takes is exactly the ids committed since it last published, and reads
 * them from the store when not (an event emitted while the list was off,
 * out of memory, or by a path that does not keep).  The loop thread only.
 */
/* Keep (1) or stop keeping (0) the turn's events. */
void	events_turn_enable(int on);
void	events_turn_rewind(void);
void	events_turn_keep(void);
/* Just before COMMIT: note the newest event id stored (a seek in the
 * open transaction; after it, the same read would begin another). */
void	events_turn_seal(struct store *);
/*
 * Move the kept events onto out (initialised, empty), in the order they
 * were emitted; the others are freed.  The caller owns them now.  *last:
 * the id sealed since the last take, or -1 when none was.
 */
void	events_turn_take(struct event_list *out, int64_t *last);
/* Free every event of list. */
void	events_free_list(struct event_list *);

#endif
