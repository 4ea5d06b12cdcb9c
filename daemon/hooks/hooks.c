/*
 * hooks.c: the webhook worker.  One thread, one libcurl multi handle: each
 * webhook has at most one transfer under way (its oldest undelivered
 * event), so a dead target holds up only its own webhook, never the
 * others and never the loop.
 *
 * A webhook on the worker:
 *
 *     reload (every HOOKS_RELOAD_SECS) --> IDLE (queue empty)
 *     IDLE --(hooks_fill: events after `scanned` it may see)--> QUEUED
 *     QUEUED --(now >= next_try: hooks_send)--> SENDING
 *     SENDING --(2xx, bot errcode 0: hooks_done)--> next in queue, or IDLE
 *     SENDING --(failure: hooks_done)--> QUEUED, next_try after backoff;
 *         after events.webhook_retry_hours of failures: skipped, next
 *     any --(gone from the table at a reload)--> freed
 */
#include <sys/queue.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "protocol/json_strings.h"
#include "daemon/base/log.h"
#include "daemon/domain/webhook.h"
#include "daemon/hooks/hooks.h"
#include "daemon/hooks/hooks_priv.h"

/* The webhooks are read again this often (created, deleted). */
#define HOOKS_RELOAD_SECS	1.0
/* Events read from the database at once. */
#define HOOKS_READ		64
/* Backoff: the first retry, and the longest wait. */
#define HOOKS_BACKOFF_FIRST	0.5
#define HOOKS_BACKOFF_MAX	60.0

double
hooks_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the queues shared with the loop thread (under h->mu) ---------- */

void
hooks_notify(struct hooks *h, int64_t last)
{
	pthread_mutex_lock(&h->mu);
	if (last > h->committed) {
		h->committed = last;
		curl_multi_wakeup(h->multi);
	}
	pthread_mutex_unlock(&h->mu);
}

size_t
hooks_take(struct hooks *h, struct hooks_position *out, size_t max)
{
	size_t n;

	pthread_mutex_lock(&h->mu);
	n = h->nout < max ? h->nout : max;
	memcpy(out, h->out, n * sizeof(*out));
	memmove(h->out, h->out + n, (h->nout - n) * sizeof(*out));
	h->nout -= n;
	pthread_mutex_unlock(&h->mu);
	return n;
}

/* Tell the loop that hook w has had every event up to position. */
static void
hooks_advance(struct hooks *h, struct hook *w, int64_t position)
{
	size_t i;

	w->position = position;
	pthread_mutex_lock(&h->mu);
	for (i = 0; i < h->nout; i++)
		if (h->out[i].webhook == w->id)
			break;
	if (i == h->nout && h->nout < HOOKS_OUT_MAX)
		h->nout++;
	if (i < h->nout) {
		h->out[i].webhook = w->id;
		h->out[i].position = position;
	}
	pthread_mutex_unlock(&h->mu);
}

/* ---- the webhooks ---------------------------------------------------- */

static void
hook_free(struct hooks *h, struct hook *w)
{
	if (w->easy != NULL) {
		if (w->sending)
			curl_multi_remove_handle(h->multi, w->easy);
		curl_easy_cleanup(w->easy);
	}
	curl_slist_free_all(w->headers);
	free(w->body);
	while (w->qlen > 0) {
		events_free(w->queue[w->qhead]);
		w->qhead = (w->qhead + 1) % HOOK_QUEUE;
		w->qlen--;
	}
	free(w->url);
	free(w->format);
	if (w->secret != NULL) {
		explicit_bzero(w->secret, strlen(w->secret));
		free(w->secret);
	}
	free(w);
}

/* A row of the webhooks table: kept if known, else a new webhook. */
static int
hooks_reload_row(void *arg, const struct store_webhook *row,
    struct error *err)
{
	struct hooks	*h = arg;
	struct hook	*w;
	cJSON		*kinds;

	(void)err;
	TAILQ_FOREACH(w, &h->list, entry)
		if (w->id == row->id) {
			w->seen = 1;
			return 0;
		}
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->url = strdup(row->url)) == NULL ||
	    (w->format = strdup(row->format)) == NULL ||
	    (w->secret = strdup(row->secret)) == NULL) {
		if (w != NULL)
			hook_free(h, w);
		return 0;	/* tried again at the next reload */
	}
	w->id = row->id;
	w->seen = 1;
	w->position = w->scanned = row->position;
	kinds = json_strings_parse(row->kinds);
	w->kinds = events_kinds_mask(kinds);
	cJSON_Delete(kinds);
	w->viewer.role = strcmp(row->role, "admin") == 0 ? ROLE_ADMIN :
	    ROLE_ORGANIZER;
	snprintf(w->viewer.code, sizeof(w->viewer.code), "%s", row->code);
	snprintf(w->viewer.street, sizeof(w->viewer.street), "%s",
	    row->street ? row->street : "");
	TAILQ_INSERT_TAIL(&h->list, w, entry);
	return 0;
}

/* Read the webhooks again: new ones start, deleted ones stop. */
static void
hooks_reload(struct hooks *h)
{
	struct hook	*w, *next;
	struct error	 err;

	TAILQ_FOREACH(w, &h->list, entry)
		w->seen = 0;
	if (store_hookdb_webhooks(h->db, hooks_reload_row, h, &err) == -1) {
		log_warnx("hooks_reload: %s", err.message);
		return;
	}
	for (w = TAILQ_FIRST(&h->list); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		if (!w->seen) {
			TAILQ_REMOVE(&h->list, w, entry);
			hook_free(h, w);
		}
	}
}

/* One stored event for hook: queued when the hook may see it. */
static int
hooks_fill_row(void *arg, const struct store_event *row, struct error *err)
{
	struct hook	*w = arg;
	struct event	*ev;

	/* Past what the loop said is committed (and synced): not yet. */
	if (w->qlen == HOOK_QUEUE || row->id > w->upto)
		return 0;
	w->taken++;
	w->scanned = row->id;
	if ((ev = events_load(row)) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	if (ev->kind < 0 || !(w->kinds & (1u << ev->kind)) ||
	    !events_visible(&w->viewer, ev)) {
		events_free(ev);
		return 0;
	}
	w->queue[(w->qhead + w->qlen) % HOOK_QUEUE] = ev;
	w->qlen++;
	return 0;
}

/* Queue the events after w->scanned, up to committed, that w delivers. */
static void
hooks_fill(struct hooks *h, struct hook *w, int64_t committed)
{
	struct error err;

	w->upto = committed;
	while (w->qlen < HOOK_QUEUE && w->scanned < committed) {
		w->taken = 0;
		if (store_hookdb_events(h->db, w->scanned, HOOKS_READ,
		    hooks_fill_row, w, &err) == -1) {
			log_warnx("hooks_fill: webhook %lld: %s",
			    (long long)w->id, err.message);
			return;
		}
		/* Fewer rows than asked, all taken: every event up to
		 * committed (at least) has been read. */
		if (w->taken < HOOKS_READ && w->qlen < HOOK_QUEUE &&
		    w->scanned < committed)
			w->scanned = committed;
		if (w->taken == 0)
			break;
	}
	/* Nothing of this hook's waits: its position moves past what it
	 * does not see, so that a restart reads less again. */
	if (w->qlen == 0 && !w->sending && w->scanned > w->position)
		hooks_advance(h, w, w->scanned);
}

/* The head of w's queue went out (delivered) or was given up. */
static void
hooks_pop(struct hooks *h, struct hook *w)
{
	struct event *ev = w->queue[w->qhead];

	w->qhead = (w->qhead + 1) % HOOK_QUEUE;
	w->qlen--;
	w->first_fail = 0;
	w->next_try = 0;
	w->backoff = 0;
	hooks_advance(h, w, ev->id);
	events_free(ev);
}

/* A transfer ended with code (and the answer's status). */
static void
hooks_done(struct hooks *h, struct hook *w, CURLcode code)
{
	struct event	*ev = w->queue[w->qhead];
	long		 status = 0;
	double		 now = hooks_now();

	curl_easy_getinfo(w->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(h->multi, w->easy);
	w->sending = 0;
	if (code == CURLE_OK && webhook_delivered(w->format, status,
	    w->answer, w->answer_len)) {
		h->delivered++;
		hooks_pop(h, w);
		return;
	}
	if (w->first_fail == 0) {
		w->first_fail = now;
		log_info("hooks_done: webhook %lld, event %lld: %s; trying "
		    "again with backoff", (long long)w->id, (long long)ev->id,
		    code != CURLE_OK ? curl_easy_strerror(code) :
		    status < 200 || status > 299 ? "not a 2xx answer" :
		    "the bot's errcode is not 0");
	}
	h->failures++;
	if (now - w->first_fail >= h->conf.retry_hours * 3600) {
		log_warnx("hooks_done: webhook %lld: event %lld skipped after "
		    "%g hours of failures (events.webhook_retry_hours)",
		    (long long)w->id, (long long)ev->id, h->conf.retry_hours);
		h->skipped++;
		hooks_pop(h, w);
		return;
	}
	w->backoff = w->backoff == 0 ? HOOKS_BACKOFF_FIRST :
	    w->backoff * 2 > HOOKS_BACKOFF_MAX ? HOOKS_BACKOFF_MAX :
	    w->backoff * 2;
	w->next_try = now + w->backoff;
}

/* The worker: fill, send, wait, until told to stop. */
static void *
hooks_main(void *arg)
{
	struct hooks	*h = arg;
	struct hook	*w, *next;
	struct CURLMsg	*msg;
	struct error	 err;
	double		 now, reload = 0, wake;
	int64_t		 committed;
	int		 running, left, stop = 0;

	while (!stop) {
		now = hooks_now();
		if (h->db == NULL && now >= reload &&
		    (h->db = store_hookdb_open(h->conf.database,
		    h->conf.busy_ms, &err)) == NULL) {
			log_warnx("hooks_main: %s", err.message);
			reload = now + HOOKS_RELOAD_SECS;
		}
		if (h->db != NULL && now >= reload) {
			hooks_reload(h);
			reload = now + HOOKS_RELOAD_SECS;
		}
		pthread_mutex_lock(&h->mu);
		committed = h->committed;
		stop = h->stop;
		pthread_mutex_unlock(&h->mu);
		TAILQ_FOREACH(w, &h->list, entry) {
			if (h->db != NULL)
				hooks_fill(h, w, committed);
			if (w->qlen > 0 && !w->sending && now >= w->next_try)
				hooks_send(h, w);
		}
		curl_multi_perform(h->multi, &running);
		while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&w);
			hooks_done(h, w, msg->data.result);
		}
		hooks_snapshot(h, committed);
		/* Sleep until a retry is due, the next reload, an answer, or
		 * hooks_notify; go round at once if something is ready. */
		wake = reload;
		TAILQ_FOREACH(w, &h->list, entry)
			if (w->qlen > 0 && !w->sending && w->next_try < wake)
				wake = w->next_try;
		if (!stop)
			curl_multi_poll(h->multi, NULL, 0, wake <= now ? 0 :
			    (int)((wake - now) * 1000) + 1, NULL);
	}
	for (w = TAILQ_FIRST(&h->list); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		hook_free(h, w);
	}
	store_hookdb_close(h->db);
	return NULL;
}

struct hooks *
hooks_start(const struct hooks_config *conf, struct error *err)
{
	struct hooks *h;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		error_set(err, ERR_INTERNAL, NULL, "libcurl cannot start");
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->conf.database = strdup(conf->database)) == NULL ||
	    (h->multi = curl_multi_init()) == NULL)
		goto fail;
	h->conf.busy_ms = conf->busy_ms;
	h->conf.allow_private = conf->allow_private;
	h->conf.retry_hours = conf->retry_hours;
	TAILQ_INIT(&h->list);
	pthread_mutex_init(&h->mu, NULL);
	if (pthread_create(&h->thread, NULL, hooks_main, h) != 0) {
		pthread_mutex_destroy(&h->mu);
		goto fail;
	}
	/* Named by its maker, as readers_new names its threads. */
	(void)pthread_setname_np(h->thread, "matchd-hooks");
	return h;
fail:
	if (h != NULL) {
		if (h->multi != NULL)
			curl_multi_cleanup(h->multi);
		free((char *)(uintptr_t)h->conf.database);
		free(h);
	}
	curl_global_cleanup();
	error_set(err, ERR_INTERNAL, NULL, "the webhook worker cannot start");
	return NULL;
}

void
hooks_stop(struct hooks *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	curl_multi_wakeup(h->multi);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	curl_multi_cleanup(h->multi);
	pthread_mutex_destroy(&h->mu);
	free((char *)(uintptr_t)h->conf.database);
	free(h);
	curl_global_cleanup();
}
