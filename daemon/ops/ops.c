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
 * op_record_* handlers the record type they serve (NULL otherwise).
 */
static const struct op op_table[] = {
	{ "ping", 0, 0, ops_schema_none, op_ping, NULL },
	{ "whoami", ROLE_ANY, 0, ops_schema_none, op_whoami, NULL },
	{ "community.create", ROLE_ADMIN, 1, ops_schema_community_create,
	    op_community_create, NULL },
	{ "org.create", ROLE_ADMIN, 1, ops_schema_org_create, op_org_create, NULL },
	{ "organizer.create", ROLE_ADMIN, 1, ops_schema_organizer_create,
	    op_organizer_create, NULL },
	{ "token.rotate", ROLE_ANY, 1, ops_schema_token_rotate, op_token_rotate,
	    NULL },
	{ "street.create", ROLE_ADMIN, 1, ops_schema_street_create,
	    op_street_create, NULL },
	{ "street.list", ROLE_ANY, 0, ops_schema_none, op_street_list, NULL },
	{ "community.get", ROLE_ANY, 0, ops_schema_community_get,
	    op_community_get, NULL },
	{ "community.list", ROLE_ANY, 0, ops_schema_community_list, op_community_list,
	    NULL },
	{ "org.get", ROLE_ANY, 0, ops_schema_code, op_org_get, NULL },
	{ "org.list", ROLE_ANY, 0, ops_schema_org_list, op_org_list, NULL },
	{ "taxonomy.get", ROLE_ANY, 0, ops_schema_none, op_taxonomy_get, NULL },
	{ "need.post", OWNERS_NEED, 1, ops_schema_need_post, op_record_post,
	    &ops_need },
	{ "need.get", ROLE_ANY, 0, ops_schema_id, op_record_get, &ops_need },
	{ "need.list", ROLE_ANY, 0, ops_schema_need_list, op_record_list, &ops_need },
	{ "need.update", OWNERS_NEED, 1, ops_schema_need_update, op_record_update,
	    &ops_need },
	{ "need.withdraw", OWNERS_NEED, 1, ops_schema_id, op_record_withdraw,
	    &ops_need },
	{ "need.consent", ROLE_COMMUNITY, 1, ops_schema_need_consent,
	    op_need_consent, NULL },
	{ "offer.post", OWNERS_OFFER, 1, ops_schema_offer_post, op_record_post,
	    &ops_offer },
	{ "offer.get", ROLE_ANY, 0, ops_schema_id, op_record_get, &ops_offer },
	{ "offer.list", ROLE_ANY, 0, ops_schema_offer_list, op_record_list,
	    &ops_offer },
	{ "offer.update", OWNERS_OFFER, 1, ops_schema_offer_update, op_record_update,
	    &ops_offer },
	{ "offer.withdraw", OWNERS_OFFER, 1, ops_schema_id, op_record_withdraw,
	    &ops_offer },
	{ "offer.consent", ROLE_ORG, 1, ops_schema_offer_consent,
	    op_offer_consent, NULL },
	{ "library.set", ROLE_ADMIN, 1, ops_schema_library_set, op_library_set,
	    NULL },
	{ "audit.list", ROLE_ADMIN, 0, ops_schema_audit_list, op_audit_list,
	    NULL },
	{ "match.suggest", ROLE_ANY, 0, ops_schema_match_suggest, op_match_suggest,
	    NULL },
	{ "fair.create", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_create,
	    op_fair_create, NULL },
	{ "fair.update", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_update,
	    op_fair_update, NULL },
	{ "fair.get", ROLE_ANY, 0, ops_schema_id, op_fair_get, NULL },
	{ "fair.list", ROLE_ANY, 0, ops_schema_fair_list, op_fair_list, NULL },
	{ "fair.enroll", ROLE_ANY, 1, ops_schema_fair_enroll, op_fair_enroll, NULL },
	{ "fair.interest", ROLE_COMMUNITY | ROLE_ORG, 1,
	    ops_schema_fair_interest, op_fair_interest, NULL },
	{ "fair.interests", ROLE_ANY, 0, ops_schema_fair_only,
	    op_fair_interests, NULL },
	{ "fair.match", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_match,
	    op_fair_match, NULL },
	{ "fair.publish", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_publish,
	    op_fair_publish, NULL },
	{ "fair.matches", ROLE_ANY, 0, ops_schema_fair_matches, op_fair_matches,
	    NULL },
	{ "match.respond", ROLE_COMMUNITY | ROLE_ORG, 1, ops_schema_match_respond,
	    op_match_respond, NULL },
	{ "fair.schedule", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_schedule,
	    op_fair_schedule, NULL },
	{ "fair.meetings", ROLE_ANY, 0, ops_schema_fair_only, op_fair_meetings,
	    NULL },
	{ "fair.export", ROLE_ANY, 0, ops_schema_fair_export, op_fair_export, NULL },
	{ "stats.streets", ROLE_ADMIN | ROLE_ORGANIZER, 0, ops_schema_stats_streets,
	    op_stats_streets, NULL },
	{ "stats.categories", ROLE_ADMIN | ROLE_ORGANIZER, 0,
	    ops_schema_stats_categories, op_stats_categories, NULL },
	{ "stats.orgs", ROLE_ADMIN | ROLE_ORGANIZER, 0, ops_schema_stats_orgs,
	    op_stats_orgs, NULL },
	{ "risk.flags", ROLE_ADMIN | ROLE_ORGANIZER, 0, ops_schema_risk_flags,
	    op_risk_flags, NULL },
	{ "fair.close", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_fair_only,
	    op_fair_close, NULL },
	{ "events.watch", ROLE_ANY, 0, ops_schema_events_watch,
	    op_events_watch, NULL },
	{ "webhook.create", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_webhook_create, op_webhook_create, NULL },
	{ "webhook.list", ROLE_ADMIN | ROLE_ORGANIZER, 0, ops_schema_none,
	    op_webhook_list, NULL },
	{ "webhook.delete", ROLE_ADMIN | ROLE_ORGANIZER, 1, ops_schema_id,
	    op_webhook_delete, NULL },
	{ "project.create", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_project_create, op_project_create, NULL },
	{ "project.get", ROLE_ANY, 0, ops_schema_id, op_project_get, NULL },
	{ "project.list", ROLE_ANY, 0, ops_schema_project_list, op_project_list,
	    NULL },
	{ "project.deliberate", ROLE_COMMUNITY, 1, ops_schema_project_deliberate,
	    op_project_deliberate, NULL },
	{ "project.object", ROLE_ANY, 1, ops_schema_project_object,
	    op_project_object, NULL },
	{ "objection.resolve", ROLE_ADMIN | ROLE_ORGANIZER, 1,
	    ops_schema_objection_resolve, op_objection_resolve, NULL },
	{ "project.start", ROLE_ORG, 1, ops_schema_project_start,
	    op_project_start, NULL },
	{ "project.progress", ROLE_ORG, 1, ops_schema_project_progress,
	    op_project_progress, NULL },
	{ "project.complete", ROLE_ORG, 1, ops_schema_project_complete,
	    op_project_complete, NULL },
	{ "project.accept", ROLE_COMMUNITY, 1, ops_schema_project_accept,
	    op_project_accept, NULL },
	{ "project.settle", ROLE_ADMIN, 1, ops_schema_project_settle,
	    op_project_settle, NULL },
	{ "project.cancel", ROLE_ADMIN, 1, ops_schema_project_cancel,
	    op_project_cancel, NULL },
	{ "report.monthly", ROLE_ADMIN | ROLE_ORGANIZER, 0,
	    ops_schema_report_monthly, op_report_monthly, NULL },
	{ "risk.resolve", ROLE_ADMIN, 1, ops_schema_risk_resolve,
	    op_risk_resolve, NULL },
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
