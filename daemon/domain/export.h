/*
 * export.h: a fair's match list and schedule as files people use: CSV for
 * spreadsheets, XLSX with one sheet each, and a printable HTML agenda, in
 * Chinese (the default) or English.  The inputs are the results of
 * fair.matches and fair.meetings; ops_export.c adds to each match what the
 * columns read of its need and offer as they are now (need_description,
 * need_budget, offer_category, offer_price).
 */
#ifndef DAEMON_EXPORT_H
#define DAEMON_EXPORT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "daemon/domain/names.h"

/* Bytes the caller owns (free). */
struct export_file {
	char	*data;
	size_t	 len;
};

/* obj[key] as a string ("" unless one) and a number (0 unless one). */
const char	*export_str(const cJSON *obj, const char *key);
double		 export_num(const cJSON *obj, const char *key);

/*
 * A column of a sheet of objects, described once for CSV and XLSX: its
 * header in both languages, the object's key ("breakdown.x" reads the
 * score's part x), the key of the match's frozen `terms` that wins over
 * it when the match has terms, and how the value is shown.
 */
enum export_kind {
	EXPORT_TEXT,
	EXPORT_ID,		/* a whole number */
	EXPORT_NUM,		/* yuan or points, two decimals */
	EXPORT_CATEGORY,	/* a category code, shown by its name */
	EXPORT_STATUS		/* a match status, shown by its name */
};

#define EXPORT_OPTIONAL	0x01	/* shown only when some object has it */

struct export_col {
	const char	 *zh, *en;
	const char	 *key;
	const char	 *term;
	enum export_kind  kind;
	unsigned	  flags;
};

/* The sheets' columns; each table ends with a NULL key. */
extern const struct export_col export_match_cols[];
extern const struct export_col export_need_cols[];
extern const struct export_col export_offer_cols[];

/* One cell: a number, or text (valid until the next export_cell). */
struct export_cell {
	int		 is_num;
	double		 num;
	const char	*text;
	char		 buf[256];
};

/*
 * Which columns of cols are shown for these objects (shown[i] 1 or 0; an
 * EXPORT_OPTIONAL column when one of them has the key); returns how many
 * columns cols has.
 */
#define EXPORT_MAX_COLS	32
size_t	export_cols_shown(const struct export_col *cols, const cJSON *items,
	    unsigned char shown[EXPORT_MAX_COLS]);
void	export_cell(const cJSON *obj, const struct export_col *,
	    enum names_lang, struct export_cell *);

/* UTF-8 with a BOM, one header row, one row per match (RFC 4180). */
int	export_csv(const cJSON *matches, enum names_lang,
	    struct export_file *out);

/*
 * An XLSX workbook: sheets 匹配结果 (the CSV's columns), 洽谈日程 (tables
 * x slots), 未匹配需求, 未匹配项目; in English Matches, Schedule,
 * Unmatched needs, Unmatched offers.  tmpdir is where libxlsxwriter may
 * write.
 */
int	export_xlsx(const cJSON *fair, const cJSON *matches,
	    const cJSON *meetings, enum names_lang, const char *tmpdir,
	    struct export_file *out);

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
	    const char *community, const char *org, enum names_lang,
	    struct export_file *out);

#endif
