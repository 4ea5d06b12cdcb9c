/*
 * caps.c: summing projects into each community's used cap.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon/domain/caps.h"
#include "matcher/matcher.h"
#include "protocol/json_strings.h"

/* Add fen to community's sum, growing the array as codes are added. */
static int
caps_add(struct caps_used *cu, const char *community, int64_t fen)
{
	int64_t	*nu;
	size_t	 c;
	int	 i;

	if ((i = intern_add(cu->codes, community)) == -1)
		return -1;
	if ((size_t)i >= cu->cap) {
		c = cu->cap ? cu->cap * 2 : 64;
		while (c <= (size_t)i)
			c *= 2;
		if ((nu = realloc(cu->used, c * sizeof(*nu))) == NULL)
			return -1;
		memset(nu + cu->cap, 0, (c - cu->cap) * sizeof(*nu));
		cu->used = nu;
		cu->cap = c;
	}
	cu->used[i] += fen;
	return 0;
}

static int
caps_add_match(void *arg, const char *community, const char *partners,
    int64_t amount, struct error *err)
{
	struct caps_used	*cu = arg;
	struct matcher_need	 n;
	int64_t			 shares[1 + CAPS_MAX_PARTNERS];
	cJSON			*p, *c;
	int			 k = 0, rc = 0;

	memset(&n, 0, sizeof(n));
	p = json_strings_parse(partners);
	n.npartners = cJSON_GetArraySize(p);
	if (n.npartners > CAPS_MAX_PARTNERS)
		n.npartners = CAPS_MAX_PARTNERS;
	/* The split depends only on how many communities share the need. */
	matcher_shares(&n, amount, shares);
	rc = caps_add(arg, community, shares[0]);
	cJSON_ArrayForEach(c, p) {
		if (rc == -1 || ++k > n.npartners)
			break;
		if (cJSON_IsString(c))
			rc = caps_add(cu, c->valuestring, shares[k]);
	}
	cJSON_Delete(p);
	if (rc == -1)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int
caps_used_load(struct caps_used *cu, struct store *s, int year,
    int64_t except, struct error *err)
{
	memset(cu, 0, sizeof(*cu));
	if ((cu->codes = intern_new()) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	/* Sum over the projects not rejected or cancelled, by the need's
	 * year: what is confirmed and what is reserved. */
	return store_reserved_each(s, year, except, caps_add_match, cu, err);
}

void
caps_used_free(struct caps_used *cu)
{
	intern_free(cu->codes);
	free(cu->used);
	memset(cu, 0, sizeof(*cu));
}

int64_t
caps_used_of(const struct caps_used *cu, const char *community)
{
	int i = cu->codes ? intern_find(cu->codes, community) : -1;

	return i >= 0 && (size_t)i < cu->cap ? cu->used[i] : 0;
}

int
caps_left_of_need(struct store *s, const cJSON *need, int year,
    const char *codes[1 + CAPS_MAX_PARTNERS],
    int64_t left[1 + CAPS_MAX_PARTNERS], struct error *err)
{
	struct caps_used	 cu;
	const cJSON		*c;
	cJSON			*comm;
	int			 n = 0, i, rc = -1;

	codes[n++] = cJSON_GetStringValue(cJSON_GetObjectItem(need,
	    "community"));
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(need, "partners"))
		if (n < 1 + CAPS_MAX_PARTNERS && cJSON_IsString(c))
			codes[n++] = c->valuestring;
	if (caps_used_load(&cu, s, year, 0, err) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (store_community_get(s, codes[i], &comm, err) != 0)
			goto out;
		left[i] = (int64_t)llround(cJSON_GetNumberValue(
		    cJSON_GetObjectItem(comm, "cap")) * 100) -
		    caps_used_of(&cu, codes[i]);
		cJSON_Delete(comm);
	}
	rc = n;
out:
	caps_used_free(&cu);
	return rc;
}

int
caps_check(struct store *s, const cJSON *need, int64_t amount, int year,
    struct error *err)
{
	struct matcher_need	 n;
	const char		*codes[1 + CAPS_MAX_PARTNERS];
	int64_t			 left[1 + CAPS_MAX_PARTNERS];
	int64_t			 shares[1 + CAPS_MAX_PARTNERS];
	int			 nc, i;

	if ((nc = caps_left_of_need(s, need, year, codes, left, err)) == -1)
		return -1;
	memset(&n, 0, sizeof(n));
	n.npartners = nc - 1;
	matcher_shares(&n, amount, shares);
	for (i = 0; i < nc; i++)
		if (shares[i] > left[i]) {
			error_set(err, ERR_CONFLICT, NULL, "this would take "
			    "community %s past its yearly cap for %d (%.2f "
			    "yuan left, its share is %.2f)", codes[i], year,
			    (double)(left[i] > 0 ? left[i] : 0) / 100.0,
			    (double)shares[i] / 100.0);
			snprintf(err->reason, sizeof(err->reason), "over_cap");
			return -1;
		}
	return 0;
}
