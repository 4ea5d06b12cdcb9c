/*
 * ctl.h: what matchctl's files share: one connection to the daemon's
 * native transport and the request/answer exchange over it.
 */
#ifndef CLIENT_CTL_H
#define CLIENT_CTL_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "client/ctl_answer.h"

struct ctl {
	const char	*host;		/* host:port, or NULL with path */
	const char	*path;		/* Unix socket */
	const char	*token;		/* may be NULL */
	int		 fd;
	struct ctl_in	 in;		/* unread input; in.max: -m */
};

/* Connect; -1 (errno set) when the daemon cannot be reached. */
int	ctl_connect(struct ctl *);
void	ctl_close(struct ctl *);

/* Send one request line {id, op, token, args}; takes args.  0 or -1. */
int	ctl_send(struct ctl *, long id, const char *op, cJSON *args);

/*
 * Read the answer to request id into *a (ctl_answer_free it) and return 0;
 * or say on stderr why there is none and return CTL_EXIT_UNREACHABLE (the
 * connection ended, failed or timed out) or CTL_EXIT_BAD_ANSWER (an answer
 * that is too long, not JSON or not an answer to this request).
 */
int	ctl_read(struct ctl *, long id, struct ctl_answer *a);

/*
 * One call: send, read, and print the result (exit status 0) or
 * "error CODE: message" (1); 2 when the daemon cannot be reached, 3 when
 * its answer is unusable (see ctl_answer.h).  With result non-NULL the
 * result is handed over (the caller owns it) instead of printed.
 */
int	ctl_call(struct ctl *, const char *op, cJSON *args, cJSON **result);

/* `matchctl import needs|offers FILE.csv`, `matchctl export ...` and
 * `matchctl watch [--after N] [KIND ...]`. */
int	ctl_import(struct ctl *, int argc, char **argv);
int	ctl_export(struct ctl *, int argc, char **argv);
int	ctl_watch(struct ctl *, int argc, char **argv);

#endif
