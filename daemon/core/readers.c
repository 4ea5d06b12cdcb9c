/*
 * readers.c: a pool of reader threads, a job queue in and a done queue
 * out (readers.h draws the hand-over).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "daemon/base/log.h"
#include "daemon/core/readers.h"
#include "daemon/store/store_reader.h"

/* How much lower than the loop thread the reader threads run. */
#define READERS_NICE	10

TAILQ_HEAD(reader_job_list, reader_job);

struct reader_thread {
	struct readers	*pool;
	pthread_t	 tid;
	int		 started;
	struct store	*store;		/* this thread's alone */
};

struct readers {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;		/* todo has a job, or stopping */
	/* The checkpointer: a thread of its own copies the WAL into the
	 * database after commits (readers_committed), never the loop. */
	pthread_cond_t		 ckpt_cv;	/* commits moved, or stopping */
	unsigned long		 commits;	/* under mu */
	pthread_t		 ckpt_tid;
	int			 ckpt_started;
	struct store		*ckpt;
	struct reader_job_list	 todo;		/* under mu */
	struct reader_job_list	 done;		/* under mu */
	size_t			 queued, running;	/* under mu */
	int			 stopping;	/* under mu */
	int			 wake;		/* eventfd */
	int			 n;
	struct reader_thread	*th;
};

/* Tell the loop that a job is done: the eventfd counts, the loop reads. */
static void
readers_wake(struct readers *r)
{
	uint64_t one = 1;

	while (write(r->wake, &one, sizeof(one)) == -1 && errno == EINTR)
		;
}

static void *
readers_main(void *arg)
{
	struct reader_thread	*t = arg;
	struct readers		*r = t->pool;
	struct reader_job	*job;

	/*
	 * Below the loop thread: on a machine of two cores a long read must
	 * not take the core the loop needs for its turn (the kernel gives a
	 * niced thread the CPU only when the loop has no use for it).
	 */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), READERS_NICE);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (TAILQ_EMPTY(&r->todo) && !r->stopping)
			pthread_cond_wait(&r->cv, &r->mu);
		if ((job = TAILQ_FIRST(&r->todo)) == NULL)
			break;		/* stopping, and nothing left to run */
		TAILQ_REMOVE(&r->todo, job, entry);
		r->queued--;
		r->running++;
		pthread_mutex_unlock(&r->mu);
		job->run(job, t->store);
		pthread_mutex_lock(&r->mu);
		r->running--;
		TAILQ_INSERT_TAIL(&r->done, job, entry);
		readers_wake(r);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Between two checkpoints, at least this long (ns): one per commit would
 * copy a few pages at a time, ten a second keep the WAL short. */
#define READERS_CKPT_NS	100000000L

static void *
readers_ckpt_main(void *arg)
{
	struct readers		*r = arg;
	struct timespec		 pause = { 0, READERS_CKPT_NS };
	unsigned long		 seen = 0;
	int			 left = 0;

	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), READERS_NICE);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		/*
		 * Frames left behind (a reader held an older snapshot) are
		 * copied at the next pause even with no commit after them:
		 * once the WAL is all in the database, reads ignore it and
		 * take their pages from the map, not a pread of the WAL each.
		 */
		while (r->commits == seen && left <= 0 && !r->stopping)
			pthread_cond_wait(&r->ckpt_cv, &r->mu);
		if (r->stopping)
			break;
		seen = r->commits;
		pthread_mutex_unlock(&r->mu);
		left = store_checkpoint(r->ckpt);
		nanosleep(&pause, NULL);
		pthread_mutex_lock(&r->mu);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

void
readers_committed(struct readers *r)
{
	pthread_mutex_lock(&r->mu);
	r->commits++;
	pthread_cond_signal(&r->ckpt_cv);
	pthread_mutex_unlock(&r->mu);
}

struct readers *
readers_new(const char *path, long busy_ms, int n, struct error *err)
{
	struct readers	*r;
	int		 i;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->th = calloc((size_t)n, sizeof(*r->th))) == NULL) {
		free(r);
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	pthread_cond_init(&r->ckpt_cv, NULL);
	TAILQ_INIT(&r->todo);
	TAILQ_INIT(&r->done);
	r->n = n;
	r->wake = -1;
	if ((r->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		error_set(err, ERR_INTERNAL, NULL, "eventfd: %s",
		    strerror(errno));
		goto fail;
	}
	for (i = 0; i < n; i++) {
		r->th[i].pool = r;
		if ((r->th[i].store = store_open_reader(path, busy_ms,
		    err)) == NULL)
			goto fail;
		if ((errno = pthread_create(&r->th[i].tid, NULL, readers_main,
		    &r->th[i])) != 0) {
			error_set(err, ERR_INTERNAL, NULL, "pthread_create: %s",
			    strerror(errno));
			goto fail;
		}
		r->th[i].started = 1;
		/* Named here, not by the thread: the name is there before
		 * the daemon says it is ready (top -H, perf --comm). */
		(void)pthread_setname_np(r->th[i].tid, "matchd-reader");
	}
	if ((r->ckpt = store_open_checkpointer(path, busy_ms, err)) == NULL)
		goto fail;
	if ((errno = pthread_create(&r->ckpt_tid, NULL, readers_ckpt_main,
	    r)) != 0) {
		error_set(err, ERR_INTERNAL, NULL, "pthread_create: %s",
		    strerror(errno));
		goto fail;
	}
	r->ckpt_started = 1;
	(void)pthread_setname_np(r->ckpt_tid, "matchd-ckpt");
	return r;
fail:
	readers_free(r);
	return NULL;
}

void
readers_free(struct readers *r)
{
	struct reader_job	*job;
	int			 i;

	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->stopping = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_cond_broadcast(&r->ckpt_cv);
	pthread_mutex_unlock(&r->mu);
	for (i = 0; i < r->n; i++)
		if (r->th[i].started)
			pthread_join(r->th[i].tid, NULL);
	if (r->ckpt_started)
		pthread_join(r->ckpt_tid, NULL);
	store_close(r->ckpt);
	/*
	 * Every thread ran what was queued before it left; what the jobs'
	 * finish submits again (a recomputation) runs here, on this thread,
	 * now that no other is left.
	 */
	if (r->wake != -1) {
		readers_drain(r);
		while ((job = TAILQ_FIRST(&r->todo)) != NULL) {
			TAILQ_REMOVE(&r->todo, job, entry);
			job->run(job, r->th[0].store);
			TAILQ_INSERT_TAIL(&r->done, job, entry);
			readers_drain(r);
		}
		close(r->wake);
	}
	for (i = 0; i < r->n; i++)
		store_close(r->th[i].store);
	pthread_cond_destroy(&r->cv);
	pthread_cond_destroy(&r->ckpt_cv);
	pthread_mutex_destroy(&r->mu);
	free(r->th);
	free(r);
}

int
readers_fd(const struct readers *r)
{
	return r->wake;
}

void
readers_submit(struct readers *r, struct reader_job *job)
{
	pthread_mutex_lock(&r->mu);
	TAILQ_INSERT_TAIL(&r->todo, job, entry);
	r->queued++;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void
readers_drain(struct readers *r)
{
	struct reader_job_list	 list;
	struct reader_job	*job;
	uint64_t		 n;

	while (read(r->wake, &n, sizeof(n)) == -1 && errno == EINTR)
		;
	TAILQ_INIT(&list);
	pthread_mutex_lock(&r->mu);
	TAILQ_CONCAT(&list, &r->done, entry);
	pthread_mutex_unlock(&r->mu);
	/* finish may submit the job again (a recomputation): take each off
	 * the list before it is called. */
	while ((job = TAILQ_FIRST(&list)) != NULL) {
		TAILQ_REMOVE(&list, job, entry);
		job->finish(job);
	}
}

void
readers_load(struct readers *r, size_t *queued, size_t *running)
{
	pthread_mutex_lock(&r->mu);
	*queued = r->queued;
	*running = r->running;
	pthread_mutex_unlock(&r->mu);
}
