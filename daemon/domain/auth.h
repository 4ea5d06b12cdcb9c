/*
 * auth.h: tokens and principals.  A token is 32 random bytes written as 64
 * hex digits; the store keeps only its BLAKE2b hash.
 */
#ifndef DAEMON_AUTH_H
#define DAEMON_AUTH_H

#include "daemon/store/store.h"

#define TOKEN_HEX_LEN	64

enum role_bit {
	ROLE_ADMIN	= 1 << 0,
	ROLE_ORGANIZER	= 1 << 1,
	ROLE_COMMUNITY	= 1 << 2,
	ROLE_ORG	= 1 << 3
};
#define ROLE_ANY	(ROLE_ADMIN | ROLE_ORGANIZER | ROLE_COMMUNITY | ROLE_ORG)

/* Who is calling: the account behind the token, and its role as a bit. */
struct principal {
	struct account	acct;
	unsigned	role;
};

/* Initialise libsodium; -1 when it cannot be. */
int	auth_init(void);

/* A fresh token into out (TOKEN_HEX_LEN + 1 bytes) and its hash. */
void	auth_token_new(char *out, unsigned char hash[TOKEN_HASH_BYTES]);

/* The hash the store keeps for a token. */
void	auth_token_hash(const char *token, unsigned char hash[TOKEN_HASH_BYTES]);

/*
 * Find the principal behind token.  Returns 0, 1 when the token is unknown
 * (or malformed), -1 on a store error with err set.
 */
int	auth_lookup(struct store *, const char *token, struct principal *,
	    struct error *err);

/*
 * A cache of principals by token hash, so that a request does not read
 * its account from the store.  Emptied whenever a token changes (the store
 * tells it through auth_cache_clear) and after a failed commit.
 */
struct auth_cache;

struct auth_cache *auth_cache_new(void);
void	auth_cache_free(struct auth_cache *);
/* Forget every entry; arg is the cache (a store hook's signature). */
void	auth_cache_clear(void *cache);

/* auth_lookup through the cache (cache may be NULL: no caching). */
int	auth_lookup_cached(struct store *, struct auth_cache *,
	    const char *token, struct principal *, struct error *err);

/* ROLE_* bit of a role name; 0 when unknown. */
unsigned auth_role_bit(const char *role);

/*
 * Make an account with a fresh token: role, code, name, street (may be
 * NULL).  The token is written to token_out (TOKEN_HEX_LEN + 1 bytes).
 */
int	auth_account_create(struct store *, const char *role, const char *code,
	    const char *name, const char *street, char *token_out,
	    int64_t *id, struct error *err);

#endif
