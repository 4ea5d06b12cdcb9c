# daemon/base/: the daemon's foundation: the clock and calendar, logging, configuration, string interning, the database's lock file, the allocator. Uses: protocol.
DAEMON_BASE_SRCS = \
	daemon/base/clock.c \
	daemon/base/config.c \
	daemon/base/heap.c \
	daemon/base/intern.c \
	daemon/base/lockfile.c \
	daemon/base/log.c \
	daemon/base/notify.c
