# daemon/demo/: the demo district, seeded through operations like any client. Uses: nothing of the daemon.
DAEMON_DEMO_SRCS = \
	daemon/demo/demo.c \
	daemon/demo/demo_text.c
