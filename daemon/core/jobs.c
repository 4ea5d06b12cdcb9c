/*
 * jobs.c: requests on reader threads (jobs.h draws a job's life), and the
 * rule that keeps every answer within limits.max_answer_bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/base/log.h"
#include "daemon/core/jobs.h"
#include "daemon/core/metrics.h"
#include "daemon/core/readers.h"
#include "daemon/core/txn.h"
#include "daemon/domain/need_cache.h"
#include "daemon/domain/suggest_index.h"
#include "daemon/store/store_reader.h"
#include "protocol/json_print.h"

struct job {
	struct reader_job	 rj;		/* readers.c hands this over */
	TAILQ_ENTRY(job)	 wait;		/* on srv->jobs_waiting */
	struct server		*srv;
	const struct op		*op;
	cJSON			*args;		/* a copy, owned */
	struct principal	 who;
	/* The configuration as the request found it: SIGHUP changes the
	 * server's while the job runs. */
	struct config		 conf;
	struct need_cache	*ncache;	/* the server's, for the op */
	unsigned		 how;		/* DISPATCH_TEXT, _INTERNAL */
	unsigned long long	 version;	/* srv->data_version when queued */
	int			 tries;		/* computations of OP_SPLIT */
	long			 compute_delay_ms;	/* a test's */
	int			 more;		/* its write has slices left */
	int			 slices;	/* of its write, so far */
	double			 start;
	double			 write_start;	/* when its write began */
	double			 write_cpu;	/* the loop's CPU time of it */
	double			 turn_max;	/* its longest turn of slices */
	/* Made on the reader thread. */
	struct answer		 a;
	char			 object[96];
	void			*state;		/* OP_SPLIT: compute's */
	void			(*state_free)(void *);
	/* Told on the loop thread. */
	job_done_fn		 done;
	void			*done_arg;
};

int
job_wanted(const struct server *srv, const struct op *op, const cJSON *args)
{
	if (srv->readers == NULL)
		return 0;
	if ((op->where & OP_INDEX) && srv->sindex != NULL &&
	    suggest_index_stale(srv->sindex)) {
		log_debug("job_wanted: %s on a reader: the index of open "
		    "offers is behind", op->name);
		return 1;
	}
	return (op->where & (OP_READER | OP_SPLIT)) && (op->reader_if == NULL ||
	    cJSON_GetObjectItemCaseSensitive(args, op->reader_if) != NULL);
}

static void	jobs_index(struct server *);
static void	job_sleep_ms(long);

static void
job_state_free(struct job *j)
{
	if (j->state_free != NULL)
		j->state_free(j->state);
	j->state = NULL;
	j->state_free = NULL;
}

/* Something to free on a reader thread (jobs_trash). */
struct trash_job {
	struct reader_job	 rj;
	void			*state;
	void			(*state_free)(void *);
};

static void
trash_run(struct reader_job *rj, struct store *s)
{
	struct trash_job *t = (struct trash_job *)rj;

	(void)s;
	t->state_free(t->state);
	t->state = NULL;
}

static void
trash_finish(struct reader_job *rj)
{
	free(rj);
}

/*
 * Free p with fn where it costs the loop nothing: what a run computed (the
 * matcher's input and result, most of it allocated by the reader that
 * computed it) or an index of open offers is tens of thousands of blocks
 * at a city's scale, and freeing them took milliseconds of a turn (a run's
 * COMMIT's), with a lock of a reader's malloc arena taken for each.  A
 * reader frees it; the loop only without readers, or when out of memory.
 */
static void
jobs_trash(struct server *srv, void *p, void (*fn)(void *))
{
	struct trash_job *t;

	if (srv->readers == NULL || (t = calloc(1, sizeof(*t))) == NULL) {
		fn(p);
		return;
	}
	t->rj.run = trash_run;
	t->rj.finish = trash_finish;
	t->state = p;
	t->state_free = fn;
	readers_submit(srv->readers, &t->rj);
}

/* j's state (OP_SPLIT: what compute made) let go of (jobs_trash). */
static void
job_state_trash(struct job *j)
{
	if (j->state_free != NULL)
		jobs_trash(j->srv, j->state, j->state_free);
	j->state = NULL;
	j->state_free = NULL;
}

static void
job_free(struct job *j)
{
	job_state_free(j);
	cJSON_Delete(j->args);
	cJSON_Delete(j->a.result);
	free(j->a.text);
	free(j);
}

/*
 * Queue j for a reader, or, when the turn's transaction holds a write,
 * for after its commit: a job reads what was committed, and a request
 * that follows a write must see it (its own connection's above all).
 */
static void
job_queue(struct job *j)
{
	struct server *srv = j->srv;

	if (txn_dirty(srv)) {
		TAILQ_INSERT_TAIL(&srv->jobs_waiting, j, wait);
		return;
	}
	j->version = srv->data_version;
	readers_submit(srv->readers, &j->rj);
}

void
jobs_after_commit(struct server *srv)
{
	struct job *j;

	while ((j = TAILQ_FIRST(&srv->jobs_waiting)) != NULL) {
		TAILQ_REMOVE(&srv->jobs_waiting, j, wait);
		j->version = srv->data_version;
		readers_submit(srv->readers, &j->rj);
	}
	jobs_index(srv);
}

/*
 * On a reader thread: the handler (OP_READER) or compute (OP_SPLIT) over
 * this thread's store, in one read transaction.  Touches only j and s.
 */
static void
job_run(struct reader_job *rj, struct store *s)
{
	struct job	*j = (struct job *)rj;
	struct answer	*a = &j->a;
	struct op_ctx	 ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.conf = &j->conf;
	ctx.ncache = j->ncache;
	ctx.who = &j->who;
	ctx.op = j->op;
	if (store_read_begin(s, &a->err) == -1)
		return;
	if (j->op->where & OP_SPLIT) {
		job_sleep_ms(j->compute_delay_ms);
		if (j->op->compute(&ctx, j->args, &a->err) == 0) {
			j->state = ctx.state;
			j->state_free = ctx.state_free;
		} else if (ctx.state_free != NULL)
			ctx.state_free(ctx.state);
	} else if (j->op->handler(&ctx, j->args, &a->result,
	    &a->err) == -1) {
		cJSON_Delete(a->result);
		a->result = NULL;
	} else if (j->how & DISPATCH_TEXT) {
		/* Printed here, not on the loop: a long answer takes as long
		 * to print as some reads take to run. */
		(void)dispatch_fit(&j->conf, a->result, &a->text,
		    &a->text_len, &a->err);
		a->result = NULL;
	}
	store_read_end(s);
	snprintf(j->object, sizeof(j->object), "%s", ctx.object);
}

/*
 * A test's knob: the environment variable name as a number (dflt when
 * unset), read once into *cache (-1 until then).  The loop thread's only.
 */
static long
job_knob(const char *name, long *cache, long dflt)
{
	const char *v;

	if (*cache < 0)
		*cache = (v = getenv(name)) != NULL ? atol(v) : dflt;
	return *cache;
}

/*
 * The rows of a slice of a run's write (op_ctx.slice_rows): 250 (1 to 3
 * ms of the loop each at a million needs, docs/performance.md); 0 writes
 * a run at once.  MATCHD_TEST_RUN_SLICE=N makes it N, for the tests.
 */
static int
job_slice_rows(void)
{
	static long	 rows = -1;
	long		 n = job_knob("MATCHD_TEST_RUN_SLICE", &rows, 250);

	return n < 0 ? 0 : (int)n;
}

static void
job_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* MATCHD_TEST_RUN_STEP_DELAY_MS=N: a test sleeps N ms before each slice
 * of a run's write after the first, so that it can act in the middle. */
static void
job_slice_delay(void)
{
	static long ms = -1;

	job_sleep_ms(job_knob("MATCHD_TEST_RUN_STEP_DELAY_MS", &ms, 0));
}

/* MATCHD_TEST_COMPUTE_DELAY_MS=N: each computation of an OP_SPLIT job
 * takes N ms longer on its reader, so that a test's writes surely come
 * while it runs.  Read on the loop thread (job_start), kept in the job. */
static long
job_compute_delay_ms(void)
{
	static long ms = -1;

	return job_knob("MATCHD_TEST_COMPUTE_DELAY_MS", &ms, 0);
}

/* MATCHD_TEST_INDEX_HOLD=PATH: each read of the index of open offers on
 * a reader (jobs_index) waits while the file PATH exists (two minutes at
 * most), so that a test finds the loop's index behind until it removes
 * the file, however slowly its writes ran (a timed wait was outrun by
 * 5,000 posts under ThreadSanitizer).  NULL when unset; getenv's string,
 * read on the loop thread and only read after. */
static const char *
job_index_hold(void)
{
	const char *v = getenv("MATCHD_TEST_INDEX_HOLD");

	return v != NULL && *v != '\0' ? v : NULL;
}

/* On a reader: wait while the file path exists, polling each 10 ms. */
static void
job_hold_while(const char *path)
{
	int i;

	for (i = 0; path != NULL && i < 12000 && access(path, F_OK) == 0; i++)
		job_sleep_ms(10);
}

/* MATCHD_TEST_RUN_FAIL_SLICE=N: a test makes the N-th slice of a run's
 * write fail after it was written (1 if it was). */
static int
job_slice_fails(int slice)
{
	static long n = -1;

	return slice > 0 && slice == job_knob("MATCHD_TEST_RUN_FAIL_SLICE",
	    &n, 0);
}

/* OP_SPLIT, on the loop: write what compute made (a slice of it: j->more
 * then says more is left), in a savepoint of the turn's transaction. */
static void
job_apply(struct job *j)
{
	struct server	*srv = j->srv;
	struct op_ctx	 ctx;

	if (txn_open(srv, &j->a.err) == -1)
		return;
	dispatch_loop_ctx(srv, j->op, &j->who, &ctx);
	ctx.state = j->state;
	ctx.slice_rows = job_slice_rows();
	snprintf(ctx.object, sizeof(ctx.object), "%s", j->object);
	dispatch_write(srv, j->op, &ctx, j->args, &j->a);
	snprintf(j->object, sizeof(j->object), "%s", ctx.object);
	j->more = j->a.err.code == ERR_NONE && ctx.more;
	if (++j->slices > 1 && job_slice_fails(j->slices) &&
	    j->a.err.code == ERR_NONE) {
		cJSON_Delete(j->a.result);
		j->a.result = NULL;
		j->more = 0;
		error_set(&j->a.err, ERR_UNAVAILABLE, NULL, "the store could "
		    "not write (a test's failed slice): nothing was stored; "
		    "try again later");
	}
	if (!store_in_txn(srv->store)) {
		j->more = 0;
		/* SQLite gave the transaction up: earlier writes are gone. */
		txn_abort(srv);
		if (j->a.err.code == ERR_NONE) {
			cJSON_Delete(j->a.result);
			j->a.result = NULL;
			error_set(&j->a.err, ERR_UNAVAILABLE, NULL, "the store "
			    "could not write (the disk may be full): nothing "
			    "was stored; try again later");
		}
	}
}

/* This thread's CPU time, in seconds. */
static double
job_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void	job_done(struct job *, int alone);

/* On the loop thread: write (OP_SPLIT), audit, count, log, answer.  While
 * a run is written in slices, it waits for the run's commit. */
static void
job_finish(struct reader_job *rj)
{
	struct job	*j = (struct job *)rj;
	struct server	*srv = j->srv;
	struct answer	*a = &j->a;

	if (txn_held(srv)) {
		TAILQ_INSERT_TAIL(&srv->jobs_deferred, j, wait);
		return;
	}
	if ((j->op->where & OP_SPLIT) && a->err.code == ERR_NONE) {
		if (srv->data_version != j->version) {
			/* Something it read may have changed: once more. */
			job_state_trash(j);
			if (j->tries++ == 0) {
				job_queue(j);
				return;
			}
			error_set(&a->err, ERR_CONFLICT, NULL, "%s: what it "
			    "computed from changed twice while it ran (needs, "
			    "offers or matches were written); try again",
			    j->op->name);
		} else {
			/* Alone in its transaction: what the turn holds so
			 * far is committed and answered first, and this
			 * write commits at once after it (below), so no
			 * other client's answer waits behind a run's
			 * thousands of rows, nor this one behind theirs. */
			txn_end(srv);
			j->write_start = metrics_now();
			j->write_cpu = job_cpu();
			job_apply(j);
			j->write_cpu = job_cpu() - j->write_cpu;
			if (j->more) {
				/* The rest in later turns (jobs_write), in
				 * this transaction, which stays open. */
				srv->run_job = j;
				txn_hold(srv, 1);
				return;
			}
			job_done(j, 1);
			return;
		}
	}
	job_done(j, 0);
}

/*
 * After its write, if any: audit, count, log, answer, free j.  alone: its
 * write was alone in its transaction, committed here after its audit.
 */
static void
job_done(struct job *j, int alone)
{
	struct server	*srv = j->srv;
	struct answer	*a = &j->a;
	struct error	 e;

	if (alone)
		log_debug("job_finish: %s wrote its result in %.1f ms (%.1f "
		    "ms of CPU, %d slices, the longest turn of them %.1f ms)",
		    j->op->name, (metrics_now() - j->write_start) * 1000,
		    j->write_cpu * 1000, j->slices, j->turn_max * 1000);
	job_state_trash(j);
	if ((j->op->write || a->err.code != ERR_NONE) &&
	    txn_open(srv, &e) == 0)
		dispatch_audit(srv, &j->who, j->op->name, j->object, &a->err);
	if (!(j->how & DISPATCH_INTERNAL))
		dispatch_count(srv, j->op->name, &j->who, a->err.code,
		    j->start);
	/* A read's answer describes committed data only: it stands even if
	 * this turn's commit fails. */
	a->snapshot = !j->op->write;
	if (j->done != NULL)
		j->done(j->done_arg, a);
	job_free(j);
	if (alone)
		txn_end(srv);
}

/* The jobs whose finish waited for a run's commit, in order (one may
 * begin another run: those after it wait again). */
static void
jobs_undefer(struct server *srv)
{
	struct job_list	 list = TAILQ_HEAD_INITIALIZER(list);
	struct job	*j;

	TAILQ_CONCAT(&list, &srv->jobs_deferred, wait);
	while ((j = TAILQ_FIRST(&list)) != NULL) {
		TAILQ_REMOVE(&list, j, wait);
		job_finish(&j->rj);
	}
}

void
jobs_write(struct server *srv)
{
	struct job	*j = srv->run_job;
	double		 start = metrics_now(), cpu = job_cpu(), one;
	double		 slice = (double)srv->conf.turn_slice_ms / 1000;

	if (j == NULL)
		return;
	if (j->more) {
		job_slice_delay();
		/* Slices while another as long as the last still fits in the
		 * turn's slice of time (a ping waits for the whole turn). */
		do {
			one = metrics_now();
			job_apply(j);
			one = metrics_now() - one;
		} while (j->more && metrics_now() - start + one < slice);
		j->write_cpu += job_cpu() - cpu;
		if (metrics_now() - start > j->turn_max)
			j->turn_max = metrics_now() - start;
		/* Written whole: the audit, the answer and the COMMIT (4
		 * to 9 ms at 11,000 pairs) in a turn of their own. */
		if (j->more || j->a.err.code == ERR_NONE)
			return;
	}
	srv->run_job = NULL;
	txn_hold(srv, 0);
	/* A slice failed: the whole run goes, not only its savepoint. */
	if (j->a.err.code != ERR_NONE && store_in_txn(srv->store))
		txn_abort(srv);
	job_done(j, 1);
	jobs_undefer(srv);
}

struct job *
job_start(struct server *srv, const struct op *op,
    const struct principal *who, const cJSON *args, unsigned how)
{
	struct job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if (args != NULL && (j->args = cJSON_Duplicate(args, 1)) == NULL) {
		free(j);
		return NULL;
	}
	j->rj.run = job_run;
	j->rj.finish = job_finish;
	j->srv = srv;
	j->op = op;
	j->who = *who;
	j->conf = srv->conf;
	j->ncache = srv->ncache;
	j->how = how;
	j->start = metrics_now();
	j->a.write = op->write;
	j->compute_delay_ms = job_compute_delay_ms();
	job_queue(j);
	return j;
}

void
job_on_done(struct job *j, job_done_fn done, void *arg)
{
	j->done = done;
	j->done_arg = arg;
}

/* ---- the needs in memory, read at start -------------------------------- */

struct warm_job {
	struct reader_job	 rj;
	struct need_cache	*nc;
	struct server		*srv;		/* finish only (loop thread) */
};

static void
warm_run(struct reader_job *rj, struct store *s)
{
	struct warm_job		*w = (struct warm_job *)rj;
	struct need_cache_view	 v;
	struct error		 err;

	if (store_read_begin(s, &err) == -1)
		return;
	if (need_cache_acquire(w->nc, s, &v, &err) == 0)
		need_cache_release(w->nc);
	else
		log_warnx("warm_run: %s (read on first use)", err.message);
	store_read_end(s);
}

static void
warm_finish(struct reader_job *rj)
{
	struct warm_job *w = (struct warm_job *)rj;

	w->srv->warm_busy = 0;
	free(rj);
}

void
jobs_warm(struct server *srv)
{
	struct warm_job *w;

	if (srv->readers == NULL || srv->ncache == NULL || srv->warm_busy ||
	    (w = calloc(1, sizeof(*w))) == NULL)
		return;
	w->rj.run = warm_run;
	w->rj.finish = warm_finish;
	w->nc = srv->ncache;
	w->srv = srv;
	srv->warm_busy = 1;
	srv->warm_owed = 0;
	srv->warm_last = metrics_now();
	readers_submit(srv->readers, &w->rj);
}

/* ---- the index of open offers, read again whole ------------------------ */

struct index_job {
	struct reader_job	 rj;
	struct suggest_index	*fresh;		/* run makes it; finish hands
						 * it to the server's */
	struct config		 conf;		/* as when it was queued */
	struct server		*srv;		/* finish only (loop thread) */
	const char		*hold;		/* a test's, or NULL */
};

static void
index_run(struct reader_job *rj, struct store *s)
{
	struct index_job	*w = (struct index_job *)rj;
	struct error		 err;
	double			 t = metrics_now();

	job_hold_while(w->hold);
	if ((w->fresh = suggest_index_new()) == NULL)
		return;
	if (store_read_begin(s, &err) == 0) {
		if (suggest_index_build(w->fresh, s, &w->conf, &err) == 0) {
			store_read_end(s);
			log_debug("index_run: open offers indexed in %.3f s",
			    metrics_now() - t);
			return;
		}
		store_read_end(s);
	}
	log_warnx("index_run: %s (read on first use)", err.message);
	suggest_index_free(w->fresh);
	w->fresh = NULL;
}

static void
index_free(void *p)
{
	suggest_index_free(p);
}

static void
index_finish(struct reader_job *rj)
{
	struct index_job	*w = (struct index_job *)rj;
	struct server		*srv = w->srv;

	srv->index_busy = 0;
	/* Taken, or not: fresh then holds what is to be freed (the tables
	 * the index had, or its own), off the loop.  Offers written
	 * meanwhile are read again at the next suggestion; if a burst of
	 * them goes on, the turn's end reads the whole again
	 * (jobs_after_commit). */
	(void)suggest_index_adopt(srv->sindex, w->fresh);
	if (w->fresh != NULL)
		jobs_trash(srv, w->fresh, index_free);
	free(w);
}

/*
 * When a burst of offer posts (or a failed commit) has left the index of
 * open offers to be read whole, read it on a reader now rather than on the
 * loop at the next match.suggest {need} (a second at 100,000 offers).
 * Only between transactions (jobs_after_commit): the reader's snapshot
 * then holds every write made before rebuild_begin, and the index hears
 * of every write after it.
 */
static void
jobs_index(struct server *srv)
{
	struct index_job *w;

	/* At most once a second: through a burst of offer posts each read
	 * costs a reader 0.3 s at 100,000 offers, and the loop and the
	 * posting clients want the cores. */
	if (srv->readers == NULL || srv->sindex == NULL || srv->index_busy ||
	    !suggest_index_stale(srv->sindex) ||
	    metrics_now() - srv->index_last < 1.0 ||
	    (w = calloc(1, sizeof(*w))) == NULL)
		return;
	w->hold = job_index_hold();
	w->rj.run = index_run;
	w->rj.finish = index_finish;
	w->conf = srv->conf;
	w->srv = srv;
	srv->index_busy = 1;
	srv->index_last = metrics_now();
	suggest_index_rebuild_begin(srv->sindex);
	readers_submit(srv->readers, &w->rj);
}

/* Bring the needs in memory up to date at most once a second after
 * writes, in the background: a burst of posts is then read by then, not
 * by the next stats.* (a million posted needs take a second to read). */
void
jobs_warm_after_commit(struct server *srv)
{
	if (!srv->warm_busy && metrics_now() - srv->warm_last >= 1.0)
		jobs_warm(srv);
	else
		srv->warm_owed = 1;
}

void
jobs_warm_tick(struct server *srv)
{
	if (srv->warm_owed)
		jobs_warm_after_commit(srv);
}

/* ---- limits.max_answer_bytes ------------------------------------------- */

/* Point the page's "next" at the last item kept (its id, or its code). */
static int
fit_next(cJSON *result, const cJSON *last)
{
	cJSON		*next = cJSON_GetObjectItemCaseSensitive(result, "next");
	const cJSON	*cur = cJSON_GetObjectItemCaseSensitive(last, "id");
	cJSON		*v;

	if (cur == NULL)
		cur = cJSON_GetObjectItemCaseSensitive(last, "code");
	if (next == NULL || cur == NULL ||
	    (v = cJSON_Duplicate(cur, 0)) == NULL)
		return -1;
	/* The key moves to the new item (it may be a static one). */
	v->string = next->string;
	v->type |= next->type & cJSON_StringIsConst;
	next->string = NULL;
	next->type &= ~cJSON_StringIsConst;
	return cJSON_ReplaceItemViaPointer(result, next, v) ? 0 : -1;
}

/*
 * Print result (taken) into *text.  When it is longer than
 * limits.max_answer_bytes and it is a page (items and next), keep the
 * items that fit and point next after the last kept: the client reads on
 * from there.  Anything else that long is refused, never cut.  0, or -1
 * with err set (result freed either way).
 */
int
dispatch_fit(const struct config *conf, cJSON *result, char **text,
    size_t *len, struct error *err)
{
	size_t	 max = (size_t)conf->max_answer_bytes, total, base, sum, one;
	size_t	*sizes = NULL, n, k = 0;
	cJSON	*items, *it, *last;
	char	*t;

	*text = NULL;
	if ((t = json_print(result, &total)) == NULL) {
		cJSON_Delete(result);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	if (total <= max) {
		cJSON_Delete(result);
		*text = t;
		*len = total;
		return 0;
	}
	free(t);
	items = cJSON_GetObjectItemCaseSensitive(result, "items");
	if (!cJSON_IsArray(items) ||
	    cJSON_GetObjectItemCaseSensitive(result, "next") == NULL)
		goto too_large;
	/* The items' lengths: what is not items, plus room for the longest
	 * cursor, stays. */
	if ((sizes = calloc((size_t)cJSON_GetArraySize(items) + 1,
	    sizeof(*sizes))) == NULL)
		goto too_large;
	sum = 0;
	cJSON_ArrayForEach(it, items) {
		if ((t = json_print(it, &one)) == NULL)
			goto too_large;
		free(t);
		sizes[k++] = one + 1;
		sum += one + 1;
	}
	base = total - sum + 64;
	for (n = k, k = 0, sum = 0; k < n && base + sum + sizes[k] <= max; k++)
		sum += sizes[k];
	if (k == 0)
		goto too_large;
	last = cJSON_GetArrayItem(items, k - 1);
	while (last->next != NULL)
		cJSON_Delete(cJSON_DetachItemViaPointer(items, last->next));
	if (fit_next(result, last) == -1)
		goto too_large;
	free(sizes);
	if ((*text = json_print(result, len)) == NULL) {
		cJSON_Delete(result);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	cJSON_Delete(result);
	return 0;
too_large:
	free(sizes);
	cJSON_Delete(result);
	return error_set(err, ERR_TOO_LARGE, NULL, "the answer would be %zu "
	    "bytes, more than limits.max_answer_bytes (%zu): ask for less "
	    "(a street, a year, a smaller limit)", total, max);
}
