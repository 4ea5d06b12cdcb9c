/*
 * report_html.c: the public notice board and the monthly report as
 * printable Chinese pages (report.h).  Each is one document with its own
 * style sheet and no script (conn_http.c serves them under a policy that
 * allows nothing else).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/domain/programme.h"
#include "daemon/domain/report.h"
#include "protocol/json_print.h"

const char *const report_stage_zh[] = {
	"议事中", "公示中", "实施中", "已完工", "已验收", "已结算", "未通过",
	"已取消", NULL
};

/* Risk flags by kind, in Chinese. */
static const struct {
	const char *kind, *zh;
} report_kinds[] = {
	{ "padding", "年底突击报需求" }, { "inflated_price", "报价虚高" },
	{ "concentration", "项目集中于一家组织" },
	{ "duplicate_need", "重复需求" }, { "split_project", "拆分项目" },
	{ "stalled", "项目逾期" }, { "settled_over", "结算超出金额" },
	{ "failed_acceptance", "验收多次未通过" },
};

#define PAGE_STYLE "<style>body{font-family:sans-serif;margin:2em;" \
	"color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0 " \
	"1.5em}th,td{border:1px solid #999;padding:4px 8px;text-align:left;" \
	"vertical-align:top}th{background:#eee}td.n{text-align:right}" \
	".late{color:#b00;font-weight:bold}.note{color:#555;font-size:.9em}" \
	"@media print{body{margin:0}h2{page-break-after:avoid}}</style>"

void
report_local_time(const char *utc, char buf[17])
{
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	buf[0] = '\0';
	if (utc == NULL || sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec) != 6)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) + 8 * 3600;
	gmtime_r(&t, &tm);
	strftime(buf, 17, "%Y-%m-%d %H:%M", &tm);
}

static void
h_raw(struct json_buf *b, const char *s)
{
	json_buf_raw(b, s, strlen(s));
}

static void
h_text(struct json_buf *b, const char *s)
{
	const char *p;

	for (p = s ? s : ""; *p != '\0'; p++)
		switch (*p) {
		case '<': h_raw(b, "&lt;"); break;
		case '>': h_raw(b, "&gt;"); break;
		case '&': h_raw(b, "&amp;"); break;
		case '"': h_raw(b, "&quot;"); break;
		case '\'': h_raw(b, "&#39;"); break;
		default: json_buf_raw(b, p, 1); break;
		}
}

static const char *
h_str(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));

	return s ? s : "";
}

static double
h_num(const cJSON *o, const char *k)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItem(o, k));
}

/* A table cell: text, or (fmt non-NULL) a number printed with fmt. */
static void
h_cell(struct json_buf *b, const char *text, const char *fmt, double v)
{
	char num[64];

	if (fmt != NULL) {
		snprintf(num, sizeof(num), fmt, v);
		h_raw(b, "<td class=\"n\">");
		h_raw(b, num);
	} else {
		h_raw(b, "<td>");
		h_text(b, text);
	}
	h_raw(b, "</td>");
}

static int
h_done(struct json_buf *b, struct export_file *out)
{
	out->data = json_buf_finish(b, &out->len);
	return out->data ? 0 : -1;
}

static void
h_head(struct json_buf *b, const char *title)
{
	h_raw(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width\"><title>");
	h_text(b, title);
	h_raw(b, "</title>" PAGE_STYLE "</head><body>\n<h1>");
	h_text(b, title);
	h_raw(b, "</h1>\n");
}

int
report_notices_html(const cJSON *board, const char *now,
    struct export_file *out)
{
	struct json_buf	 b;
	const cJSON	*it, *p;
	char		 t[17];
	int		 n = 0;

	json_buf_init(&b);
	h_head(&b, "民生微实事项目公示");
	report_local_time(now, t);
	h_raw(&b, "<p>以下项目已经社区居民议事会审议通过，现予公示。公示期内，"
	    "居民和各方可对项目提出异议；有异议未处理完毕前，项目不得实施。"
	    "</p>\n<p class=\"note\">更新时间：");
	h_text(&b, t);
	h_raw(&b, "（北京时间）</p>\n<table><tr><th>编号</th><th>项目名称</th>"
	    "<th>社区</th><th>街道</th><th>承接组织</th><th>金额（元）</th>"
	    "<th>公示截止</th><th>异议方式</th></tr>\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(board, "items")) {
		h_raw(&b, "<tr>");
		h_cell(&b, NULL, "%.0f", h_num(it, "project"));
		h_cell(&b, h_str(it, "title"), NULL, 0);
		h_raw(&b, "<td>");
		h_text(&b, h_str(it, "community"));
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(it, "partners")) {
			h_raw(&b, "、");
			h_text(&b, cJSON_GetStringValue(p));
		}
		h_raw(&b, "</td>");
		h_cell(&b, h_str(it, "street"), NULL, 0);
		h_cell(&b, h_str(it, "org"), NULL, 0);
		h_cell(&b, NULL, "%.2f", h_num(it, "amount"));
		report_local_time(h_str(it, "notice_end"), t);
		h_cell(&b, t, NULL, 0);
		h_raw(&b, "<td>");
		h_text(&b, h_str(it, "how_to_object"));
		if (h_num(it, "objections_open") > 0)
			h_raw(&b, "<br><span class=\"late\">已收到异议，"
			    "正在处理</span>");
		h_raw(&b, "</td></tr>\n");
		n++;
	}
	h_raw(&b, "</table>\n");
	if (n == 0)
		h_raw(&b, "<p>目前没有公示中的项目。</p>\n");
	h_raw(&b, "</body></html>\n");
	return h_done(&b, out);
}

/* The Chinese name of a risk flag's kind. */
static const char *
h_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(report_kinds) / sizeof(report_kinds[0]); i++)
		if (strcmp(report_kinds[i].kind, kind) == 0)
			return report_kinds[i].zh;
	return kind;
}

/* A number cell; red when `late` (an overdue count above zero). */
static void
h_late(struct json_buf *b, double v)
{
	char num[32];

	snprintf(num, sizeof(num), "%.0f", v);
	h_raw(b, v > 0 ? "<td class=\"n late\">" : "<td class=\"n\">");
	h_raw(b, num);
	h_raw(b, "</td>");
}

static void
h_stage_heads(struct json_buf *b)
{
	int i;

	for (i = 0; i < PS_STAGES; i++) {
		h_raw(b, "<th>");
		h_raw(b, report_stage_zh[i]);
		h_raw(b, "</th>");
	}
}

static void
h_stage_cells(struct json_buf *b, const cJSON *stages)
{
	int i;

	for (i = 0; i < PS_STAGES; i++)
		h_cell(b, NULL, "%.0f", h_num(stages, programme_stages[i]));
}

static void
h_ranking(struct json_buf *b, const cJSON *report)
{
	const cJSON *it;

	h_raw(b, "<h2>一、街道排名</h2>\n<p class=\"note\">排名依次按需求回应率"
	    "（已回应需求 / 发布需求）、已验收项目数、服务人次；金额仅列示，"
	    "不参与排名。</p>\n<table><tr><th>排名</th><th>街道</th>"
	    "<th>需求回应率</th><th>发布需求</th><th>已回应</th>"
	    "<th>已验收项目</th><th>服务人次</th><th>逾期项目</th>"
	    "<th>验收金额（元）</th><th>已拨付（元）</th></tr>\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(report, "streets")) {
		h_raw(b, "<tr>");
		h_cell(b, NULL, "%.0f", h_num(it, "rank"));
		h_cell(b, h_str(it, "street"), NULL, 0);
		h_cell(b, NULL, "%.2f%%", h_num(it, "progress") * 100);
		h_cell(b, NULL, "%.0f", h_num(it, "needs_posted"));
		h_cell(b, NULL, "%.0f", h_num(it, "needs_matched"));
		h_cell(b, NULL, "%.0f", h_num(it, "projects_accepted"));
		h_cell(b, NULL, "%.0f", h_num(it, "beneficiaries_served"));
		h_late(b, h_num(it, "overdue"));
		h_cell(b, NULL, "%.2f", h_num(it, "accepted_amount"));
		h_cell(b, NULL, "%.2f", h_num(it, "paid_amount"));
		h_raw(b, "</tr>\n");
	}
	h_raw(b, "</table>\n<h2>二、项目阶段</h2>\n<table><tr><th>街道</th>");
	h_stage_heads(b);
	h_raw(b, "</tr>\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(report, "streets")) {
		h_raw(b, "<tr>");
		h_cell(b, h_str(it, "street"), NULL, 0);
		h_stage_cells(b, cJSON_GetObjectItem(it, "projects"));
		h_raw(b, "</tr>\n");
	}
	h_raw(b, "<tr><th>合计</th>");
	h_stage_cells(b, cJSON_GetObjectItem(report, "stages"));
	h_raw(b, "</tr>\n</table>\n");
}

/* The Chinese name of a stage. */
static const char *
h_stage_zh(const char *stage)
{
	int s = programme_stage(stage);

	return s >= 0 ? report_stage_zh[s] : stage;
}

static void
h_overdue(struct json_buf *b, const cJSON *report)
{
	const cJSON	*it;
	char		 t[17];
	int		 n = 0;

	h_raw(b, "<h2>三、逾期项目</h2>\n<table><tr><th>编号</th><th>项目名称"
	    "</th><th>街道</th><th>社区</th><th>承接组织</th><th>阶段</th>"
	    "<th>进入阶段</th><th>期限</th><th>逾期天数</th></tr>\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(report, "overdue")) {
		h_raw(b, "<tr>");
		h_cell(b, NULL, "%.0f", h_num(it, "project"));
		h_cell(b, h_str(it, "title"), NULL, 0);
		h_cell(b, h_str(it, "street"), NULL, 0);
		h_cell(b, h_str(it, "community_name"), NULL, 0);
		h_cell(b, h_str(it, "org_name"), NULL, 0);
		h_cell(b, h_stage_zh(h_str(it, "stage")), NULL, 0);
		report_local_time(h_str(it, "since"), t);
		h_cell(b, t, NULL, 0);
		report_local_time(h_str(it, "due"), t);
		h_cell(b, t, NULL, 0);
		h_late(b, h_num(it, "days_over"));
		h_raw(b, "</tr>\n");
		n++;
	}
	h_raw(b, "</table>\n");
	if (n == 0)
		h_raw(b, "<p>本月没有逾期项目。</p>\n");
}

/* What a flag names: its street, community, organisation, need, offer or
 * project, as they are given. */
static void
h_flag_object(struct json_buf *b, const cJSON *f)
{
	static const char *const keys[] = { "street", "community", "org",
	    "need", "offer", "project" };
	static const char *const zh[] = { "街道", "社区", "组织", "需求",
	    "项目库项目", "项目" };
	const cJSON	*v;
	char		 num[32];
	size_t		 i;
	int		 n = 0;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((v = cJSON_GetObjectItem(f, keys[i])) == NULL)
			continue;
		h_raw(b, n++ ? "；" : "");
		h_raw(b, zh[i]);
		h_raw(b, " ");
		if (cJSON_IsNumber(v)) {
			snprintf(num, sizeof(num), "%.0f", v->valuedouble);
			h_raw(b, num);
		} else
			h_text(b, cJSON_GetStringValue(v));
	}
}

static void
h_risks(struct json_buf *b, const cJSON *report)
{
	const cJSON	*it;
	int		 n = 0;

	h_raw(b, "<h2>四、风险提示</h2>\n<table><tr><th>类别</th><th>对象</th>"
	    "<th>标识</th></tr>\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(report, "risks")) {
		h_raw(b, "<tr>");
		h_cell(b, h_kind(h_str(it, "kind")), NULL, 0);
		h_raw(b, "<td>");
		h_flag_object(b, it);
		h_raw(b, "</td>");
		h_cell(b, h_str(it, "key"), NULL, 0);
		h_raw(b, "</tr>\n");
		n++;
	}
	h_raw(b, "</table>\n");
	if (n == 0)
		h_raw(b, "<p>没有未处理的风险提示。</p>\n");
}

int
report_monthly_html(const cJSON *report, struct export_file *out)
{
	struct json_buf	 b;
	char		 title[160], t[17];

	snprintf(title, sizeof(title), "民生微实事项目 %.0f 年 %.0f 月通报%s%s",
	    h_num(report, "year"), h_num(report, "month"),
	    cJSON_IsString(cJSON_GetObjectItem(report, "street")) ? "（" : "",
	    cJSON_IsString(cJSON_GetObjectItem(report, "street")) ?
	    h_str(report, "street") : "");
	if (cJSON_IsString(cJSON_GetObjectItem(report, "street")))
		strncat(title, "）", sizeof(title) - strlen(title) - 1);
	json_buf_init(&b);
	h_head(&b, title);
	report_local_time(h_str(report, "as_of"), t);
	h_raw(&b, "<p>统计截至 ");
	h_text(&b, t);
	h_raw(&b, "（北京时间），按需求所属年度统计。</p>\n");
	h_ranking(&b, report);
	h_overdue(&b, report);
	h_risks(&b, report);
	h_raw(&b, "<p class=\"note\">本通报由民生微实事项目对接平台生成。</p>\n"
	    "</body></html>\n");
	return h_done(&b, out);
}
