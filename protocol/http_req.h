/*
 * http_req.h: parsing the head of an HTTP/1.x request.  Pure: the daemon's
 * HTTP connections, the tests and the fuzzer all call it on plain bytes.
 */
#ifndef PROTOCOL_HTTP_REQ_H
#define PROTOCOL_HTTP_REQ_H

#include <stddef.h>

#define HTTP_TARGET_MAX	1024
#define HTTP_TOKEN_MAX	256

struct http_req {
	char		method[16];
	char		path[HTTP_TARGET_MAX];	/* without the query */
	char		query[HTTP_TARGET_MAX];	/* after '?', "" when none */
	int		minor;			/* HTTP/1.minor */
	long long	content_length;		/* -1 when absent */
	int		keep_alive;
	int		has_token;
	char		token[HTTP_TOKEN_MAX];	/* from "Authorization: Bearer" */
	int		bad_auth;		/* Authorization of another form */
	int		event_stream;		/* Accept names text/event-stream */
	long long	last_event_id;		/* Last-Event-ID, -1 when absent
						   or not a whole number */
};

enum http_parse {
	HTTP_MORE,		/* the head is not complete yet */
	HTTP_DONE,		/* req filled; the head is *head_len bytes */
	HTTP_BAD,		/* malformed: answer 400 and close */
	HTTP_TOO_LARGE		/* the head passes max_head bytes */
};

/*
 * Parse the request head at the start of buf[0..len).  On HTTP_BAD *why
 * says what is wrong in words for a person.
 */
enum http_parse	http_req_parse(const char *buf, size_t len, size_t max_head,
		    struct http_req *req, size_t *head_len, const char **why);

#endif
