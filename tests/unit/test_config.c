/*
 * test_config.c: the configuration (daemon/base/config.c): defaults, overrides,
 * INI files, refusals that name the key, and config_print read back.
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

#include "daemon/base/config.h"

static char	msg[1024];

/* Write text to a fresh temporary file; the caller unlinks path. */
static void
write_tmp(char path[64], const char *text)
{
	FILE	*fp;
	int	 fd;

	snprintf(path, 64, "/tmp/test_config.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

/* config_load with overrides given as a NULL-terminated list. */
static int
load(struct config *c, const char *path, ...)
{
	char	*ov[32];
	int	 n = 0;
	va_list	 ap;

	va_start(ap, path);
	while ((ov[n] = va_arg(ap, char *)) != NULL) {
		n++;
		assert_true(n < 32);
	}
	va_end(ap);
	msg[0] = '\0';
	return config_load(c, path, ov, n, msg, sizeof(msg));
}

/* A refused override whose message names what. */
static void
refused(const char *override, const char *what)
{
	struct config	c;
	char		buf[512];

	snprintf(buf, sizeof(buf), "%s", override);
	if (load(&c, NULL, buf, NULL) != -1)
		fail_msg("-o %s accepted", override);
	if (strstr(msg, what) == NULL)
		fail_msg("-o %s: message \"%s\" does not name %s", override,
		    msg, what);
}

static void
config_equal(const struct config *a, const struct config *b)
{
	int f, j;

	assert_string_equal(a->listen, b->listen);
	assert_string_equal(a->http, b->http);
	assert_string_equal(a->unix_socket, b->unix_socket);
	assert_string_equal(a->database, b->database);
	assert_int_equal(a->max_clients, b->max_clients);
	assert_int_equal(a->idle_timeout, b->idle_timeout);
	assert_int_equal(a->max_request_bytes, b->max_request_bytes);
	assert_int_equal(a->rate_per_token, b->rate_per_token);
	assert_int_equal(a->header_timeout, b->header_timeout);
	assert_int_equal(a->max_output_bytes, b->max_output_bytes);
	assert_string_equal(a->synchronous, b->synchronous);
	assert_int_equal(a->busy_timeout, b->busy_timeout);
	assert_int_equal(a->community_cap, b->community_cap);
	assert_int_equal(a->meetings_per_need, b->meetings_per_need);
	for (j = 0; j < W_COUNT; j++)
		if (a->weights[j] != b->weights[j])
			fail_msg("weight %d: %.17g != %.17g", j, a->weights[j],
			    b->weights[j]);
	assert_string_equal(a->log_level, b->log_level);
	assert_int_equal(a->taxonomy.nfamilies, b->taxonomy.nfamilies);
	for (f = 0; f < a->taxonomy.nfamilies; f++) {
		assert_string_equal(a->taxonomy.fam[f].name,
		    b->taxonomy.fam[f].name);
		assert_int_equal(a->taxonomy.fam[f].nsubs,
		    b->taxonomy.fam[f].nsubs);
		for (j = 0; j < a->taxonomy.fam[f].nsubs; j++)
			assert_string_equal(a->taxonomy.fam[f].subs[j],
			    b->taxonomy.fam[f].subs[j]);
	}
}

/* Print c, read the text back as a configuration file, and compare. */
static void
round_trip(const struct config *c)
{
	struct config	back;
	char		path[64];
	FILE		*fp;
	int		 fd, rc;

	snprintf(path, sizeof(path), "/tmp/test_config.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	config_print(c, fp);
	assert_int_equal(fclose(fp), 0);
	rc = load(&back, path, NULL);
	unlink(path);
	if (rc != 0)
		fail_msg("printed configuration does not load: %s", msg);
	config_equal(c, &back);
}

static void
test_defaults(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(config_load(&c, NULL, NULL, 0, msg, sizeof(msg)), 0);
	assert_string_equal(c.listen, "127.0.0.1:7700");
	assert_string_equal(c.http, "127.0.0.1:7780");
	assert_string_equal(c.unix_socket, "");
	assert_string_equal(c.database, "matchd.db");
	assert_int_equal(c.max_clients, 1024);
	assert_int_equal(c.idle_timeout, 300);
	assert_int_equal(c.max_request_bytes, 1048576);
	assert_int_equal(c.rate_per_token, 0);
	assert_int_equal(c.header_timeout, 10);
	assert_int_equal(c.max_output_bytes, 16777216);
	assert_string_equal(c.synchronous, "full");
	assert_int_equal(c.busy_timeout, 5000);
	assert_int_equal(c.community_cap, 200000000);	/* 2,000,000 yuan */
	assert_int_equal(c.meetings_per_need, 3);
	assert_true(c.weights[W_CATEGORY] == 40);
	assert_true(c.weights[W_BUDGET] == 25);
	assert_true(c.weights[W_TEXT] == 20);
	assert_true(c.weights[W_LIBRARY] == 10);
	assert_true(c.weights[W_LOCALITY] == 5);
	assert_string_equal(c.log_level, "info");
	assert_int_equal(c.taxonomy.nfamilies, 3);
	assert_int_equal(taxonomy_find(&c.taxonomy, "service.elderly", 0, NULL,
	    NULL), 0);
}

/* The defaults print as the golden file says. */
static void
test_print_defaults(void **state)
{
	struct config	 c;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*fp;

	(void)state;
	assert_int_equal(load(&c, NULL, NULL), 0);
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	config_print(&c, fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(text, "[limits]\nmax_clients = 1024\n"));
	assert_non_null(strstr(text, "[matcher]\ncommunity_cap = 2000000\n"));
	assert_non_null(strstr(text, "[weights]\ncategory = 40\nbudget = 25\n"
	    "text = 20\nlibrary = 10\nlocality = 5\n"));
	assert_non_null(strstr(text, "\ngoods = equipment, supplies, books\n"));
	assert_non_null(strstr(text, "unix_socket = \n"));
	free(text);
}

static void
test_overrides(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, NULL, "limits.max_clients=5", NULL), 0);
	assert_int_equal(c.max_clients, 5);
	assert_int_equal(c.idle_timeout, 300);	/* the rest untouched */
	assert_int_equal(load(&c, NULL, "limits.max_clients=5",
	    "limits.max_clients=6", "matcher.community_cap=1234.56",
	    "weights.text=7.5", "server.listen=0.0.0.0:1", "store.synchronous="
	    "normal", "log.level=debug", "server.unix_socket=/tmp/m.sock",
	    "limits.rate_per_token=100", NULL), 0);
	assert_int_equal(c.max_clients, 6);	/* the last one wins */
	assert_int_equal(c.community_cap, 123456);
	assert_true(c.weights[W_TEXT] == 7.5);
	assert_string_equal(c.listen, "0.0.0.0:1");
	assert_string_equal(c.synchronous, "normal");
	assert_string_equal(c.log_level, "debug");
	assert_string_equal(c.unix_socket, "/tmp/m.sock");
	assert_int_equal(c.rate_per_token, 100);
	/* The bounds themselves are allowed. */
	assert_int_equal(load(&c, NULL, "limits.max_clients=1",
	    "limits.idle_timeout=0", "matcher.community_cap=0",
	    "weights.category=0", "weights.budget=1000",
	    "matcher.community_cap=10000000000", NULL), 0);
	assert_int_equal(c.max_clients, 1);
	assert_int_equal(c.community_cap, 1000000000000LL);
	/* A value may hold '=' and '.'. */
	assert_int_equal(load(&c, NULL, "server.database=/tmp/a=b.c.db", NULL),
	    0);
	assert_string_equal(c.database, "/tmp/a=b.c.db");
}

static void
test_bad_values(void **state)
{
	char long_value[300];

	(void)state;
	refused("limits.max_clients=0", "limits.max_clients");
	refused("limits.max_clients=1000001", "limits.max_clients");
	refused("limits.max_clients=abc", "limits.max_clients");
	refused("limits.max_clients=5x", "limits.max_clients");
	refused("limits.max_clients=", "limits.max_clients");
	refused("limits.max_clients=1.5", "limits.max_clients");
	refused("limits.max_clients=99999999999999999999999",
	    "limits.max_clients");
	refused("limits.max_request_bytes=255", "limits.max_request_bytes");
	refused("weights.category=-1", "weights.category");
	refused("weights.category=1001", "weights.category");
	refused("weights.category=nan", "weights.category");
	refused("weights.category=inf", "weights.category");
	refused("weights.category=1e999", "weights.category");
	refused("weights.locality=x", "weights.locality");
	refused("matcher.community_cap=10000000000.01", "matcher.community_cap");
	refused("matcher.community_cap=-5", "matcher.community_cap");
	refused("matcher.meetings_per_need=51", "matcher.meetings_per_need");
	refused("store.synchronous=off", "store.synchronous");
	refused("store.synchronous=FULL", "store.synchronous");
	refused("log.level=error", "log.level");
	refused("log.level=", "log.level");
	snprintf(long_value, sizeof(long_value), "server.listen=%0200d", 0);
	refused(long_value, "server.listen");
}

static void
test_unknown_keys(void **state)
{
	(void)state;
	refused("limits.nosuch=1", "limits.nosuch");
	refused("nosuch.key=1", "nosuch.key");
	refused("limits.Max_clients=1", "limits.Max_clients");
	refused("weights.max_clients=1", "weights.max_clients");
}

static void
test_malformed_overrides(void **state)
{
	(void)state;
	refused("limits.max_clients", "limits.max_clients");
	refused("max_clients=5", "max_clients=5");
	refused("limits=5.0", "limits=5.0");
	refused("", "SECTION.KEY=VALUE");
	refused("=", "SECTION.KEY=VALUE");
}

static void
test_ini_file(void **state)
{
	struct config	c;
	char		path[64];

	(void)state;
	write_tmp(path, "; a comment\n"
	    "[limits]\n"
	    "max_clients = 77\n"
	    "idle_timeout = 12\n"
	    "\n"
	    "[weights]\n"
	    "text = 3\n"
	    "[matcher]\n"
	    "community_cap = 99.5\n"
	    "[taxonomy]\n"
	    "service = alpha, beta\n");
	assert_int_equal(load(&c, path, NULL), 0);
	assert_int_equal(c.max_clients, 77);
	assert_int_equal(c.idle_timeout, 12);
	assert_true(c.weights[W_TEXT] == 3);
	assert_true(c.weights[W_CATEGORY] == 40);
	assert_int_equal(c.community_cap, 9950);
	assert_int_equal(c.taxonomy.nfamilies, 3);
	assert_int_equal(taxonomy_find(&c.taxonomy, "service.alpha", 0, NULL,
	    NULL), 0);
	assert_int_equal(taxonomy_find(&c.taxonomy, "service.elderly", 0, NULL,
	    NULL), -1);
	assert_int_equal(taxonomy_find(&c.taxonomy, "goods.books", 0, NULL,
	    NULL), 0);
	/* -o wins over the file. */
	assert_int_equal(load(&c, path, "limits.max_clients=9", NULL), 0);
	assert_int_equal(c.max_clients, 9);
	assert_int_equal(c.idle_timeout, 12);
	unlink(path);
}

static void
test_ini_file_errors(void **state)
{
	struct config	c;
	char		path[64];

	(void)state;
	write_tmp(path, "[limits]\nmax_clients = 5\nmax_clientz = 6\n");
	assert_int_equal(load(&c, path, NULL), -1);
	assert_non_null(strstr(msg, "limits.max_clientz"));
	assert_non_null(strstr(msg, path));
	unlink(path);

	write_tmp(path, "[limits]\nmax_clients = -3\n");
	assert_int_equal(load(&c, path, NULL), -1);
	assert_non_null(strstr(msg, "limits.max_clients"));
	unlink(path);

	write_tmp(path, "[limits]\nmax_clients = 5\nthis is not a key\n");
	assert_int_equal(load(&c, path, NULL), -1);
	assert_non_null(strstr(msg, "line 3"));
	unlink(path);

	write_tmp(path, "max_clients = 5\n");	/* no section */
	assert_int_equal(load(&c, path, NULL), -1);
	assert_non_null(strstr(msg, "max_clients"));
	unlink(path);

	assert_int_equal(load(&c, "/nonexistent/matchd.conf", NULL), -1);
	assert_non_null(strstr(msg, "/nonexistent/matchd.conf"));
}

static void
test_taxonomy_keys(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, NULL, "taxonomy.goods=paper, pens", NULL), 0);
	assert_int_equal(taxonomy_find(&c.taxonomy, "goods.pens", 0, NULL,
	    NULL), 0);
	assert_int_equal(taxonomy_find(&c.taxonomy, "goods.books", 0, NULL,
	    NULL), -1);
	assert_int_equal(load(&c, NULL, "taxonomy.goods=", NULL), 0);
	assert_int_equal(c.taxonomy.nfamilies, 2);
	assert_int_equal(load(&c, NULL, "taxonomy.sports=football", NULL), 0);
	assert_int_equal(c.taxonomy.nfamilies, 4);
	assert_int_equal(load(&c, NULL, "taxonomy.goods=", "taxonomy.service=",
	    "taxonomy.engineering=", NULL), -1);
	assert_non_null(strstr(msg, "taxonomy"));
	refused("taxonomy.Goods=x", "Goods");
	refused("taxonomy.goods=a-b", "taxonomy.goods");
}

static void
test_round_trip_defaults(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, NULL, NULL), 0);
	round_trip(&c);
}

static void
test_round_trip_changed(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, NULL, "limits.max_clients=5",
	    "server.listen=[::1]:9", "server.unix_socket=/tmp/x.sock",
	    "server.database=/var/db/m.db", "limits.idle_timeout=0",
	    "limits.rate_per_token=10000000", "limits.max_output_bytes=65536",
	    "store.synchronous=normal", "store.busy_timeout=0",
	    "matcher.community_cap=1234.05", "matcher.meetings_per_need=50",
	    "weights.category=0.5", "weights.budget=1000",
	    "weights.text=2.25", "log.level=warn",
	    "taxonomy.service=a, b, c", "taxonomy.new_one=x", NULL), 0);
	round_trip(&c);
	assert_int_equal(load(&c, NULL, "matcher.community_cap=0.01", NULL), 0);
	round_trip(&c);
	assert_int_equal(load(&c, NULL, "matcher.community_cap=0.1", NULL), 0);
	round_trip(&c);
}

/*
 * A weight with more than six significant digits: config_print must not
 * round it, or `matchd check` shows a configuration other than the one
 * in use.
 */
static void
test_round_trip_precise_weight(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, NULL, "weights.text=12.3456789", NULL), 0);
	assert_true(c.weights[W_TEXT] == 12.3456789);
	round_trip(&c);
}

/*
 * A default family removed with "taxonomy.goods=": printed without it, the
 * text read back brings the default family back.
 */
static void
test_round_trip_removed_family(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(load(&c, NULL, "taxonomy.goods=", NULL), 0);
	assert_int_equal(c.taxonomy.nfamilies, 2);
	round_trip(&c);
}

/*
 * inih reads at most 199 characters a line, so a value config_print could
 * not write back in one line is refused up front (a 240-character path
 * once loaded and then failed to read back); the longest allowed value
 * round-trips.
 */
static void
test_round_trip_long_value(void **state)
{
	struct config	c;
	char		ov[300];

	(void)state;
	snprintf(ov, sizeof(ov), "server.database=/tmp/%0235d", 0);
	assert_int_equal(load(&c, NULL, ov, NULL), -1);
	assert_non_null(strstr(msg, "server.database"));
	snprintf(ov, sizeof(ov), "server.database=/tmp/%0175d", 0);
	assert_int_equal(load(&c, NULL, ov, NULL), 0);
	assert_int_equal(strlen(c.database), 180);
	round_trip(&c);
}

/*
 * " ;" inside a value starts an inline comment for inih: such a value would
 * be cut short when read back, so it is refused; ";" alone is fine.
 */
static void
test_round_trip_semicolon_value(void **state)
{
	struct config	c;

	(void)state;
	assert_int_equal(load(&c, NULL, "server.database=/tmp/a ;b.db", NULL),
	    -1);
	assert_non_null(strstr(msg, "server.database"));
	assert_int_equal(load(&c, NULL, "server.database=/tmp/a;b.db", NULL),
	    0);
	assert_string_equal(c.database, "/tmp/a;b.db");
	round_trip(&c);
}

static void
test_apply_live(void **state)
{
	struct config run, fresh;

	(void)state;
	assert_int_equal(load(&run, NULL, NULL), 0);
	assert_int_equal(load(&fresh, NULL, "limits.max_clients=5",
	    "server.listen=1.2.3.4:5", "log.level=debug",
	    "store.busy_timeout=7", "weights.text=1", "matcher.community_cap=3",
	    NULL), 0);
	config_apply_live(&run, &fresh);
	assert_int_equal(run.max_clients, 5);
	assert_string_equal(run.log_level, "debug");
	assert_true(run.weights[W_TEXT] == 1);
	assert_int_equal(run.community_cap, 300);
	/* Not live: these need a restart. */
	assert_string_equal(run.listen, "127.0.0.1:7700");
	assert_int_equal(run.busy_timeout, 5000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_print_defaults),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_malformed_overrides),
		cmocka_unit_test(test_ini_file),
		cmocka_unit_test(test_ini_file_errors),
		cmocka_unit_test(test_taxonomy_keys),
		cmocka_unit_test(test_round_trip_defaults),
		cmocka_unit_test(test_round_trip_changed),
		cmocka_unit_test(test_round_trip_precise_weight),
		cmocka_unit_test(test_round_trip_removed_family),
		cmocka_unit_test(test_round_trip_long_value),
		cmocka_unit_test(test_round_trip_semicolon_value),
		cmocka_unit_test(test_apply_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
