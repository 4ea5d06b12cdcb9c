/*
 * auth.c: tokens (libsodium) and the principal behind one.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "daemon/domain/auth.h"

int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
auth_token_hash(const char *token, unsigned char hash[TOKEN_HASH_BYTES])
{
	crypto_generichash(hash, TOKEN_HASH_BYTES,
	    (const unsigned char *)token, strlen(token), NULL, 0);
}

void
auth_token_new(char *out, unsigned char hash[TOKEN_HASH_BYTES])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, TOKEN_HEX_LEN + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(out, hash);
}

unsigned
auth_role_bit(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return ROLE_ADMIN;
	if (strcmp(role, "organizer") == 0)
		return ROLE_ORGANIZER;
	if (strcmp(role, "community") == 0)
		return ROLE_COMMUNITY;
	if (strcmp(role, "org") == 0)
		return ROLE_ORG;
	return 0;
}

int
auth_lookup(struct store *s, const char *token, struct principal *p,
    struct error *err)
{
	unsigned char	hash[TOKEN_HASH_BYTES];
	int		rc;

	if (strlen(token) != TOKEN_HEX_LEN)
		return 1;
	auth_token_hash(token, hash);
	/*
	 * The index lookup is by hash, which tells an attacker nothing about
	 * the token; the account is then compared in constant time.
	 */
	memset(p, 0, sizeof(*p));
	if ((rc = store_account_by_hash(s, hash, &p->acct, err)) != 0)
		return rc;
	if (sodium_memcmp(p->acct.hash, hash, TOKEN_HASH_BYTES) != 0)
		return 1;
	p->role = auth_role_bit(p->acct.role);
	return p->role ? 0 : 1;
}

int
auth_account_create(struct store *s, const char *role, const char *code,
    const char *name, const char *street, char *token_out, int64_t *id,
    struct error *err)
{
	unsigned char hash[TOKEN_HASH_BYTES];

	auth_token_new(token_out, hash);
	return store_account_insert(s, role, code, name, street, hash, id, err);
}

#define AUTH_CACHE_SLOTS	4096	/* a power of two */

struct auth_entry {
	int			used;
	unsigned char		hash[TOKEN_HASH_BYTES];
	struct principal	p;
};

struct auth_cache {
	struct auth_entry	*e;
	size_t			 n;	/* entries in use */
};

struct auth_cache *
auth_cache_new(void)
{
	struct auth_cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->e = calloc(AUTH_CACHE_SLOTS, sizeof(*c->e))) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
auth_cache_free(struct auth_cache *c)
{
	if (c == NULL)
		return;
	sodium_memzero(c->e, AUTH_CACHE_SLOTS * sizeof(*c->e));
	free(c->e);
	free(c);
}

void
auth_cache_clear(void *arg)
{
	struct auth_cache *c = arg;

	if (c == NULL || c->n == 0)
		return;
	sodium_memzero(c->e, AUTH_CACHE_SLOTS * sizeof(*c->e));
	c->n = 0;
}

/* The slot for hash: its entry, or the empty slot where it would go. */
static struct auth_entry *
auth_cache_slot(struct auth_cache *c, const unsigned char *hash)
{
	size_t i;

	memcpy(&i, hash, sizeof(i));	/* the hash is uniform already */
	for (i &= AUTH_CACHE_SLOTS - 1; c->e[i].used; i = (i + 1) &
	    (AUTH_CACHE_SLOTS - 1))
		if (sodium_memcmp(c->e[i].hash, hash, TOKEN_HASH_BYTES) == 0)
			break;
	return &c->e[i];
}

int
auth_lookup_cached(struct store *s, struct auth_cache *c, const char *token,
    struct principal *p, struct error *err)
{
	unsigned char		 hash[TOKEN_HASH_BYTES];
	struct auth_entry	*e;
	int			 rc;

	if (c == NULL || strlen(token) != TOKEN_HEX_LEN)
		return auth_lookup(s, token, p, err);
	auth_token_hash(token, hash);
	e = auth_cache_slot(c, hash);
	if (e->used) {
		*p = e->p;
		return 0;
	}
	if ((rc = auth_lookup(s, token, p, err)) != 0)
		return rc;
	/* Keep the table at most half full: start over when it fills. */
	if (c->n >= AUTH_CACHE_SLOTS / 2) {
		auth_cache_clear(c);
		e = auth_cache_slot(c, hash);
	}
	e->used = 1;
	memcpy(e->hash, hash, TOKEN_HASH_BYTES);
	e->p = *p;
	c->n++;
	return 0;
}
