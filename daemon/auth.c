/*
 * auth.c: tokens (libsodium) and the principal behind one.
 */
#include <string.h>

#include <sodium.h>

#include "daemon/auth.h"

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
