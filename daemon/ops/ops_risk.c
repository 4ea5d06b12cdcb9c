/*
 * ops_risk.c: risk.flags: padding, inflated_price and concentration
 * (docs/design.md, "Risk flags"), thresholds from [risk], each in n log n
 * time at most; duplicate_need is in ops_risk_dup.c, the flags of the
 * project lifecycle in ops_risk_projects.c.  Every
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

/* The padding flag of community c in year: its numbers, v as ov_padding
 * sums them; its needs are filled in by ov_padding_needs.  NULL when out
 * of memory, else the flag's (empty) array of needs. */
static cJSON *
ov_padding_flag(struct ov_flags *fl, int c, int year, const char *from,
    const int64_t *v)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			 left = ov->comm[c].cap - v[3];
	cJSON			*it, *d, *ids;

	if ((it = ov_flag(fl, "padding")) == NULL)
		return NULL;
	ov_key(it, "padding:%s:%d", intern_str(ov->comms, c), year);
	cJSON_AddStringToObject(it, "community", intern_str(ov->comms, c));
	cJSON_AddStringToObject(it, "street", intern_str(ov->streets,
	    ov->comm[c].street));
	ids = cJSON_AddArrayToObject(it, "needs");
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
	return ids;
}

/* The open needs of year into the arrays of the flagged communities
 * (ids[c], NULL when c is not flagged), in id order, each once, the first
 * OV_FIRST_IDS of each (detail.open_needs counts them all): one pass
 * over the needs whatever the number of flags.  0, or -1. */
static int
ov_padding_needs(const struct ov *ov, int year, cJSON **ids, size_t *last)
{
	cJSON	*num;
	size_t	 i;
	int	 k, c;

	for (i = 0; i < ov->nneeds; i++) {
		const struct ov_need *n = &ov->needs[i];

		if (n->comm < 0 || n->status != 'o' || n->year != year)
			continue;
		for (k = 0; k <= n->np; k++) {
			c = ov_need_comm(ov, n, k);
			if (ids[c] == NULL || last[c] == i + 1 ||
			    cJSON_GetArraySize(ids[c]) >= OV_FIRST_IDS)
				continue;
			last[c] = i + 1;
			if ((num = cJSON_CreateNumber((double)n->id)) == NULL)
				return -1;
			cJSON_AddItemToArray(ids[c], num);
		}
	}
	return 0;
}

/*
 * padding: per year, one pass over the needs and one over the matches:
 * each community's sums (open amount, open needs, late needs, confirmed)
 * in v[4 * c ..]; then the flags, then their needs (ov_padding_needs).
 */
static int
ov_padding(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*v, *w, shares[1 + OV_MAX_PARTNERS];
	int64_t			 share_ppm = ov_ppm(conf->risk_padding_share);
	int64_t			 late_ppm = ov_ppm(conf->risk_padding_late_share);
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, ny, y, c;
	int			 years[OV_MAX_YEARS], flagged, rc = -1;
	char			 from[11];
	size_t			 i, nco = ov->ncomm + 1, *last;
	cJSON			**ids;

	v = calloc(nco * 4, sizeof(*v));
	ids = calloc(nco, sizeof(*ids));
	last = calloc(nco, sizeof(*last));
	if (v == NULL || ids == NULL || last == NULL)
		goto out;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	for (y = 0; y < ny; y++) {
		memset(v, 0, nco * 4 * sizeof(*v));
		memset(ids, 0, nco * sizeof(*ids));
		memset(last, 0, nco * sizeof(*last));
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
			}
		}
		/* What is used of a year's cap: confirmed on needs of that
		 * year, whatever the fair's date (daemon/domain/caps.h). */
		for (i = 0; i < ov->nmatches; i++) {
			if (ov->matches[i].year != years[y])
				continue;
			nc = ov_shares(ov, &ov->needs[ov->matches[i].need],
			    ov->matches[i].amount, comms, shares);
			for (j = 0; j < nc; j++)
				v[4 * comms[j] + 3] += shares[j];
		}
		for (c = 0, flagged = 0; c < (int)ov->ncomm; c++) {
			w = &v[4 * c];
			if ((fl->street >= 0 && ov->comm[c].street !=
			    fl->street) || w[1] == 0 ||
			    !ov_ge(w[0], share_ppm, ov->comm[c].cap - w[3]) ||
			    !ov_gt(w[2], late_ppm, w[1]))
				continue;
			if ((ids[c] = ov_padding_flag(fl, c, years[y], from,
			    w)) == NULL)
				goto out;
			flagged = 1;
		}
		if (flagged && ov_padding_needs(ov, years[y], ids, last) == -1)
			goto out;
	}
	rc = 0;
out:
	free(v);
	free(ids);
	free(last);
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

/* Each offer's sub-category median (twice it, to stay in integers) into
 * med2 and the offers it is of into cnt, from one sort of the offers that
 * are not withdrawn (n log n).  0, or -1. */
static int
ov_medians(const struct ov *ov, int64_t *med2, int *cnt)
{
	int	*idx, n = 0, a, b, k, i;
	size_t	 j;

	if ((idx = calloc(ov->noffers + 1, sizeof(*idx))) == NULL)
		return -1;
	for (j = 0; j < ov->noffers; j++)
		if (ov->offers[j].status != 'w')
			idx[n++] = (int)j;
	qsort_r(idx, (size_t)n, sizeof(*idx), ov_offer_cmp, ov->offers);
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && strcmp(ov->offers[idx[b]].category,
		    ov->offers[idx[a]].category) == 0; b++)
			;
		k = b - a;
		for (i = a; i < b; i++) {
			med2[idx[i]] = k % 2 ?
			    2 * ov->offers[idx[a + k / 2]].price :
			    ov->offers[idx[a + k / 2 - 1]].price +
			    ov->offers[idx[a + k / 2]].price;
			cnt[idx[i]] = k;
		}
	}
	free(idx);
	return 0;
}

/* inflated_price: each offer against the median of its sub-category, not
 * withdrawn, the district over, itself included. */
static int
ov_inflated(struct ov_flags *fl)
{
	const struct config	*conf = fl->ctx->conf;
	struct ov		*ov = fl->ov;
	int64_t			*med2, factor_ppm = ov_ppm(conf->risk_inflated_factor);
	int			*cnt, fs, rc = -1;
	size_t			 i;
	cJSON			*it, *d;

	cnt = calloc(ov->noffers + 1, sizeof(*cnt));
	med2 = calloc(ov->noffers + 1, sizeof(*med2));
	if (cnt == NULL || med2 == NULL || ov_medians(ov, med2, cnt) == -1)
		goto out;
	fs = fl->street_name ? intern_find(ov->ostreets, fl->street_name) : -1;
	for (i = 0; i < ov->noffers; i++) {
		const struct ov_offer *o = &ov->offers[i];

		if (o->status == 'w' || (fl->street_name != NULL &&
		    !ov_serves(ov, o, fs)) ||
		    !ov_gt(2 * o->price, factor_ppm, med2[i]))
			continue;
		if ((it = ov_flag(fl, "inflated_price")) == NULL)
			goto out;
		ov_key(it, "inflated_price:%lld", (long long)o->id);
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
	struct ov	*ov = fl->ov;
	cJSON		*it, *d;

	if ((it = ov_flag(fl, "concentration")) == NULL)
		return -1;
	ov_key(it, "concentration:%s:%s:%d", intern_str(ov->orgs, org),
	    intern_str(ov->streets, street), year);
	cJSON_AddStringToObject(it, "org", intern_str(ov->orgs, org));
	cJSON_AddStringToObject(it, "street", intern_str(ov->streets, street));
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

/* The flags of one year from its shares e[0 .. n), sorted: each street's
 * total and each organisation's sum and matches are runs of e. */
static int
ov_concentration_year(struct ov_flags *fl, int year, struct ov_share *e,
    size_t n)
{
	int64_t	ppm = ov_ppm(fl->ctx->conf->risk_concentration_share);
	int64_t	total, amount, nm;
	size_t	a, b, c, i;
	int	last;

	qsort(e, n, sizeof(*e), ov_share_cmp);
	for (a = 0; a < n; a = b) {
		for (b = a, total = 0; b < n && e[b].street == e[a].street; b++)
			total += e[b].amount;
		for (c = a; c < b; c = i) {
			amount = nm = 0;
			last = -1;
			for (i = c; i < b && e[i].org == e[c].org; i++) {
				amount += e[i].amount;
				nm += e[i].match != last;
				last = e[i].match;
			}
			if (ov_gt(amount, ppm, total) &&
			    ov_concentration_flag(fl, e[c].street, e[c].org,
			    year, amount, total, nm) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * concentration: per year, every street's share of every confirmed match
 * as one entry (ov_org_sums' figures for every street at once), sorted by
 * (street, org, match): n log n in the matches, not streets times matches.
 */
static int
ov_concentration(struct ov_flags *fl)
{
	struct ov		*ov = fl->ov;
	struct ov_share		*e;
	int64_t			 shares[1 + OV_MAX_PARTNERS];
	int			 comms[1 + OV_MAX_PARTNERS], nc, j, ny, y;
	int			 years[OV_MAX_YEARS], rc = -1;
	size_t			 i, n;

	for (i = 0, n = 1; i < ov->nmatches; i++)
		n += 1 + (size_t)ov->needs[ov->matches[i].need].np;
	if ((e = calloc(n, sizeof(*e))) == NULL)
		return -1;
	ny = ov_years(fl, years, OV_MAX_YEARS);
	for (y = 0; y < ny; y++) {
		for (i = 0, n = 0; i < ov->nmatches; i++) {
			const struct ov_match *m = &ov->matches[i];

			if (m->year != years[y] || m->org < 0)
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
		if (ov_concentration_year(fl, years[y], e, n) == -1)
			goto out;
	}
	rc = 0;
out:
	free(e);
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
	    ov_load(ctx, &ov, (int)args_int(args, "year", 0), OV_TITLES,
	    err) == -1)
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
