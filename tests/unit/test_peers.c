/*
 * test_peers.c: connections per client address (daemon/net/peers.c).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "daemon/net/peers.h"

static struct peer_addr
v4(const char *s)
{
	struct sockaddr_in	sin;
	struct peer_addr	k;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &sin.sin_addr), 1);
	assert_int_equal(peers_key((struct sockaddr *)&sin, &k), 0);
	return k;
}

static struct peer_addr
v6(const char *s)
{
	struct sockaddr_in6	sin6;
	struct peer_addr	k;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, s, &sin6.sin6_addr), 1);
	assert_int_equal(peers_key((struct sockaddr *)&sin6, &k), 0);
	return k;
}

static void
test_keys(void **state)
{
	struct sockaddr_un	sun;
	struct peer_addr	a, b, k;

	(void)state;
	/* IPv4 and its IPv6-mapped form are one address. */
	a = v4("10.1.2.3");
	b = v6("::ffff:10.1.2.3");
	assert_memory_equal(&a, &b, sizeof(a));
	a = v4("10.1.2.3");
	b = v4("10.1.2.4");
	assert_memory_not_equal(&a, &b, sizeof(a));
	/* IPv6 counts by /64. */
	a = v6("2001:db8:1:2::1");
	b = v6("2001:db8:1:2:ffff::9");
	assert_memory_equal(&a, &b, sizeof(a));
	b = v6("2001:db8:1:3::1");
	assert_memory_not_equal(&a, &b, sizeof(a));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_int_equal(peers_key((struct sockaddr *)&sun, &k), -1);
}

static void
test_count_add_del(void **state)
{
	struct peers		*p = peers_new();
	struct peer_addr	 a = v4("192.0.2.1"), b = v4("192.0.2.2");

	(void)state;
	assert_non_null(p);
	assert_int_equal(peers_count(p, &a), 0);
	assert_int_equal(peers_add(p, &a), 0);
	assert_int_equal(peers_add(p, &a), 0);
	assert_int_equal(peers_add(p, &b), 0);
	assert_int_equal(peers_count(p, &a), 2);
	assert_int_equal(peers_count(p, &b), 1);
	peers_del(p, &a);
	assert_int_equal(peers_count(p, &a), 1);
	peers_del(p, &a);
	assert_int_equal(peers_count(p, &a), 0);
	assert_int_equal(peers_count(p, &b), 1);
	peers_free(p);
}

/*
 * Many addresses come and go in a random order (the table grows, shrinks
 * and shifts entries back on deletion): every count stays exact.
 */
static void
test_churn(void **state)
{
	enum { N = 3000 };
	struct peers		*p = peers_new();
	struct peer_addr	 k;
	static long		 want[N];
	struct sockaddr_in	 sin;
	int			 round, i;

	(void)state;
	assert_non_null(p);
	srand(19);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	for (round = 0; round < 200000; round++) {
		i = rand() % N;
		sin.sin_addr.s_addr = htonl(0x0a000000u + (uint32_t)i);
		assert_int_equal(peers_key((struct sockaddr *)&sin, &k), 0);
		/* Mostly add early, mostly remove late: both resizes run. */
		if (want[i] > 0 && (round > 120000 ? rand() % 4 != 0 :
		    rand() % 3 == 0)) {
			peers_del(p, &k);
			want[i]--;
		} else if (round <= 120000) {
			assert_int_equal(peers_add(p, &k), 0);
			want[i]++;
		}
		if (round % 997 == 0)
			for (i = 0; i < N; i++) {
				sin.sin_addr.s_addr = htonl(0x0a000000u +
				    (uint32_t)i);
				(void)peers_key((struct sockaddr *)&sin, &k);
				assert_int_equal(peers_count(p, &k), want[i]);
			}
	}
	peers_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_count_add_del),
		cmocka_unit_test(test_churn),
	};

	if (sodium_init() == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
