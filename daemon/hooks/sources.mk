# daemon/hooks/: webhook delivery on a worker thread of its own (libcurl), reading committed events through its own connection. Uses: domain, store, base, protocol.
DAEMON_HOOKS_SRCS = \
	daemon/hooks/hooks.c \
	daemon/hooks/hooks_send.c
