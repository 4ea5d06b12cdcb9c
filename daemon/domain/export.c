/*
 * export.c: CSV and HTML renderings of a fair (XLSX is export_xlsx.c).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/export.h"
#include "daemon/domain/names.h"

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

/*
 * The match list's columns: who, the need (with its description), the
 * offer, the money, the score and its parts, the status.  The need's and
 * the offer's title, category, budget, price and amount are the match's
 * frozen terms when it has them, else the records as they are now.
 */
const struct export_col export_match_cols[] = {
	{ "社区", "Community", "community_name", NULL, EXPORT_TEXT, 0 },
	{ "社区编号", "Community code", "community", NULL, EXPORT_TEXT, 0 },
	{ "需求编号", "Need no.", "need", NULL, EXPORT_ID, 0 },
	{ "需求", "Need", "need_title", "need_title", EXPORT_TEXT, 0 },
	{ "需求说明", "Need description", "need_description", NULL,
	    EXPORT_TEXT, 0 },
	{ "类别", "Category", "category", "need_category", EXPORT_CATEGORY, 0 },
	{ "预算", "Budget", "need_budget", "budget", EXPORT_NUM, 0 },
	{ "社会组织", "Organisation", "org_name", NULL, EXPORT_TEXT, 0 },
	{ "社会组织编号", "Organisation code", "org", NULL, EXPORT_TEXT, 0 },
	{ "项目编号", "Offer no.", "offer", NULL, EXPORT_ID, 0 },
	{ "项目", "Offer", "offer_title", "offer_title", EXPORT_TEXT, 0 },
	{ "项目类别", "Offer category", "offer_category", "offer_category",
	    EXPORT_CATEGORY, 0 },
	{ "报价", "Price", "offer_price", "price", EXPORT_NUM, 0 },
	{ "金额", "Amount", "amount", "amount", EXPORT_NUM, 0 },
	{ "得分", "Score", "score", NULL, EXPORT_NUM, 0 },
	{ "类别分", "Category score", "breakdown.category", NULL, EXPORT_NUM, 0 },
	{ "预算分", "Budget score", "breakdown.budget", NULL, EXPORT_NUM, 0 },
	{ "文本分", "Text score", "breakdown.text", NULL, EXPORT_NUM, 0 },
	{ "项目库分", "Library score", "breakdown.library", NULL, EXPORT_NUM, 0 },
	{ "属地分", "Locality score", "breakdown.locality", NULL, EXPORT_NUM, 0 },
	{ "意向分", "Interest score", "breakdown.interest", NULL, EXPORT_NUM,
	    EXPORT_OPTIONAL },
	{ "状态", "Status", "status", NULL, EXPORT_STATUS, 0 },
	{ "匹配编号", "Match no.", "id", NULL, EXPORT_ID, 0 },
	{ "轮次", "Run", "run", NULL, EXPORT_ID, 0 },
	{ NULL, NULL, NULL, NULL, EXPORT_TEXT, 0 }
};

const struct export_col export_need_cols[] = {
	{ "需求编号", "Need no.", "id", NULL, EXPORT_ID, 0 },
	{ "社区编号", "Community code", "community", NULL, EXPORT_TEXT, 0 },
	{ "街道", "Street", "street", NULL, EXPORT_TEXT, 0 },
	{ "需求", "Need", "title", NULL, EXPORT_TEXT, 0 },
	{ "需求说明", "Need description", "description", NULL, EXPORT_TEXT, 0 },
	{ "类别", "Category", "category", NULL, EXPORT_CATEGORY, 0 },
	{ "预算", "Budget", "budget", NULL, EXPORT_NUM, 0 },
	{ NULL, NULL, NULL, NULL, EXPORT_TEXT, 0 }
};

const struct export_col export_offer_cols[] = {
	{ "项目编号", "Offer no.", "id", NULL, EXPORT_ID, 0 },
	{ "社会组织编号", "Organisation code", "org", NULL, EXPORT_TEXT, 0 },
	{ "项目", "Offer", "title", NULL, EXPORT_TEXT, 0 },
	{ "项目说明", "Offer description", "description", NULL, EXPORT_TEXT, 0 },
	{ "类别", "Category", "category", NULL, EXPORT_CATEGORY, 0 },
	{ "报价", "Price", "price", NULL, EXPORT_NUM, 0 },
	{ "剩余可服务数", "Capacity left", "remaining", NULL, EXPORT_ID, 0 },
	{ NULL, NULL, NULL, NULL, EXPORT_TEXT, 0 }
};

/* The value col reads of obj: terms first, then the key itself. */
static const cJSON *
export_value(const cJSON *obj, const struct export_col *col)
{
	const cJSON	*terms = cJSON_GetObjectItem(obj, "terms"), *v;
	const char	*key = col->key;

	if (col->term != NULL && cJSON_IsObject(terms) &&
	    (v = cJSON_GetObjectItem(terms, col->term)) != NULL &&
	    !cJSON_IsNull(v))
		return v;
	if (strncmp(key, "breakdown.", 10) == 0) {
		obj = cJSON_GetObjectItem(obj, "breakdown");
		key += 10;
	}
	return cJSON_GetObjectItem(obj, key);
}

static int
export_col_shown(const struct export_col *col, const cJSON *items)
{
	const cJSON *x;

	if (!(col->flags & EXPORT_OPTIONAL))
		return 1;
	cJSON_ArrayForEach(x, items)
		if (export_value(x, col) != NULL)
			return 1;
	return 0;
}

size_t
export_cols_shown(const struct export_col *cols, const cJSON *items,
    unsigned char shown[EXPORT_MAX_COLS])
{
	size_t n;

	for (n = 0; cols[n].key != NULL; n++) {
		assert(n < EXPORT_MAX_COLS);
		shown[n] = (unsigned char)export_col_shown(&cols[n], items);
	}
	return n;
}

void
export_cell(const cJSON *obj, const struct export_col *col,
    enum names_lang lang, struct export_cell *c)
{
	const cJSON *v = export_value(obj, col);

	c->is_num = 0;
	c->num = 0;
	c->text = "";
	if ((col->kind == EXPORT_ID || col->kind == EXPORT_NUM) &&
	    cJSON_IsNumber(v)) {
		c->is_num = 1;
		c->num = v->valuedouble;
		snprintf(c->buf, sizeof(c->buf), col->kind == EXPORT_ID ?
		    "%.0f" : "%.2f", c->num);
		c->text = c->buf;
	} else if (cJSON_IsString(v) && col->kind == EXPORT_CATEGORY) {
		names_category(v->valuestring, lang, c->buf, sizeof(c->buf));
		c->text = c->buf;
	} else if (cJSON_IsString(v) && col->kind == EXPORT_STATUS)
		c->text = names_status(v->valuestring, lang);
	else if (cJSON_IsString(v) && col->kind == EXPORT_TEXT)
		c->text = v->valuestring;
}

int
export_csv(const cJSON *matches, enum names_lang lang,
    struct export_file *out)
{
	struct sbuf		 b = { NULL, 0, 0, 0 };
	struct export_cell	 cell;
	const struct export_col	*cols = export_match_cols;
	const cJSON		*items = cJSON_GetObjectItem(matches, "items"), *m;
	unsigned char		 shown[EXPORT_MAX_COLS];
	size_t			 i, n = export_cols_shown(cols, items, shown);
	int			 first;

	sb_str(&b, "\xef\xbb\xbf");	/* the BOM spreadsheets look for */
	for (i = 0, first = 1; i < n; i++)
		if (shown[i]) {
			sb_str(&b, first ? "" : ",");
			csv_field(&b, lang == NAMES_EN ? cols[i].en : cols[i].zh);
			first = 0;
		}
	sb_str(&b, "\r\n");
	cJSON_ArrayForEach(m, items) {
		for (i = 0, first = 1; i < n; i++) {
			if (!shown[i])
				continue;
			export_cell(m, &cols[i], lang, &cell);
			sb_str(&b, first ? "" : ",");
			if (cell.is_num)
				sb_str(&b, cell.text);
			else
				csv_field(&b, cell.text);
			first = 0;
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

/* The agenda's words. */
static const struct {
	const char *lang, *title, *district, *slot, *head, *none, *bold, *stale;
} agenda_words[] = {
	[NAMES_ZH] = { "zh-CN", " 洽谈日程", "全区", "<h2>第 %d 轮 ",
	    "<th>桌号</th><th>社区</th><th>需求</th><th>社会组织</th>"
	    "<th>项目</th><th>得分</th>", "暂无已排定的洽谈。",
	    "加粗为已匹配的项目。",
	    "注意：此后已发布了另一轮匹配结果，本日程已过时，请重新生成洽谈日程。" },
	[NAMES_EN] = { "en", " agenda", "whole district", "<h2>Slot %d ",
	    "<th>Table</th><th>Community</th><th>Need</th>"
	    "<th>Organisation</th><th>Offer</th><th>Score</th>",
	    "No meetings scheduled.", "Bold rows are matched pairs.",
	    "Note: another run has been published since this schedule was "
	    "made; it is out of date, make the schedule again." },
};

/*
 * Booths (fair.schedule with booths): when each organisation of the
 * agenda's meetings sits at one table all the fair, one line names each
 * organisation's table, in table order.  Nothing otherwise.
 */
static void
agenda_booths(struct sbuf *b, const cJSON *meetings, const char *community,
    const char *org, enum names_lang lang)
{
	const cJSON	*m, **seen = NULL, **p;
	size_t		 n = 0, i;
	int		 t, booths = 1;
	char		 num[48];

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(meetings, "meetings")) {
		if ((community && strcmp(export_str(m, "community"), community)) ||
		    (org && strcmp(export_str(m, "org"), org)))
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(export_str(seen[i], "org"),
			    export_str(m, "org")) == 0)
				break;
		if (i < n) {
			if ((int)export_num(seen[i], "table") !=
			    (int)export_num(m, "table"))
				booths = 0;
			continue;
		}
		for (i = 0; i < n; i++)	/* another org at this table */
			if ((int)export_num(seen[i], "table") ==
			    (int)export_num(m, "table"))
				booths = 0;
		if ((p = realloc(seen, (n + 1) * sizeof(*p))) == NULL) {
			booths = 0;
			break;
		}
		seen = p;
		seen[n++] = m;
	}
	if (booths && n > 0) {
		sb_str(b, lang == NAMES_ZH ? "<p class=\"booths\">展位：" :
		    "<p class=\"booths\">Booths: ");
		for (t = 1, i = 0; i < n && t <= 1000; t++) {
			size_t k;

			for (k = 0; k < n; k++) {
				if ((int)export_num(seen[k], "table") != t)
					continue;
				if (i++ > 0)
					sb_str(b, lang == NAMES_ZH ? "；" : "; ");
				html_text(b, export_str(seen[k], "org_name"));
				snprintf(num, sizeof(num), lang == NAMES_ZH ?
				    " %d 号桌" : " table %d", t);
				sb_str(b, num);
			}
		}
		sb_str(b, "</p>\n");
	}
	free(seen);
}

/* The name of the party the agenda keeps, from one of its meetings. */
static const char *
agenda_party(const cJSON *meetings, const char *community, const char *org)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(meetings, "meetings")) {
		if (community && strcmp(export_str(m, "community"),
		    community) == 0)
			return export_str(m, "community_name");
		if (org && strcmp(export_str(m, "org"), org) == 0)
			return export_str(m, "org_name");
	}
	return community ? community : org;
}

int
export_agenda(const cJSON *fair, const cJSON *meetings, const char *community,
    const char *org, enum names_lang lang, struct export_file *out)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	const cJSON	*m;
	char		 num[64];
	int		 slot = 0, n = 0;

	sb_str(&b, "<!DOCTYPE html>\n<html lang=\"");
	sb_str(&b, agenda_words[lang].lang);
	sb_str(&b, "\"><head><meta charset=\"utf-8\"><title>");
	html_text(&b, export_str(fair, "name"));
	sb_str(&b, agenda_words[lang].title);
	sb_str(&b, "</title><style>"
	    "body{font-family:sans-serif;margin:2em}"
	    "table{border-collapse:collapse;width:100%}"
	    "th,td{border:1px solid #999;padding:4px 8px;text-align:left}"
	    "h2{margin-top:1.5em}.m{font-weight:bold}"
	    "@media print{h2{page-break-after:avoid}}"
	    "</style></head><body>\n");
	/* A schedule of a run no longer published says so first. */
	if (cJSON_IsTrue(cJSON_GetObjectItem(meetings, "stale"))) {
		sb_str(&b, "<p class=\"stale\"><strong>");
		sb_str(&b, agenda_words[lang].stale);
		sb_str(&b, "</strong></p>\n");
	}
	sb_str(&b, "<h1>");
	html_text(&b, export_str(fair, "name"));
	sb_str(&b, "</h1>\n<p>");
	html_text(&b, export_str(fair, "date"));
	sb_str(&b, " · ");
	html_text(&b, cJSON_IsString(cJSON_GetObjectItem(fair, "street")) ?
	    export_str(fair, "street") : agenda_words[lang].district);
	if (community != NULL || org != NULL) {
		sb_str(&b, " · ");
		html_text(&b, agenda_party(meetings, community, org));
	}
	sb_str(&b, "</p>\n");
	agenda_booths(&b, meetings, community, org, lang);
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(meetings, "meetings")) {
		if ((community && strcmp(export_str(m, "community"), community)) ||
		    (org && strcmp(export_str(m, "org"), org)))
			continue;
		if ((int)export_num(m, "slot") != slot) {
			if (slot != 0)
				sb_str(&b, "</table>\n");
			slot = (int)export_num(m, "slot");
			snprintf(num, sizeof(num), agenda_words[lang].slot,
			    slot);
			sb_str(&b, num);
			html_text(&b, export_str(m, "start"));
			sb_str(&b, "</h2>\n<table><tr>");
			sb_str(&b, agenda_words[lang].head);
			sb_str(&b, "</tr>\n");
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
	sb_str(&b, "<p>");
	if (n == 0) {
		sb_str(&b, agenda_words[lang].none);
		sb_str(&b, "</p>\n<p>");
	}
	sb_str(&b, agenda_words[lang].bold);
	sb_str(&b, "</p>\n</body></html>\n");
	return sb_done(&b, out);
}
