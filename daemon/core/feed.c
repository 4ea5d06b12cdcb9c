/*
 * feed.c: committed events to their watchers, an index from each
 * audience key (a community, an organisation, a street) to the watchers
 * behind it, so that an event costs the watchers that see it, not all.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/base/log.h"
#include "daemon/core/feed.h"
#include "daemon/core/feed_priv.h"
#include "daemon/core/txn.h"
#include "daemon/domain/auth.h"
#include "daemon/hooks/hooks.h"

/* The bucket of key (type, name): FNV-1a. */
static struct key_list *
feed_bucket(struct feed *f, char type, const char *name)
{
	uint32_t	h = 2166136261u ^ (unsigned char)type;
	const char	*p;

	for (p = name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &f->keys[h % FEED_BUCKETS];
}

/* The key (type, name), or NULL. */
static struct feed_key *
feed_key_find(struct feed *f, char type, const char *name)
{
	struct feed_key *k;

	LIST_FOREACH(k, feed_bucket(f, type, name), entry)
		if (k->type == type && strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

struct feed *
feed_new(struct server *srv)
{
	struct feed	*f;
	struct error	 err;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->srv = srv;
	TAILQ_INIT(&f->all);
	TAILQ_INIT(&f->streets);
	TAILQ_INIT(&f->fresh);
	TAILQ_INIT(&f->catching_up);
	TAILQ_INIT(&f->spent);
	TAILQ_INIT(&f->held);
	/* What is stored at start was synced (core/syncer.h). */
	if (store_event_last(srv->store, &f->last, &err) == -1 ||
	    store_reminder_last(srv->store, &f->remind_cursor, &err) == -1) {
		log_warnx("feed_new: %s", err.message);
		free(f);
		return NULL;
	}
	f->queued = f->durable = f->last;
	if (srv->hooks != NULL)
		hooks_notify(srv->hooks, f->last);
	return f;
}

void
feed_free(struct feed *f)
{
	struct feed_turn *t;
	struct feed_sub	*s;
	int		 i;

	if (f == NULL)
		return;
	events_free_list(&f->spent);
	while ((t = TAILQ_FIRST(&f->held)) != NULL) {
		TAILQ_REMOVE(&f->held, t, entry);
		events_free_list(&t->list);
		free(t);
	}
	while ((s = TAILQ_FIRST(&f->all)) != NULL)
		feed_unsubscribe(f, s);
	for (i = 0; i < FEED_BUCKETS; i++)
		while (!LIST_EMPTY(&f->keys[i]))
			feed_unsubscribe(f, TAILQ_FIRST(
			    &LIST_FIRST(&f->keys[i])->subs));
	free(f);
}

/* The key list sub belongs on (made when new); NULL: out of memory. */
static struct feed_key *
feed_key_get(struct feed *f, char type, const char *name)
{
	struct feed_key *k;

	if ((k = feed_key_find(f, type, name)) != NULL)
		return k;
	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->name = strdup(name)) == NULL) {
		free(k);
		return NULL;
	}
	k->type = type;
	TAILQ_INIT(&k->subs);
	LIST_INSERT_HEAD(feed_bucket(f, type, name), k, entry);
	f->nkeys++;
	return k;
}

struct feed_sub *
feed_subscribe(struct feed *f, const struct event_viewer *v, uint32_t kinds,
    int64_t after, feed_deliver_fn deliver, void *arg)
{
	struct feed_sub	*s;
	char		 type = 0;
	const char	*name = NULL;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->viewer = *v;
	s->kinds = kinds;
	s->cursor = after;
	s->deliver = deliver;
	s->arg = arg;
	if (v->role == ROLE_COMMUNITY || v->role == ROLE_ORG) {
		type = v->role == ROLE_COMMUNITY ? 'c' : 'o';
		name = v->code;
	} else if (v->role == ROLE_ORGANIZER && v->street[0] != '\0') {
		type = 's';
		name = v->street;
	}
	if (type != 0) {
		if ((s->key = feed_key_get(f, type, name)) == NULL) {
			free(s);
			return NULL;
		}
		TAILQ_INSERT_TAIL(&s->key->subs, s, key_entry);
		if (type == 's')
			TAILQ_INSERT_TAIL(&f->streets, s, street_entry);
	} else
		TAILQ_INSERT_TAIL(&f->all, s, key_entry);
	s->state = SUB_FRESH;
	TAILQ_INSERT_TAIL(&f->fresh, s, state_entry);
	f->nsubs++;
	events_turn_enable(1);
	return s;
}

void
feed_unsubscribe(struct feed *f, struct feed_sub *s)
{
	if (s->key != NULL) {
		TAILQ_REMOVE(&s->key->subs, s, key_entry);
		if (s->key->type == 's')
			TAILQ_REMOVE(&f->streets, s, street_entry);
		if (TAILQ_EMPTY(&s->key->subs)) {
			LIST_REMOVE(s->key, entry);
			f->nkeys--;
			free(s->key->name);
			free(s->key);
		}
	} else
		TAILQ_REMOVE(&f->all, s, key_entry);
	if (s->state == SUB_FRESH)
		TAILQ_REMOVE(&f->fresh, s, state_entry);
	else if (s->state == SUB_CATCHING_UP)
		TAILQ_REMOVE(&f->catching_up, s, state_entry);
	f->nsubs--;
	free(s);
}

void
feed_pause(struct feed_sub *s, int paused)
{
	s->paused = paused;
}

int64_t
feed_cursor(const struct feed_sub *s)
{
	return s->cursor;
}

/* Hand ev to s if s wants it; s may be gone after (1 returned). */
static int
feed_give(struct feed *f, struct feed_sub *s, const struct event *ev)
{
	if (ev->id <= s->cursor)
		return 0;
	s->cursor = ev->id;
	if (ev->kind < 0 || !(s->kinds & (1u << ev->kind)))
		return 0;
	f->delivered++;
	if (s->deliver(s->arg, ev) == -1) {
		f->dropped++;
		feed_unsubscribe(f, s);
		return 1;
	}
	return 0;
}

/* Hand ev to the live subscribers of list (by key_entry or street). */
static void
feed_give_list(struct feed *f, struct sub_list *list, int streets,
    const struct event *ev)
{
	struct feed_sub *s, *next;

	for (s = TAILQ_FIRST(list); s != NULL; s = next) {
		next = streets ? TAILQ_NEXT(s, street_entry) :
		    TAILQ_NEXT(s, key_entry);
		if (s->state == SUB_LIVE)
			(void)feed_give(f, s, ev);
	}
}

/* Hand ev to the live subscribers behind each item of an encoded list. */
static void
feed_give_keys(struct feed *f, char type, const char *list,
    const struct event *ev)
{
	struct feed_key	*k;
	const char	*p = list, *end;
	char		 name[300];

	while (*p == STORE_LIST_SEP &&
	    (end = strchr(p + 1, STORE_LIST_SEP)) != NULL) {
		if ((size_t)(end - p - 1) < sizeof(name)) {
			memcpy(name, p + 1, (size_t)(end - p - 1));
			name[end - p - 1] = '\0';
			if ((k = feed_key_find(f, type, name)) != NULL)
				feed_give_list(f, &k->subs, 0, ev);
		}
		p = end;
		if (p[1] == '\0')
			break;
	}
}

/* One committed event to every live subscriber that may see it. */
static void
feed_fan_out(struct feed *f, const struct event *ev)
{
	char star[4] = { STORE_LIST_SEP, '*', STORE_LIST_SEP, '\0' };

	f->published++;
	feed_give_list(f, &f->all, 0, ev);
	if (!ev->staff) {
		feed_give_keys(f, 'c', ev->communities, ev);
		feed_give_keys(f, 'o', ev->orgs, ev);
	}
	if (strstr(ev->streets, star) != NULL)
		feed_give_list(f, &f->streets, 1, ev);
	else
		feed_give_keys(f, 's', ev->streets, ev);
}

int
feed_batch_add(void *arg, const struct store_event *row, struct error *err)
{
	struct feed_batch *b = arg;

	if (b->n == FEED_PUBLISH_MAX)
		return 0;
	if ((b->ev[b->n] = events_load(row)) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	b->n++;
	return 0;
}

void
feed_batch_clear(struct feed_batch *b)
{
	while (b->n > 0)
		events_free(b->ev[--b->n]);
}

/*
 * One chunk of s's replay: the stored events it may see after its
 * cursor, up to the feed's last.  LIVE once there.
 */
static void
feed_replay(struct feed *f, struct feed_sub *s, struct feed_batch *b)
{
	struct store_event_filter	 flt;
	struct error			 err;
	int64_t				 end;
	int				 i, gone = 0, stopped = 0;

	memset(&flt, 0, sizeof(flt));
	events_filter_of(&s->viewer, &flt);
	end = s->cursor + FEED_REPLAY_IDS < f->last ?
	    s->cursor + FEED_REPLAY_IDS : f->last;
	flt.after = s->cursor;
	flt.upto = end;
	flt.limit = FEED_REPLAY_ROWS;
	if (store_events_each(f->srv->store, &flt, feed_batch_add, b,
	    &err) == -1) {
		log_warnx("feed_replay: %s", err.message);
		feed_batch_clear(b);
		return;
	}
	if (b->n == FEED_REPLAY_ROWS)
		end = b->ev[b->n - 1]->id;
	/* Its reader fell behind: the rest waits (its cursor says where). */
	for (i = 0; i < b->n && !gone && !(stopped = s->paused); i++)
		gone = feed_give(f, s, b->ev[i]);
	feed_batch_clear(b);
	if (gone)
		return;
	if (!stopped && s->cursor < end)
		s->cursor = end;
	if (s->cursor >= f->last) {
		TAILQ_REMOVE(&f->catching_up, s, state_entry);
		s->state = SUB_LIVE;
	}
}

/*
 * Whether list holds exactly the events committed since the last
 * published, up to last: ids f->last + 1 to last, each once, in order.
 */
static int
feed_list_whole(const struct feed *f, const struct event_list *list,
    int64_t last)
{
	const struct event	*ev;
	int64_t			 want = f->last;

	TAILQ_FOREACH(ev, list, entry)
		if (ev->id != ++want)
			return 0;
	return want == last;
}

/* The events committed after f->last up to upto read from the store, a
 * chunk at a time: when the turn's list is not whole.  1 when more are
 * left. */
static int
feed_publish_stored(struct feed *f, int64_t upto)
{
	static struct feed_batch	 b;
	struct store_event_filter	 flt;
	struct error			 err;
	int				 i, more = 0;

	memset(&flt, 0, sizeof(flt));
	flt.all = 1;
	flt.after = f->last;
	flt.upto = upto;
	flt.limit = FEED_PUBLISH_MAX;
	if (store_events_each(f->srv->store, &flt, feed_batch_add, &b,
	    &err) == -1)
		log_warnx("feed_publish: %s", err.message);
	else if (b.n > 0) {
		for (i = 0; i < b.n; i++)
			feed_fan_out(f, b.ev[i]);
		f->last = b.ev[b.n - 1]->id;
		more = b.n == FEED_PUBLISH_MAX;
	}
	feed_batch_clear(&b);
	return more;
}

/*
 * Settle the FRESH subscribers: those of this turn (not yet tagged) are
 * told when the commit failed, else tagged; those whose commit is synced
 * begin their replay.
 */
static void
feed_settle(struct feed *f, int failed, uint64_t tag, uint64_t synced)
{
	struct feed_sub *s, *next;

	for (s = TAILQ_FIRST(&f->fresh); s != NULL; s = next) {
		next = TAILQ_NEXT(s, state_entry);
		if (!s->tagged && failed) {
			TAILQ_REMOVE(&f->fresh, s, state_entry);
			s->state = SUB_LIVE;	/* on no state list now */
			(void)s->deliver(s->arg, NULL);
			feed_unsubscribe(f, s);
			continue;
		}
		if (!s->tagged) {
			s->tagged = 1;
			s->tag = tag;
		}
		if (s->tag > synced)
			continue;
		TAILQ_REMOVE(&f->fresh, s, state_entry);
		s->state = SUB_CATCHING_UP;
		TAILQ_INSERT_TAIL(&f->catching_up, s, state_entry);
	}
}

/* Hold the turn's committed events (list, taken) until commit tag is
 * synced; last: the newest id the turn committed, or -1 (read it now). */
static void
feed_hold(struct feed *f, struct event_list *list, int64_t last,
    uint64_t tag)
{
	struct feed_turn	*t;
	struct error		 err;

	/* The newest id committed: sealed before the COMMIT, or read now
	 * (a turn without a transaction, or demo_run's own). */
	if (last < 0 && store_event_last(f->srv->store, &last, &err) == -1) {
		log_warnx("feed_publish: %s", err.message);
		last = f->queued;
	}
	if (last <= f->queued) {
		events_free_list(list);
		return;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		/* Read from the store once synced, by a later turn's. */
		log_warnx("feed_publish: out of memory");
		events_free_list(list);
		return;
	}
	TAILQ_INIT(&t->list);
	TAILQ_CONCAT(&t->list, list, entry);
	t->last = last;
	t->tag = tag;
	f->queued = last;
	TAILQ_INSERT_TAIL(&f->held, t, entry);
}

int
feed_publish(struct feed *f, int failed, uint64_t tag, uint64_t synced,
    unsigned long long *delivered)
{
	struct event_list	 list = TAILQ_HEAD_INITIALIZER(list);
	unsigned long long	 before = f->delivered;
	int			 more;
	int64_t			 last;

	*delivered = 0;
	/* What the transaction kept, committed or (failed) not. */
	events_turn_take(&list, &last);
	feed_settle(f, failed, tag, synced);
	events_turn_enable(f->nsubs > 0);
	if (failed)
		events_free_list(&list);
	else
		feed_hold(f, &list, last, tag);
	more = feed_synced(f, synced, delivered);
	*delivered = f->delivered - before;
	return more;
}

int
feed_synced(struct feed *f, uint64_t synced, unsigned long long *delivered)
{
	struct feed_turn	*t;
	struct event		*ev;
	unsigned long long	 before = f->delivered;
	int			 more = 0;

	/* The turns whose commit is on disk, oldest first. */
	while ((t = TAILQ_FIRST(&f->held)) != NULL && t->tag <= synced) {
		TAILQ_REMOVE(&f->held, t, entry);
		if (t->last > f->durable)
			f->durable = t->last;
		/* The fast path: made at emit time, handed on as they are. */
		if (f->nsubs > 0 && f->last < t->last &&
		    feed_list_whole(f, &t->list, t->last)) {
			TAILQ_FOREACH(ev, &t->list, entry)
				feed_fan_out(f, ev);
			f->last = t->last;
		}
		TAILQ_CONCAT(&f->spent, &t->list, entry);
		free(t);
	}
	if (f->last >= f->durable)
		;
	else if (f->nsubs == 0) {
		/* Nobody to hand them to. */
		f->published += (unsigned long long)(f->durable - f->last);
		f->last = f->durable;
	} else {
		log_debug("feed_publish: events %lld to %lld read from the "
		    "store", (long long)f->last + 1, (long long)f->durable);
		more = feed_publish_stored(f, f->durable);
	}
	*delivered = f->delivered - before;
	return more;
}

int
feed_replay_all(struct feed *f)
{
	static struct feed_batch	 b;
	struct feed_sub			*s, *next;
	int				 more = 0;

	/* Now, after the watchers and the answers, the webhook worker: its
	 * thread woken earlier would take a core from their writes. */
	events_free_list(&f->spent);
	if (f->srv->hooks != NULL)
		hooks_notify(f->srv->hooks, f->last);
	for (s = TAILQ_FIRST(&f->catching_up); s != NULL; s = next) {
		next = TAILQ_NEXT(s, state_entry);
		if (s->paused)
			continue;
		feed_replay(f, s, &b);
	}
	TAILQ_FOREACH(s, &f->catching_up, state_entry)
		if (!s->paused)
			more = 1;
	return more;
}

