/*
 * ctl_export.c: `matchctl export FAIR [--csv | --xlsx | --html]
 * [--lang zh|en] -o FILE` writes a fair's match list, workbook or agenda
 * through fair.export, in Chinese unless --lang en.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl.h"

int
ctl_export(struct ctl *c, int argc, char **argv)
{
	const char	*format = "csv", *out = NULL;
	cJSON		*args, *res = NULL;
	unsigned char	*bin = NULL;
	size_t		 len;
	FILE		*fp;
	char		*end, why[CTL_WHY_LEN];
	long		 fair;
	int		 i, rc, ok, e;

	if (argc < 1 || (fair = strtol(argv[0], &end, 10)) < 1 || *end != '\0') {
		fprintf(stderr, "usage: matchctl export FAIR [--csv | --xlsx | "
		    "--html] [--lang zh|en] -o FILE\n");
		return 1;
	}
	args = cJSON_CreateObject();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--csv") == 0 ||
		    strcmp(argv[i], "--xlsx") == 0 ||
		    strcmp(argv[i], "--html") == 0)
			format = argv[i] + 2;
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if ((strcmp(argv[i], "--community") == 0 ||
		    strcmp(argv[i], "--org") == 0 ||
		    strcmp(argv[i], "--lang") == 0) && i + 1 < argc) {
			cJSON_AddStringToObject(args, argv[i] + 2, argv[i + 1]);
			i++;
		} else {
			fprintf(stderr, "matchctl export: unknown argument "
			    "%s\n", argv[i]);
			cJSON_Delete(args);
			return 1;
		}
	}
	if (out == NULL) {
		fprintf(stderr, "matchctl export: name the file with -o FILE "
		    "(- for standard output)\n");
		cJSON_Delete(args);
		return 1;
	}
	cJSON_AddNumberToObject(args, "fair", (double)fair);
	cJSON_AddStringToObject(args, "format", format);
	if ((rc = ctl_call(c, "fair.export", args, &res)) != 0)
		return rc;
	if (ctl_answer_export(res, &bin, &len, why, sizeof(why)) == -1) {
		fprintf(stderr, "matchctl export: %s\n", why);
		rc = CTL_EXIT_BAD_ANSWER;
		goto done;
	}
	fp = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
	if (fp == NULL)
		ok = 0;
	else {
		ok = fwrite(bin, 1, len, fp) == len;
		e = errno;
		if (fp != stdout && fclose(fp) == EOF && ok) {
			ok = 0;
			e = errno;
		}
		errno = e;
	}
	if (!ok) {
		fprintf(stderr, "matchctl export: %s: %s\n", out,
		    strerror(errno));
		rc = 1;
		goto done;
	}
	if (fp != stdout)
		fprintf(stderr, "matchctl export: wrote %s (%zu bytes)\n", out,
		    len);
done:
	free(bin);
	cJSON_Delete(res);
	return rc;
}
