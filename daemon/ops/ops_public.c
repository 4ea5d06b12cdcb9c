/*
 * ops_public.c: the public notice board (公示): the projects on notice,
 * readable by anyone without a token (docs/protocol.md, "Public notice
 * board").  It is not in the op table: only the HTTP routes GET
 * /v1/public/notices and GET /public/ reach it, through
 * dispatch_public (core/dispatch.c), with no principal.  It shows names,
 * never codes, tokens or contacts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base/clock.h"
#include "daemon/domain/report.h"
#include "daemon/ops/ops.h"

#define PUBLIC_MAX	1000	/* a district has a few dozen at a time */

/* How a resident objects to item: in Chinese, for people. */
static void
public_how(cJSON *item)
{
	char	 end[17], text[768];

	report_local_time(ops_str(item, "notice_end"), end);
	snprintf(text, sizeof(text), "对本项目有异议的，请于公示期内（%s 前，"
	    "北京时间）向%s办事处或%s居民委员会书面提出，写明项目编号 %lld "
	    "和理由；有异议未处理完毕前项目不得实施。", end,
	    ops_str(item, "street"), ops_str(item, "community"),
	    (long long)ops_num(item, "project"));
	ops_add(item, "how_to_object", cJSON_CreateString(text));
}

int
ops_public(struct op_ctx *ctx, const char *which, cJSON **result,
    struct error *err)
{
	struct export_file	 f = { NULL, 0 };
	cJSON			*items, *it, *board;
	char			 now[CLOCK_TEXT_LEN];
	int			 rc;

	if (store_public_notices(ctx->store, PUBLIC_MAX, &items, err) == -1)
		return -1;
	cJSON_ArrayForEach(it, items)
		public_how(it);
	clock_format(clock_now(), now);
	if ((board = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(items);
		return ops_oom(err);
	}
	cJSON_AddStringToObject(board, "now", now);
	cJSON_AddItemToObject(board, "items", items);
	if (strcmp(which, "notices") == 0) {
		*result = board;
		return 0;
	}
	rc = report_notices_html(board, now, &f);
	cJSON_Delete(board);
	if (rc == -1)
		return ops_oom(err);
	if ((*result = cJSON_CreateObject()) == NULL) {
		free(f.data);
		return ops_oom(err);
	}
	cJSON_AddStringToObject(*result, "content_type",
	    "text/html; charset=utf-8");
	cJSON_AddStringToObject(*result, "data", f.data);
	free(f.data);
	return 0;
}
