/*
 * fuzz_values.c: the value rules of protocol/values.c.  The input is read
 * three ways: as strict JSON (every node goes through every rule), as a
 * number literal for value_decimals, and as the text of a JSON string
 * wrapped by cJSON (bytes the strict parser would refuse, such as invalid
 * UTF-8, still must not trip the rules).  A taxonomy line from the
 * configuration ("family=sub, sub") is tried too.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_util.h"

static struct taxonomy	tax;

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	taxonomy_default(&tax);
	return 0;
}

static void
rules(const cJSON *v)
{
	struct error	 err;
	int64_t		 fen;
	long long	 n;
	int		 zero_ok, d;

	for (zero_ok = 0; zero_ok <= 1; zero_ok++) {
		fen = -1;
		if (value_amount(v, "budget", zero_ok, &fen, &err) == 0) {
			FUZZ_ASSERT(cJSON_IsNumber(v));
			FUZZ_ASSERT(fen >= (zero_ok ? 0 : 1) &&
			    fen <= AMOUNT_MAX_FEN);
			FUZZ_ASSERT(fabs((double)fen / 100.0 -
			    v->valuedouble) < 0.005);
			if (v->valuestring != NULL)
				FUZZ_ASSERT(value_decimals(v->valuestring) <=
				    2);
		}
	}
	if (cJSON_IsNumber(v) && v->valuestring != NULL) {
		d = value_decimals(v->valuestring);
		FUZZ_ASSERT(d >= -1);
	}
	n = 0;
	if (value_int(v, "limit", 1, 1000, &n, &err) == 0)
		FUZZ_ASSERT(n >= 1 && n <= 1000);
	if (value_int(v, "id", 1, ARG_ID_MAX, &n, &err) == 0)
		FUZZ_ASSERT(n >= 1 && n <= ARG_ID_MAX);
	(void)value_int(v, "any", -ARG_ID_MAX, ARG_ID_MAX, &n, &err);
	if (value_text(v, "title", 1, 200, &err) == 0)
		FUZZ_ASSERT(utf8_length(v->valuestring) >= 1 &&
		    utf8_length(v->valuestring) <= 200);
	(void)value_text(v, "description", 0, 4000, &err);
	if (value_code(v, "code", &err) == 0)
		FUZZ_ASSERT(strlen(v->valuestring) >= 1 &&
		    strlen(v->valuestring) <= 64);
	if (value_date(v, "date", &err) == 0)
		FUZZ_ASSERT(strlen(v->valuestring) == 10);
	if (value_time(v, "start", &err) == 0)
		FUZZ_ASSERT(strlen(v->valuestring) == 5);
	if (value_category(v, "category", &tax, 0, &err) == 0)
		FUZZ_ASSERT(strchr(v->valuestring, '.') != NULL);
	(void)value_category(v, "category", &tax, 1, &err);
}

static void
walk(const cJSON *v)
{
	const cJSON *c;

	rules(v);
	for (c = v->child; c != NULL; c = c->next)
		walk(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct taxonomy	 t;
	struct error	 err;
	cJSON		*root;
	char		*s, *eq, msg[128];

	if (size > 65536)
		return 0;
	fz_check_strict_tree((const char *)data, size);
	/* Strict JSON: every node through every rule. */
	if ((root = json_parse_strict((const char *)data, size,
	    ERR_INVALID_ARGUMENT, &err)) != NULL) {
		walk(root);
		cJSON_Delete(root);
	}
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	/* A number literal (anything up to the first NUL). */
	FUZZ_ASSERT(value_decimals(s) >= -1);
	/* The same bytes as a string value. */
	if ((root = cJSON_CreateString(s)) != NULL) {
		rules(root);
		cJSON_Delete(root);
	}
	/* A taxonomy line: family=list. */
	if ((eq = strchr(s, '=')) != NULL) {
		*eq = '\0';
		taxonomy_default(&t);
		if (taxonomy_set(&t, s, eq + 1, msg, sizeof(msg)) == 0) {
			FUZZ_ASSERT(t.nfamilies >= 0 &&
			    t.nfamilies <= TAX_MAX_FAMILIES);
			(void)taxonomy_find(&t, eq + 1, 1, NULL, NULL);
		} else
			FUZZ_ASSERT(memchr(msg, '\0', sizeof(msg)) != NULL);
	}
	free(s);
	return 0;
}
