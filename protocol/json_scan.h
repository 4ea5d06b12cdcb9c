/*
 * json_scan.h: strict JSON checks that cJSON does not make.
 *
 * cJSON's parser accepts invalid UTF-8, truncates strings at "\u0000",
 * recurses as deep as the input nests and keeps duplicate keys.  Every
 * request passes through json_parse_strict, which refuses all of that before
 * a handler sees a value, and builds the cJSON tree itself in the same pass.
 */
#ifndef PROTOCOL_JSON_SCAN_H
#define PROTOCOL_JSON_SCAN_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "protocol/error.h"

#define JSON_MAX_DEPTH	32

/*
 * Check that buf[0..len) is one JSON value (RFC 8259) in valid UTF-8, nested
 * at most max_depth deep, whose strings hold no U+0000 and whose numbers are
 * at most 63 characters.  Returns 0, or -1 with err set (parse_error).
 */
int	 json_scan(const char *buf, size_t len, int max_depth, struct error *err);

/*
 * Return the first object key that appears twice in one object anywhere
 * in the tree, or NULL when there is none.
 */
const char *json_duplicate_key(const cJSON *root);

/*
 * json_scan's checks and the tree in one pass, then the duplicate-key check.
 * The tree is the one cJSON_Parse makes of the same text, and each number
 * also holds its literal in valuestring ("12.50" as the client wrote it).
 * Returns the tree (the caller owns it: cJSON_Delete) or NULL with err set:
 * parse_error for bytes that are not strict JSON, dup_code for a duplicate
 * key, internal when out of memory.
 */
cJSON	*json_parse_strict(const char *buf, size_t len, enum err_code dup_code,
	    struct error *err);

#endif
