/*
 * ops_risk.c: risk.flags: padding, inflated_price, concentration and
 * duplicate_need (docs/design.md, "Risk flags"), thresholds from [risk];
 * the flags of the project lifecycle are in ops_risk_projects.c.  Every
 * flag has a stable key; resolved ones (risk.resolve) are listed only
 * when asked for.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/base/clock.h"
#include "daemon/ops/oversight.h"
#include "matcher/matcher.h"
#include "matcher/text.h"

/* ---- risk.flags -------------------------------------------------------- */

/* Back from days since 1970-01-01 (clock_days) to the date. */
static void
ov_date(long z, char out[11])
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* Years of the period (2000-2200) keep to four digits. */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
	    (unsigned)m % 100u, (unsigned)d % 100u);
}

/* The first of the last `days` days of year: 31 December minus days - 1. */
static void
ov_late_from(int year, long days, char out[11])
{
	ov_date(clock_days(year, 12, 31) - (days - 1), out);
}

/* A need is late when posted, or due to start, from `from` on. */
static int
ov_late(const struct ov_need *n, const char *from)
{
	return strcmp(n->created, from) >= 0 ||
	    (n->wfrom[0] != '\0' && strcmp(n->wfrom, from) >= 0);
}

cJSON *
ov_flag(struct ov_flags *fl, const char *kind)
{
	cJSON *it = cJSON_CreateObject();

	if (it == NULL)
		return NULL;
	cJSON_AddItemToArray(fl->items, it);
	cJSON_AddStringToObject(it, "kind", kind);
	return it;
}

void
ov_key(cJSON *flag, const char *fmt, ...)
{
	va_list	ap;
	char	key[200];

	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(flag, "key", key);
}

/* The years with needs or confirmed matches, ascending, or just fl->year. */
static int
ov_years(const struct ov_flags *fl, int *years, int max)
{
	int	n = 0, y, i, j;
	size_t	k;

	if (fl->year) {
		years[0] = fl->year;
		return 1;
	}
	for (k = 0; k < fl->ov->nneeds + fl->ov->nmatches; k++) {
		y = k < fl->ov->nneeds ? fl->ov->needs[k].year :
		    fl->ov->matches[k - fl->ov->nneeds].year;
		for (i = 0; i < n && years[i] != y; i++)
			;
		if (i < n || n == max)
			continue;
		for (j = n++; j > 0 && years[j - 1] > y; j--)
			years[j] = years[j - 1];
		years[j] = y;
	}
	return n;
}

#define OV_MAX_YEARS	64

static int
ov_padding(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*open, *cnt, *late, *used;
	int64_t			 shares[1 + OV_MAX_PARTNERS], left;
	int64_t			 share_ppm = ov_ppm(conf->risk_padding_share);
	int64_t			 late_ppm = ov_ppm(conf->risk_padding_late_share);
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, ny, y;
	int			 years[OV_MAX_YEARS];
	char			 from[11];
	size_t			 i, c;
	cJSON			*it, *d, *ids;

	open = calloc(ov->ncomm + 1, sizeof(*open));
	cnt = calloc(ov->ncomm + 1, sizeof(*cnt));
	late = calloc(ov->ncomm + 1, sizeof(*late));
	used = calloc(ov->ncomm + 1, sizeof(*used));
	if (open == NULL || cnt == NULL || late == NULL || used == NULL)
		goto oom;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	for (y = 0; y < ny; y++) {
		memset(open, 0, ov->ncomm * sizeof(*open));
		memset(cnt, 0, ov->ncomm * sizeof(*cnt));
		memset(late, 0, ov->ncomm * sizeof(*late));
		memset(used, 0, ov->ncomm * sizeof(*used));
		ov_late_from(years[y], conf->risk_padding_days, from);
		for (i = 0; i < ov->nneeds; i++) {
			const struct ov_need *n = &ov->needs[i];

			if (n->comm < 0 || n->status != 'o' ||
			    n->year != years[y])
				continue;
			nc = ov_shares(n, n->budget, comms, shares);
			for (j = 0; j < nc; j++) {
				open[comms[j]] += shares[j];
				cnt[comms[j]]++;
				late[comms[j]] += ov_late(n, from);
			}
		}
		/* What is used of a year's cap: confirmed on needs of that
		 * year, whatever the fair's date (daemon/domain/caps.h). */
		for (i = 0; i < ov->nmatches; i++) {
			if (ov->matches[i].year != years[y])
				continue;
			nc = ov_shares(&ov->needs[ov->matches[i].need],
			    ov->matches[i].amount, comms, shares);
			for (j = 0; j < nc; j++)
				used[comms[j]] += shares[j];
		}
		for (c = 0; c < ov->ncomm; c++) {
			if (fl->street >= 0 && ov->comm[c].street != fl->street)
				continue;
			left = ov->comm[c].cap - used[c];
			if (cnt[c] == 0 || !ov_ge(open[c], share_ppm, left) ||
			    !ov_gt(late[c], late_ppm, cnt[c]))
				continue;
			if ((it = ov_flag(fl, "padding")) == NULL)
				goto oom;
			ov_key(it, "padding:%s:%d", intern_str(ov->comms,
			    (int)c), years[y]);
			cJSON_AddStringToObject(it, "community",
			    intern_str(ov->comms, (int)c));
			cJSON_AddStringToObject(it, "street",
			    intern_str(ov->streets, ov->comm[c].street));
			ids = cJSON_AddArrayToObject(it, "needs");
			for (i = 0; i < ov->nneeds && ids != NULL; i++) {
				const struct ov_need *n = &ov->needs[i];

				if (n->comm < 0 || n->status != 'o' ||
				    n->year != years[y])
					continue;
				for (j = -1; j < n->np; j++)
					if ((j < 0 ? n->comm :
					    n->partners[j]) == (int)c) {
						cJSON_AddItemToArray(ids,
						    cJSON_CreateNumber(
						    (double)n->id));
						break;
					}
			}
			d = cJSON_AddObjectToObject(it, "detail");
			cJSON_AddNumberToObject(d, "year", years[y]);
			cJSON_AddNumberToObject(d, "cap",
			    ov_yuan(ov->comm[c].cap));
			cJSON_AddNumberToObject(d, "confirmed",
			    ov_yuan(used[c]));
			cJSON_AddNumberToObject(d, "cap_left", ov_yuan(left));
			cJSON_AddNumberToObject(d, "open_needs",
			    (double)cnt[c]);
			cJSON_AddNumberToObject(d, "open_amount",
			    ov_yuan(open[c]));
			if (left > 0)
				cJSON_AddNumberToObject(d, "share",
				    ov_ratio(open[c], left));
			else
				cJSON_AddNullToObject(d, "share");
			cJSON_AddNumberToObject(d, "late_needs",
			    (double)late[c]);
			cJSON_AddNumberToObject(d, "late_share",
			    ov_ratio(late[c], cnt[c]));
			cJSON_AddStringToObject(d, "late_from", from);
			cJSON_AddNumberToObject(d, "padding_share",
			    conf->risk_padding_share);
			cJSON_AddNumberToObject(d, "padding_late_share",
			    conf->risk_padding_late_share);
		}
	}
	free(open);
	free(cnt);
	free(late);
	free(used);
	return 0;
oom:
	free(open);
	free(cnt);
	free(late);
	free(used);
	return -1;
}

static int
ov_cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static int
ov_inflated(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*prices, median2;
	int64_t			 factor_ppm = ov_ppm(conf->risk_inflated_factor);
	size_t			 i, j, n;
	cJSON			*it, *d;

	if ((prices = calloc(ov->noffers + 1, sizeof(*prices))) == NULL)
		return -1;
	for (i = 0; i < ov->noffers; i++) {
		const struct ov_offer *o = &ov->offers[i];

		if (o->status == 'w' || (fl->street_name != NULL &&
		    !ov_serves(o->streets, fl->street_name)))
			continue;
		/* The median of the offers of its sub-category, not
		 * withdrawn, the district over, itself included. */
		for (j = 0, n = 0; j < ov->noffers; j++)
			if (ov->offers[j].status != 'w' && strcmp(
			    ov->offers[j].category, o->category) == 0)
				prices[n++] = ov->offers[j].price;
		qsort(prices, n, sizeof(*prices), ov_cmp_i64);
		median2 = n % 2 ? 2 * prices[n / 2] :
		    prices[n / 2 - 1] + prices[n / 2];
		if (!ov_gt(2 * o->price, factor_ppm, median2))
			continue;
		if ((it = ov_flag(fl, "inflated_price")) == NULL) {
			free(prices);
			return -1;
		}
		ov_key(it, "inflated_price:%lld", (long long)o->id);
		cJSON_AddNumberToObject(it, "offer", (double)o->id);
		cJSON_AddStringToObject(it, "org", o->org >= 0 ?
		    intern_str(ov->orgs, o->org) : "");
		d = cJSON_AddObjectToObject(it, "detail");
		cJSON_AddStringToObject(d, "category", o->category);
		cJSON_AddNumberToObject(d, "price", ov_yuan(o->price));
		cJSON_AddNumberToObject(d, "median", (double)median2 / 200.0);
		cJSON_AddNumberToObject(d, "ratio", ov_ratio(2 * o->price,
		    median2));
		cJSON_AddNumberToObject(d, "offers", (double)n);
		cJSON_AddNumberToObject(d, "inflated_factor",
		    conf->risk_inflated_factor);
	}
	free(prices);
	return 0;
}

static int
ov_concentration(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	struct ov_orgsum	*sums;
	int64_t			 total;
	int64_t			 ppm = ov_ppm(conf->risk_concentration_share);
	int			 years[OV_MAX_YEARS], ny, y, s, ns;
	size_t			 i;
	cJSON			*it, *d;

	if ((sums = calloc(ov->norg + 1, sizeof(*sums))) == NULL)
		return -1;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	ns = (int)intern_count(ov->streets);
	for (y = 0; y < ny; y++)
		for (s = 0; s < ns; s++) {
			if (fl->street >= 0 && s != fl->street)
				continue;
			total = ov_org_sums(ov, years[y], s, sums);
			for (i = 0; i < ov->norg; i++) {
				if (sums[i].matches == 0 ||
				    !ov_gt(sums[i].amount, ppm, total))
					continue;
				if ((it = ov_flag(fl, "concentration")) ==
				    NULL) {
					free(sums);
					return -1;
				}
				ov_key(it, "concentration:%s:%s:%d",
				    intern_str(ov->orgs, (int)i),
				    intern_str(ov->streets, s), years[y]);
				cJSON_AddStringToObject(it, "org",
				    intern_str(ov->orgs, (int)i));
				cJSON_AddStringToObject(it, "street",
				    intern_str(ov->streets, s));
				d = cJSON_AddObjectToObject(it, "detail");
				cJSON_AddNumberToObject(d, "year", years[y]);
				cJSON_AddNumberToObject(d, "org_amount",
				    ov_yuan(sums[i].amount));
				cJSON_AddNumberToObject(d, "street_amount",
				    ov_yuan(total));
				cJSON_AddNumberToObject(d, "share",
				    ov_ratio(sums[i].amount, total));
				cJSON_AddNumberToObject(d, "matches",
				    (double)sums[i].matches);
				cJSON_AddNumberToObject(d,
				    "concentration_share",
				    conf->risk_concentration_share);
			}
		}
	free(sums);
	return 0;
}

struct ov_dup {
	int			 need;		/* index in ov.needs */
	struct text_tokens	 tok;		/* of its title */
};

static const struct ov *ov_sort_ov;

/* Needs by community, year, id. */
static int
ov_dup_cmp(const void *x, const void *y)
{
	const struct ov_need *a = &ov_sort_ov->needs[
	    ((const struct ov_dup *)x)->need];
	const struct ov_need *b = &ov_sort_ov->needs[
	    ((const struct ov_dup *)y)->need];

	if (a->comm != b->comm)
		return a->comm - b->comm;
	if (a->year != b->year)
		return a->year - b->year;
	return (a->id > b->id) - (a->id < b->id);
}

static int
ov_duplicates(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	struct ov_dup		*v;
	int64_t			 ppm = ov_ppm(conf->risk_duplicate_similarity);
	int64_t			 common, sum;
	int			 n = 0, i, j, rc = -1;
	cJSON			*it, *d;

	if ((v = calloc(ov->nneeds + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < (int)ov->nneeds; i++) {
		const struct ov_need *nd = &ov->needs[i];

		if (nd->comm < 0 || nd->status == 'w' ||
		    (fl->year && nd->year != fl->year) ||
		    (fl->street >= 0 && ov->comm[nd->comm].street !=
		    fl->street))
			continue;
		if (text_tokenize(nd->title, strlen(nd->title),
		    &v[n].tok) == -1)
			goto out;
		v[n++].need = i;
	}
	ov_sort_ov = ov;
	qsort(v, (size_t)n, sizeof(*v), ov_dup_cmp);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const struct ov_need *a = &ov->needs[v[i].need];
			const struct ov_need *b = &ov->needs[v[j].need];

			if (a->comm != b->comm || a->year != b->year)
				break;
			common = (int64_t)text_common(&v[i].tok, &v[j].tok);
			sum = (int64_t)(v[i].tok.n + v[j].tok.n);
			if (sum == 0 || !ov_ge(2 * common, ppm, sum))
				continue;
			if ((it = ov_flag(fl, "duplicate_need")) == NULL)
				goto out;
			ov_key(it, "duplicate_need:%lld:%lld",
			    (long long)b->id, (long long)a->id);
			cJSON_AddNumberToObject(it, "need", (double)b->id);
			cJSON_AddNumberToObject(it, "duplicate_of",
			    (double)a->id);
			cJSON_AddStringToObject(it, "community",
			    intern_str(ov->comms, b->comm));
			d = cJSON_AddObjectToObject(it, "detail");
			cJSON_AddNumberToObject(d, "year", b->year);
			cJSON_AddStringToObject(d, "title", b->title);
			cJSON_AddStringToObject(d, "duplicate_of_title",
			    a->title);
			cJSON_AddNumberToObject(d, "similarity",
			    ov_ratio(2 * common, sum));
			cJSON_AddNumberToObject(d, "duplicate_similarity",
			    conf->risk_duplicate_similarity);
		}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		text_tokens_free(&v[i].tok);
	free(v);
	return rc;
}

/* Drop the flags resolution does not keep: the resolved ones (resolved
 * 0), or the open ones (resolved 1, the others get their resolution). */
static int
ov_keep(struct ov_flags *fl, int resolved, struct error *err)
{
	cJSON		*res, *r, *it, *next;
	const cJSON	*hit;
	const char	*key;

	if (store_risk_resolutions(fl->ctx->store, &res, err) == -1)
		return -1;
	for (it = fl->items->child; it != NULL; it = next) {
		next = it->next;
		key = ops_str(it, "key");
		hit = NULL;
		cJSON_ArrayForEach(r, res)
			if (key != NULL && strcmp(ops_str(r, "key"), key) == 0)
				hit = r;
		if ((hit != NULL) != resolved)
			cJSON_Delete(cJSON_DetachItemViaPointer(fl->items, it));
		else if (hit != NULL)
			ops_add(it, "resolution", cJSON_Duplicate(hit, 1));
	}
	cJSON_Delete(res);
	return 0;
}

int
ov_flags_all(struct ov_flags *fl, int resolved, struct error *err)
{
	if (ov_padding(fl) == -1 || ov_inflated(fl) == -1 ||
	    ov_concentration(fl) == -1 || ov_duplicates(fl) == -1 ||
	    ov_split(fl) == -1 || ov_stalled(fl) == -1 ||
	    ov_settled_over(fl) == -1 || ov_failed_acceptance(fl) == -1)
		return ops_oom(err);
	return ov_keep(fl, resolved, err);
}

int
op_risk_flags(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov	 ov;
	struct ov_flags	 fl;
	cJSON		*res;

	memset(&fl, 0, sizeof(fl));
	if (ov_scope(ctx, args, &fl.street_name, err) == -1 ||
	    ov_load(ctx, &ov, (int)args_int(args, "year", 0), err) == -1)
		return -1;
	fl.ctx = ctx;
	fl.ov = &ov;
	fl.street = -1;
	fl.year = (int)args_int(args, "year", 0);
	if (fl.street_name != NULL &&
	    (fl.street = intern_find(ov.streets, fl.street_name)) < 0)
		fl.street = (int)intern_count(ov.streets);	/* none there */
	if ((res = cJSON_CreateObject()) == NULL ||
	    (fl.items = cJSON_AddArrayToObject(res, "items")) == NULL) {
		cJSON_Delete(res);
		ov_free(&ov);
		return ops_oom(err);
	}
	if (ov_flags_all(&fl, args_bool(args, "resolved", 0), err) == -1) {
		cJSON_Delete(res);
		ov_free(&ov);
		return -1;
	}
	ov_free(&ov);
	*result = res;
	return 0;
}
