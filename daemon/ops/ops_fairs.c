/*
 * ops_fairs.c: matching fairs (fair.create/update/get/list/enroll): a
 * fair is dated today or later (in time.zone), lies within one day, and
 * has its rules for pairs (rule, min_score).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base/clock.h"
#include "daemon/ops/ops.h"
#include "daemon/store/store_scan.h"

int
ops_fair_load(struct op_ctx *ctx, const cJSON *args, const char *key,
    cJSON **fair, struct error *err)
{
	long long	id = args_int(args, key, 0);
	int		rc;

	ops_object_id(ctx, id);
	if ((rc = store_fair_get(ctx->store, id, fair, err)) == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, key, "there is no fair "
		    "%lld", id);
	return 0;
}

int
ops_fair_in_scope(const struct op_ctx *ctx, const cJSON *fair)
{
	const char *street = ops_str(fair, "street");

	if (ops_is_admin(ctx))
		return 1;
	if (ctx->who->role != ROLE_ORGANIZER)
		return 0;
	/* A district-wide organizer runs every fair; a street's its own. */
	return ctx->who->acct.street[0] == '\0' ||
	    (street != NULL && strcmp(street, ctx->who->acct.street) == 0);
}

int
ops_fair_reader(const struct op_ctx *ctx, const cJSON *fair,
    const char **community, const char **org, struct error *err)
{
	*community = *org = NULL;
	if (ctx->who->role == ROLE_COMMUNITY)
		*community = ctx->who->acct.code;
	else if (ctx->who->role == ROLE_ORG)
		*org = ctx->who->acct.code;
	else if (!ops_fair_in_scope(ctx, fair)) {
		error_set(err, ERR_FORBIDDEN, NULL, "fair %lld is outside your "
		    "street", (long long)ops_num(fair, "id"));
		return error_reason(err, "out_of_scope");
	}
	return 0;
}

int
ops_fair_runnable(struct op_ctx *ctx, const cJSON *fair, struct error *err)
{
	if (!ops_fair_in_scope(ctx, fair)) {
		error_set(err, ERR_FORBIDDEN, NULL, "fair %lld is run by the "
		    "organizer of %s", (long long)ops_num(fair, "id"),
		    ops_str(fair, "street") ? ops_str(fair, "street") :
		    "the district");
		return error_reason(err, "out_of_scope");
	}
	if (strcmp(ops_str(fair, "status"), "open") != 0) {
		error_set(err, ERR_CONFLICT, NULL, "fair %lld is closed",
		    (long long)ops_num(fair, "id"));
		return error_reason(err, "fair_closed");
	}
	return 0;
}

/* Minutes since midnight of "HH:MM" (already checked). */
static int
minutes_of(const char *hhmm)
{
	return atoi(hhmm) * 60 + atoi(hhmm + 3);
}

/*
 * The rules of a fair's values that span several of them or the calendar:
 * a date not before today, and the day's end.  f holds the values.
 */
static int
fair_check(const cJSON *f, int check_date, struct error *err)
{
	const char	*start = ops_str(f, "start");
	long long	 slots = (long long)ops_num(f, "slots");
	long long	 minutes = (long long)ops_num(f, "slot_minutes");
	char		 today[11];

	clock_today(today);
	if (check_date && strcmp(ops_str(f, "date"), today) < 0) {
		error_set(err, ERR_INVALID_ARGUMENT, "date", "%s is in the past "
		    "(today is %s): a fair is held today or later",
		    ops_str(f, "date"), today);
		return error_reason(err, "date_past");
	}
	if (minutes_of(start) + slots * minutes > 24 * 60) {
		error_set(err, ERR_INVALID_ARGUMENT, "slots", "a fair lies "
		    "within one day: %lld slots of %lld minutes from %s run "
		    "past 24:00", slots, minutes, start);
		return error_reason(err, "past_midnight");
	}
	return 0;
}

int
op_fair_create(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char	*street = args_str(args, "street", NULL);
	const char	*start = args_str(args, "start", "09:00");
	long long	 slots = args_int(args, "slots", 12);
	long long	 minutes = args_int(args, "slot_minutes", 15);
	cJSON		*f, *out;
	int64_t		 id;

	if (ctx->who->role == ROLE_ORGANIZER && ctx->who->acct.street[0]) {
		/* A street organizer's fairs are its street's. */
		if (street != NULL && strcmp(street,
		    ctx->who->acct.street) != 0) {
			error_set(err, ERR_FORBIDDEN, "street", "you organise "
			    "fairs of %s only", ctx->who->acct.street);
			return error_reason(err, "out_of_scope");
		}
		street = ctx->who->acct.street;
	}
	if ((f = cJSON_CreateObject()) == NULL)
		return ops_oom(err);
	cJSON_AddStringToObject(f, "name", args_str(args, "name", ""));
	cJSON_AddStringToObject(f, "date", args_str(args, "date", ""));
	if (street)
		cJSON_AddStringToObject(f, "street", street);
	else
		cJSON_AddNullToObject(f, "street");
	cJSON_AddStringToObject(f, "start", start);
	cJSON_AddNumberToObject(f, "tables", (double)args_int(args, "tables",
	    10));
	cJSON_AddNumberToObject(f, "slots", (double)slots);
	cJSON_AddNumberToObject(f, "slot_minutes", (double)minutes);
	cJSON_AddStringToObject(f, "organizer", ctx->who->acct.code);
	cJSON_AddStringToObject(f, "rule", args_str(args, "rule", "sub"));
	cJSON_AddNumberToObject(f, "min_score", args_num(args, "min_score",
	    ctx->conf->min_score));
	if (fair_check(f, 1, err) == -1 ||
	    store_fair_insert(ctx->store, f, &id, err) == -1) {
		cJSON_Delete(f);
		return -1;
	}
	cJSON_Delete(f);
	ops_object_id(ctx, id);
	if (store_fair_get(ctx->store, id, &out, err) != 0)
		return error_set(err, ERR_INTERNAL, NULL, "fair vanished");
	*result = ops_wrap("fair", out);
	return *result ? 0 : ops_oom(err);
}

/*
 * Move the start of each scheduled meeting of fair (slots_used slots) to
 * the fair's start and slot length as they are now.
 */
static int
fair_restart(struct op_ctx *ctx, const cJSON *f, struct error *err)
{
	int	slot, m;
	char	start[16];

	for (slot = 1; slot <= (int)ops_num(f, "slots_used"); slot++) {
		m = minutes_of(ops_str(f, "start")) + (slot - 1) *
		    (int)ops_num(f, "slot_minutes");
		snprintf(start, sizeof(start), "%02d:%02d", (m / 60) % 24,
		    m % 60);
		if (store_meetings_restart(ctx->store, (int64_t)ops_num(f,
		    "id"), slot, start, err) == -1)
			return -1;
	}
	return 0;
}

/* The fair.update arguments that are fair.create's too (all but street). */
static const char *const fair_changeable[] = { "name", "date", "start",
    "tables", "slots", "slot_minutes", "rule", "min_score", NULL };

/*
 * fair.update: an open fair of the caller's changes any value of
 * fair.create but its street.  The stored schedule keeps fitting: fewer
 * tables or slots than it uses is a conflict; a new start or slot length
 * moves its meetings' times.
 */
int
op_fair_update(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	const char *const	*k;
	cJSON			*f, *out;
	int			 table;

	if (ops_fair_load(ctx, args, "id", &f, err) == -1)
		return -1;
	if (ops_fair_runnable(ctx, f, err) == -1)
		goto fail;
	for (k = fair_changeable; *k != NULL; k++)
		if (args_has(args, *k))
			ops_set_dup(f, *k, args_get(args, *k));
	if (fair_check(f, args_has(args, "date"), err) == -1 ||
	    store_meetings_max_table(ctx->store, (int64_t)ops_num(f, "id"),
	    &table, err) == -1)
		goto fail;
	if (ops_num(f, "tables") < table || ops_num(f, "slots") <
	    ops_num(f, "slots_used")) {
		error_set(err, ERR_CONFLICT, ops_num(f, "tables") < table ?
		    "tables" : "slots", "the schedule of fair %.0f uses %d "
		    "tables and %.0f slots; schedule again with fewer first",
		    ops_num(f, "id"), table, ops_num(f, "slots_used"));
		error_reason(err, "schedule_too_large");
		goto fail;
	}
	if (store_fair_update(ctx->store, f, err) == -1 ||
	    ((args_has(args, "start") || args_has(args, "slot_minutes")) &&
	    fair_restart(ctx, f, err) == -1) ||
	    store_fair_get(ctx->store, (int64_t)ops_num(f, "id"), &out,
	    err) != 0)
		goto fail;
	cJSON_Delete(f);
	*result = ops_wrap("fair", out);
	return *result ? 0 : ops_oom(err);
fail:
	cJSON_Delete(f);
	return -1;
}

int
op_fair_get(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	cJSON *f;

	(void)args;
	if (ops_fair_load(ctx, args, "id", &f, err) == -1)
		return -1;
	*result = ops_wrap("fair", f);
	return *result ? 0 : ops_oom(err);
}

int
op_fair_list(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct list_filter f;

	ops_list_filter(args, &f);
	return store_fair_list(ctx->store, &f, result, err);
}

/* Whether the JSON array text `streets` serves street (or holds "*"). */
static int
serves(const cJSON *streets, const char *street)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, streets)
		if (cJSON_IsString(c) && (strcmp(c->valuestring, "*") == 0 ||
		    strcmp(c->valuestring, street) == 0))
			return 1;
	return 0;
}

/*
 * Check that the caller may enrol need (is_offer 0) or offer id in fair,
 * and enrol it.  *added counts it when it was new.
 */
static int
enroll_one(struct op_ctx *ctx, const cJSON *fair, int is_offer, int64_t id,
    int *count, struct error *err)
{
	const char	*what = is_offer ? "offer" : "need";
	const char	*field = is_offer ? "offers" : "needs";
	const char	*fstreet = ops_str(fair, "street"), *owner;
	cJSON		*o;
	int		 rc, added, ok;

	rc = store_record_get(ctx->store, is_offer ? STORE_OFFER : STORE_NEED,
	    id, &o, err);
	if (rc == -1)
		return -1;
	if (rc == 1)
		return error_set(err, ERR_NOT_FOUND, field, "there is no %s "
		    "%lld", what, (long long)id);
	owner = ops_str(o, is_offer ? "org" : "community");
	if ((ctx->who->role == ROLE_COMMUNITY && is_offer) ||
	    (ctx->who->role == ROLE_ORG && !is_offer) ||
	    ((ctx->who->role & (ROLE_COMMUNITY | ROLE_ORG)) &&
	    strcmp(owner, ctx->who->acct.code) != 0)) {
		error_set(err, ERR_FORBIDDEN, field, "%s %lld is not yours to "
		    "enrol", what, (long long)id);
		error_reason(err, "not_yours");
		goto fail;
	}
	if (strcmp(ops_str(o, "status"), "open") != 0) {
		error_set(err, ERR_CONFLICT, field, "%s %lld is %s; only open "
		    "ones can be enrolled", what, (long long)id,
		    ops_str(o, "status"));
		error_reason(err, "not_open");
		goto fail;
	}
	ok = fstreet == NULL || (is_offer ? serves(args_get(o,
	    "streets"), fstreet) : strcmp(ops_str(o, "street"),
	    fstreet) == 0);
	if (!ok) {
		error_set(err, ERR_INVALID_ARGUMENT, field, "%s %lld is outside "
		    "the fair's street %s", what, (long long)id, fstreet);
		error_reason(err, "outside_street");
		goto fail;
	}
	cJSON_Delete(o);
	if (store_fair_enroll(ctx->store, (int64_t)ops_num(fair, "id"),
	    is_offer, id, &added, err) == -1)
		return -1;
	*count += added;
	return 0;
fail:
	cJSON_Delete(o);
	return -1;
}

/*
 * The checks of fair.enroll that need no need or offer: the fair is there
 * and open, in the caller's street, and all:true is an organizer's.
 * *fair is the caller's when 0; -1 with err set.
 */
static int
enroll_checks(struct op_ctx *ctx, const cJSON *args, cJSON **fair,
    struct error *err)
{
	int all = args_bool(args, "all", 0);

	if (ops_fair_load(ctx, args, "fair", fair, err) == -1)
		return -1;
	if (strcmp(ops_str(*fair, "status"), "open") != 0)
		error_set(err, ERR_CONFLICT, NULL, "fair %lld is closed",
		    (long long)ops_num(*fair, "id"));
	else if ((ctx->who->role & (ROLE_ADMIN | ROLE_ORGANIZER)) &&
	    !ops_fair_in_scope(ctx, *fair))
		error_set(err, ERR_FORBIDDEN, NULL, "fair %lld is outside your "
		    "street", (long long)ops_num(*fair, "id"));
	else if (all && !(ctx->who->role & (ROLE_ADMIN | ROLE_ORGANIZER)))
		error_set(err, ERR_FORBIDDEN, "all", "only an organizer enrols "
		    "everything at once");
	else if (!all && !args_has(args, "needs") && !args_has(args, "offers"))
		error_set(err, ERR_INVALID_ARGUMENT, "needs", "name needs, "
		    "offers, or all:true");
	else
		return 0;
	cJSON_Delete(*fair);
	*fair = NULL;
	return -1;
}

/*
 * What fair.enroll all read (OP_SPLIT: ctx->state), and how far its write
 * is: the needs' ids, then the offers', are enrolled from `at` on.
 */
struct enroll_all {
	int64_t	*ids;		/* the needs', then the offers' */
	size_t	 nneeds, nids;
	size_t	 at;		/* ids enrolled so far */
	int	 begun;		/* the named ones are enrolled */
	int	 nn, no;	/* enrolled so far (new ones) */
};

/* A slice of an enroll all's write: this many ids for each of
 * op_ctx.slice_rows (about 2,000 ids, 2 to 3 ms of the loop). */
#define ENROLL_IDS_PER_ROW	8

static void
enroll_all_free(void *arg)
{
	struct enroll_all *ea = arg;

	if (ea == NULL)
		return;
	free(ea->ids);
	free(ea);
}

/* Append the ids of JSON array text json to ea->ids: 0, or -1. */
static int
enroll_all_add(struct enroll_all *ea, const char *json, struct error *err)
{
	cJSON	*arr = cJSON_Parse(json), *c;
	int64_t	*ids;
	size_t	 n = (size_t)cJSON_GetArraySize(arr);

	if (arr == NULL || (ids = realloc(ea->ids, (ea->nids + n + 1) *
	    sizeof(*ids))) == NULL) {
		cJSON_Delete(arr);
		return ops_oom(err);
	}
	ea->ids = ids;
	cJSON_ArrayForEach(c, arr)
		ea->ids[ea->nids++] = (int64_t)c->valuedouble;
	cJSON_Delete(arr);
	return 0;
}

/*
 * fair.enroll, the long part (on a reader thread with all:true, over a
 * snapshot): the ids of everything open of the fair's street, into
 * ctx->state for op_fair_enroll.  A street of a city holds 50,000 needs
 * of a million, and scanning them held the loop 0.2 s.  Without all it
 * only checks.
 */
int
op_fair_enroll_compute(struct op_ctx *ctx, const cJSON *args,
    struct error *err)
{
	struct enroll_all	*ea;
	cJSON			*fair;
	char			*needs, *offers;
	int			 rc;

	if (enroll_checks(ctx, args, &fair, err) == -1)
		return -1;
	if (!args_bool(args, "all", 0)) {
		cJSON_Delete(fair);
		return 0;
	}
	if ((ea = calloc(1, sizeof(*ea))) == NULL) {
		cJSON_Delete(fair);
		return ops_oom(err);
	}
	ctx->state = ea;
	ctx->state_free = enroll_all_free;
	rc = store_fair_open_ids(ctx->store, ops_str(fair, "street"),
	    &needs, &offers, err);
	cJSON_Delete(fair);
	if (rc == -1)
		return -1;
	rc = enroll_all_add(ea, needs, err);
	ea->nneeds = ea->nids;
	if (rc == 0)
		rc = enroll_all_add(ea, offers, err);
	free(needs);
	free(offers);
	return rc;
}

/* ids as a JSON array's text (malloc'd), NULL when out of memory. */
static char *
enroll_ids_json(const int64_t *ids, size_t n)
{
	char	*buf = malloc(n * 21 + 3), *p = buf;
	size_t	 i;

	if (buf == NULL)
		return NULL;
	*p++ = '[';
	for (i = 0; i < n; i++)
		p += sprintf(p, i == 0 ? "%lld" : ",%lld", (long long)ids[i]);
	*p++ = ']';
	*p = '\0';
	return buf;
}

/*
 * Enrol up to max of ea's ids from ea->at on (the needs', then the
 * offers', never both in one call) into fair fid: 0, or -1.
 */
static int
enroll_all_some(struct op_ctx *ctx, int64_t fid, struct enroll_all *ea,
    size_t max, struct error *err)
{
	int	 offers = ea->at >= ea->nneeds, an, ao;
	size_t	 end = offers ? ea->nids : ea->nneeds, n;
	char	*json;
	int	 rc;

	n = end - ea->at < max ? end - ea->at : max;
	if ((json = enroll_ids_json(ea->ids + ea->at, n)) == NULL)
		return ops_oom(err);
	rc = store_fair_enroll_ids(ctx->store, fid, offers ? "[]" : json,
	    offers ? json : "[]", &an, &ao, err);
	free(json);
	if (rc == -1)
		return -1;
	ea->at += n;
	ea->nn += an;
	ea->no += ao;
	return 0;
}

/*
 * fair.enroll, the write (on the loop): the needs and offers named, then,
 * with all:true, the ids op_fair_enroll_compute found (OP_SPLIT: nothing
 * that could change them was written since, jobs.h).  With
 * ctx->slice_rows, those ids a slice at a time (more set until the last,
 * core/jobs.c); else all now.
 */
int
op_fair_enroll(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct enroll_all	*ea = ctx->state;
	const cJSON		*c;
	cJSON			*fair;
	size_t			 max = ctx->slice_rows > 0 ?
				    (size_t)ctx->slice_rows *
				    ENROLL_IDS_PER_ROW : SIZE_MAX;
	int64_t			 fid;
	int			 nn = 0, no = 0;

	/* Again, on the loop: cheap, and the fair as it is now. */
	if (enroll_checks(ctx, args, &fair, err) == -1)
		return -1;
	fid = (int64_t)ops_num(fair, "id");
	if (ea == NULL || !ea->begun) {
		cJSON_ArrayForEach(c, args_get(args, "needs"))
			if (enroll_one(ctx, fair, 0, (int64_t)c->valuedouble,
			    &nn, err) == -1)
				goto fail;
		cJSON_ArrayForEach(c, args_get(args, "offers"))
			if (enroll_one(ctx, fair, 1, (int64_t)c->valuedouble,
			    &no, err) == -1)
				goto fail;
	}
	if (ea != NULL) {
		if (!ea->begun) {
			ea->begun = 1;
			ea->nn = nn;
			ea->no = no;
		}
		do {
			if (ea->at < ea->nids &&
			    enroll_all_some(ctx, fid, ea, max, err) == -1)
				goto fail;
		} while (ea->at < ea->nids && max == SIZE_MAX);
		if (ea->at < ea->nids) {
			ctx->more = 1;
			cJSON_Delete(fair);
			return 0;
		}
		nn = ea->nn;
		no = ea->no;
	}
	cJSON_Delete(fair);
	if ((*result = cJSON_CreateObject()) == NULL)
		return ops_oom(err);
	cJSON_AddNumberToObject(*result, "needs", nn);
	cJSON_AddNumberToObject(*result, "offers", no);
	return 0;
fail:
	cJSON_Delete(fair);
	return -1;
}
