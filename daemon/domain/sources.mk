# daemon/domain/: the programme's rules and services over the store: tokens and principals, caps, the suggestion index, the matcher's input, exports. Uses: store, base, protocol, matcher.
DAEMON_DOMAIN_SRCS = \
	daemon/domain/auth.c \
	daemon/domain/caps.c \
	daemon/domain/export.c \
	daemon/domain/export_xlsx.c \
	daemon/domain/match_input.c \
	daemon/domain/need_cache.c \
	daemon/domain/suggest_index.c
