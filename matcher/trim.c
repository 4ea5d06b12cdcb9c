/*
 * trim.c: the meetings a schedule leaves out, by the rules of trim.h.
 */
#include <stdlib.h>

#include "matcher/trim.h"

#define TRIM_KINDS	3	/* other, must, matched */

/* A meeting in the order meetings are left out. */
struct trim_ord {
	int	kind;
	int32_t	score;
	size_t	idx;
};

static int	 trim_ord_cmp(const void *, const void *);
static int	 trim_kind(const struct schedule_meeting *);

/* Kind first, then lower score, then the later meeting first. */
static int
trim_ord_cmp(const void *pa, const void *pb)
{
	const struct trim_ord *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return (a->idx < b->idx) - (a->idx > b->idx);
}

/* 0: other non-matched, 1: must, 2: matched (left out last). */
static int
trim_kind(const struct schedule_meeting *m)
{
	return m->matched ? 2 : m->must ? 1 : 0;
}

int
trim_meetings(const struct schedule_meeting *m, size_t n, int tables,
    int slots, const struct schedule_options *opt, unsigned char *active,
    size_t *rem, size_t *nrem)
{
	struct trim_ord *ord;
	size_t i, k, e = n, maxc = 0, maxo = 0, need;
	int *degc, *dego, rc = -1, limc = slots, limo = slots;

	*nrem = 0;
	if (opt != NULL && opt->max_per_community > 0 &&
	    opt->max_per_community < limc)
		limc = opt->max_per_community;
	if (opt != NULL && opt->max_per_org > 0 && opt->max_per_org < limo)
		limo = opt->max_per_org;
	for (i = 0; i < n; i++) {
		active[i] = 1;
		if ((size_t)m[i].community + 1 > maxc)
			maxc = (size_t)m[i].community + 1;
		if ((size_t)m[i].org + 1 > maxo)
			maxo = (size_t)m[i].org + 1;
	}
	degc = calloc(maxc + 1, sizeof(*degc));
	dego = calloc(maxo + 1, sizeof(*dego));
	ord = malloc((n + 1) * sizeof(*ord));
	if (degc == NULL || dego == NULL || ord == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		degc[m[i].community]++;
		dego[m[i].org]++;
		ord[i].kind = trim_kind(&m[i]);
		ord[i].score = m[i].score;
		ord[i].idx = i;
	}
	qsort(ord, n, sizeof(*ord), trim_ord_cmp);
	/*
	 * While a party is over its limit.  A meeting passed over (both
	 * parties within their limits) stays so, as degrees only fall: one
	 * pass in the order suffices.
	 */
	for (k = 0; k < n; k++) {
		i = ord[k].idx;
		if (degc[m[i].community] > limc || dego[m[i].org] > limo) {
			active[i] = 0;
			degc[m[i].community]--;
			dego[m[i].org]--;
			rem[(*nrem)++] = i;
			e--;
		}
	}
	/* While ceil(E / tables) > slots; booths bound no slot. */
	need = (size_t)slots * (size_t)tables;
	for (k = 0; k < n && e > need && (opt == NULL || !opt->booths); k++) {
		i = ord[k].idx;
		if (!active[i])
			continue;
		active[i] = 0;
		rem[(*nrem)++] = i;
		e--;
	}
	rc = 0;
 out:
	free(degc);
	free(dego);
	free(ord);
	return rc;
}
