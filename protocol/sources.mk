# protocol/: framing, envelope, values, argument checks, HTTP requests, CSV and
# the encodings of its files, JSON printing, the kinds of events.
# Pure C: includes no daemon header, no libevent, no SQLite.
PROTOCOL_SRCS = \
	protocol/error.c \
	protocol/frame.c \
	protocol/json_scan.c \
	protocol/envelope.c \
	protocol/values.c \
	protocol/args.c \
	protocol/http_req.c \
	protocol/csv.c \
	protocol/charset.c \
	protocol/json_print.c \
	protocol/json_strings.c \
	protocol/event_kinds.c
