/*
 * store_accounts.c: accounts (a token's principal), communities,
 * organisations and organizers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/store/store_priv.h"

const char *const store_sql_accounts[ST_COUNT] = {
	[ST_ACCOUNT_INSERT] = "INSERT INTO accounts (role, code, name, street,"
	    " token_hash, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_ACCOUNT_BY_HASH] = "SELECT id, role, code, name, street,"
	    " token_hash FROM accounts WHERE token_hash = ?1",
	[ST_ACCOUNT_BY_CODE] = "SELECT id, role, code, name, street,"
	    " token_hash FROM accounts WHERE role = ?1 AND code = ?2",
	[ST_ACCOUNT_SET_HASH] = "UPDATE accounts SET token_hash = ?2"
	    " WHERE id = ?1",
	[ST_ACCOUNT_NEXT_ID] = "SELECT COALESCE(MAX(id), 0) + 1 FROM accounts",
	[ST_COMMUNITY_INSERT] = "INSERT INTO communities (code, cap, account)"
	    " VALUES (?1, ?2, ?3)",
	[ST_COMMUNITY_GET] = "SELECT c.code, a.name, a.street, c.cap"
	    " FROM communities c JOIN accounts a ON a.id = c.account"
	    " WHERE c.code = ?1",
	[ST_COMMUNITY_CAP] = "SELECT cap FROM communities WHERE code = ?1",
	[ST_ORG_INSERT] = "INSERT INTO orgs (code, kind, streets, account)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[ST_ORG_GET] = "SELECT o.code, a.name, o.kind, a.street, o.streets"
	    " FROM orgs o JOIN accounts a ON a.id = o.account"
	    " WHERE o.code = ?1",
	[ST_COMMUNITY_LIST] = "SELECT c.code, a.name, a.street, c.cap"
	    " FROM communities c JOIN accounts a ON a.id = c.account"
	    " WHERE c.code > ?1 AND (?2 IS NULL OR a.street = ?2)"
	    " ORDER BY c.code LIMIT ?3",
	[ST_ORG_LIST] = "SELECT o.code, a.name, o.kind, a.street, o.streets"
	    " FROM orgs o JOIN accounts a ON a.id = o.account"
	    " WHERE o.code > ?1 AND (?2 IS NULL OR a.street = ?2 OR EXISTS"
	    " (SELECT 1 FROM json_each(o.streets) WHERE value IN (?2, '*')))"
	    " AND (?3 IS NULL OR o.kind = ?3)"
	    " ORDER BY o.code LIMIT ?4",
	[ST_ORGANIZER_GET] = "SELECT code, name, street FROM accounts"
	    " WHERE role = 'organizer' AND code = ?1",
};

/* Rows as objects, read through the statements above by the record
 * layer's reader: shapes without statements of their own. */
static const struct store_field community_fields[] = {
	STORE_SHOWN("code", STORE_TEXT),
	STORE_SHOWN("name", STORE_TEXT),
	STORE_SHOWN("street", STORE_TEXT),
	STORE_SHOWN("cap", STORE_YUAN),
	{ NULL }
};
static const struct store_record_type community_shape = {
	"community", NULL, community_fields
};

static const struct store_field org_fields[] = {
	STORE_SHOWN("code", STORE_TEXT),
	STORE_SHOWN("name", STORE_TEXT),
	STORE_SHOWN("kind", STORE_TEXT),
	STORE_SHOWN("street", STORE_TEXT),
	STORE_SHOWN("streets", STORE_JSON),
	{ NULL }
};
static const struct store_record_type org_shape = {
	"org", NULL, org_fields
};

static const struct store_field organizer_fields[] = {
	STORE_SHOWN("code", STORE_TEXT),
	STORE_SHOWN("name", STORE_TEXT),
	STORE_SHOWN("street", STORE_TEXT),
	{ NULL }
};
static const struct store_record_type organizer_shape = {
	"organizer", NULL, organizer_fields
};

static int
account_row(struct store *s, sqlite3_stmt *st, struct account *a,
    struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, rc, "account", err);
	}
	a->id = sqlite3_column_int64(st, 0);
	snprintf(a->role, sizeof(a->role), "%s", store_col_text(st, 1));
	snprintf(a->code, sizeof(a->code), "%s", store_col_text(st, 2));
	snprintf(a->name, sizeof(a->name), "%s", store_col_text(st, 3));
	snprintf(a->street, sizeof(a->street), "%s", store_col_text(st, 4));
	if (sqlite3_column_bytes(st, 5) == TOKEN_HASH_BYTES)
		memcpy(a->hash, sqlite3_column_blob(st, 5), TOKEN_HASH_BYTES);
	sqlite3_reset(st);
	return 0;
}

int
store_account_insert(struct store *s, const char *role, const char *code,
    const char *name, const char *street,
    const unsigned char hash[TOKEN_HASH_BYTES], int64_t *id,
    struct error *err)
{
	sqlite3_stmt	*st = store_stmt(s, ST_ACCOUNT_INSERT);
	char		 now[21];

	s->acct_gen++;
	store_now(now);
	store_bind_text(st, 1, role);
	store_bind_text(st, 2, code);
	store_bind_text(st, 3, name);
	store_bind_text(st, 4, street);
	sqlite3_bind_blob(st, 5, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	store_bind_text(st, 6, now);
	if (store_step_done(s, st, "account insert", err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_account_by_hash(struct store *s,
    const unsigned char hash[TOKEN_HASH_BYTES], struct account *a,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_ACCOUNT_BY_HASH);

	sqlite3_bind_blob(st, 1, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	return account_row(s, st, a, err);
}

/* The slot of (role, code) in a cache of STORE_ACCT_SLOTS: FNV-1a of
 * both. */
static uint32_t
account_hash(const char *role, const char *code)
{
	uint32_t		 h = 2166136261u;
	const unsigned char	*p;

	for (p = (const unsigned char *)role; *p; p++)
		h = (h ^ *p) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % STORE_ACCT_SLOTS;
}

static struct store_acct_slot *
account_slot(struct store *s, const char *role, const char *code)
{
	return &s->acct[account_hash(role, code)];
}

/*
 * The loop's store keeps the accounts it found: every post's event names
 * its poster (each lookup cost more than the need's own insert).  What is
 * kept never changes: an account is never deleted, and of its row only
 * the token hash is ever updated, which is not kept (a->hash is zero).
 * An account written and then rolled back is forgotten with every other:
 * acct_gen moves at each write of an account and each rollback.  Another
 * process writes only the admin's token (matchd token).
 */
int
store_account_by_code(struct store *s, const char *role, const char *code,
    struct account *a, struct error *err)
{
	sqlite3_stmt		*st;
	struct store_acct_slot	*slot = NULL;
	int			 rc;

	if (!s->reader && s->in_txn && (s->acct != NULL || (s->acct =
	    calloc(STORE_ACCT_SLOTS, sizeof(*s->acct))) != NULL)) {
		slot = account_slot(s, role, code);
		if (slot->gen == s->acct_gen + 1 &&
		    strcmp(slot->a.role, role) == 0 &&
		    strcmp(slot->a.code, code) == 0) {
			*a = slot->a;
			return 0;
		}
	}
	st = store_stmt(s, ST_ACCOUNT_BY_CODE);
	store_bind_text(st, 1, role);
	store_bind_text(st, 2, code);
	if ((rc = account_row(s, st, a, err)) != 0)
		return rc;
	memset(a->hash, 0, sizeof(a->hash));
	if (slot != NULL) {
		slot->a = *a;
		slot->gen = s->acct_gen + 1;	/* 0: never filled */
	}
	return 0;
}

int
store_account_set_hash(struct store *s, int64_t id,
    const unsigned char hash[TOKEN_HASH_BYTES], struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_ACCOUNT_SET_HASH);

	s->acct_gen++;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	if (s->token_hook != NULL)
		s->token_hook(s->token_hook_arg);
	return store_step_done(s, st, "account token", err);
}

void
store_set_token_hook(struct store *s, void (*fn)(void *), void *arg)
{
	s->token_hook = fn;
	s->token_hook_arg = arg;
}

int64_t
store_account_next_id(struct store *s)
{
	sqlite3_stmt	*st = store_stmt(s, ST_ACCOUNT_NEXT_ID);
	int64_t		 id = 1;

	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* ---- communities and organisations ------------------------------------ */

int
store_community_insert(struct store *s, const char *code, int64_t cap,
    int64_t account, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_COMMUNITY_INSERT);

	store_bind_text(st, 1, code);
	sqlite3_bind_int64(st, 2, cap);
	sqlite3_bind_int64(st, 3, account);
	return store_step_done(s, st, "community insert", err);
}


int
store_community_get(struct store *s, const char *code, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_COMMUNITY_GET);

	store_bind_text(st, 1, code);
	return store_get_one(s, st, store_record_tree, &community_shape, out,
	    err);
}

/*
 * The loop's store keeps the caps it found, as it keeps accounts (every
 * post's budget is checked against its communities' caps: 5 % of a post).
 * A cap is written once, by community.create with the account, and no
 * statement updates it; an account written, or a rollback, forgets them
 * all (acct_gen).
 */
int
store_community_cap(struct store *s, const char *code, int64_t *cap,
    struct error *err)
{
	sqlite3_stmt		*st;
	struct store_cap_slot	*slot = NULL;
	int			 rc;

	if (!s->reader && s->in_txn && strlen(code) < sizeof(slot->code) &&
	    (s->caps != NULL || (s->caps = calloc(STORE_ACCT_SLOTS,
	    sizeof(*s->caps))) != NULL)) {
		slot = &s->caps[account_hash("community", code)];
		if (slot->gen == s->acct_gen + 1 &&
		    strcmp(slot->code, code) == 0) {
			*cap = slot->cap;
			return 0;
		}
	}
	st = store_stmt(s, ST_COMMUNITY_CAP);
	store_bind_text(st, 1, code);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*cap = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW && slot != NULL) {
		memcpy(slot->code, code, strlen(code) + 1);
		slot->cap = *cap;
		slot->gen = s->acct_gen + 1;	/* 0: never filled */
	}
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	return store_fail(s, rc, "community cap", err);
}

int
store_community_list(struct store *s, const char *street, const char *after,
    int limit, cJSON **page, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_COMMUNITY_LIST);

	store_bind_text(st, 1, after ? after : "");
	store_bind_text(st, 2, street);
	sqlite3_bind_int(st, 3, limit + 1);
	return store_get_page(s, st, store_record_tree, &community_shape,
	    limit, page, err);
}

int
store_org_insert(struct store *s, const char *code, const char *kind,
    const char *streets_json, int64_t account, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_ORG_INSERT);

	store_bind_text(st, 1, code);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, streets_json);
	sqlite3_bind_int64(st, 4, account);
	return store_step_done(s, st, "org insert", err);
}


int
store_org_get(struct store *s, const char *code, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_ORG_GET);

	store_bind_text(st, 1, code);
	return store_get_one(s, st, store_record_tree, &org_shape, out, err);
}

int
store_org_list(struct store *s, const char *street, const char *kind,
    const char *after, int limit, cJSON **page, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_ORG_LIST);

	store_bind_text(st, 1, after ? after : "");
	store_bind_text(st, 2, street);
	store_bind_text(st, 3, kind);
	sqlite3_bind_int(st, 4, limit + 1);
	return store_get_page(s, st, store_record_tree, &org_shape, limit,
	    page, err);
}


int
store_organizer_get(struct store *s, const char *code, cJSON **out,
    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_ORGANIZER_GET);

	store_bind_text(st, 1, code);
	return store_get_one(s, st, store_record_tree, &organizer_shape, out,
	    err);
}

