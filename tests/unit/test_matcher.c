/*
 * test_matcher.c: the assignment methods on thousands of random small
 * instances (fixed seed) against a brute force and an independent min-cost
 * flow: optimal is optimal, greedy never beats it, stable has no blocking
 * pair, capacities and caps hold, fixed pairs stay, forbidden pairs never
 * appear, and the same input gives the same output.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "matcher/assign.h"
#include "matcher/matcher.h"

#define MAXN	8
#define MAXO	6
#define MAXC	4

static uint64_t	 rng_state;

static const char *const texts[] = {
	"社区老人助餐", "老人食堂服务", "儿童 after school 托管",
	"社区儿童阅读", "elderly lunch service", "无障碍坡道改造",
};
#define NTEXTS	(sizeof(texts) / sizeof(texts[0]))

/* A random instance; all arrays live inside. */
struct inst {
	struct matcher_need	 needs[MAXN];
	struct matcher_offer	 offers[MAXO];
	struct matcher_community comm[MAXC];
	struct matcher_pair	 forb[8];
	struct matcher_pair	 fixed[4];
	struct matcher_interest	 ints[MAXN * MAXO];
	int			 partners[MAXN][2];
	int			 streets[MAXO][3];
	struct matcher_input	 in;
};

static struct text_tokens toks[NTEXTS];
/* Whether gen() adds interests (tests written before them do not). */
static int	 gen_interests;

static uint64_t	 rnd(void);
static int	 rint_(int);
static void	 gen(struct inst *, int, int);
static int	 is_cand(const struct matcher_input *, const int *,
		    const int64_t *, const unsigned char *, int, int);
static void	 shares_of(const struct matcher_input *, int, int64_t,
		    int64_t *, int *, int *);
static void	 check_result(const struct matcher_input *,
		    const struct matcher_result *);
static int64_t	 brute(const struct matcher_input *, int);
static void	 left_after_fixed(const struct matcher_input *, int *,
		    int64_t *, unsigned char *);

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int
rint_(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/*
 * Fill a random instance.  tight: caps small enough to bind often.
 * extras: forbidden and fixed pairs.
 */
static void
gen(struct inst *s, int tight, int extras)
{
	int nn = 1 + rint_(MAXN - 2), no = 1 + rint_(MAXO - 1);
	int nc = 1 + rint_(MAXC), i, j;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nc; i++) {
		s->comm[i].cap_fen = tight ? 2000 + rint_(8000) : INT64_MAX / 4;
		s->comm[i].used_fen = tight ? rint_(1000) : 0;
	}
	for (i = 0; i < nn; i++) {
		struct matcher_need *n = &s->needs[i];

		n->id = 1000 - i * 7 + rint_(3);
		n->community = rint_(nc);
		if (nc > 1 && rint_(4) == 0) {
			s->partners[i][0] = (n->community + 1) % nc;
			n->partners = s->partners[i];
			n->npartners = 1;
		}
		n->street = rint_(3);
		n->family = rint_(2);
		n->sub = rint_(2);
		n->budget_fen = 1000 + rint_(6) * 1000;
		n->tokens = &toks[rint_(NTEXTS)];
		n->eligible = rint_(8) != 0;
	}
	for (i = 0; i < no; i++) {
		struct matcher_offer *o = &s->offers[i];

		o->id = 50 + i * 3;
		o->org = rint_(3);
		o->org_street = rint_(3);
		o->family = rint_(2);
		o->sub = rint_(2);
		/* Few distinct prices and scores make many ties. */
		o->price_fen = 1000 + rint_(5) * 1000;
		o->capacity = rint_(3);
		o->all_streets = rint_(3) == 0;
		o->nstreets = rint_(3) + (o->all_streets ? 0 : 1);
		for (j = 0; j < o->nstreets; j++)
			s->streets[i][j] = rint_(3);
		o->streets = s->streets[i];
		o->in_library = rint_(2);
		o->tokens = &toks[rint_(NTEXTS)];
		o->eligible = rint_(8) != 0;
	}
	s->in.needs = s->needs;
	s->in.nneeds = (size_t)nn;
	s->in.offers = s->offers;
	s->in.noffers = (size_t)no;
	s->in.communities = s->comm;
	s->in.ncommunities = (size_t)nc;
	score_weights_default(&s->in.weights);
	if (rint_(5) == 0)
		s->in.weights.text = 35;
	if (gen_interests) {
		static const int levels[] = { MATCHER_WANT, MATCHER_MUST,
		    MATCHER_NO, MATCHER_WANT | MATCHER_MUST,
		    MATCHER_NO | MATCHER_WANT };

		s->in.interests = s->ints;
		if (rint_(3) == 0)
			s->in.weights.interest = 12.5;
		for (i = 0; i < nn; i++)
			for (j = 0; j < no; j++)
				if (rint_(4) == 0) {
					struct matcher_interest *x =
					    &s->ints[s->in.ninterests++];

					x->need = i;
					x->offer = j;
					x->level = levels[rint_(5)];
				}
	}
	if (!extras)
		return;
	s->in.forbidden = s->forb;
	s->in.nforbidden = (size_t)rint_(4);
	for (i = 0; i < (int)s->in.nforbidden; i++) {
		s->forb[i].need = rint_(nn);
		s->forb[i].offer = rint_(no);
	}
	s->in.fixed = s->fixed;
	for (i = 0; i < nn && s->in.nfixed < 2; i++)
		if (rint_(5) == 0) {
			s->fixed[s->in.nfixed].need = i;
			s->fixed[s->in.nfixed++].offer = rint_(no);
		}
}

/* Shares of need n's amount: communities in cs, count in *k. */
static void
shares_of(const struct matcher_input *in, int n, int64_t amount,
    int64_t *sh, int *cs, int *k)
{
	const struct matcher_need *nd = &in->needs[n];
	int j;

	*k = 1 + nd->npartners;
	matcher_shares(nd, amount, sh);
	for (j = 0; j < *k; j++)
		cs[j] = j == 0 ? nd->community : nd->partners[j - 1];
}

/* Capacity and cap left after the fixed pairs, and needs fixed. */
static void
left_after_fixed(const struct matcher_input *in, int *cap, int64_t *left,
    unsigned char *fixed)
{
	int64_t sh[4];
	int cs[4], k, j;
	size_t i;

	memset(fixed, 0, MAXN);
	for (i = 0; i < in->noffers; i++)
		cap[i] = in->offers[i].capacity;
	for (i = 0; i < in->ncommunities; i++)
		left[i] = in->communities[i].cap_fen -
		    in->communities[i].used_fen;
	for (i = 0; i < in->nfixed; i++) {
		int o = in->fixed[i].offer;

		fixed[in->fixed[i].need] = 1;
		if (cap[o] > 0)
			cap[o]--;
		shares_of(in, in->fixed[i].need, in->offers[o].price_fen, sh,
		    cs, &k);
		for (j = 0; j < k; j++)
			left[cs[j]] -= sh[j];
	}
}

/* The interest level of (n, o), by a linear scan. */
static int
level_of(const struct matcher_input *in, int n, int o)
{
	size_t i;

	for (i = 0; i < in->ninterests; i++)
		if (in->interests[i].need == n && in->interests[i].offer == o)
			return in->interests[i].level;
	return 0;
}

/* The hard filters, written independently of cand.c. */
static int
is_cand(const struct matcher_input *in, const int *cap, const int64_t *left,
    const unsigned char *fixed, int n, int o)
{
	const struct matcher_need *nd = &in->needs[n];
	const struct matcher_offer *of = &in->offers[o];
	int64_t sh[4];
	int cs[4], k, j, serves = of->all_streets;
	size_t i;

	if (!nd->eligible || !of->eligible || fixed[n] || cap[o] <= 0 ||
	    (level_of(in, n, o) & MATCHER_NO))
		return 0;
	if (nd->family != of->family || of->price_fen > nd->budget_fen)
		return 0;
	for (j = 0; j < of->nstreets; j++)
		if (of->streets[j] == nd->street)
			serves = 1;
	if (!serves)
		return 0;
	for (i = 0; i < in->nforbidden; i++)
		if (in->forbidden[i].need == n && in->forbidden[i].offer == o)
			return 0;
	shares_of(in, n, of->price_fen, sh, cs, &k);
	for (j = 0; j < k; j++)
		if (sh[j] > left[cs[j]])
			return 0;
	return 1;
}

static int32_t
pair_score(const struct matcher_input *in, int n, int o)
{
	const struct matcher_need *nd = &in->needs[n];
	const struct matcher_offer *of = &in->offers[o];
	struct score_facts f;
	struct score_parts p;

	f.same_family = nd->family == of->family;
	f.same_sub = f.same_family && nd->sub == of->sub;
	f.price_fen = of->price_fen;
	f.budget_fen = nd->budget_fen;
	f.need_text = nd->tokens;
	f.offer_text = of->tokens;
	f.in_library = of->in_library;
	f.local = of->org_street == nd->street;
	f.want = (level_of(in, n, o) & MATCHER_WANT) != 0;
	score_compute(&in->weights, &f, &p);
	return p.total;
}

/* Brute force state. */
static struct {
	const struct matcher_input *in;
	int		 cap[MAXO];
	int64_t		 left[MAXC];
	unsigned char	 fixed[MAXN];
	int		 use_caps;
	int64_t		 best;
} bf;

static void
bf_rec(int n, int64_t tot)
{
	const struct matcher_input *in = bf.in;
	int64_t sh[4];
	int cs[4], k, j, o, ok;

	if (n == (int)in->nneeds) {
		if (tot > bf.best)
			bf.best = tot;
		return;
	}
	bf_rec(n + 1, tot);
	for (o = 0; o < (int)in->noffers; o++) {
		if (!is_cand(in, bf.cap, bf.use_caps ? bf.left :
		    (const int64_t[MAXC]){ INT64_MAX, INT64_MAX, INT64_MAX,
		    INT64_MAX }, bf.fixed, n, o))
			continue;
		shares_of(in, n, in->offers[o].price_fen, sh, cs, &k);
		for (j = 0, ok = 1; j < k; j++)
			if (bf.use_caps && sh[j] > bf.left[cs[j]])
				ok = 0;
		if (!ok)
			continue;
		bf.cap[o]--;
		for (j = 0; j < k; j++)
			bf.left[cs[j]] -= sh[j];
		bf_rec(n + 1, tot + pair_score(in, n, o));
		bf.cap[o]++;
		for (j = 0; j < k; j++)
			bf.left[cs[j]] += sh[j];
	}
}

/*
 * The best total over the non-fixed needs, with the caps (use_caps) or
 * without them (but with the pairs the caps rule out alone removed, as
 * the candidates are).
 */
static int64_t
brute(const struct matcher_input *in, int use_caps)
{
	int64_t left0[MAXC];
	unsigned char fixed[MAXN];
	int cap[MAXO];

	left_after_fixed(in, cap, left0, fixed);
	bf.in = in;
	memcpy(bf.cap, cap, sizeof(cap));
	memcpy(bf.left, left0, sizeof(left0));
	memcpy(bf.fixed, fixed, sizeof(fixed));
	bf.use_caps = use_caps;
	bf.best = 0;
	bf_rec(0, 0);
	return bf.best;
}

/* Invariants every result must satisfy. */
static void
check_result(const struct matcher_input *in, const struct matcher_result *r)
{
	int cnt[MAXO] = { 0 }, seen[MAXN] = { 0 }, cap[MAXO], cs[4], k, j;
	int64_t amount[MAXC] = { 0 }, left[MAXC], sh[4], tot = 0, fen = 0;
	unsigned char fixed[MAXN];
	size_t i, f;

	left_after_fixed(in, cap, left, fixed);
	for (i = 0; i < r->nmatches; i++) {
		const struct matcher_match *m = &r->matches[i];

		assert_true(m->need >= 0 && m->need < (int)in->nneeds);
		assert_true(m->offer >= 0 && m->offer < (int)in->noffers);
		assert_false(seen[m->need]);
		seen[m->need] = 1;
		if (i > 0)
			assert_true(r->matches[i - 1].need < m->need);
		cnt[m->offer]++;
		assert_int_equal(m->score.total, m->score.category +
		    m->score.budget + m->score.text + m->score.library +
		    m->score.locality + m->score.interest);
		assert_int_equal(m->score.interest, (level_of(in, m->need,
		    m->offer) & MATCHER_WANT) ? score_round(
		    in->weights.interest) : 0);
		assert_int_equal(m->score.total, pair_score(in, m->need,
		    m->offer));
		assert_int_equal(m->amount_fen, in->offers[m->offer].price_fen);
		tot += m->score.total;
		fen += m->amount_fen;
		if (m->fixed) {
			for (f = 0; f < in->nfixed; f++)
				if (in->fixed[f].need == m->need)
					break;
			assert_true(f < in->nfixed);
			assert_int_equal(in->fixed[f].offer, m->offer);
			continue;
		}
		assert_true(is_cand(in, cap, left, fixed, m->need, m->offer));
		assert_true(m->score.total > 0);
		shares_of(in, m->need, m->amount_fen, sh, cs, &k);
		for (j = 0; j < k; j++)
			amount[cs[j]] += sh[j];
	}
	assert_int_equal(tot, r->total_score);
	assert_int_equal(fen, r->total_fen);
	/* Fixed pairs are all there. */
	for (f = 0; f < in->nfixed; f++) {
		assert_true(seen[in->fixed[f].need]);
	}
	/* Capacity: the run's pairs fit what the fixed pairs left. */
	for (i = 0; i < in->noffers; i++) {
		int nf = 0;

		for (f = 0; f < in->nfixed; f++)
			nf += in->fixed[f].offer == (int)i;
		assert_true(cnt[i] - nf <= cap[i]);
	}
	/* Caps: the run adds nothing past a community's cap. */
	for (i = 0; i < in->ncommunities; i++)
		assert_true(amount[i] == 0 || amount[i] <= left[i]);
	for (i = 1; i < r->ncapped; i++)
		assert_true(r->capped[i - 1] < r->capped[i]);
}

static void
same_result(const struct matcher_result *a, const struct matcher_result *b)
{
	assert_int_equal(a->nmatches, b->nmatches);
	assert_int_equal(a->total_score, b->total_score);
	assert_int_equal(a->ncapped, b->ncapped);
	if (a->nmatches)
		assert_memory_equal(a->matches, b->matches, a->nmatches *
		    sizeof(*a->matches));
	if (a->ncapped)
		assert_memory_equal(a->capped, b->capped, a->ncapped *
		    sizeof(*a->capped));
}

/* No need and offer would both rather have each other. */
static void
check_stable(const struct matcher_input *in, const struct matcher_result *r)
{
	int mo[MAXN], cap[MAXO], held[MAXO] = { 0 }, n, o;
	int64_t left[MAXC];
	unsigned char fixed[MAXN];
	size_t i;

	left_after_fixed(in, cap, left, fixed);
	for (n = 0; n < (int)in->nneeds; n++)
		mo[n] = -1;
	for (i = 0; i < r->nmatches; i++)
		if (!r->matches[i].fixed) {
			mo[r->matches[i].need] = r->matches[i].offer;
			held[r->matches[i].offer]++;
		}
	for (n = 0; n < (int)in->nneeds; n++)
		for (o = 0; o < (int)in->noffers; o++) {
			int32_t s = pair_score(in, n, o), sc;
			int need_wants, offer_wants = 0, m;

			if (!is_cand(in, cap, left, fixed, n, o) || s <= 0 ||
			    mo[n] == o)
				continue;
			if (mo[n] < 0)
				need_wants = 1;
			else {
				const struct matcher_offer *a = &in->offers[o];
				const struct matcher_offer *b =
				    &in->offers[mo[n]];

				sc = pair_score(in, n, mo[n]);
				need_wants = s > sc || (s == sc &&
				    (a->price_fen < b->price_fen ||
				    (a->price_fen == b->price_fen &&
				    a->id < b->id)));
			}
			if (!need_wants)
				continue;
			if (held[o] < cap[o])
				offer_wants = 1;
			for (m = 0; m < (int)in->nneeds; m++)
				if (mo[m] == o) {
					sc = pair_score(in, m, o);
					if (s > sc || (s == sc &&
					    in->needs[n].id < in->needs[m].id))
						offer_wants = 1;
				}
			assert_false(offer_wants);
		}
}

/* Reference greedy: all candidates sorted by the tie rule, then taken. */
static int64_t
ref_greedy(const struct matcher_input *in)
{
	struct { int n, o; int32_t s; } c[MAXN * MAXO], t;
	int cap[MAXO], nc = 0, n, o, i, j, k, cs[4], ok, taken[MAXN] = { 0 };
	int64_t left[MAXC], sh[4], tot = 0;
	unsigned char fixed[MAXN];

	left_after_fixed(in, cap, left, fixed);
	for (n = 0; n < (int)in->nneeds; n++)
		for (o = 0; o < (int)in->noffers; o++)
			if (is_cand(in, cap, left, fixed, n, o) &&
			    pair_score(in, n, o) > 0) {
				c[nc].n = n;
				c[nc].o = o;
				c[nc++].s = pair_score(in, n, o);
			}
	for (i = 1; i < nc; i++)
		for (j = i; j > 0; j--) {
			const struct matcher_offer *a = &in->offers[c[j].o];
			const struct matcher_offer *b = &in->offers[c[j - 1].o];
			int before = c[j].s > c[j - 1].s || (c[j].s ==
			    c[j - 1].s && (a->price_fen < b->price_fen ||
			    (a->price_fen == b->price_fen && (a->id < b->id ||
			    (a->id == b->id && in->needs[c[j].n].id <
			    in->needs[c[j - 1].n].id)))));

			if (!before)
				break;
			t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	for (i = 0; i < nc; i++) {
		if (taken[c[i].n] || cap[c[i].o] <= 0)
			continue;
		shares_of(in, c[i].n, in->offers[c[i].o].price_fen, sh, cs, &k);
		for (j = 0, ok = 1; j < k; j++)
			if (sh[j] > left[cs[j]])
				ok = 0;
		if (!ok)
			continue;
		for (j = 0; j < k; j++)
			left[cs[j]] -= sh[j];
		cap[c[i].o]--;
		taken[c[i].n] = 1;
		tot += c[i].s;
	}
	return tot;
}

static int64_t
fixed_total(const struct matcher_input *in)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < in->nfixed; i++)
		t += pair_score(in, in->fixed[i].need, in->fixed[i].offer);
	return t;
}

/* Uncapped instances: optimal equals the brute force, and more. */
static void
test_random_uncapped(void **state)
{
	struct inst s;
	struct matcher_result ro, ro2, rg, rs;
	int it;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (it = 0; it < 20000; it++) {
		gen(&s, 0, it % 2);
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &ro), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &ro2), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_GREEDY, &rg), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_STABLE, &rs), 0);
		check_result(&s.in, &ro);
		check_result(&s.in, &rg);
		check_result(&s.in, &rs);
		same_result(&ro, &ro2);
		assert_true(ro.exact);
		assert_int_equal(ro.ncapped, 0);
		assert_int_equal(ro.bound, ro.total_score);
		assert_true(ro.gap == 0.0);
		assert_int_equal(ro.total_score - fixed_total(&s.in),
		    brute(&s.in, 0));
		assert_true(rg.total_score <= ro.total_score);
		assert_true(rs.total_score <= ro.total_score);
		assert_int_equal(rg.total_score - fixed_total(&s.in),
		    ref_greedy(&s.in));
		check_stable(&s.in, &rs);
		matcher_result_free(&ro2);
		assert_int_equal(matcher_run(&s.in, MATCHER_STABLE, &ro2), 0);
		same_result(&rs, &ro2);
		matcher_result_free(&ro2);
		assert_int_equal(matcher_run(&s.in, MATCHER_GREEDY, &ro2), 0);
		same_result(&rg, &ro2);
		matcher_result_free(&ro2);
		matcher_result_free(&ro);
		matcher_result_free(&rg);
		matcher_result_free(&rs);
	}
}

/* Tight caps: never exceeded; exact results are truly optimal. */
static void
test_random_capped(void **state)
{
	struct inst s;
	struct matcher_result ro, ro2, rg, rs;
	int it, nexact = 0, nrepair = 0;
	int64_t best;

	(void)state;
	rng_state = 0x1234567890abcdefULL;
	for (it = 0; it < 20000; it++) {
		gen(&s, 1, it % 2);
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &ro), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &ro2), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_GREEDY, &rg), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_STABLE, &rs), 0);
		check_result(&s.in, &ro);
		check_result(&s.in, &rg);
		check_result(&s.in, &rs);
		same_result(&ro, &ro2);
		best = brute(&s.in, 1) + fixed_total(&s.in);
		assert_true(ro.total_score <= best);
		if (ro.exact) {
			assert_int_equal(ro.total_score, best);
			assert_true(rg.total_score <= ro.total_score);
			nexact++;
		} else {
			assert_true(ro.ncapped > 0);
			nrepair++;
		}
		assert_int_equal(rg.total_score - fixed_total(&s.in),
		    ref_greedy(&s.in));
		matcher_result_free(&ro);
		matcher_result_free(&ro2);
		matcher_result_free(&rg);
		matcher_result_free(&rs);
	}
	/* Both paths were exercised. */
	assert_true(nexact > 100);
	assert_true(nrepair > 100);
}

/*
 * The bound of optimal under caps, on instances solved exhaustively:
 * total <= the optimum <= bound <= the optimum without caps; no cap bound
 * means bound == total and gap 0 exactly; exact means bound == total; gap
 * is (bound - total) / bound.  greedy and stable give no bound.
 */
static void
test_bound_exhaustive(void **state)
{
	struct inst s;
	struct matcher_result ro, rg;
	int it, nbinding = 0, nproven = 0, nopen = 0;
	int64_t best, uncapped;

	(void)state;
	rng_state = 0x2545f4914f6cdd1dULL;
	for (it = 0; it < 30000; it++) {
		gen(&s, it % 4 != 0, it % 2);
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &ro), 0);
		check_result(&s.in, &ro);
		best = brute(&s.in, 1) + fixed_total(&s.in);
		uncapped = brute(&s.in, 0) + fixed_total(&s.in);
		assert_true(ro.total_score <= best);
		assert_true(ro.bound >= best);
		assert_true(ro.bound <= uncapped);
		assert_int_equal(ro.exact, ro.bound == ro.total_score);
		if (ro.ncapped == 0) {
			assert_int_equal(ro.bound, ro.total_score);
			assert_true(ro.gap == 0.0);
		}
		if (ro.bound == 0)
			assert_true(ro.gap == 0.0);
		else
			assert_true(ro.gap == (double)(ro.bound -
			    ro.total_score) / (double)ro.bound);
		assert_true(ro.gap >= 0.0 && ro.gap < 1.0);
		if (ro.ncapped > 0 && uncapped > best) {
			nbinding++;
			if (ro.exact)
				nproven++;
			else
				nopen++;
		}
		assert_int_equal(matcher_run(&s.in, it % 2 ? MATCHER_GREEDY :
		    MATCHER_STABLE, &rg), 0);
		assert_int_equal(rg.bound, 0);
		assert_true(rg.gap == 0.0);
		matcher_result_free(&ro);
		matcher_result_free(&rg);
	}
	/* Binding caps, some proven optimal by the bound, some not. */
	assert_true(nbinding > 1000);
	assert_true(nproven > 100);
	assert_true(nopen > 100);
}

/*
 * Interests on random instances: the brute force, the reference greedy and
 * the stability check see them through is_cand and pair_score (`no` is no
 * candidate, `want` scores more), so every method must agree with them;
 * `must` alone changes nothing.
 */
static void
test_random_interests(void **state)
{
	struct inst s;
	struct matcher_result ro, rg, rs, rm;
	struct matcher_interest saved[MAXN * MAXO];
	int it, k, nchanged = 0;
	int64_t best;
	size_t i, n;

	(void)state;
	rng_state = 0x6a09e667f3bcc908ULL;
	gen_interests = 1;
	for (it = 0; it < 20000; it++) {
		gen(&s, it % 2, it % 3 == 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &ro), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_GREEDY, &rg), 0);
		assert_int_equal(matcher_run(&s.in, MATCHER_STABLE, &rs), 0);
		check_result(&s.in, &ro);
		check_result(&s.in, &rg);
		check_result(&s.in, &rs);
		if (it % 2 == 0)
			check_stable(&s.in, &rs);	/* caps loose */
		best = brute(&s.in, 1) + fixed_total(&s.in);
		assert_true(ro.total_score <= best && best <= ro.bound);
		if (ro.exact)
			assert_int_equal(ro.total_score, best);
		assert_int_equal(rg.total_score - fixed_total(&s.in),
		    ref_greedy(&s.in));
		/* Without the `must` bits: the same result. */
		memcpy(saved, s.ints, sizeof(saved));
		n = s.in.ninterests;
		for (i = 0, k = 0; i < n; i++)
			if ((s.ints[i].level & ~MATCHER_MUST) != 0) {
				s.ints[k] = saved[i];
				s.ints[k++].level &= ~MATCHER_MUST;
			}
		s.in.ninterests = (size_t)k;
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &rm), 0);
		same_result(&ro, &rm);
		matcher_result_free(&rm);
		s.in.ninterests = 0;
		assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &rm), 0);
		if (rm.total_score != ro.total_score)
			nchanged++;
		matcher_result_free(&rm);
		matcher_result_free(&ro);
		matcher_result_free(&rg);
		matcher_result_free(&rs);
	}
	gen_interests = 0;
	assert_true(nchanged > 1000);
}

/*
 * An independent exact solver for assign_optimal on medium graphs:
 * successive longest augmenting paths by Bellman-Ford over the residual
 * graph, stopping when no path gains.
 */
static int64_t
ssp_total(const struct assign_graph *g)
{
	int n = g->nneeds, m = g->noffers, V = n + m + 2, S = n + m, T = S + 1;
	int E = (int)g->start[n] + n + m, e = 0, i, o, it;
	int *to = calloc((size_t)E * 2, sizeof(int));
	int *cap = calloc((size_t)E * 2, sizeof(int));
	int64_t *cost = calloc((size_t)E * 2, sizeof(int64_t));
	int *head = malloc((size_t)V * sizeof(int));
	int *nxt = calloc((size_t)E * 2, sizeof(int));
	int64_t *dist = malloc((size_t)V * sizeof(int64_t)), total = 0;
	int *pe = malloc((size_t)V * sizeof(int));
	size_t a;

	assert_non_null(to);
	assert_non_null(cap);
	assert_non_null(cost);
	assert_non_null(head);
	assert_non_null(nxt);
	assert_non_null(dist);
	assert_non_null(pe);
	for (i = 0; i < V; i++)
		head[i] = -1;
#define ADD(u, v, c, w) do {						\
	to[e] = (v); cap[e] = (c); cost[e] = (w); nxt[e] = head[u];	\
	head[u] = e++;							\
	to[e] = (u); cap[e] = 0; cost[e] = -(w); nxt[e] = head[v];	\
	head[v] = e++;							\
} while (0)
	for (i = 0; i < n; i++)
		ADD(S, i, 1, 0);
	for (i = 0; i < n; i++)
		for (a = g->start[i]; a < g->start[i + 1]; a++)
			if (g->score[a] > 0)
				ADD(i, n + g->offer[a], 1, -(int64_t)g->score[a]);
	for (o = 0; o < m; o++)
		ADD(n + o, T, g->cap[o], 0);
#undef ADD
	for (;;) {
		int changed = 1, u, k;

		for (i = 0; i < V; i++)
			dist[i] = INT64_MAX;
		dist[S] = 0;
		for (it = 0; it < V && changed; it++) {
			changed = 0;
			for (u = 0; u < V; u++) {
				if (dist[u] == INT64_MAX)
					continue;
				for (k = head[u]; k >= 0; k = nxt[k])
					if (cap[k] > 0 && dist[u] + cost[k] <
					    dist[to[k]]) {
						dist[to[k]] = dist[u] + cost[k];
						pe[to[k]] = k;
						changed = 1;
					}
			}
		}
		if (dist[T] == INT64_MAX || dist[T] >= 0)
			break;
		total -= dist[T];
		for (u = T; u != S; u = to[pe[u] ^ 1]) {
			cap[pe[u]]--;
			cap[pe[u] ^ 1]++;
		}
	}
	free(to);
	free(cap);
	free(cost);
	free(head);
	free(nxt);
	free(dist);
	free(pe);
	return total;
}

static void
test_assign_medium(void **state)
{
	size_t start[61];
	int32_t off[60 * 40], sc[60 * 40];
	int cap[40], it, i, o, n, m, w;
	int64_t match[60];

	(void)state;
	rng_state = 0xabcdef12345ULL;
	for (it = 0; it < 600; it++) {
		struct assign_graph g;
		size_t k = 0;

		n = 5 + rint_(55);
		m = 3 + rint_(37);
		w = it % 3 == 0 ? 10 : it % 3 == 1 ? 10000 : 500000;
		for (o = 0; o < m; o++)
			cap[o] = rint_(4);
		for (i = 0; i < n; i++) {
			start[i] = k;
			for (o = 0; o < m; o++)
				if (rint_(5) == 0) {
					off[k] = o;
					sc[k++] = (int32_t)rint_(w) -
					    (it % 5 == 0 ? w / 10 : 0);
				}
		}
		start[n] = k;
		g.nneeds = n;
		g.noffers = m;
		g.start = start;
		g.offer = off;
		g.score = sc;
		g.cap = cap;
		assert_int_equal(assign_optimal(&g, match), 0);
		assert_int_equal(assign_total(&g, match), ssp_total(&g));
	}
}

/*
 * matcher_candidates gives exactly the pairs that pass the filters (an
 * independent reading of docs/design.md, "Matching"), each need's in
 * preference order.
 */
static void
test_random_candidates(void **state)
{
	struct inst s;
	struct matcher_cands cs;
	int cap[MAXO], n, o, it, inref, found;
	int64_t left[MAXC];
	unsigned char fixed[MAXN];
	size_t a;

	(void)state;
	rng_state = 0x777ULL;
	for (it = 0; it < 5000; it++) {
		gen(&s, it % 3 == 0, it % 2);
		assert_int_equal(matcher_candidates(&s.in, &cs), 0);
		left_after_fixed(&s.in, cap, left, fixed);
		assert_int_equal(cs.nneeds, s.in.nneeds);
		for (n = 0; n < (int)s.in.nneeds; n++) {
			for (a = cs.start[n]; a < cs.start[n + 1]; a++) {
				const struct matcher_cand *c = &cs.c[a];

				assert_int_equal(c->need, n);
				assert_int_equal(c->score.total,
				    pair_score(&s.in, n, c->offer));
				if (a == cs.start[n])
					continue;
				/* Preference order. */
				{
					const struct matcher_cand *p = c - 1;
					const struct matcher_offer *x =
					    &s.offers[p->offer];
					const struct matcher_offer *y =
					    &s.offers[c->offer];

					assert_true(p->score.total >
					    c->score.total ||
					    (p->score.total == c->score.total &&
					    (x->price_fen < y->price_fen ||
					    (x->price_fen == y->price_fen &&
					    x->id < y->id))));
				}
			}
			for (o = 0; o < (int)s.in.noffers; o++) {
				inref = is_cand(&s.in, cap, left, fixed, n, o);
				for (found = 0, a = cs.start[n];
				    a < cs.start[n + 1]; a++)
					found += cs.c[a].offer == o;
				assert_int_equal(found, inref);
			}
		}
		assert_int_equal(cs.start[s.in.nneeds], cs.n);
		matcher_cands_free(&cs);
	}
}

/* Bad input is refused, not crashed on. */
static void
test_bad_input(void **state)
{
	struct inst s;
	struct matcher_result r;
	struct matcher_pair p[2];

	(void)state;
	rng_state = 77;
	gen(&s, 0, 0);
	s.needs[0].community = 99;
	assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &r), -1);
	gen(&s, 0, 0);
	s.in.weights.budget = -1;
	assert_int_equal(matcher_run(&s.in, MATCHER_GREEDY, &r), -1);
	gen(&s, 0, 0);
	p[0].need = 0;
	p[0].offer = 0;
	p[1] = p[0];
	s.in.fixed = p;
	s.in.nfixed = 2;		/* one need fixed twice */
	assert_int_equal(matcher_run(&s.in, MATCHER_STABLE, &r), -1);
	gen(&s, 0, 0);
	s.in.nneeds = 2;
	s.needs[1].id = s.needs[0].id;	/* duplicate id */
	assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &r), -1);
	gen(&s, 0, 0);
	s.in.nneeds = 0;
	s.in.noffers = 0;
	assert_int_equal(matcher_run(&s.in, MATCHER_OPTIMAL, &r), 0);
	assert_int_equal(r.nmatches, 0);
	matcher_result_free(&r);
}

/* A cross-community need charges each community its share. */
static void
test_cross_community(void **state)
{
	struct matcher_need n[2];
	struct matcher_offer o;
	struct matcher_community c[2] = { { 10000, 0 }, { 5000, 0 } };
	struct matcher_input in;
	struct matcher_result r;
	int partner = 1, street = 0;
	int64_t sh[3];

	(void)state;
	memset(n, 0, sizeof(n));
	memset(&o, 0, sizeof(o));
	memset(&in, 0, sizeof(in));
	n[0].id = 1;
	n[0].community = 0;
	n[0].partners = &partner;
	n[0].npartners = 1;
	n[0].budget_fen = 9001;
	n[0].eligible = 1;
	n[1] = n[0];
	n[1].id = 2;
	o.id = 5;
	o.price_fen = 9001;
	o.capacity = 2;
	o.streets = &street;
	o.nstreets = 1;
	o.eligible = 1;
	matcher_shares(&n[0], 9001, sh);
	assert_int_equal(sh[0], 4501);
	assert_int_equal(sh[1], 4500);
	in.needs = n;
	in.nneeds = 2;
	in.offers = &o;
	in.noffers = 1;
	in.communities = c;
	in.ncommunities = 2;
	score_weights_default(&in.weights);
	/* Community 1 (cap 5000) takes one share of 4500, not two. */
	assert_int_equal(matcher_run(&in, MATCHER_OPTIMAL, &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.ncapped, 1);		/* 4501 x 2 fits 10000 */
	assert_int_equal(r.capped[0], 1);
	assert_false(r.exact);
	matcher_result_free(&r);
	/* Greedy and stable turn the second pair away too, and say why. */
	assert_int_equal(matcher_run(&in, MATCHER_GREEDY, &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.ncapped, 1);
	assert_int_equal(r.capped[0], 1);
	matcher_result_free(&r);
	assert_int_equal(matcher_run(&in, MATCHER_STABLE, &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.ncapped, 1);
	assert_int_equal(r.capped[0], 1);
	matcher_result_free(&r);
	c[1].cap_fen = 9000;
	assert_int_equal(matcher_run(&in, MATCHER_OPTIMAL, &r), 0);
	assert_int_equal(r.nmatches, 2);
	assert_int_equal(r.ncapped, 0);
	assert_true(r.exact);
	matcher_result_free(&r);
	assert_int_equal(matcher_run(&in, MATCHER_GREEDY, &r), 0);
	assert_int_equal(r.ncapped, 0);
	matcher_result_free(&r);
}

static int
setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NTEXTS; i++)
		if (text_tokenize(texts[i], strlen(texts[i]), &toks[i]) == -1)
			return -1;
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NTEXTS; i++)
		text_tokens_free(&toks[i]);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_uncapped),
		cmocka_unit_test(test_random_capped),
		cmocka_unit_test(test_bound_exhaustive),
		cmocka_unit_test(test_random_interests),
		cmocka_unit_test(test_assign_medium),
		cmocka_unit_test(test_random_candidates),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_cross_community),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
