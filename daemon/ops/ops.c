/*
 * ops.c: the one table of operations (docs/protocol.md, "Operations").
 */
#include <string.h>

#include "daemon/ops/ops.h"
#include "daemon/ops/ops_schemas.h"

#define OWNERS_NEED	(ROLE_ADMIN | ROLE_COMMUNITY)
#define OWNERS_OFFER	(ROLE_ADMIN | ROLE_ORG)

/*
 * One entry per operation: name, roles (0: no token needed), whether it
 * writes, argument schema (ops_schemas.c), handler, and for the shared
 * op_record_* handlers the record type they serve (NULL otherwise), and
 * where it runs (struct op's where, in ops.h):
 */
#define LOOP		0, NULL, NULL
#define READER		OP_READER, NULL, NULL
#define READER_IF(arg)	OP_READER, NULL, arg
#define READER_IF_OR_INDEX(arg) OP_READER | OP_INDEX, NULL, arg
#define SPLIT(compute)	OP_SPLIT, compute, NULL
#define SPLIT_IF(compute, arg) OP_SPLIT, compute, arg
#define NEW_ONLY	OP_NEW_ONLY, NULL, NULL

static const struct op op_table[] = {
	{ "ping", 0, 0, ops_schema_none, op_ping, NULL, LOOP },
	{ "whoami", ROLE_ANY, 0, ops_schema_none, op_whoami, NULL, LOOP },
	{ "community.create", ROLE_ADMIN, 1, ops_schema_community_create,
	    op_community_create, NULL, NEW_ONLY },
	{ "org.create", ROLE_ADMIN, 1, ops_schema_org_create, op_org_create,
	    NULL, NEW_ONLY },
	{ "organizer.create", ROLE_ADMIN, 1, ops_schema_organizer_create,
	    op_organizer_create, NULL, NEW_ONLY },
	{ "token.rotate", ROLE_ANY, 1, ops_schema_token_rotate, op_token_rotate,
	    NULL, NEW_ONLY },
	{ "street.create", ROLE_ADMIN, 1, ops_schema_street_create,
	    op_street_create, NULL, LOOP },
	{ "street.list", ROLE_ANY, 0, ops_schema_none, op_street_list, NULL,
	    LOOP },
	{ "community.get", ROLE_ANY, 0, ops_schema_community_get,
	    op_community_get, NULL, LOOP },
	{ "community.list", ROLE_ANY, 0, ops_schema_community_list,
	    op_community_list, NULL, LOOP },
	{ "org.get", ROLE_ANY, 0, ops_schema_code, op_org_get, NULL, LOOP },
	{ "org.list", ROLE_ANY, 0, ops_schema_org_list, op_org_list, NULL, LOOP
	    },
	{ "taxonomy.get", ROLE_ANY, 0, ops_schema_none, op_taxonomy_get, NULL,
	    LOOP },
	{ "need.post", OWNERS_NEED, 1, ops_schema_need_post, op_record_post,
	    &ops_need, NEW_ONLY },
	{ "need.get", ROLE_ANY, 0, ops_schema_id, op_record_get, &ops_need, LOOP
	    },
	{ "need.list", ROLE_ANY, 0, ops_schema_need_list, op_record_list,
	    &ops_need, READER },
	{ "need.update", OWNERS_NEED, 1, ops_schema_need_update,
	    op_record_update, &ops_need, LOOP },
	{ "need.withdraw", OWNERS_NEED, 1, ops_schema_id, op_record_withdraw,
	    &ops_need, LOOP },
	{ "need.consent", ROLE_COMMUNITY, 1, ops_schema_need_consent,
	    op_need_consent, NULL, LOOP },
	{ "offer.post", OWNERS_OFFER, 1, ops_schema_offer_post, op_record_post,
	    &ops_offer, NEW_ONLY },
	{ "offer.get", ROLE_ANY, 0, ops_schema_id, op_record_get, &ops_offer,
	    LOOP },
	{ "offer.list", ROLE_ANY, 0, ops_schema_offer_list, op_record_list,
	    &ops_offer, READER },
	{ "offer.update", OWNERS_OFFER, 1, ops_schema_offer_update,
	    op_record_update, &ops_offer, LOOP },
	{ "offer.withdraw", OWNERS_OFFER, 1, ops_schema_id, op_record_withdraw,
	    &ops_offer, LOOP },
	{ "offer.consent", ROLE_ORG, 1, ops_schema_offer_consent,
	    op_offer_consent, NULL, LOOP },
	{ "library.set", ROLE_ADMIN, 1, ops_schema_library_set, op_library_set,
	    NULL, LOOP },
	{ "audit.list", ROLE_ADMIN, 0, ops_schema_audit_list, op_audit_list,
	    NULL, READER },
	{ "match.suggest", ROLE_ANY, 0, ops_schema_match_suggest,
	    op_match_suggest, NULL, READER_IF_OR_INDEX("offer") },
	{ "fair.create", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_create,
	    op_fair_create, NULL, NEW_ONLY },
	{ "fair.update", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_update,
	    op_fair_update, NULL, LOOP },
	{ "fair.get", ROLE_ANY, 0, ops_schema_id, op_fair_get, NULL, LOOP },
	{ "fair.list", ROLE_ANY, 0, ops_schema_fair_list, op_fair_list, NULL,
	    LOOP },
	{ "fair.enroll", ROLE_ANY, 1, ops_schema_fair_enroll, op_fair_enroll,
	    NULL, SPLIT_IF(op_fair_enroll_compute, "all") },
	{ "fair.interest", ROLE_COMMUNITY | ROLE_ORG, 1,
	    ops_schema_fair_interest, op_fair_interest, NULL, LOOP },
	{ "fair.interests", ROLE_ANY, 0, ops_schema_fair_only,
	    op_fair_interests, NULL, LOOP },
	{ "fair.match", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_match,
	    op_fair_match, NULL, SPLIT(op_fair_match_compute) },
	{ "fair.publish", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_fair_publish, op_fair_publish, NULL, LOOP },
	{ "fair.matches", ROLE_ANY, 0, ops_schema_fair_matches, op_fair_matches,
	    NULL, READER },
	{ "match.respond", ROLE_COMMUNITY | ROLE_ORG, 1,
	    ops_schema_match_respond, op_match_respond, NULL, LOOP },
	{ "fair.schedule", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_fair_schedule, op_fair_schedule, NULL,
	    SPLIT(op_fair_schedule_compute) },
	{ "fair.meetings", ROLE_ANY, 0, ops_schema_fair_only, op_fair_meetings,
	    NULL, READER },
	{ "fair.export", ROLE_ANY, 0, ops_schema_fair_export, op_fair_export,
	    NULL, READER },
	{ "stats.streets", ROLE_ADMIN | ROLE_ORGANIZER, 0,
	    ops_schema_stats_streets, op_stats_streets, NULL, READER },
	{ "stats.categories", ROLE_ADMIN | ROLE_ORGANIZER, 0,
	    ops_schema_stats_categories, op_stats_categories, NULL, READER },
	{ "stats.orgs", ROLE_ADMIN | ROLE_ORGANIZER, 0, ops_schema_stats_orgs,
	    op_stats_orgs, NULL, READER },
	{ "risk.flags", ROLE_ADMIN | ROLE_ORGANIZER, 0, ops_schema_risk_flags,
	    op_risk_flags, NULL, READER },
	{ "fair.close", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_only,
	    op_fair_close, NULL, LOOP },
	{ "events.watch", ROLE_ANY, 0, ops_schema_events_watch, op_events_watch,
	    NULL, LOOP },
	{ "webhook.create", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_webhook_create, op_webhook_create, NULL, LOOP },
	{ "webhook.list", ROLE_ADMIN | ROLE_ORGANIZER, 0, ops_schema_none,
	    op_webhook_list, NULL, LOOP },
	{ "webhook.delete", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_id,
	    op_webhook_delete, NULL, LOOP },
	{ "project.create", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_project_create, op_project_create, NULL, LOOP },
	{ "project.get", ROLE_ANY, 0, ops_schema_id, op_project_get, NULL, LOOP
	    },
	{ "project.list", ROLE_ANY, 0, ops_schema_project_list, op_project_list,
	    NULL, READER },
	{ "project.deliberate", ROLE_COMMUNITY, 1,
	    ops_schema_project_deliberate, op_project_deliberate, NULL, LOOP },
	{ "project.object", ROLE_ANY, 1, ops_schema_project_object,
	    op_project_object, NULL, LOOP },
	{ "objection.resolve", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_objection_resolve, op_objection_resolve, NULL, LOOP },
	{ "project.start", ROLE_ORG, 1, ops_schema_project_start,
	    op_project_start, NULL, LOOP },
	{ "project.progress", ROLE_ORG, 1, ops_schema_project_progress,
	    op_project_progress, NULL, LOOP },
	{ "project.complete", ROLE_ORG, 1, ops_schema_project_complete,
	    op_project_complete, NULL, LOOP },
	{ "project.accept", ROLE_COMMUNITY, 1, ops_schema_project_accept,
	    op_project_accept, NULL, LOOP },
	{ "project.settle", ROLE_ADMIN, 1, ops_schema_project_settle,
	    op_project_settle, NULL, LOOP },
	{ "project.cancel", ROLE_ADMIN, 1, ops_schema_project_cancel,
	    op_project_cancel, NULL, LOOP },
	{ "report.monthly", ROLE_ADMIN | ROLE_ORGANIZER, 0,
	    ops_schema_report_monthly, op_report_monthly, NULL, READER },
	{ "risk.resolve", ROLE_ADMIN, 1, ops_schema_risk_resolve,
	    op_risk_resolve, NULL, LOOP },
};

const struct op *
ops_find(const char *name)
{
	size_t i;

	/* Every request looks its op up, twice: the first letter first. */
	for (i = 0; i < sizeof(op_table) / sizeof(op_table[0]); i++)
		if (op_table[i].name[0] == name[0] &&
		    strcmp(op_table[i].name, name) == 0)
			return &op_table[i];
	return NULL;
}

size_t
ops_count(void)
{
	return sizeof(op_table) / sizeof(op_table[0]);
}

const struct op *
ops_at(size_t i)
{
	return i < ops_count() ? &op_table[i] : NULL;
}

size_t
ops_index(const struct op *op)
{
	return (size_t)(op - op_table);
}

/* A watch streams on its connection: HTTP has GET /v1/events instead. */
int
ops_native_only(const struct op *op)
{
	return strcmp(op->name, "events.watch") == 0;
}
