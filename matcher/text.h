/*
 * text.h: token sets of need and offer texts, and their Dice similarity
 * (docs/design.md, "Matching").  Pure: no I/O.
 */
#ifndef MATCHER_TEXT_H
#define MATCHER_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * A token set: sorted, unique 64-bit hashes of the tokens.  The set owns
 * `h`; text_tokens_free releases it.  A zeroed struct is the empty set.
 */
struct text_tokens {
	uint64_t	*h;
	size_t		 n;
};

/*
 * Tokenise UTF-8 text s[0..len) into *out (which is overwritten, not freed
 * first).  Tokens are the lower-cased runs of [a-z0-9], and, within each run
 * of other letters, every pair of neighbouring characters (a run of one
 * character is itself a token).  ASCII punctuation, spaces, CJK and
 * fullwidth punctuation and symbols, and invalid UTF-8 bytes separate runs.
 * Returns 0, or -1 when out of memory (then *out is the empty set).
 */
int	 text_tokenize(const char *s, size_t len, struct text_tokens *out);

/*
 * Tokenise a need's or offer's text: title, a newline, description (either
 * may be NULL for empty).  Returns 0 or -1 as text_tokenize.
 */
int	 text_tokenize_doc(const char *title, const char *description,
	    struct text_tokens *out);

/* Number of tokens the two sets share (a merge of the sorted hashes). */
size_t	 text_common(const struct text_tokens *a, const struct text_tokens *b);

/* Dice similarity 2|A ∩ B| / (|A| + |B|); 0 when both are empty. */
double	 text_dice(const struct text_tokens *a, const struct text_tokens *b);

/* Release what t owns and leave it the empty set.  NULL is allowed. */
void	 text_tokens_free(struct text_tokens *t);

#endif
