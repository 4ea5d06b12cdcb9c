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
	char		*text;		/* or the result already printed (owned;
					   result is then NULL) */
	size_t		 text_len;
	struct error	 err;		/* code ERR_NONE when ok */
	int		 write;		/* the op writes: ok only once committed */
	int		 signed_in;	/* the token named an account */
	int		 snapshot;	/* a reader's: read committed data only,
					   so it stands if the turn's commit
					   fails */
	int		 pure;		/* read nothing stored (ping): it need
					   not wait for any commit's sync */
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
 * dispatch, but a request for an op that runs on a reader thread (see
 * daemon/core/jobs.h) is handed to one once its refusal checks pass:
 * then it returns 1 with *job set, and the caller names with job_on_done
 * who gets the answer, on the loop thread, when it is ready; nothing is
 * in a.  Otherwise it returns 0 with the answer in a, as dispatch.
 * how: DISPATCH_TEXT when the answer may come back printed (a->text);
 * every such answer fits limits.max_answer_bytes (a list is cut into
 * pages, with `next`; anything else too long is `too_large`).
 */
#define DISPATCH_TEXT	0x1u
/* The daemon's own call (a job of the risk check, as dispatch_as): not a
 * client's request, so neither counted in matchd_requests_total nor
 * logged as one. */
#define DISPATCH_INTERNAL	0x2u
struct job;
int	dispatch_start(struct server *, const char *op, const char *token,
	    const cJSON *args, struct answer *a, unsigned how,
	    struct job **job);

/* Told the answer of a job (the callee takes a->result and a->text). */
typedef void	(*job_done_fn)(void *arg, struct answer *a);
/* Who to tell job's answer: set it before returning to the loop (the
 * answer cannot come before). */
void	job_on_done(struct job *, job_done_fn, void *arg);

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

/* 1 when op reads and writes nothing stored (ping): it is answered even
 * while a run is written in slices (txn_held; core/jobs.h). */
int	dispatch_pure(const char *op);

/* dispatch_authenticate, telling who the token names into *who. */
int	dispatch_principal(struct server *, const char *token,
	    struct principal *who, struct error *err);

void	dispatch_as(struct server *, const struct principal *, const char *op,
	    const cJSON *args, struct answer *a);

#endif
