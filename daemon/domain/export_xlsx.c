/*
 * export_xlsx.c: a fair as an XLSX workbook (libxlsxwriter).  The library
 * writes a file; the workbook goes to a temporary file that is read back
 * and removed.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "daemon/domain/export.h"

/* A sheet `name`: a header row, then one row per object of items. */
static void
xlsx_objects(lxw_workbook *wb, const char *name, const cJSON *items,
    const struct export_col *cols, enum names_lang lang, lxw_format *bold)
{
	lxw_worksheet		*ws = workbook_add_worksheet(wb, name);
	struct export_cell	 cell;
	const cJSON		*x;
	unsigned char		 shown[EXPORT_MAX_COLS];
	size_t			 i, n = export_cols_shown(cols, items, shown);
	lxw_row_t		 r = 1;
	lxw_col_t		 c;

	for (c = 0, i = 0; i < n; i++)
		if (shown[i])
			worksheet_write_string(ws, 0, c++, lang == NAMES_EN ?
			    cols[i].en : cols[i].zh, bold);
	cJSON_ArrayForEach(x, items) {
		for (c = 0, i = 0; i < n; i++) {
			if (!shown[i])
				continue;
			/* Text cells are strings, never formulas. */
			export_cell(x, &cols[i], lang, &cell);
			if (cell.is_num)
				worksheet_write_number(ws, r, c, cell.num, NULL);
			else
				worksheet_write_string(ws, r, c, cell.text, NULL);
			c++;
		}
		r++;
	}
}

static void
xlsx_schedule(lxw_workbook *wb, const cJSON *fair, const cJSON *meetings,
    enum names_lang lang, lxw_format *bold, lxw_format *wrap)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, lang == NAMES_EN ?
			    "Schedule" : "洽谈日程");
	const cJSON	*m;
	char		*cell, head[32];
	int		 t, tables = (int)export_num(fair, "tables");

	worksheet_write_string(ws, 0, 0, lang == NAMES_EN ? "Slot" : "时段",
	    bold);
	worksheet_write_string(ws, 0, 1, lang == NAMES_EN ? "Start" :
	    "开始时间", bold);
	for (t = 1; t <= tables && t < 16000; t++) {
		snprintf(head, sizeof(head), lang == NAMES_EN ? "Table %d" :
		    "%d 号桌", t);
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
		    !cJSON_IsTrue(cJSON_GetObjectItem(m, "matched")) ? "" :
		    lang == NAMES_EN ? " (matched)" : "（已匹配）") == -1)
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

static pthread_mutex_t xlsx_close_mu = PTHREAD_MUTEX_INITIALIZER;

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
	/* libxlsxwriter dates the workbook with gmtime(), whose result is
	 * one buffer for the whole process: reader threads write workbooks
	 * one at a time (ThreadSanitizer found two at once). */
	pthread_mutex_lock(&xlsx_close_mu);
	rc = workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
	pthread_mutex_unlock(&xlsx_close_mu);
	if (rc == 0)
		rc = slurp(path, out);
	unlink(path);
	if (rc == -1) {
		free(out->data);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

struct xlsx_fair {
	const cJSON	*fair, *matches, *meetings;
	enum names_lang	 lang;
};

/* A fair's sheets: its matches, its schedule, what stayed unmatched. */
static void
xlsx_fair(lxw_workbook *wb, const void *arg)
{
	const struct xlsx_fair	*x = arg;
	lxw_format		*bold, *wrap;
	const cJSON		*u;
	int			 en = x->lang == NAMES_EN;

	bold = workbook_add_format(wb);
	format_set_bold(bold);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	xlsx_objects(wb, en ? "Matches" : "匹配结果", cJSON_GetObjectItem(
	    x->matches, "items"), export_match_cols, x->lang, bold);
	xlsx_schedule(wb, x->fair, x->meetings, x->lang, bold, wrap);
	u = cJSON_GetObjectItem(x->matches, "unmatched");
	xlsx_objects(wb, en ? "Unmatched needs" : "未匹配需求",
	    cJSON_GetObjectItem(u, "needs"), export_need_cols, x->lang, bold);
	xlsx_objects(wb, en ? "Unmatched offers" : "未匹配项目",
	    cJSON_GetObjectItem(u, "offers"), export_offer_cols, x->lang, bold);
}

int
export_xlsx(const cJSON *fair, const cJSON *matches, const cJSON *meetings,
    enum names_lang lang, const char *tmpdir, struct export_file *out)
{
	struct xlsx_fair x = { fair, matches, meetings, lang };

	return export_xlsx_file(tmpdir, xlsx_fair, &x, out);
}
