/*
 * report.h: the bureau's documents as files people print and send: the
 * public notice board (公示) and the monthly report (通报) as Chinese HTML
 * pages (report_html.c), and the monthly report as an XLSX workbook
 * (report_xlsx.c).  The inputs are the objects the ops answer: the
 * board's {"items"} and report.monthly's result.  The files are bytes
 * of struct export_file (export.h), owned by the caller.
 */
#ifndef DAEMON_REPORT_H
#define DAEMON_REPORT_H

#include <cjson/cJSON.h>

#include "daemon/domain/export.h"

/* The notice board page: every item, now (UTC text) as its date. */
int	report_notices_html(const cJSON *board, const char *now,
	    struct export_file *out);
/* The monthly report as a printable page and as a workbook (tmpdir is
 * where libxlsxwriter may write). */
int	report_monthly_html(const cJSON *report, struct export_file *out);
int	report_monthly_xlsx(const cJSON *report, const char *tmpdir,
	    struct export_file *out);

/* A stored UTC time "YYYY-MM-DDTHH:MM:SSZ" as Beijing time (UTC+8, the
 * district's), "YYYY-MM-DD HH:MM", into buf (17 bytes). */
void	report_local_time(const char *utc, char buf[17]);

/* Stage names in Chinese (programme_stages order), for the documents. */
extern const char *const report_stage_zh[];

#endif
