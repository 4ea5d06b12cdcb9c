/*
 * export.h: a fair's match list and schedule as files people use: CSV for
 * spreadsheets, XLSX with one sheet each, and a printable HTML agenda.
 * The inputs are the results of fair.matches and fair.meetings.
 */
#ifndef DAEMON_EXPORT_H
#define DAEMON_EXPORT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Bytes the caller owns (free). */
struct export_file {
	char	*data;
	size_t	 len;
};

/* obj[key] as a string ("" unless one) and a number (0 unless one). */
const char	*export_str(const cJSON *obj, const char *key);
double		 export_num(const cJSON *obj, const char *key);

/* UTF-8 with a BOM, one header row, one row per match (RFC 4180). */
int	export_csv(const cJSON *matches, struct export_file *out);

/*
 * An XLSX workbook: sheets Matches, Schedule (tables x slots), Unmatched
 * needs, Unmatched offers.  tmpdir is where libxlsxwriter may write.
 */
int	export_xlsx(const cJSON *fair, const cJSON *matches,
	    const cJSON *meetings, const char *tmpdir, struct export_file *out);

/*
 * Any workbook: fill(wb, arg) adds its sheets to the workbook (an
 * lxw_workbook of libxlsxwriter), which is written in tmpdir and read back
 * into out.  0 or -1.
 */
struct lxw_workbook;
typedef void (*export_xlsx_fill)(struct lxw_workbook *, const void *arg);
int	export_xlsx_file(const char *tmpdir, export_xlsx_fill fill,
	    const void *arg, struct export_file *out);

/*
 * A printable agenda: every scheduled meeting by slot; community or org
 * (may be NULL) keep only that party's meetings.
 */
int	export_agenda(const cJSON *fair, const cJSON *meetings,
	    const char *community, const char *org, struct export_file *out);

#endif
