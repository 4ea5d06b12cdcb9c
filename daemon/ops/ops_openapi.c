/*
 * ops_openapi.c: the OpenAPI 3.1 document of the HTTP transport, made from
 * the operation table, so that it cannot drift from what dispatch checks.
 *
 * Every op is a POST /v1/op/<op> whose body is its argument object (the
 * schema is the op's arg_spec list, exactly as args_check reads it), and
 * whose answer is the envelope {"ok": true, "result": {...}} or {"ok":
 * false, "error": {...}} with the error code's HTTP status.  The GET
 * routes of the HTTP transport are listed by hand below: they are few, and
 * each is one branch of net/conn_http.c.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/ops/ops.h"

/* The error codes an op may answer, with their statuses (protocol/error.c). */
static const enum err_code op_errors[] = { ERR_PARSE, ERR_BAD_REQUEST,
    ERR_UNKNOWN_OP, ERR_INVALID_ARGUMENT, ERR_UNAUTHENTICATED, ERR_FORBIDDEN,
    ERR_NOT_FOUND, ERR_CONFLICT, ERR_TOO_LARGE, ERR_RATE_LIMITED,
    ERR_INTERNAL, ERR_UNAVAILABLE };

static cJSON *
oa_obj(cJSON *parent, const char *key)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(parent, key, o);
	return o;
}

static cJSON *
oa_ref(const char *ref)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "$ref", ref);
	return o;
}

static void
oa_range(cJSON *s, const char *lo_key, long long lo, const char *hi_key,
    long long hi)
{
	cJSON_AddNumberToObject(s, lo_key, (double)lo);
	cJSON_AddNumberToObject(s, hi_key, (double)hi);
}

/* A string array of the names in a NULL-terminated list. */
static cJSON *
oa_strings(const char *const *v)
{
	cJSON *a = cJSON_CreateArray();

	for (; *v != NULL; v++)
		cJSON_AddItemToArray(a, cJSON_CreateString(*v));
	return a;
}

/* Every category of the taxonomy, "family.sub" (with families when
 * family_too: a filter). */
static cJSON *
oa_categories(const struct taxonomy *tax, int family_too)
{
	cJSON	*a = cJSON_CreateArray();
	char	 buf[2 * TAX_NAME_MAX + 2];
	int	 f, s;

	for (f = 0; f < tax->nfamilies; f++) {
		if (family_too)
			cJSON_AddItemToArray(a, cJSON_CreateString(
			    tax->fam[f].name));
		for (s = 0; s < tax->fam[f].nsubs; s++) {
			snprintf(buf, sizeof(buf), "%s.%s",
			    tax->fam[f].name, tax->fam[f].subs[s]);
			cJSON_AddItemToArray(a, cJSON_CreateString(buf));
		}
	}
	return a;
}

/* The JSON schema of one argument, as args_check reads it. */
static cJSON *
oa_arg(const struct arg_spec *sp, const struct taxonomy *tax)
{
	cJSON *s = cJSON_CreateObject(), *items, *props;

	switch (sp->type) {
	case ARG_TEXT:
		cJSON_AddStringToObject(s, "type", "string");
		oa_range(s, "minLength", sp->min, "maxLength", sp->max);
		break;
	case ARG_STREET:
		/* A registered street (street.list). */
		cJSON_AddStringToObject(s, "type", "string");
		oa_range(s, "minLength", 1, "maxLength", 64);
		break;
	case ARG_CODE:
		cJSON_AddItemToObject(s, "$ref", cJSON_CreateString(
		    "#/components/schemas/Code"));
		break;
	case ARG_AMOUNT:
		cJSON_AddItemToObject(s, "$ref", cJSON_CreateString(
		    sp->min == 0 ? "#/components/schemas/AmountOrZero" :
		    "#/components/schemas/Amount"));
		break;
	case ARG_INT:
		cJSON_AddStringToObject(s, "type", "integer");
		oa_range(s, "minimum", sp->min, "maximum", sp->max);
		break;
	case ARG_SCORE:
		cJSON_AddStringToObject(s, "type", "number");
		oa_range(s, "minimum", sp->min, "maximum", sp->max);
		break;
	case ARG_BOOL:
		cJSON_AddStringToObject(s, "type", "boolean");
		break;
	case ARG_DATE:
		cJSON_AddStringToObject(s, "type", "string");
		cJSON_AddStringToObject(s, "format", "date");
		cJSON_AddStringToObject(s, "pattern",
		    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
		break;
	case ARG_TIME:
		cJSON_AddStringToObject(s, "type", "string");
		cJSON_AddStringToObject(s, "pattern",
		    "^([01][0-9]|2[0-3]):[0-5][0-9]$");
		break;
	case ARG_CATEGORY:
	case ARG_CATEGORY_FILTER:
		cJSON_AddStringToObject(s, "type", "string");
		cJSON_AddItemToObject(s, "enum", oa_categories(tax,
		    sp->type == ARG_CATEGORY_FILTER));
		break;
	case ARG_CODES:
	case ARG_STREETS:
	case ARG_IDS:
		cJSON_AddStringToObject(s, "type", "array");
		if (sp->type == ARG_IDS) {
			items = cJSON_CreateObject();
			cJSON_AddStringToObject(items, "type", "integer");
			oa_range(items, "minimum", 1, "maximum", ARG_ID_MAX);
		} else if (sp->type == ARG_CODES) {
			items = oa_ref("#/components/schemas/Code");
			cJSON_AddTrueToObject(s, "uniqueItems");
		} else {
			items = cJSON_CreateObject();
			cJSON_AddStringToObject(items, "type", "string");
			oa_range(items, "minLength", 1, "maxLength", 64);
			cJSON_AddNumberToObject(s, "minItems", 1);
			cJSON_AddTrueToObject(s, "uniqueItems");
		}
		cJSON_AddItemToObject(s, "items", items);
		cJSON_AddNumberToObject(s, "maxItems", (double)sp->max);
		break;
	case ARG_WINDOW:
		cJSON_AddItemToObject(s, "type", oa_strings((const char *[]){
		    "object", "null", NULL }));
		props = oa_obj(s, "properties");
		cJSON_AddItemToObject(props, "from", oa_ref(
		    "#/components/schemas/Date"));
		cJSON_AddItemToObject(props, "to", oa_ref(
		    "#/components/schemas/Date"));
		cJSON_AddItemToObject(s, "required", oa_strings((const char *[]){
		    "from", "to", NULL }));
		cJSON_AddFalseToObject(s, "additionalProperties");
		break;
	case ARG_ENUM:
		cJSON_AddStringToObject(s, "type", "string");
		cJSON_AddItemToObject(s, "enum", oa_strings(sp->choices));
		break;
	case ARG_ENUMS:
		cJSON_AddStringToObject(s, "type", "array");
		items = cJSON_CreateObject();
		cJSON_AddStringToObject(items, "type", "string");
		cJSON_AddItemToObject(items, "enum", oa_strings(sp->choices));
		cJSON_AddItemToObject(s, "items", items);
		cJSON_AddTrueToObject(s, "uniqueItems");
		cJSON_AddNumberToObject(s, "maxItems", (double)sp->max);
		break;
	}
	return s;
}

/* The request body schema of op: its arguments, nothing else. */
static cJSON *
oa_args(const struct op *op, const struct taxonomy *tax)
{
	const struct arg_spec	*sp;
	cJSON			*s = cJSON_CreateObject(), *props, *req;

	cJSON_AddStringToObject(s, "type", "object");
	props = oa_obj(s, "properties");
	req = cJSON_CreateArray();
	for (sp = op->args; sp->name != NULL; sp++) {
		cJSON_AddItemToObject(props, sp->name, oa_arg(sp, tax));
		if (sp->required)
			cJSON_AddItemToArray(req, cJSON_CreateString(sp->name));
	}
	if (cJSON_GetArraySize(req) > 0)
		cJSON_AddItemToObject(s, "required", req);
	else
		cJSON_Delete(req);
	cJSON_AddFalseToObject(s, "additionalProperties");
	return s;
}

static const char *const oa_role_names[] = { "admin", "organizer",
    "community", "org" };

/* The roles of a ROLE_* mask, for a description. */
static void
oa_roles(unsigned roles, char *buf, size_t len)
{
	size_t	used = 0;
	int	i, n = 0;

	buf[0] = '\0';
	if (roles == 0) {
		snprintf(buf, len, "anyone, without a token");
		return;
	}
	for (i = 0; i < 4; i++)
		if (roles & (1u << i))
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", n++ ? ", " : "", oa_role_names[i]);
}

/* x-roles: the roles that may call, as data for clients and tests. */
static cJSON *
oa_role_list(unsigned roles)
{
	cJSON	*a = cJSON_CreateArray();
	int	 i;

	for (i = 0; i < 4; i++)
		if (roles & (1u << i))
			cJSON_AddItemToArray(a, cJSON_CreateString(
			    oa_role_names[i]));
	return a;
}

static cJSON *
oa_json_response(const char *description, const char *ref)
{
	cJSON *r = cJSON_CreateObject(), *content, *mt;

	cJSON_AddStringToObject(r, "description", description);
	content = oa_obj(r, "content");
	mt = oa_obj(content, "application/json");
	cJSON_AddItemToObject(mt, "schema", oa_ref(ref));
	return r;
}

/* POST /v1/op/<op>. */
static cJSON *
oa_op(const struct op *op, const struct taxonomy *tax)
{
	cJSON	*path = cJSON_CreateObject(), *post, *body, *resp, *mt;
	char	 roles[96], desc[160], status[8];
	size_t	 i;

	post = oa_obj(path, "post");
	cJSON_AddStringToObject(post, "operationId", op->name);
	cJSON_AddStringToObject(post, "summary", op->name);
	cJSON_AddItemToObject(post, "x-roles", oa_role_list(op->roles));
	oa_roles(op->roles, roles, sizeof(roles));
	snprintf(desc, sizeof(desc), "%s.  Who: %s.", ops_native_only(op) ?
	    "Native transport only: over HTTP it answers 400 (use GET "
	    "/v1/events)" : op->write ? "A write: answered once it is on "
	    "disk" : "A read", roles);
	if (ops_native_only(op))
		cJSON_AddTrueToObject(post, "x-native-only");
	cJSON_AddStringToObject(post, "description", desc);
	cJSON_AddItemToObject(post, "tags", oa_strings((const char *[]){
	    op->write ? "writes" : "reads", NULL }));
	if (op->roles == 0)
		cJSON_AddItemToObject(post, "security", cJSON_CreateArray());
	body = oa_obj(post, "requestBody");
	cJSON_AddFalseToObject(body, "required");
	mt = oa_obj(oa_obj(body, "content"), "application/json");
	cJSON_AddItemToObject(mt, "schema", oa_args(op, tax));
	resp = oa_obj(post, "responses");
	cJSON_AddItemToObject(resp, "200", oa_json_response("the result",
	    "#/components/schemas/Ok"));
	for (i = 0; i < sizeof(op_errors) / sizeof(op_errors[0]); i++) {
		snprintf(status, sizeof(status), "%d",
		    error_http_status(op_errors[i]));
		if (cJSON_GetObjectItemCaseSensitive(resp, status) == NULL)
			cJSON_AddItemToObject(resp, status, oa_json_response(
			    "refused: see error.code", "#/components/schemas/"
			    "Refusal"));
	}
	return path;
}

/* A GET route answering content of type ctype. */
static void
oa_get(cJSON *paths, const char *route, const char *id, const char *ctype,
    const char *description, int tokenless, const char *param)
{
	cJSON	*get, *resp, *ok, *p, *params;

	get = oa_obj(oa_obj(paths, route), "get");
	cJSON_AddStringToObject(get, "operationId", id);
	cJSON_AddStringToObject(get, "summary", route);
	cJSON_AddStringToObject(get, "description", description);
	cJSON_AddItemToObject(get, "tags", oa_strings((const char *[]){
	    "routes", NULL }));
	if (tokenless)
		cJSON_AddItemToObject(get, "security", cJSON_CreateArray());
	if (param != NULL) {
		params = cJSON_CreateArray();
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", param);
		cJSON_AddStringToObject(p, "in", "path");
		cJSON_AddTrueToObject(p, "required");
		/* Ids, or a month "YYYY-MM" (the reports). */
		cJSON_AddItemToObject(p, "schema", cJSON_Parse(strcmp(param,
		    "month") == 0 ? "{\"type\":\"string\",\"pattern\":"
		    "\"^[0-9]{4}-[0-9]{2}$\"}" :
		    "{\"type\":\"integer\",\"minimum\":1}"));
		cJSON_AddItemToArray(params, p);
		cJSON_AddItemToObject(get, "parameters", params);
	}
	resp = oa_obj(get, "responses");
	ok = oa_obj(resp, "200");
	cJSON_AddStringToObject(ok, "description", "the content");
	cJSON_AddItemToObject(oa_obj(ok, "content"), ctype,
	    cJSON_CreateObject());
	cJSON_AddItemToObject(resp, "4XX", oa_json_response(
	    "refused: see error.code", "#/components/schemas/Refusal"));
}

/* A file route's ?lang= (fair.export's lang). */
static void
oa_query_lang(cJSON *paths, const char *route)
{
	cJSON *params = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(
	    cJSON_GetObjectItemCaseSensitive(paths, route), "get"),
	    "parameters");

	cJSON_AddItemToArray(params, cJSON_Parse("{\"name\":\"lang\","
	    "\"in\":\"query\",\"required\":false,\"description\":"
	    "\"the file's language: zh (the default) or en\",\"schema\":"
	    "{\"type\":\"string\",\"enum\":[\"zh\",\"en\"]}}"));
}

/* The shared schemas: envelopes, codes, amounts, dates. */
static const char oa_components[] =
    "{\"securitySchemes\":{\"token\":{\"type\":\"http\",\"scheme\":"
    "\"bearer\",\"description\":\"The account's token: 64 hex digits, "
    "shown once when the account is made or its token rotated.\"}},"
    "\"schemas\":{"
    "\"Code\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9_-]{1,64}$\"},"
    "\"Date\":{\"type\":\"string\",\"format\":\"date\",\"pattern\":"
    "\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"},"
    "\"Amount\":{\"description\":\"Yuan with at most two decimals.\","
    "\"type\":\"number\",\"exclusiveMinimum\":0,\"maximum\":10000000000},"
    "\"AmountOrZero\":{\"description\":\"Yuan with at most two decimals.\","
    "\"type\":\"number\",\"minimum\":0,\"maximum\":10000000000},"
    "\"Ok\":{\"type\":\"object\",\"required\":[\"ok\",\"result\"],"
    "\"properties\":{\"ok\":{\"const\":true},\"result\":{\"type\":"
    "\"object\"}}},"
    "\"Error\":{\"type\":\"object\",\"required\":[\"code\",\"message\","
    "\"reason\"],"
    "\"properties\":{\"code\":{\"type\":\"string\",\"enum\":[\"parse_error\","
    "\"bad_request\",\"unknown_op\",\"invalid_argument\","
    "\"unauthenticated\",\"forbidden\",\"not_found\",\"conflict\","
    "\"too_large\",\"rate_limited\",\"internal\",\"unavailable\"]},"
    "\"message\":{\"type\":\"string\"},\"field\":{\"type\":\"string\"},"
    "\"reason\":{\"type\":\"string\"}}},"
    "\"Refusal\":{\"type\":\"object\",\"required\":[\"ok\",\"error\"],"
    "\"properties\":{\"ok\":{\"const\":false},\"error\":{\"$ref\":"
    "\"#/components/schemas/Error\"}}}}}";

cJSON *
ops_openapi(const struct taxonomy *tax, const char *version)
{
	cJSON	*doc = cJSON_CreateObject(), *info, *paths, *tags, *t;
	char	 route[96];
	size_t	 i;
	static const char *const tag_names[][2] = {
		{ "reads", "Operations that read: POST /v1/op/<op>." },
		{ "writes", "Operations that write: answered after COMMIT." },
		{ "routes", "GET routes of the HTTP transport." } };

	cJSON_AddStringToObject(doc, "openapi", "3.1.0");
	info = oa_obj(doc, "info");
	cJSON_AddStringToObject(info, "title", "matchd");
	cJSON_AddStringToObject(info, "version", version);
	cJSON_AddStringToObject(info, "summary", "Matchmaking for community "
	    "micro-projects (民生微实事): needs, offers, fairs, matches.");
	cJSON_AddStringToObject(info, "description", "Generated from the "
	    "daemon's operation table.  The same operations are one JSON "
	    "line each on the native transport (docs/protocol.md).");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "servers"),
	    cJSON_Parse("{\"url\":\"/\"}"));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "security"),
	    cJSON_Parse("{\"token\":[]}"));
	tags = cJSON_AddArrayToObject(doc, "tags");
	for (i = 0; i < sizeof(tag_names) / sizeof(tag_names[0]); i++) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "name", tag_names[i][0]);
		cJSON_AddStringToObject(t, "description", tag_names[i][1]);
		cJSON_AddItemToArray(tags, t);
	}
	paths = oa_obj(doc, "paths");
	for (i = 0; i < ops_count(); i++) {
		snprintf(route, sizeof(route), "/v1/op/%s", ops_at(i)->name);
		cJSON_AddItemToObject(paths, route, oa_op(ops_at(i), tax));
	}
	oa_get(paths, "/healthz", "healthz", "application/json",
	    "Liveness: {\"ok\": true}.", 1, NULL);
	oa_get(paths, "/metrics", "metrics", "text/plain", "Prometheus "
	    "metrics: from loopback without a token, else with "
	    "http.metrics_token.", 1, NULL);
	oa_get(paths, "/v1/openapi.json", "openapi", "application/json",
	    "This document.", 0, NULL);
	oa_get(paths, "/v1/events", "events", "text/event-stream",
	    "The events the caller may see: Server-Sent Events with Accept: "
	    "text/event-stream (after=, kinds=, Last-Event-ID; the token may "
	    "come as access_token=), else a JSON page {items, next, last}.",
	    0, NULL);
	oa_get(paths, "/v1/fairs/{fair}/matches.csv", "matches_csv",
	    "text/csv", "The fair's matches as CSV (fair.export), in Chinese; "
	    "?lang=en in English.", 0, "fair");
	oa_get(paths, "/v1/fairs/{fair}/matches.xlsx", "matches_xlsx",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "The fair's matches as a workbook (fair.export), in Chinese; "
	    "?lang=en in English.", 0, "fair");
	oa_get(paths, "/v1/fairs/{fair}/agenda.html", "agenda",
	    "text/html", "The fair's printable agenda; ?community= or ?org= "
	    "for one party's; ?lang=en in English.", 0, "fair");
	oa_query_lang(paths, "/v1/fairs/{fair}/matches.csv");
	oa_query_lang(paths, "/v1/fairs/{fair}/matches.xlsx");
	oa_query_lang(paths, "/v1/fairs/{fair}/agenda.html");
	oa_get(paths, "/v1/reports/{month}.html", "report_html", "text/html",
	    "The monthly report (report.monthly) as a printable page; month "
	    "is YYYY-MM.", 0, "month");
	oa_get(paths, "/v1/reports/{month}.xlsx", "report_xlsx",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "The monthly report (report.monthly) as a workbook.", 0, "month");
	oa_get(paths, "/v1/public/notices", "public_notices",
	    "application/json", "The public notice board (公示): the projects "
	    "on notice, with names, never codes; no token.", 1, NULL);
	oa_get(paths, "/public", "public_page", "text/html", "The public "
	    "notice board as a printable Chinese page (also at /public/); "
	    "no token.", 1, NULL);
	cJSON_AddItemToObject(doc, "components", cJSON_Parse(oa_components));
	return doc;
}
