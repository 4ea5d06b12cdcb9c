/*
 * ops_schemas.h: the argument schema of every operation, each an array of
 * protocol/args.h specs ending with a spec whose name is NULL.  The op table
 * (ops.c) gives each operation one of them; dispatch checks a request's
 * arguments against it before the handler runs.  Pure data: the fuzzers of
 * tests/fuzz check their inputs against these very arrays.
 */
#ifndef DAEMON_OPS_SCHEMAS_H
#define DAEMON_OPS_SCHEMAS_H

#include "protocol/args.h"

extern const struct arg_spec	ops_schema_none[];
extern const struct arg_spec	ops_schema_community_create[];
extern const struct arg_spec	ops_schema_org_create[];
extern const struct arg_spec	ops_schema_organizer_create[];
extern const struct arg_spec	ops_schema_token_rotate[];
extern const struct arg_spec	ops_schema_page[];
extern const struct arg_spec	ops_schema_audit_list[];
extern const struct arg_spec	ops_schema_need_post[];
extern const struct arg_spec	ops_schema_need_update[];
extern const struct arg_spec	ops_schema_id[];
extern const struct arg_spec	ops_schema_need_list[];
extern const struct arg_spec	ops_schema_offer_post[];
extern const struct arg_spec	ops_schema_offer_update[];
extern const struct arg_spec	ops_schema_offer_list[];
extern const struct arg_spec	ops_schema_library_set[];
extern const struct arg_spec	ops_schema_match_suggest[];
extern const struct arg_spec	ops_schema_fair_create[];
extern const struct arg_spec	ops_schema_fair_list[];
extern const struct arg_spec	ops_schema_fair_enroll[];
extern const struct arg_spec	ops_schema_fair_match[];
extern const struct arg_spec	ops_schema_fair_matches[];
extern const struct arg_spec	ops_schema_match_respond[];
extern const struct arg_spec	ops_schema_fair_only[];
extern const struct arg_spec	ops_schema_fair_schedule[];
extern const struct arg_spec	ops_schema_fair_interest[];
extern const struct arg_spec	ops_schema_fair_export[];
extern const struct arg_spec	ops_schema_stats_streets[];
extern const struct arg_spec	ops_schema_stats_categories[];
extern const struct arg_spec	ops_schema_stats_orgs[];
extern const struct arg_spec	ops_schema_risk_flags[];
extern const struct arg_spec	ops_schema_code[];
extern const struct arg_spec	ops_schema_community_list[];
extern const struct arg_spec	ops_schema_org_list[];
extern const struct arg_spec	ops_schema_events_watch[];
extern const struct arg_spec	ops_schema_webhook_create[];
extern const struct arg_spec	ops_schema_street_create[];
extern const struct arg_spec	ops_schema_need_consent[];
extern const struct arg_spec	ops_schema_offer_consent[];
extern const struct arg_spec	ops_schema_fair_update[];
extern const struct arg_spec	ops_schema_fair_publish[];
extern const struct arg_spec	ops_schema_community_get[];
extern const struct arg_spec	ops_schema_risk_resolve[];
extern const struct arg_spec	ops_schema_report_monthly[];
extern const struct arg_spec	ops_schema_project_create[];
extern const struct arg_spec	ops_schema_project_list[];
extern const struct arg_spec	ops_schema_project_deliberate[];
extern const struct arg_spec	ops_schema_project_object[];
extern const struct arg_spec	ops_schema_objection_resolve[];
extern const struct arg_spec	ops_schema_project_start[];
extern const struct arg_spec	ops_schema_project_progress[];
extern const struct arg_spec	ops_schema_project_complete[];
extern const struct arg_spec	ops_schema_project_accept[];
extern const struct arg_spec	ops_schema_project_settle[];
extern const struct arg_spec	ops_schema_project_cancel[];

/* Every schema above, once, then NULL: for the fuzzers, which check each
 * input against all of them.  A new schema is added here too. */
extern const struct arg_spec *const ops_schema_all[];

#endif
