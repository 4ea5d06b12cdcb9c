/*
 * log.h: logging to stderr, OpenBSD style.  Messages start with the name of
 * the function that logs them.
 */
#ifndef DAEMON_LOG_H
#define DAEMON_LOG_H

enum log_level { LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

void	log_set_level(enum log_level);
/*
 * text: "TIME matchd LEVEL: message"; json: one object a line, {"time",
 * "level", "msg"} and, for requests, "op", "role", "code", "outcome",
 * "ms".  Under systemd (JOURNAL_STREAM set) each line starts with its
 * syslog priority, "<4>" to "<7>", which journald reads as the level.
 */
void	log_set_format(enum log_format);
/* Parse "text" or "json": 0, or -1 when unknown. */
int	log_parse_format(const char *, enum log_format *);
/* Log one request at info: the op, the caller's role and account code
 * (NULL: none), its outcome (an error code name or "ok") and how long it
 * took.  Never give it a token. */
void	log_request(const char *op, const char *role, const char *code,
	    const char *outcome, double ms);
/* Parse "warn", "info" or "debug": 0, or -1 when unknown. */
int	log_parse_level(const char *, enum log_level *);
const char *log_level_name(enum log_level);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
