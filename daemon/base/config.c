/*
 * config.c: one table of configuration keys, read with inih.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "daemon/base/clock.h"
#include "daemon/base/config.h"
#include "daemon/base/log.h"

enum conf_type { CONF_STR, CONF_LONG, CONF_YUAN, CONF_WEIGHT, CONF_ENUM,
    CONF_RATIO, CONF_FRACTION };

struct conf_key {
	const char	*section;
	const char	*name;
	enum conf_type	 type;
	size_t		 offset;
	size_t		 size;		/* CONF_STR: buffer size */
	long		 min, max;	/* CONF_LONG */
	const char	*choices;	/* CONF_ENUM: "a|b" */
	int		 live;		/* reloaded by SIGHUP */
	const char	*fallback;
};

#define OFF(f)	offsetof(struct config, f)
#define SZ(f)	sizeof(((struct config *)0)->f)

static const struct conf_key conf_keys[] = {
	{ "server", "listen", CONF_STR, OFF(listen), SZ(listen), 0, 0, NULL, 0,
	    "127.0.0.1:7700" },
	{ "server", "http", CONF_STR, OFF(http), SZ(http), 0, 0, NULL, 0,
	    "127.0.0.1:7780" },
	{ "server", "unix_socket", CONF_STR, OFF(unix_socket), SZ(unix_socket),
	    0, 0, NULL, 0, "" },
	{ "server", "database", CONF_STR, OFF(database), SZ(database), 0, 0,
	    NULL, 0, "matchd.db" },
	{ "limits", "max_clients", CONF_LONG, OFF(max_clients), 0, 1, 1000000,
	    NULL, 1, "1024" },
	{ "limits", "max_clients_per_address", CONF_LONG,
	    OFF(max_clients_per_address), 0, 1, 1000000, NULL, 1, "256" },
	{ "limits", "idle_timeout", CONF_LONG, OFF(idle_timeout), 0, 0, 86400,
	    NULL, 1, "300" },
	{ "limits", "max_request_bytes", CONF_LONG, OFF(max_request_bytes), 0,
	    256, 1L << 30, NULL, 1, "1048576" },
	{ "limits", "requests_per_turn", CONF_LONG, OFF(requests_per_turn), 0,
	    1, 1000000, NULL, 1, "16" },
	{ "limits", "turn_slice_ms", CONF_LONG, OFF(turn_slice_ms), 0, 1, 1000,
	    NULL, 1, "3" },
	{ "limits", "rate_per_token", CONF_LONG, OFF(rate_per_token), 0, 0,
	    10000000, NULL, 1, "0" },
	{ "limits", "header_timeout", CONF_LONG, OFF(header_timeout), 0, 1,
	    3600, NULL, 1, "10" },
	{ "limits", "max_output_bytes", CONF_LONG, OFF(max_output_bytes), 0,
	    65536, 1L << 32, NULL, 1, "16777216" },
	{ "limits", "max_output_total", CONF_LONG, OFF(max_output_total), 0,
	    1L << 20, 1L << 40, NULL, 1, "268435456" },
	{ "limits", "max_answer_bytes", CONF_LONG, OFF(max_answer_bytes), 0,
	    65536, 1L << 32, NULL, 1, "4194304" },
	{ "limits", "reader_threads", CONF_LONG, OFF(reader_threads), 0, 0, 64,
	    NULL, 0, "2" },
	{ "store", "synchronous", CONF_ENUM, OFF(synchronous),
	    SZ(synchronous), 0, 0, "full|normal", 0, "full" },
	{ "store", "busy_timeout", CONF_LONG, OFF(busy_timeout), 0, 0, 600000,
	    NULL, 0, "5000" },
	{ "store", "mmap_mib", CONF_LONG, OFF(mmap_mib), 0, 0, 1L << 20,
	    NULL, 0, "512" },
	{ "matcher", "community_cap", CONF_YUAN, OFF(community_cap), 0, 0, 0,
	    NULL, 1, "2000000" },
	{ "matcher", "meetings_per_need", CONF_LONG, OFF(meetings_per_need), 0,
	    1, 50, NULL, 1, "3" },
	{ "matcher", "min_score", CONF_WEIGHT, OFF(min_score), 0, 0, 0, NULL,
	    1, "0" },
	{ "weights", "category", CONF_WEIGHT, OFF(weights[W_CATEGORY]), 0, 0, 0,
	    NULL, 1, "40" },
	{ "weights", "budget", CONF_WEIGHT, OFF(weights[W_BUDGET]), 0, 0, 0,
	    NULL, 1, "25" },
	{ "weights", "text", CONF_WEIGHT, OFF(weights[W_TEXT]), 0, 0, 0,
	    NULL, 1, "20" },
	{ "weights", "library", CONF_WEIGHT, OFF(weights[W_LIBRARY]), 0, 0, 0,
	    NULL, 1, "10" },
	{ "weights", "locality", CONF_WEIGHT, OFF(weights[W_LOCALITY]), 0, 0, 0,
	    NULL, 1, "5" },
	{ "weights", "interest", CONF_WEIGHT, OFF(weights[W_INTEREST]), 0, 0, 0,
	    NULL, 1, "5" },
	{ "risk", "padding_share", CONF_RATIO, OFF(risk_padding_share), 0, 0,
	    0, NULL, 1, "0.95" },
	{ "risk", "padding_days", CONF_LONG, OFF(risk_padding_days), 0, 1, 366,
	    NULL, 1, "30" },
	{ "risk", "padding_late_share", CONF_RATIO,
	    OFF(risk_padding_late_share), 0, 0, 0, NULL, 1, "0.5" },
	{ "risk", "inflated_factor", CONF_WEIGHT, OFF(risk_inflated_factor), 0,
	    0, 0, NULL, 1, "2" },
	{ "risk", "concentration_share", CONF_RATIO,
	    OFF(risk_concentration_share), 0, 0, 0, NULL, 1, "0.3" },
	{ "risk", "duplicate_similarity", CONF_RATIO,
	    OFF(risk_duplicate_similarity), 0, 0, 0, NULL, 1, "0.9" },
	{ "risk", "split_threshold", CONF_YUAN, OFF(risk_split_threshold), 0,
	    0, 0, NULL, 1, "100000" },
	{ "programme", "notice_days", CONF_LONG, OFF(notice_days), 0, 0, 365,
	    NULL, 1, "5" },
	{ "programme", "quorum", CONF_FRACTION, OFF(quorum), 0, 0, 0, NULL, 1,
	    "2/3" },
	{ "programme", "pass_share", CONF_RATIO, OFF(pass_share), 0, 0, 0,
	    NULL, 1, "0.5" },
	{ "programme", "deliberation_days", CONF_LONG, OFF(deliberation_days),
	    0, 1, 3650, NULL, 1, "30" },
	{ "programme", "implementation_days", CONF_LONG,
	    OFF(implementation_days), 0, 1, 3650, NULL, 1, "180" },
	{ "programme", "acceptance_days", CONF_LONG, OFF(acceptance_days), 0,
	    1, 3650, NULL, 1, "30" },
	{ "events", "allow_private_hooks", CONF_ENUM,
	    OFF(events_allow_private_hooks), SZ(events_allow_private_hooks), 0,
	    0, "false|true", 0, "false" },
	{ "events", "webhook_retry_hours", CONF_WEIGHT,
	    OFF(events_webhook_retry_hours), 0, 0, 0, NULL, 0, "24" },
	{ "events", "remind_after_hours", CONF_WEIGHT,
	    OFF(events_remind_after_hours), 0, 0, 0, NULL, 1, "48" },
	{ "events", "risk_check_minutes", CONF_WEIGHT,
	    OFF(events_risk_check_minutes), 0, 0, 0, NULL, 1, "10" },
	{ "time", "zone", CONF_STR, OFF(time_zone), SZ(time_zone), 0, 0, NULL,
	    0, "Asia/Shanghai" },
	{ "time", "today", CONF_STR, OFF(time_today), SZ(time_today), 0, 0,
	    NULL, 0, "" },
	{ "http", "metrics_token", CONF_STR, OFF(metrics_token),
	    SZ(metrics_token), 0, 0, NULL, 1, "" },
	{ "log", "level", CONF_ENUM, OFF(log_level), SZ(log_level), 0, 0,
	    "warn|info|debug", 1, "info" },
	{ "log", "format", CONF_ENUM, OFF(log_format), SZ(log_format), 0, 0,
	    "text|json", 1, "text" },
	{ "log", "requests", CONF_ENUM, OFF(log_requests), SZ(log_requests),
	    0, 0, "off|on", 1, "off" },
};

#define NKEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

/* inih reads lines of at most 199 characters: every line we print fits. */
#define CONF_VALUE_MAX	180

struct conf_load {
	struct config	*conf;
	char		*msg;
	size_t		 msglen;
	int		 failed;
};

static int
conf_enum_ok(const char *choices, const char *v)
{
	const char	*p = choices, *bar;
	size_t		 n = strlen(v);

	for (;;) {
		bar = strchr(p, '|');
		if ((bar ? (size_t)(bar - p) : strlen(p)) == n &&
		    strncmp(p, v, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

/*
 * A fraction from 0 to 1: "a/b" (whole numbers, b from 1 to 1000000) or a
 * decimal of at most six places, kept exactly as num / den.  0 or -1.
 */
static int
conf_fraction_set(struct conf_fraction *f, const char *v)
{
	const char	*p;
	long		 num = 0, den = 1;
	char		*end;
	int		 places = 0;

	if (strlen(v) >= sizeof(f->text) || *v == '\0')
		return -1;
	if ((p = strchr(v, '/')) != NULL) {
		if (!isdigit((unsigned char)*v) ||
		    !isdigit((unsigned char)p[1]))
			return -1;
		errno = 0;
		num = strtol(v, &end, 10);
		if (end != p)
			return -1;
		den = strtol(p + 1, &end, 10);
		if (errno || *end != '\0' || den < 1 || den > 1000000)
			return -1;
	} else {
		for (p = v; isdigit((unsigned char)*p); p++)
			num = num * 10 + (*p - '0');
		if (p == v || p - v > 7)
			return -1;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p) && places < 6;
			    p++, places++) {
				num = num * 10 + (*p - '0');
				den *= 10;
			}
		if (*p != '\0')
			return -1;
	}
	if (num < 0 || num > den)
		return -1;
	snprintf(f->text, sizeof(f->text), "%s", v);
	f->num = num;
	f->den = den;
	return 0;
}

/* Set one key from its text.  Returns 0, or -1 with msg set. */
static int
conf_set(struct config *conf, const char *section, const char *name,
    const char *value, char *msg, size_t msglen)
{
	const struct conf_key	*k;
	char			*end, *base = (char *)conf;
	double			 d;
	long			 l;
	size_t			 i;

	if (strcmp(section, "taxonomy") == 0) {
		if (strlen(name) + strlen(value) + 3 > CONF_VALUE_MAX) {
			snprintf(msg, msglen, "taxonomy.%s: the line is over %d "
			    "characters", name, CONF_VALUE_MAX);
			return -1;
		}
		return taxonomy_set(&conf->taxonomy, name, value, msg, msglen);
	}
	for (i = 0; i < NKEYS; i++)
		if (strcmp(conf_keys[i].section, section) == 0 &&
		    strcmp(conf_keys[i].name, name) == 0)
			break;
	if (i == NKEYS) {
		snprintf(msg, msglen, "unknown configuration key %s.%s",
		    section, name);
		return -1;
	}
	k = &conf_keys[i];
	switch (k->type) {
	case CONF_STR:
	case CONF_ENUM:
		/* What config_print writes must read back (inih: 200 a line,
		 * " ;" starts a comment). */
		if (strlen(value) >= k->size || strlen(value) > CONF_VALUE_MAX) {
			snprintf(msg, msglen, "%s.%s is too long (at most %d "
			    "characters)", section, name, CONF_VALUE_MAX);
			return -1;
		}
		if (strstr(value, " ;") != NULL || value[0] == ';') {
			snprintf(msg, msglen, "%s.%s may not hold \" ;\" (it "
			    "would read back as a comment)", section, name);
			return -1;
		}
		if (k->type == CONF_ENUM && !conf_enum_ok(k->choices, value)) {
			snprintf(msg, msglen, "%s.%s must be one of %s, not "
			    "\"%s\"", section, name, k->choices, value);
			return -1;
		}
		strcpy(base + k->offset, value);
		return 0;
	case CONF_LONG:
		errno = 0;
		l = strtol(value, &end, 10);
		if (errno || end == value || *end != '\0' || l < k->min ||
		    l > k->max) {
			snprintf(msg, msglen, "%s.%s must be a whole number "
			    "from %ld to %ld, not \"%s\"", section, name,
			    k->min, k->max, value);
			return -1;
		}
		*(long *)(void *)(base + k->offset) = l;
		return 0;
	case CONF_FRACTION:
		if (conf_fraction_set((struct conf_fraction *)(void *)(base +
		    k->offset), value) == -1) {
			snprintf(msg, msglen, "%s.%s must be a fraction from 0 "
			    "to 1, as a/b or a decimal of at most 6 places, not "
			    "\"%s\"", section, name, value);
			return -1;
		}
		return 0;
	case CONF_YUAN:
	case CONF_WEIGHT:
	case CONF_RATIO:
		errno = 0;
		d = strtod(value, &end);
		if (errno || end == value || *end != '\0' || !isfinite(d) ||
		    d < 0 || d > (k->type == CONF_YUAN ? 1e10 :
		    k->type == CONF_RATIO ? 1 : 1000)) {
			snprintf(msg, msglen, "%s.%s must be a number from 0 "
			    "to %s, not \"%s\"", section, name,
			    k->type == CONF_YUAN ? "10000000000" :
			    k->type == CONF_RATIO ? "1" : "1000", value);
			return -1;
		}
		if (k->type == CONF_YUAN)
			*(int64_t *)(void *)(base + k->offset) =
			    llround(d * 100);
		else
			*(double *)(void *)(base + k->offset) = d;
		return 0;
	}
	return -1;
}

static int
conf_ini_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct conf_load *ld = user;

	if (ld->failed)
		return 0;
	if (conf_set(ld->conf, section, name, value, ld->msg,
	    ld->msglen) == -1) {
		ld->failed = 1;
		return 0;
	}
	return 1;
}

/*
 * Read the INI file at path into ld.  A directory, or a file that cannot be
 * opened or read to its end, is an error (-1, msg set): fopen opens a
 * directory and inih would read it as an empty file.  Otherwise inih's
 * answer: 0, or the first line it could not parse.
 */
static int
conf_parse_file(const char *path, struct conf_load *ld)
{
	struct stat	 st;
	FILE		*fp;
	int		 rc;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(ld->msg, ld->msglen, "cannot open configuration "
		    "file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == -1)
		st.st_mode = 0;
	if (S_ISDIR(st.st_mode)) {
		snprintf(ld->msg, ld->msglen, "configuration file %s is a "
		    "directory", path);
		fclose(fp);
		return -1;
	}
	rc = ini_parse_file(fp, conf_ini_handler, ld);
	if (ferror(fp)) {
		snprintf(ld->msg, ld->msglen, "cannot read configuration "
		    "file %s: %s", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (rc == -2) {
		snprintf(ld->msg, ld->msglen, "%s: out of memory", path);
		return -1;
	}
	return rc;
}

/* Whether s is a real calendar date YYYY-MM-DD: 0 or -1. */
static int
conf_date_ok(const char *s)
{
	cJSON		*v = cJSON_CreateString(s);
	struct error	 err;
	int		 rc = v != NULL ? value_date(v, "today", &err) : -1;

	cJSON_Delete(v);
	return rc;
}

int
config_load(struct config *conf, const char *path, char *const *overrides,
    int noverrides, char *msg, size_t msglen)
{
	struct conf_load	 ld = { conf, msg, msglen, 0 };
	char			 sect[64], *dot, *eq;
	const char		*o;
	size_t			 i;
	int			 rc, j;
	enum log_level		 lvl;

	memset(conf, 0, sizeof(*conf));
	taxonomy_default(&conf->taxonomy);
	for (i = 0; i < NKEYS; i++)
		if (conf_set(conf, conf_keys[i].section, conf_keys[i].name,
		    conf_keys[i].fallback, msg, msglen) == -1)
			return -1;
	if (path != NULL) {
		if ((rc = conf_parse_file(path, &ld)) == -1)
			return -1;
		if (ld.failed) {
			/* msg already says which key; add where. */
			char tmp[512];

			snprintf(tmp, sizeof(tmp), "%s: %s", path, msg);
			snprintf(msg, msglen, "%s", tmp);
			return -1;
		}
		if (rc > 0) {
			snprintf(msg, msglen, "%s: line %d is not "
			    "\"key = value\" nor \"[section]\"", path, rc);
			return -1;
		}
	}
	for (j = 0; j < noverrides; j++) {
		o = overrides[j];
		dot = strchr(o, '.');
		eq = strchr(o, '=');
		if (dot == NULL || eq == NULL || dot > eq ||
		    (size_t)(dot - o) >= sizeof(sect)) {
			snprintf(msg, msglen, "-o %s: write SECTION.KEY=VALUE",
			    o);
			return -1;
		}
		memcpy(sect, o, (size_t)(dot - o));
		sect[dot - o] = '\0';
		{
			char name[64];

			if ((size_t)(eq - dot - 1) >= sizeof(name)) {
				snprintf(msg, msglen, "-o %s: key too long", o);
				return -1;
			}
			memcpy(name, dot + 1, (size_t)(eq - dot - 1));
			name[eq - dot - 1] = '\0';
			if (conf_set(conf, sect, name, eq + 1, msg,
			    msglen) == -1)
				return -1;
		}
	}
	if (log_parse_level(conf->log_level, &lvl) == -1)
		return -1;
	if (clock_zone_ok(conf->time_zone) == -1) {
		snprintf(msg, msglen, "time.zone: \"%s\" is not a time zone "
		    "of the tz database (e.g. Asia/Shanghai, UTC)",
		    conf->time_zone);
		return -1;
	}
	if (conf->time_today[0] != '\0' && conf_date_ok(conf->time_today) ==
	    -1) {
		snprintf(msg, msglen, "time.today: \"%s\" is not a date "
		    "YYYY-MM-DD", conf->time_today);
		return -1;
	}
	if (conf->taxonomy.nfamilies == 0) {
		snprintf(msg, msglen, "the taxonomy has no family left");
		return -1;
	}
	return 0;
}

void
config_apply_log(const struct config *conf)
{
	enum log_level	lvl;
	enum log_format	fmt;

	if (log_parse_level(conf->log_level, &lvl) == 0)
		log_set_level(lvl);
	if (log_parse_format(conf->log_format, &fmt) == 0)
		log_set_format(fmt);
}

int
config_log_requests(const struct config *conf)
{
	return strcmp(conf->log_requests, "on") == 0;
}

/* The shortest text that reads back as exactly d. */
static void
conf_print_double(FILE *fp, double d)
{
	char	buf[64];
	int	prec;

	for (prec = 6; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", d);
	fprintf(fp, "%s\n", buf);
}

void
config_print(const struct config *conf, FILE *fp)
{
	const struct conf_key	*k;
	const char		*last = "", *base = (const char *)conf;
	char			 list[TAX_MAX_SUBS * (TAX_NAME_MAX + 2)];
	size_t			 i;
	int			 f;
	int64_t			 fen;
	struct taxonomy		 def;

	for (i = 0; i < NKEYS; i++) {
		k = &conf_keys[i];
		if (strcmp(k->section, last) != 0) {
			fprintf(fp, "%s[%s]\n", i ? "\n" : "", k->section);
			last = k->section;
		}
		fprintf(fp, "%s = ", k->name);
		switch (k->type) {
		case CONF_STR:
		case CONF_ENUM:
			fprintf(fp, "%s\n", base + k->offset);
			break;
		case CONF_LONG:
			fprintf(fp, "%ld\n",
			    *(const long *)(const void *)(base + k->offset));
			break;
		case CONF_YUAN:
			fen = *(const int64_t *)(const void *)(base +
			    k->offset);
			if (fen % 100 == 0)
				fprintf(fp, "%lld\n", (long long)(fen / 100));
			else
				fprintf(fp, "%lld.%02lld\n",
				    (long long)(fen / 100),
				    (long long)(fen % 100));
			break;
		case CONF_WEIGHT:
		case CONF_RATIO:
			conf_print_double(fp, *(const double *)(const void *)
			    (base + k->offset));
			break;
		case CONF_FRACTION:
			fprintf(fp, "%s\n", ((const struct conf_fraction *)
			    (const void *)(base + k->offset))->text);
			break;
		}
	}
	fprintf(fp, "\n[taxonomy]\n");
	for (f = 0; f < conf->taxonomy.nfamilies; f++) {
		taxonomy_list(&conf->taxonomy, f, list, sizeof(list));
		fprintf(fp, "%s = %s\n", conf->taxonomy.fam[f].name, list);
	}
	/* A default family that was removed reads back removed. */
	taxonomy_default(&def);
	for (f = 0; f < def.nfamilies; f++)
		if (taxonomy_find(&conf->taxonomy, def.fam[f].name, 1, NULL,
		    NULL) == -1)
			fprintf(fp, "%s =\n", def.fam[f].name);
}

void
config_apply_live(struct config *dst, const struct config *src)
{
	const struct conf_key	*k;
	size_t			 i, sz;

	for (i = 0; i < NKEYS; i++) {
		k = &conf_keys[i];
		if (!k->live)
			continue;
		switch (k->type) {
		case CONF_STR:
		case CONF_ENUM:
			sz = k->size;
			break;
		case CONF_LONG:
			sz = sizeof(long);
			break;
		case CONF_YUAN:
			sz = sizeof(int64_t);
			break;
		case CONF_FRACTION:
			sz = sizeof(struct conf_fraction);
			break;
		default:
			sz = sizeof(double);
			break;
		}
		memcpy((char *)dst + k->offset, (const char *)src + k->offset,
		    sz);
	}
}
