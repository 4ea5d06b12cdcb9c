/*
 * test_ratelimit.c: token buckets per account (daemon/core/ratelimit.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "daemon/core/ratelimit.h"

static int
setup(void **state)
{
	struct ratelimit *rl = ratelimit_new();

	assert_non_null(rl);
	*state = rl;
	return 0;
}

static int
teardown(void **state)
{
	ratelimit_free(*state);
	return 0;
}

/* How many of n requests at time now are allowed. */
static int
allowed(struct ratelimit *rl, int64_t acct, long rate, double now, int n)
{
	int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += ratelimit_take(rl, acct, rate, now);
	return ok;
}

static void
test_unlimited(void **state)
{
	struct ratelimit *rl = *state;

	assert_int_equal(allowed(rl, 1, 0, 10.0, 100000), 100000);
	assert_int_equal(allowed(rl, 1, -1, 10.0, 100), 100);
}

static void
test_burst_then_refuse(void **state)
{
	struct ratelimit *rl = *state;
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(ratelimit_take(rl, 7, 5, 100.0), 1);
	assert_int_equal(ratelimit_take(rl, 7, 5, 100.0), 0);
	assert_int_equal(ratelimit_take(rl, 7, 5, 100.0), 0);
	/* Refusals do not dig a hole: a quarter second later, one more. */
	assert_int_equal(allowed(rl, 7, 5, 100.25, 10), 1);
}

static void
test_refill(void **state)
{
	struct ratelimit *rl = *state;

	assert_int_equal(allowed(rl, 3, 4, 50.0, 10), 4);
	/* 4 a second: 0.125 s gives half a token, 0.25 s a whole one. */
	assert_int_equal(allowed(rl, 3, 4, 50.125, 1), 0);
	assert_int_equal(allowed(rl, 3, 4, 50.25, 1), 1);
	assert_int_equal(allowed(rl, 3, 4, 50.25, 1), 0);
	assert_int_equal(allowed(rl, 3, 4, 50.75, 10), 2);
	/* A long rest fills the bucket to one second's worth, no more. */
	assert_int_equal(allowed(rl, 3, 4, 1000.0, 100), 4);
	/* A steady 4 a second is always allowed. */
	{
		double	t = 2000.0;
		int	i, ok = 0;

		for (i = 0; i < 400; i++, t += 0.25)
			ok += ratelimit_take(rl, 3, 4, t);
		assert_int_equal(ok, 400);
	}
}

static void
test_accounts_independent(void **state)
{
	struct ratelimit *rl = *state;

	assert_int_equal(allowed(rl, 1, 2, 5.0, 10), 2);
	assert_int_equal(allowed(rl, 2, 2, 5.0, 10), 2);
	assert_int_equal(allowed(rl, 1, 2, 5.0, 1), 0);
	assert_int_equal(allowed(rl, 3, 2, 5.0, 1), 1);
	/* Large ids, even ones that hash near each other. */
	assert_int_equal(allowed(rl, INT64_MAX, 2, 5.0, 10), 2);
	assert_int_equal(allowed(rl, (int64_t)1 << 40, 2, 5.0, 10), 2);
	assert_int_equal(allowed(rl, ((int64_t)1 << 40) + 64, 2, 5.0, 10), 2);
	assert_int_equal(allowed(rl, 2, 2, 5.0, 1), 0);
}

static void
test_many_accounts(void **state)
{
	struct ratelimit	*rl = *state;
	int64_t			 a;
	const int64_t		 n = 10000;

	/* Each account spends its 3, growing the table as it goes. */
	for (a = 1; a <= n; a++)
		if (allowed(rl, a * 7919, 3, 1.0, 4) != 3)
			fail_msg("account %lld: not 3 of 4", (long long)a);
	/* After every growth, each account's bucket is still empty. */
	for (a = 1; a <= n; a++)
		if (ratelimit_take(rl, a * 7919, 3, 1.0) != 0)
			fail_msg("account %lld forgot its spending",
			    (long long)a);
	/* And each refills on its own. */
	for (a = 1; a <= n; a++)
		if (allowed(rl, a * 7919, 3, 2.0, 4) != 3)
			fail_msg("account %lld: no refill", (long long)a);
	/* A new account still starts full. */
	assert_int_equal(allowed(rl, 1, 3, 2.0, 4), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unlimited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_then_refuse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounts_independent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_accounts, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
