/*
 * matchctl: the command-line client.
 *
 *	matchctl [-H host:port | -S unix-socket] [-t token] OP [key=value ...]
 *	matchctl [-H ...] [-t ...] call OP '{"json":"args"}'
 *
 * It sends one request over the native transport, prints the result as
 * indented JSON and exits 0; on an error it prints "error CODE: message" on
 * stderr and exits 1; it exits 2 when it cannot reach the daemon.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define DEFAULT_HOST	"127.0.0.1:7700"
#define TIMEOUT_SECS	120

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: matchctl [-H host:port | -S unix-socket] [-t token] OP "
	    "[key=value ...]\n"
	    "       matchctl [-H ...] [-t ...] call OP '{\"json\":\"args\"}'\n"
	    "The token may also come from MATCHD_TOKEN.\n");
	exit(1);
}

/* Connect to host:port (TCP) or path (Unix).  -1 when it cannot. */
static int
ctl_connect(const char *host, const char *path)
{
	struct addrinfo		 hints, *res, *ai;
	struct sockaddr_un	 sun;
	struct timeval		 tv = { TIMEOUT_SECS, 0 };
	char			 h[256], *colon;
	int			 fd = -1;

	if (path != NULL) {
		if (strlen(path) >= sizeof(sun.sun_path) ||
		    (fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return -1;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		strcpy(sun.sun_path, path);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
			close(fd);
			return -1;
		}
	} else {
		snprintf(h, sizeof(h), "%s", host);
		if ((colon = strrchr(h, ':')) == NULL)
			return -1;
		*colon = '\0';
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(h, colon + 1, &hints, &res) != 0)
			return -1;
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			fd = socket(ai->ai_family, ai->ai_socktype,
			    ai->ai_protocol);
			if (fd == -1)
				continue;
			if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
				break;
			close(fd);
			fd = -1;
		}
		freeaddrinfo(res);
	}
	if (fd != -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* key=value: the value as JSON where it parses, else as a string. */
static int
add_kv(cJSON *args, const char *kv)
{
	const char	*eq = strchr(kv, '=');
	char		 key[128];
	cJSON		*v;

	if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return -1;
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	/* The whole value must be JSON: "2026-12-05" is a string. */
	if ((v = cJSON_ParseWithOpts(eq + 1, NULL, 1)) == NULL)
		v = cJSON_CreateString(eq + 1);
	if (cJSON_GetObjectItemCaseSensitive(args, key) != NULL)
		return -1;
	cJSON_AddItemToObject(args, key, v);
	return 0;
}

/* Read one line from fd into a malloc'd buffer; NULL on EOF or error. */
static char *
read_line(int fd)
{
	char	*buf = NULL, *nb;
	size_t	 len = 0, cap = 0;
	ssize_t	 n;

	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf + len - n, '\n', (size_t)n) != NULL)
			return buf;
	}
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Print cJSON's formatted text with two spaces for each tab: cJSON writes
 * tabs only as indentation and after a colon (a tab inside a string is
 * escaped as \t), so every raw tab is layout.
 */
static void
print_indented(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s != '\t')
			putchar(*s);
		else if (s[-1] == ':')
			putchar(' ');
		else
			fputs("  ", stdout);
	}
	putchar('\n');
}

int
main(int argc, char **argv)
{
	const char	*host = DEFAULT_HOST, *path = NULL, *op;
	const char	*token = getenv("MATCHD_TOKEN");
	cJSON		*req, *args, *resp, *err, *res;
	char		*line, *out, *answer;
	int		 ch, fd, i, rc;

	while ((ch = getopt(argc, argv, "H:S:t:h")) != -1) {
		switch (ch) {
		case 'H': host = optarg; break;
		case 'S': path = optarg; break;
		case 't': token = optarg; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	op = argv[0];
	if (strcmp(op, "call") == 0) {
		if (argc < 2 || argc > 3)
			usage();
		op = argv[1];
		args = argc == 3 ? cJSON_Parse(argv[2]) : cJSON_CreateObject();
		if (args == NULL || !cJSON_IsObject(args)) {
			fprintf(stderr, "matchctl: the args must be a JSON "
			    "object\n");
			return 1;
		}
	} else {
		args = cJSON_CreateObject();
		for (i = 1; i < argc; i++)
			if (add_kv(args, argv[i]) == -1) {
				fprintf(stderr, "matchctl: \"%s\": write "
				    "key=value, each key once\n", argv[i]);
				return 1;
			}
	}
	req = cJSON_CreateObject();
	cJSON_AddNumberToObject(req, "id", 1);
	cJSON_AddStringToObject(req, "op", op);
	if (token != NULL && token[0] != '\0')
		cJSON_AddStringToObject(req, "token", token);
	cJSON_AddItemToObject(req, "args", args);
	line = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);

	if ((fd = ctl_connect(host, path)) == -1) {
		fprintf(stderr, "matchctl: cannot connect to %s: %s\n",
		    path ? path : host, strerror(errno));
		return 2;
	}
	if (write_all(fd, line, strlen(line)) == -1 ||
	    write_all(fd, "\n", 1) == -1 || (answer = read_line(fd)) == NULL) {
		fprintf(stderr, "matchctl: the daemon closed the connection: "
		    "%s\n", strerror(errno));
		return 2;
	}
	free(line);
	close(fd);
	if ((resp = cJSON_Parse(answer)) == NULL) {
		fprintf(stderr, "matchctl: unreadable answer: %s", answer);
		return 1;
	}
	free(answer);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(resp, "ok"))) {
		res = cJSON_GetObjectItemCaseSensitive(resp, "result");
		out = cJSON_Print(res);
		print_indented(out);
		free(out);
		rc = 0;
	} else {
		err = cJSON_GetObjectItemCaseSensitive(resp, "error");
		fprintf(stderr, "error %s: %s\n",
		    cJSON_GetStringValue(cJSON_GetObjectItem(err, "code")),
		    cJSON_GetStringValue(cJSON_GetObjectItem(err, "message")));
		rc = 1;
	}
	cJSON_Delete(resp);
	return rc;
}
