/*
 * ratelimit.h: requests per second per token, a token bucket per account.
 */
#ifndef DAEMON_RATELIMIT_H
#define DAEMON_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

struct ratelimit *ratelimit_new(void);
void		  ratelimit_free(struct ratelimit *);

/*
 * Take one request of account at time now (seconds) under rate per second
 * (0: unlimited).  Returns 1 when allowed, 0 when over the rate.
 */
int		  ratelimit_take(struct ratelimit *, int64_t account, long rate,
		    double now);

#endif
