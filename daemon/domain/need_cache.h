/*
 * need_cache.h: every need, lean, in memory, for the oversight reads
 * (stats.*, risk.flags) on reader threads.  A city holds a million needs:
 * reading them all from SQLite costs most of a second per call; the cache
 * reads them once, then only what was posted or changed since.
 *
 * Kept current by the writes that change it, and exactly at each job's
 * snapshot:
 *
 *   loop thread                              reader thread (one at a time)
 *   store hook: a need was updated
 *     -> need_cache_touch (the turn's list)
 *   txn.c: need_cache_commit_lock            need_cache_acquire:
 *            begun = S                         lock the cache
 *          COMMIT                              S = begun, once ended == S
 *          need_cache_commit_unlock(ok)        restart the read txn (its
 *            -> the turn's ids to the log        snapshot); again if begun
 *               as commit S; ended = S           moved meanwhile
 *                                                take the log's entries up
 *                                                to S; read needs with
 *                                                id > max, and again those
 *                                              ... use, need_cache_release
 *
 * Titles are kept in one pool, with their tokens (matcher/text.h) in
 * another: risk.flags compares them without a malloc per title.
 *
 * A snapshot taken while begun == ended == S, with begun still S after it,
 * holds exactly the commits up to S: each commit is either wholly before
 * it (its entries are <= S and the snapshot holds it) or wholly after
 * (neither).  The loop never waits for a reader: it once held the log's
 * lock across its COMMIT, which a reader, niced, held while it took its
 * snapshot, and a reader put off the CPU there held the COMMIT for 30 to
 * 70 ms; the log's lock is now held for a moment on either side.  New
 * needs need no entry: ids only grow, and the snapshot shows exactly those
 * committed.  A savepoint that rolled back leaves an entry for a need that
 * did not change: reading it again is harmless.  The cache is one for all
 * readers, held for a whole job, so its snapshots only move forward.
 */
#ifndef DAEMON_NEED_CACHE_H
#define DAEMON_NEED_CACHE_H

#include <stdint.h>

#include "daemon/base/intern.h"
#include "daemon/store/store.h"

/* One need as the oversight ops read it. */
struct nc_need {
	int64_t		 id;
	int		 comm, street, cat;	/* in the cache's interns */
	int		 np, poff;		/* partners: pool[poff ..] */
	char		 status;		/* 'o', 'm', 'w' */
	char		 created[11];		/* YYYY-MM-DD */
	char		 wfrom[11];		/* "" without a window */
	int		 year;
	int64_t		 budget;		/* fen */
	size_t		 toff;			/* title: tpool + toff */
	size_t		 koff;			/* its tokens: kpool[koff ..] */
	int		 nk;
};

/* What a job reads while it holds the cache (need_cache_acquire). */
struct need_cache_view {
	const struct nc_need	*needs;		/* in id order */
	size_t			 n;
	const int		*pool;		/* partners, comm indexes */
	const char		*tpool;		/* titles, each NUL-ended */
	const uint64_t		*kpool;		/* title tokens (text.h) */
	const struct intern	*comms, *streets, *cats;
};

struct need_cache;

struct need_cache	*need_cache_new(void);
void			 need_cache_free(struct need_cache *);

/* The store's record hook for needs (loop thread): need id was written
 * this turn.  Inserts are ignored: the next read finds them by id. */
void	need_cache_touch(void *cache, int64_t id, int inserted);

/* Around the turn's COMMIT (loop thread): a commit begins, then has
 * ended: its updates published when committed, forgotten when not. */
void	need_cache_commit_lock(struct need_cache *);
void	need_cache_commit_unlock(struct need_cache *, int committed);

/*
 * On a reader thread, in a read transaction of s: take the cache, restart
 * the transaction (the job's snapshot from here on), and bring the cache
 * to that snapshot.  0 with *view filled, or -1 with err set (the cache
 * is not held then).  need_cache_release gives it back.
 */
int	need_cache_acquire(struct need_cache *, struct store *s,
	    struct need_cache_view *view, struct error *err);
void	need_cache_release(struct need_cache *);

/*
 * Memory of at least bytes that the holder of the cache may use until it
 * releases it (the next holder gets the same pages: a million needs copied
 * each call would fault in fresh pages each call).  NULL when out of
 * memory.
 */
void	*need_cache_scratch(struct need_cache *, size_t bytes);

#endif
