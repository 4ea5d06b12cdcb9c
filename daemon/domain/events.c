/*
 * events.c: kinds, emitting, and what readers need: a stored event as
 * JSON, and who may see it.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/domain/events.h"
#include "protocol/json_print.h"

/* The turn's events (events.h): emitted in the open transaction, oldest
 * first; kept is the last of a request whose savepoint was released. */
static struct {
	struct event_list	 list;
	struct event		*kept;		/* NULL: none kept yet */
	int			 on;
	int64_t			 sealed;	/* -1: not sealed */
} turn = { TAILQ_HEAD_INITIALIZER(turn.list), NULL, 0, -1 };

static struct event	*events_make(const struct store_event *, int take);

const char *
events_kind_name(enum event_kind k)
{
	return (unsigned)k < EVENT_NKINDS ? event_kind_names[k] : "unknown";
}

int
events_kind_of(const char *name)
{
	int k;

	for (k = 0; k < EVENT_NKINDS; k++)
		if (strcmp(event_kind_names[k], name) == 0)
			return k;
	return -1;
}

uint32_t
events_kinds_mask(const cJSON *names)
{
	const cJSON	*c;
	uint32_t	 mask = 0;
	int		 k;

	cJSON_ArrayForEach(c, names)
		if (cJSON_IsString(c) && (k = events_kind_of(c->valuestring)) >= 0)
			mask |= 1u << k;
	return mask ? mask : EVENT_KINDS_ALL;
}

/* 1 when list (encoded) holds item. */
static int
list_holds(const char *list, const char *item)
{
	size_t		 n = strlen(item);
	const char	*p = list;

	if (list == NULL || *item == '\0')
		return 0;
	while ((p = strstr(p, item)) != NULL) {
		if (p > list && p[-1] == STORE_LIST_SEP &&
		    p[n] == STORE_LIST_SEP)
			return 1;
		p += n;
	}
	return 0;
}

/* The items, each once, encoded as the store keeps them (malloc'd). */
static char *
list_encode(const char *const *items, size_t n)
{
	size_t	 len = 2, i, used = 0;
	char	*out;

	for (i = 0; i < n; i++)
		len += strlen(items[i]) + 1;
	if ((out = malloc(len)) == NULL)
		return NULL;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (items[i][0] == '\0' || list_holds(out, items[i]))
			continue;
		if (used == 0)
			out[used++] = STORE_LIST_SEP;
		memcpy(out + used, items[i], strlen(items[i]));
		used += strlen(items[i]);
		out[used++] = STORE_LIST_SEP;
		out[used] = '\0';
	}
	return out;
}

int
events_emit(struct store *s, enum event_kind kind,
    const struct event_object *obj, const char *summary,
    const struct event_audience *aud, struct error *err)
{
	struct store_event	 ev;
	int64_t			 id;
	int			 rc = -1;

	memset(&ev, 0, sizeof(ev));
	ev.kind = events_kind_name(kind);
	ev.otype = obj->type;
	ev.oid = obj->id;
	ev.fair = obj->fair;
	ev.run = obj->run;
	ev.summary = summary;
	ev.staff = aud->staff_only;
	if ((ev.communities = list_encode(aud->communities,
	    aud->ncommunities)) == NULL ||
	    (ev.orgs = list_encode(aud->orgs, aud->norgs)) == NULL ||
	    (ev.streets = list_encode(aud->streets, aud->nstreets)) == NULL)
		error_set(err, ERR_INTERNAL, NULL, "out of memory");
	else if ((rc = store_event_insert(s, &ev, &id, err)) == 0 &&
	    turn.on) {
		/*
		 * Made now, for the watchers: the audience lists are handed
		 * over.  Out of memory only leaves it off the list, and the
		 * feed, finding it missing, reads the turn from the store.
		 */
		struct event *e;

		if ((e = events_make(&ev, 1)) != NULL)
			TAILQ_INSERT_TAIL(&turn.list, e, entry);
		return 0;
	}
	free((char *)(uintptr_t)ev.communities);
	free((char *)(uintptr_t)ev.orgs);
	free((char *)(uintptr_t)ev.streets);
	return rc;
}

/* ---- readers -------------------------------------------------------- */

void
events_viewer_of(const struct principal *who, struct event_viewer *v)
{
	memset(v, 0, sizeof(*v));
	v->role = who->role;
	snprintf(v->code, sizeof(v->code), "%s", who->acct.code);
	snprintf(v->street, sizeof(v->street), "%s", who->acct.street);
}

void
events_filter_of(const struct event_viewer *v, struct store_event_filter *f)
{
	f->all = v->role == ROLE_ADMIN ||
	    (v->role == ROLE_ORGANIZER && v->street[0] == '\0');
	f->community = v->role == ROLE_COMMUNITY ? v->code : NULL;
	f->org = v->role == ROLE_ORG ? v->code : NULL;
	f->street = v->role == ROLE_ORGANIZER && v->street[0] ? v->street :
	    NULL;
}

int
events_visible(const struct event_viewer *v, const struct event *ev)
{
	switch (v->role) {
	case ROLE_ADMIN:
		return 1;
	case ROLE_ORGANIZER:
		return v->street[0] == '\0' || list_holds(ev->streets,
		    v->street) || list_holds(ev->streets, "*");
	case ROLE_COMMUNITY:
		return !ev->staff && list_holds(ev->communities, v->code);
	case ROLE_ORG:
		return !ev->staff && list_holds(ev->orgs, v->code);
	}
	return 0;
}

#define RAW(b, s)	json_buf_raw(b, s, sizeof(s) - 1)

/* The event's JSON, {"id", "time", "kind", "object", "summary"}, written
 * straight from the row (every watcher's line is made of it). */
static char *
events_json(const struct store_event *row, size_t *len)
{
	struct json_buf b;

	json_buf_init(&b);
	RAW(&b, "{\"id\":");
	json_buf_number(&b, (double)row->id);
	RAW(&b, ",\"time\":");
	json_buf_string(&b, row->time);
	RAW(&b, ",\"kind\":");
	json_buf_string(&b, row->kind);
	RAW(&b, ",\"object\":{\"type\":");
	json_buf_string(&b, row->otype);
	RAW(&b, ",\"id\":");
	json_buf_number(&b, (double)row->oid);
	if (row->fair > 0) {
		RAW(&b, ",\"fair\":");
		json_buf_number(&b, (double)row->fair);
	}
	if (row->run > 0) {
		RAW(&b, ",\"run\":");
		json_buf_number(&b, row->run);
	}
	RAW(&b, "},\"summary\":");
	json_buf_string(&b, row->summary);
	RAW(&b, "}");
	return json_buf_finish(&b, len);
}

/*
 * The event of row.  With take, row's audience lists (malloc'd) become
 * the event's, even when NULL is returned (then they are freed);
 * without, they are copied.  NULL when out of memory.
 */
static struct event *
events_make(const struct store_event *row, int take)
{
	struct event *ev;

	if ((ev = calloc(1, sizeof(*ev))) == NULL) {
		if (take) {
			free((char *)(uintptr_t)row->communities);
			free((char *)(uintptr_t)row->orgs);
			free((char *)(uintptr_t)row->streets);
		}
		return NULL;
	}
	ev->id = row->id;
	ev->kind = events_kind_of(row->kind);
	ev->staff = row->staff;
	if (take) {
		ev->communities = (char *)(uintptr_t)row->communities;
		ev->orgs = (char *)(uintptr_t)row->orgs;
		ev->streets = (char *)(uintptr_t)row->streets;
	} else if ((ev->communities = strdup(row->communities)) == NULL ||
	    (ev->orgs = strdup(row->orgs)) == NULL ||
	    (ev->streets = strdup(row->streets)) == NULL) {
		events_free(ev);
		return NULL;
	}
	if ((ev->json = events_json(row, &ev->json_len)) == NULL ||
	    (ev->summary = strdup(row->summary)) == NULL ||
	    (ev->line = malloc(ev->json_len + 11)) == NULL) {
		events_free(ev);
		return NULL;
	}
	memcpy(ev->line, "{\"event\":", 9);
	memcpy(ev->line + 9, ev->json, ev->json_len);
	memcpy(ev->line + 9 + ev->json_len, "}\n", 2);
	ev->line_len = ev->json_len + 11;
	return ev;
}

struct event *
events_load(const struct store_event *row)
{
	return events_make(row, 0);
}

void
events_free(struct event *ev)
{
	if (ev == NULL)
		return;
	free(ev->json);
	free(ev->line);
	free(ev->summary);
	free(ev->communities);
	free(ev->orgs);
	free(ev->streets);
	free(ev);
}

void
events_free_list(struct event_list *list)
{
	struct event *ev;

	while ((ev = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, ev, entry);
		events_free(ev);
	}
}

/* ---- the turn's events -------------------------------------------------- */

void
events_turn_enable(int on)
{
	turn.on = on;
}

void
events_turn_rewind(void)
{
	struct event *ev;

	while ((ev = TAILQ_LAST(&turn.list, event_list)) != NULL &&
	    ev != turn.kept) {
		TAILQ_REMOVE(&turn.list, ev, entry);
		events_free(ev);
	}
}

void
events_turn_keep(void)
{
	turn.kept = TAILQ_LAST(&turn.list, event_list);
}

void
events_turn_seal(struct store *s)
{
	struct error err;

	if (store_event_last(s, &turn.sealed, &err) == -1)
		turn.sealed = -1;
}

void
events_turn_take(struct event_list *out, int64_t *last)
{
	assert(TAILQ_EMPTY(out));
	events_turn_rewind();
	TAILQ_CONCAT(out, &turn.list, entry);
	turn.kept = NULL;
	*last = turn.sealed;
	turn.sealed = -1;
}
