/*
 * webhook.h: the rules of webhooks that the operations and the delivery
 * worker share: which URLs are allowed, secrets, the bodies posted in each
 * format, their signature, and what counts as delivered.
 */
#ifndef DAEMON_WEBHOOK_H
#define DAEMON_WEBHOOK_H

#include <stddef.h>
#include <sys/socket.h>

#include "daemon/domain/events.h"
#include "protocol/error.h"

#define WEBHOOK_URL_MAX		2048
#define WEBHOOK_SECRET_HEX	64
/* "sha256=" and 64 hex digits. */
#define WEBHOOK_SIG_LEN		(7 + 64)

/*
 * 0 when url is http://HOST[:PORT][/PATH] or https://...; else -1 with err
 * (invalid_argument, field url).  Unless allow_private, a host that is an
 * address in a loopback, private, link-local, unspecified or multicast
 * range, or "localhost", is refused too.  A name is checked when the worker
 * resolves it (webhook_addr_private): no lookup is made here.
 */
int	webhook_url_check(const char *url, int allow_private,
	    struct error *err);

/* 1 when sa is an address that allow_private must let through. */
int	webhook_addr_private(const struct sockaddr *sa);

/* A fresh secret: 32 random bytes as hex, into out. */
void	webhook_secret_new(char out[WEBHOOK_SECRET_HEX + 1]);

/*
 * The body to post for ev in format ("json": {"event": {...}}; "wecom",
 * "dingtalk": the group bot's text message, the summary and the event's
 * id).  malloc'd, *len its length; NULL when out of memory.
 */
char	*webhook_body(const char *format, const struct event *ev, size_t *len);

/* "sha256=<hex of HMAC-SHA256 of body with secret>" into out. */
void	webhook_sign(const char *secret, const char *body, size_t len,
	    char out[WEBHOOK_SIG_LEN + 1]);

/*
 * Whether an answer with HTTP status and body (len bytes, may be cut)
 * delivers: a 2xx, and for wecom and dingtalk an errcode of 0.
 */
int	webhook_delivered(const char *format, long status, const char *body,
	    size_t len);

#endif
