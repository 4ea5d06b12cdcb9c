/*
 * http_metrics.c: GET /metrics, the Prometheus text format.  Readable
 * without a token only from loopback (or a Unix socket), unless
 * http.metrics_token is set: then only with that bearer token.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/bufferevent.h>
#include <sodium.h>

#include "daemon/core/metrics.h"
#include "daemon/net/conn.h"
#include "daemon/net/http_metrics.h"
#include "daemon/net/outbox.h"
#include "protocol/envelope.h"

/* 1 when the peer of c is on this machine: 127.0.0.0/8, ::1, Unix. */
static int
http_metrics_local(struct conn *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	const struct sockaddr_in6 *s6;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };

	if (getpeername(bufferevent_getfd(c->bev), (struct sockaddr *)&ss,
	    &len) == -1)
		return 0;
	switch (ss.ss_family) {
	case AF_UNIX:
		return 1;
	case AF_INET:
		return (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >>
		    24) == 127;
	case AF_INET6:
		s6 = (const struct sockaddr_in6 *)&ss;
		if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
			return 1;
		return memcmp(s6->sin6_addr.s6_addr, mapped, 12) == 0 &&
		    s6->sin6_addr.s6_addr[12] == 127;
	}
	return 0;
}

/* 1 when the request may read the metrics; else the refusal is queued. */
static int
http_metrics_allowed(struct conn *c, int close_after)
{
	const char	*want = c->srv->conf.metrics_token;
	struct error	 err;
	size_t		 n = strlen(want);

	if (want[0] == '\0') {
		if (http_metrics_local(c))
			return 1;
		error_set(&err, ERR_FORBIDDEN, NULL, "/metrics is readable "
		    "only from this machine (set http.metrics_token to read "
		    "it from elsewhere)");
	} else if (c->hreq.has_token && strlen(c->hreq.token) == n &&
	    sodium_memcmp(c->hreq.token, want, n) == 0)
		return 1;
	else
		error_set(&err, ERR_UNAUTHENTICATED, NULL, "/metrics needs "
		    "the bearer token of http.metrics_token");
	(void)outbox_answer(c, NULL, err.code, envelope_error(NULL, &err),
	    error_http_status(err.code), close_after);
	return 0;
}

void
http_metrics(struct conn *c, int close_after)
{
	struct error	 err;
	FILE		*fp;
	char		*text = NULL;
	size_t		 len = 0;

	if (!http_metrics_allowed(c, close_after))
		return;
	if ((fp = open_memstream(&text, &len)) != NULL) {
		metrics_print(c->srv->metrics, c->srv, fp);
		if (fclose(fp) == 0 && text != NULL) {
			(void)outbox_answer_bytes(c, text, len,
			    "text/plain; version=0.0.4; charset=utf-8", NULL,
			    close_after);
			return;
		}
	}
	free(text);
	error_set(&err, ERR_INTERNAL, NULL, "out of memory");
	(void)outbox_answer(c, NULL, err.code, envelope_error(NULL, &err),
	    500, close_after);
}
