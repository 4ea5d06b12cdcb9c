/*
 * ops_risk.c: risk.flags: padding, inflated_price, concentration and
 * duplicate_need (docs/design.md, "Risk flags"), thresholds from [risk].
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/ops/oversight.h"
#include "matcher/matcher.h"
#include "matcher/text.h"

/* ---- risk.flags -------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
static long
ov_days(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

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
	ov_date(ov_days(year, 12, 31) - (days - 1), out);
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
		    atoi(fl->ov->matches[k - fl->ov->nneeds].date);
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

/* The padding flag of community c in year: its numbers, and the first of
 * its open needs of the year (ids, OV_FIRST_IDS at most). */
static int
ov_padding_flag(struct ov_flags *fl, int c, int year, const char *from,
    const int64_t *v, const int64_t *ids, int nids)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			 left = ov->comm[c].cap - v[3];
	cJSON			*it, *d, *a;
	int			 k;

	if ((it = ov_flag(fl, "padding")) == NULL)
		return -1;
	cJSON_AddStringToObject(it, "community", intern_str(ov->comms, c));
	cJSON_AddStringToObject(it, "street", intern_str(ov->streets,
	    ov->comm[c].street));
	a = cJSON_AddArrayToObject(it, "needs");
	for (k = 0; k < nids && a != NULL; k++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)ids[k]));
	d = cJSON_AddObjectToObject(it, "detail");
	cJSON_AddNumberToObject(d, "year", year);
	cJSON_AddNumberToObject(d, "cap", ov_yuan(ov->comm[c].cap));
	cJSON_AddNumberToObject(d, "confirmed", ov_yuan(v[3]));
	cJSON_AddNumberToObject(d, "cap_left", ov_yuan(left));
	cJSON_AddNumberToObject(d, "open_needs", (double)v[1]);
	cJSON_AddNumberToObject(d, "open_amount", ov_yuan(v[0]));
	if (left > 0)
		cJSON_AddNumberToObject(d, "share", ov_ratio(v[0], left));
	else
		cJSON_AddNullToObject(d, "share");
	cJSON_AddNumberToObject(d, "late_needs", (double)v[2]);
	cJSON_AddNumberToObject(d, "late_share", ov_ratio(v[2], v[1]));
	cJSON_AddStringToObject(d, "late_from", from);
	cJSON_AddNumberToObject(d, "padding_share", conf->risk_padding_share);
	cJSON_AddNumberToObject(d, "padding_late_share",
	    conf->risk_padding_late_share);
	return 0;
}

/*
 * padding: one pass over the needs and one over the matches per year,
 * each community's sums (open amount, open needs, late needs, confirmed)
 * in v[4 * c ..], and its first open needs' ids in ids[OV_FIRST_IDS * c ..].
 */
static int
ov_padding(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*v, *ids, *w;
	int64_t			 shares[1 + OV_MAX_PARTNERS];
	int64_t			 share_ppm = ov_ppm(conf->risk_padding_share);
	int64_t			 late_ppm = ov_ppm(conf->risk_padding_late_share);
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, ny, y, c;
	int			 years[OV_MAX_YEARS], *nids, rc = -1;
	char			 from[11];
	size_t			 i, nco = ov->ncomm + 1;

	v = calloc(nco * 4, sizeof(*v));
	ids = calloc(nco * OV_FIRST_IDS, sizeof(*ids));
	nids = calloc(nco, sizeof(*nids));
	if (v == NULL || ids == NULL || nids == NULL)
		goto out;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	for (y = 0; y < ny; y++) {
		memset(v, 0, nco * 4 * sizeof(*v));
		memset(nids, 0, nco * sizeof(*nids));
		ov_late_from(years[y], conf->risk_padding_days, from);
		for (i = 0; i < ov->nneeds; i++) {
			const struct ov_need *n = &ov->needs[i];

			if (n->comm < 0 || n->status != 'o' ||
			    n->year != years[y])
				continue;
			nc = ov_shares(ov, n, n->budget, comms, shares);
			for (j = 0; j < nc; j++) {
				w = &v[4 * comms[j]];
				w[0] += shares[j];
				w[1]++;
				w[2] += ov_late(n, from);
				c = comms[j];
				if (nids[c] < OV_FIRST_IDS && (nids[c] == 0 ||
				    ids[OV_FIRST_IDS * c + nids[c] - 1] !=
				    n->id))
					ids[OV_FIRST_IDS * c + nids[c]++] =
					    n->id;
			}
		}
		for (i = 0; i < ov->nmatches; i++) {
			if (atoi(ov->matches[i].date) != years[y])
				continue;
			nc = ov_shares(ov, &ov->needs[ov->matches[i].need],
			    ov->matches[i].amount, comms, shares);
			for (j = 0; j < nc; j++)
				v[4 * comms[j] + 3] += shares[j];
		}
		for (c = 0; c < (int)ov->ncomm; c++) {
			w = &v[4 * c];
			if ((fl->street >= 0 && ov->comm[c].street !=
			    fl->street) || w[1] == 0 ||
			    !ov_ge(w[0], share_ppm, ov->comm[c].cap - w[3]) ||
			    !ov_gt(w[2], late_ppm, w[1]))
				continue;
			if (ov_padding_flag(fl, c, years[y], from, w,
			    &ids[OV_FIRST_IDS * c], nids[c]) == -1)
				goto out;
		}
	}
	rc = 0;
out:
	free(v);
	free(ids);
	free(nids);
	return rc;
}

/* Offers (indexes) by sub-category, then price. */
static int
ov_offer_cmp(const void *x, const void *y, void *arg)
{
	const struct ov_offer *o = arg;
	const struct ov_offer *a = &o[*(const int *)x], *b = &o[*(const int *)y];
	int c = strcmp(a->category, b->category);

	if (c != 0)
		return c;
	return (a->price > b->price) - (a->price < b->price);
}

/*
 * inflated_price: each sub-category's median from one sort of the offers
 * that are not withdrawn (n log n), then each offer against its own.
 */
static int
ov_inflated(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*med2, factor_ppm = ov_ppm(conf->risk_inflated_factor);
	int			*idx, *cnt, n = 0, a, b, k, fs, rc = -1;
	size_t			 i;
	cJSON			*it, *d;

	idx = calloc(ov->noffers + 1, sizeof(*idx));
	cnt = calloc(ov->noffers + 1, sizeof(*cnt));
	med2 = calloc(ov->noffers + 1, sizeof(*med2));
	if (idx == NULL || cnt == NULL || med2 == NULL)
		goto out;
	fs = fl->street_name ? intern_find(ov->ostreets, fl->street_name) : -1;
	for (i = 0; i < ov->noffers; i++)
		if (ov->offers[i].status != 'w')
			idx[n++] = (int)i;
	qsort_r(idx, (size_t)n, sizeof(*idx), ov_offer_cmp, ov->offers);
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && strcmp(ov->offers[idx[b]].category,
		    ov->offers[idx[a]].category) == 0; b++)
			;
		/* The median of [a, b): twice it, to stay in integers. */
		k = b - a;
		for (i = (size_t)a; i < (size_t)b; i++) {
			med2[idx[i]] = k % 2 ? 2 * ov->offers[idx[a + k / 2]].price
			    : ov->offers[idx[a + k / 2 - 1]].price +
			    ov->offers[idx[a + k / 2]].price;
			cnt[idx[i]] = k;
		}
	}
	for (i = 0; i < ov->noffers; i++) {
		const struct ov_offer *o = &ov->offers[i];

		if (o->status == 'w' || (fl->street_name != NULL &&
		    !ov_serves(ov, o, fs)) ||
		    !ov_gt(2 * o->price, factor_ppm, med2[i]))
			continue;
		if ((it = ov_flag(fl, "inflated_price")) == NULL)
			goto out;
		cJSON_AddNumberToObject(it, "offer", (double)o->id);
		cJSON_AddStringToObject(it, "org", o->org >= 0 ?
		    intern_str(ov->orgs, o->org) : "");
		d = cJSON_AddObjectToObject(it, "detail");
		cJSON_AddStringToObject(d, "category", o->category);
		cJSON_AddNumberToObject(d, "price", ov_yuan(o->price));
		cJSON_AddNumberToObject(d, "median", (double)med2[i] / 200.0);
		cJSON_AddNumberToObject(d, "ratio", ov_ratio(2 * o->price,
		    med2[i]));
		cJSON_AddNumberToObject(d, "offers", (double)cnt[i]);
		cJSON_AddNumberToObject(d, "inflated_factor",
		    conf->risk_inflated_factor);
	}
	rc = 0;
out:
	free(idx);
	free(cnt);
	free(med2);
	return rc;
}

/* One street's share of one confirmed match, for concentration. */
struct ov_share {
	int	street, org, match;
	int64_t	amount;
};

static int
ov_share_cmp(const void *x, const void *y)
{
	const struct ov_share *a = x, *b = y;

	if (a->street != b->street)
		return a->street - b->street;
	if (a->org != b->org)
		return a->org - b->org;
	return a->match - b->match;
}

static int
ov_concentration_flag(struct ov_flags *fl, int street, int org, int year,
    int64_t amount, int64_t total, int64_t matches)
{
	cJSON *it, *d;

	if ((it = ov_flag(fl, "concentration")) == NULL)
		return -1;
	cJSON_AddStringToObject(it, "org", intern_str(fl->ov->orgs, org));
	cJSON_AddStringToObject(it, "street", intern_str(fl->ov->streets,
	    street));
	d = cJSON_AddObjectToObject(it, "detail");
	cJSON_AddNumberToObject(d, "year", year);
	cJSON_AddNumberToObject(d, "org_amount", ov_yuan(amount));
	cJSON_AddNumberToObject(d, "street_amount", ov_yuan(total));
	cJSON_AddNumberToObject(d, "share", ov_ratio(amount, total));
	cJSON_AddNumberToObject(d, "matches", (double)matches);
	cJSON_AddNumberToObject(d, "concentration_share",
	    fl->ctx->conf->risk_concentration_share);
	return 0;
}

/*
 * concentration: per year, every street's share of every confirmed match
 * as one entry, sorted by (street, org, match): each street's total and
 * each organisation's sum and matches are then runs of the array.
 */
static int
ov_concentration(struct ov_flags *fl)
{
	struct ov		*ov = fl->ov;
	struct ov_share		*e;
	int64_t			 shares[1 + OV_MAX_PARTNERS], total, amount, nm;
	int64_t			 ppm = ov_ppm(fl->ctx->conf->risk_concentration_share);
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, ny, y, last;
	int			 years[OV_MAX_YEARS], rc = -1;
	size_t			 i, n, a, b, c;

	for (i = 0, n = 1; i < ov->nmatches; i++)
		n += 1 + (size_t)ov->needs[ov->matches[i].need].np;
	if ((e = calloc(n, sizeof(*e))) == NULL)
		return -1;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	for (y = 0; y < ny; y++) {
		for (i = 0, n = 0; i < ov->nmatches; i++) {
			const struct ov_match *m = &ov->matches[i];

			if (atoi(m->date) != years[y] || m->org < 0)
				continue;
			nc = ov_shares(ov, &ov->needs[m->need], m->amount,
			    comms, shares);
			for (j = 0; j < nc; j++) {
				e[n].street = ov->comm[comms[j]].street;
				if (fl->street >= 0 && e[n].street != fl->street)
					continue;
				e[n].org = m->org;
				e[n].match = (int)i;
				e[n++].amount = shares[j];
			}
		}
		qsort(e, n, sizeof(*e), ov_share_cmp);
		for (a = 0; a < n; a = b) {
			for (b = a, total = 0; b < n && e[b].street ==
			    e[a].street; b++)
				total += e[b].amount;
			for (c = a; c < b; ) {
				amount = 0;
				nm = 0;
				last = -1;
				for (i = c; i < b && e[i].org == e[c].org; i++) {
					amount += e[i].amount;
					nm += e[i].match != last;
					last = e[i].match;
				}
				if (ov_gt(amount, ppm, total) &&
				    ov_concentration_flag(fl, e[c].street,
				    e[c].org, years[y], amount, total, nm) == -1)
					goto out;
				c = i;
			}
		}
	}
	rc = 0;
out:
	free(e);
	return rc;
}

int
op_risk_flags(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	struct ov	 ov;
	struct ov_flags	 fl;
	cJSON		*res;

	memset(&fl, 0, sizeof(fl));
	fl.year = (int)args_int(args, "year", 0);
	if (ov_scope(ctx, args, &fl.street_name, err) == -1 ||
	    ov_load(ctx, &ov, fl.year, OV_TITLES, err) == -1)
		return -1;
	fl.ctx = ctx;
	fl.ov = &ov;
	fl.street = -1;
	if (fl.street_name != NULL &&
	    (fl.street = intern_find(ov.streets, fl.street_name)) < 0)
		fl.street = (int)intern_count(ov.streets);	/* none there */
	if ((res = cJSON_CreateObject()) == NULL ||
	    (fl.items = cJSON_AddArrayToObject(res, "items")) == NULL ||
	    ov_padding(&fl) == -1 || ov_inflated(&fl) == -1 ||
	    ov_concentration(&fl) == -1 || ov_duplicates(&fl) == -1) {
		cJSON_Delete(res);
		ov_free(&ov);
		return ops_oom(err);
	}
	ov_free(&ov);
	*result = res;
	return 0;
}
