/*
 * ctl.h: what matchctl's files share: one connection to the daemon's
 * native transport and the request/answer exchange over it.
 */
#ifndef CLIENT_CTL_H
#define CLIENT_CTL_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct ctl {
	const char	*host;		/* host:port, or NULL with path */
	const char	*path;		/* Unix socket */
	const char	*token;		/* may be NULL */
	int		 fd;
	char		*buf;		/* unread input */
	size_t		 len, cap;
};

/* Connect; -1 (errno set) when the daemon cannot be reached. */
int	ctl_connect(struct ctl *);
void	ctl_close(struct ctl *);

/* Send one request line {id, op, token, args}; takes args.  0 or -1. */
int	ctl_send(struct ctl *, long id, const char *op, cJSON *args);

/* Read one answer; the caller owns it.  NULL when the connection ends. */
cJSON	*ctl_read(struct ctl *);

/*
 * One call: send, read, and print the result (exit status 0) or
 * "error CODE: message" (1); 2 when the daemon cannot be reached.  With
 * result non-NULL the result is handed over instead of printed.
 */
int	ctl_call(struct ctl *, const char *op, cJSON *args, cJSON **result);

/* `matchctl import needs|offers FILE.csv` and `matchctl export ...`. */
int	ctl_import(struct ctl *, int argc, char **argv);
int	ctl_export(struct ctl *, int argc, char **argv);

#endif
