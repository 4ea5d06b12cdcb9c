/*
 * suggest_index.c: open offers in memory for match.suggest.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon/base/intern.h"
#include "daemon/domain/suggest_index.h"
#include "matcher/matcher.h"
#include "matcher/text.h"
#include "protocol/json_strings.h"

/*
 * Above this many touched offers a full rebuild is cheaper.  Each touched
 * offer costs one row read at the next suggestion, a rebuild every open
 * offer (0.6 s at 100,000): only a burst of offer writes larger than this
 * between two suggestions rebuilds.
 */
#define SINDEX_REBUILD_AT	65536
/*
 * From this many touched offers the index is read again whole on a reader
 * thread (suggest_index_stale), and a suggestion meanwhile runs on a reader
 * too (OP_INDEX), rather than the loop reading them a row at a time at the
 * next suggestion: 1,024 rows and their moves are 4 to 6 ms of the loop's
 * time at 170,000 offers, 2,000 were 36 ms with the buckets sorted again.
 */
#define SINDEX_BACKGROUND_AT	1024
/* Above this many touched offers the buckets are made again, sorted,
 * rather than each offer moved in them (20 ms at 170,000 offers: never on
 * the loop, whose index is behind past SINDEX_BACKGROUND_AT). */
#define SINDEX_MOVE_AT		1024

struct sx_offer {
	int64_t			 id;
	int			 live;		/* open, in the index */
	int			 family, sub;
	int			 org;		/* index in orgs */
	int			 org_street;	/* index in streets */
	int64_t			 price;
	int			 in_library;
	int			 all_streets;
	int			*streets;	/* owned */
	int			 nstreets;
	struct text_tokens	 tokens;	/* owned */
};

/* The offers of one family serving one street (or "*"), cheapest first. */
struct sx_bucket {
	uint32_t		*slot;
	size_t			 n, cap;
};

struct suggest_index {
	int			 valid;		/* built from the store */
	struct sx_offer		*offers;	/* by slot */
	size_t			 n, cap;
	struct intern		*streets, *orgs;
	/* Slots by id: open addressing, id 0 = empty. */
	int64_t			*ids;
	uint32_t		*slots;
	size_t			 nids;		/* a power of two */
	int64_t			*touched;
	size_t			 ntouched, captouched;
	int			 overflow;	/* too many touched: rebuild */
	/*
	 * A rebuild on a reader thread is under way (suggest_index_adopt):
	 * every offer touched since it began, to be read again after it.
	 */
	int			 rebuilding;
	int64_t			*since;
	size_t			 nsince, capsince;
	int			 since_overflow;
	/*
	 * Buckets by (family, street; the last street index stands for
	 * "*"), made again on the first suggestion after any change: a need
	 * looks at its family's offers in its street and district-wide,
	 * cheapest first up to its budget, not at every open offer.
	 */
	struct sx_bucket	*bk;
	size_t			 nbk;
	int			 bk_nstreets;
	int			 bk_dirty;
};

struct suggest_index *
suggest_index_new(void)
{
	return calloc(1, sizeof(struct suggest_index));
}

static void
sx_offer_clear(struct sx_offer *o)
{
	free(o->streets);
	text_tokens_free(&o->tokens);
	memset(o, 0, sizeof(*o));
}

/* Drop every offer and table; the index is invalid afterwards. */
static void
sx_buckets_free(struct suggest_index *x)
{
	size_t i;

	for (i = 0; i < x->nbk; i++)
		free(x->bk[i].slot);
	free(x->bk);
	x->bk = NULL;
	x->nbk = 0;
	x->bk_dirty = 1;
}

static void
sx_reset(struct suggest_index *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		sx_offer_clear(&x->offers[i]);
	free(x->offers);
	free(x->ids);
	free(x->slots);
	intern_free(x->streets);
	intern_free(x->orgs);
	x->offers = NULL;
	x->ids = NULL;
	x->slots = NULL;
	x->streets = x->orgs = NULL;
	x->n = x->cap = x->nids = 0;
	x->valid = 0;
	sx_buckets_free(x);
}

void
suggest_index_free(struct suggest_index *x)
{
	if (x == NULL)
		return;
	sx_reset(x);
	free(x->touched);
	free(x->since);
	free(x);
}

void
suggest_index_invalidate(struct suggest_index *x)
{
	x->valid = 0;
}

/* Add offer to the list v (n of cap); *overflow once it holds
 * SINDEX_REBUILD_AT, or memory runs out. */
static void
sx_note(int64_t **v, size_t *n, size_t *cap, int *overflow, int64_t offer)
{
	int64_t	*nv;
	size_t	 c;

	/* The same offer written twice in a row is read again once. */
	if (*overflow || (*n > 0 && (*v)[*n - 1] == offer))
		return;
	if (*n == SINDEX_REBUILD_AT) {
		*overflow = 1;
		return;
	}
	if (*n == *cap) {
		c = *cap ? *cap * 2 : 64;
		if ((nv = realloc(*v, c * sizeof(*nv))) == NULL) {
			*overflow = 1;
			return;
		}
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = offer;
}

void
suggest_index_touch(void *arg, int64_t offer, int inserted)
{
	struct suggest_index	*x = arg;

	(void)inserted;
	if (x->rebuilding)
		sx_note(&x->since, &x->nsince, &x->capsince,
		    &x->since_overflow, offer);
	if (x->valid)
		sx_note(&x->touched, &x->ntouched, &x->captouched,
		    &x->overflow, offer);
}

int
suggest_index_stale(const struct suggest_index *x)
{
	return !x->valid || x->overflow || x->ntouched >= SINDEX_BACKGROUND_AT;
}

void
suggest_index_rebuild_begin(struct suggest_index *x)
{
	x->rebuilding = 1;
	x->nsince = 0;
	x->since_overflow = 0;
}

/* dst takes the tables of src (the offers, their ids, the interns and the
 * buckets); the rest of dst stays. */
static void
sx_take_tables(struct suggest_index *dst, const struct suggest_index *src)
{
	dst->offers = src->offers;
	dst->n = src->n;
	dst->cap = src->cap;
	dst->streets = src->streets;
	dst->orgs = src->orgs;
	dst->ids = src->ids;
	dst->slots = src->slots;
	dst->nids = src->nids;
	dst->bk = src->bk;
	dst->nbk = src->nbk;
	dst->bk_nstreets = src->bk_nstreets;
	dst->bk_dirty = src->bk_dirty;
}

/* Exchange the tables of a and b. */
static void
sx_swap_tables(struct suggest_index *a, struct suggest_index *b)
{
	struct suggest_index t = *a;

	sx_take_tables(a, b);
	sx_take_tables(b, &t);
}

int
suggest_index_adopt(struct suggest_index *x, struct suggest_index *fresh)
{
	x->rebuilding = 0;
	if (fresh == NULL || !fresh->valid || x->since_overflow) {
		/* Nothing built, or too much written since: x stays as it
		 * is, and is read whole on its next use if it must be. */
		x->nsince = 0;
		return -1;
	}
	/* fresh's tables become x's (fresh was touched by no one), and x's
	 * fresh's, for the caller to free. */
	sx_swap_tables(x, fresh);
	x->valid = 1;
	/* What was written after its snapshot is read again, the way a
	 * touched offer is, at the next suggestion. */
	free(x->touched);
	x->touched = x->since;
	x->ntouched = x->nsince;
	x->captouched = x->capsince;
	x->overflow = 0;
	x->since = NULL;
	x->nsince = x->capsince = 0;
	return 0;
}

static size_t
sx_hash(int64_t id, size_t n)
{
	return (size_t)((uint64_t)id * 0x9e3779b97f4a7c15ULL) & (n - 1);
}

/* The slot of id, or -1. */
static long
sx_find(const struct suggest_index *x, int64_t id)
{
	size_t h;

	if (x->nids == 0)
		return -1;
	for (h = sx_hash(id, x->nids); x->ids[h] != 0; h = (h + 1) &
	    (x->nids - 1))
		if (x->ids[h] == id)
			return (long)x->slots[h];
	return -1;
}

static int
sx_map(struct suggest_index *x, int64_t id, size_t slot)
{
	int64_t		*ids;
	uint32_t	*slots;
	size_t		 i, h, n;

	if ((x->n + 1) * 2 > x->nids) {
		n = x->nids ? x->nids * 2 : 1024;
		ids = calloc(n, sizeof(*ids));
		slots = calloc(n, sizeof(*slots));
		if (ids == NULL || slots == NULL) {
			free(ids);
			free(slots);
			return -1;
		}
		for (i = 0; i < x->nids; i++)
			if (x->ids[i] != 0) {
				for (h = sx_hash(x->ids[i], n); ids[h] != 0;
				    h = (h + 1) & (n - 1))
					;
				ids[h] = x->ids[i];
				slots[h] = x->slots[i];
			}
		free(x->ids);
		free(x->slots);
		x->ids = ids;
		x->slots = slots;
		x->nids = n;
	}
	for (h = sx_hash(id, x->nids); x->ids[h] != 0 && x->ids[h] != id;
	    h = (h + 1) & (x->nids - 1))
		;
	x->ids[h] = id;
	x->slots[h] = (uint32_t)slot;
	return 0;
}

static int
sx_has(const struct sx_offer *o, int street)
{
	int k;

	for (k = 0; k < o->nstreets; k++)
		if (o->streets[k] == street)
			return 1;
	return 0;
}

static int
sx_price_cmp(const void *a, const void *b, void *arg)
{
	const struct sx_offer	*o = arg;
	int64_t			 pa = o[*(const uint32_t *)a].price;
	int64_t			 pb = o[*(const uint32_t *)b].price;

	return (pa > pb) - (pa < pb);
}

static int
sx_bucket_add(struct sx_bucket *b, uint32_t slot)
{
	uint32_t	*ns;
	size_t		 c;

	if (b->n == b->cap) {
		c = b->cap ? b->cap * 2 : 16;
		if ((ns = realloc(b->slot, c * sizeof(*ns))) == NULL)
			return -1;
		b->slot = ns;
		b->cap = c;
	}
	b->slot[b->n++] = slot;
	return 0;
}

/*
 * The bucket indexes of o (live, of a family the buckets know) into b,
 * at most 1 + its streets; how many.
 */
static int
sx_bucket_ids(const struct suggest_index *x, const struct sx_offer *o,
    size_t *b)
{
	int	ns = x->bk_nstreets, nf = (int)(x->nbk / (size_t)(ns + 1)), k;

	if (!o->live || o->family < 0 || o->family >= nf)
		return 0;
	if (o->all_streets) {
		b[0] = (size_t)o->family * (size_t)(ns + 1) + (size_t)ns;
		return 1;
	}
	for (k = 0; k < o->nstreets; k++)
		b[k] = (size_t)o->family * (size_t)(ns + 1) +
		    (size_t)o->streets[k];
	return o->nstreets;
}

/* Take slot (offer o, as it is in them) out of its buckets. */
static void
sx_bucket_out(struct suggest_index *x, const struct sx_offer *o,
    uint32_t slot)
{
	struct sx_bucket	*bk;
	size_t			*b, i;
	int			 nb, k;

	if ((b = calloc((size_t)o->nstreets + 1, sizeof(*b))) == NULL) {
		x->bk_dirty = 1;
		return;
	}
	nb = sx_bucket_ids(x, o, b);
	for (k = 0; k < nb; k++) {
		bk = &x->bk[b[k]];
		for (i = 0; i < bk->n && bk->slot[i] != slot; i++)
			;
		if (i == bk->n)
			continue;
		memmove(&bk->slot[i], &bk->slot[i + 1], (bk->n - i - 1) *
		    sizeof(*bk->slot));
		bk->n--;
	}
	free(b);
}

/* Put slot in its offer's buckets, cheapest first.  0, or -1 (out of
 * memory: the caller makes the buckets again). */
static int
sx_bucket_in(struct suggest_index *x, uint32_t slot)
{
	const struct sx_offer	*o = &x->offers[slot];
	struct sx_bucket	*bk;
	size_t			*b, lo, hi, mid;
	int			 nb, k, rc = 0;

	if ((b = calloc((size_t)o->nstreets + 1, sizeof(*b))) == NULL)
		return -1;
	nb = sx_bucket_ids(x, o, b);
	for (k = 0; k < nb && rc == 0; k++) {
		bk = &x->bk[b[k]];
		if ((rc = sx_bucket_add(bk, slot)) == -1)
			break;
		/* After every offer of its price or less. */
		for (lo = 0, hi = bk->n - 1; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if (x->offers[bk->slot[mid]].price <= o->price)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(&bk->slot[lo + 1], &bk->slot[lo], (bk->n - 1 - lo) *
		    sizeof(*bk->slot));
		bk->slot[lo] = slot;
	}
	free(b);
	return rc;
}

struct sx_load {
	struct suggest_index	*x;
	const struct config	*conf;
};

/* Put an offer row in the index (or take it out when no longer open). */
static int
sx_put(void *arg, const struct store_offer_row *r, struct error *err)
{
	struct sx_load		*ld = arg;
	struct suggest_index	*x = ld->x;
	struct sx_offer		*o, *no;
	cJSON			*a, *c;
	long			 slot = sx_find(x, r->id);
	int			 k;
	/* Buckets made: the offer moves in them, they are not made again. */
	int			 inc = !x->bk_dirty && x->bk != NULL;

	if (!inc)
		x->bk_dirty = 1;
	if (slot >= 0) {
		if (inc)
			sx_bucket_out(x, &x->offers[slot], (uint32_t)slot);
		sx_offer_clear(&x->offers[slot]);
	}
	if (strcmp(r->status, "open") != 0 || r->remaining < 1)
		return 0;	/* the cleared slot stays dead */
	if (slot < 0) {
		if (x->n == x->cap) {
			x->cap = x->cap ? x->cap * 2 : 1024;
			no = realloc(x->offers, x->cap * sizeof(*no));
			if (no == NULL)
				goto oom;
			x->offers = no;
		}
		slot = (long)x->n++;
		memset(&x->offers[slot], 0, sizeof(x->offers[slot]));
		if (sx_map(x, r->id, (size_t)slot) == -1)
			goto oom;
	}
	o = &x->offers[slot];
	o->id = r->id;
	if (taxonomy_find(&ld->conf->taxonomy, r->category, 0, &o->family,
	    &o->sub) == -1)
		return 0;	/* off the taxonomy now: never a candidate */
	o->price = r->price;
	o->in_library = r->in_library;
	if ((o->org = intern_add(x->orgs, r->org)) == -1 ||
	    (o->org_street = intern_add(x->streets, r->org_street)) == -1 ||
	    text_tokenize_doc(r->title, r->description, &o->tokens) == -1)
		goto oom;
	a = json_strings_parse(r->streets);
	if ((o->streets = calloc((size_t)cJSON_GetArraySize(a) + 1,
	    sizeof(int))) == NULL) {
		cJSON_Delete(a);
		goto oom;
	}
	cJSON_ArrayForEach(c, a) {
		if (!cJSON_IsString(c))
			continue;
		if (strcmp(c->valuestring, "*") == 0)
			o->all_streets = 1;
		else if ((k = intern_add(x->streets, c->valuestring)) >= 0 &&
		    !sx_has(o, k))
			o->streets[o->nstreets++] = k;	/* once: one bucket */
	}
	cJSON_Delete(a);
	o->live = 1;
	/* A street new to the index changes every bucket's place. */
	if (inc && ((int)intern_count(x->streets) != x->bk_nstreets ||
	    sx_bucket_in(x, (uint32_t)slot) == -1))
		x->bk_dirty = 1;
	return 0;
oom:
	return error_set(err, ERR_INTERNAL, NULL, "out of memory");
}

/* Bring the index up to date with the store. */
static int
sx_refresh(struct suggest_index *x, struct store *s,
    const struct config *conf, struct error *err)
{
	struct sx_load	ld = { x, conf };
	size_t		i;

	if (x->valid && !x->overflow) {
		/* Each offer moves in its buckets (a memmove of the bucket)
		 * unless so many moved that sorting them all again is
		 * cheaper. */
		if (x->ntouched > SINDEX_MOVE_AT)
			sx_buckets_free(x);
		for (i = 0; i < x->ntouched; i++)
			if (store_offer_row(s, x->touched[i], sx_put, &ld,
			    err) == -1) {
				x->valid = 0;
				return -1;
			}
		x->ntouched = 0;
		return 0;
	}
	sx_reset(x);
	x->ntouched = 0;
	x->overflow = 0;
	if ((x->streets = intern_new()) == NULL ||
	    (x->orgs = intern_new()) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	x->valid = 1;	/* touches during the load are read again */
	if (store_offers_each(s, 0, sx_put, &ld, err) == -1) {
		x->valid = 0;
		return -1;
	}
	return 0;
}

/* Sort the live offers into their (family, street) buckets. */
static int
sx_buckets(struct suggest_index *x, const struct config *conf)
{
	int	ns = (int)intern_count(x->streets), nf, k;
	size_t	i;

	sx_buckets_free(x);
	nf = conf->taxonomy.nfamilies > 0 ? conf->taxonomy.nfamilies : 1;
	x->nbk = (size_t)nf * (size_t)(ns + 1);
	if ((x->bk = calloc(x->nbk, sizeof(*x->bk))) == NULL) {
		x->nbk = 0;
		return -1;
	}
	x->bk_nstreets = ns;
	for (i = 0; i < x->n; i++) {
		const struct sx_offer *o = &x->offers[i];

		if (!o->live || o->family < 0 || o->family >= nf)
			continue;
		if (o->all_streets) {
			if (sx_bucket_add(&x->bk[o->family * (ns + 1) + ns],
			    (uint32_t)i) == -1)
				return -1;
			continue;
		}
		for (k = 0; k < o->nstreets; k++)
			if (sx_bucket_add(&x->bk[o->family * (ns + 1) +
			    o->streets[k]], (uint32_t)i) == -1)
				return -1;
	}
	for (i = 0; i < x->nbk; i++)
		if (x->bk[i].n > 1)	/* an empty bucket has no array */
			qsort_r(x->bk[i].slot, x->bk[i].n, sizeof(uint32_t),
			    sx_price_cmp, x->offers);
	x->bk_dirty = 0;
	return 0;
}

static int
sx_better(const struct suggestion *a, const struct suggestion *b)
{
	if (a->score.total != b->score.total)
		return a->score.total > b->score.total;
	if (a->price != b->price)
		return a->price < b->price;
	return a->offer < b->offer;
}

int
suggest_index_build(struct suggest_index *x, struct store *s,
    const struct config *conf, struct error *err)
{
	if (sx_refresh(x, s, conf, err) == -1)
		return -1;
	/* Made here too: a build on a reader hands them over ready. */
	if (x->bk_dirty && sx_buckets(x, conf) == -1)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int
suggest_index_for_need(struct suggest_index *x, struct store *s,
    const struct config *conf, const struct suggest_need *need, int limit,
    struct suggestion *out, struct error *err)
{
	struct score_weights	 w;
	struct score_facts	 f;
	struct text_tokens	 nt;
	struct matcher_need	 mn;
	struct suggestion	 cand;
	const struct sx_offer	*o;
	const struct sx_bucket	*bk;
	int64_t			 shares[1 + 16];
	size_t			 i;
	int			 fam, sub, street, n = 0, k, j, fits, b;

	if (sx_refresh(x, s, conf, err) == -1)
		return -1;
	if (taxonomy_find(&conf->taxonomy, need->category, 0, &fam, &sub) ==
	    -1)
		return 0;
	street = intern_find(x->streets, need->street);
	if (text_tokenize_doc(need->title, need->description, &nt) == -1)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	w.category = conf->weights[W_CATEGORY];
	w.budget = conf->weights[W_BUDGET];
	w.text = conf->weights[W_TEXT];
	w.library = conf->weights[W_LIBRARY];
	w.locality = conf->weights[W_LOCALITY];
	memset(&mn, 0, sizeof(mn));
	mn.npartners = need->ncommunities - 1;
	if (x->bk_dirty && sx_buckets(x, conf) == -1) {
		text_tokens_free(&nt);
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	}
	/* The need's street's bucket, then the district-wide one, each
	 * cheapest first until past the budget. */
	for (b = 0; b < 2; b++) {
		if (fam >= (int)(x->nbk / (size_t)(x->bk_nstreets + 1)) ||
		    (b == 0 && street < 0))
			continue;
		bk = &x->bk[fam * (x->bk_nstreets + 1) + (b == 0 ? street :
		    x->bk_nstreets)];
		for (i = 0; i < bk->n; i++) {
			o = &x->offers[bk->slot[i]];
			if (o->price > need->budget)
				break;
			if (!o->live)
				continue;
			matcher_shares(&mn, o->price, shares);
			for (fits = 1, k = 0; k < need->ncommunities; k++)
				if (shares[k] > need->left[k])
					fits = 0;
			if (!fits)
				continue;
			memset(&f, 0, sizeof(f));
			f.same_family = 1;
			f.same_sub = o->sub == sub;
			f.price_fen = o->price;
			f.budget_fen = need->budget;
			f.need_text = &nt;
			f.offer_text = &o->tokens;
			f.in_library = o->in_library;
			f.local = o->org_street == street;
			cand.offer = o->id;
			cand.org = intern_str(x->orgs, o->org);
			cand.price = o->price;
			score_compute(&w, &f, &cand.score);
			/* Keep the best `limit` by insertion into out. */
			if (n == limit && !sx_better(&cand, &out[n - 1]))
				continue;
			j = n < limit ? n++ : n - 1;
			while (j > 0 && sx_better(&cand, &out[j - 1])) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = cand;
		}
	}
	text_tokens_free(&nt);
	return n;
}
