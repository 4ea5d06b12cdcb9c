/*
 * evhttp_ref.c: the HTTP reference for the benchmark, a minimal libevent
 * evhttp server that answers POST /v1/op/whoami with a fixed 100-byte JSON
 * body, as matchd answers whoami (the Authorization header must be there).
 *
 * usage: evhttp_ref HOST PORT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

/* 100 bytes. */
static const char body[] =
    "{\"id\":null,\"ok\":true,\"result\":{\"role\":\"community\",\"code\":"
    "\"B1\",\"name\":\"bench cmnty 1\",\"street\":\"S1\"}}";

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *out = evhttp_request_get_output_buffer(req);

	(void)arg;
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST ||
	    strcmp(evhttp_request_get_uri(req), "/v1/op/whoami") != 0) {
		evhttp_send_error(req, 404, NULL);
		return;
	}
	if (evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization") == NULL) {
		evhttp_send_error(req, 401, NULL);
		return;
	}
	evhttp_add_header(h, "Content-Type", "application/json");
	evbuffer_add_reference(out, body, sizeof(body) - 1, NULL, NULL);
	evhttp_send_reply(req, 200, "OK", NULL);
}

int
main(int argc, char **argv)
{
	struct event_base *base;
	struct evhttp *http;

	if (argc != 3 || sizeof(body) - 1 != 100) {
		fprintf(stderr, "usage: evhttp_ref HOST PORT\n");
		return 2;
	}
	base = event_base_new();
	http = evhttp_new(base);
	if (base == NULL || http == NULL)
		return 1;
	evhttp_set_gencb(http, on_request, NULL);
	if (evhttp_bind_socket(http, argv[1], (unsigned short)atoi(argv[2])) != 0) {
		fprintf(stderr, "evhttp_ref: cannot listen on %s:%s\n",
		    argv[1], argv[2]);
		return 1;
	}
	event_base_dispatch(base);
	return 0;
}
