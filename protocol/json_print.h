/*
 * json_print.h: the compact text of a cJSON tree, byte for byte what
 * cJSON 1.7.15's cJSON_PrintUnformatted writes, made faster for the answers
 * the daemon prints (integers, amounts to the fen, text).  Pure: no I/O.
 */
#ifndef PROTOCOL_JSON_PRINT_H
#define PROTOCOL_JSON_PRINT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/*
 * The compact JSON text of item, exactly as cJSON_PrintUnformatted writes it,
 * NUL-terminated, in a malloc'd buffer the caller frees; *lenp (if not NULL)
 * gets its length.  NULL when out of memory or item is NULL/invalid.
 */
char	*json_print(const cJSON *item, size_t *lenp);

/*
 * The same text written piece by piece, for answers printed straight from
 * stored rows without a tree: strings and numbers come out exactly as
 * json_print writes those values.  A failed allocation sticks: the later
 * calls do nothing and json_buf_finish returns NULL.
 */
struct json_buf {
	char	*p;
	size_t	 len;		/* bytes written, without a NUL */
	size_t	 cap;		/* bytes allocated */
	int	 failed;
};

void	 json_buf_init(struct json_buf *);
/* n bytes of JSON text as they are: punctuation, keys, stored JSON. */
void	 json_buf_raw(struct json_buf *, const char *s, size_t n);
/* A string value, quoted and escaped ("" for NULL). */
void	 json_buf_string(struct json_buf *, const char *s);
void	 json_buf_number(struct json_buf *, double);
/* Any value, as json_print writes it (NULL or an invalid item fails b). */
void	 json_buf_value(struct json_buf *, const cJSON *);
/* The NUL-terminated text (the caller frees it) and its length, or NULL
 * when an allocation failed; b is empty again either way. */
char	*json_buf_finish(struct json_buf *, size_t *lenp);

#endif
