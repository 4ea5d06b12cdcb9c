/*
 * ctl_conn.c: matchctl's connection to the native transport.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/ctl.h"

#define CTL_TIMEOUT_SECS	120

int
ctl_connect(struct ctl *c)
{
	struct addrinfo		 hints, *res, *ai;
	struct sockaddr_un	 sun;
	struct timeval		 tv = { CTL_TIMEOUT_SECS, 0 };
	char			 h[256], *colon;
	int			 fd = -1, e;

	if (c->path != NULL) {
		if (strlen(c->path) >= sizeof(sun.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return -1;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		strcpy(sun.sun_path, c->path);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	} else {
		snprintf(h, sizeof(h), "%s", c->host);
		if ((colon = strrchr(h, ':')) == NULL) {
			errno = EINVAL;
			return -1;
		}
		*colon = '\0';
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(h, colon + 1, &hints, &res) != 0) {
			errno = EHOSTUNREACH;
			return -1;
		}
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			fd = socket(ai->ai_family, ai->ai_socktype,
			    ai->ai_protocol);
			if (fd == -1)
				continue;
			if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
				break;
			e = errno;
			close(fd);
			errno = e;
			fd = -1;
		}
		freeaddrinfo(res);
		if (fd == -1)
			return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c->fd = fd;
	return 0;
}

void
ctl_close(struct ctl *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	ctl_in_free(&c->in);
}

/* MSG_NOSIGNAL: a daemon that hung up is an error here, not SIGPIPE. */
static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
ctl_send(struct ctl *c, long id, const char *op, cJSON *args)
{
	cJSON	*req = cJSON_CreateObject();
	char	*line;
	int	 rc;

	cJSON_AddNumberToObject(req, "id", (double)id);
	cJSON_AddStringToObject(req, "op", op);
	if (c->token != NULL && c->token[0] != '\0')
		cJSON_AddStringToObject(req, "token", c->token);
	cJSON_AddItemToObject(req, "args", args ? args : cJSON_CreateObject());
	line = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	if (line == NULL) {
		errno = ENOMEM;
		return -1;
	}
	rc = write_all(c->fd, line, strlen(line)) == -1 ||
	    write_all(c->fd, "\n", 1) == -1 ? -1 : 0;
	free(line);
	return rc;
}

int
ctl_read(struct ctl *c, long id, struct ctl_answer *a)
{
	const char	*line;
	char		*p, why[CTL_WHY_LEN];
	size_t		 len, room;
	ssize_t		 n;

	memset(a, 0, sizeof(*a));
	if (c->in.max == 0)
		c->in.max = CTL_MAX_ANSWER;
	for (;;) {
		switch (ctl_in_next(&c->in, &line, &len)) {
		case CTL_IN_LINE:
			if (ctl_answer_parse(line, len, id, CTL_MAX_VALUES, a,
			    why, sizeof(why)) == -1) {
				fprintf(stderr, "matchctl: %s\n", why);
				return CTL_EXIT_BAD_ANSWER;
			}
			return 0;
		case CTL_IN_TOO_LARGE:
			fprintf(stderr, "matchctl: the daemon's answer is "
			    "longer than %zu bytes (matchctl -m BYTES accepts "
			    "longer ones)\n", c->in.max);
			return CTL_EXIT_BAD_ANSWER;
		case CTL_IN_MORE:
			break;
		}
		if ((p = ctl_in_space(&c->in, &room)) == NULL) {
			fprintf(stderr, "matchctl: out of memory reading the "
			    "daemon's answer\n");
			return CTL_EXIT_BAD_ANSWER;
		}
		if ((n = read(c->fd, p, room)) == -1 && errno == EINTR)
			continue;
		if (n > 0) {
			ctl_in_fill(&c->in, (size_t)n);
			continue;
		}
		if (n == 0)
			fprintf(stderr, "matchctl: the daemon closed the "
			    "connection %s\n", c->in.len > c->in.start ?
			    "in the middle of its answer" :
			    "before it answered");
		else if (errno == EAGAIN || errno == EWOULDBLOCK)
			fprintf(stderr, "matchctl: the daemon did not answer "
			    "within %d s\n", CTL_TIMEOUT_SECS);
		else
			fprintf(stderr, "matchctl: reading the daemon's "
			    "answer: %s\n", strerror(errno));
		return CTL_EXIT_UNREACHABLE;
	}
}

int
ctl_call(struct ctl *c, const char *op, cJSON *args, cJSON **result)
{
	struct ctl_answer	 a;
	int			 rc;

	if (c->fd < 0 && ctl_connect(c) == -1) {
		cJSON_Delete(args);
		fprintf(stderr, "matchctl: cannot connect to %s: %s\n",
		    c->path ? c->path : c->host, strerror(errno));
		return CTL_EXIT_UNREACHABLE;
	}
	/*
	 * A daemon that refuses the connection answers before it reads the
	 * request and closes: read that answer even when sending failed.
	 */
	if (ctl_send(c, 1, op, args) == -1 && errno == ENOMEM) {
		fprintf(stderr, "matchctl: out of memory\n");
		return CTL_EXIT_ERROR;
	}
	if ((rc = ctl_read(c, 1, &a)) != 0)
		return rc;
	if (a.ok && result != NULL) {
		*result = cJSON_DetachItemViaPointer(a.root, a.result);
		rc = CTL_EXIT_OK;
	} else
		rc = ctl_answer_print(&a, stdout, stderr);
	ctl_answer_free(&a);
	return rc;
}
