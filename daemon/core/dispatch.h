/*
 * dispatch.h: one request through the operation table, for both transports.
 */
#ifndef DAEMON_DISPATCH_H
#define DAEMON_DISPATCH_H

#include <cjson/cJSON.h>

#include "daemon/core/server.h"
#include "protocol/error.h"

struct answer {
	cJSON		*result;	/* owned by the answer when ok */
	struct error	 err;		/* code ERR_NONE when ok */
	int		 write;		/* the op writes: ok only once committed */
	int		 signed_in;	/* the token named an account */
};

/*
 * Run op with token (may be NULL) and args (may be NULL) inside the open
 * batch: look the op up, authenticate, rate-limit, check the role and the
 * arguments, run the handler in a savepoint (rolled back on refusal), and
 * record the audit entry.  Fills a; the caller owns a->result.
 */
void	dispatch(struct server *, const char *op, const char *token,
	    const cJSON *args, struct answer *a);

/*
 * Record in the audit trail a request refused before dispatch (it was not
 * valid JSON, or its envelope was malformed).  name and token may be NULL.
 */
void	dispatch_refused(struct server *, const char *name, const char *token,
	    const struct error *refusal);

/*
 * Check a token for a route that is not an op (GET /v1/openapi.json):
 * 0 when it names an account, else -1 with err set (unauthenticated).
 */
int	dispatch_authenticate(struct server *, const char *token,
	    struct error *err);

/*
 * The public notice board (ops_public: which is "notices" or "page"),
 * read without a token or principal, in the turn's transaction; not
 * audited (nobody is signed in, nothing is written).
 */
void	dispatch_public(struct server *, const char *which, struct answer *a);

/* Call op as the principal given (used by the demo seeder, as admin). */
struct principal;

/* 1 when op is served by the native transport only (events.watch). */
int	dispatch_native_only(const char *op);

/* dispatch_authenticate, telling who the token names into *who. */
int	dispatch_principal(struct server *, const char *token,
	    struct principal *who, struct error *err);

void	dispatch_as(struct server *, const struct principal *, const char *op,
	    const cJSON *args, struct answer *a);

#endif
