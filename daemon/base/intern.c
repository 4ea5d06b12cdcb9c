/*
 * intern.c: strings to dense indexes, open addressing on an FNV-1a hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base/intern.h"

struct intern {
	char	**strs;		/* by index; owned */
	size_t	  n, cap;	/* strings, room in strs */
	int	 *slots;	/* index + 1; 0 = empty */
	size_t	  nslots;	/* a power of two */
};

static uint64_t
intern_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

struct intern *
intern_new(void)
{
	struct intern *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->nslots = 64;
	if ((t->slots = calloc(t->nslots, sizeof(*t->slots))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
intern_free(struct intern *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->strs[i]);
	free(t->strs);
	free(t->slots);
	free(t);
}

static size_t
intern_slot(const struct intern *t, const char *s)
{
	size_t i = intern_hash(s) & (t->nslots - 1);

	while (t->slots[i] != 0 && strcmp(t->strs[t->slots[i] - 1], s) != 0)
		i = (i + 1) & (t->nslots - 1);
	return i;
}

int
intern_find(const struct intern *t, const char *s)
{
	return t->slots[intern_slot(t, s)] - 1;
}

int
intern_add(struct intern *t, const char *s)
{
	size_t	 i, j;
	int	*slots;
	char	**strs;

	i = intern_slot(t, s);
	if (t->slots[i] != 0)
		return t->slots[i] - 1;
	if ((t->n + 1) * 2 > t->nslots) {
		if ((slots = calloc(t->nslots * 2, sizeof(*slots))) == NULL)
			return -1;
		free(t->slots);
		t->slots = slots;
		t->nslots *= 2;
		for (j = 0; j < t->n; j++)
			t->slots[intern_slot(t, t->strs[j])] = (int)j + 1;
		i = intern_slot(t, s);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		if ((strs = realloc(t->strs, t->cap * sizeof(*strs))) == NULL)
			return -1;
		t->strs = strs;
	}
	if ((t->strs[t->n] = strdup(s)) == NULL)
		return -1;
	t->slots[i] = (int)++t->n;
	return (int)t->n - 1;
}

const char *
intern_str(const struct intern *t, int i)
{
	return t->strs[i];
}

size_t
intern_count(const struct intern *t)
{
	return t->n;
}
