/*
 * fuzz_answer.c: matchctl's answer reader and printer (client/ctl_answer.c
 * is compiled in) on any bytes a server may send.
 *
 * The first input byte picks the limits: the longest line (64, 512, 8192
 * bytes or 1 MiB) and the most values (8, 1024 or CTL_MAX_VALUES); the rest
 * is the stream from the daemon.  It is read the way ctl_read reads it,
 * whole and again one byte at a time: both readings must give the same
 * answers and stop at the same place, the buffer never grows past the line
 * limit plus one read, and every line handed out is at most the limit long
 * and holds no "\n".  Each line is parsed as the answer to request 1 (an
 * exactly sized copy, so ASan sees a read past its end), then
 *   - refused: the reason is one line of printable ASCII;
 *   - ok: the printed result is strict JSON, equal to the result, without
 *     raw control characters (C0 but "\n", DEL, C1); fair.export's data is
 *     decoded or refused;
 *   - an error: "error CODE: message\n" and import's "CODE (FIELD):
 *     MESSAGE", one line each, valid UTF-8 without control characters.
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_util.h"

#include "client/ctl_answer.c"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const size_t fz_max_line[] = { 64, 512, 8192, 1 << 20 };
static const size_t fz_max_values[] = { 8, 1024, CTL_MAX_VALUES };

/* A byte string's UTF-8 is valid (no overlong forms, no surrogates). */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t		i = 0, k, len;
	uint32_t	cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* Printed text a terminal may get: no control character but "\n". */
static void
check_terminal_text(const char *s, size_t n)
{
	size_t i;

	FUZZ_ASSERT(utf8_valid((const unsigned char *)s, n));
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20 || s[i] == '\n');
		FUZZ_ASSERT(s[i] != 0x7f);
		FUZZ_ASSERT(!(i + 1 < n && IS_C1(s + i)));
	}
}

/* One line of printable ASCII: the reasons matchctl gives. */
static void
check_reason(const char *why)
{
	size_t i, n = strlen(why);

	FUZZ_ASSERT(n > 0 && n < CTL_WHY_LEN - 1);	/* never cut short */
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(why[i] >= 0x20 && why[i] < 0x7f);
}

/* Print through a memory stream: the text and its length. */
#define FZ_MEMOPEN(fp, buf, len) do {					\
	if ((fp = open_memstream(&(buf), &(len))) == NULL)		\
		abort();						\
} while (0)

static void
check_answer(const struct ctl_answer *a, FILE *log)
{
	struct error	 err;
	unsigned char	*bin;
	char		*o = NULL, *e = NULL, why[CTL_WHY_LEN];
	size_t		 olen = 0, elen = 0, blen;
	FILE		*out, *errf;
	cJSON		*back;
	int		 rc;

	FUZZ_ASSERT(a->root != NULL);
	FZ_MEMOPEN(out, o, olen);
	FZ_MEMOPEN(errf, e, elen);
	rc = ctl_answer_print(a, out, errf);
	fclose(out);
	fclose(errf);
	if (a->ok) {
		FUZZ_ASSERT(a->result != NULL && !a->id_null);
		FUZZ_ASSERT(rc == CTL_EXIT_OK && elen == 0);
		FUZZ_ASSERT(olen > 0 && o[olen - 1] == '\n');
		check_terminal_text(o, olen);
		memset(&err, 0, sizeof(err));
		if (json_scan(o, olen, CTL_ANSWER_DEPTH, &err) == -1)
			FUZZ_FAIL("printed result is not strict JSON (%s): %s",
			    err.message, o);
		FUZZ_ASSERT((back = cJSON_ParseWithLength(o, olen)) != NULL);
		FUZZ_ASSERT(cJSON_Compare(back, a->result, 1));
		cJSON_Delete(back);
		if (ctl_answer_export(a->result, &bin, &blen, why,
		    sizeof(why)) == 0) {
			FUZZ_ASSERT(bin != NULL && blen <= strlen(
			    cJSON_GetObjectItemCaseSensitive(a->result,
			    "data")->valuestring));
			free(bin);
		} else {
			FUZZ_ASSERT(bin == NULL);
			check_reason(why);
		}
	} else {
		FUZZ_ASSERT(a->code != NULL && a->message != NULL);
		FUZZ_ASSERT(rc == CTL_EXIT_ERROR && olen == 0);
		FUZZ_ASSERT(elen >= 8 && memcmp(e, "error ", 6) == 0);
		FUZZ_ASSERT(memchr(e, '\n', elen) == e + elen - 1);
		check_terminal_text(e, elen);
		free(e);
		e = NULL;
		FZ_MEMOPEN(errf, e, elen);
		ctl_answer_print_error(a, errf);
		fclose(errf);
		FUZZ_ASSERT(memchr(e, '\n', elen) == NULL);
		check_terminal_text(e, elen);
	}
	fprintf(log, "answer %d %d\n%s%s\n", a->ok, a->id_null, o, e);
	free(o);
	free(e);
}

/*
 * Read data[0..n) in pieces of at most `piece` bytes, as ctl_read does,
 * and note in log what each line gave.
 */
static void
read_stream(const char *data, size_t n, size_t piece, size_t max,
    size_t max_values, FILE *log)
{
	struct ctl_in		 in;
	struct ctl_answer	 a;
	const char		*line;
	char			*copy, *p, why[CTL_WHY_LEN];
	size_t			 pos = 0, len, room, k;

	memset(&in, 0, sizeof(in));
	in.max = max;
	for (;;) {
		switch (ctl_in_next(&in, &line, &len)) {
		case CTL_IN_LINE:
			FUZZ_ASSERT(len > 0 && len <= max);
			FUZZ_ASSERT(memchr(line, '\n', len) == NULL);
			if ((copy = malloc(len)) == NULL)
				abort();
			memcpy(copy, line, len);
			if (ctl_answer_parse(copy, len, 1, max_values, &a, why,
			    sizeof(why)) == 0) {
				check_answer(&a, log);
				ctl_answer_free(&a);
				FUZZ_ASSERT(a.root == NULL);
			} else {
				FUZZ_ASSERT(a.root == NULL && a.result == NULL);
				check_reason(why);
				fprintf(log, "refused: %s\n", why);
			}
			free(copy);
			continue;
		case CTL_IN_TOO_LARGE:
			fprintf(log, "too large\n");
			ctl_in_free(&in);
			return;
		case CTL_IN_MORE:
			break;
		}
		FUZZ_ASSERT(in.len - in.start <= max + 1);
		if (pos == n) {
			fprintf(log, "end, %zu bytes unread\n",
			    in.len - in.start);
			ctl_in_free(&in);
			return;
		}
		FUZZ_ASSERT((p = ctl_in_space(&in, &room)) != NULL);
		FUZZ_ASSERT(room > 0);
		/* The buffer: at most the line limit plus one read. */
		FUZZ_ASSERT(in.cap <= max + 2 + CTL_IN_CHUNK);
		k = n - pos < room ? n - pos : room;
		if (k > piece)
			k = piece;
		memcpy(p, data + pos, k);
		ctl_in_fill(&in, k);
		pos += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*whole = NULL, *bytewise = NULL;
	size_t	 wlen = 0, blen = 0, max, max_values;
	FILE	*log;

	if (size < 1)
		return 0;
	max = fz_max_line[data[0] & 3];
	max_values = fz_max_values[(data[0] >> 2) % 3];
	FZ_MEMOPEN(log, whole, wlen);
	read_stream((const char *)data + 1, size - 1, size, max, max_values,
	    log);
	fclose(log);
	FZ_MEMOPEN(log, bytewise, blen);
	read_stream((const char *)data + 1, size - 1, 1, max, max_values, log);
	fclose(log);
	if (wlen != blen || memcmp(whole, bytewise, wlen) != 0)
		FUZZ_FAIL("whole and byte-wise readings differ:\n%s\n---\n%s",
		    whole, bytewise);
	free(whole);
	free(bytewise);
	return 0;
}
