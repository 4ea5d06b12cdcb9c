/*
 * demo_text.h: the data the demo seeder draws from (demo_text.c): the ten
 * streets of the reference district (罗湖区) and their communities, the
 * category taxonomy with budget and price ranges and Chinese text templates,
 * the organisation profiles and name parts.  Pure constant data; the logic
 * that combines it lives in demo_plan.c and demo_send.c.
 *
 * Text templates may hold placeholders that demo_send.c expands:
 *   $C community name      $S street name        $N a head count
 *   $W schedule            $P place              $D duration
 *   $A area served         $Y years of service
 *   $T the title (for a need, its base without the community's name)
 */
#ifndef MATCHD_DEMO_TEXT_H
#define MATCHD_DEMO_TEXT_H

#include <stddef.h>

#define DEMO_NSTREETS		10
#define DEMO_NCOMMUNITIES	83

/* One street office (街道) and its communities. */
struct demo_street {
	const char		*name;		/* "桂园街道" */
	const char		*abbr;		/* "GY": prefix of its community codes */
	const char *const	*communities;	/* names, NULL-terminated */
};

enum demo_family {
	DEMO_ENGINEERING,
	DEMO_SERVICE,
	DEMO_GOODS
};

/* One sub-category of the default taxonomy (docs/design.md, "Domain"). Amounts in yuan. */
struct demo_category {
	const char		*name;		/* "service.elderly" */
	enum demo_family	 family;
	unsigned		 need_weight;	/* relative share of needs */
	long			 need_min;	/* need budget range */
	long			 need_max;
	long			 price_min;	/* offer price range */
	long			 price_max;
	int			 ben_min;	/* beneficiaries / head count */
	int			 ben_max;
	int			 cap_min;	/* offer capacity */
	int			 cap_max;
	const char *const	*need_titles;	/* each list NULL-terminated */
	const char *const	*need_descs;
	const char *const	*offer_titles;
	const char *const	*offer_descs;
};

enum demo_org_kind {
	DEMO_ORG_SOCIAL,	/* 民办非企业单位, registered, code 52... */
	DEMO_ORG_ASSOC,		/* 社会团体, registered, code 51... */
	DEMO_ORG_COMPANY,	/* 企业 (engineering, goods), registered, code 91... */
	DEMO_ORG_FILED		/* 备案社区组织, filed: named after its community */
};

/* A kind of organisation: its name suffix and the categories it offers. */
struct demo_org_profile {
	const char		*suffix;	/* "社会工作服务中心" */
	enum demo_org_kind	 kind;
	unsigned		 weight;	/* relative share within its kind */
	const char		*cats[4];	/* category names; NULL ends a shorter list */
};

extern const struct demo_street		demo_streets[DEMO_NSTREETS];
extern const struct demo_category	demo_categories[];
extern const size_t			demo_ncategories;
extern const struct demo_org_profile	demo_org_profiles[];
extern const size_t			demo_norg_profiles;

/* NULL-terminated word lists. */
extern const char *const demo_social_brands[];	/* 阳光, 启航, ... */
extern const char *const demo_company_brands[];	/* 鹏城, 华建, ... */
extern const char *const demo_org_prefixes[];	/* 深圳市罗湖区, 罗湖区, ... */
extern const char *const demo_schedules[];	/* $W */
extern const char *const demo_places[];		/* $P */
extern const char *const demo_durations[];	/* $D */

extern const char demo_district_name[];		/* 罗湖区 */
extern const char demo_district_organizer[];	/* the district-wide organizer's name */

#endif /* MATCHD_DEMO_TEXT_H */
