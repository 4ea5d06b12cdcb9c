/*
 * offer_area.h: where an organisation's offer may be offered.
 */
#ifndef DAEMON_OFFER_AREA_H
#define DAEMON_OFFER_AREA_H

#include <cjson/cJSON.h>

#include "protocol/error.h"

/*
 * Whether an offer of org (its record, with its service area "streets")
 * may name streets (the offer's "streets" argument, or NULL when it names
 * none): "*", every street of the district, only when org's service area
 * is "*" too.  Returns 0, or -1 with err set (invalid_argument, field
 * "streets").
 */
int	offer_area_check(const cJSON *org, const cJSON *streets,
	    struct error *err);

#endif
