/*
 * ctl_answer.h: what matchctl makes of the bytes the daemon sends back.
 *
 * Pure code, no sockets: the bytes read so far go into a struct ctl_in,
 * which cuts them into answer lines of at most `max` bytes; each line is
 * parsed and checked against the request it answers (struct ctl_answer),
 * then printed.  Whatever the bytes, the result is either a checked answer
 * or a sentence that says what is wrong with them, and matchctl never holds
 * more than about `max` bytes of input, nor a tree of more than
 * CTL_MAX_VALUES values.  tests/fuzz/fuzz_answer.c drives all of it.
 *
 * A checked answer is one line of strict JSON (valid UTF-8, no duplicate
 * key, no U+0000, finite numbers, nested at most CTL_ANSWER_DEPTH deep)
 * holding an object with
 *   "ok": true or false;
 *   "id": the request's id; null is accepted on an error answer, which
 *	the daemon sends when it could not read the request (too_large,
 *	parse_error) or refuses the connection (unavailable);
 *   when ok: "result", any JSON value (null too);
 *   when not: "error", an object with the strings "code" and "message"
 *	and, when present, the string "field".
 * Other members are ignored.
 */
#ifndef CLIENT_CTL_ANSWER_H
#define CLIENT_CTL_ANSWER_H

#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>

/* matchctl's exit statuses. */
#define CTL_EXIT_OK		0	/* the result was printed */
#define CTL_EXIT_ERROR		1	/* the daemon refused: error CODE */
#define CTL_EXIT_UNREACHABLE	2	/* no connection, or it ended early */
#define CTL_EXIT_BAD_ANSWER	3	/* the answer is not one matchctl can use */

/*
 * The longest answer line matchctl accepts by default (-m changes it).  The
 * daemon cuts a connection rather than queue more than its
 * limits.max_output_bytes (16 MiB by default), so no answer it sends with
 * that default comes near this.
 */
#define CTL_MAX_ANSWER		((size_t)64 << 20)
#define CTL_MAX_ANSWER_LIMIT	((size_t)4 << 30)	/* the most -m takes */

/* The most JSON values one answer may hold: cJSON spends ~100 bytes on each. */
#define CTL_MAX_VALUES		((size_t)1 << 20)

/* Nesting: the daemon's requests are at most 32 deep, answers a few more. */
#define CTL_ANSWER_DEPTH	64

/* The length a "why" buffer needs for any message below. */
#define CTL_WHY_LEN		160

/*
 * The bytes read from the daemon and not yet taken as answers.  Zero it,
 * set max, and release it with ctl_in_free.
 */
struct ctl_in {
	char	*buf;
	size_t	 cap;
	size_t	 start, len;	/* unread: buf[start..len) */
	size_t	 scanned;	/* buf[start..start + scanned) holds no "\n" */
	size_t	 max;		/* the longest answer line accepted */
};

enum ctl_in_status {
	CTL_IN_MORE,		/* no whole line yet: read more */
	CTL_IN_LINE,		/* *line, *linelen: valid until ctl_in_space */
	CTL_IN_TOO_LARGE	/* the next line is longer than max */
};

/*
 * The place to read up to *room more bytes into, then say how many came
 * with ctl_in_fill.  NULL when out of memory.  Only call it after
 * ctl_in_next said CTL_IN_MORE: then buf never grows past max + 64 KiB.
 */
char	*ctl_in_space(struct ctl_in *, size_t *room);
void	 ctl_in_fill(struct ctl_in *, size_t n);

/*
 * The next answer line (without its "\r\n" or "\n"; empty lines are
 * skipped).  CTL_IN_TOO_LARGE as soon as a line is certain to be longer
 * than max bytes, and for good: a reader stops there.
 */
enum ctl_in_status ctl_in_next(struct ctl_in *, const char **line,
		    size_t *linelen);
void	 ctl_in_free(struct ctl_in *);

struct ctl_answer {
	cJSON		*root;		/* the whole answer: ctl_answer_free */
	int		 ok;
	int		 id_null;	/* an error answer with "id": null */
	cJSON		*result;	/* ok: in root, never NULL */
	const char	*code;		/* not ok: in root, never NULL */
	const char	*message;	/* not ok: in root, never NULL */
	const char	*field;		/* not ok: in root, or NULL */
};

/*
 * Parse line[0..len) (need not be NUL-terminated) as the answer to request
 * `id`, holding at most max_values JSON values.  0 with *a filled (the
 * caller frees it with ctl_answer_free), or -1 with a sentence in why
 * ("the daemon sent an answer that is not JSON ...", "the daemon's answer
 * has no result", ...; ASCII, no newline) and *a empty.
 */
int	 ctl_answer_parse(const char *line, size_t len, long id,
	    size_t max_values, struct ctl_answer *a, char *why, size_t whylen);
void	 ctl_answer_free(struct ctl_answer *);

/*
 * Print a checked answer: the result as JSON indented by two spaces on
 * out and CTL_EXIT_OK, or "error CODE: message" on err and
 * CTL_EXIT_ERROR.  Control characters the daemon sent inside strings are
 * printed as JSON escapes (in the result) or as \n, \t, \uXXXX (in the
 * error line), so an answer cannot move the terminal's cursor, retitle its
 * window or forge a line of output.  CTL_EXIT_ERROR with a message on err
 * when out of memory.
 */
int	 ctl_answer_print(const struct ctl_answer *, FILE *out, FILE *err);

/* "CODE (FIELD): MESSAGE" of an error answer, escaped as above (import). */
void	 ctl_answer_print_error(const struct ctl_answer *, FILE *);

/* s with its control characters escaped: \n, \t, \uXXXX. */
void	 ctl_print_text(FILE *, const char *s);

/*
 * The file a fair.export result carries: {"data": string, "encoding":
 * "utf-8" | "base64" (absent: utf-8)}.  0 with *data (malloc'd, the caller
 * frees it) and *len, or -1 with a sentence in why.
 */
int	 ctl_answer_export(const cJSON *result, unsigned char **data,
	    size_t *len, char *why, size_t whylen);

#endif
