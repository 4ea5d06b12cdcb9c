# daemon/store/: SQLite: every SQL statement, the schema and its migrations. Uses: base, protocol.
DAEMON_STORE_SRCS = \
	daemon/store/store.c \
	daemon/store/store_accounts.c \
	daemon/store/store_audit.c \
	daemon/store/store_backup.c \
	daemon/store/store_events.c \
	daemon/store/store_fairs.c \
	daemon/store/store_hooks.c \
	daemon/store/store_interests.c \
	daemon/store/store_matches.c \
	daemon/store/store_meetings.c \
	daemon/store/store_needs.c \
	daemon/store/store_offers.c \
	daemon/store/store_oversight.c \
	daemon/store/store_projects.c \
	daemon/store/store_projects_read.c \
	daemon/store/store_reader.c \
	daemon/store/store_record.c \
	daemon/store/store_record_sql.c \
	daemon/store/store_scan.c \
	daemon/store/store_schema.c \
	daemon/store/store_streets.c
