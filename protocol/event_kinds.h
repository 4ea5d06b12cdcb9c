/*
 * event_kinds.h: the kinds of events (docs/protocol.md, "Events"), named
 * once: the daemon's event log and the argument schemas (`kinds` of
 * events.watch and webhook.create) both read this table.
 */
#ifndef PROTOCOL_EVENT_KINDS_H
#define PROTOCOL_EVENT_KINDS_H

/* Every kind of event, in the order of docs/protocol.md. */
enum event_kind {
	EVENT_NEED_POSTED,
	EVENT_OFFER_POSTED,
	EVENT_MATCH_PROPOSED,
	EVENT_MATCH_ANSWERED,
	EVENT_MATCH_CONFIRMED,
	EVENT_MATCH_SUPERSEDED,
	EVENT_MATCH_REMINDER,
	EVENT_FAIR_PUBLISHED,
	EVENT_FAIR_SCHEDULED,
	EVENT_PROJECT_STAGE,
	EVENT_OBJECTION_LODGED,
	EVENT_RISK_FLAGGED,
	EVENT_NKINDS
};

/* "need.posted" for EVENT_NEED_POSTED, and so on; then NULL. */
extern const char *const event_kind_names[EVENT_NKINDS + 1];

#endif
