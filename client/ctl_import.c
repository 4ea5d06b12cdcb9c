/*
 * ctl_import.c: `matchctl import needs|offers FILE.csv`.
 *
 * The header row names the fields of need.post or offer.post.  Each row
 * becomes one request; the daemon checks it like any other, so a bad row
 * is refused with the same message a client would see, and nothing of it
 * is stored.  Rows without a `ref` get one derived from their content, so
 * importing a file again stores nothing twice.
 *
 * The file is UTF-8 (a BOM is dropped), else GB18030 (GBK), which is how
 * Excel and WPS save CSV on a Chinese system: it is converted first and the
 * report says so.  Bytes that are neither are refused before anything is
 * sent.  The report is in Chinese when --lang zh, or without --lang when
 * the locale (LC_ALL, LC_MESSAGES, LANG) is Chinese; else in English.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl.h"
#include "client/ctl_import_words.h"
#include "protocol/charset.h"
#include "protocol/csv.h"

#define IMPORT_WINDOW	64	/* requests in flight */

/*
 * The report lists rows in file order: a row refused here waits behind
 * the rows sent before it.  One entry per row not yet reported.
 */
struct entry {
	long	 row;
	char	*refusal;	/* refused here (owned), or NULL: sent */
};

struct import {
	struct ctl	 *c;
	const struct import_words *w;
	const char	 *op;
	struct entry	 *q;		/* a ring of queued report entries */
	size_t		  head, n, cap;
	int		  inflight;	/* sent entries in q */
	long		  accepted, refused;
};

static int
is_number_field(const char *k)
{
	return strcmp(k, "budget") == 0 || strcmp(k, "price") == 0 ||
	    strcmp(k, "capacity") == 0 || strcmp(k, "beneficiaries") == 0;
}

static int
is_list_field(const char *k)
{
	return strcmp(k, "partners") == 0 || strcmp(k, "streets") == 0;
}

/* "a; b;c" (or a JSON array) as an array of strings. */
static cJSON *
import_list(const char *v)
{
	cJSON		*a;
	const char	*p = v, *q;
	char		 item[256];
	size_t		 n;

	if (v[0] == '[' && (a = cJSON_ParseWithOpts(v, NULL, 1)) != NULL)
		return a;
	a = cJSON_CreateArray();
	while (*p != '\0') {
		while (*p == ' ' || *p == ';' || *p == '|')
			p++;
		for (q = p; *q != '\0' && *q != ';' && *q != '|'; q++)
			;
		n = (size_t)(q - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0) {
			if (n >= sizeof(item))
				n = sizeof(item) - 1;
			memcpy(item, p, n);
			item[n] = '\0';
			cJSON_AddItemToArray(a, cJSON_CreateString(item));
		}
		p = q;
	}
	return a;
}

/*
 * A quoted cell of a file with CRLF line ends holds CRLF line breaks; the
 * text fields take "\n" only.
 */
static void
crlf_to_lf(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*w++ = *s;
	*w = '\0';
}

/* A ref from the row's content: FNV-1a over the kind and every field. */
static void
import_ref(const char *kind, const struct csv_record *r, char out[40])
{
	uint64_t	h = 1469598103934665603ULL;
	const char	*p;
	size_t		i;

	for (p = kind; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (i = 0; i < r->n; i++) {
		h = (h ^ 0x1f) * 1099511628211ULL;
		for (p = r->fields[i]; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	}
	snprintf(out, 40, "csv-%016llx", (unsigned long long)h);
}

/* The args of one row; NULL (with why) when the row cannot be sent. */
static cJSON *
import_args(const struct import_words *wd, const char *kind,
    const struct csv_record *head, const struct csv_record *r, char *why,
    size_t whylen)
{
	cJSON		*args, *v, *w = NULL;
	const char	*k;
	char		 ref[40];
	size_t		 i;

	if (r->n != head->n) {
		snprintf(why, whylen, wd->fields, r->n, head->n);
		return NULL;
	}
	args = cJSON_CreateObject();
	for (i = 0; i < r->n; i++) {
		k = head->fields[i];
		if (r->fields[i][0] == '\0')
			continue;	/* an empty cell leaves the field out */
		if (strcmp(k, "window_from") == 0 ||
		    strcmp(k, "window_to") == 0) {
			if (w == NULL)
				w = cJSON_AddObjectToObject(args, "window");
			cJSON_AddStringToObject(w, k + 7, r->fields[i]);
			continue;
		}
		crlf_to_lf(r->fields[i]);
		if (is_list_field(k))
			v = import_list(r->fields[i]);
		else if (is_number_field(k) && (v = cJSON_ParseWithOpts(
		    r->fields[i], NULL, 1)) != NULL && cJSON_IsNumber(v))
			;
		else {
			if (is_number_field(k))
				cJSON_Delete(v);
			v = cJSON_CreateString(r->fields[i]);
		}
		if (cJSON_GetObjectItemCaseSensitive(args, k) != NULL) {
			snprintf(why, whylen, wd->twice, k);
			cJSON_Delete(v);
			cJSON_Delete(args);
			return NULL;
		}
		cJSON_AddItemToObject(args, k, v);
	}
	if (cJSON_GetObjectItemCaseSensitive(args, "ref") == NULL) {
		import_ref(kind, r, ref);
		cJSON_AddStringToObject(args, "ref", ref);
	}
	return args;
}

static int
import_push(struct import *im, long row, char *refusal)
{
	struct entry	*nq;
	size_t		 i, cap;

	if (im->n == im->cap) {
		cap = im->cap ? im->cap * 2 : 128;
		if ((nq = calloc(cap, sizeof(*nq))) == NULL) {
			free(refusal);
			return -1;
		}
		for (i = 0; i < im->n; i++)
			nq[i] = im->q[(im->head + i) % im->cap];
		free(im->q);
		im->q = nq;
		im->head = 0;
		im->cap = cap;
	}
	im->q[(im->head + im->n) % im->cap] = (struct entry){ row, refusal };
	im->n++;
	if (refusal == NULL)
		im->inflight++;
	return 0;
}

/* Report the rows refused here that stand first in the queue. */
static void
import_flush_local(struct import *im)
{
	struct entry *e;

	while (im->n > 0 && (e = &im->q[im->head])->refusal != NULL) {
		printf(im->w->refused, e->row);
		ctl_print_text(stdout, e->refusal);
		putchar('\n');
		free(e->refusal);
		im->refused++;
		im->head = (im->head + 1) % im->cap;
		im->n--;
	}
}

/*
 * "row N: refused: CODE (field): message", or in Chinese the code's name
 * first and the code itself at the end; the daemon's message stays as it
 * is (the protocol keeps it English).
 */
static void
import_print_refusal(struct import *im, long row, const struct ctl_answer *a)
{
	const char *zh = im->w == &import_words_zh ?
	    import_zh_term(a->code) : NULL;

	printf(im->w->refused, row);
	if (zh == NULL) {
		ctl_answer_print_error(a, stdout);
		putchar('\n');
		return;
	}
	fputs(zh, stdout);
	if (a->field != NULL) {
		fputs("（字段 ", stdout);
		ctl_print_text(stdout, a->field);
		fputs("）", stdout);
	}
	fputs("：", stdout);
	ctl_print_text(stdout, a->message);
	fputs(" [", stdout);
	ctl_print_text(stdout, a->code);
	fputs("]\n", stdout);
}

/*
 * Read the answer to the oldest request in flight and report it, with the
 * local refusals around it in file order.  0, or the exit status when no
 * usable answer came (ctl_read has said why).
 */
static int
import_collect(struct import *im)
{
	struct ctl_answer	 a;
	const cJSON		*id;
	long			 row;
	int			 rc;

	import_flush_local(im);
	row = im->q[im->head].row;
	if ((rc = ctl_read(im->c, row, &a)) != 0)
		return rc;
	if (a.id_null) {
		/* The daemon could not read a request, or turned us away. */
		fputs(im->w->bad_answer, stderr);
		ctl_answer_print_error(&a, stderr);
		fputc('\n', stderr);
		ctl_answer_free(&a);
		return CTL_EXIT_UNREACHABLE;
	}
	im->head = (im->head + 1) % im->cap;
	im->n--;
	im->inflight--;
	if (a.ok) {
		id = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(a.result,
		    strcmp(im->op, "need.post") == 0 ? "need" : "offer"), "id");
		if (cJSON_IsNumber(id))
			printf(im->w->ok_id, row, id->valuedouble);
		else
			printf(im->w->ok, row);
		im->accepted++;
	} else {
		import_print_refusal(im, row, &a);
		im->refused++;
	}
	ctl_answer_free(&a);
	import_flush_local(im);
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf = NULL, *nb;
	size_t	 cap = 0, n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	for (;;) {
		if (*len + 65536 > cap) {
			cap = cap ? cap * 2 : 131072;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
		}
		if ((n = fread(buf + *len, 1, cap - *len, fp)) == 0)
			break;
		*len += n;
	}
	fclose(fp);
	return buf;
}

/*
 * The file's bytes as UTF-8 text (*t, with its own NUL), saying so when it
 * was converted from GB18030; -1 (said why) when it is neither encoding.
 */
static int
import_decode(const struct import_words *w, const char *path,
    const char *buf, size_t len, struct charset_text *t)
{
	const unsigned char	*u = (const unsigned char *)buf;

	switch (charset_decode(buf, len, t)) {
	case 0:
		if (t->from == CHARSET_GB18030)
			fputs(w->converted, stdout);
		return 0;
	case -1:
		if (t->utf8_bad == t->gb_bad)
			fprintf(stderr, w->neither_same, path, u[t->utf8_bad],
			    t->utf8_bad, csv_row_at(buf, len, t->utf8_bad));
		else
			fprintf(stderr, w->neither, path, u[t->utf8_bad],
			    t->utf8_bad, csv_row_at(buf, len, t->utf8_bad),
			    t->gb_bad < len ? u[t->gb_bad] : 0, t->gb_bad,
			    csv_row_at(buf, len, t->gb_bad));
		return -1;
	default:
		fputs(w->oom, stderr);
		return -1;
	}
}

int
ctl_import(struct ctl *c, int argc, char **argv)
{
	struct import		 im;
	struct csv_record	 head, r;
	struct charset_text	 text;
	const char		*why, *lang = NULL, *kind = NULL;
	const char		*path = NULL;
	char			*raw, *buf, reason[160], *msg;
	size_t			 len, pos = 0;
	long			 row = 1;
	cJSON			*args;
	int			 i, rc, usage = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (kind == NULL)
			kind = argv[i];
		else if (path == NULL)
			path = argv[i];
		else
			usage = 1;
	}
	memset(&im, 0, sizeof(im));
	im.w = import_words_for(lang);
	if (usage || path == NULL || (strcmp(kind, "needs") != 0 &&
	    strcmp(kind, "offers") != 0) || (lang != NULL &&
	    strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)) {
		fputs(im.w->usage, stderr);
		return 1;
	}
	if ((raw = slurp(path, &len)) == NULL) {
		fprintf(stderr, "matchctl import: %s: %s\n", path,
		    strerror(errno));
		return 1;
	}
	rc = import_decode(im.w, path, raw, len, &text);
	free(raw);
	if (rc == -1)
		return 1;
	buf = text.data;
	len = text.len;
	im.c = c;
	im.op = strcmp(kind, "needs") == 0 ? "need.post" : "offer.post";
	if (csv_next(buf, len, &pos, &head, &why) != 1) {
		fprintf(stderr, im.w->no_header, path);
		charset_text_free(&text);
		return 1;
	}
	if (ctl_connect(c) == -1) {
		fprintf(stderr, im.w->no_connect, c->path ? c->path : c->host,
		    strerror(errno));
		csv_record_free(&head);
		charset_text_free(&text);
		return 2;
	}
	while ((rc = csv_next(buf, len, &pos, &r, &why)) != 0) {
		row++;
		if (rc == -1) {
			if (im.w == &import_words_zh &&
			    import_zh_term(why) != NULL)
				why = import_zh_term(why);
			if (asprintf(&msg, im.w->not_csv, why) == -1 ||
			    import_push(&im, row, msg) == -1)
				goto oom;
			continue;
		}
		if (r.n == 1 && r.fields[0][0] == '\0') {
			csv_record_free(&r);
			continue;	/* a blank line */
		}
		args = import_args(im.w, kind, &head, &r, reason,
		    sizeof(reason));
		csv_record_free(&r);
		if (args == NULL) {
			if ((msg = strdup(reason)) == NULL ||
			    import_push(&im, row, msg) == -1)
				goto oom;
			continue;
		}
		/* Keep a window of requests in flight, answered in order. */
		if (im.inflight == IMPORT_WINDOW &&
		    (rc = import_collect(&im)) != 0)
			goto out;
		if (ctl_send(c, row, im.op, args) == -1) {
			if (errno == ENOMEM)
				goto oom;
			goto lost;
		}
		if (import_push(&im, row, NULL) == -1)
			goto oom;
	}
	while (im.inflight > 0)
		if ((rc = import_collect(&im)) != 0)
			goto out;
	import_flush_local(&im);
	printf(im.w->summary, strcmp(kind, "needs") == 0 ? im.w->needs :
	    im.w->offers, im.accepted, im.refused);
	csv_record_free(&head);
	charset_text_free(&text);
	free(im.q);
	return im.refused > 0 ? 1 : 0;
oom:
	fputs(im.w->oom, stderr);
	rc = 1;
	goto out;
lost:
	/* Report what the daemon answered before it hung up. */
	while (im.inflight > 0)
		if ((rc = import_collect(&im)) != 0)
			goto out;
	fputs(im.w->lost, stderr);
	rc = CTL_EXIT_UNREACHABLE;
out:
	while (im.n > 0) {
		free(im.q[im.head].refusal);
		im.head = (im.head + 1) % im.cap;
		im.n--;
	}
	free(im.q);
	csv_record_free(&head);
	charset_text_free(&text);
	return rc;
}
