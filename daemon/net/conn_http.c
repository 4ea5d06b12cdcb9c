/*
 * conn_http.c: the HTTP/1.1 framing.  Requests are parsed by
 * protocol/http_req.c; POST /v1/op/<op> goes through the same dispatch as a
 * native line, and every answer waits in the batch like a native one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <sodium.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "daemon/net/conn.h"
#include "daemon/net/http_metrics.h"
#include "daemon/net/outbox.h"
#include "daemon/core/dispatch.h"
#include "daemon/base/log.h"
#include "daemon/net/watch.h"
#include "daemon/net/web.h"
#include "protocol/envelope.h"

#define HTTP_HEAD_MAX	(16 * 1024)
#define XLSX_TYPE	"application/vnd.openxmlformats-officedocument." \
	"spreadsheetml.sheet"
#define OP_PREFIX	"/v1/op/"

/*
 * The organizers' page runs only its own scripts and style sheets, talks
 * only to this server, submits no form anywhere, and is never shown in
 * another site's frame (clickjacking); X-Frame-Options says the same to
 * browsers without frame-ancestors.  Every answer also carries
 * X-Content-Type-Options: nosniff (conn_send).
 */
#define HTTP_PAGE_HEADERS						\
	"Content-Security-Policy: default-src 'none'; script-src 'self'; "	\
	"style-src 'self'; img-src 'self'; connect-src 'self'; "	\
	"font-src 'self'; base-uri 'none'; form-action 'none'; "	\
	"frame-ancestors 'none'\r\nX-Frame-Options: DENY\r\n"
/* The agenda (agenda.html) is a document: its inline style sheet and
 * nothing else, no script at all. */
#define HTTP_AGENDA_HEADERS						\
	"Content-Security-Policy: default-src 'none'; "			\
	"style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; " \
	"frame-ancestors 'none'\r\nX-Frame-Options: DENY\r\n"

/*
 * Queue an error answer: status 0 means the code's own status; extra holds
 * further header lines (static text) or NULL.
 */
static void
http_error(struct conn *c, int status, int close_after, const char *extra,
    enum err_code code, const char *fmt, const char *arg)
{
	struct error	 err;
	struct pending	*p;

	error_set(&err, code, NULL, fmt, arg);
	if ((p = outbox_answer(c, NULL, code, envelope_error(NULL, &err),
	    status ? status : error_http_status(code), close_after)) != NULL)
		p->extra_headers = extra;
}

struct http_filetype;
static void	http_later_file_lost(void *, struct answer *);

/* A request that went to a reader thread: who gets its answer. */
struct http_later {
	struct conn	*c;
	int		 close_after;
	const struct http_filetype *type; /* http_file_op's */
};

static void
http_later_op(void *arg, struct answer *a)
{
	struct http_later *l = arg;

	outbox_answer_op(l->c, NULL, a, l->close_after);
	conn_unwait(l->c);
	free(l);
}

/* No memory for the later's state: answer as a native op would, and
 * close after it. */
static void
http_later_lost(void *arg, struct answer *a)
{
	outbox_answer_op(arg, NULL, a, 1);
	conn_unwait(arg);
}

/*
 * Hand a request that went to a reader (dispatch_start returned 1) its
 * answer's destination, and wait for it.  On no memory the answer comes
 * all the same, closing the connection after it.
 */
static void
http_later(struct conn *c, struct job *job, job_done_fn fn, int close_after,
    const struct http_filetype *type)
{
	struct http_later	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		job_on_done(job, type ? http_later_file_lost : http_later_lost,
		    c);
		conn_wait(c);
		return;
	}
	l->c = c;
	l->close_after = close_after;
	l->type = type;
	job_on_done(job, fn, l);
	conn_wait(c);
}

static void
http_op(struct conn *c, const char *op, const char *body, size_t len)
{
	struct answer	 a;
	struct error	 err;
	struct job	*job;
	cJSON		*args = NULL;
	int		 close_after = !c->hreq.keep_alive;

	if (dispatch_native_only(op)) {
		/* events.watch: over HTTP a stream is GET /v1/events. */
		error_set(&err, ERR_BAD_REQUEST, NULL, "%.64s is for the native "
		    "transport; over HTTP, GET /v1/events (Accept: "
		    "text/event-stream)", op);
		dispatch_refused(c->srv, op, c->hreq.has_token ?
		    c->hreq.token : NULL, &err);
		(void)outbox_answer(c, NULL, err.code, envelope_error(NULL,
		    &err), 400, close_after);
		return;
	}
	if (envelope_parse_args(body, len, &args, &err) == -1) {
		dispatch_refused(c->srv, op, c->hreq.has_token ?
		    c->hreq.token : NULL, &err);
		(void)outbox_answer(c, NULL, err.code, envelope_error(NULL, &err),
		    error_http_status(err.code), close_after);
		return;
	}
	if (dispatch_start(c->srv, op, c->hreq.has_token ? c->hreq.token :
	    NULL, args, &a, DISPATCH_TEXT, &job) == 1) {
		if (a.signed_in)
			conn_signed_in(c);
		cJSON_Delete(args);
		http_later(c, job, http_later_op, close_after, NULL);
		return;
	}
	if (a.signed_in)
		conn_signed_in(c);
	cJSON_Delete(args);
	outbox_answer_op(c, NULL, &a, close_after);
}

/* The value of key in a query string "a=1&b=2", %XX decoded, into buf. */
const char *
conn_http_query(const char *query, const char *key, char *buf, size_t len)
{
	const char	*p = query, *amp;
	size_t		 klen = strlen(key), i = 0;
	unsigned	 x;

	while (*p != '\0') {
		amp = strchr(p, '&');
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			for (p += klen + 1; *p != '\0' && *p != '&' &&
			    i + 1 < len; p++) {
				if (*p == '%' && sscanf(p + 1, "%2x", &x) == 1) {
					buf[i++] = (char)x;
					p += 2;
				} else
					buf[i++] = *p == '+' ? ' ' : *p;
			}
			buf[i] = '\0';
			return buf;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return NULL;
}

/* A file an op answers ({"filename", "data"}, base64 when binary). */
struct http_filetype {
	const char	*format;	/* fair.export's and report.monthly's */
	const char	*ctype;
	int		 binary;
	int		 html;		/* inline, under the document policy */
};

static const struct http_filetype http_types[] = {
	{ "csv", "text/csv; charset=utf-8", 0, 0 },
	{ "xlsx", XLSX_TYPE, 1, 0 },
	{ "html", "text/html; charset=utf-8", 0, 1 },
};
#define HTTP_NTYPES	(sizeof(http_types) / sizeof(http_types[0]))

/*
 * Answer a dispatched file (a taken): the bytes, as an attachment, or
 * inline under the document policy when html.
 */
static void
http_file(struct conn *c, struct answer *a, const struct http_filetype *t,
    int close_after)
{
	const char	*data;
	char		*body, *headers;
	size_t		 len;

	if (a->err.code != ERR_NONE) {
		outbox_answer_op(c, NULL, a, close_after);
		return;
	}
	data = cJSON_GetStringValue(cJSON_GetObjectItem(a->result, "data"));
	len = data ? strlen(data) : 0;
	if ((body = malloc(len + 1)) == NULL)
		goto fail;
	if (t->binary) {
		if (sodium_base642bin((unsigned char *)body, len, data, len,
		    NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
			free(body);
			goto fail;
		}
	} else
		memcpy(body, data ? data : "", len + 1);
	if (asprintf(&headers, "Content-Disposition: %s; filename=\"%s\"\r\n"
	    "Cache-Control: no-store\r\n%s", t->html ? "inline" : "attachment",
	    cJSON_GetStringValue(cJSON_GetObjectItem(a->result, "filename")),
	    t->html ? HTTP_AGENDA_HEADERS : "") == -1)
		headers = NULL;
	outbox_answer_bytes(c, body, len, t->ctype, headers, close_after);
	cJSON_Delete(a->result);
	a->result = NULL;
	return;
fail:
	cJSON_Delete(a->result);
	a->result = NULL;
	http_error(c, 0, close_after, NULL, ERR_INTERNAL, "%s", "the file "
	    "could not be encoded");
}

static void
http_later_file(void *arg, struct answer *a)
{
	struct http_later *l = arg;

	http_file(l->c, a, l->type, l->close_after);
	conn_unwait(l->c);
	free(l);
}

/* A file of an op that went to a reader answers when it is done. */
static void
http_later_file_lost(void *arg, struct answer *a)
{
	cJSON_Delete(a->result);
	a->result = NULL;
	http_error(arg, 0, 1, NULL, ERR_INTERNAL, "%s", "out of memory");
	conn_unwait(arg);
}

/* Dispatch op (args taken) and answer its file of type t, now or when
 * its reader is done. */
static void
http_file_op(struct conn *c, const char *op, cJSON *args,
    const struct http_filetype *t, int close_after)
{
	struct answer	 a;
	struct job	*job;

	if (dispatch_start(c->srv, op, c->hreq.has_token ? c->hreq.token :
	    NULL, args, &a, 0, &job) == 1) {
		if (a.signed_in)
			conn_signed_in(c);
		cJSON_Delete(args);
		http_later(c, job, http_later_file, close_after, t);
		return;
	}
	if (a.signed_in)
		conn_signed_in(c);
	cJSON_Delete(args);
	http_file(c, &a, t, close_after);
}

/*
 * GET /v1/fairs/<id>/matches.csv, matches.xlsx, agenda.html: the file from
 * fair.export, with the token and rights of fair.matches; the query's
 * community, org and lang go to fair.export as they are.
 */
static void
http_export(struct conn *c, const char *rest)
{
	static const struct {
		const char			*file;
		const struct http_filetype	*type;
	} files[] = {
		{ "matches.csv", &http_types[0] },
		{ "matches.xlsx", &http_types[1] },
		{ "agenda.html", &http_types[2] },
	};
	cJSON		*args;
	const char	*slash;
	char		*id_end, v[72];
	long long	 id;
	size_t		 i;
	int		 close_after = !c->hreq.keep_alive;

	id = strtoll(rest, &id_end, 10);
	slash = id_end;
	for (i = 0; *slash == '/' && i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(slash + 1, files[i].file) == 0)
			break;
	if (id < 1 || id_end == rest || *slash != '/' ||
	    i == sizeof(files) / sizeof(files[0])) {
		http_error(c, 0, close_after, NULL, ERR_NOT_FOUND, "there is "
		    "nothing at %s", c->hreq.path);
		return;
	}
	args = cJSON_CreateObject();
	cJSON_AddNumberToObject(args, "fair", (double)id);
	cJSON_AddStringToObject(args, "format", files[i].type->format);
	if (conn_http_query(c->hreq.query, "community", v, sizeof(v)))
		cJSON_AddStringToObject(args, "community", v);
	if (conn_http_query(c->hreq.query, "org", v, sizeof(v)))
		cJSON_AddStringToObject(args, "org", v);
	if (conn_http_query(c->hreq.query, "lang", v, sizeof(v)))
		cJSON_AddStringToObject(args, "lang", v);
	http_file_op(c, "fair.export", args, files[i].type, close_after);
}

/*
 * GET /v1/public/notices (json) and GET /public/ (the page): the public
 * notice board, for anyone, without a token (dispatch_public).
 */
static void
http_public(struct conn *c, int page, int close_after)
{
	struct answer	 a;
	char		*body;
	const char	*data;

	dispatch_public(c->srv, page ? "page" : "notices", &a);
	if (a.err.code != ERR_NONE) {
		outbox_answer_op(c, NULL, &a, close_after);
		return;
	}
	if (!page) {
		/* The board itself, not an envelope: anyone may link it. */
		body = cJSON_PrintUnformatted(a.result);
		cJSON_Delete(a.result);
		if (body == NULL ||
		    outbox_answer_bytes(c, body, strlen(body),
		    "application/json", strdup("Cache-Control: no-cache\r\n"),
		    close_after) == -1)
			http_error(c, 0, 1, NULL, ERR_INTERNAL, "%s",
			    "out of memory");
		return;
	}
	data = cJSON_GetStringValue(cJSON_GetObjectItem(a.result, "data"));
	body = data ? strdup(data) : NULL;
	cJSON_Delete(a.result);
	if (body == NULL || outbox_answer_bytes(c, body, strlen(body),
	    "text/html; charset=utf-8", strdup("Cache-Control: no-cache\r\n"
	    HTTP_AGENDA_HEADERS), close_after) == -1)
		http_error(c, 0, 1, NULL, ERR_INTERNAL, "%s", "out of memory");
}

/*
 * GET /v1/reports/<year>-<month>.html and .xlsx: report.monthly as a
 * printable page or a workbook, with the token and rights of the op.
 */
static void
http_report(struct conn *c, const char *rest, int close_after)
{
	cJSON		*args;
	char		 ext[8];
	int		 year, month, n = 0;
	size_t		 i;

	if (sscanf(rest, "%4d-%2d.%5[a-z]%n", &year, &month, ext, &n) != 3 ||
	    rest[n] != '\0' || (strcmp(ext, "html") && strcmp(ext, "xlsx"))) {
		http_error(c, 0, close_after, NULL, ERR_NOT_FOUND, "there is "
		    "nothing at %s (write /v1/reports/YYYY-MM.html or .xlsx)",
		    c->hreq.path);
		return;
	}
	for (i = 0; strcmp(http_types[i].format, ext) != 0; i++)
		;
	args = cJSON_CreateObject();
	cJSON_AddNumberToObject(args, "year", year);
	cJSON_AddNumberToObject(args, "month", month);
	cJSON_AddStringToObject(args, "format", ext);
	http_file_op(c, "report.monthly", args, &http_types[i], close_after);
}

/* GET /v1/openapi.json: the document made at start (main.c), for any
 * signed-in caller. */
static void
http_openapi(struct conn *c, int close_after)
{
	struct error	 err;
	char		*copy;

	if (dispatch_authenticate(c->srv, c->hreq.has_token ? c->hreq.token :
	    NULL, &err) == -1) {
		(void)outbox_answer(c, NULL, err.code, envelope_error(NULL,
		    &err), error_http_status(err.code), close_after);
		return;
	}
	if ((copy = malloc(c->srv->openapi_len + 1)) == NULL) {
		http_error(c, 0, 1, NULL, ERR_INTERNAL, "%s", "out of memory");
		return;
	}
	memcpy(copy, c->srv->openapi, c->srv->openapi_len + 1);
	(void)outbox_answer_bytes(c, copy, c->srv->openapi_len,
	    "application/json", NULL, close_after);
}

/* Route one complete request. */
static void
http_route(struct conn *c, const char *body, size_t len)
{
	struct http_req	*r = &c->hreq;
	int		 get = strcmp(r->method, "GET") == 0;
	int		 post = strcmp(r->method, "POST") == 0;
	int		 close_after = !r->keep_alive;
	char		*ok, *copy;
	const struct web_asset *asset;
	const char	*ctype;

	if (!get && !post) {
		http_error(c, 405, close_after, "Allow: GET, POST\r\n",
		    ERR_BAD_REQUEST, "method %s is not allowed: use GET or "
		    "POST", r->method);
		return;
	}
	if (strncmp(r->path, OP_PREFIX, strlen(OP_PREFIX)) == 0) {
		if (!post) {
			http_error(c, 405, close_after, "Allow: POST\r\n",
			    ERR_BAD_REQUEST, "%s takes POST with the args "
			    "object as its body", r->path);
			return;
		}
		http_op(c, r->path + strlen(OP_PREFIX), body, len);
		return;
	}
	if (strncmp(r->path, "/v1/fairs/", 10) == 0) {
		if (!get) {
			http_error(c, 405, close_after, "Allow: GET\r\n",
			    ERR_BAD_REQUEST, "%s takes GET", r->path);
			return;
		}
		http_export(c, r->path + 10);
		return;
	}
	if (strcmp(r->path, "/v1/public/notices") == 0 ||
	    strcmp(r->path, "/public/") == 0 || strcmp(r->path,
	    "/public") == 0) {
		if (!get) {
			http_error(c, 405, close_after, "Allow: GET\r\n",
			    ERR_BAD_REQUEST, "%s takes GET", r->path);
			return;
		}
		http_public(c, r->path[1] == 'p', close_after);
		return;
	}
	if (strncmp(r->path, "/v1/reports/", 12) == 0) {
		if (!get) {
			http_error(c, 405, close_after, "Allow: GET\r\n",
			    ERR_BAD_REQUEST, "%s takes GET", r->path);
			return;
		}
		http_report(c, r->path + 12, close_after);
		return;
	}
	if (strcmp(r->path, "/v1/events") == 0) {
		if (!get) {
			http_error(c, 405, close_after, "Allow: GET\r\n",
			    ERR_BAD_REQUEST, "%s takes GET", r->path);
			return;
		}
		watch_http(c, close_after);
		return;
	}
	if (strcmp(r->path, "/metrics") == 0) {
		if (!get) {
			http_error(c, 405, close_after, "Allow: GET\r\n",
			    ERR_BAD_REQUEST, "%s takes GET", r->path);
			return;
		}
		http_metrics(c, close_after);
		return;
	}
	if (strcmp(r->path, "/v1/openapi.json") == 0) {
		if (!get) {
			http_error(c, 405, close_after, "Allow: GET\r\n",
			    ERR_BAD_REQUEST, "%s takes GET", r->path);
			return;
		}
		http_openapi(c, close_after);
		return;
	}
	if (strcmp(r->path, "/healthz") == 0) {
		if (!get) {
			http_error(c, 405, close_after, "Allow: GET\r\n",
			    ERR_BAD_REQUEST, "%s takes GET", r->path);
			return;
		}
		ok = strdup("{\"ok\":true}");
		(void)outbox_answer(c, NULL, ERR_NONE, ok, 200, close_after);
		return;
	}
	/* The API reference: a page of the site under a stable name. */
	if (get && (asset = web_find(strcmp(r->path, "/docs/api") == 0 ?
	    "/api.html" : r->path, &ctype)) != NULL) {
		/* The assets are static: the body is a copy we hand over. */
		if ((copy = malloc(asset->len + 1)) == NULL) {
			http_error(c, 0, 1, NULL, ERR_INTERNAL, "%s",
			    "out of memory");
			return;
		}
		memcpy(copy, asset->data, asset->len);
		outbox_answer_bytes(c, copy, asset->len, ctype,
		    strdup(HTTP_PAGE_HEADERS), close_after);
		return;
	}
	http_error(c, 0, close_after, NULL, ERR_NOT_FOUND, "there is nothing at "
	    "%s", r->path);
}

void
conn_http_read(struct conn *c)
{
	struct evbuffer	*in = bufferevent_get_input(c->bev);
	struct error	 err;
	const char	*buf, *why;
	size_t		 len, need;
	enum http_parse	 st;

	/* A request with a reader: the rest waits for its answer. */
	while (!c->closing && !c->waiting &&
	    (len = evbuffer_get_length(in)) > 0) {
		if (!c->have_head) {
			buf = (const char *)evbuffer_pullup(in,
			    len < HTTP_HEAD_MAX ? (ev_ssize_t)len :
			    HTTP_HEAD_MAX);
			st = http_req_parse(buf, len, HTTP_HEAD_MAX, &c->hreq,
			    &c->head_len, &why);
			if (st == HTTP_MORE) {
				conn_req_timer(c, 1);
				return;
			}
			if (st != HTTP_DONE) {
				c->hreq.keep_alive = 0;
				http_error(c, 0, 1, NULL, st == HTTP_BAD ?
				    ERR_BAD_REQUEST : ERR_TOO_LARGE, "%s",
				    st == HTTP_BAD ? why :
				    "the request head is too large");
				goto closing;
			}
			c->have_head = 1;
			if (c->hreq.content_length >
			    c->srv->conf.max_request_bytes) {
				error_set(&err, ERR_TOO_LARGE, NULL, "the body "
				    "is longer than max_request_bytes (%ld "
				    "bytes)", c->srv->conf.max_request_bytes);
				(void)outbox_answer(c, NULL, err.code,
				    envelope_error(NULL, &err), 413, 1);
				goto closing;
			}
		}
		need = c->head_len + (size_t)(c->hreq.content_length > 0 ?
		    c->hreq.content_length : 0);
		if (len < need) {
			conn_req_timer(c, 1);
			return;
		}
		/* While a run is written, only a ping or /healthz; not this
		 * turn: the parsed head waits with its body. */
		if (strcmp(c->hreq.path, OP_PREFIX "ping") != 0 &&
		    strcmp(c->hreq.path, "/healthz") != 0 && conn_run_hold(c))
			return;
		if (!conn_turn_take(c))
			return;
		buf = (const char *)evbuffer_pullup(in, (ev_ssize_t)need);
		http_route(c, buf + c->head_len, need - c->head_len);
		evbuffer_drain(in, need);
		c->have_head = 0;
		conn_req_timer(c, 0);
		if (c->sse) {
			/* A stream: the connection takes no more requests. */
			evbuffer_drain(in, evbuffer_get_length(in));
			return;
		}
		if (!c->hreq.keep_alive) {
			c->closing = 1;
			bufferevent_disable(c->bev, EV_READ);
			return;
		}
	}
	conn_req_timer(c, 0);
	return;
closing:
	c->closing = 1;
	evbuffer_drain(in, evbuffer_get_length(in));
	bufferevent_disable(c->bev, EV_READ);
	conn_req_timer(c, 0);
}
