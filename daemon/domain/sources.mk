# daemon/domain/: the programme's rules and services over the store: tokens and principals, caps, the suggestion index, the matcher's input, exports and the names of categories and statuses, the project lifecycle's rules and the bureau's reports, events and webhooks. Uses: store, base, protocol, matcher.
DAEMON_DOMAIN_SRCS = \
	daemon/domain/auth.c \
	daemon/domain/caps.c \
	daemon/domain/events.c \
	daemon/domain/events_emit.c \
	daemon/domain/export.c \
	daemon/domain/export_xlsx.c \
	daemon/domain/match_input.c \
	daemon/domain/match_interests.c \
	daemon/domain/names.c \
	daemon/domain/need_cache.c \
	daemon/domain/programme.c \
	daemon/domain/report_html.c \
	daemon/domain/report_xlsx.c \
	daemon/domain/suggest_index.c \
	daemon/domain/webhook.c
