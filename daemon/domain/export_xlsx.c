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

#include "daemon/domain/export.h"

/* A column of a sheet of objects: its header, the object's key (a
 * "breakdown." key reads the nested breakdown), and whether a number. */
struct xcol {
	const char	*head;
	const char	*key;
	int		 num;
};

static const struct xcol match_cols[] = {
	{ "match", "id", 1 }, { "run", "run", 1 }, { "status", "status", 0 },
	{ "need", "need", 1 }, { "need_title", "need_title", 0 },
	{ "community", "community", 0 },
	{ "community_name", "community_name", 0 }, { "offer", "offer", 1 },
	{ "offer_title", "offer_title", 0 }, { "org", "org", 0 },
	{ "org_name", "org_name", 0 }, { "amount", "amount", 1 },
	{ "score", "score", 1 }, { "category", "breakdown.category", 1 },
	{ "budget", "breakdown.budget", 1 }, { "text", "breakdown.text", 1 },
	{ "library", "breakdown.library", 1 },
	{ "locality", "breakdown.locality", 1 }, { NULL, NULL, 0 }
};

static const struct xcol need_cols[] = {
	{ "need", "id", 1 }, { "community", "community", 0 },
	{ "street", "street", 0 }, { "title", "title", 0 },
	{ "category", "category", 0 }, { "budget", "budget", 1 },
	{ NULL, NULL, 0 }
};

static const struct xcol offer_cols[] = {
	{ "offer", "id", 1 }, { "org", "org", 0 }, { "title", "title", 0 },
	{ "category", "category", 0 }, { "price", "price", 1 },
	{ "remaining", "remaining", 1 }, { NULL, NULL, 0 }
};

/* A sheet `name`: a header row, then one row per object of items. */
static void
xlsx_objects(lxw_workbook *wb, const char *name, const cJSON *items,
    const struct xcol *cols, lxw_format *bold)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, name);
	const cJSON	*x, *o;
	const char	*key;
	lxw_row_t	 r = 1;
	lxw_col_t	 c;

	for (c = 0; cols[c].head != NULL; c++)
		worksheet_write_string(ws, 0, c, cols[c].head, bold);
	cJSON_ArrayForEach(x, items) {
		for (c = 0; cols[c].head != NULL; c++) {
			o = x;
			key = cols[c].key;
			if (strncmp(key, "breakdown.", 10) == 0) {
				o = cJSON_GetObjectItem(x, "breakdown");
				key += 10;
			}
			if (cols[c].num)
				worksheet_write_number(ws, r, c,
				    export_num(o, key), NULL);
			else
				worksheet_write_string(ws, r, c,
				    export_str(o, key), NULL);
		}
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
	int		 t, tables = (int)export_num(fair, "tables");

	worksheet_write_string(ws, 0, 0, "slot", bold);
	worksheet_write_string(ws, 0, 1, "start", bold);
	for (t = 1; t <= tables && t < 16000; t++) {
		snprintf(head, sizeof(head), "table %d", t);
		worksheet_write_string(ws, 0, (lxw_col_t)(1 + t), head, bold);
	}
	worksheet_set_column(ws, 2, (lxw_col_t)(1 + tables), 30, NULL);
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(meetings, "meetings")) {
		int slot = (int)export_num(m, "slot"), table = (int)export_num(m, "table");

		if (slot < 1 || table < 1 || table > tables)
			continue;
		worksheet_write_number(ws, (lxw_row_t)slot, 0, slot, NULL);
		worksheet_write_string(ws, (lxw_row_t)slot, 1, export_str(m,
		    "start"), NULL);
		/* Whole names: a cut could split a UTF-8 character. */
		if (asprintf(&cell, "%s\n%s\n%s%s", export_str(m, "community_name"),
		    export_str(m, "org_name"), export_str(m, "need_title"),
		    cJSON_IsTrue(cJSON_GetObjectItem(m, "matched")) ?
		    " (matched)" : "") == -1)
			continue;
		worksheet_write_string(ws, (lxw_row_t)slot,
		    (lxw_col_t)(1 + table), cell, wrap);
		free(cell);
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
export_xlsx_file(const char *tmpdir, export_xlsx_fill fill, const void *arg,
    struct export_file *out)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb;
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
	fill(wb, arg);
	rc = workbook_close(wb) == LXW_NO_ERROR ? slurp(path, out) : -1;
	unlink(path);
	if (rc == -1) {
		free(out->data);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

struct xlsx_fair {
	const cJSON	*fair, *matches, *meetings;
};

static void
xlsx_fair(lxw_workbook *wb, const void *arg)
{
	const struct xlsx_fair	*x = arg;
	lxw_format		*bold, *wrap;
	const cJSON		*u;

	bold = workbook_add_format(wb);
	format_set_bold(bold);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	xlsx_objects(wb, "Matches", cJSON_GetObjectItem(x->matches, "items"),
	    match_cols, bold);
	xlsx_schedule(wb, x->fair, x->meetings, bold, wrap);
	u = cJSON_GetObjectItem(x->matches, "unmatched");
	xlsx_objects(wb, "Unmatched needs", cJSON_GetObjectItem(u, "needs"),
	    need_cols, bold);
	xlsx_objects(wb, "Unmatched offers", cJSON_GetObjectItem(u, "offers"),
	    offer_cols, bold);
}

int
export_xlsx(const cJSON *fair, const cJSON *matches, const cJSON *meetings,
    const char *tmpdir, struct export_file *out)
{
	struct xlsx_fair x = { fair, matches, meetings };

	return export_xlsx_file(tmpdir, xlsx_fair, &x, out);
}
