/*
 * syncer.c: one thread that fdatasyncs the WAL behind the loop's commits
 * (syncer.h draws the hand-over).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon/base/log.h"
#include "daemon/core/metrics.h"
#include "daemon/core/syncer.h"

struct syncer {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;		/* committed moved, or stopping */
	pthread_cond_t	 done_cv;	/* synced moved, or failed */
	uint64_t	 committed;	/* under mu; written by the loop */
	uint64_t	 synced;	/* under mu; written by the thread */
	double		 synced_at;	/* under mu: when synced last moved
					   (monotonic seconds) */
	int		 failed;	/* under mu: the errno of a failed sync */
	int		 stopping;	/* under mu */
	uint64_t	 nsyncs;	/* under mu: for the metrics */
	double		 sync_secs;	/* under mu */
	uint64_t	 loop_committed; /* the loop's own copy (no lock) */
	pthread_t	 tid;
	int		 started;
	int		 wal;		/* read by the thread only, once started */
	int		 wake;		/* eventfd */
	/* Test knobs (syncer.h), set before the thread starts. */
	long		 delay_ms;
	char		*fail_path;
};

/* Tell the loop that synced moved (or a sync failed). */
static void
syncer_wake(struct syncer *s)
{
	uint64_t one = 1;

	while (write(s->wake, &one, sizeof(one)) == -1 && errno == EINTR)
		;
}

/* One fdatasync of the WAL, after the test knobs: 0, or -1 (errno). */
static int
syncer_sync_once(struct syncer *s)
{
	struct timespec	d;

	if (s->delay_ms > 0) {
		d.tv_sec = s->delay_ms / 1000;
		d.tv_nsec = (s->delay_ms % 1000) * 1000000L;
		while (nanosleep(&d, &d) == -1 && errno == EINTR)
			;
	}
	if (s->fail_path != NULL && access(s->fail_path, F_OK) == 0) {
		errno = EIO;
		return -1;
	}
	return fdatasync(s->wal);
}

static void *
syncer_main(void *arg)
{
	struct syncer	*s = arg;
	uint64_t	 c;
	double		 start;
	int		 rc, saved;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		/* After a failure it syncs no more, and waits to be stopped
		 * (the loop exits first: fatal). */
		while ((s->committed == s->synced || s->failed) &&
		    !s->stopping)
			pthread_cond_wait(&s->cv, &s->mu);
		/* Stopping: what was committed is synced first. */
		if (s->committed == s->synced || s->failed)
			break;
		c = s->committed;
		pthread_mutex_unlock(&s->mu);
		start = metrics_now();
		rc = syncer_sync_once(s);
		saved = errno;
		pthread_mutex_lock(&s->mu);
		if (rc == -1) {
			/* synced stays: nothing after it may be trusted. */
			s->failed = saved != 0 ? saved : EIO;
			pthread_cond_broadcast(&s->done_cv);
			syncer_wake(s);
			continue;
		}
		s->synced = c;
		s->synced_at = metrics_now();
		s->nsyncs++;
		s->sync_secs += s->synced_at - start;
		pthread_cond_broadcast(&s->done_cv);
		syncer_wake(s);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct syncer *
syncer_new(const char *database, struct error *err)
{
	struct syncer	*s;
	const char	*v;
	char		 path[4096];

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_cond_init(&s->done_cv, NULL);
	s->wal = s->wake = -1;
	if ((v = getenv("MATCHD_TEST_SYNC_DELAY_MS")) != NULL)
		s->delay_ms = strtol(v, NULL, 10);
	if ((v = getenv("MATCHD_TEST_SYNC_FAIL")) != NULL && *v != '\0' &&
	    (s->fail_path = strdup(v)) == NULL) {
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
		goto fail;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s-wal", database) >=
	    sizeof(path)) {
		error_set(err, ERR_INTERNAL, NULL, "syncer_new: the database's "
		    "path is too long");
		goto fail;
	}
	/* fsync works on a descriptor opened for reading: it syncs the
	 * file, which the loop's connection writes through its own. */
	if ((s->wal = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fdatasync(s->wal) == -1) {
		error_set(err, ERR_UNAVAILABLE, NULL, "syncer_new: %s: %s",
		    path, strerror(errno));
		goto fail;
	}
	if ((s->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		error_set(err, ERR_INTERNAL, NULL, "eventfd: %s",
		    strerror(errno));
		goto fail;
	}
	if ((errno = pthread_create(&s->tid, NULL, syncer_main, s)) != 0) {
		error_set(err, ERR_INTERNAL, NULL, "pthread_create: %s",
		    strerror(errno));
		goto fail;
	}
	s->started = 1;
	/* Named by its maker, as readers_new names its threads. */
	(void)pthread_setname_np(s->tid, "matchd-sync");
	if (s->delay_ms > 0 || s->fail_path != NULL)
		log_info("syncer_new: test knobs: each sync waits %ld ms%s%s",
		    s->delay_ms, s->fail_path ? ", and fails while this file "
		    "exists: " : "", s->fail_path ? s->fail_path : "");
	return s;
fail:
	syncer_free(s);
	return NULL;
}

void
syncer_free(struct syncer *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	if (s->started)
		pthread_join(s->tid, NULL);
	if (s->wal != -1)
		close(s->wal);
	if (s->wake != -1)
		close(s->wake);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->done_cv);
	pthread_mutex_destroy(&s->mu);
	free(s->fail_path);
	free(s);
}

int
syncer_fd(const struct syncer *s)
{
	return s->wake;
}

void
syncer_committed(struct syncer *s)
{
	pthread_mutex_lock(&s->mu);
	s->loop_committed = ++s->committed;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

uint64_t
syncer_commits(const struct syncer *s)
{
	return s->loop_committed;
}

uint64_t
syncer_synced(struct syncer *s, double *at)
{
	uint64_t v;

	pthread_mutex_lock(&s->mu);
	v = s->synced;
	if (at != NULL)
		*at = s->synced_at;
	pthread_mutex_unlock(&s->mu);
	return v;
}

/* Called with mu held, which it releases: 0, or -1 with errno set to
 * the failed sync's error. */
static int
syncer_unlock_result(struct syncer *s)
{
	int failed = s->failed;

	pthread_mutex_unlock(&s->mu);
	if (failed) {
		errno = failed;
		return -1;
	}
	return 0;
}

int
syncer_drain(struct syncer *s)
{
	uint64_t n;

	while (read(s->wake, &n, sizeof(n)) == -1 && errno == EINTR)
		;
	pthread_mutex_lock(&s->mu);
	return syncer_unlock_result(s);
}

int
syncer_wait(struct syncer *s)
{
	pthread_mutex_lock(&s->mu);
	while (s->synced < s->committed && !s->failed)
		pthread_cond_wait(&s->done_cv, &s->mu);
	return syncer_unlock_result(s);
}

void
syncer_metrics_print(struct syncer *s, FILE *fp)
{
	uint64_t	n, committed, synced;
	double		secs;

	pthread_mutex_lock(&s->mu);
	n = s->nsyncs;
	secs = s->sync_secs;
	committed = s->committed;
	synced = s->synced;
	pthread_mutex_unlock(&s->mu);
	fprintf(fp, "# HELP matchd_wal_sync_duration_seconds Time of the sync "
	    "thread's fdatasync of the WAL (store.synchronous = full).\n"
	    "# TYPE matchd_wal_sync_duration_seconds summary\n"
	    "matchd_wal_sync_duration_seconds_sum %.6f\n"
	    "matchd_wal_sync_duration_seconds_count %llu\n"
	    "# HELP matchd_commits_unsynced Commits made and not yet synced "
	    "(their answers and events wait).\n"
	    "# TYPE matchd_commits_unsynced gauge\n"
	    "matchd_commits_unsynced %llu\n", secs, (unsigned long long)n,
	    (unsigned long long)(committed - synced));
}
