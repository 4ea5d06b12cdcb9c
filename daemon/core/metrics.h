/*
 * metrics.h: counters and histograms for GET /metrics (Prometheus text
 * format 0.0.4, every name prefixed matchd_).  Updated by the loop thread
 * only: dispatch counts requests, txn counts commits.
 */
#ifndef DAEMON_METRICS_H
#define DAEMON_METRICS_H

#include <stdio.h>

#include "protocol/error.h"

struct server;
struct metrics;

/* A new set of zeroed metrics; NULL when out of memory. */
struct metrics	*metrics_new(void);
void		 metrics_free(struct metrics *);

/* One request of op (NULL: not a known op) ended with code after secs. */
void	metrics_request(struct metrics *, const char *op, enum err_code code,
	    double secs);

/* One turn's transaction ended: nrequests in it, the commit took secs. */
void	metrics_commit(struct metrics *, int nrequests, double secs,
	    int failed);

/* n events of one turn were written to their watchers secs after its
 * commit (before its answers): n samples of secs. */
void	metrics_events_sent(struct metrics *, double secs,
	    unsigned long long n);

/* The heap was trimmed (malloc_trim: net/outbox.c), in secs. */
void	metrics_trim(struct metrics *, double secs);

/* Seconds of a monotonic clock, for durations. */
double	metrics_now(void);

/*
 * Write every metric to fp in the Prometheus text format: the counters,
 * and the gauges read now from srv (connections, answers waiting, the
 * database's and its WAL's size).
 */
void	metrics_print(const struct metrics *, const struct server *, FILE *fp);

#endif
