/*
 * export.c: CSV and HTML renderings of a fair (XLSX is export_xlsx.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/export.h"

/* A growing byte buffer; on allocation failure it stops growing and
 * remembers that it failed. */
struct sbuf {
	char	*p;
	size_t	 len, cap;
	int	 failed;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	char	*np;
	size_t	 c;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		c = b->cap ? b->cap : 4096;
		while (b->len + n + 1 > c)
			c *= 2;
		if ((np = realloc(b->p, c)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = c;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
sb_num(struct sbuf *b, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.2f", v);
	sb_str(b, buf);
}

static int
sb_done(struct sbuf *b, struct export_file *out)
{
	if (b->failed) {
		free(b->p);
		return -1;
	}
	out->data = b->p;
	out->len = b->len;
	return 0;
}

const char *
export_str(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));

	return s ? s : "";
}

double
export_num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/*
 * One CSV text field, quoted when it holds a comma, a quote or a line
 * break.  Text a spreadsheet would take for a formula (=, +, -, @, tab or
 * carriage return first: a title such as "=HYPERLINK(...)") gets a leading
 * apostrophe, which spreadsheets show as plain text (CSV injection).
 */
static void
csv_field(struct sbuf *b, const char *s)
{
	const char	*p;
	int		 formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]);

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (formula)
			sb_add(b, "'", 1);
		sb_str(b, s);
		return;
	}
	sb_add(b, "\"", 1);
	if (formula)
		sb_add(b, "'", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			sb_add(b, "\"", 1);
		sb_add(b, p, 1);
	}
	sb_add(b, "\"", 1);
}

static const char *const csv_header = "match,run,status,need,need_title,"
    "community,community_name,offer,offer_title,org,org_name,amount,score,"
    "category,budget,text,library,locality\r\n";

int
export_csv(const cJSON *matches, struct export_file *out)
{
	static const char *const parts[] = { "category", "budget", "text",
	    "library", "locality" };
	struct sbuf	 b = { NULL, 0, 0, 0 };
	const cJSON	*m, *bd;
	char		 num[32];
	size_t		 i;

	sb_str(&b, "\xef\xbb\xbf");	/* the BOM spreadsheets look for */
	sb_str(&b, csv_header);
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(matches, "items")) {
		snprintf(num, sizeof(num), "%.0f,%.0f,", export_num(m, "id"),
		    export_num(m, "run"));
		sb_str(&b, num);
		csv_field(&b, export_str(m, "status"));
		snprintf(num, sizeof(num), ",%.0f,", export_num(m, "need"));
		sb_str(&b, num);
		csv_field(&b, export_str(m, "need_title"));
		sb_str(&b, ",");
		csv_field(&b, export_str(m, "community"));
		sb_str(&b, ",");
		csv_field(&b, export_str(m, "community_name"));
		snprintf(num, sizeof(num), ",%.0f,", export_num(m, "offer"));
		sb_str(&b, num);
		csv_field(&b, export_str(m, "offer_title"));
		sb_str(&b, ",");
		csv_field(&b, export_str(m, "org"));
		sb_str(&b, ",");
		csv_field(&b, export_str(m, "org_name"));
		sb_str(&b, ",");
		sb_num(&b, export_num(m, "amount"));
		sb_str(&b, ",");
		sb_num(&b, export_num(m, "score"));
		bd = cJSON_GetObjectItem(m, "breakdown");
		for (i = 0; i < 5; i++) {
			sb_str(&b, ",");
			sb_num(&b, export_num(bd, parts[i]));
		}
		sb_str(&b, "\r\n");
	}
	return sb_done(&b, out);
}

static void
html_text(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': sb_str(b, "&lt;"); break;
		case '>': sb_str(b, "&gt;"); break;
		case '&': sb_str(b, "&amp;"); break;
		case '"': sb_str(b, "&quot;"); break;
		case '\'': sb_str(b, "&#39;"); break;
		default: sb_add(b, s, 1); break;
		}
	}
}

int
export_agenda(const cJSON *fair, const cJSON *meetings, const char *community,
    const char *org, struct export_file *out)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	const cJSON	*m;
	char		 num[64];
	int		 slot = 0, n = 0;

	sb_str(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>"
	    "<meta charset=\"utf-8\"><title>");
	html_text(&b, export_str(fair, "name"));
	sb_str(&b, " 日程</title><style>"
	    "body{font-family:sans-serif;margin:2em}"
	    "table{border-collapse:collapse;width:100%}"
	    "th,td{border:1px solid #999;padding:4px 8px;text-align:left}"
	    "h2{margin-top:1.5em}.m{font-weight:bold}"
	    "@media print{h2{page-break-after:avoid}}"
	    ".stale{color:#b00;font-weight:bold}"
	    "</style></head><body>\n");
	/* A schedule of a run no longer published says so first. */
	if (cJSON_IsTrue(cJSON_GetObjectItem(meetings, "stale"))) {
		snprintf(num, sizeof(num), "%d", (int)export_num(meetings,
		    "run"));
		sb_str(&b, "<p class=\"stale\">注意：本日程按第 ");
		sb_str(&b, num);
		snprintf(num, sizeof(num), "%d", (int)export_num(fair,
		    "published_run"));
		sb_str(&b, " 轮配对排定，此后已发布第 ");
		sb_str(&b, num);
		sb_str(&b, " 轮配对：日程已过时，请组织方重新排期。</p>\n");
	}
	sb_str(&b, "<h1>");
	html_text(&b, export_str(fair, "name"));
	sb_str(&b, "</h1>\n<p>");
	html_text(&b, export_str(fair, "date"));
	sb_str(&b, " · ");
	html_text(&b, cJSON_IsString(cJSON_GetObjectItem(fair, "street")) ?
	    export_str(fair, "street") : "全区");
	if (community != NULL || org != NULL) {
		sb_str(&b, " · ");
		html_text(&b, community ? community : org);
	}
	sb_str(&b, "</p>\n");
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(meetings, "meetings")) {
		if ((community && strcmp(export_str(m, "community"), community)) ||
		    (org && strcmp(export_str(m, "org"), org)))
			continue;
		if ((int)export_num(m, "slot") != slot) {
			if (slot != 0)
				sb_str(&b, "</table>\n");
			slot = (int)export_num(m, "slot");
			snprintf(num, sizeof(num), "<h2>第 %d 轮 ", slot);
			sb_str(&b, num);
			html_text(&b, export_str(m, "start"));
			sb_str(&b, "</h2>\n<table><tr><th>桌号</th><th>社区</th>"
			    "<th>需求</th><th>社会组织</th><th>项目</th>"
			    "<th>得分</th></tr>\n");
		}
		snprintf(num, sizeof(num), "<tr%s><td>%d</td><td>",
		    cJSON_IsTrue(cJSON_GetObjectItem(m, "matched")) ?
		    " class=\"m\"" : "", (int)export_num(m, "table"));
		sb_str(&b, num);
		html_text(&b, export_str(m, "community_name"));
		sb_str(&b, "</td><td>");
		html_text(&b, export_str(m, "need_title"));
		sb_str(&b, "</td><td>");
		html_text(&b, export_str(m, "org_name"));
		sb_str(&b, "</td><td>");
		html_text(&b, export_str(m, "offer_title"));
		sb_str(&b, "</td><td>");
		sb_num(&b, export_num(m, "score"));
		sb_str(&b, "</td></tr>\n");
		n++;
	}
	if (slot != 0)
		sb_str(&b, "</table>\n");
	if (n == 0)
		sb_str(&b, "<p>暂无已排定的洽谈。No meetings scheduled.</p>\n");
	sb_str(&b, "<p>加粗为已匹配的项目。Bold rows are matched pairs.</p>\n"
	    "</body></html>\n");
	return sb_done(&b, out);
}
