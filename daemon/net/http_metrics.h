/*
 * http_metrics.h: the GET /metrics route of the HTTP transport.
 */
#ifndef DAEMON_HTTP_METRICS_H
#define DAEMON_HTTP_METRICS_H

struct conn;

/* Answer GET /metrics on c: the metrics, or forbidden (not loopback) or
 * unauthenticated (http.metrics_token set and not given). */
void	http_metrics(struct conn *c, int close_after);

#endif
