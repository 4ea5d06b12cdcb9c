/*
 * config.h: the configuration (conf/matchd.conf, INI) and its defaults.
 */
#ifndef DAEMON_CONFIG_H
#define DAEMON_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "protocol/values.h"

enum { W_CATEGORY, W_BUDGET, W_TEXT, W_LIBRARY, W_LOCALITY, W_INTEREST,
    W_COUNT };

/* A fraction as written ("2/3", "0.6667") and exactly: num / den. */
struct conf_fraction {
	char		text[24];
	long		num, den;
};

struct config {
	/* [server] */
	char		listen[128];
	char		http[128];
	char		unix_socket[256];
	char		database[256];
	/* [limits] */
	long		max_clients;
	long		max_clients_per_address;
	long		idle_timeout;
	long		max_request_bytes;
	long		requests_per_turn;
	long		turn_slice_ms;
	long		rate_per_token;
	long		header_timeout;
	long		max_output_bytes;
	long		max_output_total;
	long		max_answer_bytes;
	long		reader_threads;
	/* [store] */
	char		synchronous[8];
	long		busy_timeout;
	long		mmap_mib;
	/* [matcher] */
	int64_t		community_cap;		/* fen */
	long		meetings_per_need;
	double		min_score;		/* points: fair default */
	/* [weights] */
	double		weights[W_COUNT];
	/* [risk]: thresholds of risk.flags (docs/oversight.md) */
	double		risk_padding_share;
	long		risk_padding_days;
	double		risk_padding_late_share;
	double		risk_inflated_factor;
	double		risk_concentration_share;
	double		risk_duplicate_similarity;
	int64_t		risk_split_threshold;	/* fen */
	/* [programme]: the project lifecycle (docs/protocol.md, "Projects") */
	long		notice_days;
	struct conf_fraction quorum;
	double		pass_share;
	long		deliberation_days;
	long		implementation_days;
	long		acceptance_days;
	/* [events] */
	char		events_allow_private_hooks[8];	/* false | true */
	double		events_webhook_retry_hours;
	double		events_remind_after_hours;	/* 0: no reminders */
	double		events_risk_check_minutes;	/* 0: no risk.flagged */
	/* [time] */
	char		time_zone[64];		/* tz database name */
	char		time_today[16];		/* "": the clock's */
	/* [http] */
	char		metrics_token[80];	/* "": loopback only */
	/* [log] */
	char		log_level[8];
	char		log_format[8];		/* text | json */
	char		log_requests[8];	/* off | on */
	/* [taxonomy] */
	struct taxonomy	taxonomy;
};

/*
 * Load defaults, then the INI file at path (NULL: none), then each override
 * "section.key=value".  Returns 0, or -1 with one line in msg.
 */
int	config_load(struct config *, const char *path, char *const *overrides,
	    int noverrides, char *msg, size_t msglen);

/* Print the effective configuration as INI, every key, to fp. */
void	config_print(const struct config *, FILE *fp);

/* Set the log's level and format from conf (at start and on SIGHUP). */
void	config_apply_log(const struct config *);

/* 1 when every request is to be logged (log.requests = on). */
int	config_log_requests(const struct config *);

/* Copy into dst the keys of src that may change while running (SIGHUP). */
void	config_apply_live(struct config *dst, const struct config *src);

#endif
