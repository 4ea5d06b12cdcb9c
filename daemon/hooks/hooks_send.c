/*
 * hooks_send.c: one webhook transfer (libcurl), and the figures the
 * worker shows in /metrics.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base/log.h"
#include "daemon/domain/webhook.h"
#include "daemon/hooks/hooks_priv.h"

#define HOOKS_CONNECT_MS	5000L
#define HOOKS_TRANSFER_MS	10000L

/* Keep the start of the answer (a bot's errcode); drop the rest. */
static size_t
hooks_answer_cb(char *data, size_t size, size_t n, void *arg)
{
	struct hook	*w = arg;
	size_t		 len = size * n, room = HOOK_ANSWER_MAX - w->answer_len;

	if (len < room)
		room = len;
	memcpy(w->answer + w->answer_len, data, room);
	w->answer_len += room;
	return len;
}

/*
 * Every address the target resolved to is checked before connecting:
 * a name that leads to loopback, private or link-local addresses is
 * refused unless events.allow_private_hooks (and DNS that changes its
 * mind cannot lead around the check made at webhook.create).
 */
static curl_socket_t
hooks_socket_cb(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct hook *w = arg;

	(void)purpose;
	if (!w->allow_private && webhook_addr_private(&a->addr)) {
		log_info("hooks_socket_cb: webhook %lld: %s resolves to a "
		    "private address; refused (events.allow_private_hooks)",
		    (long long)w->id, w->url);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

void
hooks_send(struct hooks *h, struct hook *w)
{
	struct event	*ev = w->queue[w->qhead];
	char		 sig[WEBHOOK_SIG_LEN + 1], line[128];
	size_t		 len;

	free(w->body);
	curl_slist_free_all(w->headers);
	w->headers = NULL;
	w->answer_len = 0;
	w->allow_private = h->conf.allow_private;
	if ((w->body = webhook_body(w->format, ev, &len)) == NULL)
		goto oom;
	webhook_sign(w->secret, w->body, len, sig);
	snprintf(line, sizeof(line), "X-Matchd-Signature: %s", sig);
	w->headers = curl_slist_append(w->headers,
	    "Content-Type: application/json; charset=utf-8");
	w->headers = curl_slist_append(w->headers, line);
	snprintf(line, sizeof(line), "X-Matchd-Event: %lld",
	    (long long)ev->id);
	w->headers = curl_slist_append(w->headers, line);
	w->headers = curl_slist_append(w->headers, "Expect:");
	if (w->headers == NULL || (w->easy == NULL &&
	    (w->easy = curl_easy_init()) == NULL))
		goto oom;
	curl_easy_setopt(w->easy, CURLOPT_URL, w->url);
	curl_easy_setopt(w->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(w->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(w->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(w->easy, CURLOPT_CONNECTTIMEOUT_MS, HOOKS_CONNECT_MS);
	curl_easy_setopt(w->easy, CURLOPT_TIMEOUT_MS, HOOKS_TRANSFER_MS);
	curl_easy_setopt(w->easy, CURLOPT_USERAGENT, "matchd-webhook");
	curl_easy_setopt(w->easy, CURLOPT_HTTPHEADER, w->headers);
	curl_easy_setopt(w->easy, CURLOPT_POSTFIELDS, w->body);
	curl_easy_setopt(w->easy, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(w->easy, CURLOPT_WRITEFUNCTION, hooks_answer_cb);
	curl_easy_setopt(w->easy, CURLOPT_WRITEDATA, w);
	curl_easy_setopt(w->easy, CURLOPT_OPENSOCKETFUNCTION, hooks_socket_cb);
	curl_easy_setopt(w->easy, CURLOPT_OPENSOCKETDATA, w);
	curl_easy_setopt(w->easy, CURLOPT_PRIVATE, (char *)w);
	if (curl_multi_add_handle(h->multi, w->easy) != CURLM_OK)
		goto oom;
	w->sending = 1;
	return;
oom:
	/* Tried again after the backoff, like a failed transfer. */
	log_warnx("hooks_send: webhook %lld: cannot start a transfer",
	    (long long)w->id);
	w->next_try = hooks_now() + 1;
}

void
hooks_snapshot(struct hooks *h, int64_t committed)
{
	struct hook	*w;
	size_t		 n = 0;

	pthread_mutex_lock(&h->mu);
	TAILQ_FOREACH(w, &h->list, entry) {
		if (n == HOOKS_SNAP_MAX)
			break;
		h->snap[n].webhook = w->id;
		/* Queued, and an upper bound of those not read yet. */
		h->snap[n].pending = w->qlen + (committed > w->scanned ?
		    committed - w->scanned : 0);
		n++;
	}
	h->nsnap = n;
	h->snap_skipped = h->skipped;
	h->snap_delivered = h->delivered;
	h->snap_failures = h->failures;
	pthread_mutex_unlock(&h->mu);
}

void
hooks_metrics_print(struct hooks *h, FILE *fp)
{
	size_t i;

	pthread_mutex_lock(&h->mu);
	fprintf(fp, "# HELP matchd_webhook_pending Events a webhook has yet "
	    "to deliver (queued, and at most this many not read yet).\n"
	    "# TYPE matchd_webhook_pending gauge\n");
	for (i = 0; i < h->nsnap; i++)
		fprintf(fp, "matchd_webhook_pending{webhook=\"%lld\"} %lld\n",
		    (long long)h->snap[i].webhook,
		    (long long)h->snap[i].pending);
	fprintf(fp, "# HELP matchd_webhook_skipped_total Events given up "
	    "after events.webhook_retry_hours of failed deliveries.\n"
	    "# TYPE matchd_webhook_skipped_total counter\n"
	    "matchd_webhook_skipped_total %llu\n"
	    "# HELP matchd_webhook_deliveries_total Events delivered.\n"
	    "# TYPE matchd_webhook_deliveries_total counter\n"
	    "matchd_webhook_deliveries_total %llu\n"
	    "# HELP matchd_webhook_failures_total Deliveries that failed "
	    "(each retry counts).\n"
	    "# TYPE matchd_webhook_failures_total counter\n"
	    "matchd_webhook_failures_total %llu\n", h->snap_skipped,
	    h->snap_delivered, h->snap_failures);
	pthread_mutex_unlock(&h->mu);
}
