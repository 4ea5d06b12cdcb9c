/*
 * test_store.c: the SQLite store (daemon/store/store.c) on a temporary database:
 * schema, accounts, communities, organisations, needs, offers, pagination,
 * filters, the audit trail, savepoints and transactions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "daemon/store/store.h"
#include "daemon/store/store_schema.h"
#include "protocol/json_print.h"
#include "protocol/error.h"

struct fixture {
	char		 dir[64];
	char		 path[96];
	struct store	*s;
};

#define ZH_NAME	"\xe7\xa4\xbe\xe5\x8c\xba\xe4\xb8\x80"	/* 社区一 */

static struct store *
open_store(const char *path)
{
	struct error	 err;
	struct store	*s;

	memset(&err, 0, sizeof(err));
	s = store_open(path, 0, 200, 64, &err);
	if (s == NULL)
		fail_msg("store_open %s: %s", path, err.message);
	return s;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/matchd.db", fx->dir);
	fx->s = open_store(fx->path);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 p[128];

	store_close(fx->s);
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* A token hash made from one byte. */
static void
hash_of(unsigned char h[TOKEN_HASH_BYTES], int seed)
{
	int i;

	for (i = 0; i < TOKEN_HASH_BYTES; i++)
		h[i] = (unsigned char)(seed * 31 + i);
}

static int64_t
add_account(struct store *s, const char *role, const char *code,
    const char *street, int seed)
{
	unsigned char	hash[TOKEN_HASH_BYTES];
	struct error	err;
	int64_t		id = 0;

	hash_of(hash, seed);
	if (store_account_insert(s, role, code, "name", street, hash, &id,
	    &err) != 0)
		fail_msg("account %s %s: %s", role, code, err.message);
	assert_true(id > 0);
	return id;
}

static void
add_community(struct store *s, const char *code, const char *street,
    int seed)
{
	struct error	err;
	int64_t		acct = add_account(s, "community", code, street, seed);

	if (store_community_insert(s, code, 5000000, acct, &err) != 0)
		fail_msg("community %s: %s", code, err.message);
}

static void
add_org(struct store *s, const char *code, const char *streets, int seed)
{
	struct error	err;
	int64_t		acct = add_account(s, "org", code, NULL, seed);

	if (store_org_insert(s, code, "registered", streets, acct, &err) != 0)
		fail_msg("org %s: %s", code, err.message);
}

/* A need object as ops_needs.c builds it. */
static cJSON *
need_obj(const char *community, const char *street, const char *category,
    double budget, const char *status)
{
	cJSON *n = cJSON_CreateObject();

	assert_non_null(n);
	cJSON_AddStringToObject(n, "community", community);
	cJSON_AddItemToObject(n, "partners", cJSON_CreateArray());
	cJSON_AddStringToObject(n, "street", street);
	cJSON_AddStringToObject(n, "title", "t");
	cJSON_AddStringToObject(n, "category", category);
	cJSON_AddNumberToObject(n, "budget", budget);
	cJSON_AddStringToObject(n, "description", "");
	cJSON_AddNumberToObject(n, "beneficiaries", 0);
	cJSON_AddNullToObject(n, "window");
	cJSON_AddNumberToObject(n, "year", 2026);
	cJSON_AddStringToObject(n, "status", status);
	return n;
}

static int64_t
add_need(struct store *s, cJSON *n)
{
	struct error	err;
	int64_t		id = 0;

	if (store_record_insert(s, STORE_NEED, n, &id, &err) != 0)
		fail_msg("need insert: %s", err.message);
	cJSON_Delete(n);
	assert_true(id > 0);
	return id;
}

static cJSON *
offer_obj(const char *org, const char *partner, const char *streets,
    const char *category, int in_library)
{
	cJSON *o = cJSON_CreateObject();

	assert_non_null(o);
	cJSON_AddStringToObject(o, "org", org);
	if (partner != NULL)
		cJSON_AddStringToObject(o, "partner", partner);
	cJSON_AddStringToObject(o, "title", "o");
	cJSON_AddStringToObject(o, "category", category);
	cJSON_AddNumberToObject(o, "price", 0.29);
	cJSON_AddNumberToObject(o, "capacity", 3);
	cJSON_AddNumberToObject(o, "remaining", 3);
	cJSON_AddItemToObject(o, "streets", cJSON_Parse(streets));
	cJSON_AddBoolToObject(o, "in_library", in_library);
	cJSON_AddStringToObject(o, "status", "open");
	cJSON_AddStringToObject(o, "description", "");
	return o;
}

static int64_t
add_offer(struct store *s, cJSON *o)
{
	struct error	err;
	int64_t		id = 0;

	if (store_record_insert(s, STORE_OFFER, o, &id, &err) != 0)
		fail_msg("offer insert: %s", err.message);
	cJSON_Delete(o);
	return id;
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v))
		fail_msg("\"%s\" is not a string", key);
	return v->valuestring;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("\"%s\" is not a number", key);
	return v->valuedouble;
}

/* Ids of a page's items into ids[]; returns how many. */
static int
page_ids(const cJSON *page, int64_t *ids, int max)
{
	const cJSON	*items = cJSON_GetObjectItemCaseSensitive(page, "items");
	const cJSON	*it;
	int		 n = 0;

	assert_true(cJSON_IsArray(items));
	cJSON_ArrayForEach(it, items) {
		assert_true(n < max);
		ids[n++] = (int64_t)num(it, "id");
	}
	return n;
}

/* Every id a filter lists, following next to the end; sorted by the store. */
static int
list_all(struct store *s, int needs, struct list_filter f, int64_t *ids,
    int max)
{
	struct error	 err;
	cJSON		*page, *next;
	int		 n = 0;

	f.after = 0;
	for (;;) {
		int rc = store_record_list(s, needs ? STORE_NEED :
		    STORE_OFFER, &f, &page, &err);

		if (rc != 0)
			fail_msg("list: %s", err.message);
		n += page_ids(page, ids + n, max - n);
		next = cJSON_GetObjectItemCaseSensitive(page, "next");
		if (cJSON_IsNull(next)) {
			cJSON_Delete(page);
			return n;
		}
		assert_true(cJSON_IsNumber(next));
		assert_true(n > 0);
		assert_int_equal((int64_t)next->valuedouble, ids[n - 1]);
		f.after = (int64_t)next->valuedouble;
		cJSON_Delete(page);
	}
}

static struct list_filter
no_filter(int limit)
{
	struct list_filter f;

	memset(&f, 0, sizeof(f));
	f.in_library = -1;
	f.limit = limit;
	return f;
}

/* ---- schema ------------------------------------------------------------ */

/* The integer that sql (text, when not NULL, bound to ?1) reads first from
 * the database at path, opened read-only apart from the store; -1 when
 * it reads no row. */
static int
int_of(const char *path, const char *sql, const char *text)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 n = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int
user_version(const char *path)
{
	return int_of(path, "PRAGMA user_version", NULL);
}

static void
test_open_creates_schema(void **state)
{
	struct fixture	*fx = *state;
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 n = 0;

	assert_true(schema_version() >= 1);
	assert_int_equal(user_version(fx->path), schema_version());
	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master"
	    " WHERE type = 'table' AND name IN ('accounts', 'communities',"
	    " 'orgs', 'needs', 'offers', 'audit')", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		n++;
	sqlite3_finalize(st);
	assert_int_equal(n, 6);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fixture	*fx = *state;
	struct account	 a;
	struct error	 err;
	unsigned char	 h[TOKEN_HASH_BYTES];
	cJSON		*n;
	int64_t		 id, nid;

	id = add_account(fx->s, "admin", "root", NULL, 1);
	add_community(fx->s, "C1", "S1", 2);
	nid = add_need(fx->s, need_obj("C1", "S1", "service.elderly", 1234.56,
	    "open"));
	store_close(fx->s);
	fx->s = open_store(fx->path);
	assert_int_equal(user_version(fx->path), schema_version());
	hash_of(h, 1);
	assert_int_equal(store_account_by_hash(fx->s, h, &a, &err), 0);
	assert_int_equal(a.id, id);
	assert_int_equal(store_record_get(fx->s, STORE_NEED, nid, &n, &err), 0);
	assert_true(num(n, "budget") == 1234.56);
	cJSON_Delete(n);
	/* Open a third time: the migrations do not run again. */
	store_close(fx->s);
	fx->s = open_store(fx->path);
	assert_int_equal(store_account_next_id(fx->s), id + 2);
}

static void
test_open_newer_schema_refused(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	sqlite3		*db;
	char		 sql[64];

	store_close(fx->s);
	fx->s = NULL;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    schema_version() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	memset(&err, 0, sizeof(err));
	assert_null(store_open(fx->path, 0, 200, 64, &err));
	assert_int_not_equal(err.code, ERR_NONE);
	assert_non_null(strstr(err.message, "version"));
}

static void
test_open_bad_path(void **state)
{
	struct error err;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_null(store_open("/nonexistent-dir/x/matchd.db", 0, 200, 64,
	    &err));
	assert_int_equal(err.code, ERR_UNAVAILABLE);
}

/* ---- accounts ---------------------------------------------------------- */

static void
test_accounts(void **state)
{
	struct fixture	*fx = *state;
	struct account	 a;
	struct error	 err;
	unsigned char	 h[TOKEN_HASH_BYTES], h2[TOKEN_HASH_BYTES];
	int64_t		 id, id2;

	assert_int_equal(store_account_next_id(fx->s), 1);
	hash_of(h, 5);
	assert_int_equal(store_account_insert(fx->s, "community", "C1",
	    ZH_NAME, "S1", h, &id, &err), 0);
	assert_int_equal(store_account_next_id(fx->s), id + 1);

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_account_by_hash(fx->s, h, &a, &err), 0);
	assert_int_equal(a.id, id);
	assert_string_equal(a.role, "community");
	assert_string_equal(a.code, "C1");
	assert_string_equal(a.name, ZH_NAME);
	assert_string_equal(a.street, "S1");
	assert_memory_equal(a.hash, h, TOKEN_HASH_BYTES);

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_account_by_code(fx->s, "community", "C1", &a,
	    &err), 0);
	assert_int_equal(a.id, id);
	assert_int_equal(store_account_by_code(fx->s, "org", "C1", &a, &err),
	    1);
	assert_int_equal(store_account_by_code(fx->s, "community", "c1", &a,
	    &err), 1);
	hash_of(h2, 6);
	assert_int_equal(store_account_by_hash(fx->s, h2, &a, &err), 1);

	/* The same (role, code) again: conflict. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_account_insert(fx->s, "community", "C1", "x",
	    NULL, h2, &id2, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	/* The same code in another role is another account. */
	assert_int_equal(store_account_insert(fx->s, "org", "C1", "x", NULL,
	    h2, &id2, &err), 0);
	assert_true(id2 != id);
	memset(&a, 0, sizeof(a));
	assert_int_equal(store_account_by_code(fx->s, "org", "C1", &a, &err),
	    0);
	assert_int_equal(a.id, id2);
	assert_string_equal(a.street, "");	/* no street */
	/* The same token hash twice: conflict. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_account_insert(fx->s, "admin", "A", "x", NULL,
	    h2, &id2, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);

	/* A new token: the old one no longer signs in. */
	hash_of(h2, 7);
	assert_int_equal(store_account_set_hash(fx->s, id, h2, &err), 0);
	assert_int_equal(store_account_by_hash(fx->s, h, &a, &err), 1);
	assert_int_equal(store_account_by_hash(fx->s, h2, &a, &err), 0);
	assert_int_equal(a.id, id);
}

/* ---- communities and organisations ------------------------------------ */

static void
test_community(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	cJSON		*c = (cJSON *)1;
	int64_t		 acct;

	acct = add_account(fx->s, "community", "C9", "S9", 1);
	assert_int_equal(store_community_insert(fx->s, "C9", 123456, acct,
	    &err), 0);
	assert_int_equal(store_community_get(fx->s, "C9", &c, &err), 0);
	assert_string_equal(str(c, "code"), "C9");
	assert_string_equal(str(c, "name"), "name");
	assert_string_equal(str(c, "street"), "S9");
	assert_true(num(c, "cap") == 1234.56);	/* yuan */
	cJSON_Delete(c);
	assert_int_equal(store_community_get(fx->s, "nosuch", &c, &err), 1);
	assert_null(c);
	/* The code again: conflict. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_community_insert(fx->s, "C9", 1, acct, &err),
	    -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	/* No such account (foreign keys are on). */
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_community_insert(fx->s, "C8", 1, 999, &err),
	    -1);
	assert_int_equal(err.code, ERR_CONFLICT);

	/* The largest cap is exact. */
	acct = add_account(fx->s, "community", "C7", "S9", 2);
	assert_int_equal(store_community_insert(fx->s, "C7", 1000000000000LL,
	    acct, &err), 0);
	assert_int_equal(store_community_get(fx->s, "C7", &c, &err), 0);
	assert_true(num(c, "cap") == 1e10);
	cJSON_Delete(c);
}

static void
test_org(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	cJSON		*o, *streets;
	int64_t		 acct;

	add_org(fx->s, "91110000ABC", "[\"S1\",\"\xe4\xb8\xad\"]", 1);
	assert_int_equal(store_org_get(fx->s, "91110000ABC", &o, &err), 0);
	assert_string_equal(str(o, "code"), "91110000ABC");
	assert_string_equal(str(o, "kind"), "registered");
	assert_string_equal(str(o, "name"), "name");
	streets = cJSON_GetObjectItemCaseSensitive(o, "streets");
	assert_true(cJSON_IsArray(streets));
	assert_int_equal(cJSON_GetArraySize(streets), 2);
	assert_string_equal(cJSON_GetArrayItem(streets, 0)->valuestring, "S1");
	assert_string_equal(cJSON_GetArrayItem(streets, 1)->valuestring,
	    "\xe4\xb8\xad");
	cJSON_Delete(o);
	assert_int_equal(store_org_get(fx->s, "nosuch", &o, &err), 1);

	acct = add_account(fx->s, "org", "X", NULL, 2);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_org_insert(fx->s, "X", "company", "[]", acct,
	    &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);

	add_account(fx->s, "organizer", "O1", "S1", 3);
	assert_int_equal(store_organizer_get(fx->s, "O1", &o, &err), 0);
	assert_string_equal(str(o, "code"), "O1");
	assert_string_equal(str(o, "street"), "S1");
	cJSON_Delete(o);
	assert_int_equal(store_organizer_get(fx->s, "C1", &o, &err), 1);
}

/* ---- needs ------------------------------------------------------------- */

/* store_record_get_text writes what json_print writes of
 * store_record_get's object, byte for byte. */
static void
assert_text_same(struct store *s, enum store_record type, int64_t id)
{
	struct error	 err;
	cJSON		*tree;
	char		*want, *got;

	assert_int_equal(store_record_get(s, type, id, &tree, &err), 0);
	assert_int_equal(store_record_get_text(s, type, id, &got, &err), 0);
	want = json_print(tree, NULL);
	assert_non_null(want);
	assert_string_equal(got, want);
	free(want);
	free(got);
	cJSON_Delete(tree);
}

static void
test_need_text_matches_tree(void **state)
{
	static const char *const texts[] = { "", ZH_NAME, "line 1\nline 2",
	    "tab\there", "\"quoted\" and \\ back", "\xe2\x80\xa8 U+2028",
	    "<script>&amp;" };
	static const double budgets[] = { 0.01, 0.1, 1, 1234.56, 99999.99,
	    5000000, 10000000000.0, 0.29, 1e9 + 0.07 };
	struct fixture	*fx = *state;
	struct error	 err;
	cJSON		*n;
	char		*text, ref[64];
	size_t		 i;

	add_community(fx->s, "C1", "S1", 1);
	add_community(fx->s, "C2", "S2", 2);
	add_community(fx->s, "C3", "S2", 3);
	for (i = 0; i < 24; i++) {
		n = need_obj("C1", "S1", "service.elderly",
		    budgets[i % (sizeof(budgets) / sizeof(budgets[0]))],
		    i % 3 ? "open" : "withdrawn");
		cJSON_ReplaceItemInObjectCaseSensitive(n, "title",
		    cJSON_CreateString(texts[i % 7] [0] ? texts[i % 7] : "t"));
		cJSON_ReplaceItemInObjectCaseSensitive(n, "description",
		    cJSON_CreateString(texts[(i + 3) % 7]));
		if (i % 2)
			cJSON_ReplaceItemInObjectCaseSensitive(n, "window",
			    cJSON_Parse("{\"from\":\"2027-03-01\","
			    "\"to\":\"2027-04-30\"}"));
		if (i % 4 == 1)
			cJSON_ReplaceItemInObjectCaseSensitive(n, "partners",
			    cJSON_Parse(i % 8 == 1 ? "[\"C2\"]" :
			    "[\"C2\",\"C3\"]"));
		if (i % 3 == 2) {
			snprintf(ref, sizeof(ref), "%s-%zu", texts[i % 7], i);
			cJSON_AddStringToObject(n, "ref", ref);
		}
		cJSON_ReplaceItemInObjectCaseSensitive(n, "beneficiaries",
		    cJSON_CreateNumber((double)(i * 997 % 100000)));
		assert_text_same(fx->s, STORE_NEED, add_need(fx->s, n));
	}
	assert_int_equal(store_record_get_text(fx->s, STORE_NEED, 999999, &text,
	    &err), 1);
	assert_null(text);
}

static void
test_need_round_trip(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	cJSON		*n, *got, *w, *p;
	int64_t		 id;

	add_community(fx->s, "C1", "S1", 1);
	add_community(fx->s, "C2", "S1", 2);
	n = need_obj("C1", "S1", "service.elderly", 1234.56, "open");
	cJSON_ReplaceItemInObjectCaseSensitive(n, "title",
	    cJSON_CreateString(ZH_NAME));
	cJSON_ReplaceItemInObjectCaseSensitive(n, "partners",
	    cJSON_Parse("[\"C2\"]"));
	cJSON_ReplaceItemInObjectCaseSensitive(n, "window",
	    cJSON_Parse("{\"from\":\"2026-03-01\",\"to\":\"2026-04-30\"}"));
	cJSON_ReplaceItemInObjectCaseSensitive(n, "description",
	    cJSON_CreateString("line 1\nline 2"));
	cJSON_ReplaceItemInObjectCaseSensitive(n, "beneficiaries",
	    cJSON_CreateNumber(30));
	cJSON_AddStringToObject(n, "ref", "R-1");
	id = add_need(fx->s, n);

	assert_int_equal(store_record_get(fx->s, STORE_NEED, id, &got, &err),
	    0);
	assert_true(num(got, "id") == (double)id);
	assert_string_equal(str(got, "community"), "C1");
	assert_string_equal(str(got, "street"), "S1");
	assert_string_equal(str(got, "title"), ZH_NAME);
	assert_string_equal(str(got, "category"), "service.elderly");
	assert_true(num(got, "budget") == 1234.56);
	assert_string_equal(str(got, "description"), "line 1\nline 2");
	assert_true(num(got, "beneficiaries") == 30);
	assert_true(num(got, "year") == 2026);
	assert_string_equal(str(got, "status"), "open");
	assert_string_equal(str(got, "ref"), "R-1");
	assert_true(strlen(str(got, "created")) == 20);
	assert_true(strlen(str(got, "updated")) == 20);
	p = cJSON_GetObjectItemCaseSensitive(got, "partners");
	assert_int_equal(cJSON_GetArraySize(p), 1);
	assert_string_equal(cJSON_GetArrayItem(p, 0)->valuestring, "C2");
	w = cJSON_GetObjectItemCaseSensitive(got, "window");
	assert_string_equal(str(w, "from"), "2026-03-01");
	assert_string_equal(str(w, "to"), "2026-04-30");

	/* Update writes every field back. */
	cJSON_ReplaceItemInObjectCaseSensitive(got, "status",
	    cJSON_CreateString("matched"));
	cJSON_ReplaceItemInObjectCaseSensitive(got, "budget",
	    cJSON_CreateNumber(0.29));
	cJSON_ReplaceItemInObjectCaseSensitive(got, "window",
	    cJSON_CreateNull());
	assert_int_equal(store_record_update(fx->s, STORE_NEED, got, &err), 0);
	cJSON_Delete(got);
	assert_int_equal(store_record_get(fx->s, STORE_NEED, id, &got, &err),
	    0);
	assert_string_equal(str(got, "status"), "matched");
	assert_true(num(got, "budget") == 0.29);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(got,
	    "window")));
	assert_string_equal(str(got, "title"), ZH_NAME);
	cJSON_Delete(got);

	/* By ref, within its community only. */
	assert_int_equal(store_record_by_ref(fx->s, STORE_NEED, "C1", "R-1",
	    &got, &err), 0);
	assert_true(num(got, "id") == (double)id);
	cJSON_Delete(got);
	assert_int_equal(store_record_by_ref(fx->s, STORE_NEED, "C2", "R-1",
	    &got, &err), 1);
	assert_null(got);
	assert_int_equal(store_record_get(fx->s, STORE_NEED, id + 100, &got,
	    &err), 1);
	assert_null(got);

	/* The same ref twice in one community: conflict; without ref: fine. */
	n = need_obj("C1", "S1", "service.elderly", 1, "open");
	cJSON_AddStringToObject(n, "ref", "R-1");
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_record_insert(fx->s, STORE_NEED, n, &id, &err),
	    -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	cJSON_Delete(n);
	add_need(fx->s, need_obj("C1", "S1", "service.elderly", 1, "open"));
	add_need(fx->s, need_obj("C1", "S1", "service.elderly", 1, "open"));
	/* A need of an unknown community, or a bad status: refused. */
	n = need_obj("C404", "S1", "service.elderly", 1, "open");
	assert_int_equal(store_record_insert(fx->s, STORE_NEED, n, &id, &err),
	    -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	cJSON_Delete(n);
	n = need_obj("C1", "S1", "service.elderly", 1, "done");
	assert_int_equal(store_record_insert(fx->s, STORE_NEED, n, &id, &err),
	    -1);
	cJSON_Delete(n);
}

static void
test_need_amounts_exact(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	const double	 amounts[] = { 0.01, 0.29, 0.3, 1.1, 1234.56, 50000,
	    99999999.99, 9999999999.99, 1e10, 0.07, 19.99 };
	cJSON		*got;
	int64_t		 id;
	size_t		 i;
	int		 k;

	add_community(fx->s, "C1", "S1", 1);
	for (i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		id = add_need(fx->s, need_obj("C1", "S1", "goods.books",
		    amounts[i], "open"));
		assert_int_equal(store_record_get(fx->s, STORE_NEED, id, &got,
		    &err), 0);
		if (num(got, "budget") != amounts[i])
			fail_msg("budget %.2f came back as %.17g", amounts[i],
			    num(got, "budget"));
		cJSON_Delete(got);
	}
	/* Every cent from 0.01 to 10.00, written as a client would. */
	assert_int_equal(store_begin(fx->s, &err), 0);
	for (k = 1; k <= 1000; k++) {
		char	 buf[32];
		cJSON	*b;

		snprintf(buf, sizeof(buf), "%d.%02d", k / 100, k % 100);
		b = cJSON_Parse(buf);
		id = add_need(fx->s, need_obj("C1", "S1", "goods.books",
		    b->valuedouble, "open"));
		assert_int_equal(store_record_get(fx->s, STORE_NEED, id, &got,
		    &err), 0);
		if (num(got, "budget") != b->valuedouble)
			fail_msg("budget %s came back as %.17g", buf,
			    num(got, "budget"));
		cJSON_Delete(got);
		cJSON_Delete(b);
	}
	assert_int_equal(store_commit(fx->s, &err), 0);
}

static void
test_need_pagination(void **state)
{
	struct fixture		*fx = *state;
	struct error		 err;
	struct list_filter	 f = no_filter(10);
	int64_t			 inserted[237], ids[16], last = 0;
	cJSON			*page, *next;
	int			 i, n, pages = 0, seen = 0;

	add_community(fx->s, "C1", "S1", 1);
	assert_int_equal(store_begin(fx->s, &err), 0);
	for (i = 0; i < 237; i++)
		inserted[i] = add_need(fx->s, need_obj("C1", "S1",
		    "service.elderly", 1 + i, "open"));
	assert_int_equal(store_commit(fx->s, &err), 0);

	f.after = 0;
	for (;;) {
		assert_int_equal(store_record_list(fx->s, STORE_NEED, &f, &page,
		    &err), 0);
		pages++;
		n = page_ids(page, ids, 16);
		next = cJSON_GetObjectItemCaseSensitive(page, "next");
		for (i = 0; i < n; i++) {
			assert_true(ids[i] > last);	/* in order, once */
			assert_int_equal(ids[i], inserted[seen]);
			last = ids[i];
			seen++;
		}
		if (seen < 237) {
			assert_int_equal(n, 10);
			assert_true(cJSON_IsNumber(next));
			assert_int_equal((int64_t)next->valuedouble, last);
			f.after = last;
		} else {
			assert_int_equal(n, 7);
			assert_true(cJSON_IsNull(next));
			cJSON_Delete(page);
			break;
		}
		cJSON_Delete(page);
		assert_true(pages < 30);
	}
	assert_int_equal(pages, 24);
	assert_int_equal(seen, 237);

	/* One page holding everything says there is no next page. */
	f = no_filter(1000);
	assert_int_equal(store_record_list(fx->s, STORE_NEED, &f, &page, &err),
	    0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    page, "items")), 237);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(page,
	    "next")));
	cJSON_Delete(page);
	/* A last page that is exactly full: next is null too. */
	f = no_filter(37);
	f.after = inserted[199];
	assert_int_equal(store_record_list(fx->s, STORE_NEED, &f, &page, &err),
	    0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    page, "items")), 37);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(page,
	    "next")));
	cJSON_Delete(page);
	/* After the last id: empty. */
	f = no_filter(10);
	f.after = inserted[236];
	assert_int_equal(store_record_list(fx->s, STORE_NEED, &f, &page, &err),
	    0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    page, "items")), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(page,
	    "next")));
	cJSON_Delete(page);
}

static void
test_need_filters(void **state)
{
	struct fixture		*fx = *state;
	struct list_filter	 f;
	cJSON			*n;
	int64_t			 a, b, c, d, e, g, ids[32];

	add_community(fx->s, "C1", "S1", 1);
	add_community(fx->s, "C2", "S2", 2);
	add_community(fx->s, "C3", "S2", 3);
	a = add_need(fx->s, need_obj("C1", "S1", "service.elderly", 1, "open"));
	b = add_need(fx->s, need_obj("C2", "S2", "service.children", 1,
	    "matched"));
	n = need_obj("C3", "S2", "engineering.safety", 1, "open");
	cJSON_ReplaceItemInObjectCaseSensitive(n, "partners",
	    cJSON_Parse("[\"C1\",\"C2\"]"));
	c = add_need(fx->s, n);
	d = add_need(fx->s, need_obj("C1", "S1", "goods.books", 1,
	    "withdrawn"));
	/* A family whose name starts like another's. */
	e = add_need(fx->s, need_obj("C2", "S2", "services.x", 1, "open"));
	g = add_need(fx->s, need_obj("C2", "S2", "service.elderly2", 1,
	    "open"));

	f = no_filter(50);
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 6);

	f = no_filter(50);
	f.street = "S1";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 2);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], d);

	/* A community sees its own needs and those it is a partner of. */
	f = no_filter(50);
	f.owner = "C1";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 3);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], c);
	assert_int_equal(ids[2], d);
	f.owner = "C3";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 1);
	assert_int_equal(ids[0], c);
	f.owner = "C";		/* no prefix matching of codes */
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 0);

	f = no_filter(50);
	f.category = "service.elderly";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 1);
	assert_int_equal(ids[0], a);
	f.category = "service";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 3);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	assert_int_equal(ids[2], g);
	f.category = "serv";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 0);
	f.category = "services";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 1);
	assert_int_equal(ids[0], e);

	f = no_filter(50);
	f.status = "open";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 4);
	f.status = "matched";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 1);
	assert_int_equal(ids[0], b);

	/* Filters combine, and paginate. */
	f = no_filter(1);
	f.street = "S2";
	f.status = "open";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 3);
	assert_int_equal(ids[0], c);
	assert_int_equal(ids[1], e);
	assert_int_equal(ids[2], g);
	f.category = "engineering";
	f.owner = "C2";
	assert_int_equal(list_all(fx->s, 1, f, ids, 32), 1);
	assert_int_equal(ids[0], c);
}

/* ---- offers ------------------------------------------------------------ */

static void
test_offer_round_trip(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	cJSON		*o, *got;
	int64_t		 id;

	add_org(fx->s, "O1", "[\"S1\"]", 1);
	add_org(fx->s, "O2", "[\"*\"]", 2);
	o = offer_obj("O1", "O2", "[\"S1\",\"S2\"]", "service.health", 1);
	cJSON_AddStringToObject(o, "ref", "X");
	id = add_offer(fx->s, o);
	assert_int_equal(store_record_get(fx->s, STORE_OFFER, id, &got, &err),
	    0);
	assert_string_equal(str(got, "org"), "O1");
	assert_string_equal(str(got, "partner"), "O2");
	assert_true(num(got, "price") == 0.29);
	assert_true(num(got, "capacity") == 3);
	assert_true(num(got, "remaining") == 3);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(got,
	    "in_library")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    got, "streets")), 2);
	cJSON_ReplaceItemInObjectCaseSensitive(got, "remaining",
	    cJSON_CreateNumber(0));
	cJSON_ReplaceItemInObjectCaseSensitive(got, "status",
	    cJSON_CreateString("full"));
	assert_int_equal(store_record_update(fx->s, STORE_OFFER, got, &err), 0);
	cJSON_Delete(got);
	assert_int_equal(store_record_by_ref(fx->s, STORE_OFFER, "O1", "X",
	    &got, &err), 0);
	assert_true(num(got, "remaining") == 0);
	assert_string_equal(str(got, "status"), "full");
	cJSON_Delete(got);
	assert_int_equal(store_record_by_ref(fx->s, STORE_OFFER, "O2", "X",
	    &got, &err), 1);

	/* No partner: null. */
	id = add_offer(fx->s, offer_obj("O1", NULL, "[\"S1\"]",
	    "service.health", 0));
	assert_int_equal(store_record_get(fx->s, STORE_OFFER, id, &got, &err),
	    0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(got,
	    "partner")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(got,
	    "in_library")));
	cJSON_Delete(got);
}

/* Offers too print from the row what their tree prints: partners, the
 * "*" street, the library flag, prices to the fen. */
static void
test_offer_text_matches_tree(void **state)
{
	static const char *const texts[] = { "", ZH_NAME, "line 1\nline 2",
	    "\"quoted\" and \\ back", "\xe2\x80\xa8 U+2028" };
	static const char *const streets[] = { "[\"S1\"]", "[\"*\"]",
	    "[\"S1\",\"\xe4\xb8\xad\"]", "[]" };
	static const double prices[] = { 0, 0.01, 0.29, 1234.56, 99999.99,
	    10000000000.0 };
	struct fixture	*fx = *state;
	struct error	 err;
	cJSON		*o;
	char		*text, ref[32];
	size_t		 i;

	add_org(fx->s, "O1", "[\"S1\"]", 1);
	add_org(fx->s, "O2", "[\"*\"]", 2);
	for (i = 0; i < 20; i++) {
		o = offer_obj("O1", i % 3 ? "O2" : NULL, streets[i % 4],
		    i % 2 ? "service.health" : "goods.books", (int)(i % 2));
		if (i % 3 == 0)
			cJSON_AddNullToObject(o, "partner");
		cJSON_ReplaceItemInObjectCaseSensitive(o, "title",
		    cJSON_CreateString(texts[i % 5][0] ? texts[i % 5] : "t"));
		cJSON_ReplaceItemInObjectCaseSensitive(o, "description",
		    cJSON_CreateString(texts[(i + 2) % 5]));
		cJSON_ReplaceItemInObjectCaseSensitive(o, "price",
		    cJSON_CreateNumber(prices[i % 6]));
		cJSON_ReplaceItemInObjectCaseSensitive(o, "remaining",
		    cJSON_CreateNumber((double)(i % 4)));
		if (i % 4 == 3)
			cJSON_ReplaceItemInObjectCaseSensitive(o, "status",
			    cJSON_CreateString("full"));
		if (i % 5 == 1) {
			snprintf(ref, sizeof(ref), "R-%zu", i);
			cJSON_AddStringToObject(o, "ref", ref);
		}
		assert_text_same(fx->s, STORE_OFFER, add_offer(fx->s, o));
	}
	assert_int_equal(store_record_get_text(fx->s, STORE_OFFER, 999999,
	    &text, &err), 1);
	assert_null(text);
}

static void
test_offer_filters(void **state)
{
	struct fixture		*fx = *state;
	struct list_filter	 f;
	int64_t			 a, b, c, d, e, ids[32];

	add_org(fx->s, "O1", "[\"S1\"]", 1);
	add_org(fx->s, "O2", "[\"*\"]", 2);
	add_org(fx->s, "O3", "[\"S3\"]", 3);
	a = add_offer(fx->s, offer_obj("O1", NULL, "[\"S1\"]",
	    "service.health", 0));
	b = add_offer(fx->s, offer_obj("O1", NULL, "[\"S2\"]",
	    "service.health", 1));
	c = add_offer(fx->s, offer_obj("O2", NULL, "[\"*\"]", "goods.books",
	    1));
	d = add_offer(fx->s, offer_obj("O3", "O1", "[\"S3\",\"S1\"]",
	    "engineering.safety", 0));
	e = add_offer(fx->s, offer_obj("O3", NULL, "[\"S11\"]",
	    "service.legal", 0));

	/* A street sees offers for it and for the whole district. */
	f = no_filter(50);
	f.street = "S1";
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 3);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], c);
	assert_int_equal(ids[2], d);
	f.street = "S2";
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 2);
	assert_int_equal(ids[0], b);
	assert_int_equal(ids[1], c);
	f.street = "S9";
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 1);
	assert_int_equal(ids[0], c);

	/* An org sees its own offers and those it is partner of. */
	f = no_filter(50);
	f.owner = "O1";
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 3);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	assert_int_equal(ids[2], d);

	f = no_filter(50);
	f.in_library = 1;
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 2);
	assert_int_equal(ids[0], b);
	assert_int_equal(ids[1], c);
	f.in_library = 0;
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 3);

	f = no_filter(2);
	f.category = "service";
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 3);
	assert_int_equal(ids[2], e);
	f.status = "full";
	assert_int_equal(list_all(fx->s, 0, f, ids, 32), 0);
}

/* ---- audit ------------------------------------------------------------- */

static void
test_audit(void **state)
{
	struct fixture	*fx = *state;
	struct store_audit_filter all = { NULL, NULL, NULL, 0 };
	struct store_audit_filter c1_newest = { "need.post", "C1", "2000-01-01",
			    1 };
	struct store_audit_filter future = { NULL, NULL, "2999-01-01", 1 };
	struct error	 err;
	cJSON		*page, *items, *it;
	int64_t		 ids[8];
	char		 obj[16];
	int		 i;

	for (i = 0; i < 5; i++) {
		snprintf(obj, sizeof(obj), "need/%d", i);
		assert_int_equal(store_audit_insert(fx->s, i == 0 ? NULL :
		    "community", i == 0 ? NULL : "C1", "need.post", obj,
		    i == 0 ? "unauthenticated" : "ok", &err), 0);
	}
	assert_int_equal(store_audit_list(fx->s, &all, 0, 3, &page, &err), 0);
	assert_int_equal(page_ids(page, ids, 8), 3);
	items = cJSON_GetObjectItemCaseSensitive(page, "items");
	it = cJSON_GetArrayItem(items, 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(it, "role")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(it, "code")));
	assert_string_equal(str(it, "op"), "need.post");
	assert_string_equal(str(it, "object"), "need/0");
	assert_string_equal(str(it, "outcome"), "unauthenticated");
	assert_int_equal(strlen(str(it, "time")), 20);
	it = cJSON_GetArrayItem(items, 1);
	assert_string_equal(str(it, "role"), "community");
	assert_string_equal(str(it, "code"), "C1");
	assert_string_equal(str(it, "outcome"), "ok");
	assert_int_equal((int64_t)num(page, "next"), ids[2]);
	cJSON_Delete(page);
	assert_int_equal(store_audit_list(fx->s, &all, ids[2], 3, &page, &err),
	    0);
	assert_int_equal(page_ids(page, ids, 8), 2);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(page,
	    "next")));
	it = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(page,
	    "items"), 1);
	assert_string_equal(str(it, "object"), "need/4");
	cJSON_Delete(page);
	/* Newest first, C1's only (not the entry without a principal). */
	assert_int_equal(store_audit_list(fx->s, &c1_newest, 0, 3, &page,
	    &err), 0);
	assert_int_equal(page_ids(page, ids, 8), 3);
	assert_true(ids[0] > ids[1] && ids[1] > ids[2]);
	assert_string_equal(str(cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(page, "items"), 0), "object"),
	    "need/4");
	cJSON_Delete(page);
	assert_int_equal(store_audit_list(fx->s, &c1_newest, ids[2], 3, &page,
	    &err), 0);
	assert_int_equal(page_ids(page, ids, 8), 1);
	assert_string_equal(str(cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(page, "items"), 0), "object"),
	    "need/1");
	cJSON_Delete(page);
	assert_int_equal(store_audit_list(fx->s, &future, 0, 3, &page, &err),
	    0);
	assert_int_equal(page_ids(page, ids, 8), 0);
	cJSON_Delete(page);
}

/* ---- transactions ------------------------------------------------------ */

static void
test_savepoint(void **state)
{
	struct fixture	*fx = *state;
	struct account	 a;
	struct error	 err;

	assert_int_equal(store_begin(fx->s, &err), 0);
	add_account(fx->s, "admin", "keep", NULL, 1);
	assert_int_equal(store_savepoint(fx->s, &err), 0);
	add_account(fx->s, "admin", "undo", NULL, 2);
	assert_int_equal(store_account_by_code(fx->s, "admin", "undo", &a,
	    &err), 0);
	store_savepoint_rollback(fx->s);
	assert_int_equal(store_account_by_code(fx->s, "admin", "undo", &a,
	    &err), 1);
	assert_true(store_in_txn(fx->s));
	/* A released savepoint keeps its work. */
	assert_int_equal(store_savepoint(fx->s, &err), 0);
	add_account(fx->s, "admin", "also", NULL, 3);
	store_savepoint_release(fx->s);
	/* The code is free again after the rollback. */
	assert_int_equal(store_savepoint(fx->s, &err), 0);
	add_account(fx->s, "admin", "undo", NULL, 4);
	store_savepoint_release(fx->s);
	assert_int_equal(store_commit(fx->s, &err), 0);
	assert_false(store_in_txn(fx->s));
	assert_int_equal(store_account_by_code(fx->s, "admin", "keep", &a,
	    &err), 0);
	assert_int_equal(store_account_by_code(fx->s, "admin", "also", &a,
	    &err), 0);
	assert_int_equal(store_account_by_code(fx->s, "admin", "undo", &a,
	    &err), 0);
}

/* A failed insert inside a savepoint is undone without losing the rest. */
static void
test_savepoint_after_failure(void **state)
{
	struct fixture	*fx = *state;
	struct account	 a;
	struct error	 err;
	unsigned char	 h[TOKEN_HASH_BYTES];
	int64_t		 id;

	assert_int_equal(store_begin(fx->s, &err), 0);
	add_account(fx->s, "admin", "first", NULL, 1);
	assert_int_equal(store_savepoint(fx->s, &err), 0);
	add_account(fx->s, "admin", "second", NULL, 2);
	hash_of(h, 3);
	assert_int_equal(store_account_insert(fx->s, "admin", "first", "x",
	    NULL, h, &id, &err), -1);
	store_savepoint_rollback(fx->s);
	assert_int_equal(store_commit(fx->s, &err), 0);
	assert_int_equal(store_account_by_code(fx->s, "admin", "first", &a,
	    &err), 0);
	assert_int_equal(store_account_by_code(fx->s, "admin", "second", &a,
	    &err), 1);
}

static int
count_accounts_elsewhere(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 n = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM accounts",
	    -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
test_transactions(void **state)
{
	struct fixture	*fx = *state;
	struct account	 a;
	struct error	 err;

	assert_false(store_in_txn(fx->s));
	assert_int_equal(store_begin(fx->s, &err), 0);
	assert_true(store_in_txn(fx->s));
	add_account(fx->s, "admin", "gone", NULL, 1);
	/* Not visible to another connection before commit. */
	assert_int_equal(count_accounts_elsewhere(fx->path), 0);
	store_rollback(fx->s);
	assert_false(store_in_txn(fx->s));
	assert_int_equal(store_account_by_code(fx->s, "admin", "gone", &a,
	    &err), 1);

	assert_int_equal(store_begin(fx->s, &err), 0);
	add_account(fx->s, "admin", "kept", NULL, 2);
	add_account(fx->s, "admin", "kept2", NULL, 3);
	assert_int_equal(store_commit(fx->s, &err), 0);
	assert_false(store_in_txn(fx->s));
	assert_int_equal(count_accounts_elsewhere(fx->path), 2);
	/* Rolling back with no transaction open is harmless. */
	store_rollback(fx->s);
	assert_int_equal(count_accounts_elsewhere(fx->path), 2);
}

/* Another writer holding the lock: begin gives up as "unavailable". */
static void
test_begin_busy(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	sqlite3		*db;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_begin(fx->s, &err), -1);
	assert_int_equal(err.code, ERR_UNAVAILABLE);
	assert_false(store_in_txn(fx->s));
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_begin(fx->s, &err), 0);
	assert_int_equal(store_commit(fx->s, &err), 0);
}

/* Exec sql on db, failing the test with SQLite's message. */
static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* How many schema objects of that name. */
static int
schema_has(const char *path, const char *name)
{
	return int_of(path, "SELECT COUNT(*) FROM sqlite_master WHERE"
	    " name = ?1", name);
}

/* The fixture's database made anew at schema version (the migrations
 * before it applied, user_version set), open for the test to fill. */
static sqlite3 *
db_at_schema(struct fixture *fx, int version)
{
	sqlite3		*db;
	char		 pragma[64];
	int		 v;

	store_close(fx->s);
	unlink(fx->path);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	for (v = 0; v < version; v++)
		exec_ok(db, schema_migration(v));
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
	exec_ok(db, pragma);
	return db;
}

/*
 * A database of schema 3 (before the needs and offers were rebuilt) opens
 * at the current schema with every row, id and reference kept; refs stay
 * unique where given; foreign keys are on again afterwards.
 */
static void
test_migration_4_rebuilds_needs_and_offers(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	sqlite3		*db;
	cJSON		*n, *got;
	int64_t		 id = 0;

	db = db_at_schema(fx, 3);
	exec_ok(db, "INSERT INTO accounts VALUES (1, 'community', 'C1', 'c', 'S1',"
	    " x'01', '2026-01-01T00:00:00Z');"
	    "INSERT INTO communities VALUES ('C1', 1, 100);"
	    "INSERT INTO accounts VALUES (2, 'org', 'O1', 'o', NULL, x'02',"
	    " '2026-01-01T00:00:00Z');"
	    "INSERT INTO orgs VALUES ('O1', 2, 'registered', '[\"*\"]');"
	    "INSERT INTO needs VALUES (7, 'C1', '[]', 'S1', 't',"
	    " 'service.elderly', 500, '', 0, NULL, NULL, 2026, 'open', 'R-1',"
	    " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO offers VALUES (9, 'O1', NULL, 'o', 'service.elderly',"
	    " 29, 3, 3, '[\"*\"]', 0, 'open', '', 'X',"
	    " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO fairs VALUES (1, 'f', '2026-12-05', NULL, '09:00', 2,"
	    " 4, 15, 'open', 'G1', '2026-01-01T00:00:00Z',"
	    " '2026-01-01T00:00:00Z', 0);"
	    "INSERT INTO fair_needs VALUES (1, 7);"
	    "INSERT INTO fair_offers VALUES (1, 9);");
	sqlite3_close(db);

	fx->s = open_store(fx->path);
	assert_int_equal(user_version(fx->path), schema_version());
	assert_int_equal(schema_has(fx->path, "needs_street"), 0);
	assert_int_equal(schema_has(fx->path, "needs_community"), 0);
	assert_int_equal(schema_has(fx->path, "offers_org"), 0);
	assert_int_equal(schema_has(fx->path, "needs_ref"), 1);
	assert_int_equal(schema_has(fx->path, "offers_ref"), 1);
	assert_int_equal(store_record_by_ref(fx->s, STORE_NEED, "C1", "R-1",
	    &got, &err), 0);
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(got, "id")) == 7);
	cJSON_Delete(got);
	assert_int_equal(store_record_by_ref(fx->s, STORE_OFFER, "O1", "X",
	    &got, &err), 0);
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(got, "id")) == 9);
	cJSON_Delete(got);

	/* The ref is still unique in its community; needs without one are
	 * many; new ids follow the old. */
	n = need_obj("C1", "S1", "service.elderly", 1, "open");
	cJSON_AddStringToObject(n, "ref", "R-1");
	assert_int_equal(store_record_insert(fx->s, STORE_NEED, n, &id, &err),
	    -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	cJSON_Delete(n);
	assert_true(add_need(fx->s, need_obj("C1", "S1", "service.elderly", 1,
	    "open")) == 8);
	assert_true(add_need(fx->s, need_obj("C1", "S1", "service.elderly", 1,
	    "open")) == 9);

	/* Foreign keys are enforced again. */
	n = need_obj("NOPE", "S1", "service.elderly", 1, "open");
	assert_int_equal(store_record_insert(fx->s, STORE_NEED, n, &id, &err),
	    -1);
	cJSON_Delete(n);
}

/* Keeps the ids of the events it is shown. */
static int
event_id_seen(void *arg, const struct store_event *ev, struct error *err)
{
	int64_t *ids = arg;

	(void)err;
	ids[ids[0] + 1] = ev->id;
	ids[0]++;
	return 0;
}

/*
 * A database of schema 9 opens with its events rebuilt without
 * AUTOINCREMENT: every event kept with its id and fields, its row of
 * sqlite_sequence gone, and the next event's id one more than the last.
 */
static void
test_migration_10_events_without_autoincrement(void **state)
{
	struct fixture		*fx = *state;
	struct store_event	 ev;
	struct store_event_filter f;
	struct error		 err;
	sqlite3			*db;
	int64_t			 id = 0, ids[8] = { 0 };

	db = db_at_schema(fx, 9);
	exec_ok(db, "INSERT INTO events VALUES (3, '2026-01-01T00:00:00Z',"
	    " 'need.posted', 'need', 7, NULL, NULL, 's3',"
	    " char(31) || 'C1' || char(31), '', char(31) || 'S1' || char(31),"
	    " 0);"
	    "INSERT INTO events VALUES (5, '2026-01-02T00:00:00Z',"
	    " 'run.proposed', 'fair', 1, 1, 2, 's5', '', '', '', 1);");
	assert_int_equal(int_of(fx->path, "SELECT seq FROM sqlite_sequence"
	    " WHERE name = 'events'", NULL), 5);
	sqlite3_close(db);

	fx->s = open_store(fx->path);
	assert_int_equal(user_version(fx->path), schema_version());
	assert_int_equal(int_of(fx->path, "SELECT COUNT(*) FROM"
	    " sqlite_master WHERE name = 'events' AND sql LIKE"
	    " '%AUTOINCREMENT%'", NULL), 0);
	assert_int_equal(int_of(fx->path, "SELECT COUNT(*) FROM"
	    " sqlite_sequence WHERE name = 'events'", NULL), 0);
	assert_int_equal(int_of(fx->path, "SELECT COUNT(*) FROM events"
	    " WHERE id = 5 AND fair = 1 AND run = 2 AND staff = 1 AND"
	    " summary = 's5'", NULL), 1);
	assert_int_equal(schema_has(fx->path, "events_v10"), 0);

	memset(&ev, 0, sizeof(ev));
	ev.kind = "need.posted";
	ev.otype = "need";
	ev.oid = 8;
	ev.summary = "s6";
	assert_int_equal(store_event_insert(fx->s, &ev, &id, &err), 0);
	assert_true(id == 6);
	memset(&f, 0, sizeof(f));
	f.upto = 100;
	f.limit = 10;
	f.all = 1;
	assert_int_equal(store_events_each(fx->s, &f, event_id_seen, ids,
	    &err), 0);
	assert_true(ids[0] == 3 && ids[1] == 3 && ids[2] == 5 && ids[3] == 6);
}

/*
 * A database of schema 4 opens at the current schema: the streets in use
 * (accounts, organisations' and offers' service areas, needs, fairs; not
 * "*") are registered; matches take their terms from the needs and offers
 * as they are; a fair keeps the family rule it ran by, publishes its latest
 * run and knows its schedule was built from it.
 */
static void
test_migration_5_streets_terms_published(void **state)
{
	struct fixture	*fx = *state;
	struct error	 err;
	sqlite3		*db;
	cJSON		*m, *t, *f, *items, *c;
	int		 n = 0;

	db = db_at_schema(fx, 4);
	exec_ok(db, "INSERT INTO accounts VALUES (1, 'community', 'C1', 'c', 'S1',"
	    " x'01', '2026-01-01T00:00:00Z');"
	    "INSERT INTO communities VALUES ('C1', 1, 100000);"
	    "INSERT INTO accounts VALUES (2, 'org', 'O1', 'o', NULL, x'02',"
	    " '2026-01-01T00:00:00Z');"
	    "INSERT INTO orgs VALUES ('O1', 2, 'registered', '[\"S2\", \"S1\"]');"
	    "INSERT INTO needs VALUES (7, 'C1', '[]', 'S1', 'need-t',"
	    " 'service.elderly', 500, '', 0, NULL, NULL, 2026, 'matched', NULL,"
	    " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO offers VALUES (9, 'O1', NULL, 'offer-t',"
	    " 'service.elderly', 29, 3, 2, '[\"*\"]', 0, 'open', '', NULL,"
	    " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO fairs VALUES (1, 'f', '2026-12-05', 'S3', '09:00', 2,"
	    " 4, 15, 'open', 'G1', '2026-01-01T00:00:00Z',"
	    " '2026-01-01T00:00:00Z', 1);"
	    "INSERT INTO runs VALUES (1, 1, 'optimal', 1, 1, 0, 5000, 29, '[]',"
	    " '2026-01-01T00:00:00Z');"
	    "INSERT INTO matches VALUES (3, 1, 1, 7, 9, 'C1', 'O1', 5000, 4000,"
	    " 1000, 0, 0, 0, 29, 'confirmed', '2026-01-01T00:00:00Z',"
	    " '2026-01-01T00:00:00Z');"
	    "INSERT INTO meetings VALUES (1, 1, 7, 9, 'C1', 'O1', 5000, 1, 1, 1,"
	    " '09:00');");
	sqlite3_close(db);

	fx->s = open_store(fx->path);
	assert_int_equal(user_version(fx->path), schema_version());
	assert_int_equal(store_street_list(fx->s, &items, &err), 0);
	cJSON_ArrayForEach(c, items) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(c,
		    "name"));

		assert_true(strcmp(name, "S1") == 0 || strcmp(name, "S2") == 0 ||
		    strcmp(name, "S3") == 0);
		if (strcmp(name, "S1") == 0)
			assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(c,
			    "communities")) == 1);
		n++;
	}
	assert_int_equal(n, 3);
	cJSON_Delete(items);
	assert_int_equal(store_street_exists(fx->s, "*", &err), 1);

	assert_int_equal(store_match_get(fx->s, 3, &m, &err), 0);
	t = cJSON_GetObjectItem(m, "terms");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(t,
	    "need_title")), "need-t");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(t,
	    "offer_title")), "offer-t");
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(t, "budget")) ==
	    5);
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(t, "price")) ==
	    0.29);
	cJSON_Delete(m);
	assert_int_equal(store_match_set_status(fx->s, 3, "superseded", &err),
	    0);

	assert_int_equal(store_fair_get(fx->s, 1, &f, &err), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(f,
	    "rule")), "family");
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(f,
	    "published_run")) == 1);
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(f,
	    "schedule_run")) == 1);
	cJSON_Delete(f);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_creates_schema),
		T(test_reopen_keeps_data),
		T(test_open_newer_schema_refused),
		T(test_migration_4_rebuilds_needs_and_offers),
		T(test_migration_5_streets_terms_published),
		T(test_migration_10_events_without_autoincrement),
		cmocka_unit_test(test_open_bad_path),
		T(test_accounts),
		T(test_community),
		T(test_org),
		T(test_need_round_trip),
		T(test_need_text_matches_tree),
		T(test_need_amounts_exact),
		T(test_need_pagination),
		T(test_need_filters),
		T(test_offer_round_trip),
		T(test_offer_text_matches_tree),
		T(test_offer_filters),
		T(test_audit),
		T(test_savepoint),
		T(test_savepoint_after_failure),
		T(test_transactions),
		T(test_begin_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
