/*
 * ops_export.c: a fair as a file (fair.export): the CSV match list, the
 * XLSX workbook or the printable HTML agenda.  It reads through
 * fair.matches and fair.meetings, so it has exactly their rights.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "daemon/domain/export.h"
#include "daemon/ops/ops.h"

/* Run a read handler on {"fair": id}; the caller owns *out. */
static int
export_read(struct op_ctx *ctx, op_handler h, double fair, cJSON **out,
    struct error *err)
{
	cJSON	*args = cJSON_CreateObject();
	int	 rc;

	if (args == NULL || cJSON_AddNumberToObject(args, "fair", fair) ==
	    NULL) {
		cJSON_Delete(args);
		return ops_oom(err);
	}
	rc = h(ctx, args, out, err);
	cJSON_Delete(args);
	return rc;
}

/*
 * Every page of fair.matches of fair (its unmatched needs or offers when
 * unmatched is set), read with the caller's rights, as one array: a file
 * holds the whole list.  *run is set from the answer.
 */
static int
export_pages(struct op_ctx *ctx, double fair, const char *unmatched,
    cJSON **items, cJSON **run, struct error *err)
{
	cJSON		*args = cJSON_CreateObject(), *page = NULL, *it;
	const cJSON	*next;
	int		 rc = -1;

	*items = cJSON_CreateArray();
	if (args == NULL || *items == NULL ||
	    cJSON_AddNumberToObject(args, "fair", fair) == NULL ||
	    cJSON_AddNumberToObject(args, "limit", 1000) == NULL ||
	    (unmatched && cJSON_AddStringToObject(args, "unmatched",
	    unmatched) == NULL)) {
		ops_oom(err);
		goto out;
	}
	for (;;) {
		if (op_fair_matches(ctx, args, &page, err) == -1)
			goto out;
		while ((it = cJSON_DetachItemFromArray(cJSON_GetObjectItem(page,
		    "items"), 0)) != NULL)
			cJSON_AddItemToArray(*items, it);
		if (run != NULL && *run == NULL)
			*run = cJSON_DetachItemFromObject(page, "run");
		next = cJSON_GetObjectItem(page, "next");
		if (!cJSON_IsNumber(next))
			break;
		ops_set_dup(args, "after", next);
		cJSON_Delete(page);
		page = NULL;
	}
	rc = 0;
out:
	cJSON_Delete(page);
	cJSON_Delete(args);
	if (rc == -1) {
		cJSON_Delete(*items);
		*items = NULL;
	}
	return rc;
}

/* The order of a printed list: best score first, then lower amount,
 * lower offer id, lower need id. */
static int
export_cmp(const void *pa, const void *pb)
{
	const cJSON	*a = *(const cJSON *const *)pa;
	const cJSON	*b = *(const cJSON *const *)pb;
	static const char *const keys[] = { "score", "amount", "offer",
	    "need" };
	double		 x, y;
	int		 i;

	for (i = 0; i < 4; i++) {
		x = ops_num(a, keys[i]);
		y = ops_num(b, keys[i]);
		if (x != y)
			return (i == 0 ? x > y : x < y) ? -1 : 1;
	}
	return 0;
}

/*
 * The run's matches as fair.matches answered them whole before it was
 * paginated: {"run", "items" (best first), "unmatched": {"needs",
 * "offers"}}, so that the files are made as before.
 */
static int
export_matches(struct op_ctx *ctx, double fair, cJSON **out,
    struct error *err)
{
	cJSON	*items = NULL, *needs = NULL, *offers = NULL, *run = NULL;
	cJSON	**v = NULL, *u;
	int	 n, i;

	if (export_pages(ctx, fair, NULL, &items, &run, err) == -1 ||
	    export_pages(ctx, fair, "needs", &needs, NULL, err) == -1 ||
	    export_pages(ctx, fair, "offers", &offers, NULL, err) == -1)
		goto fail;
	n = cJSON_GetArraySize(items);
	if ((v = calloc((size_t)n + 1, sizeof(*v))) == NULL)
		goto oom;
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(items, 0);
	qsort(v, (size_t)n, sizeof(*v), export_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(items, v[i]);
	free(v);
	if ((*out = cJSON_CreateObject()) == NULL ||
	    (u = cJSON_CreateObject()) == NULL)
		goto oom;
	cJSON_AddItemToObject(*out, "run", run ? run : cJSON_CreateNull());
	cJSON_AddItemToObject(*out, "items", items);
	cJSON_AddItemToObject(u, "needs", needs);
	cJSON_AddItemToObject(u, "offers", offers);
	cJSON_AddItemToObject(*out, "unmatched", u);
	return 0;
oom:
	cJSON_Delete(*out);
	*out = NULL;
	ops_oom(err);
fail:
	cJSON_Delete(items);
	cJSON_Delete(needs);
	cJSON_Delete(offers);
	cJSON_Delete(run);
	return -1;
}

/*
 * An agenda or export for a party names the caller's own: a community or
 * organisation asks for no other party's (the organizer in scope and the
 * admin for any).
 */
static int
export_for(struct op_ctx *ctx, const char *community, const char *org,
    struct error *err)
{
	const char *me = ctx->who->acct.code;

	if (!(ctx->who->role & (ROLE_COMMUNITY | ROLE_ORG)))
		return 0;
	if ((community != NULL && (ctx->who->role != ROLE_COMMUNITY ||
	    strcmp(community, me) != 0)) || (org != NULL &&
	    (ctx->who->role != ROLE_ORG || strcmp(org, me) != 0))) {
		error_set(err, ERR_FORBIDDEN, community ? "community" : "org",
		    "the agenda of %s is for it, its fair's organizer and the "
		    "admin", community ? community : org);
		return error_reason(err, "not_yours");
	}
	return 0;
}

int
op_fair_export(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char		*format = args_str(args, "format", "csv");
	const char		*community = args_str(args, "community", NULL);
	const char		*org = args_str(args, "org", NULL);
	const char		*tmp = getenv("TMPDIR");
	struct export_file	 f = { NULL, 0 };
	cJSON			*fair = NULL, *matches = NULL, *meetings = NULL;
	char			 name[96], *b64 = NULL;
	size_t			 blen;
	int			 rc = -1, binary = 0;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1 ||
	    export_for(ctx, community, org, err) == -1 ||
	    export_matches(ctx, ops_num(fair, "id"), &matches, err) == -1 ||
	    export_read(ctx, op_fair_meetings, ops_num(fair, "id"), &meetings,
	    err) == -1)
		goto out;
	if (strcmp(format, "csv") == 0) {
		rc = export_csv(matches, &f);
		snprintf(name, sizeof(name), "fair-%.0f-matches.csv",
		    ops_num(fair, "id"));
	} else if (strcmp(format, "xlsx") == 0) {
		rc = export_xlsx(fair, matches, meetings, tmp ? tmp : "/tmp",
		    &f);
		snprintf(name, sizeof(name), "fair-%.0f-matches.xlsx",
		    ops_num(fair, "id"));
		binary = 1;
	} else {
		rc = export_agenda(fair, meetings, community, org, &f);
		snprintf(name, sizeof(name), "fair-%.0f-agenda.html",
		    ops_num(fair, "id"));
	}
	if (rc == -1) {
		error_set(err, ERR_INTERNAL, NULL, "the %s export failed",
		    format);
		goto out;
	}
	rc = -1;
	if ((*result = cJSON_CreateObject()) == NULL)
		goto oom;
	cJSON_AddStringToObject(*result, "filename", name);
	cJSON_AddStringToObject(*result, "content_type",
	    strcmp(format, "csv") == 0 ? "text/csv; charset=utf-8" :
	    binary ? "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" : "text/html; charset=utf-8");
	cJSON_AddStringToObject(*result, "encoding", binary ? "base64" :
	    "utf-8");
	if (binary) {
		blen = sodium_base64_encoded_len(f.len,
		    sodium_base64_VARIANT_ORIGINAL);
		if ((b64 = malloc(blen)) == NULL)
			goto oom;
		sodium_bin2base64(b64, blen, (const unsigned char *)f.data,
		    f.len, sodium_base64_VARIANT_ORIGINAL);
		cJSON_AddStringToObject(*result, "data", b64);
	} else
		cJSON_AddStringToObject(*result, "data", f.data);
	rc = 0;
	goto out;
oom:
	ops_oom(err);
out:
	free(f.data);
	free(b64);
	cJSON_Delete(fair);
	cJSON_Delete(matches);
	cJSON_Delete(meetings);
	return rc;
}
