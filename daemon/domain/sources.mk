# daemon/domain/: the programme's rules and services over the store: tokens and principals, caps, the suggestion index, the matcher's input, exports, the project lifecycle's rules and the bureau's documents. Uses: store, base, protocol, matcher.
DAEMON_DOMAIN_SRCS = \
	daemon/domain/auth.c \
	daemon/domain/caps.c \
	daemon/domain/export.c \
	daemon/domain/export_xlsx.c \
	daemon/domain/match_input.c \
	daemon/domain/programme.c \
	daemon/domain/report_html.c \
	daemon/domain/report_xlsx.c \
	daemon/domain/suggest_index.c
