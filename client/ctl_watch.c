/*
 * ctl_watch.c: `matchctl watch [--after N] [KIND ...]`: events as they
 * come, one line each:
 *
 *	#42 2026-06-01T08:30:12Z match.proposed 莲花街道对接会第 1 轮配对：...
 *
 * When the daemon drops the watch (the reader fell behind) or the
 * connection ends (a restart), it watches again after the last event it
 * printed, so no event is missed and none printed twice.  It runs until
 * interrupted; it exits 1 when the daemon refuses the watch itself.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/ctl.h"

#define WATCH_RETRY_SECS	1

static void
watch_usage(void)
{
	fprintf(stderr, "usage: matchctl [-H host:port | -S unix-socket] "
	    "[-t token] watch [--after N] [KIND ...]\n");
	exit(1);
}

/* Print one event on a line: id, time, kind, summary. */
static void
watch_print(const cJSON *ev)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "id");

	printf("#%.0f ", cJSON_GetNumberValue(id));
	ctl_print_text(stdout, cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(ev, "time")));
	putchar(' ');
	ctl_print_text(stdout, cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(ev, "kind")));
	putchar(' ');
	ctl_print_text(stdout, cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(ev, "summary")));
	putchar('\n');
	fflush(stdout);
}

/*
 * One watch, from after (-1: live only), printing until the connection
 * ends.  *after follows the events printed.  Returns CTL_EXIT_ERROR when
 * the watch was refused, else CTL_EXIT_UNREACHABLE (watch again).
 */
static int
watch_once(struct ctl *c, cJSON *kinds, long long *after)
{
	struct ctl_answer	 a;
	struct timeval		 none = { 0, 0 };
	const char		*line;
	size_t			 len;
	ssize_t			 n;
	char			*p;
	cJSON			*args = cJSON_CreateObject(), *o, *ev;
	enum ctl_in_status	 st;
	int			 rc;

	if (kinds != NULL)
		cJSON_AddItemToObject(args, "kinds", cJSON_Duplicate(kinds, 1));
	if (*after >= 0)
		cJSON_AddNumberToObject(args, "after", (double)*after);
	if (ctl_connect(c) == -1) {
		cJSON_Delete(args);
		return CTL_EXIT_UNREACHABLE;
	}
	if (ctl_send(c, 1, "events.watch", args) == -1 ||
	    (rc = ctl_read(c, 1, &a)) == CTL_EXIT_UNREACHABLE)
		return CTL_EXIT_UNREACHABLE;
	if (rc != 0 || !a.ok) {
		if (rc == 0)
			(void)ctl_answer_print(&a, stdout, stderr);
		ctl_answer_free(&a);
		return CTL_EXIT_ERROR;
	}
	if (*after < 0)
		*after = (long long)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(a.result, "last"));
	ctl_answer_free(&a);
	/* Events come when they come: no read timeout from now on. */
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	for (;;) {
		while ((st = ctl_in_next(&c->in, &line, &len)) == CTL_IN_LINE) {
			if ((o = cJSON_ParseWithLength(line, len)) == NULL)
				continue;
			if ((ev = cJSON_GetObjectItemCaseSensitive(o,
			    "event")) != NULL && cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(ev, "id")) > *after) {
				watch_print(ev);
				*after = (long long)cJSON_GetNumberValue(
				    cJSON_GetObjectItemCaseSensitive(ev, "id"));
			} else if (ev == NULL)
				fprintf(stderr, "matchctl: the daemon ended the "
				    "watch; watching again after #%lld\n",
				    *after);
			cJSON_Delete(o);
		}
		if (st == CTL_IN_TOO_LARGE ||
		    (p = ctl_in_space(&c->in, &len)) == NULL)
			return CTL_EXIT_BAD_ANSWER;
		if ((n = read(c->fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return CTL_EXIT_UNREACHABLE;
		ctl_in_fill(&c->in, (size_t)n);
	}
}

int
ctl_watch(struct ctl *c, int argc, char **argv)
{
	cJSON		*kinds = NULL;
	long long	 after = -1;
	char		*end;
	int		 i, rc, said = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--after") == 0 && i + 1 < argc) {
			after = strtoll(argv[++i], &end, 10);
			if (*end != '\0' || after < 0)
				watch_usage();
			continue;
		}
		if (argv[i][0] == '-')
			watch_usage();
		if (kinds == NULL)
			kinds = cJSON_CreateArray();
		cJSON_AddItemToArray(kinds, cJSON_CreateString(argv[i]));
	}
	for (;;) {
		rc = watch_once(c, kinds, &after);
		ctl_close(c);
		if (rc != CTL_EXIT_UNREACHABLE)
			break;
		if (!said++)
			fprintf(stderr, "matchctl: no connection to %s; trying "
			    "again every %d s\n", c->path ? c->path : c->host,
			    WATCH_RETRY_SECS);
		sleep(WATCH_RETRY_SECS);
	}
	cJSON_Delete(kinds);
	return rc;
}
