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

/* The answer skeleton {"id":…,"ok":…}; NULL when out of memory. */
static cJSON *
envelope_start(const cJSON *id, int ok)
{
	cJSON *o, *idc;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	/*
	 * A numeric id is echoed as the client wrote it: cJSON would print
	 * 9007199254740991 with 15 significant digits.
	 */
	if (id != NULL && cJSON_IsNumber(id) && id->valuestring != NULL)
		idc = cJSON_CreateRaw(id->valuestring);
	else
		idc = id ? cJSON_Duplicate(id, 0) : cJSON_CreateNull();
	if (idc == NULL || !cJSON_AddItemToObject(o, "id", idc) ||
	    cJSON_AddBoolToObject(o, "ok", ok) == NULL) {
		cJSON_Delete(idc);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

char *
envelope_ok(const cJSON *id, cJSON *result)
{
	cJSON	*o;
	char	*s;

	if ((o = envelope_start(id, 1)) == NULL) {
		cJSON_Delete(result);
		return NULL;
	}
	if (result == NULL)
		result = cJSON_CreateObject();
	if (result == NULL || !cJSON_AddItemToObject(o, "result", result)) {
		cJSON_Delete(result);
		cJSON_Delete(o);
		return NULL;
	}
	s = json_print(o, NULL);
	cJSON_Delete(o);
	return s;
}

char *
envelope_error(const cJSON *id, const struct error *err)
{
	cJSON	*o, *e;
	char	*s = NULL;

	if ((o = envelope_start(id, 0)) == NULL)
		return NULL;
	if ((e = cJSON_AddObjectToObject(o, "error")) != NULL &&
	    cJSON_AddStringToObject(e, "code", error_name(err->code)) &&
	    cJSON_AddStringToObject(e, "message", err->message) &&
	    (err->field[0] == '\0' ||
	    cJSON_AddStringToObject(e, "field", err->field)))
		s = json_print(o, NULL);
	cJSON_Delete(o);
	return s;
}
