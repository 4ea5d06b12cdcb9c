/*
 * metrics.c: the daemon's counters, printed for Prometheus.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "daemon/core/feed.h"
#include "daemon/hooks/hooks.h"
#include "daemon/core/metrics.h"
#include "daemon/core/readers.h"
#include "daemon/core/server.h"
#include "daemon/core/syncer.h"
#include "daemon/ops/ops.h"

/* Request and commit durations, in seconds; the last bucket is +Inf. */
static const double secs_bounds[] = { 0.0001, 0.00025, 0.0005, 0.001,
    0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NSECS	(sizeof(secs_bounds) / sizeof(secs_bounds[0]))
/* Requests in one commit. */
static const double batch_bounds[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256,
    512, 1024 };
#define NBATCH	(sizeof(batch_bounds) / sizeof(batch_bounds[0]))

#define NCODES	(ERR_UNAVAILABLE + 1)

struct histogram {
	uint64_t	counts[NSECS + 1];	/* not cumulative; +Inf last */
	uint64_t	count;
	double		sum;
};

struct op_metrics {
	uint64_t		outcomes[NCODES];
	struct histogram	secs;
};

struct metrics {
	size_t			 nops;
	struct op_metrics	*ops;		/* by ops_index; nops + 1:
						   the last for unknown ops */
	struct histogram	 commit_secs;
	struct histogram	 events_secs;
	struct histogram	 batch;
	uint64_t		 commit_failures;
	uint64_t		 trims;
	double			 trim_secs;
	time_t			 started;
};

struct metrics *
metrics_new(void)
{
	struct metrics *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->nops = ops_count();
	if ((m->ops = calloc(m->nops + 1, sizeof(*m->ops))) == NULL) {
		free(m);
		return NULL;
	}
	m->started = time(NULL);
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	free(m->ops);
	free(m);
}

double
metrics_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
histogram_add(struct histogram *h, const double *bounds, size_t n, double v)
{
	size_t i;

	for (i = 0; i < n && v > bounds[i]; i++)
		;
	h->counts[i]++;
	h->count++;
	h->sum += v;
}

void
metrics_request(struct metrics *m, const char *op, enum err_code code,
    double secs)
{
	const struct op		*o = op ? ops_find(op) : NULL;
	struct op_metrics	*om;

	om = &m->ops[o ? ops_index(o) : m->nops];
	if ((unsigned)code < NCODES)
		om->outcomes[code]++;
	histogram_add(&om->secs, secs_bounds, NSECS, secs);
}

void
metrics_commit(struct metrics *m, int nrequests, double secs, int failed)
{
	histogram_add(&m->commit_secs, secs_bounds, NSECS, secs);
	histogram_add(&m->batch, batch_bounds, NBATCH, (double)nrequests);
	if (failed)
		m->commit_failures++;
}

void
metrics_events_sent(struct metrics *m, double secs, unsigned long long n)
{
	size_t i;

	for (i = 0; i < NSECS && secs > secs_bounds[i]; i++)
		;
	m->events_secs.counts[i] += (uint64_t)n;
	m->events_secs.count += (uint64_t)n;
	m->events_secs.sum += secs * (double)n;
}

void
metrics_trim(struct metrics *m, double secs)
{
	m->trims++;
	m->trim_secs += secs;
}

/* One histogram's _bucket, _sum and _count lines; labels "" or `op="x",`. */
static void
histogram_print(FILE *fp, const char *name, const char *labels,
    const struct histogram *h, const double *bounds, size_t n)
{
	uint64_t	cum = 0;
	size_t		i;

	for (i = 0; i < n; i++) {
		cum += h->counts[i];
		fprintf(fp, "%s_bucket{%sle=\"%g\"} %llu\n", name, labels,
		    bounds[i], (unsigned long long)cum);
	}
	cum += h->counts[n];
	fprintf(fp, "%s_bucket{%sle=\"+Inf\"} %llu\n", name, labels,
	    (unsigned long long)cum);
	if (labels[0] != '\0') {
		/* `op="x",` without its comma. */
		fprintf(fp, "%s_sum{%.*s} %.9g\n", name,
		    (int)strlen(labels) - 1, labels, h->sum);
		fprintf(fp, "%s_count{%.*s} %llu\n", name,
		    (int)strlen(labels) - 1, labels,
		    (unsigned long long)h->count);
	} else {
		fprintf(fp, "%s_sum %.9g\n", name, h->sum);
		fprintf(fp, "%s_count %llu\n", name,
		    (unsigned long long)h->count);
	}
}

static long long
file_size(const char *path, const char *suffix)
{
	struct stat	st;
	char		buf[1100];

	snprintf(buf, sizeof(buf), "%s%s", path, suffix);
	return stat(buf, &st) == 0 ? (long long)st.st_size : 0;
}

static const char *
op_name(const struct metrics *m, size_t i)
{
	return i < m->nops ? ops_at(i)->name : "unknown";
}

void
metrics_print(const struct metrics *m, const struct server *srv, FILE *fp)
{
	char	labels[96];
	size_t	i, queued = 0, running = 0;
	int	c;

	fprintf(fp, "# HELP matchd_requests_total Requests answered, by "
	    "operation and outcome (ok or the error code).\n"
	    "# TYPE matchd_requests_total counter\n");
	for (i = 0; i <= m->nops; i++)
		for (c = 0; c < (int)NCODES; c++)
			if (m->ops[i].outcomes[c] > 0)
				fprintf(fp, "matchd_requests_total{op=\"%s\","
				    "outcome=\"%s\"} %llu\n", op_name(m, i),
				    c == ERR_NONE ? "ok" : error_name(c),
				    (unsigned long long)
				    m->ops[i].outcomes[c]);
	fprintf(fp, "# HELP matchd_request_duration_seconds Time to answer a "
	    "request, without waiting for its commit.\n"
	    "# TYPE matchd_request_duration_seconds histogram\n");
	for (i = 0; i <= m->nops; i++) {
		if (m->ops[i].secs.count == 0)
			continue;
		snprintf(labels, sizeof(labels), "op=\"%s\",", op_name(m, i));
		histogram_print(fp, "matchd_request_duration_seconds", labels,
		    &m->ops[i].secs, secs_bounds, NSECS);
	}
	fprintf(fp, "# HELP matchd_commit_duration_seconds Time of a turn's "
	    "COMMIT (with store.synchronous = full, its sync is the sync "
	    "thread's: matchd_wal_sync_duration_seconds).\n"
	    "# TYPE matchd_commit_duration_seconds histogram\n");
	histogram_print(fp, "matchd_commit_duration_seconds", "",
	    &m->commit_secs, secs_bounds, NSECS);
	fprintf(fp, "# HELP matchd_commit_batch_size Requests that shared "
	    "one commit (group commit).\n"
	    "# TYPE matchd_commit_batch_size histogram\n");
	histogram_print(fp, "matchd_commit_batch_size", "", &m->batch,
	    batch_bounds, NBATCH);
	fprintf(fp, "# HELP matchd_commit_failures_total Commits that failed "
	    "(their writes answered unavailable).\n"
	    "# TYPE matchd_commit_failures_total counter\n"
	    "matchd_commit_failures_total %llu\n",
	    (unsigned long long)m->commit_failures);
	fprintf(fp, "# HELP matchd_heap_trims_total Times freed memory was "
	    "given back to the system (after answers that waited for slow "
	    "clients, or were left by closed ones).\n"
	    "# TYPE matchd_heap_trims_total counter\n"
	    "matchd_heap_trims_total %llu\n"
	    "# HELP matchd_heap_trim_seconds_total Time the loop spent in "
	    "those trims.\n"
	    "# TYPE matchd_heap_trim_seconds_total counter\n"
	    "matchd_heap_trim_seconds_total %.6f\n",
	    (unsigned long long)m->trims, m->trim_secs);
	fprintf(fp, "# HELP matchd_connections Open client connections.\n"
	    "# TYPE matchd_connections gauge\n"
	    "matchd_connections %d\n", srv->nconns);
	if (srv->readers != NULL) {
		readers_load(srv->readers, &queued, &running);
		fprintf(fp, "# HELP matchd_reader_jobs Long reads and "
		    "computations on the reader threads, waiting for one or "
		    "running.\n# TYPE matchd_reader_jobs gauge\n"
		    "matchd_reader_jobs{state=\"queued\"} %zu\n"
		    "matchd_reader_jobs{state=\"running\"} %zu\n", queued,
		    running);
	}
	fprintf(fp, "# HELP matchd_database_bytes Size of the database "
	    "file.\n# TYPE matchd_database_bytes gauge\n"
	    "matchd_database_bytes %lld\n", file_size(srv->conf.database, ""));
	fprintf(fp, "# HELP matchd_wal_bytes Size of the write-ahead log.\n"
	    "# TYPE matchd_wal_bytes gauge\n"
	    "matchd_wal_bytes %lld\n", file_size(srv->conf.database, "-wal"));
	fprintf(fp, "# HELP matchd_event_delivery_seconds For each event "
	    "handed to a watcher: from its turn's commit until it is written "
	    "to the watchers' connections.\n"
	    "# TYPE matchd_event_delivery_seconds histogram\n");
	histogram_print(fp, "matchd_event_delivery_seconds", "",
	    &m->events_secs, secs_bounds, NSECS);
	if (srv->syncer != NULL)
		syncer_metrics_print(srv->syncer, fp);
	if (srv->feed != NULL)
		feed_metrics_print(srv->feed, fp);
	if (srv->hooks != NULL)
		hooks_metrics_print(srv->hooks, fp);
	fprintf(fp, "# HELP matchd_start_time_seconds When the daemon "
	    "started, in seconds since the epoch.\n"
	    "# TYPE matchd_start_time_seconds gauge\n"
	    "matchd_start_time_seconds %lld\n", (long long)m->started);
}
