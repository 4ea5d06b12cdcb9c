/*
 * ctl_answer.c: framing, checking and printing the daemon's answers
 * (the contract is in ctl_answer.h).  Nothing here reads a socket, so
 * tests/fuzz/fuzz_answer.c drives it with any bytes.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "client/ctl_answer.h"
#include "protocol/frame.h"
#include "protocol/json_scan.h"

#define CTL_IN_CHUNK	65536

char *
ctl_in_space(struct ctl_in *in, size_t *room)
{
	size_t	 rest = in->len - in->start, limit, ncap;
	char	*nb;

	/* After CTL_IN_MORE, what is unread is part of one line. */
	assert(rest <= in->max + 1);
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, rest);
		in->start = 0;
		in->len = rest;
	}
	limit = in->max + 2 + CTL_IN_CHUNK;
	if (in->cap - in->len < CTL_IN_CHUNK && in->cap < limit) {
		ncap = in->cap ? in->cap * 2 : 2 * CTL_IN_CHUNK;
		if (ncap > limit)
			ncap = limit;
		if ((nb = realloc(in->buf, ncap)) == NULL)
			return NULL;
		in->buf = nb;
		in->cap = ncap;
	}
	*room = in->cap - in->len;
	return in->buf + in->len;
}

void
ctl_in_fill(struct ctl_in *in, size_t n)
{
	assert(n <= in->cap - in->len);
	in->len += n;
}

enum ctl_in_status
ctl_in_next(struct ctl_in *in, const char **line, size_t *linelen)
{
	const char	*p;
	size_t		 n, used;

	for (;;) {
		if (in->start == in->len)
			return CTL_IN_MORE;	/* buf may still be NULL */
		p = in->buf + in->start;
		switch (frame_next_from(p, in->len - in->start, in->scanned,
		    in->max, &n, &used)) {
		case FRAME_MORE:
			in->scanned = in->len - in->start;
			return CTL_IN_MORE;
		case FRAME_EMPTY:
			in->start += used;
			in->scanned = 0;
			continue;
		case FRAME_LINE:
			in->start += used;
			in->scanned = 0;
			*line = p;
			*linelen = n;
			return CTL_IN_LINE;
		case FRAME_TOO_LARGE:
		default:
			return CTL_IN_TOO_LARGE;
		}
	}
}

void
ctl_in_free(struct ctl_in *in)
{
	free(in->buf);
	in->buf = NULL;
	in->cap = in->start = in->len = in->scanned = 0;
}

/*
 * How many values cJSON would make of buf[0..len), which json_scan found
 * to be JSON: one, and one more for each ',' and each opening bracket
 * outside strings (an upper bound: "[]" counts two).
 */
static size_t
count_values(const char *buf, size_t len)
{
	size_t	i, n = 1;
	int	instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				instr = 0;
		} else if (buf[i] == '"')
			instr = 1;
		else if (buf[i] == ',' || buf[i] == '[' || buf[i] == '{')
			n++;
	}
	return n;
}

/* Every number in the tree is finite (cJSON reads 1e400 as infinity). */
static int
all_finite(const cJSON *v)
{
	const cJSON *c;

	if (cJSON_IsNumber(v))
		return isfinite(v->valuedouble);
	for (c = v->child; c != NULL; c = c->next)
		if (!all_finite(c))
			return 0;
	return 1;
}

/* A string member, NULL when absent; -1 when present but not a string. */
static int
string_member(const cJSON *o, const char *key, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	*out = v->valuestring;
	return 0;
}

int
ctl_answer_parse(const char *line, size_t len, long id, size_t max_values,
    struct ctl_answer *a, char *why, size_t whylen)
{
	struct error	 err;
	const cJSON	*idv, *okv, *e;
	const char	*detail;
	cJSON		*root;

	memset(a, 0, sizeof(*a));
	memset(&err, 0, sizeof(err));
	if (json_scan(line, len, CTL_ANSWER_DEPTH, &err) == -1) {
		/* json_scan's "...: WHAT at byte N": keep WHAT at byte N. */
		detail = strstr(err.message, ": ");
		snprintf(why, whylen, "the daemon sent an answer that is not "
		    "JSON (%s)", detail != NULL ? detail + 2 : "bad bytes");
		return -1;
	}
	if (count_values(line, len) > max_values) {
		snprintf(why, whylen, "the daemon's answer holds more than "
		    "%zu JSON values", max_values);
		return -1;
	}
	if ((root = cJSON_ParseWithLength(line, len)) == NULL) {
		snprintf(why, whylen, "the daemon sent an answer that is not "
		    "JSON (or matchctl is out of memory)");
		return -1;
	}
	if (json_duplicate_key(root) != NULL) {
		snprintf(why, whylen, "the daemon's answer names a key twice "
		    "in one object");
		goto bad;
	}
	if (!all_finite(root)) {
		snprintf(why, whylen, "the daemon's answer holds a number "
		    "out of range");
		goto bad;
	}
	if (!cJSON_IsObject(root)) {
		snprintf(why, whylen, "the daemon's answer is not a JSON "
		    "object");
		goto bad;
	}
	okv = cJSON_GetObjectItemCaseSensitive(root, "ok");
	if (!cJSON_IsBool(okv)) {
		snprintf(why, whylen, "the daemon's answer has no \"ok\": "
		    "true or false");
		goto bad;
	}
	a->root = root;
	a->ok = cJSON_IsTrue(okv);
	idv = cJSON_GetObjectItemCaseSensitive(root, "id");
	if (!a->ok && cJSON_IsNull(idv))
		a->id_null = 1;
	else if (!cJSON_IsNumber(idv) || idv->valuedouble != (double)id) {
		snprintf(why, whylen, "the daemon's answer is not for this "
		    "request (its id is not %ld)", id);
		goto bad;
	}
	if (a->ok) {
		a->result = cJSON_GetObjectItemCaseSensitive(root, "result");
		if (a->result == NULL) {
			snprintf(why, whylen, "the daemon's answer has no "
			    "result");
			goto bad;
		}
		return 0;
	}
	e = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (!cJSON_IsObject(e) || string_member(e, "code", &a->code) == -1 ||
	    string_member(e, "message", &a->message) == -1 ||
	    a->code == NULL || a->message == NULL) {
		snprintf(why, whylen, "the daemon's answer says the request "
		    "failed but gives no error code and message");
		goto bad;
	}
	if (string_member(e, "field", &a->field) == -1) {
		snprintf(why, whylen, "the daemon's error answer has a "
		    "\"field\" that is not a string");
		goto bad;
	}
	return 0;
bad:
	cJSON_Delete(root);
	memset(a, 0, sizeof(*a));
	return -1;
}

void
ctl_answer_free(struct ctl_answer *a)
{
	cJSON_Delete(a->root);
	memset(a, 0, sizeof(*a));
}

/* U+0080..U+009F in UTF-8: 0xC2 then 0x80..0x9F. */
#define IS_C1(s)	((unsigned char)(s)[0] == 0xc2 &&		\
			 (unsigned char)(s)[1] >= 0x80 &&		\
			 (unsigned char)(s)[1] <= 0x9f)

void
ctl_print_text(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else if (IS_C1(p)) {
			fprintf(fp, "\\u%04x", p[1]);
			p++;
		} else
			putc(*p, fp);
	}
}

void
ctl_answer_print_error(const struct ctl_answer *a, FILE *fp)
{
	ctl_print_text(fp, a->code);
	if (a->field != NULL) {
		fputs(" (", fp);
		ctl_print_text(fp, a->field);
		putc(')', fp);
	}
	fputs(": ", fp);
	ctl_print_text(fp, a->message);
}

/*
 * cJSON's formatted text with two spaces for each tab: cJSON writes tabs
 * only as indentation and after a colon (a tab in a string is escaped as
 * \t), so every raw tab is layout.  It escapes the C0 controls in strings
 * but not DEL nor U+0080..U+009F; those become \u escapes here, the same
 * string in JSON.  They can only be inside strings: outside, cJSON writes
 * ASCII punctuation, digits and letters.
 */
static void
print_indented(FILE *fp, const char *s)
{
	char prev = '\0';

	for (; *s != '\0'; prev = *s, s++) {
		if (*s == '\t')
			fputs(prev == ':' ? " " : "  ", fp);
		else if (*s == 0x7f)
			fputs("\\u007f", fp);
		else if (IS_C1(s)) {
			fprintf(fp, "\\u%04x", (unsigned char)s[1]);
			s++;
		} else
			putc(*s, fp);
	}
	putc('\n', fp);
}

int
ctl_answer_print(const struct ctl_answer *a, FILE *out, FILE *err)
{
	char *text;

	if (!a->ok) {
		/* docs/protocol.md's "error CODE: message", without the field. */
		fputs("error ", err);
		ctl_print_text(err, a->code);
		fputs(": ", err);
		ctl_print_text(err, a->message);
		putc('\n', err);
		return CTL_EXIT_ERROR;
	}
	if ((text = cJSON_Print(a->result)) == NULL) {
		fputs("matchctl: out of memory\n", err);
		return CTL_EXIT_ERROR;
	}
	print_indented(out, text);
	free(text);
	return CTL_EXIT_OK;
}

int
ctl_answer_export(const cJSON *result, unsigned char **data, size_t *len,
    char *why, size_t whylen)
{
	const cJSON	*encv;
	const char	*text, *enc = "utf-8";
	unsigned char	*bin;
	size_t		 n;

	*data = NULL;
	*len = 0;
	text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(result,
	    "data"));
	if (!cJSON_IsObject(result) || text == NULL) {
		snprintf(why, whylen, "the daemon's export answer has no data");
		return -1;
	}
	encv = cJSON_GetObjectItemCaseSensitive(result, "encoding");
	if (encv != NULL && !cJSON_IsNull(encv) &&
	    (enc = cJSON_GetStringValue(encv)) == NULL)
		enc = "";
	if (strcmp(enc, "utf-8") != 0 && strcmp(enc, "base64") != 0) {
		snprintf(why, whylen, "the daemon's export answer has an "
		    "encoding other than utf-8 and base64");
		return -1;
	}
	n = strlen(text);
	if ((bin = malloc(n + 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (strcmp(enc, "base64") == 0) {
		if (sodium_base642bin(bin, n + 1, text, n, NULL, &n, NULL,
		    sodium_base64_VARIANT_ORIGINAL) != 0) {
			free(bin);
			snprintf(why, whylen, "the daemon's export answer's "
			    "data is not base64");
			return -1;
		}
	} else
		memcpy(bin, text, n);
	*data = bin;
	*len = n;
	return 0;
}
