/*
 * envelope.c: reading request envelopes and writing answers.
 */
#include <string.h>

#include "protocol/envelope.h"
#include "protocol/json_print.h"
#include "protocol/json_scan.h"

void
envelope_request_clear(struct request *req)
{
	cJSON_Delete(req->root);
	memset(req, 0, sizeof(*req));
}

int
envelope_parse(const char *line, size_t len, struct request *req,
    struct error *err)
{
	const cJSON *c, *op = NULL;

	memset(req, 0, sizeof(*req));
	req->root = json_parse_strict(line, len, ERR_BAD_REQUEST, err);
	if (req->root == NULL)
		return -1;
	if (!cJSON_IsObject(req->root))
		return error_set(err, ERR_BAD_REQUEST, NULL,
		    "a request must be a JSON object with \"op\"");
	/* Read the id first so that every later refusal can echo it. */
	c = cJSON_GetObjectItemCaseSensitive(req->root, "id");
	if (c != NULL && (cJSON_IsString(c) || cJSON_IsNumber(c)))
		req->id = c;
	else if (c != NULL && !cJSON_IsNull(c))
		return error_set(err, ERR_BAD_REQUEST, NULL,
		    "\"id\" must be a string or a number");
	for (c = req->root->child; c != NULL; c = c->next) {
		if (strcmp(c->string, "id") == 0)
			continue;
		if (strcmp(c->string, "op") == 0) {
			if (!cJSON_IsString(c))
				return error_set(err, ERR_BAD_REQUEST, NULL,
				    "\"op\" must be a string");
			op = c;
		} else if (strcmp(c->string, "token") == 0) {
			if (cJSON_IsNull(c))
				continue;
			if (!cJSON_IsString(c))
				return error_set(err, ERR_BAD_REQUEST, NULL,
				    "\"token\" must be a string");
			req->token = c->valuestring;
		} else if (strcmp(c->string, "args") == 0) {
			if (cJSON_IsNull(c))
				continue;
			if (!cJSON_IsObject(c))
				return error_set(err, ERR_BAD_REQUEST, NULL,
				    "\"args\" must be an object");
			req->args = c;
		} else
			return error_set(err, ERR_BAD_REQUEST, NULL,
			    "unknown envelope key \"%.40s\": a request has only "
			    "id, op, token and args", c->string);
	}
	if (op == NULL)
		return error_set(err, ERR_BAD_REQUEST, NULL,
		    "the request has no \"op\"");
	req->op = op->valuestring;
	return 0;
}

int
envelope_parse_args(const char *body, size_t len, cJSON **args,
    struct error *err)
{
	size_t i;

	*args = NULL;
	for (i = 0; i < len; i++)
		if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r' &&
		    body[i] != '\n')
			break;
	if (i == len)
		return 0;
	if ((*args = json_parse_strict(body, len, ERR_INVALID_ARGUMENT,
	    err)) == NULL)
		return -1;
	if (cJSON_IsNull(*args)) {
		cJSON_Delete(*args);
		*args = NULL;
		return 0;
	}
	if (!cJSON_IsObject(*args)) {
		cJSON_Delete(*args);
		*args = NULL;
		return error_set(err, ERR_BAD_REQUEST, NULL,
		    "the body must be the args object");
	}
	return 0;
}

/*
 * The start of an answer, {"id":…,"ok":…, written straight into b.  A
 * numeric id is echoed as the client wrote it: cJSON would print
 * 9007199254740991 with 15 significant digits.
 */
static void
envelope_start(struct json_buf *b, const cJSON *id, int ok)
{
	json_buf_raw(b, "{\"id\":", 6);
	if (id == NULL)
		json_buf_raw(b, "null", 4);
	else if (cJSON_IsNumber(id) && id->valuestring != NULL)
		json_buf_raw(b, id->valuestring, strlen(id->valuestring));
	else
		json_buf_value(b, id);
	if (ok)
		json_buf_raw(b, ",\"ok\":true", 10);
	else
		json_buf_raw(b, ",\"ok\":false", 11);
}

char *
envelope_ok(const cJSON *id, cJSON *result)
{
	struct json_buf b;

	json_buf_init(&b);
	envelope_start(&b, id, 1);
	json_buf_raw(&b, ",\"result\":", 10);
	if (result == NULL)
		json_buf_raw(&b, "{}", 2);
	else
		json_buf_value(&b, result);
	json_buf_raw(&b, "}", 1);
	cJSON_Delete(result);
	return json_buf_finish(&b, NULL);
}

char *
envelope_ok_text(const cJSON *id, const char *text, size_t len)
{
	struct json_buf b;

	json_buf_init(&b);
	envelope_start(&b, id, 1);
	json_buf_raw(&b, ",\"result\":", 10);
	json_buf_raw(&b, text, len);
	json_buf_raw(&b, "}", 1);
	return json_buf_finish(&b, NULL);
}

char *
envelope_error(const cJSON *id, const struct error *err)
{
	struct json_buf b;

	json_buf_init(&b);
	envelope_start(&b, id, 0);
	json_buf_raw(&b, ",\"error\":{\"code\":", 17);
	json_buf_string(&b, error_name(err->code));
	json_buf_raw(&b, ",\"message\":", 11);
	json_buf_string(&b, err->message);
	if (err->field[0] != '\0') {
		json_buf_raw(&b, ",\"field\":", 9);
		json_buf_string(&b, err->field);
	}
	json_buf_raw(&b, ",\"reason\":", 10);
	json_buf_string(&b, error_reason_of(err));
	json_buf_raw(&b, "}}", 2);
	return json_buf_finish(&b, NULL);
}
