/*
 * need_cache.c: the needs in memory for the oversight reads, kept current
 * by the writes that change them (need_cache.h draws the protocol).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>

#include "daemon/domain/need_cache.h"
#include "daemon/store/store_reader.h"
#include "daemon/store/store_scan.h"
#include "matcher/text.h"
#include "protocol/json_strings.h"

/* A huge page (x86-64, arm64): the unit of the mapped pools. */
#define NC_HUGE		((size_t)2 << 20)

/* An updated need of a committed turn, and the number of its commit. */
struct nc_logent {
	uint64_t	 seq;
	int64_t		 id;
};

struct need_cache {
	pthread_mutex_t	 hold;		/* a job holds the cache */
	pthread_mutex_t	 log_mu;	/* the log, for a moment at a time */
	/*
	 * Commits begun and ended (need_cache_commit_lock, _unlock): equal
	 * when none is under way.  A reader's snapshot holds exactly the
	 * commits up to S when both were S before it was taken and begun
	 * still is after (need_cache_acquire).
	 */
	_Atomic uint64_t begun, ended;
	/* The open turn's updated needs: the loop thread's alone. */
	int64_t		*turn;
	size_t		 nturn, aturn;
	int		 turn_lost;	/* out of memory: reload on next use */
	/* Updated needs of committed turns, in commit order, under log_mu;
	 * log_lost: the last commit some of whose were not kept (out of
	 * memory), 0 when none: until a snapshot holds it, every reader
	 * reads every need again. */
	struct nc_logent *log;
	size_t		 nlog, alog;
	uint64_t	 log_lost;
	/* Under hold. */
	struct nc_need	*needs;
	size_t		 n, a;
	int		*pool;
	size_t		 npool, apool;
	char		*tpool;		/* titles (a changed one is added) */
	size_t		 ntpool, atpool;
	uint64_t	*kpool;		/* their tokens */
	size_t		 nkpool, akpool;
	struct intern	*comms, *streets, *cats;
	int64_t		 max_id;
	int		 loaded;
	void		*scratch;	/* need_cache_scratch: a pool */
	size_t		 nscratch;
};

/* Make room for one more element of size in *arr (n used of *alloc). */
static int
nc_grow(void **arr, size_t *alloc, size_t n, size_t size)
{
	void	*p;
	size_t	 na;

	if (n < *alloc)
		return 0;
	na = *alloc ? *alloc * 2 : 1024;
	if ((p = realloc(*arr, na * size)) == NULL)
		return -1;
	*arr = p;
	*alloc = na;
	return 0;
}

/* The bytes mapped for alloc elements of size: whole huge pages. */
static size_t
nc_map_bytes(size_t alloc, size_t size)
{
	return (alloc * size + NC_HUGE - 1) & ~(NC_HUGE - 1);
}

/* Unmap a pool of alloc elements of size (nc_reserve's). */
static void
nc_unmap(void *arr, size_t alloc, size_t size)
{
	if (arr != NULL)
		(void)munmap(arr, nc_map_bytes(alloc, size));
}

/*
 * Make room for n more elements of size (1: bytes) in a pool, used of
 * *alloc taken.  The pools are mapped and grown by mremap: a city's are
 * a hundred MiB and more, and realloc copied them into fresh pages at
 * each doubling (the copy and its page faults were a third of the time a
 * reader spent taking in a burst of posts).  In huge pages where the
 * kernel gives them.  0, or -1 when out of memory (the pool as it was).
 */
static int
nc_reserve(void **arr, size_t *alloc, size_t used, size_t n, size_t size)
{
	void	*p;
	size_t	 old = *alloc ? nc_map_bytes(*alloc, size) : 0, bytes;

	if (used + n <= *alloc)
		return 0;
	bytes = old ? old : NC_HUGE;
	while (bytes / size < used + n)
		bytes *= 2;
	if (*arr == NULL)
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
	else
		p = mremap(*arr, old, bytes, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return -1;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	*arr = p;
	*alloc = bytes / size;
	return 0;
}

struct need_cache *
need_cache_new(void)
{
	struct need_cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	pthread_mutex_init(&c->hold, NULL);
	pthread_mutex_init(&c->log_mu, NULL);
	return c;
}

/* Drop every need (under hold): the next acquire reads them all. */
static void
nc_clear(struct need_cache *c)
{
	nc_unmap(c->needs, c->a, sizeof(*c->needs));
	nc_unmap(c->pool, c->apool, sizeof(*c->pool));
	nc_unmap(c->tpool, c->atpool, 1);
	nc_unmap(c->kpool, c->akpool, sizeof(*c->kpool));
	c->tpool = NULL;
	c->kpool = NULL;
	c->ntpool = c->atpool = c->nkpool = c->akpool = 0;
	intern_free(c->comms);
	intern_free(c->streets);
	intern_free(c->cats);
	c->needs = NULL;
	c->pool = NULL;
	c->comms = c->streets = c->cats = NULL;
	c->n = c->a = c->npool = c->apool = 0;
	c->max_id = 0;
	c->loaded = 0;
}

void
need_cache_free(struct need_cache *c)
{
	if (c == NULL)
		return;
	nc_clear(c);
	nc_unmap(c->scratch, c->nscratch, 1);
	free(c->turn);
	free(c->log);
	pthread_mutex_destroy(&c->hold);
	pthread_mutex_destroy(&c->log_mu);
	free(c);
}

void
need_cache_touch(void *arg, int64_t id, int inserted)
{
	struct need_cache *c = arg;

	if (inserted)
		return;
	if (nc_grow((void **)&c->turn, &c->aturn, c->nturn,
	    sizeof(*c->turn)) == -1) {
		c->turn_lost = 1;
		return;
	}
	c->turn[c->nturn++] = id;
}

void
need_cache_commit_lock(struct need_cache *c)
{
	atomic_fetch_add(&c->begun, 1);
}

void
need_cache_commit_unlock(struct need_cache *c, int committed)
{
	uint64_t	seq = atomic_load(&c->begun);
	size_t		i;

	pthread_mutex_lock(&c->log_mu);
	if (committed) {
		for (i = 0; i < c->nturn; i++) {
			if (nc_grow((void **)&c->log, &c->alog, c->nlog,
			    sizeof(*c->log)) == -1) {
				c->log_lost = seq;
				break;
			}
			c->log[c->nlog].seq = seq;
			c->log[c->nlog++].id = c->turn[i];
		}
		if (c->turn_lost)
			c->log_lost = seq;
	}
	pthread_mutex_unlock(&c->log_mu);
	atomic_store(&c->ended, seq);
	c->nturn = 0;
	c->turn_lost = 0;
}

struct nc_load {
	struct need_cache	*c;
	int			 replace;	/* a need read again, by id */
};

static int
nc_partner(void *arg, const char *code, size_t len)
{
	struct need_cache	*c = arg;
	int			 k;

	(void)len;
	if ((k = intern_add(c->comms, code)) == -1 ||
	    nc_reserve((void **)&c->pool, &c->apool, c->npool, 1,
	    sizeof(*c->pool)) == -1)
		return -1;
	c->pool[c->npool++] = k;
	return 0;
}

/* Keep title t and its tokens in the pools, for n. */
static int
nc_title(struct need_cache *c, const char *t, struct nc_need *n)
{
	struct text_tokens	tok;
	size_t			len = strlen(t);

	if (nc_reserve((void **)&c->tpool, &c->atpool, c->ntpool, len + 1,
	    1) == -1 || text_tokenize(t, len, &tok) == -1)
		return -1;
	if (nc_reserve((void **)&c->kpool, &c->akpool, c->nkpool, tok.n,
	    sizeof(*c->kpool)) == -1) {
		text_tokens_free(&tok);
		return -1;
	}
	n->toff = c->ntpool;
	memcpy(c->tpool + c->ntpool, t, len + 1);
	c->ntpool += len + 1;
	n->koff = c->nkpool;
	n->nk = (int)tok.n;
	if (tok.n > 0)
		memcpy(c->kpool + c->nkpool, tok.h, tok.n * sizeof(*tok.h));
	c->nkpool += tok.n;
	text_tokens_free(&tok);
	return 0;
}

/* The slot of need id (the needs are in id order), or NULL. */
static struct nc_need *
nc_find(struct need_cache *c, int64_t id)
{
	size_t lo = 0, hi = c->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->needs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->needs[lo].id == id ? &c->needs[lo] : NULL;
}

/* One row of store_ov_needs_after: a new need, or one read again. */
static int
nc_row(void *arg, const struct store_row *r, struct error *err)
{
	struct nc_load	*ld = arg;
	struct need_cache *c = ld->c;
	struct nc_need	*n, fresh;
	size_t		 start = c->npool, len;

	memset(&fresh, 0, sizeof(fresh));
	fresh.id = r->num[0];
	fresh.status = r->text[6][0];
	len = strnlen(r->text[7], 10);
	memcpy(fresh.created, r->text[7], len);
	len = strnlen(r->text[8], 10);
	memcpy(fresh.wfrom, r->text[8], len);
	fresh.year = (int)r->num[9];
	fresh.budget = r->num[10];
	if ((fresh.comm = intern_add(c->comms, r->text[1])) == -1 ||
	    (fresh.street = intern_add(c->streets, r->text[3])) == -1 ||
	    (fresh.cat = intern_add(c->cats, r->text[4])) == -1 ||
	    nc_title(c, r->text[5], &fresh) == -1)
		goto oom;
	fresh.poff = (int)c->npool;
	if (strcmp(r->text[2], "[]") != 0 &&
	    json_strings_each(r->text[2], nc_partner, c) == -1)
		c->npool = start;	/* not an array of codes: none */
	fresh.np = (int)(c->npool - start);
	if (ld->replace && (n = nc_find(c, fresh.id)) != NULL) {
		*n = fresh;	/* its old title and tokens stay, unused */
		return 0;
	}
	if (fresh.id <= c->max_id)	/* not there: never committed */
		return 0;
	if (nc_reserve((void **)&c->needs, &c->a, c->n, 1,
	    sizeof(*c->needs)) == -1)
		goto oom;
	c->needs[c->n++] = fresh;
	c->max_id = fresh.id;
	return 0;
oom:
	return error_set(err, ERR_INTERNAL, NULL, "out of memory");
}

/* Bring the cache to s's snapshot: needs posted since, then the updated
 * ones of taken (n ids) read again. */
static int
nc_refresh(struct need_cache *c, struct store *s, const int64_t *taken,
    size_t n, struct error *err)
{
	struct nc_load	ld = { c, 0 };
	size_t		i;

	if (!c->loaded) {
		if ((c->comms = intern_new()) == NULL ||
		    (c->streets = intern_new()) == NULL ||
		    (c->cats = intern_new()) == NULL)
			return error_set(err, ERR_INTERNAL, NULL,
			    "out of memory");
		c->loaded = 1;
		n = 0;		/* everything is read now */
	}
	if (store_ov_needs_after(s, c->max_id, 0, nc_row, &ld, err) == -1)
		return -1;
	ld.replace = 1;
	for (i = 0; i < n; i++)
		if (taken[i] <= c->max_id && store_ov_needs_after(s, 0,
		    taken[i], nc_row, &ld, err) == -1)
			return -1;
	return 0;
}

/*
 * A new snapshot for s, taken while no commit was under way: it holds
 * exactly the commits up to the one returned in *seq.  The loop never
 * waits for it (it held a lock across its COMMIT that a reader held while
 * taking its snapshot: a reader, niced, put off the CPU there held the
 * loop's COMMIT for 30 to 70 ms).  0, or -1 with err set.
 */
static int
nc_snapshot(struct need_cache *c, struct store *s, uint64_t *seq,
    struct error *err)
{
	struct timespec	pause = { 0, 50000 };
	uint64_t	b;

	for (;;) {
		if ((b = atomic_load(&c->begun)) != atomic_load(&c->ended)) {
			nanosleep(&pause, NULL);	/* a COMMIT under way */
			continue;
		}
		store_read_end(s);
		if (store_read_begin(s, err) == -1)
			return -1;
		if (atomic_load(&c->begun) == b) {
			*seq = b;
			return 0;
		}
	}
}

/* The log's entries of the commits up to seq, taken from it (malloc'd,
 * *n of them); *lost when some of those were not kept. */
static int64_t *
nc_log_take(struct need_cache *c, uint64_t seq, size_t *n, int *lost)
{
	int64_t	*taken;
	size_t	 i, m;

	pthread_mutex_lock(&c->log_mu);
	for (m = 0; m < c->nlog && c->log[m].seq <= seq; m++)
		;
	*lost = c->log_lost != 0;
	if (c->log_lost != 0 && c->log_lost <= seq)
		c->log_lost = 0;
	if ((taken = malloc((m + 1) * sizeof(*taken))) == NULL)
		*lost = 1;	/* dropped: everything is read again */
	else
		for (i = 0; i < m; i++)
			taken[i] = c->log[i].id;
	if (m > 0) {
		memmove(c->log, c->log + m, (c->nlog - m) * sizeof(*c->log));
		c->nlog -= m;
	}
	pthread_mutex_unlock(&c->log_mu);
	*n = taken != NULL ? m : 0;
	return taken;
}

int
need_cache_acquire(struct need_cache *c, struct store *s,
    struct need_cache_view *view, struct error *err)
{
	int64_t		*taken = NULL;
	uint64_t	 seq;
	size_t		 n = 0;
	int		 rc, lost = 0;

	pthread_mutex_lock(&c->hold);
	if ((rc = nc_snapshot(c, s, &seq, err)) == 0)
		taken = nc_log_take(c, seq, &n, &lost);
	if (rc == -1 || lost)
		nc_clear(c);	/* entries taken and not applied: read all */
	if (rc == -1 || nc_refresh(c, s, taken, n, err) == -1) {
		free(taken);
		nc_clear(c);
		pthread_mutex_unlock(&c->hold);
		return -1;
	}
	free(taken);
	view->needs = c->needs;
	view->n = c->n;
	view->pool = c->pool;
	view->tpool = c->tpool;
	view->kpool = c->kpool;
	view->comms = c->comms;
	view->streets = c->streets;
	view->cats = c->cats;
	return 0;
}

void
need_cache_release(struct need_cache *c)
{
	pthread_mutex_unlock(&c->hold);
}

/*
 * A pool of bytes like the others (nc_reserve: mapped, in huge pages
 * where the kernel gives them, grown by mremap, never copied): a city's
 * million needs are a hundred MiB of scratch, and realloc copying the last
 * call's into fresh pages, then faulting them in 4 KiB at a time, was most
 * of the first stats.streets after a burst of posts (400 to 760 ms).
 */
void *
need_cache_scratch(struct need_cache *c, size_t bytes)
{
	if (nc_reserve(&c->scratch, &c->nscratch, 0, bytes, 1) == -1)
		return NULL;
	return c->scratch;
}
