/*
 * event_kinds.c: the names of the kinds of events.
 */
#include <stddef.h>

#include "protocol/event_kinds.h"

const char *const event_kind_names[EVENT_NKINDS + 1] = {
	[EVENT_NEED_POSTED] = "need.posted",
	[EVENT_OFFER_POSTED] = "offer.posted",
	[EVENT_MATCH_PROPOSED] = "match.proposed",
	[EVENT_MATCH_ANSWERED] = "match.answered",
	[EVENT_MATCH_CONFIRMED] = "match.confirmed",
	[EVENT_MATCH_SUPERSEDED] = "match.superseded",
	[EVENT_MATCH_REMINDER] = "match.reminder",
	[EVENT_FAIR_PUBLISHED] = "fair.published",
	[EVENT_FAIR_SCHEDULED] = "fair.scheduled",
	[EVENT_PROJECT_STAGE] = "project.stage",
	[EVENT_OBJECTION_LODGED] = "objection.lodged",
	[EVENT_RISK_FLAGGED] = "risk.flagged",
	[EVENT_NKINDS] = NULL
};
