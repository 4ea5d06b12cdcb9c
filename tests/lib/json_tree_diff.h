/*
 * json_tree_diff.h: does json_parse_strict's tree match cJSON's own parse of
 * the same text?  Shared by tests/unit/test_envelope.c and the fuzzers
 * (tests/fuzz/fuzz_util.h).
 */
#ifndef TESTS_JSON_TREE_DIFF_H
#define TESTS_JSON_TREE_DIFF_H

#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

static inline int
jtd_same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * NULL when strict (json_parse_strict's) is the tree cJSON_Parse made of
 * the same text (plain), else what differs first.  Compared: types, keys,
 * string values, numbers (the double bit for bit, the saturated int), the
 * order of children and their prev links (the first child's prev is the
 * last).  A number of strict's also carries its literal in valuestring,
 * which must read back as its value.
 */
static inline const char *
json_tree_diff(const cJSON *strict, const cJSON *plain)
{
	const cJSON	*a, *b, *last = NULL;
	const char	*why;

	if (strict->type != plain->type)
		return "type";
	if (!jtd_same_text(strict->string, plain->string))
		return "key";
	if (cJSON_IsString(strict) &&
	    !jtd_same_text(strict->valuestring, plain->valuestring))
		return "string";
	if (cJSON_IsNumber(strict)) {
		if (memcmp(&strict->valuedouble, &plain->valuedouble,
		    sizeof(double)) != 0 || strict->valueint != plain->valueint)
			return "number";
		if (strict->valuestring == NULL ||
		    strtod(strict->valuestring, NULL) != strict->valuedouble)
			return "number literal";
	} else if (strict->valueint != plain->valueint)
		return "valueint";
	for (a = strict->child, b = plain->child; a != NULL && b != NULL;
	    a = a->next, b = b->next) {
		if (last != NULL && a->prev != last)
			return "prev link";
		if ((why = json_tree_diff(a, b)) != NULL)
			return why;
		last = a;
	}
	if (a != NULL || b != NULL)
		return "number of children";
	if (strict->child != NULL && strict->child->prev != last)
		return "first child's prev";
	return NULL;
}

#endif
