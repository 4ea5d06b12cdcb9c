/*
 * names.c: the names of the default taxonomy's categories and of match
 * statuses, in Chinese and English (the data of names.h).
 */
#include <stdio.h>
#include <string.h>

#include "daemon/domain/names.h"

/* A family's entry (sub NULL) comes before its sub-categories. */
static const struct {
	const char	*family, *sub, *zh, *en;
} categories[] = {
	{ "engineering", NULL, "工程类", "Engineering" },
	{ "engineering", "facility", "公共设施", "Facilities" },
	{ "engineering", "greening", "绿化", "Greening" },
	{ "engineering", "accessibility", "无障碍", "Accessibility" },
	{ "engineering", "safety", "安全", "Safety" },
	{ "engineering", "renovation", "修缮", "Renovation" },
	{ "service", NULL, "服务类", "Services" },
	{ "service", "elderly", "长者", "Elderly" },
	{ "service", "children", "儿童", "Children" },
	{ "service", "youth", "青少年", "Youth" },
	{ "service", "disability", "助残", "Disability" },
	{ "service", "health", "健康", "Health" },
	{ "service", "culture", "文化", "Culture" },
	{ "service", "sports", "体育", "Sports" },
	{ "service", "education", "教育", "Education" },
	{ "service", "legal", "法律", "Legal aid" },
	{ "service", "volunteer", "志愿", "Volunteering" },
	{ "service", "neighbourhood", "邻里", "Neighbourhood" },
	{ "goods", NULL, "物资类", "Goods" },
	{ "goods", "equipment", "设备", "Equipment" },
	{ "goods", "supplies", "物资", "Supplies" },
	{ "goods", "books", "图书", "Books" },
};

static const struct {
	const char	*status, *zh, *en;
} statuses[] = {
	{ "proposed", "待确认", "Proposed" },
	{ "accepted_by_community", "社区已接受", "Accepted by community" },
	{ "accepted_by_org", "机构已接受", "Accepted by organisation" },
	{ "confirmed", "双方确认", "Confirmed" },
	{ "declined", "已拒绝", "Declined" },
	{ "superseded", "已被取代", "Superseded" },
	{ "expired", "已过期", "Expired" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum names_lang
names_lang(const char *s)
{
	return s != NULL && strcmp(s, "en") == 0 ? NAMES_EN : NAMES_ZH;
}

const char *
names_category_part(const char *family, const char *sub, enum names_lang l)
{
	size_t i;

	for (i = 0; i < NELEM(categories); i++)
		if (strcmp(categories[i].family, family) == 0 &&
		    (sub == NULL ? categories[i].sub == NULL :
		    categories[i].sub != NULL &&
		    strcmp(categories[i].sub, sub) == 0))
			return l == NAMES_EN ? categories[i].en :
			    categories[i].zh;
	return NULL;
}

void
names_category(const char *cat, enum names_lang l, char *buf, size_t len)
{
	char		 fam[64];
	const char	*dot = strchr(cat, '.'), *f, *s;
	size_t		 n = dot ? (size_t)(dot - cat) : strlen(cat);

	if (n >= sizeof(fam) || cat[0] == '\0') {
		snprintf(buf, len, "%s", cat);
		return;
	}
	memcpy(fam, cat, n);
	fam[n] = '\0';
	if ((f = names_category_part(fam, NULL, l)) == NULL)
		f = fam;
	if (dot == NULL) {
		snprintf(buf, len, "%s", f);
		return;
	}
	if ((s = names_category_part(fam, dot + 1, l)) == NULL)
		s = dot + 1;
	snprintf(buf, len, l == NAMES_EN ? "%s · %s" : "%s·%s", f, s);
}

const char *
names_status(const char *status, enum names_lang l)
{
	size_t i;

	for (i = 0; i < NELEM(statuses); i++)
		if (strcmp(statuses[i].status, status) == 0)
			return l == NAMES_EN ? statuses[i].en : statuses[i].zh;
	return status;
}
