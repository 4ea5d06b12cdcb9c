/*
 * test_score.c: text tokens, Dice similarity and the five score parts
 * against hand-computed values.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "matcher/matcher.h"
#include "matcher/score.h"
#include "matcher/text.h"

static size_t	 ntok(const char *);
static double	 dice(const char *, const char *);
static int32_t	 part_budget(int64_t, int64_t);

/* Number of tokens in s. */
static size_t
ntok(const char *s)
{
	struct text_tokens t;
	size_t n;

	assert_int_equal(text_tokenize(s, strlen(s), &t), 0);
	n = t.n;
	text_tokens_free(&t);
	return n;
}

static double
dice(const char *a, const char *b)
{
	struct text_tokens ta, tb;
	double d;

	assert_int_equal(text_tokenize(a, strlen(a), &ta), 0);
	assert_int_equal(text_tokenize(b, strlen(b), &tb), 0);
	d = text_dice(&ta, &tb);
	text_tokens_free(&ta);
	text_tokens_free(&tb);
	return d;
}

static void
test_chinese_bigrams(void **state)
{
	(void)state;
	/* {社区, 区老, 老人} vs {老人, 人食, 食堂}: 2 x 1 / 6. */
	assert_int_equal(ntok("社区老人"), 3);
	assert_int_equal(ntok("老人食堂"), 3);
	assert_true(fabs(dice("社区老人", "老人食堂") - 1.0 / 3.0) < 1e-12);
	/* A run of one character is itself. */
	assert_int_equal(ntok("老"), 1);
	assert_true(fabs(dice("老", "老") - 1.0) < 1e-12);
	assert_true(dice("老", "老人") == 0.0);
	/* Repeated bigrams count once: {老人, 人老}. */
	assert_int_equal(ntok("老人老人"), 2);
}

static void
test_separators(void **state)
{
	(void)state;
	/* CJK punctuation and the ideographic space split runs. */
	assert_int_equal(ntok("社区，老人"), 2);
	assert_int_equal(ntok("社区\xe3\x80\x80老人"), 2);
	assert_int_equal(ntok("（老人）《食堂》【社区】"), 3);
	assert_int_equal(ntok("老人！？：；、。“食堂”"), 2);
	assert_true(fabs(dice("社区，老人", "社区老人") - 0.8) < 1e-12);
	/* Fullwidth punctuation too. */
	assert_int_equal(ntok("老人\xef\xbc\x81食堂"), 2);
	/* ASCII ends a run: {abc, 社区}. */
	assert_int_equal(ntok("abc社区"), 2);
	assert_int_equal(ntok("社a区"), 3);
	assert_int_equal(ntok(" \t\n,.;!?"), 0);
}

static void
test_latin(void **state)
{
	(void)state;
	assert_int_equal(ntok("Hello, World! hello"), 2);
	assert_true(fabs(dice("Hello World", "hello world") - 1.0) < 1e-12);
	assert_int_equal(ntok("ABC123 def-ghi"), 3);
	/* 2 x 1 / (2 + 3). */
	assert_true(fabs(dice("elderly care", "care for kids") - 0.4) <
	    1e-12);
	/* Words longer than the internal buffer still compare. */
	assert_true(fabs(dice("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB") - 1.0) < 1e-12);
	assert_true(dice("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac") == 0.0);
}

static void
test_empty_and_doc(void **state)
{
	struct text_tokens a, b;

	(void)state;
	assert_true(dice("", "") == 0.0);
	assert_true(dice("老人", "") == 0.0);
	assert_true(text_dice(NULL, NULL) == 0.0);
	assert_int_equal(text_tokenize_doc("社区食堂", "老人 lunch", &a), 0);
	assert_int_equal(text_tokenize("社区食堂\n老人 lunch",
	    strlen("社区食堂\n老人 lunch"), &b), 0);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.n, 5);
	assert_memory_equal(a.h, b.h, a.n * sizeof(*a.h));
	text_tokens_free(&a);
	text_tokens_free(&b);
	/* The newline separates title from description. */
	assert_int_equal(text_tokenize_doc("老", "人", &a), 0);
	assert_int_equal(a.n, 2);
	text_tokens_free(&a);
}

static void
test_invalid_utf8(void **state)
{
	struct text_tokens t;
	char buf[64];
	uint64_t x = 12345;
	int i, k;

	(void)state;
	/* Bad bytes separate: stray continuation, overlong, truncated. */
	assert_int_equal(ntok("\xff老人\xfe"), 1);
	assert_int_equal(ntok("老\x80人"), 2);
	assert_int_equal(ntok("\xc0\xaf\xe0\x80\xaf"), 0);
	assert_int_equal(ntok("ab\xe8\x80"), 1);
	assert_int_equal(ntok("\xed\xa0\x80"), 0);	/* a surrogate */
	assert_int_equal(ntok("\xf4\x90\x80\x80"), 0);	/* above U+10FFFF */
	/* Random bytes never crash and give a sorted unique set. */
	for (i = 0; i < 20000; i++) {
		for (k = 0; k < (int)sizeof(buf); k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[k] = (char)(x & 0xff);
		}
		assert_int_equal(text_tokenize(buf, (size_t)(i % 64), &t), 0);
		for (k = 1; k < (int)t.n; k++)
			assert_true(t.h[k - 1] < t.h[k]);
		text_tokens_free(&t);
	}
	assert_int_equal(text_tokenize(NULL, 0, &t), 0);
	assert_int_equal(t.n, 0);
}

/* The budget part at default weights. */
static int32_t
part_budget(int64_t price, int64_t budget)
{
	struct score_weights w;
	struct score_facts f;
	struct score_parts p;

	score_weights_default(&w);
	memset(&f, 0, sizeof(f));
	f.price_fen = price;
	f.budget_fen = budget;
	score_compute(&w, &f, &p);
	return p.budget;
}

static void
test_parts_default(void **state)
{
	struct score_weights w;
	struct score_facts f;
	struct score_parts p;
	struct text_tokens a, b;

	(void)state;
	score_weights_default(&w);
	assert_int_equal(text_tokenize_doc("社区老人", NULL, &a), 0);
	assert_int_equal(text_tokenize_doc("老人食堂", NULL, &b), 0);
	memset(&f, 0, sizeof(f));
	f.same_family = 1;
	f.same_sub = 1;
	f.price_fen = 50000;
	f.budget_fen = 100000;
	f.need_text = &a;
	f.offer_text = &b;
	f.in_library = 1;
	f.local = 1;
	score_compute(&w, &f, &p);
	assert_int_equal(p.category, 4000);
	assert_int_equal(p.budget, 1250);
	assert_int_equal(p.text, 667);		/* 20 x 1/3 = 6.666... */
	assert_int_equal(p.library, 1000);
	assert_int_equal(p.locality, 500);
	assert_int_equal(p.interest, 0);	/* suggestions: five parts */
	assert_int_equal(p.total, 4000 + 1250 + 667 + 1000 + 500);

	f.same_sub = 0;
	f.in_library = 0;
	f.local = 0;
	f.need_text = NULL;
	score_compute(&w, &f, &p);
	assert_int_equal(p.category, 1500);
	assert_int_equal(p.text, 0);
	assert_int_equal(p.library, 0);
	assert_int_equal(p.locality, 0);
	assert_int_equal(p.total, 1500 + 1250);
	f.same_family = 0;
	score_compute(&w, &f, &p);
	assert_int_equal(p.category, 0);
	text_tokens_free(&a);
	text_tokens_free(&b);

	assert_int_equal(part_budget(100000, 100000), 2500);
	assert_int_equal(part_budget(1, 3), 833);	/* 8.333... */
	assert_int_equal(part_budget(2, 3), 1667);	/* 16.666... */
	assert_int_equal(part_budget(4938, 10000), 1235);	/* 12.345 up */
	assert_int_equal(part_budget(0, 10000), 0);
	assert_int_equal(part_budget(100, 0), 0);
}

static void
test_parts_weighted(void **state)
{
	struct score_weights w;
	struct score_facts f;
	struct score_parts p;
	struct text_tokens a, b;

	(void)state;
	w.category = 30;
	w.budget = 10;
	w.text = 50;
	w.library = 0;
	w.locality = 2.5;
	w.interest = 7.5;
	assert_int_equal(text_tokenize_doc("elderly care", NULL, &a), 0);
	assert_int_equal(text_tokenize_doc("care for kids", NULL, &b), 0);
	memset(&f, 0, sizeof(f));
	f.same_family = 1;
	f.price_fen = 1;
	f.budget_fen = 3;
	f.need_text = &a;
	f.offer_text = &b;
	f.in_library = 1;
	f.local = 1;
	score_compute(&w, &f, &p);
	assert_int_equal(p.category, 1125);	/* 30 x 15 / 40 = 11.25 */
	assert_int_equal(p.budget, 333);	/* 10 / 3 */
	assert_int_equal(p.text, 2000);		/* 50 x 0.4 */
	assert_int_equal(p.library, 0);
	assert_int_equal(p.locality, 250);
	assert_int_equal(p.total, 1125 + 333 + 2000 + 250);
	assert_int_equal(p.interest, 0);
	f.same_sub = 1;
	score_compute(&w, &f, &p);
	assert_int_equal(p.category, 3000);
	/* A `want` pair of a fair: the sixth part, in the total. */
	f.want = 1;
	score_compute(&w, &f, &p);
	assert_int_equal(p.interest, 750);
	assert_int_equal(p.total, 3000 + 333 + 2000 + 250 + 750);
	f.want = 0;
	text_tokens_free(&a);
	text_tokens_free(&b);

	assert_int_equal(score_weights_check(&w), 0);
	w.interest = -1;
	assert_int_equal(score_weights_check(&w), -1);
	w.interest = NAN;
	assert_int_equal(score_weights_check(&w), -1);
	w.interest = 1000.5;
	assert_int_equal(score_weights_check(&w), -1);
	w.interest = 7.5;
	w.text = -1;
	assert_int_equal(score_weights_check(&w), -1);
	w.text = NAN;
	assert_int_equal(score_weights_check(&w), -1);
	w.text = INFINITY;
	assert_int_equal(score_weights_check(&w), -1);
}

/* The breakdown of a candidate from matcher_candidates adds up. */
static void
test_candidate_breakdown(void **state)
{
	struct text_tokens tn, to;
	struct matcher_need n;
	struct matcher_offer o;
	struct matcher_community c = { 200000000, 0 };
	struct matcher_input in;
	struct matcher_cands cs;
	int streets[] = { 3 };

	(void)state;
	assert_int_equal(text_tokenize_doc("社区老人助餐", "每周三次", &tn), 0);
	assert_int_equal(text_tokenize_doc("老人助餐服务", "社区食堂", &to), 0);
	memset(&n, 0, sizeof(n));
	memset(&o, 0, sizeof(o));
	n.id = 7;
	n.street = 3;
	n.family = 2;
	n.sub = 5;
	n.budget_fen = 4000000;
	n.tokens = &tn;
	n.eligible = 1;
	o.id = 9;
	o.org_street = 3;
	o.family = 2;
	o.sub = 5;
	o.price_fen = 3000000;
	o.capacity = 1;
	o.streets = streets;
	o.nstreets = 1;
	o.in_library = 1;
	o.tokens = &to;
	o.eligible = 1;
	memset(&in, 0, sizeof(in));
	in.needs = &n;
	in.nneeds = 1;
	in.offers = &o;
	in.noffers = 1;
	in.communities = &c;
	in.ncommunities = 1;
	score_weights_default(&in.weights);
	assert_int_equal(matcher_candidates(&in, &cs), 0);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.c[0].score.category, 4000);
	assert_int_equal(cs.c[0].score.budget, 1875);	/* 25 x 0.75 */
	/*
	 * {社区, 区老, 老人, 人助, 助餐, 每周, 周三, 三次} and
	 * {老人, 人助, 助餐, 餐服, 服务, 社区, 区食, 食堂}: 4 shared,
	 * 20 x 8 / 16 = 10.
	 */
	assert_int_equal(cs.c[0].score.text, 1000);
	assert_int_equal(cs.c[0].score.library, 1000);
	assert_int_equal(cs.c[0].score.locality, 500);
	assert_int_equal(cs.c[0].score.total, 4000 + 1875 + 1000 + 1000 + 500);
	matcher_cands_free(&cs);
	text_tokens_free(&tn);
	text_tokens_free(&to);
}

/*
 * One need, offers X (price = budget: 65 points) and Y (60% of it: 55
 * points), one place each: the effect of each interest level on the
 * candidates and on the methods' choice.
 */
struct lv {
	struct matcher_need		n;
	struct matcher_offer		o[2];
	struct matcher_community	c;
	struct matcher_interest		x[2];
	struct matcher_pair		fixed;
	int				street;
	struct matcher_input		in;
};

static void
lv_init(struct lv *v)
{
	int i;

	memset(v, 0, sizeof(*v));
	v->c.cap_fen = 100000000;
	v->n.id = 1;
	v->n.budget_fen = 10000;
	v->n.eligible = 1;
	for (i = 0; i < 2; i++) {
		v->o[i].id = 10 + i;
		v->o[i].org_street = 9;
		v->o[i].price_fen = i == 0 ? 10000 : 6000;
		v->o[i].capacity = 1;
		v->o[i].streets = &v->street;
		v->o[i].nstreets = 1;
		v->o[i].eligible = 1;
	}
	v->in.needs = &v->n;
	v->in.nneeds = 1;
	v->in.offers = v->o;
	v->in.noffers = 2;
	v->in.communities = &v->c;
	v->in.ncommunities = 1;
	v->in.interests = v->x;
	score_weights_default(&v->in.weights);
}

/* The offer every method matches the need with (-1: none). */
static int
lv_choice(const struct matcher_input *in)
{
	struct matcher_result r;
	int m, offer = -2;

	for (m = MATCHER_OPTIMAL; m <= MATCHER_STABLE; m++) {
		assert_int_equal(matcher_run(in, (enum matcher_method)m, &r),
		    0);
		if (offer == -2)
			offer = r.nmatches ? r.matches[0].offer : -1;
		assert_int_equal(r.nmatches ? r.matches[0].offer : -1, offer);
		matcher_result_free(&r);
	}
	return offer;
}

/* Both candidates: X's total, Y's total and Y's interest part. */
static void
lv_cands(const struct matcher_input *in, int32_t x, int32_t y, int32_t yi)
{
	struct matcher_cands cs;

	assert_int_equal(matcher_candidates(in, &cs), 0);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.c[0].offer, 0);
	assert_int_equal(cs.c[0].score.total, x);
	assert_int_equal(cs.c[0].score.interest, 0);
	assert_int_equal(cs.c[1].score.total, y);
	assert_int_equal(cs.c[1].score.interest, yi);
	matcher_cands_free(&cs);
}

static void
test_interest_levels(void **state)
{
	struct lv v;
	struct matcher_cands cs;
	struct matcher_result r;

	(void)state;
	/* No interest: X scores 65, Y 55; X is chosen. */
	lv_init(&v);
	lv_cands(&v.in, 6500, 5500, 0);
	assert_int_equal(lv_choice(&v.in), 0);

	/* want on Y: the part interest, 5 points by default: still X. */
	v.x[0] = (struct matcher_interest){ 0, 1, MATCHER_WANT };
	v.in.ninterests = 1;
	lv_cands(&v.in, 6500, 6000, 500);
	assert_int_equal(lv_choice(&v.in), 0);
	/* At weight 20 it outweighs: Y (75) over X (65), everywhere. */
	v.in.weights.interest = 20;
	assert_int_equal(lv_choice(&v.in), 1);
	assert_int_equal(matcher_run(&v.in, MATCHER_OPTIMAL, &r), 0);
	assert_int_equal(r.total_score, 7500);
	assert_int_equal(r.matches[0].score.interest, 2000);
	matcher_result_free(&r);

	/* must on Y: nothing changes here (it is for the schedule). */
	v.x[0].level = MATCHER_MUST;
	assert_int_equal(lv_choice(&v.in), 0);
	v.x[0].level = MATCHER_MUST | MATCHER_WANT;
	assert_int_equal(lv_choice(&v.in), 1);

	/* no on X: not a candidate, never matched; no wins over want. */
	v.x[0] = (struct matcher_interest){ 0, 0, MATCHER_NO | MATCHER_WANT };
	v.in.weights.interest = 5;
	assert_int_equal(matcher_candidates(&v.in, &cs), 0);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.c[0].offer, 1);
	matcher_cands_free(&cs);
	assert_int_equal(lv_choice(&v.in), 1);
	/* no on both: unmatched. */
	v.x[1] = (struct matcher_interest){ 0, 1, MATCHER_NO };
	v.in.ninterests = 2;
	assert_int_equal(lv_choice(&v.in), -1);
	/* A confirmed pair stays, whatever was said since. */
	v.fixed = (struct matcher_pair){ 0, 0 };
	v.in.fixed = &v.fixed;
	v.in.nfixed = 1;
	assert_int_equal(lv_choice(&v.in), 0);
	v.x[0].level = MATCHER_WANT;
	assert_int_equal(matcher_run(&v.in, MATCHER_OPTIMAL, &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_true(r.matches[0].fixed);
	assert_int_equal(r.matches[0].score.interest, 500);
	assert_int_equal(r.total_score, 7000);
	matcher_result_free(&r);
}

/* Interests must be sorted, one a pair, in range, of known levels. */
static void
test_interest_input(void **state)
{
	struct lv v;
	struct matcher_result r;
	struct matcher_cands cs;

	(void)state;
	lv_init(&v);
	v.x[0] = (struct matcher_interest){ 0, 1, MATCHER_WANT };
	v.x[1] = (struct matcher_interest){ 0, 0, MATCHER_NO };
	v.in.ninterests = 2;
	assert_int_equal(matcher_input_check(&v.in), -1);	/* unsorted */
	v.x[1].offer = 1;
	assert_int_equal(matcher_input_check(&v.in), -1);	/* twice */
	v.in.ninterests = 1;
	assert_int_equal(matcher_input_check(&v.in), 0);
	v.x[0].level = 0;
	assert_int_equal(matcher_input_check(&v.in), -1);
	v.x[0].level = 8;
	assert_int_equal(matcher_input_check(&v.in), -1);
	v.x[0].level = MATCHER_WANT;
	v.x[0].offer = 2;
	assert_int_equal(matcher_input_check(&v.in), -1);
	assert_int_equal(matcher_run(&v.in, MATCHER_OPTIMAL, &r), -1);
	assert_int_equal(matcher_candidates(&v.in, &cs), -1);
	v.x[0].offer = 1;
	v.x[0].need = -1;
	assert_int_equal(matcher_input_check(&v.in), -1);
	v.x[0].need = 0;
	v.in.interests = NULL;
	assert_int_equal(matcher_input_check(&v.in), -1);
	v.in.ninterests = 0;
	assert_int_equal(matcher_input_check(&v.in), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chinese_bigrams),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_latin),
		cmocka_unit_test(test_empty_and_doc),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_parts_default),
		cmocka_unit_test(test_parts_weighted),
		cmocka_unit_test(test_candidate_breakdown),
		cmocka_unit_test(test_interest_levels),
		cmocka_unit_test(test_interest_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
