/*
 * intern.h: a table that numbers distinct strings 0, 1, 2, ... in the order
 * they are first seen (community codes, org codes, street names for the
 * matcher, which works on indexes).
 */
#ifndef DAEMON_INTERN_H
#define DAEMON_INTERN_H

#include <stddef.h>

struct intern;

struct intern	*intern_new(void);
void		 intern_free(struct intern *);

/* The index of s, adding a copy of it when new; -1 when out of memory. */
int		 intern_add(struct intern *, const char *s);
/* The index of s, or -1 when it was never added. */
int		 intern_find(const struct intern *, const char *s);
/* The string of index i (owned by the table). */
const char	*intern_str(const struct intern *, int i);
size_t		 intern_count(const struct intern *);

#endif
