/*
 * ctl_import.c: `matchctl import needs|offers FILE.csv`.
 *
 * The header row names the fields of need.post or offer.post.  Each row
 * becomes one request; the daemon checks it like any other, so a bad row
 * is refused with the same message a client would see, and nothing of it
 * is stored.  Rows without a `ref` get one derived from their content, so
 * importing a file again stores nothing twice.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl.h"
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
import_args(const char *kind, const struct csv_record *head,
    const struct csv_record *r, char *why, size_t whylen)
{
	cJSON		*args, *v, *w = NULL;
	const char	*k;
	char		 ref[40];
	size_t		 i;

	if (r->n != head->n) {
		snprintf(why, whylen, "the row has %zu fields, the header %zu",
		    r->n, head->n);
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
			snprintf(why, whylen, "the header names %s twice", k);
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
		printf("row %ld: refused: %s\n", e->row, e->refusal);
		free(e->refusal);
		im->refused++;
		im->head = (im->head + 1) % im->cap;
		im->n--;
	}
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
		fputs("matchctl import: error ", stderr);
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
			printf("row %ld: ok, id %.0f\n", row, id->valuedouble);
		else
			printf("row %ld: ok\n", row);
		im->accepted++;
	} else {
		printf("row %ld: refused: ", row);
		ctl_answer_print_error(&a, stdout);
		putchar('\n');
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

int
ctl_import(struct ctl *c, int argc, char **argv)
{
	struct import		 im;
	struct csv_record	 head, r;
	const char		*why;
	char			*buf, reason[160], *msg;
	size_t			 len, pos = 0;
	long			 row = 1;
	cJSON			*args;
	int			 rc;

	if (argc != 2 || (strcmp(argv[0], "needs") != 0 &&
	    strcmp(argv[0], "offers") != 0)) {
		fprintf(stderr, "usage: matchctl import needs|offers "
		    "FILE.csv\n");
		return 1;
	}
	if ((buf = slurp(argv[1], &len)) == NULL) {
		fprintf(stderr, "matchctl import: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	memset(&im, 0, sizeof(im));
	im.c = c;
	im.op = strcmp(argv[0], "needs") == 0 ? "need.post" : "offer.post";
	if (csv_next(buf, len, &pos, &head, &why) != 1) {
		fprintf(stderr, "matchctl import: %s: no header row\n",
		    argv[1]);
		free(buf);
		return 1;
	}
	if (ctl_connect(c) == -1) {
		fprintf(stderr, "matchctl: cannot connect to %s: %s\n",
		    c->path ? c->path : c->host, strerror(errno));
		csv_record_free(&head);
		free(buf);
		return 2;
	}
	while ((rc = csv_next(buf, len, &pos, &r, &why)) != 0) {
		row++;
		if (rc == -1) {
			if (asprintf(&msg, "not CSV: %s", why) == -1 ||
			    import_push(&im, row, msg) == -1)
				goto oom;
			continue;
		}
		if (r.n == 1 && r.fields[0][0] == '\0') {
			csv_record_free(&r);
			continue;	/* a blank line */
		}
		args = import_args(argv[0], &head, &r, reason, sizeof(reason));
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
	printf("import %s: %ld rows accepted, %ld refused\n", argv[0],
	    im.accepted, im.refused);
	csv_record_free(&head);
	free(buf);
	free(im.q);
	return im.refused > 0 ? 1 : 0;
oom:
	fprintf(stderr, "matchctl import: out of memory\n");
	rc = 1;
	goto out;
lost:
	/* Report what the daemon answered before it hung up. */
	while (im.inflight > 0)
		if ((rc = import_collect(&im)) != 0)
			goto out;
	fprintf(stderr, "matchctl import: the daemon closed the connection\n");
	rc = CTL_EXIT_UNREACHABLE;
out:
	while (im.n > 0) {
		free(im.q[im.head].refusal);
		im.head = (im.head + 1) % im.cap;
		im.n--;
	}
	free(im.q);
	csv_record_free(&head);
	free(buf);
	return rc;
}
