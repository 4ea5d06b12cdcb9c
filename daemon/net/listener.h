/*
 * listener.h: listening sockets (TCP and Unix) for either transport.
 */
#ifndef DAEMON_LISTENER_H
#define DAEMON_LISTENER_H

#include "daemon/core/server.h"

/*
 * Listen on addr: "HOST:PORT" for TCP, or a path (unix = 1) for a Unix
 * socket made with mode 0660.  Returns NULL with a reason in msg.
 */
struct listener	*listener_new(struct server *, const char *addr, int unix_,
		    int http, char *msg, size_t msglen);
void		 listener_free(struct listener *);

#endif
