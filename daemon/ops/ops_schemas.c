/*
 * ops_schemas.c: the argument schema of every operation
 * (docs/protocol.md, "Operations"), as data.  The op table (ops.c) names
 * one per operation; tests/fuzz compiles this file into its harnesses, so
 * it includes protocol/args.h, protocol/event_kinds.h and its own header
 * and nothing else (tools/check-layers.sh checks that).
 */
#include <stddef.h>

#include "daemon/ops/ops_schemas.h"
#include "protocol/event_kinds.h"

#define END	{ NULL, 0, 0, 0, 0, NULL }
#define TEXT(n, req, lo, hi)	{ n, ARG_TEXT, req, lo, hi, NULL }
#define TITLE(req)	TEXT("title", req, 1, 200)
#define DESCRIPTION	TEXT("description", 0, 0, 4000)
#define NAME		TEXT("name", 1, 1, 200)
#define STREET(req)	{ "street", ARG_STREET, req, 0, 0, NULL }
#define ID(n)		{ n, ARG_INT, 1, 1, ARG_ID_MAX, NULL }
#define LIMIT		{ "limit", ARG_INT, 0, 1, 1000, NULL }
#define AFTER		{ "after", ARG_INT, 0, 0, ARG_ID_MAX, NULL }
#define CODE(n, req)	{ n, ARG_CODE, req, 0, 0, NULL }
#define NOTE		TEXT("note", 1, 1, 2000)
#define COUNT(n)	{ n, ARG_INT, 1, 0, 100000, NULL }

static const char *const kinds[] = { "registered", "filed", NULL };
static const char *const roles[] = { "admin", "organizer", "community", "org",
    NULL };
static const char *const need_statuses[] = { "pending_partners", "open",
    "matched", "withdrawn", NULL };
static const char *const offer_statuses[] = { "pending_partners", "open",
    "full", "withdrawn", NULL };
static const char *const consents[] = { "agree", "refuse", NULL };
#define YEAR	{ "year", ARG_INT, 0, 2000, 2200, NULL }

const struct arg_spec ops_schema_none[] = { END };

const struct arg_spec ops_schema_community_create[] = {
	CODE("code", 1), NAME, STREET(1),
	{ "cap", ARG_AMOUNT, 0, 0, 0, NULL },
	END
};

const struct arg_spec ops_schema_org_create[] = {
	CODE("code", 1), NAME,
	{ "kind", ARG_ENUM, 1, 0, 0, kinds },
	{ "streets", ARG_STREETS, 0, 0, 64, NULL },
	STREET(0),
	END
};

const struct arg_spec ops_schema_organizer_create[] = {
	NAME, STREET(0), CODE("code", 0), END
};

const struct arg_spec ops_schema_token_rotate[] = {
	{ "role", ARG_ENUM, 0, 0, 0, roles }, CODE("code", 0), END
};

const struct arg_spec ops_schema_page[] = { LIMIT, AFTER, END };

const struct arg_spec ops_schema_street_create[] = {
	TEXT("name", 1, 1, 64), CODE("code", 0), END
};

const struct arg_spec ops_schema_need_consent[] = {
	ID("need"), { "decision", ARG_ENUM, 1, 0, 0, consents }, END
};

const struct arg_spec ops_schema_offer_consent[] = {
	ID("offer"), { "decision", ARG_ENUM, 1, 0, 0, consents }, END
};

static const char *const orders[] = { "asc", "desc", NULL };

const struct arg_spec ops_schema_audit_list[] = {
	LIMIT, AFTER, { "order", ARG_ENUM, 0, 0, 0, orders },
	TEXT("op", 0, 1, 64), CODE("code", 0),
	{ "since", ARG_DATE, 0, 0, 0, NULL }, END
};

/*
 * NEED_FIELDS(0) and OFFER_FIELDS(0) keep every value rule of a posting for
 * an update while making each field optional: an update names what changes.
 */
#define NEED_FIELDS(req) \
	TITLE(req), { "category", ARG_CATEGORY, req, 0, 0, NULL }, \
	{ "budget", ARG_AMOUNT, req, 1, 0, NULL }, DESCRIPTION, \
	{ "beneficiaries", ARG_INT, 0, 0, 100000000, NULL }, \
	{ "partners", ARG_CODES, 0, 0, 16, NULL }, \
	{ "window", ARG_WINDOW, 0, 0, 0, NULL }

const struct arg_spec ops_schema_need_post[] = {
	NEED_FIELDS(1), TEXT("ref", 0, 1, 128), CODE("community", 0), END
};

const struct arg_spec ops_schema_need_update[] = {
	ID("id"), NEED_FIELDS(0), END
};

const struct arg_spec ops_schema_id[] = { ID("id"), END };

const struct arg_spec ops_schema_need_list[] = {
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

const struct arg_spec ops_schema_offer_post[] = {
	OFFER_FIELDS(1), TEXT("ref", 0, 1, 128), CODE("org", 0), END
};

const struct arg_spec ops_schema_offer_update[] = {
	ID("id"), OFFER_FIELDS(0), END
};

const struct arg_spec ops_schema_offer_list[] = {
	CODE("org", 0), STREET(0),
	{ "category", ARG_CATEGORY_FILTER, 0, 0, 0, NULL },
	{ "status", ARG_ENUM, 0, 0, 0, offer_statuses },
	{ "in_library", ARG_BOOL, 0, 0, 0, NULL },
	LIMIT, AFTER, END
};

const struct arg_spec ops_schema_library_set[] = {
	ID("offer"), { "in_library", ARG_BOOL, 1, 0, 0, NULL }, END
};

static const char *const algorithms[] = { "optimal", "greedy", "stable",
    NULL };
static const char *const fair_statuses[] = { "open", "closed", NULL };
static const char *const rules[] = { "sub", "family", NULL };
static const char *const match_statuses[] = { "proposed",
    "accepted_by_community", "accepted_by_org", "confirmed", "declined",
    "superseded", "expired", NULL };
static const char *const unmatched_kinds[] = { "needs", "offers", NULL };

const struct arg_spec ops_schema_match_suggest[] = {
	{ "need", ARG_INT, 0, 1, ARG_ID_MAX, NULL },
	{ "offer", ARG_INT, 0, 1, ARG_ID_MAX, NULL },
	{ "limit", ARG_INT, 0, 1, 100, NULL },
	END
};

/* FAIR_HEAD(0) makes each optional for fair.update, which names what
 * changes (every fair.create argument but street). */
#define FAIR_HEAD(req) \
	TEXT("name", req, 1, 200), { "date", ARG_DATE, req, 0, 0, NULL }
#define FAIR_TAIL \
	{ "start", ARG_TIME, 0, 0, 0, NULL }, \
	{ "tables", ARG_INT, 0, 1, 1000, NULL }, \
	{ "slots", ARG_INT, 0, 1, 288, NULL }, \
	{ "slot_minutes", ARG_INT, 0, 1, 480, NULL }, \
	{ "rule", ARG_ENUM, 0, 0, 0, rules }, \
	{ "min_score", ARG_SCORE, 0, 0, 1000, NULL }

const struct arg_spec ops_schema_fair_create[] = {
	FAIR_HEAD(1), STREET(0), FAIR_TAIL, END
};

const struct arg_spec ops_schema_fair_update[] = {
	ID("id"), FAIR_HEAD(0), FAIR_TAIL, END
};

const struct arg_spec ops_schema_fair_list[] = {
	STREET(0), { "status", ARG_ENUM, 0, 0, 0, fair_statuses },
	LIMIT, AFTER, END
};

const struct arg_spec ops_schema_fair_enroll[] = {
	ID("fair"), { "needs", ARG_IDS, 0, 0, 100000, NULL },
	{ "offers", ARG_IDS, 0, 0, 100000, NULL },
	{ "all", ARG_BOOL, 0, 0, 0, NULL },
	END
};

#define RUN(req)	{ "run", ARG_INT, req, 1, 1000000, NULL }

const struct arg_spec ops_schema_fair_match[] = {
	ID("fair"), { "algorithm", ARG_ENUM, 0, 0, 0, algorithms },
	{ "publish", ARG_BOOL, 0, 0, 0, NULL }, END
};

const struct arg_spec ops_schema_fair_publish[] = {
	ID("fair"), RUN(1), END
};

const struct arg_spec ops_schema_fair_matches[] = {
	ID("fair"), RUN(0), LIMIT, AFTER, CODE("community", 0), CODE("org", 0),
	{ "status", ARG_ENUM, 0, 0, 0, match_statuses },
	{ "unmatched", ARG_ENUM, 0, 0, 0, unmatched_kinds }, END
};

static const char *const decisions[] = { "accept", "decline", NULL };

const struct arg_spec ops_schema_match_respond[] = {
	ID("match"), { "decision", ARG_ENUM, 1, 0, 0, decisions }, END
};

const struct arg_spec ops_schema_fair_only[] = { ID("fair"), END };

static const char *const interest_levels[] = { "must", "want", "no",
    "none", NULL };

const struct arg_spec ops_schema_fair_interest[] = {
	ID("fair"), { "need", ARG_INT, 0, 1, ARG_ID_MAX, NULL },
	{ "offer", ARG_INT, 0, 1, ARG_ID_MAX, NULL },
	{ "level", ARG_ENUM, 1, 0, 0, interest_levels }, END
};

const struct arg_spec ops_schema_fair_schedule[] = {
	ID("fair"), { "meetings_per_need", ARG_INT, 0, 1, 50, NULL },
	{ "booths", ARG_BOOL, 0, 0, 0, NULL },
	{ "max_per_org", ARG_INT, 0, 1, 288, NULL },
	{ "max_per_community", ARG_INT, 0, 1, 288, NULL }, END
};

static const char *const formats[] = { "csv", "xlsx", "html", NULL };
static const char *const langs[] = { "zh", "en", NULL };

const struct arg_spec ops_schema_fair_export[] = {
	ID("fair"), { "format", ARG_ENUM, 0, 0, 0, formats },
	CODE("community", 0), CODE("org", 0),
	{ "lang", ARG_ENUM, 0, 0, 0, langs }, END
};

const struct arg_spec ops_schema_stats_streets[] = {
	YEAR, { "month", ARG_INT, 0, 1, 12, NULL }, END
};

const struct arg_spec ops_schema_stats_categories[] = { YEAR, END };

const struct arg_spec ops_schema_stats_orgs[] = { YEAR, STREET(0), END };

const struct arg_spec ops_schema_risk_flags[] = {
	STREET(0), YEAR, { "resolved", ARG_BOOL, 0, 0, 0, NULL }, END
};

const struct arg_spec ops_schema_risk_resolve[] = {
	TEXT("key", 1, 1, 200), NOTE, END
};

static const char *const report_formats[] = { "json", "html", "xlsx",
    NULL };

const struct arg_spec ops_schema_report_monthly[] = {
	{ "year", ARG_INT, 1, 2000, 2200, NULL },
	{ "month", ARG_INT, 1, 1, 12, NULL },
	{ "format", ARG_ENUM, 0, 0, 0, report_formats }, END
};

const struct arg_spec ops_schema_code[] = { CODE("code", 1), END };

const struct arg_spec ops_schema_community_get[] = {
	CODE("code", 1), YEAR, END
};

const struct arg_spec ops_schema_community_list[] = {
	STREET(0), YEAR, LIMIT, CODE("after", 0), END
};

const struct arg_spec ops_schema_org_list[] = {
	STREET(0), { "kind", ARG_ENUM, 0, 0, 0, kinds }, LIMIT,
	CODE("after", 0), END
};

static const char *const hook_formats[] = { "json", "wecom", "dingtalk",
    NULL };

/* The kinds of events: protocol/event_kinds.h names them. */
#define KINDS	{ "kinds", ARG_ENUMS, 0, 0, EVENT_NKINDS, event_kind_names }

const struct arg_spec ops_schema_events_watch[] = { AFTER, KINDS, END };

const struct arg_spec ops_schema_webhook_create[] = {
	TEXT("url", 1, 1, 2048), KINDS, TEXT("secret", 0, 16, 256),
	{ "format", ARG_ENUM, 0, 0, 0, hook_formats }, END
};

/* Projects (docs/protocol.md, "Projects"). */
static const char *const stages[] = { "deliberation", "notice",
    "implementing", "completed", "accepted", "settled", "rejected",
    "cancelled", NULL };
static const char *const resolutions[] = { "upheld", "dismissed", NULL };

const struct arg_spec ops_schema_project_create[] = {
	ID("need"), ID("offer"), { "amount", ARG_AMOUNT, 0, 1, 0, NULL }, END
};

const struct arg_spec ops_schema_project_list[] = {
	STREET(0), CODE("community", 0), CODE("org", 0),
	{ "stage", ARG_ENUM, 0, 0, 0, stages }, YEAR, LIMIT, AFTER, END
};

const struct arg_spec ops_schema_project_deliberate[] = {
	ID("project"), { "date", ARG_DATE, 1, 0, 0, NULL },
	{ "members", ARG_INT, 1, 1, 100000, NULL }, COUNT("present"),
	COUNT("yes"), COUNT("no"), COUNT("abstain"),
	TEXT("minutes", 0, 0, 4000), END
};

const struct arg_spec ops_schema_project_object[] = {
	ID("project"), TEXT("text", 1, 1, 2000), END
};

const struct arg_spec ops_schema_objection_resolve[] = {
	ID("objection"), { "decision", ARG_ENUM, 1, 0, 0, resolutions }, NOTE,
	END
};

const struct arg_spec ops_schema_project_start[] = {
	ID("project"), { "date", ARG_DATE, 0, 0, 0, NULL }, END
};

const struct arg_spec ops_schema_project_progress[] = {
	ID("project"), { "percent", ARG_INT, 1, 0, 100, NULL }, NOTE,
	{ "date", ARG_DATE, 0, 0, 0, NULL }, END
};

const struct arg_spec ops_schema_project_complete[] = {
	ID("project"), { "beneficiaries_served", ARG_INT, 1, 0, 100000000,
	NULL }, NOTE, END
};

const struct arg_spec ops_schema_project_accept[] = {
	ID("project"), { "passed", ARG_BOOL, 1, 0, 0, NULL },
	{ "satisfaction", ARG_INT, 1, 0, 100, NULL }, NOTE, END
};

const struct arg_spec ops_schema_project_settle[] = {
	ID("project"), { "paid", ARG_AMOUNT, 1, 0, 0, NULL }, END
};

const struct arg_spec ops_schema_project_cancel[] = {
	ID("project"), TEXT("reason", 1, 1, 2000), END
};

const struct arg_spec *const ops_schema_all[] = {
	ops_schema_none, ops_schema_community_create, ops_schema_org_create,
	ops_schema_organizer_create, ops_schema_token_rotate, ops_schema_page,
	ops_schema_audit_list,
	ops_schema_need_post, ops_schema_need_update, ops_schema_id,
	ops_schema_need_list, ops_schema_offer_post, ops_schema_offer_update,
	ops_schema_offer_list, ops_schema_library_set,
	ops_schema_match_suggest, ops_schema_fair_create, ops_schema_fair_list,
	ops_schema_fair_enroll, ops_schema_fair_match, ops_schema_fair_matches,
	ops_schema_match_respond, ops_schema_fair_only,
	ops_schema_fair_schedule, ops_schema_fair_export,
	ops_schema_stats_streets, ops_schema_stats_categories,
	ops_schema_stats_orgs, ops_schema_risk_flags, ops_schema_code,
	ops_schema_community_list, ops_schema_org_list,
	ops_schema_events_watch, ops_schema_webhook_create,
	ops_schema_street_create, ops_schema_need_consent,
	ops_schema_offer_consent, ops_schema_fair_update,
	ops_schema_fair_publish, ops_schema_community_get,
	ops_schema_risk_resolve, ops_schema_report_monthly,
	ops_schema_project_create, ops_schema_project_list,
	ops_schema_project_deliberate, ops_schema_project_object,
	ops_schema_objection_resolve, ops_schema_project_start,
	ops_schema_project_progress, ops_schema_project_complete,
	ops_schema_project_accept, ops_schema_project_settle,
	ops_schema_project_cancel,
	ops_schema_fair_interest, NULL
};
