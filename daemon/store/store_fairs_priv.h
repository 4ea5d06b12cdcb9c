/*
 * store_fairs_priv.h: what the fair family of the store shares beyond
 * store_priv.h: store_fairs.c (fairs, enrolment, the matcher's rows),
 * store_runs.c (runs and matches) and store_meetings.c (the schedule).
 * The helpers are defined in store_fairs.c.  Not for use outside daemon/store.
 */
#ifndef DAEMON_STORE_FAIRS_PRIV_H
#define DAEMON_STORE_FAIRS_PRIV_H

#include "daemon/store/store_priv.h"

/* The columns need_each_row reads, of needs n. */
#define NEED_ROW_COLS "n.id, n.community, n.partners, n.street, " \
	"n.category, n.title, n.description, n.status, n.budget"

/* A reader's callback and its argument, for the row functions of each_row. */
struct each_arg {
	void	*fn;
	void	*arg;
};

/* UPDATE ... SET status = ?2, updated = now WHERE id = ?1, by statement. */
int		 set_status(struct store *, enum stmt_id, int64_t id,
		    const char *status, struct error *);
/* Column col as text, "" for NULL. */
const char	*col_text(sqlite3_stmt *, int col);
/* Step st to the end, handing each row to row(); 0 or -1. */
int		 each_row(struct store *, sqlite3_stmt *,
		    int (*row)(sqlite3_stmt *, void *, struct error *), void *,
		    struct error *);
/* each_row's row function for NEED_ROW_COLS: ea (struct each_arg) holds
 * a store_need_fn. */
int		 need_each_row(sqlite3_stmt *, void *ea, struct error *);
/* Every row of st into a new array through fn: 0 or -1. */
int		 get_all(struct store *, sqlite3_stmt *,
		    cJSON *(*fn)(sqlite3_stmt *), cJSON **items, struct error *);

#endif
