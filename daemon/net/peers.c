/*
 * peers.c: connections per client address in an open-addressing hash table
 * (linear probing, deletion by backward shift, so no tombstones pile up
 * while clients come and go).  The hash is SipHash with a key drawn at
 * start-up: clients choose their addresses, and must not be able to choose
 * addresses that collide.
 */
#include <netinet/in.h>

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "daemon/net/peers.h"

struct peer_slot {
	struct peer_addr	 addr;
	long			 n;		/* 0: empty slot */
};

struct peers {
	struct peer_slot	*slots;
	size_t			 cap;		/* a power of two */
	size_t			 used;
	unsigned char		 key[crypto_shorthash_KEYBYTES];
};

#define PEERS_MIN_CAP	64

struct peers *
peers_new(void)
{
	struct peers *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cap = PEERS_MIN_CAP;
	if ((p->slots = calloc(p->cap, sizeof(*p->slots))) == NULL) {
		free(p);
		return NULL;
	}
	randombytes_buf(p->key, sizeof(p->key));
	return p;
}

void
peers_free(struct peers *p)
{
	if (p == NULL)
		return;
	free(p->slots);
	free(p);
}

int
peers_key(const struct sockaddr *sa, struct peer_addr *key)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)
					    (const void *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)
					    (const void *)sa;

	memset(key, 0, sizeof(*key));
	if (sa->sa_family == AF_INET) {
		key->b[10] = key->b[11] = 0xff;
		memcpy(key->b + 12, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		memcpy(key->b, &sin6->sin6_addr, 16);
	else
		memcpy(key->b, &sin6->sin6_addr, 8);	/* its /64 */
	return 0;
}

static size_t
peers_hash(const struct peers *p, const struct peer_addr *a)
{
	unsigned char	h[crypto_shorthash_BYTES];
	uint64_t	v;

	crypto_shorthash(h, a->b, sizeof(a->b), p->key);
	memcpy(&v, h, sizeof(v));
	return (size_t)v;
}

/* The slot of a, or the empty slot where it would go. */
static struct peer_slot *
peers_slot(const struct peers *p, struct peer_slot *slots, size_t cap,
    const struct peer_addr *a)
{
	size_t i = peers_hash(p, a) & (cap - 1);

	while (slots[i].n != 0 && memcmp(&slots[i].addr, a, sizeof(*a)) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

long
peers_count(const struct peers *p, const struct peer_addr *a)
{
	return peers_slot(p, p->slots, p->cap, a)->n;
}

/* Rehash into cap slots; -1 when out of memory (the old table stays). */
static int
peers_resize(struct peers *p, size_t cap)
{
	struct peer_slot	*fresh;
	size_t			 i;

	if ((fresh = calloc(cap, sizeof(*fresh))) == NULL)
		return -1;
	for (i = 0; i < p->cap; i++)
		if (p->slots[i].n != 0)
			*peers_slot(p, fresh, cap, &p->slots[i].addr) =
			    p->slots[i];
	free(p->slots);
	p->slots = fresh;
	p->cap = cap;
	return 0;
}

int
peers_add(struct peers *p, const struct peer_addr *a)
{
	struct peer_slot *s;

	if ((p->used + 1) * 2 > p->cap && peers_resize(p, p->cap * 2) == -1)
		return -1;
	s = peers_slot(p, p->slots, p->cap, a);
	if (s->n == 0) {
		s->addr = *a;
		p->used++;
	}
	s->n++;
	return 0;
}

void
peers_del(struct peers *p, const struct peer_addr *a)
{
	struct peer_slot	*s = peers_slot(p, p->slots, p->cap, a);
	size_t			 i, j, k, mask = p->cap - 1;

	assert(s->n > 0);
	if (--s->n > 0)
		return;
	p->used--;
	/*
	 * Backward shift: move up each later entry of the probe run whose
	 * home slot k is not cyclically in (i, j], so that every entry stays
	 * reachable from its home without a tombstone.
	 */
	i = (size_t)(s - p->slots);
	for (j = (i + 1) & mask; p->slots[j].n != 0; j = (j + 1) & mask) {
		k = peers_hash(p, &p->slots[j].addr) & mask;
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		p->slots[i] = p->slots[j];
		p->slots[j].n = 0;
		i = j;
	}
	p->slots[i].n = 0;
	/* Give the memory of a crowd that has left back. */
	if (p->cap > PEERS_MIN_CAP && p->used * 8 < p->cap)
		(void)peers_resize(p, p->cap / 2);
}
