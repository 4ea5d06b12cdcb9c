/*
 * ops_directory.c: who is in the district (community.get/list,
 * org.get/list) and the category taxonomy (taxonomy.get), readable by
 * every signed-in role: names, streets and caps are public notices too.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "daemon/domain/caps.h"
#include "daemon/domain/names.h"
#include "daemon/ops/ops.h"

/* Add "year", "used" and "left" (yuan) to a community object. */
static void
directory_used(const struct caps_used *cu, int year, cJSON *c)
{
	int64_t used = caps_used_of(cu, ops_str(c, "code"));
	int64_t cap = (int64_t)llround(ops_num(c, "cap") * 100);

	cJSON_AddNumberToObject(c, "year", year);
	cJSON_AddNumberToObject(c, "used", (double)used / 100.0);
	cJSON_AddNumberToObject(c, "left", (double)(cap > used ? cap - used :
	    0) / 100.0);
}

int
op_community_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct caps_used	 cu;
	const char		*code = args_str(args, "code", "");
	int			 year = (int)args_int(args, "year",
				    ops_this_year());
	cJSON			*c = NULL;
	int			 rc;

	ops_object_code(ctx, code);
	if ((rc = store_community_get(ctx->store, code, &c, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "code", "there is no "
		    "community %s", code);
	if (caps_used_load(&cu, ctx->store, year, 0, err) == -1) {
		caps_used_free(&cu);
		cJSON_Delete(c);
		return -1;
	}
	directory_used(&cu, year, c);
	caps_used_free(&cu);
	*result = ops_wrap("community", c);
	return *result ? 0 : ops_oom(err);
}

int
op_community_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct caps_used	 cu;
	int			 year = (int)args_int(args, "year",
				    ops_this_year());
	cJSON			*c;

	if (store_community_list(ctx->store, args_str(args, "street", NULL),
	    args_str(args, "after", NULL), (int)args_int(args, "limit", 50),
	    result, err) == -1)
		return -1;
	if (caps_used_load(&cu, ctx->store, year, 0, err) == -1) {
		caps_used_free(&cu);
		cJSON_Delete(*result);
		*result = NULL;
		return -1;
	}
	cJSON_ArrayForEach(c, args_get(*result, "items"))
		directory_used(&cu, year, c);
	caps_used_free(&cu);
	return 0;
}

int
op_org_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*code = args_str(args, "code", "");
	cJSON		*o;
	int		 rc;

	ops_object_code(ctx, code);
	if ((rc = store_org_get(ctx->store, code, &o, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, "code", "there is no "
		    "organisation %s", code);
	*result = ops_wrap("org", o);
	return *result ? 0 : ops_oom(err);
}

int
op_org_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	return store_org_list(ctx->store, args_str(args, "street", NULL),
	    args_str(args, "kind", NULL), args_str(args, "after", NULL),
	    (int)args_int(args, "limit", 50), result, err);
}

/* names[key] = {"zh", "en"} when the name table knows key. */
static int
taxonomy_name(cJSON *names, const char *key, const char *family,
    const char *sub)
{
	const char	*zh = names_category_part(family, sub, NAMES_ZH);
	cJSON		*o;

	if (zh == NULL)
		return 0;	/* a category of the configuration's own */
	if ((o = cJSON_AddObjectToObject(names, key)) == NULL ||
	    cJSON_AddStringToObject(o, "zh", zh) == NULL ||
	    cJSON_AddStringToObject(o, "en", names_category_part(family, sub,
	    NAMES_EN)) == NULL)
		return -1;
	return 0;
}

int
op_taxonomy_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const struct taxonomy	*tax = &ctx->conf->taxonomy;
	cJSON			*fams, *f, *subs, *names;
	char			 key[2 * TAX_NAME_MAX + 2];
	int			 i, j;

	(void)args;
	if ((*result = cJSON_CreateObject()) == NULL ||
	    (fams = cJSON_AddArrayToObject(*result, "families")) == NULL ||
	    (names = cJSON_AddObjectToObject(*result, "names")) == NULL)
		return ops_oom(err);
	for (i = 0; i < tax->nfamilies; i++) {
		if ((f = cJSON_CreateObject()) == NULL)
			return ops_oom(err);
		cJSON_AddItemToArray(fams, f);
		cJSON_AddStringToObject(f, "name", tax->fam[i].name);
		/* Engineering is allowed from a positive list only. */
		cJSON_AddBoolToObject(f, "positive_list",
		    strcmp(tax->fam[i].name, "engineering") == 0);
		if ((subs = cJSON_AddArrayToObject(f, "subs")) == NULL ||
		    taxonomy_name(names, tax->fam[i].name, tax->fam[i].name,
		    NULL) == -1)
			return ops_oom(err);
		for (j = 0; j < tax->fam[i].nsubs; j++) {
			cJSON_AddItemToArray(subs,
			    cJSON_CreateString(tax->fam[i].subs[j]));
			snprintf(key, sizeof(key), "%s.%s", tax->fam[i].name,
			    tax->fam[i].subs[j]);
			if (taxonomy_name(names, key, tax->fam[i].name,
			    tax->fam[i].subs[j]) == -1)
				return ops_oom(err);
		}
	}
	return 0;
}
