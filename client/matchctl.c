/*
 * matchctl: the command-line client.
 *
 *	matchctl [-H host:port | -S unix-socket] [-t token] [-m bytes] OP
 *	    [key=value ...]
 *	matchctl [-H ...] [-t ...] call OP '{"json":"args"}'
 *	matchctl [-H ...] [-t ...] import [--lang zh|en] needs|offers FILE.csv
 *	matchctl [-H ...] [-t ...] export FAIR [--csv | --xlsx | --html]
 *	    [--lang zh|en] -o FILE
 *
 * It talks to the native transport, prints the result as indented JSON and
 * exits 0; on an error it prints "error CODE: message" on stderr and exits
 * 1; it exits 2 when it cannot reach the daemon or the connection ends
 * before the answer; it exits 3 when the answer is unusable: longer than
 * -m bytes (64 MiB by default), not JSON, or not an answer to the request
 * (client/ctl_answer.h says what one is).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/ctl.h"

#define DEFAULT_HOST	"127.0.0.1:7700"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: matchctl [-H host:port | -S unix-socket] [-t token] "
	    "[-m bytes] OP [key=value ...]\n"
	    "       matchctl [...] call OP '{\"json\":\"args\"}'\n"
	    "       matchctl [...] import [--lang zh|en] needs|offers "
	    "FILE.csv\n"
	    "       matchctl [...] export FAIR [--csv | --xlsx | --html] "
	    "[--lang zh|en] -o FILE\n"
	    "The token may also come from MATCHD_TOKEN.  -m: the longest "
	    "answer accepted\n(default 64 MiB).  Exit status: 0 ok, 1 error "
	    "answer, 2 no connection,\n3 an answer matchctl cannot use.\n");
	exit(1);
}

/* key=value: the value as JSON where all of it parses, else a string. */
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
	if (cJSON_GetObjectItemCaseSensitive(args, key) != NULL) {
		cJSON_Delete(v);
		return -1;
	}
	cJSON_AddItemToObject(args, key, v);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ctl	 c;
	const char	*op;
	cJSON		*args;
	char		*end;
	unsigned long long max;
	int		 ch, i, rc;

	memset(&c, 0, sizeof(c));
	c.host = DEFAULT_HOST;
	c.token = getenv("MATCHD_TOKEN");
	c.fd = -1;
	c.in.max = CTL_MAX_ANSWER;
	while ((ch = getopt(argc, argv, "+H:S:t:m:h")) != -1) {
		switch (ch) {
		case 'H': c.host = optarg; break;
		case 'S': c.path = optarg; break;
		case 't': c.token = optarg; break;
		case 'm':
			errno = 0;
			max = strtoull(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    optarg[0] == '-' || max < 1 ||
			    max > CTL_MAX_ANSWER_LIMIT) {
				fprintf(stderr, "matchctl: -m takes a number "
				    "of bytes from 1 to %zu\n",
				    CTL_MAX_ANSWER_LIMIT);
				return 1;
			}
			c.in.max = (size_t)max;
			break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	op = argv[0];
	if (strcmp(op, "import") == 0)
		rc = ctl_import(&c, argc - 1, argv + 1);
	else if (strcmp(op, "export") == 0)
		rc = ctl_export(&c, argc - 1, argv + 1);
	else if (strcmp(op, "call") == 0) {
		if (argc < 2 || argc > 3)
			usage();
		args = argc == 3 ? cJSON_Parse(argv[2]) : cJSON_CreateObject();
		if (args == NULL || !cJSON_IsObject(args)) {
			fprintf(stderr, "matchctl: the args must be a JSON "
			    "object\n");
			return 1;
		}
		rc = ctl_call(&c, argv[1], args, NULL);
	} else {
		args = cJSON_CreateObject();
		for (i = 1; i < argc; i++)
			if (add_kv(args, argv[i]) == -1) {
				fprintf(stderr, "matchctl: \"%s\": write "
				    "key=value, each key once\n", argv[i]);
				cJSON_Delete(args);
				return 1;
			}
		rc = ctl_call(&c, op, args, NULL);
	}
	ctl_close(&c);
	return rc;
}
