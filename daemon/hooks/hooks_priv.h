/*
 * hooks_priv.h: the worker's state, shared by hooks.c (the loop of the
 * worker, the queues) and hooks_send.c (one transfer, the metrics).  Not
 * for use outside daemon/hooks.
 */
#ifndef DAEMON_HOOKS_PRIV_H
#define DAEMON_HOOKS_PRIV_H

#include <sys/queue.h>

#include <pthread.h>

#include <curl/curl.h>

#include "daemon/domain/events.h"
#include "daemon/hooks/hooks.h"

/* Events queued for one webhook (read ahead of its deliveries). */
#define HOOK_QUEUE	64
/* An answer's body kept for webhook_delivered (bots' errcode). */
#define HOOK_ANSWER_MAX	4096
/* Positions waiting for the loop; webhooks in the metrics. */
#define HOOKS_OUT_MAX	1024
#define HOOKS_SNAP_MAX	256

/* One webhook, on the worker thread only. */
struct hook {
	TAILQ_ENTRY(hook)	 entry;
	int64_t			 id;
	char			*url, *format, *secret;
	uint32_t		 kinds;
	struct event_viewer	 viewer;
	int64_t			 position;	/* delivered or skipped */
	int64_t			 scanned;	/* the last event read */
	int64_t			 upto;		/* read no event past this: the
						   last the loop notified */
	int			 taken;		/* rows of the last read */
	struct event		*queue[HOOK_QUEUE];	/* a ring */
	int			 qhead, qlen;
	int			 seen;		/* found at the last reload */
	/* The transfer of queue[qhead]. */
	CURL			*easy;		/* kept: its connection too */
	int			 sending;
	struct curl_slist	*headers;
	char			*body;
	char			 answer[HOOK_ANSWER_MAX];
	size_t			 answer_len;
	double			 first_fail;	/* 0: the head has not failed */
	double			 next_try;
	double			 backoff;
	int			 allow_private;
};

struct hooks {
	pthread_t		 thread;
	CURLM			*multi;		/* curl_multi_wakeup: any thread */
	struct hooks_config	 conf;		/* database: owned copy */
	/* Under mu: what the loop and the worker share. */
	pthread_mutex_t		 mu;
	int64_t			 committed;
	int			 stop;
	struct hooks_position	 out[HOOKS_OUT_MAX];
	size_t			 nout;
	struct {
		int64_t		 webhook;
		int64_t		 pending;
	}			 snap[HOOKS_SNAP_MAX];
	size_t			 nsnap;
	unsigned long long	 snap_skipped, snap_delivered, snap_failures;
	/* The worker's own. */
	struct store_hookdb	*db;
	TAILQ_HEAD(, hook)	 list;
	unsigned long long	 skipped, delivered, failures;
};

double	hooks_now(void);
/* Start the transfer of the head of w's queue. */
void	hooks_send(struct hooks *, struct hook *);
/* Copy the figures /metrics shows, under the mutex. */
void	hooks_snapshot(struct hooks *, int64_t committed);

#endif
