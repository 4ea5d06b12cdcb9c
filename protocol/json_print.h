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

#endif
