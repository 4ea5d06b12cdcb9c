/*
 * match_input.c: building the matcher's input from store rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/caps.h"
#include "daemon/domain/match_input.h"
#include "protocol/json_strings.h"
#include "protocol/values.h"

static int
mi_oom(struct error *err)
{
	return error_set(err, ERR_INTERNAL, NULL, "out of memory");
}

/* Grow *arr (of elem-size items, *cap of them) to hold n + 1. */
static int
mi_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	void	*p;
	size_t	 c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	if ((p = realloc(*arr, c * elem)) == NULL)
		return -1;
	memset((char *)p + *cap * elem, 0, (c - *cap) * elem);
	*arr = p;
	*cap = c;
	return 0;
}

int
match_input_init(struct match_input *mi, const struct config *conf,
    struct error *err)
{
	memset(mi, 0, sizeof(*mi));
	mi->conf = conf;
	mi->communities = intern_new();
	mi->orgs = intern_new();
	mi->streets = intern_new();
	mi->accounts = intern_new();
	if (mi->communities == NULL || mi->orgs == NULL ||
	    mi->streets == NULL || mi->accounts == NULL)
		return mi_oom(err);
	mi->in.weights.category = conf->weights[W_CATEGORY];
	mi->in.weights.budget = conf->weights[W_BUDGET];
	mi->in.weights.text = conf->weights[W_TEXT];
	mi->in.weights.library = conf->weights[W_LIBRARY];
	mi->in.weights.locality = conf->weights[W_LOCALITY];
	mi->in.weights.interest = conf->weights[W_INTEREST];
	return 0;
}

static void
mi_owned_free(struct match_owned *o)
{
	free(o->ints);
	if (o->tokens != NULL)
		text_tokens_free(o->tokens);
	free(o->tokens);
}

void
match_input_free(struct match_input *mi)
{
	size_t i;

	for (i = 0; i < mi->capneed_own; i++)
		mi_owned_free(&mi->need_own[i]);
	for (i = 0; i < mi->capoffer_own; i++)
		mi_owned_free(&mi->offer_own[i]);
	free(mi->need_own);
	free(mi->offer_own);
	free(mi->needs);
	free(mi->offers);
	free(mi->comms);
	free(mi->forbidden);
	free(mi->fixed);
	free(mi->party);
	free(mi->interests);
	intern_free(mi->accounts);
	intern_free(mi->communities);
	intern_free(mi->orgs);
	intern_free(mi->streets);
	memset(mi, 0, sizeof(*mi));
}

/* The refreshed view of the arrays for matcher_run. */
static void
mi_sync(struct match_input *mi)
{
	mi->in.needs = mi->needs;
	mi->in.nneeds = mi->nneeds;
	mi->in.offers = mi->offers;
	mi->in.noffers = mi->noffers;
	mi->in.communities = mi->comms;
	mi->in.ncommunities = intern_count(mi->accounts);
	mi->in.forbidden = mi->forbidden;
	mi->in.nforbidden = mi->nforbidden;
	mi->in.fixed = mi->fixed;
	mi->in.nfixed = mi->nfixed;
}

static struct text_tokens *
mi_tokens(const char *title, const char *description)
{
	struct text_tokens *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if (text_tokenize_doc(title, description, t) == -1) {
		free(t);
		return NULL;
	}
	return t;
}

static void
mi_category(const struct match_input *mi, const char *cat, int *fam,
    int *sub)
{
	if (taxonomy_find(&mi->conf->taxonomy, cat, 0, fam, sub) == -1) {
		/* A category dropped from the taxonomy matches nothing. */
		*fam = -1;
		*sub = -1;
	}
}

/* The cap account of community code in year: "year" US "code". */
static int
mi_account(struct match_input *mi, const char *code, int year)
{
	char key[96];

	snprintf(key, sizeof(key), "%d\x1f%s", year, code);
	return intern_add(mi->accounts, key);
}

/*
 * Intern each string of a JSON array text into *idx (malloc'd): with year
 * 0 streets ("*" sets *star instead), else the cap accounts of those
 * communities in year (a need's partners).
 */
static int
mi_codes(struct match_input *mi, const char *json, int year, int **idx,
    int *n, int *star)
{
	cJSON	*a = json_strings_parse(json), *c;
	int	 k = 0, i;

	*idx = NULL;
	*n = 0;
	if (star)
		*star = 0;
	if (a == NULL)
		return 0;
	if ((*idx = calloc((size_t)cJSON_GetArraySize(a) + 1,
	    sizeof(int))) == NULL) {
		cJSON_Delete(a);
		return -1;
	}
	cJSON_ArrayForEach(c, a) {
		if (!cJSON_IsString(c))
			continue;
		if (star && strcmp(c->valuestring, "*") == 0) {
			*star = 1;
			continue;
		}
		if (year == 0)
			i = intern_add(mi->streets, c->valuestring);
		else if ((i = intern_add(mi->communities,
		    c->valuestring)) != -1)
			i = mi_account(mi, c->valuestring, year);
		if (i == -1) {
			cJSON_Delete(a);
			return -1;
		}
		(*idx)[k++] = i;
	}
	cJSON_Delete(a);
	*n = k;
	return 0;
}

int
match_input_add_need(void *arg, const struct store_need_row *r,
    struct error *err)
{
	struct match_input	*mi = arg;
	struct matcher_need	*n;
	int			*partners;
	int			 np;

	struct match_owned	*own;

	size_t			 cap = mi->capneeds;
	int			*np_;

	if (mi_grow((void **)&mi->needs, &mi->capneeds, mi->nneeds,
	    sizeof(*mi->needs)) == -1 || mi_grow((void **)&mi->need_own,
	    &mi->capneed_own, mi->nneeds, sizeof(*mi->need_own)) == -1)
		return mi_oom(err);
	if (mi->capneeds != cap) {
		if ((np_ = realloc(mi->party, mi->capneeds *
		    sizeof(*np_))) == NULL)
			return mi_oom(err);
		mi->party = np_;
	}
	n = &mi->needs[mi->nneeds];
	own = &mi->need_own[mi->nneeds];
	memset(n, 0, sizeof(*n));
	n->id = r->id;
	if ((mi->party[mi->nneeds] = intern_add(mi->communities,
	    r->community)) == -1 ||
	    (n->community = mi_account(mi, r->community, r->year)) == -1 ||
	    (n->street = intern_add(mi->streets, r->street)) == -1 ||
	    mi_codes(mi, r->partners, r->year, &partners, &np,
	    NULL) == -1)
		return mi_oom(err);
	own->ints = partners;
	if ((own->tokens = mi_tokens(r->title, r->description)) == NULL)
		return mi_oom(err);
	n->tokens = own->tokens;
	n->partners = partners;
	n->npartners = np;
	mi_category(mi, r->category, &n->family, &n->sub);
	n->budget_fen = r->budget;
	n->eligible = strcmp(r->status, "open") == 0 && n->family >= 0;
	mi->nneeds++;
	mi_sync(mi);
	return 0;
}

int
match_input_add_offer(void *arg, const struct store_offer_row *r,
    struct error *err)
{
	struct match_input	*mi = arg;
	struct matcher_offer	*o;
	int			*streets;
	int			 ns, star;

	struct match_owned	*own;

	if (mi_grow((void **)&mi->offers, &mi->capoffers, mi->noffers,
	    sizeof(*mi->offers)) == -1 || mi_grow((void **)&mi->offer_own,
	    &mi->capoffer_own, mi->noffers, sizeof(*mi->offer_own)) == -1)
		return mi_oom(err);
	o = &mi->offers[mi->noffers];
	own = &mi->offer_own[mi->noffers];
	memset(o, 0, sizeof(*o));
	o->id = r->id;
	if ((o->org = intern_add(mi->orgs, r->org)) == -1 ||
	    (o->org_street = intern_add(mi->streets, r->org_street)) == -1 ||
	    mi_codes(mi, r->streets, 0, &streets, &ns, &star) == -1)
		return mi_oom(err);
	own->ints = streets;
	if ((own->tokens = mi_tokens(r->title, r->description)) == NULL)
		return mi_oom(err);
	o->tokens = own->tokens;
	o->streets = streets;
	o->nstreets = ns;
	o->all_streets = star;
	mi_category(mi, r->category, &o->family, &o->sub);
	o->price_fen = r->price;
	o->capacity = r->remaining;
	o->in_library = r->in_library;
	/* Open, or full with a fixed pair of its own (match_input_pairs). */
	o->eligible = (strcmp(r->status, "open") == 0 ||
	    strcmp(r->status, "full") == 0) && o->family >= 0;
	mi->noffers++;
	mi_sync(mi);
	return 0;
}

static int
mi_index(int64_t id, const void *base, size_t n, size_t elem)
{
	size_t lo = 0, hi = n, mid;
	int64_t v;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		v = *(const int64_t *)(const void *)((const char *)base +
		    mid * elem);
		if (v == id)
			return (int)mid;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int
match_input_need(const struct match_input *mi, int64_t id)
{
	return mi_index(id, mi->needs, mi->nneeds, sizeof(*mi->needs));
}

int
match_input_offer(const struct match_input *mi, int64_t id)
{
	return mi_index(id, mi->offers, mi->noffers, sizeof(*mi->offers));
}

static int
mi_add_forbidden(void *arg, int64_t need, int64_t offer, struct error *err)
{
	struct match_input	*mi = arg;
	int			 n = match_input_need(mi, need);
	int			 o = match_input_offer(mi, offer);

	if (n < 0 || o < 0)
		return 0;
	if (mi_grow((void **)&mi->forbidden, &mi->capforbidden,
	    mi->nforbidden, sizeof(*mi->forbidden)) == -1)
		return mi_oom(err);
	mi->forbidden[mi->nforbidden].need = n;
	mi->forbidden[mi->nforbidden].offer = o;
	mi->nforbidden++;
	return 0;
}

static int
mi_add_fixed(void *arg, int64_t need, int64_t offer, struct error *err)
{
	struct match_input	*mi = arg;
	int			 n = match_input_need(mi, need);
	int			 o = match_input_offer(mi, offer);

	if (n < 0 || o < 0)
		return 0;
	if (mi_grow((void **)&mi->fixed, &mi->capfixed, mi->nfixed,
	    sizeof(*mi->fixed)) == -1)
		return mi_oom(err);
	mi->fixed[mi->nfixed].need = n;
	mi->fixed[mi->nfixed].offer = o;
	mi->nfixed++;
	/* A confirmed pair already took its slot from `remaining`. */
	mi->offers[o].capacity++;
	mi->offers[o].eligible = 1;
	return 0;
}

int
match_input_pairs(struct match_input *mi, struct store *s, int64_t fair,
    struct error *err)
{
	if (store_fair_pairs_each(s, fair, "declined", mi_add_forbidden, mi,
	    err) == -1 || store_fair_pairs_each(s, fair, "confirmed",
	    mi_add_fixed, mi, err) == -1)
		return -1;
	mi_sync(mi);
	return 0;
}

/* What is used of the caps in each year the accounts name. */
struct mi_years {
	int			 year;
	struct caps_used	 cu;
};

int
match_input_caps(struct match_input *mi, struct store *s, int64_t except,
    struct error *err)
{
	struct mi_years	*ys;
	const char	*key, *code;
	cJSON		*c;
	size_t		 i, k, ny = 0, n = intern_count(mi->accounts);
	int		 rc = -1, found;

	free(mi->comms);
	mi->comms = calloc(n + 1, sizeof(*mi->comms));
	ys = calloc(n + 1, sizeof(*ys));
	if (mi->comms == NULL || ys == NULL) {
		free(ys);
		return mi_oom(err);
	}
	for (i = 0; i < n; i++) {
		key = intern_str(mi->accounts, (int)i);
		code = strchr(key, '\x1f') + 1;
		for (k = 0; k < ny && ys[k].year != atoi(key); k++)
			;
		if (k == ny) {
			/* Read once per year met. */
			ys[ny].year = atoi(key);
			if (caps_used_load(&ys[ny++].cu, s, atoi(key), except,
			    err) == -1)
				goto out;
		}
		found = store_community_get(s, code, &c, err);
		if (found == -1)
			goto out;
		mi->comms[i].cap_fen = found == 0 ? (int64_t)llround(
		    cJSON_GetObjectItem(c, "cap")->valuedouble * 100) : 0;
		mi->comms[i].used_fen = caps_used_of(&ys[k].cu, code);
		cJSON_Delete(c);
	}
	mi_sync(mi);
	rc = 0;
out:
	for (k = 0; k < ny; k++)
		caps_used_free(&ys[k].cu);
	free(ys);
	return rc;
}

int
match_input_fair(struct match_input *mi, const struct config *conf,
    struct store *s, int64_t fair, const char *rule, double min_score,
    struct error *err)
{
	if (match_input_init(mi, conf, err) == -1 ||
	    store_needs_each(s, fair, match_input_add_need, mi, err) == -1 ||
	    store_offers_each(s, fair, match_input_add_offer, mi, err) == -1 ||
	    match_input_pairs(mi, s, fair, err) == -1 ||
	    match_input_interests(mi, s, fair, err) == -1 ||
	    match_input_caps(mi, s, fair, err) == -1)
		return -1;
	match_input_rules(mi, rule, min_score);
	return 0;
}

void
match_input_rules(struct match_input *mi, const char *rule,
    double min_score)
{
	mi->in.same_sub = rule != NULL && strcmp(rule, "sub") == 0;
	mi->in.min_score = (int32_t)llround(min_score * 100);
}

const char *
match_input_community(const struct match_input *mi, int need)
{
	return intern_str(mi->communities, mi->party[need]);
}

const char *
match_input_account(const struct match_input *mi, int account)
{
	return strchr(intern_str(mi->accounts, account), '\x1f') + 1;
}
