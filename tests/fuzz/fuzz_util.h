/*
 * fuzz_util.h: what the libFuzzer harnesses share: the checks every encoded
 * answer must pass, and a check of arguments against every schema of the
 * daemon's op table (daemon/ops/ops_schemas.c, compiled into each harness).
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "daemon/ops/ops_schemas.h"
#include "protocol/args.h"
#include "protocol/envelope.h"
#include "protocol/json_print.h"
#include "protocol/json_scan.h"
#include "tests/lib/json_tree_diff.h"

/* Abort with a message: libFuzzer records the input as a crash. */
#define FUZZ_FAIL(...) do {						\
	fprintf(stderr, "fuzz: " __VA_ARGS__);				\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

#define FUZZ_ASSERT(c) do {						\
	if (!(c))							\
		FUZZ_FAIL("%s:%d: %s", __FILE__, __LINE__, #c);		\
} while (0)

/*
 * An encoded answer must be one strict JSON object (valid UTF-8, as every
 * client decodes it) with "id" and "ok".  Frees s.
 */
static inline void
fz_check_answer(char *s, int ok)
{
	struct error	 err;
	cJSON		*o;

	if (s == NULL)
		return;		/* out of memory: allowed */
	if ((o = cJSON_Parse(s)) == NULL)
		FUZZ_FAIL("answer is not JSON: %s", s);
	FUZZ_ASSERT(cJSON_IsObject(o));
	FUZZ_ASSERT(cJSON_GetObjectItemCaseSensitive(o, "id") != NULL);
	FUZZ_ASSERT(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(o, "ok")));
	FUZZ_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")) ==
	    ok);
	cJSON_Delete(o);
	/*
	 * FUZZ_LAX_UTF8=1 skips this one check, to fuzz on past a known bug
	 * of that kind; make run and make regress never set it.
	 */
	if (getenv("FUZZ_LAX_UTF8") == NULL &&
	    json_scan(s, strlen(s), JSON_MAX_DEPTH + 2, &err) == -1)
		FUZZ_FAIL("answer is not strict JSON (%s): %s", err.message,
		    s);
	free(s);
}

/*
 * json_parse_strict builds, of what it accepts, the tree cJSON's parser
 * builds (with each number's literal added); what it refuses but json_scan
 * accepts is a duplicate key.
 */
static inline void
fz_check_strict_tree(const char *buf, size_t len)
{
	struct error	 err;
	cJSON		*strict, *plain;
	const char	*why;

	memset(&err, 0, sizeof(err));
	if ((strict = json_parse_strict(buf, len, ERR_INVALID_ARGUMENT,
	    &err)) == NULL) {
		FUZZ_ASSERT(err.code == ERR_PARSE ||
		    err.code == ERR_INVALID_ARGUMENT);
		if (err.code == ERR_INVALID_ARGUMENT)
			FUZZ_ASSERT(json_scan(buf, len, JSON_MAX_DEPTH,
			    &err) == 0);
		return;
	}
	if ((plain = cJSON_ParseWithLengthOpts(buf, len, NULL, 0)) == NULL)
		FUZZ_FAIL("cJSON refuses what json_parse_strict took");
	if ((why = json_tree_diff(strict, plain)) != NULL)
		FUZZ_FAIL("json_parse_strict's tree differs from cJSON's: %s",
		    why);
	cJSON_Delete(plain);
	cJSON_Delete(strict);
}

/*
 * Check args against every schema of the op table and encode each answer:
 * the arguments echoed when they pass, the refusal when not.
 */
static inline void
fz_check_all_schemas(const cJSON *id, const cJSON *args,
    const struct taxonomy *tax)
{
	struct error	err;
	size_t		i;

	for (i = 0; ops_schema_all[i] != NULL; i++) {
		memset(&err, 0, sizeof(err));
		if (args_check(ops_schema_all[i], args, tax, &err) == 0) {
			/* Checked arguments: the accessors must not trip. */
			(void)args_int(args, "beneficiaries", 0);
			(void)args_int(args, "capacity", 1);
			(void)args_int(args, "tables", 1);
			(void)args_fen(args, "budget", 0);
			(void)args_fen(args, "price", 0);
			(void)args_str(args, "title", "");
			(void)args_bool(args, "all", 0);
			fz_check_answer(envelope_ok(id, args ?
			    cJSON_Duplicate(args, 1) : NULL), 1);
		} else {
			FUZZ_ASSERT(err.code != ERR_NONE);
			FUZZ_ASSERT(memchr(err.message, '\0',
			    sizeof(err.message)) != NULL);
			fz_check_answer(envelope_error(id, &err), 0);
		}
	}
}

#endif
