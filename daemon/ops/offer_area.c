/*
 * offer_area.c: where an organisation's offer may be offered.  An offer
 * whose streets hold "*" is a candidate in every street's fair; only an
 * organisation whose service area is the whole district may post one, or
 * one serving a single street would land in every other street's fairs.
 */
#include <string.h>

#include "daemon/ops/offer_area.h"

/* Whether the array of street names a holds "*". */
static int
offer_area_all(const cJSON *a)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, a)
		if (cJSON_IsString(s) && strcmp(s->valuestring, "*") == 0)
			return 1;
	return 0;
}

int
offer_area_check(const cJSON *org, const cJSON *streets, struct error *err)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(org, "code");

	if (streets == NULL || !offer_area_all(streets) ||
	    offer_area_all(cJSON_GetObjectItemCaseSensitive(org, "streets")))
		return 0;
	return error_set(err, ERR_INVALID_ARGUMENT, "streets", "streets "
	    "\"*\" (the whole district) is only for an organisation that "
	    "serves the whole district; %s does not: name the streets of "
	    "the offer", cJSON_IsString(code) ? code->valuestring : "this "
	    "organisation");
}
