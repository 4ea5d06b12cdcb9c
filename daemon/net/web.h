/*
 * web.h: the organizers' web page, embedded into bin/matchd at build time
 * (tools/embed.sh over web/), so that matchd serves it offline.
 */
#ifndef DAEMON_WEB_H
#define DAEMON_WEB_H

#include <stddef.h>

struct web_asset {
	const char		*path;	/* "/index.html" */
	const unsigned char	*data;
	size_t			 len;
};

/* The generated table, ended by a NULL path. */
extern const struct web_asset web_assets[];

/*
 * The asset served at path ("/" is "/index.html"), or NULL; *type is its
 * content type.
 */
const struct web_asset	*web_find(const char *path, const char **type);

#endif
