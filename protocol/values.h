/*
 * values.h: the value rules of docs/protocol.md, "Values" (amounts, codes,
 * text, dates, categories).  Each check names the argument at fault in err.
 */
#ifndef PROTOCOL_VALUES_H
#define PROTOCOL_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "protocol/error.h"

#define TAX_MAX_FAMILIES	8
#define TAX_MAX_SUBS		32
#define TAX_NAME_MAX		32

#define AMOUNT_MAX_FEN		((int64_t)1000000000000)	/* 1e10 yuan */

/* The category taxonomy: families and their sub-categories. */
struct taxonomy {
	int	nfamilies;
	struct tax_family {
		char	name[TAX_NAME_MAX];
		int	nsubs;
		char	subs[TAX_MAX_SUBS][TAX_NAME_MAX];
	} fam[TAX_MAX_FAMILIES];
};

/*
 * Set family's sub-categories from a comma-separated list, replacing any
 * earlier list of that family.  Returns 0, or -1 with a reason in msg.
 */
int	 taxonomy_set(struct taxonomy *, const char *family, const char *csv,
	    char *msg, size_t msglen);

/* The default taxonomy of docs/design.md ("Domain"). */
void	 taxonomy_default(struct taxonomy *);

/*
 * Find "family.sub": 0 with the indexes set (either may be NULL), or -1.
 * With allow_family, a bare family name also matches (*sub = -1).
 */
int	 taxonomy_find(const struct taxonomy *, const char *category,
	    int allow_family, int *fam, int *sub);

/* Write "a, b, c" (the subs of family f) into buf. */
void	 taxonomy_list(const struct taxonomy *, int f, char *buf, size_t len);

/* Amount in yuan with at most two decimals, within [zero_ok ? 0 : 0.01, 1e10]. */
int	 value_amount(const cJSON *v, const char *field, int zero_ok,
	    int64_t *fen, struct error *err);

/* The decimal places of a JSON number literal; -1 when malformed. */
int	 value_decimals(const char *literal);

/* Text of min..max characters, no control characters but \n and \t. */
int	 value_text(const cJSON *v, const char *field, long min, long max,
	    struct error *err);

/* A code: 1-64 of A-Z a-z 0-9 _ -. */
int	 value_code(const cJSON *v, const char *field, struct error *err);
int	 value_code_ok(const char *s);

/* An integral number within [min, max]. */
int	 value_int(const cJSON *v, const char *field, long long min,
	    long long max, long long *out, struct error *err);

/* YYYY-MM-DD, a real calendar date. */
int	 value_date(const cJSON *v, const char *field, struct error *err);

/* HH:MM, 00:00 to 23:59. */
int	 value_time(const cJSON *v, const char *field, struct error *err);

/* A category of the taxonomy, naming the positive list for engineering. */
int	 value_category(const cJSON *v, const char *field,
	    const struct taxonomy *, int allow_family, struct error *err);

/* Character count of valid UTF-8 text. */
size_t	 utf8_length(const char *s);

#endif
