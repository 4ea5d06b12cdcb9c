/*
 * ctl_import_words.c: the words of matchctl import's report.
 */
#include <stdlib.h>
#include <string.h>

#include "client/ctl_import_words.h"

const struct import_words import_words_en = {
	.ok_id = "row %ld: ok, id %.0f\n",
	.ok = "row %ld: ok\n",
	.refused = "row %ld: refused: ",
	.summary = "import %s: %ld rows accepted, %ld refused\n",
	.needs = "needs", .offers = "offers",
	.converted = "file encoding GB18030, converted to UTF-8\n",
	.fields = "the row has %zu fields, the header %zu",
	.twice = "the header names %s twice",
	.not_csv = "not CSV: %s",
	.usage = "usage: matchctl import [--lang zh|en] needs|offers "
	    "FILE.csv\n",
	.no_header = "matchctl import: %s: no header row\n",
	.no_connect = "matchctl: cannot connect to %s: %s\n",
	.neither = "matchctl import: %s is neither UTF-8 nor GB18030: byte "
	    "0x%02X at offset %zu (row %ld) is not UTF-8, byte 0x%02X at "
	    "offset %zu (row %ld) is not GB18030; nothing was imported\n",
	.neither_same = "matchctl import: %s is neither UTF-8 nor GB18030: "
	    "byte 0x%02X at offset %zu (row %ld) is neither; nothing was "
	    "imported\n",
	.oom = "matchctl import: out of memory\n",
	.lost = "matchctl import: the daemon closed the connection\n",
	.bad_answer = "matchctl import: error ",
};

const struct import_words import_words_zh = {
	.ok_id = "第 %ld 行：已导入，编号 %.0f\n",
	.ok = "第 %ld 行：已导入\n",
	.refused = "第 %ld 行：未导入：",
	.summary = "导入%s：%ld 行已导入，%ld 行未导入\n",
	.needs = "需求", .offers = "项目",
	.converted = "文件编码：GB18030（已转换为 UTF-8）\n",
	.fields = "这一行有 %zu 个字段，表头有 %zu 个",
	.twice = "表头两次写了 %s",
	.not_csv = "不是有效的 CSV：%s",
	.usage = "用法：matchctl import [--lang zh|en] needs|offers "
	    "文件.csv\n",
	.no_header = "matchctl import：%s：没有表头行\n",
	.no_connect = "matchctl：无法连接 %s：%s\n",
	.neither = "matchctl import：%s 既不是 UTF-8 也不是 GB18030 编码：字节 "
	    "0x%02X（偏移 %zu，第 %ld 行）不是 UTF-8，字节 0x%02X（偏移 %zu，"
	    "第 %ld 行）不是 GB18030；没有导入任何内容\n",
	.neither_same = "matchctl import：%s 既不是 UTF-8 也不是 GB18030 编码："
	    "字节 0x%02X（偏移 %zu，第 %ld 行）两种编码都无法识别；没有导入任何"
	    "内容\n",
	.oom = "matchctl import：内存不足\n",
	.lost = "matchctl import：守护进程关闭了连接\n",
	.bad_answer = "matchctl import：错误 ",
};

/* The daemon's error codes and the CSV reader's complaints, in Chinese. */
static const char *const zh_terms[][2] = {
	{ "invalid_argument", "内容不符合要求" },
	{ "unauthenticated", "令牌无效或已失效" },
	{ "forbidden", "没有权限" },
	{ "not_found", "找不到" },
	{ "conflict", "当前状态不允许" },
	{ "too_large", "内容太多" },
	{ "rate_limited", "操作太频繁" },
	{ "internal", "服务器出错" },
	{ "unavailable", "服务器暂时无法保存" },
	{ "parse_error", "请求格式有误" },
	{ "bad_request", "请求不完整" },
	{ "unknown_op", "服务器不支持这个操作" },
	{ "a quoted field is not closed", "引号没有闭合" },
	{ "text follows a closing quote", "闭合的引号后面还有文字" },
	{ "a quote inside an unquoted field", "没有引号的字段里出现了引号" },
	{ "out of memory", "内存不足" },
};

const char *
import_zh_term(const char *en)
{
	size_t i;

	for (i = 0; i < sizeof(zh_terms) / sizeof(zh_terms[0]); i++)
		if (strcmp(zh_terms[i][0], en) == 0)
			return zh_terms[i][1];
	return NULL;
}

/*
 * Chinese when lang says zh, or without lang when the first of LC_ALL,
 * LC_MESSAGES and LANG that is set names a Chinese locale (zh_CN.UTF-8).
 */
const struct import_words *
import_words_for(const char *lang)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	if (lang == NULL)
		for (i = 0; i < 3 && lang == NULL; i++)
			if ((v = getenv(vars[i])) != NULL && v[0] != '\0')
				lang = v;
	return lang != NULL && strncmp(lang, "zh", 2) == 0 ? &import_words_zh :
	    &import_words_en;
}


