/*
 * http_req.c: a strict, bounded parser for HTTP/1.x request heads.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "protocol/http_req.h"

/* Find the end of the head: "\r\n\r\n" or "\n\n".  Returns its length or 0. */
static size_t
http_head_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static int
http_is_tchar(int c)
{
	return c != 0 && (isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Copy the header value s[0..n) with surrounding blanks trimmed. */
static size_t
http_trim(const char **s, size_t n)
{
	while (n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		n--;
	}
	while (n > 0 && ((*s)[n - 1] == ' ' || (*s)[n - 1] == '\t'))
		n--;
	return n;
}

static int
http_header(struct http_req *req, const char *name, size_t nlen,
    const char *val, size_t vlen, const char **why)
{
	long long	v = 0;
	size_t		i;

	if (nlen == 14 && strncasecmp(name, "content-length", 14) == 0) {
		if (vlen == 0 || vlen > 15) {
			*why = "bad Content-Length";
			return -1;
		}
		for (i = 0; i < vlen; i++) {
			if (!isdigit((unsigned char)val[i])) {
				*why = "bad Content-Length";
				return -1;
			}
			v = v * 10 + (val[i] - '0');
		}
		if (req->content_length >= 0 && req->content_length != v) {
			*why = "two different Content-Length headers";
			return -1;
		}
		req->content_length = v;
	} else if (nlen == 17 &&
	    strncasecmp(name, "transfer-encoding", 17) == 0) {
		*why = "Transfer-Encoding is not supported; send Content-Length";
		return -1;
	} else if (nlen == 10 && strncasecmp(name, "connection", 10) == 0) {
		if (vlen == 5 && strncasecmp(val, "close", 5) == 0)
			req->keep_alive = 0;
		else if (vlen == 10 && strncasecmp(val, "keep-alive", 10) == 0)
			req->keep_alive = 1;
	} else if (nlen == 6 && strncasecmp(name, "accept", 6) == 0) {
		for (i = 0; i + 17 <= vlen; i++)
			if (strncasecmp(val + i, "text/event-stream", 17) == 0)
				req->event_stream = 1;
	} else if (nlen == 13 && strncasecmp(name, "last-event-id", 13) == 0) {
		for (i = 0, v = 0; i < vlen && i < 18 &&
		    isdigit((unsigned char)val[i]); i++)
			v = v * 10 + (val[i] - '0');
		req->last_event_id = i == vlen && vlen > 0 ? v : -1;
	} else if (nlen == 13 && strncasecmp(name, "authorization", 13) == 0) {
		/* Two credentials: which one the request acts as would be
		 * up to us; refuse rather than pick. */
		if (req->has_token || req->bad_auth) {
			*why = "two Authorization headers";
			return -1;
		}
		if (vlen > 7 && strncasecmp(val, "Bearer ", 7) == 0 &&
		    vlen - 7 < HTTP_TOKEN_MAX) {
			memcpy(req->token, val + 7, vlen - 7);
			req->token[vlen - 7] = '\0';
			req->has_token = 1;
		} else
			req->bad_auth = 1;
	}
	return 0;
}

enum http_parse
http_req_parse(const char *buf, size_t len, size_t max_head,
    struct http_req *req, size_t *head_len, const char **why)
{
	const char	*p, *eol, *end, *sp1, *sp2, *colon, *q, *val;
	size_t		 n, vlen;

	memset(req, 0, sizeof(*req));
	req->content_length = -1;
	req->last_event_id = -1;
	*head_len = 0;
	*why = "malformed request";
	if ((n = http_head_end(buf, len < max_head ? len : max_head)) == 0)
		return len >= max_head ? HTTP_TOO_LARGE : HTTP_MORE;
	*head_len = n;
	end = buf + n;

	/* The request line: METHOD SP TARGET SP HTTP/1.x */
	p = buf;
	eol = memchr(p, '\n', (size_t)(end - p));
	sp1 = memchr(p, ' ', (size_t)(eol - p));
	if (sp1 == NULL || sp1 == p || (size_t)(sp1 - p) >= sizeof(req->method))
		return HTTP_BAD;
	for (q = p; q < sp1; q++)
		if (!http_is_tchar((unsigned char)*q))
			return HTTP_BAD;
	memcpy(req->method, p, (size_t)(sp1 - p));
	sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
	if (sp2 == NULL || sp2 == sp1 + 1 || sp1[1] != '/')
		return HTTP_BAD;
	n = (size_t)(eol - sp2 - 1);
	if (n > 0 && sp2[n] == '\r')
		n--;
	if (n != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return HTTP_BAD;
	req->minor = sp2[8] - '0';
	req->keep_alive = req->minor == 1;
	for (q = sp1 + 1; q < sp2; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return HTTP_BAD;
	q = memchr(sp1 + 1, '?', (size_t)(sp2 - sp1 - 1));
	n = (size_t)((q ? q : sp2) - sp1 - 1);
	if (n >= sizeof(req->path)) {
		*why = "the request target is too long";
		return HTTP_BAD;
	}
	memcpy(req->path, sp1 + 1, n);
	if (q != NULL) {
		n = (size_t)(sp2 - q - 1);
		if (n >= sizeof(req->query)) {
			*why = "the request target is too long";
			return HTTP_BAD;
		}
		memcpy(req->query, q + 1, n);
	}

	/* Header fields, up to the empty line. */
	for (p = eol + 1; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			break;
		colon = memchr(p, ':', n);
		if (colon == NULL || colon == p)
			return HTTP_BAD;
		for (q = p; q < colon; q++)
			if (!http_is_tchar((unsigned char)*q))
				return HTTP_BAD;
		val = colon + 1;
		vlen = http_trim(&val, (size_t)(p + n - val));
		for (q = val; q < val + vlen; q++)
			if (((unsigned char)*q < 0x20 && *q != '\t') ||
			    *q == 0x7f)
				return HTTP_BAD;
		if (http_header(req, p, (size_t)(colon - p), val, vlen,
		    why) == -1)
			return HTTP_BAD;
	}
	return HTTP_DONE;
}
