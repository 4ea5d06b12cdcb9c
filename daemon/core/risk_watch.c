/*
 * risk_watch.c: risk.flagged events (docs/protocol.md, "Events").
 *
 * A risk flag is not written by anyone: risk.flags finds it by reading the
 * district.  So the flags are read again every events.risk_check_minutes
 * (risk.flags as the admin sees it, on a reader thread when there are
 * readers), and on the loop each open flag whose key was never announced
 * is noted (store_risk_seen) and emitted, both in the turn's transaction:
 * a key is announced once, even when its flag is resolved, goes and comes
 * back, or the daemon restarts.
 *
 *   risk_watch_tick (loop, from feed_tick): due, none running
 *     --> risk.flags as a job (readers) or at once (no readers)
 *   risk_watch_done (loop): each new key: noted and emitted; next due
 */
#include <stdio.h>
#include <string.h>

#include "daemon/base/log.h"
#include "daemon/core/dispatch.h"
#include "daemon/core/jobs.h"
#include "daemon/core/metrics.h"
#include "daemon/core/risk_watch.h"
#include "daemon/core/txn.h"
#include "daemon/domain/events.h"

/* The kinds of risk.flags, in Chinese, for the summaries. */
static const struct {
	const char	*kind, *name;
} risk_names[] = {
	{ "padding", "预算虚高" },
	{ "inflated_price", "报价偏高" },
	{ "concentration", "资金集中" },
	{ "duplicate_need", "重复需求" },
	{ "split_project", "拆分项目" },
	{ "stalled", "项目逾期" },
	{ "settled_over", "超额结算" },
	{ "failed_acceptance", "验收未通过" },
};

static const char *
risk_name(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(risk_names) / sizeof(risk_names[0]); i++)
		if (strcmp(risk_names[i].kind, kind) == 0)
			return risk_names[i].name;
	return kind;
}

/* One line of Chinese naming the flag's kind and what it is about. */
static void
risk_summary(const cJSON *it, char *buf, size_t len)
{
	static const struct {
		const char *key, *label;
	} parts[] = {
		{ "street", "街道" }, { "community", "社区" },
		{ "org", "组织" }, { "project", "项目" }, { "need", "需求" },
		{ "offer", "服务" },
	};
	const cJSON	*v;
	const char	*sep = "：";
	size_t		 i, n;

	n = (size_t)snprintf(buf, len, "风险提示（%s）", risk_name(
	    cJSON_GetStringValue(cJSON_GetObjectItem(it, "kind"))));
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && n < len; i++) {
		v = cJSON_GetObjectItem(it, parts[i].key);
		if (cJSON_IsString(v))
			n += (size_t)snprintf(buf + n, len - n, "%s%s %s", sep,
			    parts[i].label, v->valuestring);
		else if (cJSON_IsNumber(v))
			n += (size_t)snprintf(buf + n, len - n, "%s%s %lld",
			    sep, parts[i].label, (long long)v->valuedouble);
		else
			continue;
		sep = "，";
	}
}

/*
 * The street whose organizers see the flag: its own, else its community's,
 * else "*" (every organizer: an organisation's or an offer's flag).
 * Written to buf.
 */
static void
risk_street(struct server *srv, const cJSON *it, char *buf, size_t len)
{
	const char	*s = cJSON_GetStringValue(cJSON_GetObjectItem(it,
			    "street"));
	const char	*comm = cJSON_GetStringValue(cJSON_GetObjectItem(it,
			    "community"));
	cJSON		*c = NULL;
	struct error	 err;

	if (s == NULL && comm != NULL &&
	    store_community_get(srv->store, comm, &c, &err) == 0)
		s = cJSON_GetStringValue(cJSON_GetObjectItem(c, "street"));
	snprintf(buf, len, "%s", s != NULL && s[0] != '\0' ? s : "*");
	cJSON_Delete(c);
}

/* Note and emit flag it unless its key was announced: 0, or -1. */
static int
risk_announce(struct server *srv, const cJSON *it, struct error *err)
{
	const char		*key = cJSON_GetStringValue(
				    cJSON_GetObjectItem(it, "key"));
	char			 summary[512], street[260];
	const char		*streets[1] = { street };
	struct event_audience	 aud = { NULL, 0, NULL, 0, streets, 1, 1 };
	struct event_object	 obj = { "risk", 0, 0, 0 };
	int			 rc;

	if (key == NULL)
		return 0;
	if ((rc = store_risk_seen(srv->store, key, &obj.id, err)) != 1)
		return rc;
	risk_summary(it, summary, sizeof(summary));
	risk_street(srv, it, street, sizeof(street));
	return events_emit(srv->store, EVENT_RISK_FLAGGED, &obj, summary,
	    &aud, err);
}

/* risk.flags answered (a job's done function, or called at once): each
 * new flag in a savepoint of the turn's transaction. */
static void
risk_watch_done(void *arg, struct answer *a)
{
	struct server	*srv = arg;
	const cJSON	*it;
	struct error	 err;
	int		 n = 0, opened = 0;

	srv->risk_busy = 0;
	srv->risk_next = metrics_now() +
	    srv->conf.events_risk_check_minutes * 60;
	if (a->err.code != ERR_NONE) {
		log_warnx("risk_watch_done: risk.flags: %s", a->err.message);
		return;
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(a->result, "items")) {
		if (txn_open(srv, &err) == -1)
			break;
		opened = 1;
		if (store_savepoint(srv->store, &err) == -1)
			break;
		if (risk_announce(srv, it, &err) == -1) {
			store_savepoint_rollback(srv->store);
			break;
		}
		store_savepoint_release(srv->store);
		txn_wrote(srv);
		n++;
	}
	if (it != NULL)
		log_warnx("risk_watch_done: %s", err.message);
	/* SQLite gave the transaction up (a failed statement): what the turn
	 * wrote is gone.  Not when no flag was new, and none opened it: that
	 * emptied the caches (the index of open offers, read again whole at
	 * the next suggestion) at every check. */
	if (opened && !store_in_txn(srv->store))
		txn_abort(srv);
	log_debug("risk_watch_done: %d flags looked at", n);
}

void
risk_watch_tick(struct server *srv)
{
	struct principal	 who;
	struct answer		 a;
	struct job		*j;
	double			 minutes = srv->conf.events_risk_check_minutes;

	if (minutes <= 0 || srv->risk_busy || metrics_now() < srv->risk_next)
		return;
	memset(&who, 0, sizeof(who));
	who.role = ROLE_ADMIN;
	snprintf(who.acct.role, sizeof(who.acct.role), "admin");
	snprintf(who.acct.code, sizeof(who.acct.code), "matchd");
	srv->risk_busy = 1;
	if (srv->readers != NULL && (j = job_start(srv, ops_find("risk.flags"),
	    &who, NULL, DISPATCH_INTERNAL)) != NULL) {
		job_on_done(j, risk_watch_done, srv);
		return;
	}
	dispatch_as(srv, &who, "risk.flags", NULL, &a);
	risk_watch_done(srv, &a);
	cJSON_Delete(a.result);
}
