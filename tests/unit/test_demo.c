/*
 * test_demo.c: the demo-district seeder against a recording stub of the
 * operations: the district has the documented size, every call's arguments
 * are well formed (codes, categories, amounts, text, the filed->partner
 * rule), the planted padding communities sum to 97% of their cap while the
 * others stay under 90%, the same seed gives the same calls, and a failing
 * call stops the seeding with "op: code: message".
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "daemon/demo.h"
#include "daemon/demo_text.h"

#define MAXCOMM	128
#define MAXORG	256

struct rec {
	uint64_t	 hash;		/* FNV-1a over every op and its args */
	int		 calls;
	int		 fail_at;	/* fail this call (1-based), 0 never */
	int		 organizers, communities, orgs, offers, needs;
	int		 filed, filed_offers, cross;
	char		 comm_code[MAXCOMM][65];
	double		 comm_cap[MAXCOMM];
	double		 comm_load[MAXCOMM];
	char		 org_code[MAXORG][65];
	int		 org_registered[MAXORG];
	int		 cat_needs[32], cat_offers[32];
};

static void
hash_str(struct rec *r, const char *s)
{
	for (; *s != '\0'; s++) {
		r->hash ^= (unsigned char)*s;
		r->hash *= 1099511628211ULL;
	}
}

static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int
text_ok(const cJSON *v, size_t lo, size_t hi)
{
	if (!cJSON_IsString(v))
		return 0;
	for (const unsigned char *p = (const unsigned char *)v->valuestring; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return 0;
	return utf8_len(v->valuestring) >= lo && utf8_len(v->valuestring) <= hi;
}

static int
code_ok(const cJSON *v)
{
	size_t n;

	if (!cJSON_IsString(v))
		return 0;
	n = strlen(v->valuestring);
	return n >= 1 && n <= 64 &&
	    strspn(v->valuestring, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int
amount_ok(const cJSON *v, double lo, double hi)
{
	double c;

	if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi)
		return 0;
	c = v->valuedouble * 100.0;
	return fabs(c - round(c)) < 1e-6;
}

static int
cat_index(const cJSON *v)
{
	if (!cJSON_IsString(v))
		return -1;
	for (size_t i = 0; i < demo_ncategories; i++)
		if (strcmp(demo_categories[i].name, v->valuestring) == 0)
			return (int)i;
	return -1;
}

static int
street_ok(const cJSON *v)
{
	if (!cJSON_IsString(v))
		return 0;
	for (int i = 0; i < DEMO_NSTREETS; i++)
		if (strcmp(demo_streets[i].name, v->valuestring) == 0)
			return 1;
	return 0;
}

static int
find(char codes[][65], int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

#define GET(k)	cJSON_GetObjectItemCaseSensitive(args, k)

/* The stub: checks the arguments (assert_* fail the test) and records them. */
static int
stub_call(void *ctx, const char *op, cJSON *args, cJSON **result, char *errbuf,
    size_t errlen)
{
	struct rec *r = ctx;
	char *s = cJSON_PrintUnformatted(args);
	char tok[32];

	assert_non_null(s);
	hash_str(r, op);
	hash_str(r, s);
	free(s);
	*result = NULL;
	if (++r->calls == r->fail_at) {
		snprintf(errbuf, errlen, "conflict: planted failure");
		cJSON_Delete(args);
		return -1;
	}
	*result = cJSON_CreateObject();
	snprintf(tok, sizeof(tok), "t%d", r->calls);
	if (strcmp(op, "organizer.create") == 0) {
		assert_true(text_ok(GET("name"), 1, 200));
		assert_true(GET("street") == NULL || street_ok(GET("street")));
		cJSON_AddStringToObject(cJSON_AddObjectToObject(*result,
		    "organizer"), "code", tok);
		r->organizers++;
	} else if (strcmp(op, "community.create") == 0) {
		assert_true(code_ok(GET("code")));
		assert_true(r->communities < MAXCOMM);
		assert_int_equal(find(r->comm_code, r->communities,
		    GET("code")->valuestring), -1);
		assert_true(text_ok(GET("name"), 1, 200));
		assert_true(street_ok(GET("street")));
		assert_true(GET("cap") == NULL || amount_ok(GET("cap"), 0, 1e10));
		snprintf(r->comm_code[r->communities], 65, "%s",
		    GET("code")->valuestring);
		r->comm_cap[r->communities++] = GET("cap") != NULL ?
		    GET("cap")->valuedouble : 2000000;
		cJSON_AddObjectToObject(*result, "community");
	} else if (strcmp(op, "org.create") == 0) {
		const cJSON *kind = GET("kind");

		assert_true(code_ok(GET("code")));
		assert_int_equal(strlen(GET("code")->valuestring), 18);
		assert_int_equal(strspn(GET("code")->valuestring,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), 18);
		assert_true(r->orgs < MAXORG);
		assert_int_equal(find(r->org_code, r->orgs,
		    GET("code")->valuestring), -1);
		assert_true(text_ok(GET("name"), 1, 200));
		assert_true(cJSON_IsString(kind));
		assert_true(strcmp(kind->valuestring, "registered") == 0 ||
		    strcmp(kind->valuestring, "filed") == 0);
		assert_true(street_ok(GET("street")));
		if (GET("streets") != NULL)
			assert_true(cJSON_IsArray(GET("streets")) &&
			    cJSON_GetArraySize(GET("streets")) >= 1);
		snprintf(r->org_code[r->orgs], 65, "%s", GET("code")->valuestring);
		r->org_registered[r->orgs] = strcmp(kind->valuestring, "registered") == 0;
		r->filed += !r->org_registered[r->orgs];
		r->orgs++;
		cJSON_AddObjectToObject(*result, "org");
	} else if (strcmp(op, "offer.post") == 0) {
		int o = cJSON_IsString(GET("org")) ? find(r->org_code, r->orgs,
		    GET("org")->valuestring) : -1;
		int cat = cat_index(GET("category"));
		const cJSON *cap = GET("capacity");

		assert_true(o >= 0);
		assert_true(cat >= 0);
		assert_true(text_ok(GET("title"), 1, 200));
		assert_true(text_ok(GET("description"), 40, 200));
		assert_true(amount_ok(GET("price"), 1000, 500000));
		assert_true(cap == NULL || (cJSON_IsNumber(cap) &&
		    cap->valuedouble >= 1 && cap->valuedouble <= 5));
		if (!r->org_registered[o]) {
			int p;

			assert_true(cJSON_IsString(GET("partner")));
			p = find(r->org_code, r->orgs, GET("partner")->valuestring);
			assert_true(p >= 0 && p != o && r->org_registered[p]);
			r->filed_offers++;
		}
		r->cat_offers[cat]++;
		r->offers++;
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(*result, "offer"),
		    "id", r->offers);
	} else if (strcmp(op, "need.post") == 0) {
		int c = cJSON_IsString(GET("community")) ? find(r->comm_code,
		    r->communities, GET("community")->valuestring) : -1;
		int cat = cat_index(GET("category"));
		const cJSON *parts = GET("partners"), *it;
		double budget, share;

		assert_true(c >= 0);
		assert_true(cat >= 0);
		assert_true(text_ok(GET("title"), 1, 200));
		assert_true(text_ok(GET("description"), 40, 200));
		assert_true(amount_ok(GET("budget"), 10000, 400000));
		assert_true(cJSON_IsNumber(GET("beneficiaries")));
		budget = GET("budget")->valuedouble;
		share = budget / (1 + (parts != NULL ? cJSON_GetArraySize(parts) : 0));
		r->comm_load[c] += share;
		if (parts != NULL) {
			assert_true(cJSON_IsArray(parts));
			cJSON_ArrayForEach(it, parts) {
				int p = cJSON_IsString(it) ? find(r->comm_code,
				    r->communities, it->valuestring) : -1;

				assert_true(p >= 0 && p != c);
				r->comm_load[p] += share;
			}
			r->cross++;
		}
		r->cat_needs[cat]++;
		r->needs++;
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(*result, "need"),
		    "id", r->needs);
	} else
		fail_msg("unexpected op %s", op);
	cJSON_AddStringToObject(*result, "token", tok);
	cJSON_Delete(args);
	return 0;
}

/* Seed into r; returns demo_seed's result; the token lines land in *lines. */
static int
run(struct rec *r, unsigned seed, int *lines, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	assert_non_null(f);
	r->hash = 1469598103934665603ULL;
	rc = demo_seed(stub_call, r, f, seed, err, errlen);
	fclose(f);
	*lines = 0;
	for (char *p = buf; p != NULL && *p != '\0'; p++)
		if (*p == '\n') {
			(*lines)++;
		}
	if (buf != NULL && len > 0) {
		/* Every line has five tab-separated fields. */
		char *save = NULL;

		for (char *l = strtok_r(buf, "\n", &save); l != NULL;
		    l = strtok_r(NULL, "\n", &save)) {
			int tabs = 0;

			for (char *q = l; *q != '\0'; q++)
				tabs += *q == '\t';
			assert_int_equal(tabs, 4);
		}
	}
	free(buf);
	return rc;
}

static void
test_demo_district(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	char err[256];
	int lines, padding = 0;

	(void)state;
	assert_non_null(r);
	assert_int_equal(run(r, 1, &lines, err, sizeof(err)), 0);
	assert_int_equal(r->organizers, 1 + DEMO_NSTREETS);
	assert_int_equal(r->communities, DEMO_NCOMMUNITIES);
	assert_int_equal(r->orgs, 207);
	assert_int_equal(r->offers, 260);
	assert_in_range(r->needs, 1350, 1450);
	assert_in_range(r->filed, 20, 45);
	assert_in_range(r->cross, 14, 70);
	assert_true(r->filed_offers >= r->filed);
	assert_int_equal(lines, r->organizers + r->communities + r->orgs);
	for (size_t i = 0; i < demo_ncategories; i++) {
		assert_true(r->cat_needs[i] > 0);
		assert_true(r->cat_offers[i] > 0);
	}
	for (int i = 0; i < r->communities; i++) {
		double ratio = r->comm_load[i] / r->comm_cap[i];

		if (strcmp(r->comm_code[i], "DX-04") == 0 ||
		    strcmp(r->comm_code[i], "LT-03") == 0) {
			assert_true(fabs(r->comm_load[i] - 1940000.0) < 0.005);
			padding++;
		} else
			assert_true(ratio <= 0.9 + 1e-9);
	}
	assert_int_equal(padding, 2);
	free(r);
}

static void
test_demo_deterministic(void **state)
{
	struct rec *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct rec *c = calloc(1, sizeof(*c));
	char err[256];
	int lines;

	(void)state;
	assert_true(a != NULL && b != NULL && c != NULL);
	assert_int_equal(run(a, 7, &lines, err, sizeof(err)), 0);
	assert_int_equal(run(b, 7, &lines, err, sizeof(err)), 0);
	assert_int_equal(run(c, 8, &lines, err, sizeof(err)), 0);
	assert_true(a->hash == b->hash);
	assert_int_equal(a->calls, b->calls);
	assert_true(a->hash != c->hash);
	free(a);
	free(b);
	free(c);
}

static void
test_demo_fails_fast(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));
	char err[256];
	int lines;

	(void)state;
	assert_non_null(r);
	r->fail_at = 1 + DEMO_NSTREETS + DEMO_NCOMMUNITIES + 5;	/* an org.create */
	assert_int_equal(run(r, 1, &lines, err, sizeof(err)), -1);
	assert_string_equal(err, "org.create: conflict: planted failure");
	assert_int_equal(r->calls, r->fail_at);
	assert_int_equal(lines, r->fail_at - 1);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_district),
		cmocka_unit_test(test_demo_deterministic),
		cmocka_unit_test(test_demo_fails_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
