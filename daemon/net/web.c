/*
 * web.c: finding an embedded asset and its content type.
 */
#include <string.h>

#include "daemon/net/web.h"

static const struct {
	const char	*ext;
	const char	*type;
} web_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
};

const struct web_asset *
web_find(const char *path, const char **type)
{
	const struct web_asset	*a;
	const char		*dot;
	size_t			 i;

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (a = web_assets; a->path != NULL; a++)
		if (strcmp(a->path, path) == 0)
			break;
	if (a->path == NULL)
		return NULL;
	*type = "application/octet-stream";
	if ((dot = strrchr(a->path, '.')) != NULL)
		for (i = 0; i < sizeof(web_types) / sizeof(web_types[0]); i++)
			if (strcmp(dot, web_types[i].ext) == 0)
				*type = web_types[i].type;
	return a;
}
