/*
 * fuzz_envelope.c: a native request line through envelope_parse and the
 * argument checks, and the same bytes as an HTTP body (envelope_parse_args).
 * Every answer encoded on the way must be strict JSON, and the strict
 * parser's tree must be cJSON's (fz_check_strict_tree).
 */
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

/* Every number carries its own literal: the text reads back as its value. */
static void
check_literals(const cJSON *node)
{
	const cJSON *c;

	if (cJSON_IsNumber(node)) {
		FUZZ_ASSERT(node->valuestring != NULL);
		if (strtod(node->valuestring, NULL) != node->valuedouble)
			FUZZ_FAIL("literal %s is not %.17g", node->valuestring,
			    node->valuedouble);
	}
	for (c = node->child; c != NULL; c = c->next)
		check_literals(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*buf = (const char *)data;
	struct request	 req;
	struct error	 err;
	cJSON		*args, *printed;
	char		*s, *fast;

	memset(&err, 0, sizeof(err));
	if (envelope_parse(buf, size, &req, &err) == 0) {
		FUZZ_ASSERT(req.op != NULL);
		FUZZ_ASSERT(req.args == NULL || cJSON_IsObject(req.args));
		fz_check_all_schemas(req.id, req.args, &tax);
		check_literals(req.root);
		/*
		 * A strict tree prints as strict JSON that parses again, and
		 * json_print writes cJSON's very bytes.
		 */
		if ((s = cJSON_PrintUnformatted(req.root)) != NULL) {
			printed = json_parse_strict(s, strlen(s),
			    ERR_BAD_REQUEST, &err);
			if (printed == NULL)
				FUZZ_FAIL("reprint refused (%s): %s",
				    err.message, s);
			cJSON_Delete(printed);
			fast = json_print(req.root, NULL);
			if (fast == NULL || strcmp(fast, s) != 0)
				FUZZ_FAIL("json_print differs: %s / %s", s,
				    fast ? fast : "(null)");
			free(fast);
			free(s);
		}
	} else {
		FUZZ_ASSERT(err.code != ERR_NONE);
		fz_check_answer(envelope_error(req.id, &err), 0);
	}
	envelope_request_clear(&req);

	fz_check_strict_tree(buf, size);
	memset(&err, 0, sizeof(err));
	if (envelope_parse_args(buf, size, &args, &err) == 0) {
		FUZZ_ASSERT(args == NULL || cJSON_IsObject(args));
		fz_check_all_schemas(NULL, args, &tax);
		cJSON_Delete(args);
	} else {
		FUZZ_ASSERT(args == NULL);
		fz_check_answer(envelope_error(NULL, &err), 0);
	}
	return 0;
}
