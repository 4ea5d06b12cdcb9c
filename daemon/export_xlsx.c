/*
 * export_xlsx.c: a fair as an XLSX workbook (libxlsxwriter).  The library
 * writes a file; the workbook goes to a temporary file that is read back
 * and removed.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "daemon/export.h"

static const char *
jstr(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));

	return s ? s : "";
}

static double
jnum(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void
xlsx_header(lxw_worksheet *ws, const char *const *cols, lxw_format *bold)
{
	int i;

	for (i = 0; cols[i] != NULL; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, cols[i], bold);
}

static void
xlsx_matches(lxw_workbook *wb, const cJSON *matches, lxw_format *bold)
{
	static const char *const cols[] = { "match", "run", "status", "need",
	    "need_title", "community", "community_name", "offer",
	    "offer_title", "org", "org_name", "amount", "score", "category",
	    "budget", "text", "library", "locality", NULL };
	static const char *const parts[] = { "category", "budget", "text",
	    "library", "locality" };
	lxw_worksheet	*ws = workbook_add_worksheet(wb, "Matches");
	const cJSON	*m, *bd;
	lxw_row_t	 r = 1;
	int		 i;

	xlsx_header(ws, cols, bold);
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(matches, "items")) {
		worksheet_write_number(ws, r, 0, jnum(m, "id"), NULL);
		worksheet_write_number(ws, r, 1, jnum(m, "run"), NULL);
		worksheet_write_string(ws, r, 2, jstr(m, "status"), NULL);
		worksheet_write_number(ws, r, 3, jnum(m, "need"), NULL);
		worksheet_write_string(ws, r, 4, jstr(m, "need_title"), NULL);
		worksheet_write_string(ws, r, 5, jstr(m, "community"), NULL);
		worksheet_write_string(ws, r, 6, jstr(m, "community_name"),
		    NULL);
		worksheet_write_number(ws, r, 7, jnum(m, "offer"), NULL);
		worksheet_write_string(ws, r, 8, jstr(m, "offer_title"), NULL);
		worksheet_write_string(ws, r, 9, jstr(m, "org"), NULL);
		worksheet_write_string(ws, r, 10, jstr(m, "org_name"), NULL);
		worksheet_write_number(ws, r, 11, jnum(m, "amount"), NULL);
		worksheet_write_number(ws, r, 12, jnum(m, "score"), NULL);
		bd = cJSON_GetObjectItem(m, "breakdown");
		for (i = 0; i < 5; i++)
			worksheet_write_number(ws, r, (lxw_col_t)(13 + i),
			    jnum(bd, parts[i]), NULL);
		r++;
	}
}

static void
xlsx_schedule(lxw_workbook *wb, const cJSON *fair, const cJSON *meetings,
    lxw_format *bold, lxw_format *wrap)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, "Schedule");
	const cJSON	*m;
	char		*cell, head[32];
	int		 t, tables = (int)jnum(fair, "tables");

	worksheet_write_string(ws, 0, 0, "slot", bold);
	worksheet_write_string(ws, 0, 1, "start", bold);
	for (t = 1; t <= tables && t < 16000; t++) {
		snprintf(head, sizeof(head), "table %d", t);
		worksheet_write_string(ws, 0, (lxw_col_t)(1 + t), head, bold);
	}
	worksheet_set_column(ws, 2, (lxw_col_t)(1 + tables), 30, NULL);
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(meetings, "meetings")) {
		int slot = (int)jnum(m, "slot"), table = (int)jnum(m, "table");

		if (slot < 1 || table < 1 || table > tables)
			continue;
		worksheet_write_number(ws, (lxw_row_t)slot, 0, slot, NULL);
		worksheet_write_string(ws, (lxw_row_t)slot, 1, jstr(m,
		    "start"), NULL);
		/* Whole names: a cut could split a UTF-8 character. */
		if (asprintf(&cell, "%s\n%s\n%s%s", jstr(m, "community_name"),
		    jstr(m, "org_name"), jstr(m, "need_title"),
		    cJSON_IsTrue(cJSON_GetObjectItem(m, "matched")) ?
		    " (matched)" : "") == -1)
			continue;
		worksheet_write_string(ws, (lxw_row_t)slot,
		    (lxw_col_t)(1 + table), cell, wrap);
		free(cell);
	}
}

static void
xlsx_unmatched(lxw_workbook *wb, const cJSON *matches, lxw_format *bold)
{
	static const char *const ncols[] = { "need", "community", "street",
	    "title", "category", "budget", NULL };
	static const char *const ocols[] = { "offer", "org", "title",
	    "category", "price", "remaining", NULL };
	const cJSON	*u = cJSON_GetObjectItem(matches, "unmatched"), *x;
	lxw_worksheet	*ws;
	lxw_row_t	 r;

	ws = workbook_add_worksheet(wb, "Unmatched needs");
	xlsx_header(ws, ncols, bold);
	r = 1;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(u, "needs")) {
		worksheet_write_number(ws, r, 0, jnum(x, "id"), NULL);
		worksheet_write_string(ws, r, 1, jstr(x, "community"), NULL);
		worksheet_write_string(ws, r, 2, jstr(x, "street"), NULL);
		worksheet_write_string(ws, r, 3, jstr(x, "title"), NULL);
		worksheet_write_string(ws, r, 4, jstr(x, "category"), NULL);
		worksheet_write_number(ws, r, 5, jnum(x, "budget"), NULL);
		r++;
	}
	ws = workbook_add_worksheet(wb, "Unmatched offers");
	xlsx_header(ws, ocols, bold);
	r = 1;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(u, "offers")) {
		worksheet_write_number(ws, r, 0, jnum(x, "id"), NULL);
		worksheet_write_string(ws, r, 1, jstr(x, "org"), NULL);
		worksheet_write_string(ws, r, 2, jstr(x, "title"), NULL);
		worksheet_write_string(ws, r, 3, jstr(x, "category"), NULL);
		worksheet_write_number(ws, r, 4, jnum(x, "price"), NULL);
		worksheet_write_number(ws, r, 5, jnum(x, "remaining"), NULL);
		r++;
	}
}

/* Read the whole file at path into out. */
static int
slurp(const char *path, struct export_file *out)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || (out->data = malloc((size_t)st.st_size +
	    1)) == NULL) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size && (n = read(fd, out->data + got,
	    (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	out->len = got;
	return got == (size_t)st.st_size ? 0 : -1;
}

int
export_xlsx(const cJSON *fair, const cJSON *matches, const cJSON *meetings,
    const char *tmpdir, struct export_file *out)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb;
	lxw_format		*bold, *wrap;
	char			 path[512];
	int			 fd, rc;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/matchd-export-XXXXXX", tmpdir);
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	memset(&opt, 0, sizeof(opt));
	opt.tmpdir = (char *)(uintptr_t)tmpdir;
	if ((wb = workbook_new_opt(path, &opt)) == NULL) {
		unlink(path);
		return -1;
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	xlsx_matches(wb, matches, bold);
	xlsx_schedule(wb, fair, meetings, bold, wrap);
	xlsx_unmatched(wb, matches, bold);
	rc = workbook_close(wb) == LXW_NO_ERROR ? slurp(path, out) : -1;
	unlink(path);
	if (rc == -1) {
		free(out->data);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}
