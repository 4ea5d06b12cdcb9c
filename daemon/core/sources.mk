# daemon/core/: the request pipeline without sockets: dispatch (the one refusal point), group commit and the WAL's sync thread, rate limits. Uses: ops, domain, store, base, protocol.
DAEMON_CORE_SRCS = \
	daemon/core/dispatch.c \
	daemon/core/feed.c \
	daemon/core/feed_read.c \
	daemon/core/jobs.c \
	daemon/core/metrics.c \
	daemon/core/ratelimit.c \
	daemon/core/readers.c \
	daemon/core/risk_watch.c \
	daemon/core/syncer.c \
	daemon/core/txn.c
