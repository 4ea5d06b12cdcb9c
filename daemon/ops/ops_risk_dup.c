/*
 * ops_risk_dup.c: the duplicate_need flags of risk.flags, in n log n time
 * and linear memory (docs/oversight.md, "duplicate_need").
 *
 * Needs of one community and year, neither withdrawn, are duplicates when
 * the Dice similarity of their titles' token sets reaches the threshold t.
 * They are reported as clusters, one flag each: a need joins the cluster
 * of the earliest earlier need that leads one (its first need) and whose
 * title it nearly matches; a need that matches no leader leads a cluster
 * of its own.  A community posting one title a thousand times makes one
 * flag of size 1000, not half a million pairs.
 *
 * A flag's key is duplicate_need:<need>:<duplicate_of>, its second need
 * then its first: the key a pair had when each pair was a flag, so a
 * resolved pair stays resolved while its cluster holds just those two.
 *
 * Never all pairs: a need is compared only with the leaders that share one
 * of the rarest tokens of its title (prefix filtering, as in the
 * set-similarity joins AllPairs and PPJoin).  Dice(A, B) >= t needs
 * |A ∩ B| >= ceil(t |A| / (2 - t)) = alpha(A), whatever B; order every set
 * rarest token first (one order for the group): then two sets that overlap
 * that much share a token among the first |A| - alpha(A) + 1 of A and the
 * first |B| - alpha(B) + 1 of B.  Each leader is indexed by its prefix,
 * and each need looks up only its own.  Comparisons per need are bounded
 * (OV_DUP_PROBES): only when thousands of leaders share a rare token of a
 * need, and each is a near miss, may a duplicate be missed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/ops/oversight.h"
#include "matcher/text.h"

/* The most leaders a need is compared with. */
#define OV_DUP_PROBES	512

/* A token-keyed table (open addressing): a count, or a postings head. */
struct dup_tab {
	uint64_t	*key;
	int		*val;
	size_t		 size;		/* a power of two */
};

struct dup_group {
	int			 n;		/* needs in the group */
	const int		*need;		/* their indexes in ov.needs */
	struct text_tokens	*tok;		/* titles, sorted hashes */
	int			 borrowed;	/* tok[].h are the cache's */
	uint64_t		*ord;		/* all tokens, rarest first */
	int			*off;		/* need i's in ord[off[i] ..] */
	struct dup_tab		 freq;		/* token -> needs holding it */
	struct dup_tab		 post;		/* token -> newest entry */
	int			*ent_leader, *ent_next;	/* postings */
	int			 nent;
	int			*stamp;		/* last need that probed it */
	int			*leader;	/* cluster of each need */
	int			*size, *next, *tail;	/* members, in order */
	int64_t			*common, *sum;	/* with its leader */
};

static size_t
dup_hash(uint64_t k, size_t size)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 17) & (size - 1);
}

static int
dup_tab_init(struct dup_tab *t, size_t want)
{
	t->size = 16;
	while (t->size < 2 * want)
		t->size *= 2;
	t->key = calloc(t->size, sizeof(*t->key));
	t->val = malloc(t->size * sizeof(*t->val));
	if (t->key == NULL || t->val == NULL)
		return -1;
	memset(t->val, 0xff, t->size * sizeof(*t->val));	/* -1 */
	return 0;
}

static void
dup_tab_free(struct dup_tab *t)
{
	free(t->key);
	free(t->val);
}

/* The slot of key k (hashes are never 0 in practice; 0 is remapped). */
static int *
dup_tab_slot(struct dup_tab *t, uint64_t k)
{
	size_t h;

	k = k ? k : 1;
	for (h = dup_hash(k, t->size); t->key[h] != 0 && t->key[h] != k;
	    h = (h + 1) & (t->size - 1))
		;
	t->key[h] = k;
	return &t->val[h];
}

/* Tokens by (how many needs of the group hold them, hash). */
static int
dup_ord_cmp(const void *x, const void *y, void *arg)
{
	struct dup_tab	*f = arg;
	uint64_t	 a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	int		 fa = *dup_tab_slot(f, a), fb = *dup_tab_slot(f, b);

	if (fa != fb)
		return fa < fb ? -1 : 1;
	return (a > b) - (a < b);
}

/* a >= t * b, t in parts per million: token counts are small enough for
 * int64 (ov_ge's long double is for money). */
static int
dup_ge(int64_t a, int64_t tppm, int64_t b)
{
	return a * OV_PPM >= tppm * b;
}

/* alpha(n): the least overlap a set of n tokens needs with any set that
 * reaches the threshold (t in parts per million). */
static int
dup_alpha(int n, int64_t tppm)
{
	int64_t d = 2 * OV_PPM - tppm;

	return d <= 0 ? n : (int)((tppm * n + d - 1) / d);
}

static void
dup_group_free(struct dup_group *g)
{
	int i;

	for (i = 0; g->tok != NULL && !g->borrowed && i < g->n; i++)
		text_tokens_free(&g->tok[i]);
	free(g->tok);
	free(g->ord);
	free(g->off);
	dup_tab_free(&g->freq);
	dup_tab_free(&g->post);
	free(g->ent_leader);
	free(g->ent_next);
	free(g->stamp);
	free(g->leader);
	free(g->size);
	free(g->next);
	free(g->tail);
	free(g->common);
	free(g->sum);
	memset(g, 0, sizeof(*g));
}

/* Tokenize the group's titles and order each set rarest first. */
static int
dup_group_tokens(struct dup_group *g, const struct ov *ov)
{
	size_t	total = 0, k;
	int	i, *c;

	if ((g->tok = calloc((size_t)g->n, sizeof(*g->tok))) == NULL ||
	    (g->off = calloc((size_t)g->n + 1, sizeof(*g->off))) == NULL)
		return -1;
	for (i = 0; i < g->n; i++) {
		const struct ov_need *nd = &ov->needs[g->need[i]];

		/* The cache's tokens when it has them: no malloc a title. */
		if (nd->ntok >= 0) {
			g->tok[i].h = (uint64_t *)(uintptr_t)nd->tok;
			g->tok[i].n = (size_t)nd->ntok;
			g->borrowed = 1;
		} else if (text_tokenize(nd->title, strlen(nd->title),
		    &g->tok[i]) == -1)
			return -1;
		g->off[i] = (int)total;
		total += g->tok[i].n;
	}
	g->off[g->n] = (int)total;
	if ((g->ord = malloc((total + 1) * sizeof(*g->ord))) == NULL ||
	    dup_tab_init(&g->freq, total) == -1 ||
	    dup_tab_init(&g->post, total) == -1)
		return -1;
	for (i = 0; i < g->n; i++)
		for (k = 0; k < g->tok[i].n; k++) {
			c = dup_tab_slot(&g->freq, g->tok[i].h[k]);
			*c = *c < 0 ? 1 : *c + 1;
			g->ord[g->off[i] + (int)k] = g->tok[i].h[k];
		}
	for (i = 0; i < g->n; i++)
		qsort_r(g->ord + g->off[i], g->tok[i].n, sizeof(*g->ord),
		    dup_ord_cmp, &g->freq);
	return 0;
}

/* Index leader i under the first p tokens of its order. */
static int
dup_index(struct dup_group *g, int i, int p)
{
	int k, *head;

	for (k = 0; k < p; k++) {
		head = dup_tab_slot(&g->post, g->ord[g->off[i] + k]);
		g->ent_leader[g->nent] = i;
		g->ent_next[g->nent] = *head;
		*head = g->nent++;
	}
	return 0;
}

/* The leader need i joins (the earliest that it nearly matches), or -1. */
static int
dup_probe(struct dup_group *g, int i, int p, int64_t tppm)
{
	const struct text_tokens	*a = &g->tok[i], *b;
	int64_t				 common, sum;
	int				 k, e, l, best = -1, probes = 0;

	for (k = 0; k < p && probes < OV_DUP_PROBES; k++)
		for (e = *dup_tab_slot(&g->post, g->ord[g->off[i] + k]);
		    e >= 0 && probes < OV_DUP_PROBES; e = g->ent_next[e]) {
			l = g->ent_leader[e];
			if (g->stamp[l] == i || (best >= 0 && l > best))
				continue;
			g->stamp[l] = i;
			b = &g->tok[l];
			sum = (int64_t)(a->n + b->n);
			/* The length filter: even b within a is too little. */
			if (!dup_ge(2 * (int64_t)(a->n < b->n ? a->n : b->n),
			    tppm, sum))
				continue;
			probes++;
			common = (int64_t)text_common(a, b);
			if (dup_ge(2 * common, tppm, sum)) {
				best = l;
				g->common[i] = common;
				g->sum[i] = sum;
			}
		}
	return best;
}

/* Cluster the group's needs (in id order). */
static int
dup_cluster(struct dup_group *g, int64_t tppm)
{
	size_t	n = (size_t)g->n + 1, total = (size_t)g->off[g->n] + 1;
	int	i, p, l, first = -1;

	g->ent_leader = malloc(total * sizeof(int));
	g->ent_next = malloc(total * sizeof(int));
	g->stamp = malloc(n * sizeof(int));
	g->leader = malloc(n * sizeof(int));
	g->size = calloc(n, sizeof(int));
	g->next = malloc(n * sizeof(int));
	g->tail = malloc(n * sizeof(int));
	g->common = calloc(n, sizeof(int64_t));
	g->sum = calloc(n, sizeof(int64_t));
	if (g->ent_leader == NULL || g->ent_next == NULL || g->stamp == NULL ||
	    g->leader == NULL || g->size == NULL || g->next == NULL ||
	    g->tail == NULL || g->common == NULL || g->sum == NULL)
		return -1;
	memset(g->stamp, 0xff, n * sizeof(int));
	for (i = 0; i < g->n; i++) {
		g->leader[i] = -1;
		g->next[i] = -1;
		if (g->tok[i].n == 0)
			continue;	/* an empty title is like nothing */
		p = (int)g->tok[i].n - dup_alpha((int)g->tok[i].n, tppm) + 1;
		if (p < 1)
			p = 1;
		/* A threshold of 0: any two titles are duplicates. */
		l = tppm == 0 ? first : dup_probe(g, i, p, tppm);
		if (l < 0) {
			g->leader[i] = i;
			g->size[i] = 1;
			g->tail[i] = i;
			if (first < 0)
				first = i;
			dup_index(g, i, p);
			continue;
		}
		if (tppm == 0) {
			g->common[i] = 0;
			g->sum[i] = (int64_t)(g->tok[i].n + g->tok[l].n);
		}
		g->leader[i] = l;
		g->size[l]++;
		g->next[g->tail[l]] = i;
		g->tail[l] = i;
	}
	return 0;
}

/* One flag per cluster of two or more, in the order of their leaders. */
static int
dup_flags(struct ov_flags *fl, struct dup_group *g)
{
	const struct ov	*ov = fl->ov;
	const struct ov_need *lead, *dup;
	cJSON		*it, *d, *ids;
	int		 i, m, k;

	for (i = 0; i < g->n; i++) {
		if (g->leader[i] != i || g->size[i] < 2)
			continue;
		lead = &ov->needs[g->need[i]];
		m = g->next[i];
		dup = &ov->needs[g->need[m]];
		if ((it = ov_flag(fl, "duplicate_need")) == NULL)
			return -1;
		ov_key(it, "duplicate_need:%lld:%lld", (long long)dup->id,
		    (long long)lead->id);
		cJSON_AddNumberToObject(it, "need", (double)dup->id);
		cJSON_AddNumberToObject(it, "duplicate_of", (double)lead->id);
		cJSON_AddStringToObject(it, "community", intern_str(ov->comms,
		    lead->comm));
		ids = cJSON_AddArrayToObject(it, "needs");
		for (k = 0, m = i; m >= 0 && k < OV_FIRST_IDS && ids != NULL;
		    m = g->next[m], k++)
			cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)
			    ov->needs[g->need[m]].id));
		d = cJSON_AddObjectToObject(it, "detail");
		cJSON_AddNumberToObject(d, "year", lead->year);
		cJSON_AddStringToObject(d, "title", dup->title);
		cJSON_AddStringToObject(d, "duplicate_of_title", lead->title);
		cJSON_AddNumberToObject(d, "similarity", ov_ratio(2 *
		    g->common[g->next[i]], g->sum[g->next[i]]));
		cJSON_AddNumberToObject(d, "duplicate_similarity",
		    fl->ctx->conf->risk_duplicate_similarity);
		cJSON_AddNumberToObject(d, "size", g->size[i]);
	}
	return 0;
}

/*
 * Order idx (n needs, in id order) by community, then year, then id, in
 * linear time: a stable counting sort by year, then one by community.
 * Returns 0, or -1 out of memory.
 */
static int
dup_group_order(const struct ov *ov, int *idx, int n)
{
	int	*tmp, *cnt, lo = INT32_MAX, hi = INT32_MIN, k, i, rc = -1;
	size_t	 nb;

	for (i = 0; i < n; i++) {
		k = ov->needs[idx[i]].year;
		lo = k < lo ? k : lo;
		hi = k > hi ? k : hi;
	}
	if (n == 0)
		return 0;
	nb = (size_t)(hi - lo) + 1;
	if (nb < ov->ncomm + 1)
		nb = ov->ncomm + 1;
	if ((tmp = malloc((size_t)n * sizeof(*tmp))) == NULL ||
	    (cnt = calloc(nb + 1, sizeof(*cnt))) == NULL) {
		free(tmp);
		return -1;
	}
	/* By year (stable), into tmp. */
	for (i = 0; i < n; i++)
		cnt[ov->needs[idx[i]].year - lo + 1]++;
	for (k = 1; k <= (int)nb; k++)
		cnt[k] += cnt[k - 1];
	for (i = 0; i < n; i++)
		tmp[cnt[ov->needs[idx[i]].year - lo]++] = idx[i];
	/* By community (stable), back into idx. */
	memset(cnt, 0, (nb + 1) * sizeof(*cnt));
	for (i = 0; i < n; i++)
		cnt[ov->needs[tmp[i]].comm + 1]++;
	for (k = 1; k <= (int)nb; k++)
		cnt[k] += cnt[k - 1];
	for (i = 0; i < n; i++)
		idx[cnt[ov->needs[tmp[i]].comm]++] = tmp[i];
	rc = 0;
	free(tmp);
	free(cnt);
	return rc;
}

int
ov_duplicates(struct ov_flags *fl)
{
	struct ov		*ov = fl->ov;
	struct dup_group	 g;
	int64_t			 tppm = ov_ppm(fl->ctx->conf->risk_duplicate_similarity);
	int			*idx, n = 0, a, b, i, rc = -1;

	if ((idx = calloc(ov->nneeds + 1, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < (int)ov->nneeds; i++) {
		const struct ov_need *nd = &ov->needs[i];

		if (nd->comm < 0 || nd->status == 'w' || nd->title == NULL ||
		    (fl->year && nd->year != fl->year) ||
		    (fl->street >= 0 && ov->comm[nd->comm].street !=
		    fl->street))
			continue;
		idx[n++] = i;
	}
	memset(&g, 0, sizeof(g));
	if (dup_group_order(ov, idx, n) == -1)
		goto out;
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && ov->needs[idx[b]].comm ==
		    ov->needs[idx[a]].comm && ov->needs[idx[b]].year ==
		    ov->needs[idx[a]].year; b++)
			;
		if (b - a < 2)
			continue;
		g.n = b - a;
		g.need = idx + a;
		if (dup_group_tokens(&g, ov) == -1 ||
		    dup_cluster(&g, tppm) == -1 || dup_flags(fl, &g) == -1)
			goto out;
		dup_group_free(&g);
	}
	rc = 0;
out:
	dup_group_free(&g);
	free(idx);
	return rc;
}
