# daemon/demo/: the demo district, seeded through operations like any client; demo_run.c runs the seeder inside the daemon. Uses: core, domain, store, base, protocol (demo_run.c only: the seeder itself uses nothing of the daemon).
DAEMON_DEMO_SRCS = \
	daemon/demo/demo.c \
	daemon/demo/demo_plan.c \
	daemon/demo/demo_plan_needs.c \
	daemon/demo/demo_projects.c \
	daemon/demo/demo_run.c \
	daemon/demo/demo_send.c \
	daemon/demo/demo_story.c \
	daemon/demo/demo_text.c
