/*
 * ratelimit.c: token buckets in an open-addressing hash table keyed by
 * account id (glibc has no <sys/tree.h>; a table is simpler anyway).
 */
#include <stdlib.h>

#include "daemon/core/ratelimit.h"

struct bucket {
	int64_t	account;	/* 0: empty slot */
	double	tokens;
	double	last;
};

struct ratelimit {
	struct bucket	*slots;
	size_t		 cap;		/* a power of two */
	size_t		 used;
};

struct ratelimit *
ratelimit_new(void)
{
	struct ratelimit *rl;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	rl->cap = 64;
	if ((rl->slots = calloc(rl->cap, sizeof(*rl->slots))) == NULL) {
		free(rl);
		return NULL;
	}
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	free(rl->slots);
	free(rl);
}

static struct bucket *
ratelimit_slot(struct bucket *slots, size_t cap, int64_t account)
{
	size_t i = ((uint64_t)account * 0x9e3779b97f4a7c15ULL) & (cap - 1);

	while (slots[i].account != 0 && slots[i].account != account)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Double the table; -1 when out of memory (the old table stays). */
static int
ratelimit_grow(struct ratelimit *rl)
{
	struct bucket	*fresh;
	size_t		 i, cap = rl->cap * 2;

	if ((fresh = calloc(cap, sizeof(*fresh))) == NULL)
		return -1;
	for (i = 0; i < rl->cap; i++)
		if (rl->slots[i].account != 0)
			*ratelimit_slot(fresh, cap, rl->slots[i].account) =
			    rl->slots[i];
	free(rl->slots);
	rl->slots = fresh;
	rl->cap = cap;
	return 0;
}

int
ratelimit_take(struct ratelimit *rl, int64_t account, long rate, double now)
{
	struct bucket *b;

	if (rate <= 0)
		return 1;
	if (rl->used * 2 >= rl->cap && ratelimit_grow(rl) == -1)
		return 1;	/* fail open rather than refuse everyone */
	b = ratelimit_slot(rl->slots, rl->cap, account);
	if (b->account == 0) {
		b->account = account;
		b->tokens = (double)rate;
		b->last = now;
		rl->used++;
	}
	/* Refill at rate per second, holding at most one second's worth. */
	b->tokens += (now - b->last) * (double)rate;
	if (b->tokens > (double)rate)
		b->tokens = (double)rate;
	b->last = now;
	if (b->tokens < 1.0)
		return 0;
	b->tokens -= 1.0;
	return 1;
}
