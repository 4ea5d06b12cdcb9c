/*
 * fuzz_csv.c: the CSV importer.  charset_decode first (UTF-8 as it is, else
 * GB18030 converted: the text is valid UTF-8 either way, and a UTF-8 file
 * comes back byte for byte without its BOM; bytes that are neither name
 * where each encoding stopped), then csv_next over the text (over the raw
 * bytes when they are neither) until it
 * returns 0 (every record freed, *pos strictly increasing, so that a
 * malformed record can never loop), and each row turned into need.post
 * and offer.post args by matchctl's own import_args (client/ctl_import.c is
 * compiled into this harness), which the daemon's checks then read.
 */
#include <stddef.h>
#include <stdint.h>

#include "protocol/charset.h"
#include "protocol/csv.h"
#include "tests/fuzz/fuzz_util.h"

/* The client's importer, with its static helpers, and stubs for its I/O. */
#include "client/ctl_import.c"
#include "client/ctl_import_words.c"
#include "client/ctl_answer.c"

int	ctl_connect(struct ctl *c) { (void)c; return -1; }
int	ctl_send(struct ctl *c, long id, const char *op, cJSON *args)
	{ (void)c; (void)id; (void)op; cJSON_Delete(args); return -1; }
int	ctl_read(struct ctl *c, long id, struct ctl_answer *a)
	{ (void)c; (void)id; memset(a, 0, sizeof(*a)); return 2; }

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

/* What the daemon does with the row: print, parse strictly, check. */
static void
check_row(const struct arg_spec *spec, cJSON *args)
{
	struct error	 err;
	cJSON		*back;
	char		*s;

	if ((s = cJSON_PrintUnformatted(args)) == NULL)
		return;
	memset(&err, 0, sizeof(err));
	if ((back = json_parse_strict(s, strlen(s), ERR_INVALID_ARGUMENT,
	    &err)) != NULL) {
		if (args_check(spec, back, &tax, &err) == -1)
			fz_check_answer(envelope_error(NULL, &err), 0);
		cJSON_Delete(back);
	} else
		fz_check_answer(envelope_error(NULL, &err), 0);
	free(s);
}

/* The decoding matchctl does before it reads records. */
static void
check_decode(const char *buf, size_t size, struct charset_text *t, int rc)
{
	size_t	skip = size >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	size_t	i, lines = 1;

	for (i = 0; i < size; i++)
		lines += buf[i] == '\n';
	FUZZ_ASSERT(rc == 0 || rc == -1 || rc == -2);
	if (rc == 0) {
		FUZZ_ASSERT(t->data != NULL && t->data[t->len] == '\0');
		FUZZ_ASSERT(utf8_valid_prefix(t->data, t->len) == t->len);
		if (t->from == CHARSET_UTF8) {
			FUZZ_ASSERT(utf8_valid_prefix(buf, size) == size);
			FUZZ_ASSERT(t->bom == (skip == 3));
			FUZZ_ASSERT(t->len == size - skip &&
			    memcmp(t->data, buf + skip, t->len) == 0);
		} else
			FUZZ_ASSERT(utf8_valid_prefix(buf, size) < size);
	} else if (rc == -1) {
		FUZZ_ASSERT(t->data == NULL);
		FUZZ_ASSERT(t->utf8_bad < size && t->gb_bad < size);
		FUZZ_ASSERT(utf8_valid_prefix(buf, size) == t->utf8_bad);
		FUZZ_ASSERT(utf8_seq((const unsigned char *)buf + t->utf8_bad,
		    size - t->utf8_bad) == 0);
		FUZZ_ASSERT(csv_row_at(buf, size, t->gb_bad) >= 1 &&
		    csv_row_at(buf, size, t->gb_bad) <= (long)lines);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct charset_text	 text;
	const char		*buf, *why;
	struct csv_record	 head, r;
	size_t			 pos = 0, prev, i, rounds = 0;
	cJSON			*args;
	char			*copy, reason[160];
	int			 rc, have_head = 0;

	/* An exactly sized copy: ASan sees any read past the end. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	buf = copy;
	rc = charset_decode(copy, size, &text);
	check_decode(copy, size, &text, rc);
	if (rc == 0) {
		/* What matchctl reads: the text, exactly sized too. */
		free(copy);
		if ((copy = malloc(text.len ? text.len : 1)) == NULL)
			abort();
		memcpy(copy, text.data, text.len);
		size = text.len;
		buf = copy;
	}
	charset_text_free(&text);
	memset(&head, 0, sizeof(head));
	for (;;) {
		prev = pos;
		why = NULL;
		rc = csv_next(buf, size, &pos, &r, &why);
		FUZZ_ASSERT(pos <= size);
		if (rc == 0) {
			FUZZ_ASSERT(r.n == 0 && r.fields == NULL);
			break;
		}
		FUZZ_ASSERT(pos > prev);
		FUZZ_ASSERT(++rounds <= size + 1);
		if (rc == -1) {
			FUZZ_ASSERT(why != NULL);
			FUZZ_ASSERT(r.n == 0 && r.fields == NULL);
			continue;
		}
		FUZZ_ASSERT(rc == 1 && r.n >= 1);
		for (i = 0; i < r.n; i++)
			FUZZ_ASSERT(r.fields[i] != NULL &&
			    strlen(r.fields[i]) <= size);
		if (!have_head) {
			head = r;
			have_head = 1;
			continue;
		}
		if (!(r.n == 1 && r.fields[0][0] == '\0')) {
			if ((args = import_args(&import_words_en, "needs", &head, &r, reason,
			    sizeof(reason))) != NULL) {
				check_row(ops_schema_need_post, args);
				cJSON_Delete(args);
			}
			if ((args = import_args(&import_words_zh, "offers", &head, &r, reason,
			    sizeof(reason))) != NULL) {
				check_row(ops_schema_offer_post, args);
				cJSON_Delete(args);
			}
		}
		csv_record_free(&r);
	}
	/* Past the end: still 0, nothing allocated. */
	FUZZ_ASSERT(csv_next(buf, size, &pos, &r, &why) == 0 && r.n == 0);
	if (have_head)
		csv_record_free(&head);
	free(copy);
	return 0;
}
