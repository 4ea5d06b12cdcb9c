/*
 * values.c: checking single values against the rules of docs/protocol.md
 * ("Values").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/values.h"

static const char *const default_taxonomy[][2] = {
	{ "engineering", "facility, greening, accessibility, safety, renovation" },
	{ "service", "elderly, children, youth, disability, health, culture, "
	    "sports, education, legal, volunteer, neighbourhood" },
	{ "goods", "equipment, supplies, books" },
};

static int
taxonomy_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= TAX_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

int
taxonomy_set(struct taxonomy *tax, const char *family, const char *csv,
    char *msg, size_t msglen)
{
	struct tax_family	 f;
	const char		*p = csv, *q;
	int			 i;

	memset(&f, 0, sizeof(f));
	if (!taxonomy_name_ok(family, strlen(family))) {
		snprintf(msg, msglen, "taxonomy family \"%s\" must be 1-31 of "
		    "a-z 0-9 _", family);
		return -1;
	}
	strcpy(f.name, family);
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != ',' && *q != ' ' &&
		    *q != '\t'; q++)
			;
		if (!taxonomy_name_ok(p, (size_t)(q - p)) ||
		    f.nsubs == TAX_MAX_SUBS) {
			snprintf(msg, msglen, "taxonomy.%s: sub-categories "
			    "must be at most %d names of a-z 0-9 _", family,
			    TAX_MAX_SUBS);
			return -1;
		}
		memcpy(f.subs[f.nsubs++], p, (size_t)(q - p));
		p = q;
	}
	for (i = 0; i < tax->nfamilies; i++)
		if (strcmp(tax->fam[i].name, family) == 0)
			break;
	if (f.nsubs == 0) {
		/* An empty list removes the family. */
		if (i < tax->nfamilies) {
			memmove(&tax->fam[i], &tax->fam[i + 1],
			    (size_t)(tax->nfamilies - i - 1) * sizeof(f));
			tax->nfamilies--;
		}
		return 0;
	}
	if (i == tax->nfamilies) {
		if (i == TAX_MAX_FAMILIES) {
			snprintf(msg, msglen, "at most %d taxonomy families",
			    TAX_MAX_FAMILIES);
			return -1;
		}
		tax->nfamilies++;
	}
	tax->fam[i] = f;
	return 0;
}

void
taxonomy_default(struct taxonomy *tax)
{
	char	msg[128];
	size_t	i;

	memset(tax, 0, sizeof(*tax));
	for (i = 0; i < sizeof(default_taxonomy) / sizeof(default_taxonomy[0]);
	    i++)
		(void)taxonomy_set(tax, default_taxonomy[i][0],
		    default_taxonomy[i][1], msg, sizeof(msg));
}

int
taxonomy_find(const struct taxonomy *tax, const char *cat, int allow_family,
    int *fam, int *sub)
{
	const char	*dot = strchr(cat, '.');
	size_t		 flen = dot ? (size_t)(dot - cat) : strlen(cat);
	int		 i, j;

	for (i = 0; i < tax->nfamilies; i++) {
		if (strlen(tax->fam[i].name) != flen ||
		    memcmp(tax->fam[i].name, cat, flen) != 0)
			continue;
		if (dot == NULL) {
			if (!allow_family)
				return -1;
			if (fam)
				*fam = i;
			if (sub)
				*sub = -1;
			return 0;
		}
		for (j = 0; j < tax->fam[i].nsubs; j++)
			if (strcmp(tax->fam[i].subs[j], dot + 1) == 0) {
				if (fam)
					*fam = i;
				if (sub)
					*sub = j;
				return 0;
			}
		return -1;
	}
	return -1;
}

void
taxonomy_list(const struct taxonomy *tax, int f, char *buf, size_t len)
{
	size_t	used = 0;
	int	j, n;

	buf[0] = '\0';
	for (j = 0; j < tax->fam[f].nsubs && used < len; j++) {
		n = snprintf(buf + used, len - used, "%s%s", j ? ", " : "",
		    tax->fam[f].subs[j]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/*
 * The decimal places a number literal really has: "1.50" has 1, "1e-2" 2,
 * "1.0000000000000001" 16, "100e-2" 0.  -1 for a malformed literal.
 */
int
value_decimals(const char *lit)
{
	const char	*p = lit;
	char		*e;
	char		 digits[80];
	size_t		 nd = 0;
	long		 scale = 0, exp = 0;
	int		 frac = 0;

	if (*p == '-')
		p++;
	for (; *p != '\0' && *p != 'e' && *p != 'E'; p++) {
		if (*p == '.') {
			frac = 1;
			continue;
		}
		if (*p < '0' || *p > '9' || nd == sizeof(digits))
			return -1;
		digits[nd++] = *p;
		if (frac)
			scale++;
	}
	if (*p == 'e' || *p == 'E') {
		exp = strtol(p + 1, &e, 10);
		if (*e != '\0' || exp > 400 || exp < -400)
			return -1;
	}
	scale -= exp;
	/* Trailing zeros carry no precision. */
	while (nd > 0 && digits[nd - 1] == '0' && scale > 0) {
		nd--;
		scale--;
	}
	return scale > 0 ? (int)scale : 0;
}

int
value_amount(const cJSON *v, const char *field, int zero_ok, int64_t *fen,
    struct error *err)
{
	char	buf[64];
	double	d;

	if (!cJSON_IsNumber(v))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a number of yuan, such as 50000 or 1234.5",
		    field);
	d = v->valuedouble;
	if (!isfinite(d) || d > 1e10 || d < 0 || (!zero_ok && d == 0))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be %s 0 and at most 10000000000 yuan", field,
		    zero_ok ? "at least" : "more than");
	/*
	 * At most two decimals, counted on what the client wrote when the
	 * literal is known (json_parse_strict keeps it), else on the double:
	 * printed with two decimals it must read back the same.
	 */
	if (v->valuestring == NULL)
		snprintf(buf, sizeof(buf), "%.2f", d);
	if ((v->valuestring != NULL && value_decimals(v->valuestring) > 2) ||
	    (v->valuestring == NULL && strtod(buf, NULL) != d))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s has more than two decimal places; amounts are yuan "
		    "to the fen", field);
	if (fen != NULL)
		*fen = llround(d * 100.0);
	return 0;
}

size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int
value_text(const cJSON *v, const char *field, long min, long max,
    struct error *err)
{
	const unsigned char	*p;
	size_t			 n;

	if (!cJSON_IsString(v))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a string", field);
	for (p = (const unsigned char *)v->valuestring; *p != '\0'; p++) {
		/* C0 controls, DEL, and C1 controls (U+0080-U+009F). */
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return error_set(err, ERR_INVALID_ARGUMENT, field,
			    "%s holds a control character; only newline and "
			    "tab are allowed", field);
	}
	n = utf8_length(v->valuestring);
	if (min > 0 && n > 0 && strspn(v->valuestring, " \t\n") ==
	    strlen(v->valuestring))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must not be blank", field);
	if ((long)n < min || (long)n > max) {
		if (min > 0 && n == 0)
			return error_set(err, ERR_INVALID_ARGUMENT, field,
			    "%s must not be empty", field);
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be %ld to %ld characters long (it has %zu)",
		    field, min, max, n);
	}
	return 0;
}

int
value_code_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-') || i == 64)
			return 0;
	return i > 0;
}

int
value_code(const cJSON *v, const char *field, struct error *err)
{
	if (!cJSON_IsString(v) || !value_code_ok(v->valuestring))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a code of 1 to 64 letters, digits, '_' or '-'",
		    field);
	return 0;
}

int
value_int(const cJSON *v, const char *field, long long min, long long max,
    long long *out, struct error *err)
{
	double d;

	if (!cJSON_IsNumber(v))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a whole number", field);
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a whole number", field);
	if (d < (double)min || d > (double)max)
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be between %lld and %lld", field, min, max);
	if (out != NULL)
		*out = (long long)d;
	return 0;
}

static int
digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
value_date(const cJSON *v, const char *field, struct error *err)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	const char	*s;
	int		 y, m, d;

	if (!cJSON_IsString(v) || strlen(s = v->valuestring) != 10 ||
	    s[4] != '-' || s[7] != '-' || (y = digits(s, 4)) < 1 ||
	    (m = digits(s + 5, 2)) < 1 || m > 12 ||
	    (d = digits(s + 8, 2)) < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0)))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a date written YYYY-MM-DD", field);
	return 0;
}

int
value_time(const cJSON *v, const char *field, struct error *err)
{
	const char	*s;
	int		 h, m;

	if (!cJSON_IsString(v) || strlen(s = v->valuestring) != 5 ||
	    s[2] != ':' || (h = digits(s, 2)) < 0 || h > 23 ||
	    (m = digits(s + 3, 2)) < 0 || m > 59)
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a time written HH:MM, 00:00 to 23:59", field);
	return 0;
}

int
value_category(const cJSON *v, const char *field, const struct taxonomy *tax,
    int allow_family, struct error *err)
{
	char		 list[TAX_MAX_SUBS * (TAX_NAME_MAX + 2)];
	const char	*s, *dot;
	int		 f;

	if (!cJSON_IsString(v))
		return error_set(err, ERR_INVALID_ARGUMENT, field,
		    "%s must be a string such as \"service.elderly\"", field);
	s = v->valuestring;
	if (taxonomy_find(tax, s, allow_family, NULL, NULL) == 0)
		return 0;
	dot = strchr(s, '.');
	for (f = 0; dot != NULL && f < tax->nfamilies; f++) {
		if (strlen(tax->fam[f].name) != (size_t)(dot - s) ||
		    memcmp(tax->fam[f].name, s, (size_t)(dot - s)) != 0)
			continue;
		taxonomy_list(tax, f, list, sizeof(list));
		if (strcmp(tax->fam[f].name, "engineering") == 0) {
			error_set(err, ERR_INVALID_ARGUMENT, field,
			    "engineering projects are allowed only from the "
			    "positive list: %s", list);
			return error_reason(err, "engineering_not_listed");
		}
		error_set(err, ERR_INVALID_ARGUMENT, field,
		    "\"%.40s\" is not a %s category; choose one of: %s", dot + 1,
		    tax->fam[f].name, list);
		return error_reason(err, "unknown_category");
	}
	error_set(err, ERR_INVALID_ARGUMENT, field,
	    "%s must be \"family.sub\" from the taxonomy, such as "
	    "\"service.elderly\" or \"engineering.accessibility\"", field);
	return error_reason(err, "unknown_category");
}
