/*
 * listener.c: accepting connections within max_clients_per_address and
 * max_clients (making way, at max_clients, by closing the oldest
 * connection that has not signed in), and pausing for a second when file
 * descriptors run out.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "daemon/net/conn.h"
#include "daemon/net/listener.h"
#include "daemon/base/log.h"
#include "protocol/envelope.h"

struct listener {
	struct server		*srv;
	struct evconnlistener	*evl;
	struct event		*resume;
	int			 http;
	char			 path[108];	/* Unix socket, to unlink */
};

/* Refuse a connection with one `unavailable` answer saying why (what, a
 * limit's name, is its value), then close it. */
static void
listener_refuse(struct listener *l, evutil_socket_t fd, const char *what,
    long limit)
{
	struct error	 err;
	char		*body, head[256];
	int		 n;

	error_set(&err, ERR_UNAVAILABLE, NULL, "too many %s (%s is %ld); try "
	    "again later", strcmp(what, "max_clients") == 0 ? "clients" :
	    "connections from your address", what, limit);
	if ((body = envelope_error(NULL, &err)) != NULL) {
		if (l->http) {
			n = snprintf(head, sizeof(head), "HTTP/1.1 503 Service "
			    "Unavailable\r\nContent-Type: application/json\r\n"
			    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			    strlen(body));
			(void)send(fd, head, (size_t)n, MSG_NOSIGNAL |
			    MSG_DONTWAIT);
			(void)send(fd, body, strlen(body), MSG_NOSIGNAL |
			    MSG_DONTWAIT);
		} else {
			(void)send(fd, body, strlen(body), MSG_NOSIGNAL |
			    MSG_DONTWAIT | MSG_MORE);
			(void)send(fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		free(body);
	}
	shutdown(fd, SHUT_WR);
	evutil_closesocket(fd);
}

static void
listener_accept_cb(struct evconnlistener *evl, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener		*l = arg;
	struct server		*srv = l->srv;
	struct peer_addr	 peer;
	struct conn		*oldest;
	int			 one = 1;

	(void)evl;
	(void)salen;
	if (srv->stopping) {
		evutil_closesocket(fd);
		return;
	}
	/* One address cannot take every place, nor make way for itself. */
	if (peers_key(sa, &peer) == 0 && peers_count(srv->peers, &peer) >=
	    srv->conf.max_clients_per_address) {
		log_debug("listener_accept_cb: max_clients_per_address (%ld) "
		    "reached: refused", srv->conf.max_clients_per_address);
		listener_refuse(l, fd, "max_clients_per_address",
		    srv->conf.max_clients_per_address);
		return;
	}
	/*
	 * Connections that never sign in must not lock out those that do: a
	 * newcomer takes the place of the oldest connection without a valid
	 * token so far, and is refused only when every place is signed in.
	 */
	if (srv->nconns >= srv->conf.max_clients) {
		if ((oldest = TAILQ_FIRST(&srv->unauth)) == NULL) {
			log_debug("listener_accept_cb: max_clients (%ld) "
			    "signed in: refused", srv->conf.max_clients);
			listener_refuse(l, fd, "max_clients",
			    srv->conf.max_clients);
			return;
		}
		conn_evict(oldest);
	}
	/* Answers go out whole at the end of a turn: no Nagle delay. */
	if (sa->sa_family == AF_INET || sa->sa_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
	if (conn_new(srv, fd, sa, l->http) == NULL)
		log_warnx("listener_accept_cb: out of memory");
}

static void
listener_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;

	(void)fd;
	(void)what;
	log_info("listener_resume_cb: accepting again");
	evconnlistener_enable(l->evl);
}

/* Out of descriptors: stop accepting for a second instead of spinning. */
static void
listener_error_cb(struct evconnlistener *evl, void *arg)
{
	struct listener	*l = arg;
	struct timeval	 one = { 1, 0 };
	int		 e = EVUTIL_SOCKET_ERROR();

	if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
		log_warnx("listener_error_cb: %s; pausing accept for 1s",
		    strerror(e));
		evconnlistener_disable(evl);
		evtimer_add(l->resume, &one);
		return;
	}
	log_warnx("listener_error_cb: accept: %s", strerror(e));
}

struct listener *
listener_new(struct server *srv, const char *addr, int unix_, int http,
    char *msg, size_t msglen)
{
	struct listener		*l;
	struct sockaddr_storage	 ss;
	struct sockaddr_un	*sun = (struct sockaddr_un *)&ss;
	int			 sslen = sizeof(ss);
	mode_t			 old;
	unsigned		 flags = LEV_OPT_CLOSE_ON_FREE |
				    LEV_OPT_CLOSE_ON_EXEC;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	l->srv = srv;
	l->http = http;
	memset(&ss, 0, sizeof(ss));
	if (unix_) {
		if (strlen(addr) >= sizeof(sun->sun_path)) {
			snprintf(msg, msglen, "unix socket path %s is too long",
			    addr);
			goto fail;
		}
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, addr);
		sslen = sizeof(*sun);
		unlink(addr);	/* a stale socket from an earlier run */
		snprintf(l->path, sizeof(l->path), "%s", addr);
	} else {
		if (evutil_parse_sockaddr_port(addr, (struct sockaddr *)&ss,
		    &sslen) == -1) {
			snprintf(msg, msglen, "cannot parse listen address "
			    "\"%s\": write ADDR:PORT", addr);
			goto fail;
		}
		flags |= LEV_OPT_REUSEABLE;
	}
	/* The socket file gets mode 0660: the owner and its group. */
	old = umask(0117);
	l->evl = evconnlistener_new_bind(srv->base, listener_accept_cb, l,
	    flags, 511, (struct sockaddr *)&ss, sslen);
	umask(old);
	if (l->evl == NULL) {
		snprintf(msg, msglen, "cannot listen on %s: %s", addr,
		    strerror(errno));
		l->path[0] = '\0';
		goto fail;
	}
	if (unix_)
		chmod(addr, 0660);
	evconnlistener_set_error_cb(l->evl, listener_error_cb);
	if ((l->resume = evtimer_new(srv->base, listener_resume_cb, l)) ==
	    NULL) {
		snprintf(msg, msglen, "out of memory");
		goto fail;
	}
	return l;
fail:
	listener_free(l);
	return NULL;
}

void
listener_free(struct listener *l)
{
	if (l == NULL)
		return;
	if (l->evl)
		evconnlistener_free(l->evl);
	if (l->resume)
		event_free(l->resume);
	if (l->path[0] != '\0')
		unlink(l->path);
	free(l);
}
