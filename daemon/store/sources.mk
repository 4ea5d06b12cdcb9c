# daemon/store/: SQLite: every SQL statement, the schema and its migrations. Uses: base, protocol.
DAEMON_STORE_SRCS = \
	daemon/store/store.c \
	daemon/store/store_backup.c \
	daemon/store/store_fairs.c \
	daemon/store/store_meetings.c \
	daemon/store/store_oversight.c \
	daemon/store/store_reader.c \
	daemon/store/store_runs.c \
	daemon/store/store_scan.c \
	daemon/store/store_schema.c
