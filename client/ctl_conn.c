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
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
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
	if (line == NULL)
		return -1;
	rc = write_all(c->fd, line, strlen(line)) == -1 ||
	    write_all(c->fd, "\n", 1) == -1 ? -1 : 0;
	free(line);
	return rc;
}

cJSON *
ctl_read(struct ctl *c)
{
	char	*nl, *nb;
	cJSON	*o;
	ssize_t	 n;

	for (;;) {
		if (c->len > 0 && (nl = memchr(c->buf, '\n', c->len)) != NULL) {
			*nl = '\0';
			o = cJSON_Parse(c->buf);
			c->len -= (size_t)(nl + 1 - c->buf);
			memmove(c->buf, nl + 1, c->len);
			return o;
		}
		if (c->len + 65536 > c->cap) {
			c->cap = c->cap ? c->cap * 2 : 131072;
			if ((nb = realloc(c->buf, c->cap)) == NULL)
				return NULL;
			c->buf = nb;
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		c->len += (size_t)n;
	}
}

/*
 * Print cJSON's formatted text with two spaces for each tab: cJSON writes
 * tabs only as indentation and after a colon (a tab inside a string is
 * escaped as \t), so every raw tab is layout.
 */
static void
print_indented(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s != '\t')
			putchar(*s);
		else if (s[-1] == ':')
			putchar(' ');
		else
			fputs("  ", stdout);
	}
	putchar('\n');
}

int
ctl_call(struct ctl *c, const char *op, cJSON *args, cJSON **result)
{
	cJSON	*resp, *err;
	char	*out;
	int	 rc;

	if (c->fd < 0 && ctl_connect(c) == -1) {
		cJSON_Delete(args);
		fprintf(stderr, "matchctl: cannot connect to %s: %s\n",
		    c->path ? c->path : c->host, strerror(errno));
		return 2;
	}
	if (ctl_send(c, 1, op, args) == -1 || (resp = ctl_read(c)) == NULL) {
		fprintf(stderr, "matchctl: the daemon closed the connection\n");
		return 2;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(resp, "ok"))) {
		if (result != NULL) {
			*result = cJSON_DetachItemFromObject(resp, "result");
		} else {
			out = cJSON_Print(cJSON_GetObjectItem(resp, "result"));
			print_indented(out);
			free(out);
		}
		rc = 0;
	} else {
		err = cJSON_GetObjectItemCaseSensitive(resp, "error");
		fprintf(stderr, "error %s: %s\n",
		    cJSON_GetStringValue(cJSON_GetObjectItem(err, "code")),
		    cJSON_GetStringValue(cJSON_GetObjectItem(err, "message")));
		rc = 1;
	}
	cJSON_Delete(resp);
	return rc;
}
