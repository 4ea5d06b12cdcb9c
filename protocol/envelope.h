/*
 * envelope.h: the request and response envelopes of docs/protocol.md
 * ("Envelope").
 */
#ifndef PROTOCOL_ENVELOPE_H
#define PROTOCOL_ENVELOPE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "protocol/error.h"

/* One parsed request.  Every pointer points into root, which it owns. */
struct request {
	cJSON		*root;
	const cJSON	*id;		/* NULL when absent */
	const char	*op;
	const char	*token;		/* NULL when absent */
	const cJSON	*args;		/* NULL when absent */
};

/*
 * Parse one native request line.  Returns 0 with req filled (release it with
 * envelope_request_clear), or -1 with err set; req->id is then still the
 * request's id where one could be read, so that the answer can echo it.
 */
int	 envelope_parse(const char *line, size_t len, struct request *req,
	    struct error *err);

/*
 * Parse an HTTP body as the args object: empty or whitespace means no
 * arguments.  Returns the tree (caller owns; NULL for none) through *args.
 */
int	 envelope_parse_args(const char *body, size_t len, cJSON **args,
	    struct error *err);

void	 envelope_request_clear(struct request *req);

/*
 * Encode an answer as one line of JSON without the newline; the caller owns
 * the string (free).  id may be NULL (written as null).  envelope_ok takes
 * ownership of result.  Both return NULL only when out of memory.
 */
char	*envelope_ok(const cJSON *id, cJSON *result);
char	*envelope_error(const cJSON *id, const struct error *err);
/* envelope_ok of a result already printed: len bytes of JSON text
 * (borrowed). */
char	*envelope_ok_text(const cJSON *id, const char *text, size_t len);

#endif
