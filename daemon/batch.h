/*
 * batch.h: group commit.  The requests read in one turn of the event loop
 * share one transaction; their answers wait in the batch and are written
 * only after COMMIT returns, so an ok to a write means it is on disk.
 */
#ifndef DAEMON_BATCH_H
#define DAEMON_BATCH_H

#include "daemon/conn.h"
#include "daemon/server.h"

/* Make sure the batch transaction is open.  0, or -1 with err set. */
int	batch_open(struct server *, struct error *err);

/* Hold an answer until the batch ends. */
void	batch_queue(struct server *, struct pending *);

/*
 * End the batch: commit, then send every held answer.  When the commit
 * fails, answers to writes become `unavailable`: nothing of them stayed.
 */
void	batch_end(struct server *);

/* The transaction was lost mid-batch (SQLite rolled it back): answer every
 * write held so far as unavailable, now. */
void	batch_abort(struct server *);

#endif
