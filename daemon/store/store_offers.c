/*
 * store_offers.c: an offer, described once.  Its fields drive the record
 * layer (store_record.c) as a need's do; its view is the matcher's row
 * (struct store_offer_row), which adds the street of the organisation.
 */
#include <stddef.h>

#include "daemon/store/store_priv.h"

#define POSTED	(STORE_POST | STORE_UPDATE)

static const struct store_field offer_fields[] = {
	{ "id", "id", STORE_ID, 0, STORE_UNFILTERED },
	{ "org", "org", STORE_TEXT, STORE_OWNER, STORE_BY_OWNER },
	/* A partner's offers are listed as its own; a post names the
	 * partner by the joint-application rule (ops_offers.c). */
	{ "partner", "partner", STORE_TEXT, STORE_UPDATE, STORE_BY_OWNER },
	{ "title", "title", STORE_TEXT, POSTED, STORE_UNFILTERED },
	{ "category", "category", STORE_TEXT, POSTED, STORE_BY_CATEGORY },
	{ "price", "price", STORE_YUAN, POSTED, STORE_UNFILTERED },
	{ "capacity", "capacity", STORE_INT, 0, STORE_UNFILTERED },
	{ "remaining", "remaining", STORE_INT, 0, STORE_UNFILTERED },
	{ "streets", "streets", STORE_JSON, POSTED | STORE_STAR,
	    STORE_BY_STREET },
	{ "in_library", "in_library", STORE_BOOL, 0, STORE_BY_LIBRARY },
	{ "status", "status", STORE_TEXT, 0, STORE_BY_STATUS },
	{ "description", "description", STORE_TEXT, POSTED, STORE_UNFILTERED },
	{ "ref", "ref", STORE_TEXT, STORE_REF, STORE_UNFILTERED },
	{ "created", "created", STORE_CREATED, 0, STORE_UNFILTERED },
	{ "updated", "updated", STORE_UPDATED, 0, STORE_UNFILTERED },
	{ NULL, NULL, STORE_ID, 0, STORE_UNFILTERED }
};

const struct store_record_type store_offers = {
	"offer", "offers", offer_fields
};

#define OFFER_AT(m)	offsetof(struct store_offer_row, m)

/* The view reads offers as o, joined to the org's account as a. */
static const struct store_view_col offer_view_cols[] = {
	{ "o.id", OFFER_AT(id), STORE_C_INT64 },
	{ "o.org", OFFER_AT(org), STORE_C_TEXT },
	{ "COALESCE(a.street, '')", OFFER_AT(org_street), STORE_C_TEXT },
	{ "o.category", OFFER_AT(category), STORE_C_TEXT },
	{ "o.title", OFFER_AT(title), STORE_C_TEXT },
	{ "o.description", OFFER_AT(description), STORE_C_TEXT },
	{ "o.status", OFFER_AT(status), STORE_C_TEXT },
	{ "o.streets", OFFER_AT(streets), STORE_C_TEXT },
	{ "o.price", OFFER_AT(price), STORE_C_INT64 },
	{ "o.capacity", OFFER_AT(capacity), STORE_C_INT },
	{ "o.remaining", OFFER_AT(remaining), STORE_C_INT },
	{ "o.in_library", OFFER_AT(in_library), STORE_C_INT },
	{ NULL, 0, STORE_C_INT64 }
};

static int
offer_view_call(void *fn, void *arg, const union store_view_row *r,
    struct error *err)
{
	return ((store_offer_fn)fn)(arg, &r->offer, err);
}

const struct store_view store_offer_view = {
	offer_view_cols, offer_view_call
};
