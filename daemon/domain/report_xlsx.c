/*
 * report_xlsx.c: the monthly report as a workbook (report.h): the
 * ranking, the stages per street, the overdue projects and the open risk
 * flags, one sheet each, with Chinese headers.
 */
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "daemon/domain/programme.h"
#include "daemon/domain/report.h"

/* A column: its header, the member it reads, and whether a number. */
struct rcol {
	const char	*head;
	const char	*key;
	int		 num;
};

static const struct rcol rank_cols[] = {
	{ "排名", "rank", 1 }, { "街道", "street", 0 },
	{ "需求回应率", "progress", 1 }, { "发布需求", "needs_posted", 1 },
	{ "已回应需求", "needs_matched", 1 },
	{ "已验收项目", "projects_accepted", 1 },
	{ "服务人次", "beneficiaries_served", 1 }, { "逾期项目", "overdue", 1 },
	{ "验收金额（元）", "accepted_amount", 1 },
	{ "已拨付（元）", "paid_amount", 1 }, { NULL, NULL, 0 }
};

static const struct rcol overdue_cols[] = {
	{ "编号", "project", 1 }, { "项目名称", "title", 0 },
	{ "街道", "street", 0 }, { "社区", "community_name", 0 },
	{ "承接组织", "org_name", 0 }, { "阶段", "stage", 0 },
	{ "进入阶段（UTC）", "since", 0 }, { "期限（UTC）", "due", 0 },
	{ "逾期天数", "days_over", 1 }, { NULL, NULL, 0 }
};

static const struct rcol risk_cols[] = {
	{ "类别", "kind", 0 }, { "标识", "key", 0 }, { "街道", "street", 0 },
	{ "社区", "community", 0 }, { "组织", "org", 0 },
	{ "项目", "project", 1 }, { NULL, NULL, 0 }
};

static void
rx_rows(lxw_workbook *wb, const char *name, const cJSON *items,
    const struct rcol *cols, lxw_format *bold)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, name);
	const cJSON	*it, *v;
	lxw_row_t	 r = 1;
	lxw_col_t	 c;
	int		 s;

	for (c = 0; cols[c].head != NULL; c++)
		worksheet_write_string(ws, 0, c, cols[c].head, bold);
	worksheet_set_column(ws, 0, c, 16, NULL);
	cJSON_ArrayForEach(it, items) {
		for (c = 0; cols[c].head != NULL; c++) {
			v = cJSON_GetObjectItem(it, cols[c].key);
			if (cols[c].num && cJSON_IsNumber(v))
				worksheet_write_number(ws, r, c,
				    v->valuedouble, NULL);
			else if (strcmp(cols[c].key, "stage") == 0 &&
			    (s = programme_stage(cJSON_GetStringValue(v))) >= 0)
				worksheet_write_string(ws, r, c,
				    report_stage_zh[s], NULL);
			else if (cJSON_IsString(v))
				worksheet_write_string(ws, r, c,
				    v->valuestring, NULL);
		}
		r++;
	}
}

/* Projects by stage, one row per street, then the total. */
static void
rx_stages(lxw_workbook *wb, const cJSON *report, lxw_format *bold)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, "项目阶段");
	const cJSON	*it, *st;
	lxw_row_t	 r = 1;
	int		 s;

	worksheet_write_string(ws, 0, 0, "街道", bold);
	for (s = 0; s < PS_STAGES; s++)
		worksheet_write_string(ws, 0, (lxw_col_t)(1 + s),
		    report_stage_zh[s], bold);
	worksheet_set_column(ws, 0, 0, 16, NULL);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(report, "streets")) {
		worksheet_write_string(ws, r, 0, cJSON_GetStringValue(
		    cJSON_GetObjectItem(it, "street")), NULL);
		st = cJSON_GetObjectItem(it, "projects");
		for (s = 0; s < PS_STAGES; s++)
			worksheet_write_number(ws, r, (lxw_col_t)(1 + s),
			    cJSON_GetNumberValue(cJSON_GetObjectItem(st,
			    programme_stages[s])), NULL);
		r++;
	}
	worksheet_write_string(ws, r, 0, "合计", bold);
	st = cJSON_GetObjectItem(report, "stages");
	for (s = 0; s < PS_STAGES; s++)
		worksheet_write_number(ws, r, (lxw_col_t)(1 + s),
		    cJSON_GetNumberValue(cJSON_GetObjectItem(st,
		    programme_stages[s])), bold);
}

static void
rx_fill(struct lxw_workbook *wb, const void *arg)
{
	const cJSON	*report = arg;
	lxw_format	*bold = workbook_add_format(wb);

	format_set_bold(bold);
	rx_rows(wb, "街道排名", cJSON_GetObjectItem(report, "streets"),
	    rank_cols, bold);
	rx_stages(wb, report, bold);
	rx_rows(wb, "逾期项目", cJSON_GetObjectItem(report, "overdue"),
	    overdue_cols, bold);
	rx_rows(wb, "风险提示", cJSON_GetObjectItem(report, "risks"),
	    risk_cols, bold);
}

int
report_monthly_xlsx(const cJSON *report, const char *tmpdir,
    struct export_file *out)
{
	return export_xlsx_file(tmpdir, rx_fill, report, out);
}
