/*
 * names.h: what people call the codes: the categories of the default
 * taxonomy (conf/matchd.conf [taxonomy]) and the statuses of a match, in
 * Chinese and in English.  One table (names.c) serves the exports and,
 * through taxonomy.get, the web page.
 */
#ifndef DAEMON_NAMES_H
#define DAEMON_NAMES_H

#include <stddef.h>

enum names_lang {
	NAMES_ZH,
	NAMES_EN
};

/* "en" is English; anything else (NULL too) is Chinese, the default. */
enum names_lang	 names_lang(const char *);

/*
 * The name of a family ("service"), or of a sub-category when sub is not
 * NULL ("elderly"); NULL when the table does not name it (a configured
 * taxonomy may add its own).
 */
const char	*names_category_part(const char *family, const char *sub,
		    enum names_lang);

/*
 * A category "family.sub" as people read it: "服务类·长者",
 * "Services · Elderly".  A part the table does not name stays its code;
 * an empty category stays empty.  Always NUL-terminates buf.
 */
void		 names_category(const char *cat, enum names_lang, char *buf,
		    size_t len);

/* A match status ("confirmed"): "双方确认", "Confirmed"; else itself. */
const char	*names_status(const char *status, enum names_lang);

#endif
