/*
 * test_need_cache.c: the needs in memory (daemon/domain/need_cache.h) read
 * through a reader's connection, past the size where its pools first grow
 * (they are mapped, and grown by mremap), then brought up to date with
 * what was written since: every need kept in id order, with its title,
 * tokens and partners, the old ones unchanged by the growth.  And the
 * scratch given to a holder: as large as asked, growing without copying.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "daemon/domain/need_cache.h"
#include "daemon/store/store_reader.h"
#include "matcher/text.h"

/* Each pool's first mapping is 2 MiB: 40,000 needs of these titles pass
 * it in the needs, the titles and their tokens alike. */
#define BATCH	40000

struct fixture {
	char		 dir[64], path[128];
	struct store	*s;		/* the loop's: made the schema */
	struct store	*r;		/* a reader's */
	struct need_cache *c;
};

static void
exec_ok(const char *path, const char *sql)
{
	sqlite3	*db;
	char	*msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* Needs from+1 .. from+n: community C<id % 7>, partner P1 on every third,
 * a title of a dozen words that says its id. */
static void
add_needs(const char *path, int from, int n)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
	    "WITH RECURSIVE k(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM k"
	    " WHERE i < %d)"
	    " INSERT INTO needs (id, community, partners, street, title,"
	    " category, budget, year, status, created, updated)"
	    " SELECT i, 'C' || (i %% 7), CASE WHEN i %% 3 = 0 THEN"
	    " '[\"P1\"]' ELSE '[]' END, 'S1', 'need number ' || i ||"
	    " ' of the elderly meals and home visits programme in the"
	    " district', 'service.elderly', 100 + i, 2026, 'open',"
	    " '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z' FROM k;",
	    from + 1, from + n);
	exec_ok(path, sql);
}

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));
	struct error	 err;
	char		 sql[512];
	int		 i;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_need_cache.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/matchd.db", fx->dir);
	if ((fx->s = store_open(fx->path, 0, 2000, 64, &err)) == NULL)
		fail_msg("store_open: %s", err.message);
	for (i = 0; i < 7; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO accounts VALUES (%d,"
		    " 'community', 'C%d', 'c', 'S1', x'%02x',"
		    " '2026-01-01T00:00:00Z'); INSERT INTO communities VALUES"
		    " ('C%d', %d, 100);", i + 1, i, i + 1, i, i + 1);
		exec_ok(fx->path, sql);
	}
	if ((fx->r = store_open_reader(fx->path, 2000, &err)) == NULL)
		fail_msg("store_open_reader: %s", err.message);
	assert_non_null(fx->c = need_cache_new());
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 p[160];

	need_cache_free(fx->c);
	store_close(fx->r);
	store_close(fx->s);
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s.lock", fx->path);
	unlink(p);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Need i of the view is the need of id i + 1 that add_needs wrote. */
static void
check_need(const struct need_cache_view *v, size_t i)
{
	const struct nc_need	*x = &v->needs[i];
	struct text_tokens	 tok;
	char			 title[160], code[8];
	int64_t			 id = (int64_t)i + 1;

	assert_true(x->id == id);
	snprintf(title, sizeof(title), "need number %lld of the elderly meals"
	    " and home visits programme in the district", (long long)id);
	assert_string_equal(v->tpool + x->toff, title);
	snprintf(code, sizeof(code), "C%d", (int)(id % 7));
	assert_string_equal(intern_str(v->comms, x->comm), code);
	assert_true(x->budget == 100 + id && x->year == 2026);
	assert_int_equal(x->status, 'o');
	assert_string_equal(x->created, "2026-03-01");
	assert_int_equal(text_tokenize(title, strlen(title), &tok), 0);
	assert_int_equal(x->nk, (int)tok.n);
	assert_memory_equal(v->kpool + x->koff, tok.h, tok.n *
	    sizeof(*tok.h));
	text_tokens_free(&tok);
	if (id % 3 == 0) {
		assert_int_equal(x->np, 1);
		assert_string_equal(intern_str(v->comms, v->pool[x->poff]),
		    "P1");
	} else
		assert_int_equal(x->np, 0);
}

/* Take the cache at the reader's snapshot; every need is checked. */
static void
check_all(struct fixture *fx, size_t want)
{
	struct need_cache_view	v;
	struct error		err;
	size_t			i;

	assert_int_equal(store_read_begin(fx->r, &err), 0);
	if (need_cache_acquire(fx->c, fx->r, &v, &err) != 0)
		fail_msg("need_cache_acquire: %s", err.message);
	assert_int_equal(v.n, want);
	for (i = 0; i < v.n; i++)
		check_need(&v, i);
	need_cache_release(fx->c);
	store_read_end(fx->r);
}

static void
test_pools_grow_and_keep_every_need(void **state)
{
	struct fixture *fx = *state;

	add_needs(fx->path, 0, BATCH);
	check_all(fx, BATCH);
	/* Written since: read on the next acquire, the pools grown (and
	 * moved, maybe) with the first batch in them. */
	add_needs(fx->path, BATCH, 2 * BATCH);
	check_all(fx, 3 * BATCH);
	check_all(fx, 3 * BATCH);
}

static void
test_scratch_as_large_as_asked(void **state)
{
	struct fixture		*fx = *state;
	struct need_cache_view	 v;
	struct error		 err;
	unsigned char		*p, *q;
	size_t			 sizes[] = { 100, 3u << 20, 1u << 20, 9u << 20 };
	size_t			 i;

	assert_int_equal(store_read_begin(fx->r, &err), 0);
	assert_int_equal(need_cache_acquire(fx->c, fx->r, &v, &err), 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_non_null(p = need_cache_scratch(fx->c, sizes[i]));
		memset(p, (int)i + 1, sizes[i]);
		/* As large again: the same memory, kept as written. */
		assert_ptr_equal(q = need_cache_scratch(fx->c, sizes[i]), p);
		assert_int_equal(q[sizes[i] - 1], (int)i + 1);
	}
	need_cache_release(fx->c);
	store_read_end(fx->r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_pools_grow_and_keep_every_need, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scratch_as_large_as_asked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
