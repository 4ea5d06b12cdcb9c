/*
 * json_strings.h: the JSON arrays of strings the store keeps in a column
 * (a need's partners, an offer's streets, a run's capped communities),
 * read without cJSON_Parse.
 *
 * Why not cJSON_Parse: it writes a process-wide error position on every
 * call, so two threads parsing at once race (the loop thread parses every
 * request; reader threads read these columns).  This reader touches no
 * global state, and it does not build a tree where none is needed.
 * Pure: no I/O.
 */
#ifndef PROTOCOL_JSON_STRINGS_H
#define PROTOCOL_JSON_STRINGS_H

#include <stddef.h>
#include <cjson/cJSON.h>

/*
 * Call fn(arg, s, len) for each string of the JSON array text, in order,
 * s decoded (escapes resolved, NUL-terminated, valid only during the
 * call).  White space between tokens is allowed.  Returns how many
 * strings, or -1 when text is not an array of strings, a string is longer
 * than 4095 bytes decoded, or fn returned -1 (fn's error stops the walk).
 */
int	 json_strings_each(const char *text,
	    int (*fn)(void *arg, const char *s, size_t len), void *arg);

/*
 * The array text as a new cJSON array of strings (the caller owns it), or
 * NULL when text is not an array of strings or out of memory.
 */
cJSON	*json_strings_parse(const char *text);

#endif
