/*
 * server.h: the daemon's state, shared by the loop, the listeners and the
 * connections.  There is one, made by main.c.
 */
#ifndef DAEMON_SERVER_H
#define DAEMON_SERVER_H

#include <sys/queue.h>

#include <event2/event.h>

#include "daemon/config.h"
#include "daemon/store.h"

struct conn;
struct pending;
struct listener;
struct ratelimit;
struct suggest_index;
struct auth_cache;

TAILQ_HEAD(conn_list, conn);
TAILQ_HEAD(pending_list, pending);

#define SERVER_LISTENERS	3

struct server {
	struct event_base	*base;
	struct config		 conf;
	const char		*conf_path;	/* for SIGHUP */
	char *const		*overrides;
	int			 noverrides;
	struct store		*store;
	struct ratelimit	*ratelimit;
	struct suggest_index	*sindex;	/* open offers for match.suggest */
	struct auth_cache	*auth;		/* principals by token hash */
	struct pending_list	 pending;	/* answers awaiting commit */
	struct conn_list	 conns;
	struct conn_list	 unflushed;	/* answers added, not yet written */
	int			 nconns;
	struct listener		*listeners[SERVER_LISTENERS];
	int			 stopping;
};

#endif
