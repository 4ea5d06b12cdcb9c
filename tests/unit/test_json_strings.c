/*
 * test_json_strings.c: json_strings (protocol/json_strings.c), the reader
 * of stored JSON arrays of strings, against cJSON_Parse, which it replaces
 * where threads read: the same strings for every array cJSON reads as an
 * array of strings, and a refusal of anything else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "protocol/json_strings.h"

/* text parsed both ways: equal trees, or both refusals. */
static void
same(const char *text)
{
	cJSON	*want = cJSON_Parse(text), *got = json_strings_parse(text);
	const cJSON *c;
	int	 strings = cJSON_IsArray(want);

	cJSON_ArrayForEach(c, want)
		if (!cJSON_IsString(c))
			strings = 0;
	if (!strings) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_true(cJSON_Compare(want, got, 1));
	}
	cJSON_Delete(want);
	cJSON_Delete(got);
}

static void
test_arrays_as_stored(void **state)
{
	(void)state;
	same("[]");
	same("[\"C1\"]");
	same("[\"S0\",\"S1\",\"*\"]");
	same("[\"\xe8\x8e\xb2\xe8\x8a\xb1\xe8\xa1\x97\xe9\x81\x93\"]");
	same(" [ \"a\" , \"b\" ] ");
	same("[\"\"]");
}

static void
test_escapes(void **state)
{
	(void)state;
	same("[\"a\\\"b\", \"c\\\\d\", \"e\\/f\"]");
	same("[\"\\b\\f\\n\\r\\t\"]");
	same("[\"\\u00e9\\u4e2d\"]");
	same("[\"\\ud83d\\ude00\"]");
}

static void
test_refusals(void **state)
{
	(void)state;
	assert_null(json_strings_parse(NULL));
	assert_null(json_strings_parse(""));
	assert_null(json_strings_parse("[\"a\",]"));
	assert_null(json_strings_parse("[\"a\" \"b\"]"));
	assert_null(json_strings_parse("[1]"));
	assert_null(json_strings_parse("[\"a\"] x"));
	assert_null(json_strings_parse("[\"unterminated]"));
	assert_null(json_strings_parse("[\"\\ud83d\"]"));	/* a lone half */
	assert_null(json_strings_parse("[\"\\x\"]"));
	assert_null(json_strings_parse("{\"a\":\"b\"}"));
	same("[null]");
	same("[[\"a\"]]");
}

static int
count_fn(void *arg, const char *s, size_t len)
{
	(void)s;
	*(size_t *)arg += len;
	return 0;
}

static int
stop_fn(void *arg, const char *s, size_t len)
{
	(void)arg;
	(void)len;
	return strcmp(s, "stop") == 0 ? -1 : 0;
}

static void
test_each(void **state)
{
	size_t total = 0;

	(void)state;
	assert_int_equal(json_strings_each("[\"ab\",\"\\u4e2d\"]", count_fn,
	    &total), 2);
	assert_int_equal(total, 2 + 3);
	assert_int_equal(json_strings_each("[\"a\",\"stop\",\"b\"]", stop_fn,
	    NULL), -1);
	assert_int_equal(json_strings_each("[]", stop_fn, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arrays_as_stored),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
