/*
 * ops.c: the one table of operations (PROTOCOL.md section 4).
 */
#include <string.h>

#include "daemon/ops/ops.h"

#define END	{ NULL, 0, 0, 0, 0, NULL }
#define TEXT(n, req, lo, hi)	{ n, ARG_TEXT, req, lo, hi, NULL }
#define TITLE(req)	TEXT("title", req, 1, 200)
#define DESCRIPTION	TEXT("description", 0, 0, 4000)
#define NAME		TEXT("name", 1, 1, 200)
#define STREET(req)	TEXT("street", req, 1, 64)
#define ID(n)		{ n, ARG_INT, 1, 1, ARG_ID_MAX, NULL }
#define LIMIT		{ "limit", ARG_INT, 0, 1, 1000, NULL }
#define AFTER		{ "after", ARG_INT, 0, 0, ARG_ID_MAX, NULL }
#define CODE(n, req)	{ n, ARG_CODE, req, 0, 0, NULL }

static const char *const kinds[] = { "registered", "filed", NULL };
static const char *const roles[] = { "admin", "organizer", "community", "org",
    NULL };
static const char *const need_statuses[] = { "open", "matched", "withdrawn",
    NULL };
static const char *const offer_statuses[] = { "open", "full", "withdrawn",
    NULL };

static const struct arg_spec args_none[] = { END };

static const struct arg_spec args_community_create[] = {
	CODE("code", 1), NAME, STREET(1),
	{ "cap", ARG_AMOUNT, 0, 0, 0, NULL },
	END
};

static const struct arg_spec args_org_create[] = {
	CODE("code", 1), NAME,
	{ "kind", ARG_ENUM, 1, 0, 0, kinds },
	{ "streets", ARG_STREETS, 0, 0, 64, NULL },
	STREET(0),
	END
};

static const struct arg_spec args_organizer_create[] = {
	NAME, STREET(0), CODE("code", 0), END
};

static const struct arg_spec args_token_rotate[] = {
	{ "role", ARG_ENUM, 0, 0, 0, roles }, CODE("code", 0), END
};

static const struct arg_spec args_page[] = { LIMIT, AFTER, END };

#define NEED_FIELDS(req) \
	TITLE(req), { "category", ARG_CATEGORY, req, 0, 0, NULL }, \
	{ "budget", ARG_AMOUNT, req, 1, 0, NULL }, DESCRIPTION, \
	{ "beneficiaries", ARG_INT, 0, 0, 100000000, NULL }, \
	{ "partners", ARG_CODES, 0, 0, 16, NULL }, \
	{ "window", ARG_WINDOW, 0, 0, 0, NULL }

static const struct arg_spec args_need_post[] = {
	NEED_FIELDS(1), TEXT("ref", 0, 1, 128), CODE("community", 0), END
};

static const struct arg_spec args_need_update[] = {
	ID("id"), NEED_FIELDS(0), END
};

static const struct arg_spec args_id[] = { ID("id"), END };

static const struct arg_spec args_need_list[] = {
	STREET(0), CODE("community", 0),
	{ "category", ARG_CATEGORY_FILTER, 0, 0, 0, NULL },
	{ "status", ARG_ENUM, 0, 0, 0, need_statuses },
	LIMIT, AFTER, END
};

#define OFFER_FIELDS(req) \
	TITLE(req), { "category", ARG_CATEGORY, req, 0, 0, NULL }, \
	{ "price", ARG_AMOUNT, req, 0, 0, NULL }, \
	{ "capacity", ARG_INT, 0, 1, 100000, NULL }, \
	{ "streets", ARG_STREETS, 0, 0, 64, NULL }, DESCRIPTION, \
	CODE("partner", 0)

static const struct arg_spec args_offer_post[] = {
	OFFER_FIELDS(1), TEXT("ref", 0, 1, 128), CODE("org", 0), END
};

static const struct arg_spec args_offer_update[] = {
	ID("id"), OFFER_FIELDS(0), END
};

static const struct arg_spec args_offer_list[] = {
	CODE("org", 0), STREET(0),
	{ "category", ARG_CATEGORY_FILTER, 0, 0, 0, NULL },
	{ "status", ARG_ENUM, 0, 0, 0, offer_statuses },
	{ "in_library", ARG_BOOL, 0, 0, 0, NULL },
	LIMIT, AFTER, END
};

static const struct arg_spec args_library_set[] = {
	ID("offer"), { "in_library", ARG_BOOL, 1, 0, 0, NULL }, END
};

static const char *const algorithms[] = { "optimal", "greedy", "stable",
    NULL };
static const char *const fair_statuses[] = { "open", "closed", NULL };

static const struct arg_spec args_match_suggest[] = {
	{ "need", ARG_INT, 0, 1, ARG_ID_MAX, NULL },
	{ "offer", ARG_INT, 0, 1, ARG_ID_MAX, NULL },
	{ "limit", ARG_INT, 0, 1, 100, NULL },
	END
};

static const struct arg_spec args_fair_create[] = {
	NAME, { "date", ARG_DATE, 1, 0, 0, NULL }, STREET(0),
	{ "start", ARG_TIME, 0, 0, 0, NULL },
	{ "tables", ARG_INT, 0, 1, 1000, NULL },
	{ "slots", ARG_INT, 0, 1, 288, NULL },
	{ "slot_minutes", ARG_INT, 0, 1, 480, NULL },
	END
};

static const struct arg_spec args_fair_list[] = {
	STREET(0), { "status", ARG_ENUM, 0, 0, 0, fair_statuses },
	LIMIT, AFTER, END
};

static const struct arg_spec args_fair_enroll[] = {
	ID("fair"), { "needs", ARG_IDS, 0, 0, 100000, NULL },
	{ "offers", ARG_IDS, 0, 0, 100000, NULL },
	{ "all", ARG_BOOL, 0, 0, 0, NULL },
	END
};

static const struct arg_spec args_fair_match[] = {
	ID("fair"), { "algorithm", ARG_ENUM, 0, 0, 0, algorithms }, END
};

static const struct arg_spec args_fair_matches[] = {
	ID("fair"), { "run", ARG_INT, 0, 1, 1000000, NULL }, END
};

static const char *const decisions[] = { "accept", "decline", NULL };

static const struct arg_spec args_match_respond[] = {
	ID("match"), { "decision", ARG_ENUM, 1, 0, 0, decisions }, END
};

static const struct arg_spec args_fair_only[] = { ID("fair"), END };

static const struct arg_spec args_fair_schedule[] = {
	ID("fair"), { "meetings_per_need", ARG_INT, 0, 1, 50, NULL }, END
};

static const char *const formats[] = { "csv", "xlsx", "html", NULL };

static const struct arg_spec args_fair_export[] = {
	ID("fair"), { "format", ARG_ENUM, 0, 0, 0, formats },
	CODE("community", 0), CODE("org", 0), END
};

#define YEAR	{ "year", ARG_INT, 0, 2000, 2200, NULL }

static const struct arg_spec args_stats_streets[] = {
	YEAR, { "month", ARG_INT, 0, 1, 12, NULL }, END
};

static const struct arg_spec args_stats_categories[] = { YEAR, END };

static const struct arg_spec args_stats_orgs[] = { YEAR, STREET(0), END };

static const struct arg_spec args_risk_flags[] = { STREET(0), YEAR, END };

static const struct arg_spec args_code[] = { CODE("code", 1), END };

static const struct arg_spec args_community_list[] = {
	STREET(0), LIMIT, CODE("after", 0), END
};

static const struct arg_spec args_org_list[] = {
	STREET(0), { "kind", ARG_ENUM, 0, 0, 0, kinds }, LIMIT,
	CODE("after", 0), END
};

#define OWNERS_NEED	(ROLE_ADMIN | ROLE_COMMUNITY)
#define OWNERS_OFFER	(ROLE_ADMIN | ROLE_ORG)

/*
 * NEED_FIELDS(0) and OFFER_FIELDS(0) keep every value rule of a posting for
 * an update while making each field optional: an update names what changes.
 * The last column names the record type an op_record_* handler serves.
 */
static const struct op op_table[] = {
	{ "ping", 0, 0, args_none, op_ping, NULL },
	{ "whoami", ROLE_ANY, 0, args_none, op_whoami, NULL },
	{ "community.create", ROLE_ADMIN, 1, args_community_create,
	    op_community_create, NULL },
	{ "org.create", ROLE_ADMIN, 1, args_org_create, op_org_create, NULL },
	{ "organizer.create", ROLE_ADMIN, 1, args_organizer_create,
	    op_organizer_create, NULL },
	{ "token.rotate", ROLE_ANY, 1, args_token_rotate, op_token_rotate,
	    NULL },
	{ "community.get", ROLE_ANY, 0, args_code, op_community_get, NULL },
	{ "community.list", ROLE_ANY, 0, args_community_list, op_community_list,
	    NULL },
	{ "org.get", ROLE_ANY, 0, args_code, op_org_get, NULL },
	{ "org.list", ROLE_ANY, 0, args_org_list, op_org_list, NULL },
	{ "taxonomy.get", ROLE_ANY, 0, args_none, op_taxonomy_get, NULL },
	{ "need.post", OWNERS_NEED, 1, args_need_post, op_record_post,
	    &ops_need },
	{ "need.get", ROLE_ANY, 0, args_id, op_record_get, &ops_need },
	{ "need.list", ROLE_ANY, 0, args_need_list, op_record_list, &ops_need },
	{ "need.update", OWNERS_NEED, 1, args_need_update, op_record_update,
	    &ops_need },
	{ "need.withdraw", OWNERS_NEED, 1, args_id, op_record_withdraw,
	    &ops_need },
	{ "offer.post", OWNERS_OFFER, 1, args_offer_post, op_record_post,
	    &ops_offer },
	{ "offer.get", ROLE_ANY, 0, args_id, op_record_get, &ops_offer },
	{ "offer.list", ROLE_ANY, 0, args_offer_list, op_record_list,
	    &ops_offer },
	{ "offer.update", OWNERS_OFFER, 1, args_offer_update, op_record_update,
	    &ops_offer },
	{ "offer.withdraw", OWNERS_OFFER, 1, args_id, op_record_withdraw,
	    &ops_offer },
	{ "library.set", ROLE_ADMIN, 1, args_library_set, op_library_set,
	    NULL },
	{ "audit.list", ROLE_ADMIN, 0, args_page, op_audit_list, NULL },
	{ "match.suggest", ROLE_ANY, 0, args_match_suggest, op_match_suggest,
	    NULL },
	{ "fair.create", ROLE_ADMIN | ROLE_ORGANIZER, 1, args_fair_create,
	    op_fair_create, NULL },
	{ "fair.get", ROLE_ANY, 0, args_id, op_fair_get, NULL },
	{ "fair.list", ROLE_ANY, 0, args_fair_list, op_fair_list, NULL },
	{ "fair.enroll", ROLE_ANY, 1, args_fair_enroll, op_fair_enroll, NULL },
	{ "fair.match", ROLE_ADMIN | ROLE_ORGANIZER, 1, args_fair_match,
	    op_fair_match, NULL },
	{ "fair.matches", ROLE_ANY, 0, args_fair_matches, op_fair_matches,
	    NULL },
	{ "match.respond", ROLE_COMMUNITY | ROLE_ORG, 1, args_match_respond,
	    op_match_respond, NULL },
	{ "fair.schedule", ROLE_ADMIN | ROLE_ORGANIZER, 1, args_fair_schedule,
	    op_fair_schedule, NULL },
	{ "fair.meetings", ROLE_ANY, 0, args_fair_only, op_fair_meetings,
	    NULL },
	{ "fair.export", ROLE_ANY, 0, args_fair_export, op_fair_export, NULL },
	{ "stats.streets", ROLE_ADMIN | ROLE_ORGANIZER, 0, args_stats_streets,
	    op_stats_streets, NULL },
	{ "stats.categories", ROLE_ADMIN | ROLE_ORGANIZER, 0,
	    args_stats_categories, op_stats_categories, NULL },
	{ "stats.orgs", ROLE_ADMIN | ROLE_ORGANIZER, 0, args_stats_orgs,
	    op_stats_orgs, NULL },
	{ "risk.flags", ROLE_ADMIN | ROLE_ORGANIZER, 0, args_risk_flags,
	    op_risk_flags, NULL },
	{ "fair.close", ROLE_ADMIN | ROLE_ORGANIZER, 1, args_fair_only,
	    op_fair_close, NULL },
};

const struct op *
ops_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(op_table) / sizeof(op_table[0]); i++)
		if (strcmp(op_table[i].name, name) == 0)
			return &op_table[i];
	return NULL;
}
