/*
 * args.c: checking an args object against an operation's schema.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "protocol/args.h"

#define STREET_MAX_CHARS	64

/* v is one of sp's choices, else invalid_argument naming them. */
static int
args_check_choice(const struct arg_spec *sp, const cJSON *v,
    struct error *err)
{
	const char *const	*ch;
	char			 list[512];
	size_t			 used = 0;

	if (cJSON_IsString(v))
		for (ch = sp->choices; *ch != NULL; ch++)
			if (strcmp(*ch, v->valuestring) == 0)
				return 0;
	list[0] = '\0';
	for (ch = sp->choices; *ch != NULL && used < sizeof(list); ch++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%s\"%s\"", ch == sp->choices ? "" : ", ", *ch);
	return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
	    "%s must be %s %s", sp->name, sp->type == ARG_ENUMS ?
	    "an array of" : "one of", list);
}

static int
args_check_list(const struct arg_spec *sp, const cJSON *v,
    struct error *err)
{
	const cJSON	*c, *d;
	int		 n = 0;
	char		 field[72];

	if (!cJSON_IsArray(v))
		return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
		    "%s must be an array", sp->name);
	cJSON_ArrayForEach(c, v) {
		snprintf(field, sizeof(field), "%s", sp->name);
		if (++n > sp->max)
			return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
			    "%s holds more than %lld items", sp->name, sp->max);
		switch (sp->type) {
		case ARG_CODES:
			if (value_code(c, field, err) == -1)
				return -1;
			break;
		case ARG_STREETS:
			if (value_text(c, field, 1, STREET_MAX_CHARS,
			    err) == -1)
				return -1;
			break;
		case ARG_ENUMS:
			if (args_check_choice(sp, c, err) == -1)
				return -1;
			break;
		default:	/* ARG_IDS */
			if (value_int(c, field, 1, ARG_ID_MAX, NULL,
			    err) == -1)
				return -1;
			break;
		}
		for (d = v->child; sp->type != ARG_IDS && d != c; d = d->next)
			if (cJSON_Compare(c, d, 1))
				return error_set(err, ERR_INVALID_ARGUMENT,
				    sp->name, "%s names the same item twice",
				    sp->name);
	}
	if (sp->type == ARG_STREETS) {
		if (n < 1)
			return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
			    "%s must name at least one street, or be [\"*\"] "
			    "for the whole district", sp->name);
		cJSON_ArrayForEach(c, v)
			if (strcmp(c->valuestring, "*") == 0 && n > 1)
				return error_set(err, ERR_INVALID_ARGUMENT,
				    sp->name, "%s: \"*\" (the whole district) "
				    "stands alone", sp->name);
	}
	return 0;
}

static int
args_check_window(const struct arg_spec *sp, const cJSON *v,
    struct error *err)
{
	const cJSON *c, *from = NULL, *to = NULL;

	if (!cJSON_IsObject(v))
		return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
		    "%s must be an object {\"from\": date, \"to\": date}",
		    sp->name);
	cJSON_ArrayForEach(c, v) {
		if (strcmp(c->string, "from") == 0)
			from = c;
		else if (strcmp(c->string, "to") == 0)
			to = c;
		else
			return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
			    "%s takes only \"from\" and \"to\"", sp->name);
	}
	if (from == NULL || to == NULL)
		return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
		    "%s needs both \"from\" and \"to\"", sp->name);
	if (value_date(from, "window.from", err) == -1 ||
	    value_date(to, "window.to", err) == -1)
		return -1;
	if (strcmp(from->valuestring, to->valuestring) > 0)
		return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
		    "%s: \"from\" must not be after \"to\"", sp->name);
	return 0;
}

static int
args_check_one(const struct arg_spec *sp, const cJSON *v,
    const struct taxonomy *tax, struct error *err)
{
	struct error		 tmp;

	switch (sp->type) {
	case ARG_TEXT:
		return value_text(v, sp->name, (long)sp->min, (long)sp->max,
		    err);
	case ARG_STREET:
		return value_text(v, sp->name, 1, STREET_MAX_CHARS, err);
	case ARG_CODE:
		return value_code(v, sp->name, err);
	case ARG_AMOUNT:
		return value_amount(v, sp->name, sp->min == 0, NULL, err);
	case ARG_INT:
		return value_int(v, sp->name, sp->min, sp->max, NULL, err);
	case ARG_BOOL:
		if (!cJSON_IsBool(v))
			return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
			    "%s must be true or false", sp->name);
		return 0;
	case ARG_DATE:
		return value_date(v, sp->name, err);
	case ARG_TIME:
		return value_time(v, sp->name, err);
	case ARG_CATEGORY:
		return value_category(v, sp->name, tax, 0, err);
	case ARG_CATEGORY_FILTER:
		return value_category(v, sp->name, tax, 1, err);
	case ARG_CODES:
	case ARG_STREETS:
	case ARG_IDS:
		return args_check_list(sp, v, err);
	case ARG_WINDOW:
		/* null clears a window (need.update). */
		return cJSON_IsNull(v) ? 0 : args_check_window(sp, v, err);
	case ARG_ENUMS:
		return args_check_list(sp, v, err);
	case ARG_SCORE:
		if (!cJSON_IsNumber(v) || v->valuedouble < (double)sp->min ||
		    v->valuedouble > (double)sp->max ||
		    value_amount(v, sp->name, 1, NULL, &tmp) == -1)
			return error_set(err, ERR_INVALID_ARGUMENT, sp->name,
			    "%s must be a number of points from %lld to %lld, "
			    "with at most two decimals", sp->name, sp->min,
			    sp->max);
		return 0;
	case ARG_ENUM:
		return args_check_choice(sp, v, err);
	}
	return error_set(err, ERR_INTERNAL, NULL, "unknown argument type");
}

/* Schemas longer than this look their later arguments up again. */
#define ARGS_FOUND_MAX	64

int
args_check(const struct arg_spec *specs, const cJSON *args,
    const struct taxonomy *tax, struct error *err)
{
	const struct arg_spec	*sp;
	const cJSON		*c, *found[ARGS_FOUND_MAX];
	char			 names[512];
	size_t			 used = 0, i;

	if (args != NULL && !cJSON_IsObject(args))
		return error_set(err, ERR_BAD_REQUEST, NULL,
		    "args must be an object");
	memset(found, 0, sizeof(found));
	/* Every argument must be in the schema; note where each is. */
	for (c = args ? args->child : NULL; c != NULL; c = c->next) {
		for (sp = specs; sp->name != NULL; sp++)
			if (strcmp(sp->name, c->string) == 0)
				break;
		if (sp->name != NULL) {
			if ((i = (size_t)(sp - specs)) < ARGS_FOUND_MAX)
				found[i] = c;
			continue;
		}
		names[0] = '\0';
		for (sp = specs; sp->name != NULL && used < sizeof(names); sp++)
			used += (size_t)snprintf(names + used,
			    sizeof(names) - used, "%s%s",
			    sp == specs ? "" : ", ", sp->name);
		error_set(err, ERR_INVALID_ARGUMENT, c->string,
		    "unknown argument \"%.60s\"; this operation takes %s",
		    c->string, specs->name ? names : "no arguments");
		return error_reason(err, "unknown_argument");
	}
	/* Then each, in the schema's order (the first error reported). */
	for (sp = specs; sp->name != NULL; sp++) {
		i = (size_t)(sp - specs);
		c = i < ARGS_FOUND_MAX ? found[i] : args_get(args, sp->name);
		if (c == NULL) {
			if (sp->required) {
				error_set(err, ERR_INVALID_ARGUMENT, sp->name,
				    "%s is required", sp->name);
				return error_reason(err, "missing_argument");
			}
			continue;
		}
		if (args_check_one(sp, c, tax, err) == -1)
			return -1;
	}
	return 0;
}

const cJSON *
args_get(const cJSON *args, const char *name)
{
	const cJSON	*c;

	if (args == NULL || name == NULL)
		return NULL;
	/* cJSON_GetObjectItemCaseSensitive's answer, with the first bytes
	 * compared before strcmp: a post looks its record's members up 40
	 * times, and a strcmp through the PLT for every member passed on
	 * the way was 8 % of its instructions. */
	for (c = args->child; c != NULL; c = c->next)
		if (c->string != NULL && c->string[0] == name[0] &&
		    strcmp(c->string, name) == 0)
			return c;
	return NULL;
}

int
args_has(const cJSON *args, const char *name)
{
	return args_get(args, name) != NULL;
}

const char *
args_str(const cJSON *args, const char *name, const char *fallback)
{
	const cJSON *v = args_get(args, name);

	return cJSON_IsString(v) ? v->valuestring : fallback;
}

long long
args_int(const cJSON *args, const char *name, long long fallback)
{
	const cJSON *v = args_get(args, name);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : fallback;
}

double
args_num(const cJSON *args, const char *name, double fallback)
{
	const cJSON *v = args_get(args, name);

	return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

int64_t
args_fen(const cJSON *args, const char *name, int64_t fallback)
{
	const cJSON *v = args_get(args, name);

	return cJSON_IsNumber(v) ? (int64_t)llround(v->valuedouble * 100.0) :
	    fallback;
}

int
args_bool(const cJSON *args, const char *name, int fallback)
{
	const cJSON *v = args_get(args, name);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : fallback;
}
