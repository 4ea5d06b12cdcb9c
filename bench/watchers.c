/*
 * watchers.c: event watchers for `make bench` (the events case).
 *
 * usage: watchers -t TOKENS [-n N] [-d SECONDS] [-i MS] HOST:PORT
 *
 * Opens N native connections (default 1000), each watching events
 * (events.watch) with the token of its line of TOKENS (line i mod lines),
 * and reads everything they are sent, for SECONDS (default 10).  One more
 * connection, the probe, posts a need (need.post) every MS milliseconds
 * (default 20) with the token of the last line, whose community's watcher
 * (the connection with that token) receives its need.posted event.  For
 * each probe it takes three times: the request written, its answer read,
 * its event read.  The answer and the event leave the daemon after the
 * same commit, the event first (the turn's events are written before its
 * answers are released): so the event never comes after the answer, and
 * event minus request bounds the time from the commit to the watcher from
 * above (request, the wait for its turn, group commit with its fsync,
 * delivery).  A client cannot see the commit itself: the daemon's
 * histogram, matchd_event_delivery_seconds, measures from there.
 *
 * Prints one line: watchers (connected and watching), events (read by all
 * watchers), probes, seen (probes whose event came), dropped (watchers
 * closed), late (probes whose event came after their answer: 0 when the
 * daemon keeps its order), lead_p50_ms (answer minus event, for those
 * before), e2e_p50_ms, e2e_p99_ms (event minus request).  Exits 1 when a
 * watch was refused or a probe went unanswered.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROBES_MAX	100000

struct wconn {
	int	 fd;
	int	 probe;		/* the posting connection */
	int	 target;	/* the watcher of the probe's community */
	char	*in;
	size_t	 inlen, incap;
};

static struct {
	uint64_t	 sent, answer, event;
} probes[PROBES_MAX];
static int		 nprobes, answered, watching, refused, dropped;
static uint64_t		 events;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL) {
		perror("watchers: realloc");
		exit(2);
	}
	return p;
}

static int
dial(const char *host, int port)
{
	struct sockaddr_in	sa;
	int			fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, host, &sa.sin_addr);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		perror("watchers: connect");
		exit(2);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void
send_line(int fd, const char *line)
{
	size_t	n = strlen(line), off = 0;
	ssize_t	w;

	while (off < n) {
		if ((w = write(fd, line + off, n - off)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			perror("watchers: write");
			exit(2);
		}
		off += (size_t)w;
	}
}

/* A number after key in line, or -1. */
static long long
num_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

static void
on_line(struct wconn *c, char *line)
{
	uint64_t	t = now_ns();
	int		i;

	if (c->probe) {
		/* Answers come in request order. */
		if (answered < nprobes)
			probes[answered++].answer = t;
		return;
	}
	if (strstr(line, "\"watching\":true") != NULL) {
		watching++;
		return;
	}
	if (strncmp(line, "{\"event\":", 9) != 0) {
		if (strstr(line, "\"ok\":false") != NULL) {
			if (strstr(line, "\"after\"") != NULL)
				dropped++;
			else
				refused++;
		}
		return;
	}
	events++;
	if (!c->target)
		return;
	/* The probe's title, 探针<n>, is in the event's summary. */
	if ((i = (int)num_after(line, "探针")) >= 0 && i < nprobes)
		probes[i].event = t;
}

/* Read what c has; handle each whole line. */
static int
on_read(struct wconn *c)
{
	char	*nl, *p;
	ssize_t	 n;

	for (;;) {
		if (c->incap - c->inlen < 65536) {
			c->incap = c->incap * 2 + 65536;
			c->in = xrealloc(c->in, c->incap);
		}
		if ((n = read(c->fd, c->in + c->inlen, c->incap - c->inlen)) <= 0)
			return n == 0 ? -1 : (errno == EAGAIN ? 0 : -1);
		c->inlen += (size_t)n;
		p = c->in;
		while ((nl = memchr(p, '\n', c->inlen - (size_t)(p - c->in))) !=
		    NULL) {
			*nl = '\0';
			on_line(c, p);
			p = nl + 1;
		}
		c->inlen -= (size_t)(p - c->in);
		memmove(c->in, p, c->inlen);
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
pct(uint64_t *v, int n, double p)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return (double)v[(int)(p * (n - 1))] / 1e6;
}

static char **
read_tokens(const char *path, size_t *n)
{
	FILE	*fp = fopen(path, "r");
	char	 line[256], **t = NULL;

	*n = 0;
	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		t = xrealloc(t, (*n + 1) * sizeof(*t));
		t[(*n)++] = strdup(line);
	}
	fclose(fp);
	return t;
}

int
main(int argc, char **argv)
{
	struct epoll_event	 ev, evs[256];
	struct wconn		*cs, *probe;
	char			 host[64], line[1024], **tok = NULL, *colon;
	size_t			 ntok = 0;
	uint64_t		 start, end, next, *a, *b;
	int			 n = 1000, ms = 20, ch, ep, i, k, port, na = 0;
	int			 nb = 0, late = 0;
	double			 secs = 10;

	while ((ch = getopt(argc, argv, "t:n:d:i:")) != -1) {
		switch (ch) {
		case 't': tok = read_tokens(optarg, &ntok); break;
		case 'n': n = atoi(optarg); break;
		case 'd': secs = atof(optarg); break;
		case 'i': ms = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || ntok == 0 || n < 1 ||
	    (colon = strrchr(argv[optind], ':')) == NULL)
		goto usage;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - argv[optind]),
	    argv[optind]);
	port = atoi(colon + 1);
	ep = epoll_create1(0);
	cs = calloc((size_t)n + 1, sizeof(*cs));
	for (i = 0; i <= n; i++) {
		cs[i].fd = dial(host, port);
		if (i == n) {
			cs[i].probe = 1;
		} else {
			cs[i].target = strcmp(tok[i % ntok], tok[ntok - 1]) == 0;
			snprintf(line, sizeof(line), "{\"op\":\"events.watch\","
			    "\"token\":\"%s\"}\n", tok[i % ntok]);
			send_line(cs[i].fd, line);
		}
		fcntl(cs[i].fd, F_SETFL, O_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.ptr = &cs[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
	}
	probe = &cs[n];
	start = now_ns();
	end = start + (uint64_t)(secs * 1e9);
	next = start + 500000000ull;	/* the watches begin first */
	while (now_ns() < end + 500000000ull) {
		uint64_t t = now_ns();

		if (t >= next && t < end && nprobes < PROBES_MAX) {
			snprintf(line, sizeof(line), "{\"op\":\"need.post\","
			    "\"token\":\"%s\",\"args\":{\"title\":\"探针%d\","
			    "\"category\":\"service.elderly\",\"budget\":100}}\n",
			    tok[ntok - 1], nprobes);
			probes[nprobes].sent = now_ns();
			nprobes++;
			send_line(probe->fd, line);
			next = t + (uint64_t)ms * 1000000ull;
		}
		k = epoll_wait(ep, evs, 256, 1);
		for (i = 0; i < k; i++)
			if (on_read(evs[i].data.ptr) == -1) {
				epoll_ctl(ep, EPOLL_CTL_DEL,
				    ((struct wconn *)evs[i].data.ptr)->fd, NULL);
				close(((struct wconn *)evs[i].data.ptr)->fd);
			}
	}
	a = calloc((size_t)nprobes + 1, sizeof(*a));
	b = calloc((size_t)nprobes + 1, sizeof(*b));
	for (i = 0; i < nprobes; i++)
		if (probes[i].event && probes[i].answer) {
			if (probes[i].event > probes[i].answer)
				late++;
			else
				a[na++] = probes[i].answer - probes[i].event;
			b[nb++] = probes[i].event - probes[i].sent;
		}
	printf("watchers=%d events=%llu probes=%d seen=%d dropped=%d "
	    "refused=%d late=%d lead_p50_ms=%.3f e2e_p50_ms=%.3f "
	    "e2e_p99_ms=%.3f\n", watching, (unsigned long long)events,
	    nprobes, nb, dropped, refused, late, pct(a, na, 0.5),
	    pct(b, nb, 0.5), pct(b, nb, 0.99));
	return refused || nb < nprobes ? 1 : 0;
usage:
	fprintf(stderr, "usage: watchers -t TOKENS [-n N] [-d SECONDS] "
	    "[-i MS] HOST:PORT\n");
	return 1;
}
