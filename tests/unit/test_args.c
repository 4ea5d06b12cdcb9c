/*
 * test_args.c: argument schemas (protocol/args.c): unknown and missing keys,
 * each argument type, and the accessors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "protocol/args.h"
#include "protocol/error.h"
#include "protocol/values.h"

static const char *const status_choices[] = { "open", "matched", "withdrawn",
	NULL };

static const struct arg_spec need_specs[] = {
	{ "title", ARG_TEXT, 1, 1, 200, NULL },
	{ "budget", ARG_AMOUNT, 1, 1, 0, NULL },
	{ "category", ARG_CATEGORY, 1, 0, 0, NULL },
	{ "description", ARG_TEXT, 0, 0, 4000, NULL },
	{ "beneficiaries", ARG_INT, 0, 0, 1000000, NULL },
	{ "partners", ARG_CODES, 0, 0, 3, NULL },
	{ "window", ARG_WINDOW, 0, 0, 0, NULL },
	{ NULL, ARG_TEXT, 0, 0, 0, NULL }
};

static const struct arg_spec misc_specs[] = {
	{ "streets", ARG_STREETS, 0, 1, 4, NULL },
	{ "ids", ARG_IDS, 0, 0, 3, NULL },
	{ "status", ARG_ENUM, 0, 0, 0, status_choices },
	{ "in_library", ARG_BOOL, 0, 0, 0, NULL },
	{ "day", ARG_DATE, 0, 0, 0, NULL },
	{ "at", ARG_TIME, 0, 0, 0, NULL },
	{ "code", ARG_CODE, 0, 0, 0, NULL },
	{ "price", ARG_AMOUNT, 0, 0, 0, NULL },
	{ "filter", ARG_CATEGORY_FILTER, 0, 0, 0, NULL },
	{ "limit", ARG_INT, 0, 1, 1000, NULL },
	{ NULL, ARG_TEXT, 0, 0, 0, NULL }
};

static const struct arg_spec no_specs[] = {
	{ NULL, ARG_TEXT, 0, 0, 0, NULL }
};

static struct taxonomy tax;

static int
setup(void **state)
{
	(void)state;
	taxonomy_default(&tax);
	return 0;
}

/*
 * args_check on JSON text (NULL for no args).  Returns 0, or the error code
 * with err filled.
 */
static int
check(const struct arg_spec *specs, const char *json, struct error *err)
{
	cJSON	*args = NULL;
	int	 rc;

	if (json != NULL) {
		args = cJSON_Parse(json);
		if (args == NULL)
			fail_msg("test JSON does not parse: %s", json);
	}
	memset(err, 0, sizeof(*err));
	rc = args_check(specs, args, &tax, err);
	cJSON_Delete(args);
	if (rc == 0)
		return 0;
	assert_int_equal(rc, -1);
	assert_int_not_equal(err->code, ERR_NONE);
	assert_true(err->message[0] != '\0');
	return (int)err->code;
}

/* A refusal as invalid_argument naming field. */
static void
refused(const struct arg_spec *specs, const char *json, const char *field)
{
	struct error err;

	if (check(specs, json, &err) != ERR_INVALID_ARGUMENT)
		fail_msg("%s: want invalid_argument, got %s", json,
		    error_name(err.code));
	if (strcmp(err.field, field) != 0)
		fail_msg("%s: want field \"%s\", got \"%s\" (%s)", json, field,
		    err.field, err.message);
}

static void
accepted(const struct arg_spec *specs, const char *json)
{
	struct error err;

	if (check(specs, json, &err) != 0)
		fail_msg("%s: refused: %s", json, err.message);
}

#define NEED_OK	"\"title\":\"t\",\"budget\":10,\"category\":\"service.elderly\""

static void
test_valid(void **state)
{
	(void)state;
	accepted(need_specs, "{" NEED_OK "}");
	accepted(need_specs, "{" NEED_OK ",\"description\":\"\","
	    "\"beneficiaries\":0,\"partners\":[\"c1\",\"c2\",\"c3\"],"
	    "\"window\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-01\"}}");
	accepted(misc_specs, NULL);
	accepted(misc_specs, "{}");
	accepted(no_specs, NULL);
	accepted(no_specs, "{}");
}

static void
test_unknown_key(void **state)
{
	struct error err;

	(void)state;
	refused(need_specs, "{" NEED_OK ",\"budjet\":5}", "budjet");
	assert_int_equal(check(need_specs, "{\"budjet\":5," NEED_OK "}", &err),
	    ERR_INVALID_ARGUMENT);
	assert_string_equal(err.field, "budjet");
	/* The message names what the operation does take. */
	assert_non_null(strstr(err.message, "budjet"));
	assert_non_null(strstr(err.message, "budget"));
	refused(no_specs, "{\"x\":1}", "x");
	assert_int_equal(check(no_specs, "{\"x\":1}", &err),
	    ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(err.message, "no arguments"));
	/* Case matters. */
	refused(need_specs, "{" NEED_OK ",\"Title\":\"t\"}", "Title");
}

static void
test_required(void **state)
{
	struct error err;

	(void)state;
	refused(need_specs, "{\"budget\":10,\"category\":\"service.elderly\"}",
	    "title");
	refused(need_specs, "{\"title\":\"t\",\"category\":\"service.elderly\"}",
	    "budget");
	refused(need_specs, "{\"title\":\"t\",\"budget\":10}", "category");
	refused(need_specs, NULL, "title");
	refused(need_specs, "{}", "title");
	assert_int_equal(check(need_specs, "{}", &err), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(err.message, "required"));
	/* null is a value, and not a text. */
	refused(need_specs, "{" NEED_OK ",\"description\":null}",
	    "description");
}

static void
test_not_object(void **state)
{
	struct error err;

	(void)state;
	assert_int_equal(check(misc_specs, "[]", &err), ERR_BAD_REQUEST);
	assert_int_equal(check(misc_specs, "5", &err), ERR_BAD_REQUEST);
}

static void
test_types_scalar(void **state)
{
	(void)state;
	refused(need_specs, "{\"title\":\"\",\"budget\":10,"
	    "\"category\":\"service.elderly\"}", "title");
	refused(need_specs, "{\"title\":\"t\",\"budget\":0,"
	    "\"category\":\"service.elderly\"}", "budget");
	refused(need_specs, "{\"title\":\"t\",\"budget\":1.001,"
	    "\"category\":\"service.elderly\"}", "budget");
	refused(need_specs, "{\"title\":\"t\",\"budget\":\"10\","
	    "\"category\":\"service.elderly\"}", "budget");
	refused(need_specs, "{\"title\":\"t\",\"budget\":10,"
	    "\"category\":\"service\"}", "category");
	refused(need_specs, "{\"title\":\"t\",\"budget\":10,"
	    "\"category\":\"engineering.roofing\"}", "category");
	refused(need_specs, "{" NEED_OK ",\"beneficiaries\":-1}",
	    "beneficiaries");
	refused(need_specs, "{" NEED_OK ",\"beneficiaries\":1.5}",
	    "beneficiaries");
	refused(need_specs, "{" NEED_OK ",\"beneficiaries\":1000001}",
	    "beneficiaries");

	accepted(misc_specs, "{\"price\":0}");	/* min 0: zero allowed */
	refused(misc_specs, "{\"price\":-0.01}", "price");
	accepted(misc_specs, "{\"in_library\":true}");
	accepted(misc_specs, "{\"in_library\":false}");
	refused(misc_specs, "{\"in_library\":1}", "in_library");
	refused(misc_specs, "{\"in_library\":\"true\"}", "in_library");
	accepted(misc_specs, "{\"day\":\"2024-02-29\"}");
	refused(misc_specs, "{\"day\":\"2023-02-29\"}", "day");
	accepted(misc_specs, "{\"at\":\"23:59\"}");
	refused(misc_specs, "{\"at\":\"24:00\"}", "at");
	accepted(misc_specs, "{\"code\":\"C-01\"}");
	refused(misc_specs, "{\"code\":\"C 01\"}", "code");
	accepted(misc_specs, "{\"filter\":\"service\"}");
	accepted(misc_specs, "{\"filter\":\"service.elderly\"}");
	refused(misc_specs, "{\"filter\":\"nosuch\"}", "filter");
	accepted(misc_specs, "{\"limit\":1000}");
	refused(misc_specs, "{\"limit\":0}", "limit");
	refused(misc_specs, "{\"limit\":1001}", "limit");
}

static void
test_codes(void **state)
{
	(void)state;
	accepted(need_specs, "{" NEED_OK ",\"partners\":[]}");
	refused(need_specs, "{" NEED_OK ",\"partners\":[\"c1\",\"c1\"]}",
	    "partners");
	refused(need_specs, "{" NEED_OK ",\"partners\":[\"c1\",\"c2\",\"c1\"]}",
	    "partners");
	refused(need_specs, "{" NEED_OK ",\"partners\":[\"a\",\"b\",\"c\","
	    "\"d\"]}", "partners");
	refused(need_specs, "{" NEED_OK ",\"partners\":[\"a b\"]}", "partners");
	refused(need_specs, "{" NEED_OK ",\"partners\":[1]}", "partners");
	refused(need_specs, "{" NEED_OK ",\"partners\":\"c1\"}", "partners");
	refused(need_specs, "{" NEED_OK ",\"partners\":{\"a\":\"c1\"}}",
	    "partners");
}

static void
test_streets(void **state)
{
	struct error err;

	(void)state;
	accepted(misc_specs, "{\"streets\":[\"*\"]}");
	accepted(misc_specs, "{\"streets\":[\"\xe4\xb8\xad\xe5\x85\xb3\xe6\x9d"
	    "\x91\xe8\xa1\x97\xe9\x81\x93\"]}");
	accepted(misc_specs, "{\"streets\":[\"a\",\"b\",\"c\",\"d\"]}");
	refused(misc_specs, "{\"streets\":[\"a\",\"*\"]}", "streets");
	assert_int_equal(check(misc_specs, "{\"streets\":[\"*\",\"a\"]}", &err),
	    ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(err.message, "*"));
	refused(misc_specs, "{\"streets\":[\"*\",\"*\"]}", "streets");
	refused(misc_specs, "{\"streets\":[]}", "streets");
	refused(misc_specs, "{\"streets\":[\"a\",\"a\"]}", "streets");
	refused(misc_specs, "{\"streets\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
	    "streets");
	refused(misc_specs, "{\"streets\":[\"\"]}", "streets");
	refused(misc_specs, "{\"streets\":[\"a\\u0001\"]}", "streets");
	refused(misc_specs, "{\"streets\":[5]}", "streets");
	refused(misc_specs, "{\"streets\":\"*\"}", "streets");
}

static void
test_ids(void **state)
{
	(void)state;
	accepted(misc_specs, "{\"ids\":[]}");
	accepted(misc_specs, "{\"ids\":[1,2,9007199254740991]}");
	refused(misc_specs, "{\"ids\":[0]}", "ids");
	refused(misc_specs, "{\"ids\":[-1]}", "ids");
	refused(misc_specs, "{\"ids\":[1.5]}", "ids");
	refused(misc_specs, "{\"ids\":[\"1\"]}", "ids");
	refused(misc_specs, "{\"ids\":[9007199254740993]}", "ids");
	refused(misc_specs, "{\"ids\":[1,2,3,4]}", "ids");
}

static void
test_window(void **state)
{
	(void)state;
	accepted(need_specs, "{" NEED_OK ",\"window\":{\"from\":\"2026-01-31\","
	    "\"to\":\"2026-02-01\"}}");
	refused(need_specs, "{" NEED_OK ",\"window\":{\"from\":\"2026-02-01\","
	    "\"to\":\"2026-01-31\"}}", "window");
	refused(need_specs, "{" NEED_OK ",\"window\":{\"from\":\"2026-02-01\"}}",
	    "window");
	refused(need_specs, "{" NEED_OK ",\"window\":{\"to\":\"2026-02-01\"}}",
	    "window");
	refused(need_specs, "{" NEED_OK ",\"window\":{}}", "window");
	refused(need_specs, "{" NEED_OK ",\"window\":{\"from\":\"2026-02-01\","
	    "\"to\":\"2026-02-02\",\"until\":\"2026-02-03\"}}", "window");
	refused(need_specs, "{" NEED_OK ",\"window\":[\"2026-02-01\","
	    "\"2026-02-02\"]}", "window");
	refused(need_specs, "{" NEED_OK ",\"window\":\"2026-02-01\"}",
	    "window");
}

/* A bad date inside the window names the part at fault. */
static void
test_window_bad_date(void **state)
{
	struct error err;

	(void)state;
	assert_int_equal(check(need_specs, "{" NEED_OK ",\"window\":{\"from\":"
	    "\"2026-02-30\",\"to\":\"2026-03-01\"}}", &err),
	    ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(err.field, "window"));
	assert_non_null(strstr(err.field, "from"));
	assert_int_equal(check(need_specs, "{" NEED_OK ",\"window\":{\"from\":"
	    "\"2026-02-01\",\"to\":7}}", &err), ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(err.field, "to"));
}

static void
test_enum(void **state)
{
	struct error err;

	(void)state;
	accepted(misc_specs, "{\"status\":\"open\"}");
	accepted(misc_specs, "{\"status\":\"withdrawn\"}");
	refused(misc_specs, "{\"status\":\"Open\"}", "status");
	refused(misc_specs, "{\"status\":\"\"}", "status");
	refused(misc_specs, "{\"status\":1}", "status");
	assert_int_equal(check(misc_specs, "{\"status\":\"closed\"}", &err),
	    ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(err.message, "\"open\""));
	assert_non_null(strstr(err.message, "\"matched\""));
	assert_non_null(strstr(err.message, "\"withdrawn\""));
}

static void
test_accessors(void **state)
{
	cJSON *a;

	(void)state;
	a = cJSON_Parse("{\"s\":\"x\",\"n\":42,\"y\":1234.56,\"b\":true,"
	    "\"p\":0.29}");
	assert_non_null(a);
	assert_true(args_has(a, "s"));
	assert_false(args_has(a, "zz"));
	assert_false(args_has(NULL, "s"));
	assert_string_equal(args_str(a, "s", "fb"), "x");
	assert_string_equal(args_str(a, "n", "fb"), "fb");
	assert_string_equal(args_str(NULL, "s", "fb"), "fb");
	assert_int_equal(args_int(a, "n", -1), 42);
	assert_int_equal(args_int(a, "zz", -1), -1);
	assert_true(args_num(a, "n", -1) == 42);
	assert_true(args_num(a, "s", -1.5) == -1.5);
	assert_true(args_num(NULL, "n", 2.5) == 2.5);
	assert_int_equal(args_fen(a, "y", -1), 123456);
	assert_int_equal(args_fen(a, "p", -1), 29);
	assert_int_equal(args_fen(a, "zz", 7), 7);
	assert_int_equal(args_bool(a, "b", 0), 1);
	assert_int_equal(args_bool(a, "n", 5), 5);
	assert_null(args_get(a, "zz"));
	assert_non_null(args_get(a, "n"));
	cJSON_Delete(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_not_object),
		cmocka_unit_test(test_types_scalar),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_streets),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_window_bad_date),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_accessors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
