# daemon/ops/: the operation table and its handlers. Uses: domain, store, base, protocol, matcher.
DAEMON_OPS_SRCS = \
	daemon/ops/offer_area.c \
	daemon/ops/ops.c \
	daemon/ops/ops_accounts.c \
	daemon/ops/ops_directory.c \
	daemon/ops/ops_events.c \
	daemon/ops/ops_export.c \
	daemon/ops/ops_fairs.c \
	daemon/ops/ops_interests.c \
	daemon/ops/ops_match.c \
	daemon/ops/ops_matches.c \
	daemon/ops/ops_needs.c \
	daemon/ops/ops_offers.c \
	daemon/ops/ops_openapi.c \
	daemon/ops/ops_project_admin.c \
	daemon/ops/ops_project_steps.c \
	daemon/ops/ops_projects.c \
	daemon/ops/ops_public.c \
	daemon/ops/ops_record.c \
	daemon/ops/ops_report.c \
	daemon/ops/ops_respond.c \
	daemon/ops/ops_risk.c \
	daemon/ops/ops_risk_dup.c \
	daemon/ops/ops_risk_projects.c \
	daemon/ops/ops_schedule.c \
	daemon/ops/ops_schemas.c \
	daemon/ops/ops_stats.c \
	daemon/ops/ops_streets.c \
	daemon/ops/ops_suggest.c \
	daemon/ops/ops_util.c \
	daemon/ops/oversight.c \
	daemon/ops/oversight_cache.c \
	daemon/ops/oversight_projects.c
