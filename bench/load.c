/*
 * load.c: a load client for matchd's native transport (JSON lines) and for
 * Redis (RESP), one epoll loop for both.
 *
 * usage: load [options] HOST:PORT
 *   -p native|resp   the protocol (default native)
 *   -o OP            what to send:
 *                      native: post (need.post), offer (offer.post),
 *                      get (need.get), suggest (match.suggest), whoami,
 *                      lines (the lines of stdin, in order);
 *                      resp: set (SET k:<n> <payload>), get (GET k:<random>)
 *   -c N             connections (default 1)
 *   -k K             requests in flight on each connection (default 1)
 *   -n N             requests in all (default 0: use -d)
 *   -d SECONDS       send for this long, then wait for the answers
 *   -w SECONDS       warm-up: answers before it are not counted
 *   -t FILE          tokens, one a line: connection i uses line i mod lines
 *   -T               pick a random token of the file for every request
 *   -I N             ids (need.get, match.suggest) and keys (GET) are 1..N
 *   -S N             offers serve random streets of S0..S(N-1) (default 20)
 *   -z BYTES         SET payload size (default: a need.post line's size)
 *   -r SEED          random seed (default 1)
 *   -P               print every answer on stdout (with -o lines)
 *   -F N             print N free loopback TCP ports and exit
 *
 * Prints one line of key=value pairs (on stderr with -P): sent (requests in
 * all, warm-up included), ok and err (answers after the warm-up), secs, rps,
 * p50_ms, p99_ms, max_ms (latency from the write of a request to the read
 * of its answer).
 * Exits 1 when any answer was an error (native "ok":false, RESP "-").
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

/* Latency histogram: exact below 256 ns, then 128 sub-buckets a power of 2. */
#define HIST_N	(64 * 128 + 256)

struct conn {
	int		 fd;
	int		 idx;
	const char	*token;
	char		*in;		/* bytes read, not yet parsed */
	size_t		 inlen, incap;
	char		*out;		/* bytes to write */
	size_t		 outlen, outoff, outcap;
	uint64_t	*sent;		/* ring of send times, K long */
	int		 head, inflight;
	int		 wantout;
};

enum op { OP_POST, OP_OFFER, OP_GET, OP_SUGGEST, OP_WHOAMI, OP_LINES,
    OP_SET, OP_RGET };

static struct {
	int		 resp;
	enum op		 op;
	int		 conns, k;
	uint64_t	 total;
	double		 dur, warm;
	char		**tokens;
	size_t		 ntokens;
	int		 randtok;
	uint64_t	 idmax;
	int		 nstreets;
	size_t		 payload;
	int		 print;
	char		**lines;
	size_t		 nlines;
} opt = { 0, OP_POST, 1, 1, 0, 0, 0, NULL, 0, 0, 1, 20, 0, 0, NULL, 0 };

static uint64_t	 rng = 1;
static uint64_t	 issued, okn, errn;
static uint64_t	 hist[HIST_N];
static uint64_t	 t_start, t_warm, t_stop, t_last, maxlat;
static int	 stopping;
static char	*payload;
static char	 first_err[256];

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
die(const char *what)
{
	perror(what);
	exit(2);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL)
		die("realloc");
	return p;
}

static int
hist_idx(uint64_t v)
{
	int msb, shift;

	if (v < 256)
		return (int)v;
	msb = 63 - __builtin_clzll(v);
	shift = msb - 7;
	return shift * 128 + (int)(v >> shift);
}

static double
hist_val(int idx)
{
	int shift;

	if (idx < 256)
		return idx;
	shift = idx / 128 - 1;
	return (double)((uint64_t)(idx - shift * 128) << shift) +
	    (double)(1ULL << shift) / 2;
}

static double
hist_pct(double p)
{
	uint64_t n = 0, want;
	int i;

	for (i = 0; i < HIST_N; i++)
		n += hist[i];
	if (n == 0)
		return 0;
	want = (uint64_t)(p * (double)n);
	if (want >= n)
		want = n - 1;
	for (i = 0, n = 0; i < HIST_N; i++) {
		n += hist[i];
		if (n > want)
			return hist_val(i);
	}
	return 0;
}

/* ---- request generation ---------------------------------------------- */

static const char *const service_subs[] = { "elderly", "children", "youth",
    "disability", "health", "culture", "sports", "education", "legal",
    "volunteer", "neighbourhood" };
static const char *const goods_subs[] = { "equipment", "supplies", "books" };
static const char *const zh_words[] = { "长者", "助餐", "儿童", "课后",
    "托管", "青少年", "心理", "残障", "康复", "健康", "义诊", "文化",
    "书法", "体育", "篮球", "教育", "法律", "咨询", "志愿", "邻里",
    "设备", "物资", "图书", "社区", "服务", "活动", "培训", "关爱" };

/* A category, of the two families a need may be posted in freely. */
static void
category(char *buf, size_t len)
{
	if (rnd() % 2 == 0)
		snprintf(buf, len, "service.%s",
		    service_subs[rnd() % (sizeof(service_subs) /
		    sizeof(service_subs[0]))]);
	else
		snprintf(buf, len, "goods.%s",
		    goods_subs[rnd() % (sizeof(goods_subs) /
		    sizeof(goods_subs[0]))]);
}

/* k words, skewed over a vocabulary of Chinese words and w0..w2999. */
static size_t
words(char *buf, size_t len, int k)
{
	size_t n = 0;
	int i;

	for (i = 0; i < k && n + 16 < len; i++) {
		uint64_t r = rnd() % 3000;

		r = r * r / 3000;
		if (r < 28)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    i ? " " : "", zh_words[r]);
		else
			n += (size_t)snprintf(buf + n, len - n, "%sw%u",
			    i ? " " : "", (unsigned)r);
	}
	buf[n] = '\0';
	return n;
}

static const char *
pick_token(struct conn *c)
{
	if (opt.randtok && opt.ntokens > 0)
		return opt.tokens[rnd() % opt.ntokens];
	return c->token ? c->token : "";
}

static void
out_reserve(struct conn *c, size_t n)
{
	if (c->outlen + n > c->outcap) {
		c->outcap = (c->outlen + n) * 2;
		c->out = xrealloc(c->out, c->outcap);
	}
}

/* Append one request to c's output. */
static void
gen(struct conn *c, uint64_t seq)
{
	char cat[48], title[256], desc[512], streets[64];
	const char *tok;
	size_t n = 0;
	int s1, s2;

	out_reserve(c, 2048 + opt.payload);
	tok = opt.resp ? NULL : pick_token(c);
	switch (opt.op) {
	case OP_POST:
		category(cat, sizeof(cat));
		words(title, 120, 4 + (int)(rnd() % 5));
		words(desc, sizeof(desc), 6 + (int)(rnd() % 14));
		n = (size_t)snprintf(c->out + c->outlen, 2048,
		    "{\"id\":%llu,\"op\":\"need.post\",\"token\":\"%s\","
		    "\"args\":{\"title\":\"%s\",\"category\":\"%s\","
		    "\"budget\":%u,\"description\":\"%s\"}}\n",
		    (unsigned long long)seq, tok, title, cat,
		    (unsigned)(10000 + rnd() % 190000), desc);
		break;
	case OP_OFFER:
		category(cat, sizeof(cat));
		words(title, 120, 4 + (int)(rnd() % 5));
		words(desc, sizeof(desc), 6 + (int)(rnd() % 14));
		s1 = (int)(rnd() % (uint64_t)opt.nstreets);
		s2 = (int)(rnd() % (uint64_t)opt.nstreets);
		if (rnd() % 10 == 0 && s2 != s1)
			snprintf(streets, sizeof(streets), "[\"S%d\",\"S%d\"]",
			    s1, s2);
		else
			snprintf(streets, sizeof(streets), "[\"S%d\"]", s1);
		n = (size_t)snprintf(c->out + c->outlen, 2048,
		    "{\"id\":%llu,\"op\":\"offer.post\",\"token\":\"%s\","
		    "\"args\":{\"title\":\"%s\",\"category\":\"%s\","
		    "\"price\":%u,\"capacity\":%u,\"streets\":%s,"
		    "\"description\":\"%s\"}}\n",
		    (unsigned long long)seq, tok, title, cat,
		    (unsigned)(10000 + rnd() % 190000),
		    (unsigned)(1 + rnd() % 3), streets, desc);
		break;
	case OP_GET:
		n = (size_t)snprintf(c->out + c->outlen, 2048,
		    "{\"id\":%llu,\"op\":\"need.get\",\"token\":\"%s\","
		    "\"args\":{\"id\":%llu}}\n", (unsigned long long)seq, tok,
		    (unsigned long long)(1 + rnd() % opt.idmax));
		break;
	case OP_SUGGEST:
		n = (size_t)snprintf(c->out + c->outlen, 2048,
		    "{\"id\":%llu,\"op\":\"match.suggest\",\"token\":\"%s\","
		    "\"args\":{\"need\":%llu,\"limit\":10}}\n",
		    (unsigned long long)seq, tok,
		    (unsigned long long)(1 + rnd() % opt.idmax));
		break;
	case OP_WHOAMI:
		n = (size_t)snprintf(c->out + c->outlen, 2048,
		    "{\"id\":%llu,\"op\":\"whoami\",\"token\":\"%s\"}\n",
		    (unsigned long long)seq, tok);
		break;
	case OP_LINES:
		n = strlen(opt.lines[seq]);
		out_reserve(c, n + 1);
		memcpy(c->out + c->outlen, opt.lines[seq], n);
		c->out[c->outlen + n++] = '\n';
		break;
	case OP_SET: {
		char key[32];
		int kl = snprintf(key, sizeof(key), "k:%llu",
		    (unsigned long long)seq);

		n = (size_t)sprintf(c->out + c->outlen,
		    "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%zu\r\n", kl, key,
		    opt.payload);
		memcpy(c->out + c->outlen + n, payload, opt.payload);
		n += opt.payload;
		memcpy(c->out + c->outlen + n, "\r\n", 2);
		n += 2;
		break;
	}
	case OP_RGET: {
		char key[32];
		int kl = snprintf(key, sizeof(key), "k:%llu",
		    (unsigned long long)(rnd() % opt.idmax));

		n = (size_t)sprintf(c->out + c->outlen,
		    "*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", kl, key);
		break;
	}
	}
	c->outlen += n;
}

/* ---- answer parsing ------------------------------------------------------ */

/*
 * The length of the first complete answer in buf, or 0 when incomplete;
 * *bad set when it is an error.
 */
static size_t
parse(const char *buf, size_t len, int *bad)
{
	const char *e;
	long bl;

	*bad = 0;
	if (!opt.resp) {
		e = memchr(buf, '\n', len);
		if (e == NULL)
			return 0;
		/* The envelope's "ok" comes before any result. */
		*bad = memmem(buf, (size_t)(e - buf) < 64 ? (size_t)(e - buf) :
		    64, "\"ok\":false", 10) != NULL;
		return (size_t)(e - buf) + 1;
	}
	e = memmem(buf, len, "\r\n", 2);
	if (e == NULL)
		return 0;
	switch (buf[0]) {
	case '+':
	case ':':
		return (size_t)(e - buf) + 2;
	case '-':
		*bad = 1;
		return (size_t)(e - buf) + 2;
	case '$':
		bl = strtol(buf + 1, NULL, 10);
		if (bl < 0)
			return (size_t)(e - buf) + 2;
		if ((size_t)(e - buf) + 2 + (size_t)bl + 2 > len)
			return 0;
		return (size_t)(e - buf) + 2 + (size_t)bl + 2;
	default:
		fprintf(stderr, "load: unexpected RESP answer %.40s\n", buf);
		exit(2);
	}
}

/* ---- the loop ---------------------------------------------------------------- */

static int	 ep;

static void
want_out(struct conn *c, int on)
{
	struct epoll_event ev;

	if (c->wantout == on)
		return;
	c->wantout = on;
	ev.events = EPOLLIN | (on ? EPOLLOUT : 0);
	ev.data.ptr = c;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) == -1)
		die("epoll_ctl");
}

static void
flush(struct conn *c)
{
	ssize_t w;

	while (c->outoff < c->outlen) {
		w = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
		if (w == -1) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			die("write");
		}
		c->outoff += (size_t)w;
	}
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	want_out(c, c->outlen > 0);
}

static uint64_t
limit(void)
{
	if (opt.op == OP_LINES)
		return opt.nlines;
	return opt.total;
}

/* Send requests until K are in flight, or there is nothing more to send. */
static void
fill(struct conn *c)
{
	uint64_t t = now_ns();
	int sentany = 0;

	if (opt.dur > 0 && !stopping && t >= t_stop)
		stopping = 1;
	while (c->inflight < opt.k && !stopping &&
	    (limit() == 0 || issued < limit())) {
		gen(c, issued++);
		c->sent[(c->head + c->inflight) % opt.k] = t;
		c->inflight++;
		sentany = 1;
	}
	if (sentany)
		flush(c);
}

static void
on_read(struct conn *c)
{
	ssize_t r;
	size_t off = 0, n;
	uint64_t t, lat;
	int bad;

	for (;;) {
		if (c->incap - c->inlen < 65536) {
			c->incap = c->incap * 2 + 65536;
			c->in = xrealloc(c->in, c->incap);
		}
		r = read(c->fd, c->in + c->inlen, c->incap - c->inlen);
		if (r == 0) {
			fprintf(stderr, "load: connection %d closed by the "
			    "server\n", c->idx);
			exit(2);
		}
		if (r == -1) {
			if (errno == EAGAIN)
				break;
			if (errno == EINTR)
				continue;
			die("read");
		}
		c->inlen += (size_t)r;
		if ((size_t)r < 65536)
			break;
	}
	t = now_ns();
	while ((n = parse(c->in + off, c->inlen - off, &bad)) > 0) {
		if (c->inflight == 0) {
			fprintf(stderr, "load: an answer nobody asked for\n");
			exit(2);
		}
		if (opt.print)
			fwrite(c->in + off, 1, n, stdout);
		lat = t - c->sent[c->head];
		c->head = (c->head + 1) % opt.k;
		c->inflight--;
		if (t >= t_warm) {
			if (bad) {
				errn++;
				if (first_err[0] == '\0')
					snprintf(first_err, sizeof(first_err),
					    "%.*s", (int)(n > 200 ? 200 : n - 1),
					    c->in + off);
			} else
				okn++;
			hist[hist_idx(lat)]++;
			if (lat > maxlat)
				maxlat = lat;
			t_last = t;
		}
		off += n;
	}
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
	fill(c);
}

static void
parse_addr(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	if (colon == NULL || (size_t)(colon - s) >= sizeof(host)) {
		fprintf(stderr, "load: HOST:PORT expected, not %s\n", s);
		exit(2);
	}
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		fprintf(stderr, "load: bad address %s\n", host);
		exit(2);
	}
}

static char **
read_lines(FILE *f, size_t *np)
{
	char **v = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;

	while ((len = getline(&line, &lcap, f)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (n == cap) {
			cap = cap * 2 + 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = strdup(line);
	}
	free(line);
	*np = n;
	return v;
}

static void
free_ports(int n)
{
	struct sockaddr_in sa;
	socklen_t sl;
	int i, *fds = calloc((size_t)n, sizeof(int));

	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fds[i], (struct sockaddr *)&sa, sizeof(sa)) == -1)
			die("bind");
		sl = sizeof(sa);
		getsockname(fds[i], (struct sockaddr *)&sa, &sl);
		printf("%d\n", ntohs(sa.sin_port));
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
}

static void
usage(void)
{
	fprintf(stderr, "usage: load [-p native|resp] [-o OP] [-c CONNS] "
	    "[-k INFLIGHT] [-n N | -d SECS] [-w SECS] [-t TOKENS [-T]] "
	    "[-I N] [-S N] [-z BYTES] [-r SEED] [-P] HOST:PORT\n"
	    "       load -F N\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct epoll_event ev, evs[256];
	struct conn *conns;
	const char *o = "post";
	double secs;
	int ch, i, n, one = 1;
	FILE *f;

	while ((ch = getopt(argc, argv, "p:o:c:k:n:d:w:t:TI:S:z:r:PF:")) != -1) {
		switch (ch) {
		case 'p':
			opt.resp = strcmp(optarg, "resp") == 0;
			break;
		case 'o':
			o = optarg;
			break;
		case 'c':
			opt.conns = atoi(optarg);
			break;
		case 'k':
			opt.k = atoi(optarg);
			break;
		case 'n':
			opt.total = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			opt.dur = atof(optarg);
			break;
		case 'w':
			opt.warm = atof(optarg);
			break;
		case 't':
			if ((f = fopen(optarg, "r")) == NULL)
				die(optarg);
			opt.tokens = read_lines(f, &opt.ntokens);
			fclose(f);
			break;
		case 'T':
			opt.randtok = 1;
			break;
		case 'I':
			opt.idmax = strtoull(optarg, NULL, 10);
			break;
		case 'S':
			opt.nstreets = atoi(optarg);
			break;
		case 'z':
			opt.payload = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rng = strtoull(optarg, NULL, 10) * 0x9e3779b97f4a7c15ULL
			    + 1;
			break;
		case 'P':
			opt.print = 1;
			break;
		case 'F':
			free_ports(atoi(optarg));
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || opt.conns < 1 || opt.k < 1 ||
	    opt.nstreets < 1)
		usage();
	if (!opt.resp && strcmp(o, "post") == 0)
		opt.op = OP_POST;
	else if (!opt.resp && strcmp(o, "offer") == 0)
		opt.op = OP_OFFER;
	else if (!opt.resp && strcmp(o, "get") == 0)
		opt.op = OP_GET;
	else if (!opt.resp && strcmp(o, "suggest") == 0)
		opt.op = OP_SUGGEST;
	else if (!opt.resp && strcmp(o, "whoami") == 0)
		opt.op = OP_WHOAMI;
	else if (!opt.resp && strcmp(o, "lines") == 0) {
		opt.op = OP_LINES;
		opt.lines = read_lines(stdin, &opt.nlines);
	} else if (opt.resp && strcmp(o, "set") == 0)
		opt.op = OP_SET;
	else if (opt.resp && strcmp(o, "get") == 0)
		opt.op = OP_RGET;
	else
		usage();
	if ((opt.op == OP_GET || opt.op == OP_SUGGEST || opt.op == OP_RGET) &&
	    opt.idmax == 0) {
		fprintf(stderr, "load: -o %s needs -I\n", o);
		exit(2);
	}
	if (opt.total == 0 && opt.dur <= 0 && opt.op != OP_LINES) {
		fprintf(stderr, "load: -n or -d is needed\n");
		exit(2);
	}
	if (opt.op == OP_SET && opt.payload == 0) {
		/* As long as a need.post line of this client. */
		struct conn tmp;
		uint64_t save = rng;

		memset(&tmp, 0, sizeof(tmp));
		tmp.token = "0000000000000000000000000000000000000000000000000000000000000000";
		opt.op = OP_POST;
		for (i = 0; i < 100; i++)
			gen(&tmp, 1000000);
		opt.payload = tmp.outlen / 100;
		opt.op = OP_SET;
		free(tmp.out);
		rng = save;
	}
	payload = malloc(opt.payload + 1);
	for (size_t j = 0; j < opt.payload; j++)
		payload[j] = (char)('a' + rnd() % 26);

	parse_addr(argv[optind], &sa);
	if ((ep = epoll_create1(0)) == -1)
		die("epoll_create1");
	conns = calloc((size_t)opt.conns, sizeof(*conns));
	for (i = 0; i < opt.conns; i++) {
		struct conn *c = &conns[i];

		c->idx = i;
		c->fd = socket(AF_INET, SOCK_STREAM, 0);
		if (c->fd == -1)
			die("socket");
		if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
			die("connect");
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
		c->sent = calloc((size_t)opt.k, sizeof(*c->sent));
		if (opt.ntokens > 0)
			c->token = opt.tokens[(size_t)i % opt.ntokens];
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) == -1)
			die("epoll_ctl");
	}
	t_start = now_ns();
	t_warm = t_start + (uint64_t)(opt.warm * 1e9);
	t_stop = t_start + (uint64_t)((opt.warm + opt.dur) * 1e9);
	t_last = t_warm;
	for (i = 0; i < opt.conns; i++)
		fill(&conns[i]);
	for (;;) {
		int busy = 0;

		for (i = 0; i < opt.conns; i++)
			busy += conns[i].inflight;
		if (busy == 0)
			break;
		n = epoll_wait(ep, evs, 256, 30000);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		if (n == 0) {
			fprintf(stderr, "load: no answer for 30 seconds, "
			    "%d in flight\n", busy);
			exit(2);
		}
		for (i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (evs[i].events & EPOLLOUT)
				flush(c);
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				on_read(c);
		}
	}
	fflush(stdout);
	secs = (double)(t_last - t_warm) / 1e9;
	if (first_err[0] != '\0')
		fprintf(stderr, "load: first error: %s\n", first_err);
	fprintf(opt.print ? stderr : stdout,
	    "proto=%s op=%s conns=%d inflight=%d sent=%llu ok=%llu err=%llu "
	    "secs=%.3f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
	    "payload=%zu\n",
	    opt.resp ? "resp" : "native", o, opt.conns, opt.k,
	    (unsigned long long)issued, (unsigned long long)okn,
	    (unsigned long long)errn, secs,
	    secs > 0 ? (double)(okn + errn) / secs : 0,
	    hist_pct(0.50) / 1e6, hist_pct(0.99) / 1e6, (double)maxlat / 1e6,
	    opt.payload);
	return errn > 0;
}
