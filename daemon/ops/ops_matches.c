/*
 * ops_matches.c: reading a fair's pairs (fair.matches), a page at a time:
 * a fair of 50,000 needs is read whole in pages of at most 1000, each an
 * answer of bounded size.
 */
#include <string.h>

#include "daemon/ops/ops.h"

/*
 * Who reads which rows.  The organizer in scope and the admin read every
 * row and filter with community and org; a community reads its rows (and
 * those of needs it shares) and an organisation its own (and those of
 * its joint offers), each naming no other party.  Sets *community and
 * *org to the filters.  0, or -1 with err set.
 */
static int
matches_reader(struct op_ctx *ctx, const cJSON *args, const cJSON *fair,
    const char **community, const char **org, struct error *err)
{
	const char	*me = ctx->who->acct.code;
	const char	*key = NULL;

	*community = args_str(args, "community", NULL);
	*org = args_str(args, "org", NULL);
	if (ctx->who->role == ROLE_COMMUNITY) {
		if (*community != NULL && strcmp(*community, me) != 0)
			key = "community";
		*community = me;
	} else if (ctx->who->role == ROLE_ORG) {
		if (*org != NULL && strcmp(*org, me) != 0)
			key = "org";
		*org = me;
	} else if (!ops_fair_in_scope(ctx, fair)) {
		error_set(err, ERR_FORBIDDEN, NULL, "fair %.0f is outside your "
		    "street", ops_num(fair, "id"));
		return error_reason(err, "out_of_scope");
	}
	if (key != NULL) {
		error_set(err, ERR_FORBIDDEN, key, "you read your own rows of "
		    "a fair, not those of %s", args_str(args, key, ""));
		return error_reason(err, "not_yours");
	}
	return 0;
}

int
op_fair_matches(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct list_filter	 f;
	const char		*community, *org, *un;
	const cJSON		*pub;
	cJSON			*fair, *page = NULL;
	int64_t			 fid;
	int			 run, last, published, party, is_offer;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1)
		return -1;
	fid = (int64_t)ops_num(fair, "id");
	pub = args_get(fair, "published_run");
	published = cJSON_IsNumber(pub) ? (int)pub->valuedouble : 0;
	party = ctx->who->role & (ROLE_COMMUNITY | ROLE_ORG);
	if (matches_reader(ctx, args, fair, &community, &org, err) == -1 ||
	    store_run_last(ctx->store, fid, &last, err) == -1)
		goto fail;
	/* Without run, the published one, for every caller. */
	run = (int)args_int(args, "run", published);
	if (run > last) {
		error_set(err, ERR_NOT_FOUND, "run", "fair %lld has %d runs",
		    (long long)fid, last);
		goto fail;
	}
	if (party && run != published) {
		error_set(err, ERR_FORBIDDEN, "run", "run %d of fair %lld is "
		    "not published; its parties see the published run only",
		    run, (long long)fid);
		error_reason(err, "run_not_published");
		goto fail;
	}
	memset(&f, 0, sizeof(f));
	f.after = args_int(args, "after", 0);
	f.limit = (int)args_int(args, "limit", 1000);
	if ((un = args_str(args, "unmatched", NULL)) != NULL) {
		/* A community sees no unmatched offers, an org no needs. */
		is_offer = strcmp(un, "offers") == 0;
		if ((is_offer && ctx->who->role == ROLE_COMMUNITY) ||
		    (!is_offer && ctx->who->role == ROLE_ORG)) {
			if ((page = cJSON_CreateObject()) == NULL ||
			    cJSON_AddArrayToObject(page, "items") == NULL ||
			    cJSON_AddNullToObject(page, "next") == NULL) {
				cJSON_Delete(page);
				ops_oom(err);
				goto fail;
			}
		} else if (store_unmatched_page(ctx->store, fid, run,
		    is_offer, is_offer ? org : community, f.after, f.limit,
		    &page, err) == -1)
			goto fail;
	} else {
		f.street = community;
		f.owner = org;
		f.status = args_str(args, "status", NULL);
		if (store_matches_page(ctx->store, fid, run, &f, &page,
		    err) == -1)
			goto fail;
	}
	cJSON_Delete(fair);
	*result = page;
	ops_add(page, "run", run > 0 ? cJSON_CreateNumber(run) :
	    cJSON_CreateNull());
	ops_add(page, "published_run", published > 0 ?
	    cJSON_CreateNumber(published) : cJSON_CreateNull());
	return 0;
fail:
	cJSON_Delete(fair);
	return -1;
}
