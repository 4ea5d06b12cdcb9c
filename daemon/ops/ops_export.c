/*
 * ops_export.c: a fair as a file (fair.export): the CSV match list, the
 * XLSX workbook or the printable HTML agenda, in Chinese or English.  It
 * reads through fair.matches and fair.meetings, so it has exactly their
 * rights, and adds to each match what the files show of its need and
 * offer that fair.matches does not carry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "daemon/domain/export.h"
#include "daemon/domain/names.h"
#include "daemon/ops/ops.h"

#define EXPORT_PAGE		1000
#define EXPORT_MAX_PAGES	1000

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
 * Every page of fair.matches (of its unmatched needs or offers when
 * unmatched is not NULL) as one answer whose items hold them all: an
 * answer with a number `next` has more after it.  The caller owns *out.
 */
static int
export_pages(struct op_ctx *ctx, double fair, const char *unmatched,
    cJSON **out, struct error *err)
{
	cJSON		*args, *page, *items, *all, *x;
	const cJSON	*next;
	double		 after = 0;
	int		 n, more;

	*out = NULL;
	for (n = 0; n < EXPORT_MAX_PAGES; n++) {
		page = NULL;
		if ((args = cJSON_CreateObject()) == NULL ||
		    cJSON_AddNumberToObject(args, "fair", fair) == NULL ||
		    cJSON_AddNumberToObject(args, "limit", EXPORT_PAGE) == NULL ||
		    (after > 0 && cJSON_AddNumberToObject(args, "after",
		    after) == NULL) || (unmatched != NULL &&
		    cJSON_AddStringToObject(args, "unmatched", unmatched) ==
		    NULL)) {
			cJSON_Delete(args);
			goto oom;
		}
		if (op_fair_matches(ctx, args, &page, err) == -1) {
			cJSON_Delete(args);
			goto fail;
		}
		cJSON_Delete(args);
		next = cJSON_GetObjectItemCaseSensitive(page, "next");
		more = cJSON_IsNumber(next) && next->valuedouble > after;
		after = more ? next->valuedouble : 0;
		if (*out == NULL)
			*out = page;
		else {
			/* This page's items go after the first page's. */
			all = cJSON_GetObjectItemCaseSensitive(*out, "items");
			items = cJSON_GetObjectItemCaseSensitive(page, "items");
			while (cJSON_IsArray(all) && cJSON_IsArray(items) &&
			    (x = cJSON_DetachItemFromArray(items, 0)) != NULL)
				cJSON_AddItemToArray(all, x);
			cJSON_Delete(page);
		}
		if (!more)
			return 0;
	}
	error_set(err, ERR_INTERNAL, NULL, "the export has more than %d "
	    "pages of matches", EXPORT_MAX_PAGES);
	goto fail;
oom:
	ops_oom(err);
fail:
	cJSON_Delete(*out);
	*out = NULL;
	return -1;
}

/*
 * The fair's matches and what the run left unmatched, whole:
 * {"run", "items", "unmatched": {"needs", "offers"}}; fair.matches answers
 * the unmatched lists as pages of their own (`unmatched`).
 */
static int
export_matches(struct op_ctx *ctx, double fair, cJSON **out,
    struct error *err)
{
	static const char *const kinds[] = { "needs", "offers" };
	cJSON	*u, *page;
	int	 i;

	if (export_pages(ctx, fair, NULL, out, err) == -1)
		return -1;
	if ((u = cJSON_AddObjectToObject(*out, "unmatched")) == NULL)
		goto oom;
	for (i = 0; i < 2; i++) {
		if (export_pages(ctx, fair, kinds[i], &page, err) == -1)
			goto fail;
		cJSON_AddItemToObject(u, kinds[i], cJSON_DetachItemFromObject(
		    page, "items"));
		cJSON_Delete(page);
	}
	return 0;
oom:
	ops_oom(err);
fail:
	cJSON_Delete(*out);
	*out = NULL;
	return -1;
}

/* The order of a printed list: best score first, then lower amount,
 * lower offer id, lower need id (fair.matches pages go by id). */
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

/* Put the items of matches in the printed order. */
static int
export_sort(cJSON *matches, struct error *err)
{
	cJSON	*items = cJSON_GetObjectItemCaseSensitive(matches, "items");
	cJSON	**v;
	int	 n = cJSON_GetArraySize(items), i;

	if ((v = calloc((size_t)n + 1, sizeof(*v))) == NULL)
		return ops_oom(err);
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(items, 0);
	qsort(v, (size_t)n, sizeof(*v), export_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(items, v[i]);
	free(v);
	return 0;
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

/* Copy rec[from] into item[to] (when rec has it). */
static int
export_copy(cJSON *item, const char *to, const cJSON *rec, const char *from)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(rec, from);
	cJSON		*dup;

	if (v == NULL)
		return 0;
	if ((dup = cJSON_Duplicate(v, 1)) == NULL)
		return -1;
	cJSON_AddItemToObject(item, to, dup);
	return 0;
}

/*
 * To each match, the need's description and budget and the offer's
 * category and price as they are now (the export's columns; a match's
 * frozen terms, when it has them, win over these in export.c).
 */
static int
export_records(struct op_ctx *ctx, cJSON *matches, struct error *err)
{
	cJSON	*m, *need = NULL, *offer = NULL;
	int	 rc = 0;

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(matches, "items")) {
		if (store_record_get(ctx->store, STORE_NEED, (int64_t)ops_num(m,
		    "need"), &need, err) == -1 || store_record_get(ctx->store,
		    STORE_OFFER, (int64_t)ops_num(m, "offer"), &offer,
		    err) == -1) {
			rc = -1;
			break;
		}
		if (export_copy(m, "need_description", need,
		    "description") == -1 ||
		    export_copy(m, "need_budget", need, "budget") == -1 ||
		    export_copy(m, "offer_category", offer, "category") == -1 ||
		    export_copy(m, "offer_price", offer, "price") == -1) {
			rc = ops_oom(err);
			break;
		}
		cJSON_Delete(need);
		cJSON_Delete(offer);
		need = offer = NULL;
	}
	cJSON_Delete(need);
	cJSON_Delete(offer);
	return rc;
}

int
op_fair_export(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char		*format = args_str(args, "format", "csv");
	const char		*community = args_str(args, "community", NULL);
	const char		*org = args_str(args, "org", NULL);
	enum names_lang		 lang = names_lang(args_str(args, "lang",
				    "zh"));
	const char		*tmp = getenv("TMPDIR");
	struct export_file	 f = { NULL, 0 };
	cJSON			*fair = NULL, *matches = NULL, *meetings = NULL;
	char			 name[96], *b64 = NULL;
	size_t			 blen;
	int			 rc = -1, binary = 0;

	if (ops_fair_load(ctx, args, "fair", &fair, err) == -1 ||
	    export_for(ctx, community, org, err) == -1 ||
	    export_matches(ctx, ops_num(fair, "id"), &matches, err) == -1 ||
	    export_sort(matches, err) == -1 ||
	    export_read(ctx, op_fair_meetings, ops_num(fair,
	    "id"), &meetings, err) == -1 || (strcmp(format, "html") != 0 &&
	    export_records(ctx, matches, err) == -1))
		goto out;
	if (strcmp(format, "csv") == 0) {
		rc = export_csv(matches, lang, &f);
		snprintf(name, sizeof(name), "fair-%.0f-matches.csv",
		    ops_num(fair, "id"));
	} else if (strcmp(format, "xlsx") == 0) {
		rc = export_xlsx(fair, matches, meetings, lang, tmp ? tmp :
		    "/tmp", &f);
		snprintf(name, sizeof(name), "fair-%.0f-matches.xlsx",
		    ops_num(fair, "id"));
		binary = 1;
	} else {
		rc = export_agenda(fair, meetings, community, org, lang, &f);
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
