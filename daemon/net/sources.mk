# daemon/net/: listeners and connections (libevent), the HTTP transport, the embedded page. Uses: core, base, protocol.
DAEMON_NET_SRCS = \
	daemon/net/conn.c \
	daemon/net/conn_http.c \
	daemon/net/conn_native.c \
	daemon/net/http_metrics.c \
	daemon/net/listener.c \
	daemon/net/outbox.c \
	daemon/net/peers.c \
	daemon/net/watch.c \
	daemon/net/web.c
