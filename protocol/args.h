/*
 * args.h: argument schemas.  Each operation declares its arguments once, in
 * the operation table; args_check refuses anything that does not fit before
 * a handler runs, so handlers read values that are known to be well formed.
 */
#ifndef PROTOCOL_ARGS_H
#define PROTOCOL_ARGS_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "protocol/error.h"
#include "protocol/values.h"

enum arg_type {
	ARG_TEXT,		/* string of min..max characters */
	ARG_CODE,		/* community or organisation code */
	ARG_AMOUNT,		/* yuan, > 0 (min 1) or >= 0 (min 0) */
	ARG_INT,		/* whole number in min..max */
	ARG_BOOL,
	ARG_DATE,		/* YYYY-MM-DD */
	ARG_TIME,		/* HH:MM */
	ARG_CATEGORY,		/* family.sub */
	ARG_CATEGORY_FILTER,	/* family.sub or family */
	ARG_CODES,		/* array of at most max codes, no repeats */
	ARG_STREET,		/* a street's name, 1..64 characters (the
				 * daemon checks it is registered) */
	ARG_STREETS,		/* array of 1..max street names, or ["*"] */
	ARG_IDS,		/* array of at most max positive ids */
	ARG_WINDOW,		/* {"from": date, "to": date}, from <= to */
	ARG_ENUM,		/* one of choices */
	ARG_ENUMS,		/* array of at most max distinct choices */
	ARG_SCORE		/* points min..max, at most two decimals */
};

struct arg_spec {
	const char		*name;
	enum arg_type		 type;
	int			 required;
	long long		 min, max;
	const char *const	*choices;	/* ARG_ENUM: NULL-terminated */
};

/* The largest id a client may name (ids are SQLite rowids). */
#define ARG_ID_MAX	9007199254740991LL	/* 2^53 - 1 */

/*
 * Check args (an object, or NULL for none) against specs, which end with a
 * spec whose name is NULL.  Unknown keys, missing required keys and values
 * that break a rule are refused: returns -1 with err set (invalid_argument,
 * field named).  Returns 0 when every argument is well formed.
 */
int		 args_check(const struct arg_spec *specs, const cJSON *args,
		    const struct taxonomy *tax, struct error *err);

/*
 * Members by exact key: of checked arguments, and of any other object the
 * daemon reads (records, rows), the one way it reads members.  The
 * fallback is returned when the member is absent or of another type;
 * args (the object) may be NULL.
 */
int		 args_has(const cJSON *args, const char *name);
const char	*args_str(const cJSON *args, const char *name,
		    const char *fallback);
long long	 args_int(const cJSON *args, const char *name,
		    long long fallback);
double		 args_num(const cJSON *args, const char *name,
		    double fallback);
int64_t		 args_fen(const cJSON *args, const char *name,
		    int64_t fallback);
int		 args_bool(const cJSON *args, const char *name, int fallback);
const cJSON	*args_get(const cJSON *args, const char *name);

#endif
