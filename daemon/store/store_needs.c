/*
 * store_needs.c: a need, described once.  Its fields drive the record
 * layer (store_record.c): columns, statements, binds, both readers and
 * need.list's filters; the ops take from the flags which arguments a post
 * and an update copy.  Its view is the matcher's row (struct
 * store_need_row).
 */
#include <stddef.h>

#include "daemon/store/store_priv.h"

#define POSTED	(STORE_POST | STORE_UPDATE)

static const struct store_field need_fields[] = {
	{ "id", "id", STORE_ID, 0, STORE_UNFILTERED },
	{ "community", "community", STORE_TEXT, STORE_OWNER, STORE_BY_OWNER },
	/* A partner's needs are listed as its own. */
	{ "partners", "partners", STORE_JSON, POSTED, STORE_BY_OWNER },
	{ "street", "street", STORE_TEXT, 0, STORE_BY_STREET },
	{ "title", "title", STORE_TEXT, POSTED, STORE_UNFILTERED },
	{ "category", "category", STORE_TEXT, POSTED, STORE_BY_CATEGORY },
	{ "budget", "budget", STORE_YUAN, POSTED, STORE_UNFILTERED },
	{ "description", "description", STORE_TEXT, POSTED, STORE_UNFILTERED },
	{ "beneficiaries", "beneficiaries", STORE_INT, POSTED,
	    STORE_UNFILTERED },
	{ "window", "window", STORE_WINDOW, POSTED, STORE_UNFILTERED },
	{ "year", "year", STORE_INT, 0, STORE_UNFILTERED },
	{ "status", "status", STORE_TEXT, 0, STORE_BY_STATUS },
	{ "ref", "ref", STORE_TEXT, STORE_REF, STORE_UNFILTERED },
	{ "created", "created", STORE_CREATED, 0, STORE_UNFILTERED },
	{ "updated", "updated", STORE_UPDATED, 0, STORE_UNFILTERED },
	{ NULL, NULL, STORE_ID, 0, STORE_UNFILTERED }
};

const struct store_record_type store_needs = { "need", "needs", need_fields };

#define NEED_AT(m)	offsetof(struct store_need_row, m)

/* The view reads needs as n. */
static const struct store_view_col need_view_cols[] = {
	{ "n.id", NEED_AT(id), STORE_C_INT64 },
	{ "n.community", NEED_AT(community), STORE_C_TEXT },
	{ "n.partners", NEED_AT(partners), STORE_C_TEXT },
	{ "n.street", NEED_AT(street), STORE_C_TEXT },
	{ "n.category", NEED_AT(category), STORE_C_TEXT },
	{ "n.title", NEED_AT(title), STORE_C_TEXT },
	{ "n.description", NEED_AT(description), STORE_C_TEXT },
	{ "n.status", NEED_AT(status), STORE_C_TEXT },
	{ "n.budget", NEED_AT(budget), STORE_C_INT64 },
	{ "n.year", NEED_AT(year), STORE_C_INT },
	{ NULL, 0, STORE_C_INT64 }
};

static int
need_view_call(void *fn, void *arg, const union store_view_row *r,
    struct error *err)
{
	return ((store_need_fn)fn)(arg, &r->need, err);
}

const struct store_view store_need_view = { need_view_cols, need_view_call };
