/*
 * fuzz_http.c: an HTTP request head through http_req_parse, with the
 * daemon's 16 KiB limit and with a small one, then the body (what follows
 * the head, up to Content-Length) as the args object.
 *
 * daemon/net/conn_http.c pulls up at most max_head bytes but passes the whole
 * buffered length, so the parser gets an exactly sized copy of the first
 * max_head bytes and the full length: ASan sees any read past max_head.
 */
#include <stddef.h>
#include <stdint.h>

#include "protocol/http_req.h"
#include "tests/fuzz/fuzz_util.h"

#define DAEMON_HEAD_MAX	(16 * 1024)	/* HTTP_HEAD_MAX in daemon/net/conn_http.c */

static struct taxonomy	tax;

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	taxonomy_default(&tax);
	return 0;
}

static int
terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static enum http_parse
parse(const char *data, size_t size, size_t max_head, struct http_req *req,
    size_t *head_len, const char **why)
{
	enum http_parse	 st;
	size_t		 n = size < max_head ? size : max_head;
	char		*b;

	if ((b = malloc(n ? n : 1)) == NULL)
		abort();
	memcpy(b, data, n);
	st = http_req_parse(b, size, max_head, req, head_len, why);
	free(b);
	return st;
}

static void
body(const char *data, size_t size, const struct http_req *req,
    size_t head_len)
{
	struct error	 err;
	cJSON		*args;
	size_t		 n = size - head_len;
	char		*b;

	if (req->content_length >= 0 && (size_t)req->content_length < n)
		n = (size_t)req->content_length;
	if ((b = malloc(n ? n : 1)) == NULL)
		abort();
	memcpy(b, data + head_len, n);
	memset(&err, 0, sizeof(err));
	if (envelope_parse_args(b, n, &args, &err) == 0) {
		fz_check_all_schemas(NULL, args, &tax);
		cJSON_Delete(args);
	} else
		fz_check_answer(envelope_error(NULL, &err), 0);
	free(b);
}

static void
run(const char *data, size_t size, size_t max_head, int with_body)
{
	struct http_req	 req, req2;
	const char	*why = NULL;
	size_t		 head_len, head_len2;
	enum http_parse	 st;

	st = parse(data, size, max_head, &req, &head_len, &why);
	switch (st) {
	case HTTP_MORE:
		FUZZ_ASSERT(size < max_head);
		break;
	case HTTP_TOO_LARGE:
		FUZZ_ASSERT(size >= max_head);
		break;
	case HTTP_BAD:
		FUZZ_ASSERT(why != NULL && why[0] != '\0');
		break;
	case HTTP_DONE:
		FUZZ_ASSERT(head_len > 0 && head_len <= size &&
		    head_len <= max_head);
		FUZZ_ASSERT(data[head_len - 1] == '\n');
		FUZZ_ASSERT(terminated(req.method, sizeof(req.method)));
		FUZZ_ASSERT(terminated(req.path, sizeof(req.path)));
		FUZZ_ASSERT(terminated(req.query, sizeof(req.query)));
		FUZZ_ASSERT(terminated(req.token, sizeof(req.token)));
		FUZZ_ASSERT(req.path[0] == '/');
		FUZZ_ASSERT(req.minor == 0 || req.minor == 1);
		FUZZ_ASSERT(req.content_length >= -1);
		/* The head alone parses the same; one byte less is MORE. */
		FUZZ_ASSERT(parse(data, head_len, max_head, &req2, &head_len2,
		    &why) == HTTP_DONE && head_len2 == head_len);
		FUZZ_ASSERT(memcmp(&req, &req2, sizeof(req)) == 0);
		FUZZ_ASSERT(parse(data, head_len - 1, max_head, &req2,
		    &head_len2, &why) == HTTP_MORE);
		if (with_body)
			body(data, size, &req, head_len);
		break;
	default:
		FUZZ_FAIL("unknown http_parse %d", (int)st);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run((const char *)data, size, DAEMON_HEAD_MAX, 1);
	run((const char *)data, size, 64, 0);
	return 0;
}
