/*
 * risk_watch.h: risk.flagged events, from risk.flags read again every
 * events.risk_check_minutes (risk_watch.c says how).
 */
#ifndef DAEMON_RISK_WATCH_H
#define DAEMON_RISK_WATCH_H

#include "daemon/core/server.h"

/* On the loop, at each feed tick: start a check when one is due. */
void	risk_watch_tick(struct server *);

#endif
