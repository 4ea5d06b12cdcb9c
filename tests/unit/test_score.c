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
	f.same_sub = 1;
	score_compute(&w, &f, &p);
	assert_int_equal(p.category, 3000);
	text_tokens_free(&a);
	text_tokens_free(&b);

	assert_int_equal(score_weights_check(&w), 0);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
