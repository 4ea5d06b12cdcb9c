/*
 * ops_threads.c: where each operation runs (ops.h, "Where an op runs";
 * docs/performance.md, "Threads").  An op not named here runs on the loop
 * thread, inside the turn's transaction, as every op did before reader
 * threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/ops/ops.h"

static const struct op_thread op_threads[] = {
	/* Long reads: whole-table scans and large pages. */
	{ "stats.streets", OP_READER, NULL, NULL },
	{ "stats.categories", OP_READER, NULL, NULL },
	{ "stats.orgs", OP_READER, NULL, NULL },
	{ "risk.flags", OP_READER, NULL, NULL },
	{ "audit.list", OP_READER, NULL, NULL },
	{ "need.list", OP_READER, NULL, NULL },
	{ "offer.list", OP_READER, NULL, NULL },
	{ "fair.matches", OP_READER, NULL, NULL },
	{ "fair.meetings", OP_READER, NULL, NULL },
	{ "fair.export", OP_READER, NULL, NULL },
	/* Suggestions for an offer scan the open needs; for a need they
	 * come from the loop's index of open offers. */
	{ "match.suggest", OP_READER, NULL, "offer" },
	/* The matcher and the scheduler compute on a reader; the loop
	 * writes their result. */
	{ "fair.match", OP_SPLIT, op_fair_match_compute, NULL },
	{ "fair.schedule", OP_SPLIT, op_fair_schedule_compute, NULL },
	/* Writes of new records only. */
	{ "need.post", OP_NEW_ONLY, NULL, NULL },
	{ "offer.post", OP_NEW_ONLY, NULL, NULL },
	{ "community.create", OP_NEW_ONLY, NULL, NULL },
	{ "org.create", OP_NEW_ONLY, NULL, NULL },
	{ "organizer.create", OP_NEW_ONLY, NULL, NULL },
	{ "token.rotate", OP_NEW_ONLY, NULL, NULL },
	{ "fair.create", OP_NEW_ONLY, NULL, NULL },
};

static const struct op_thread	  op_thread_none = { NULL, 0, NULL, NULL };
static const struct op_thread	**op_thread_of;	/* by ops_index */
static pthread_once_t		  op_thread_once = PTHREAD_ONCE_INIT;

/* Index the entries by the op table's positions, once. */
static void
ops_thread_init(void)
{
	const struct op	*op;
	size_t		 i, n = ops_count();

	if ((op_thread_of = calloc(n + 1, sizeof(*op_thread_of))) == NULL)
		return;
	for (i = 0; i < n; i++)
		op_thread_of[i] = &op_thread_none;
	for (i = 0; i < sizeof(op_threads) / sizeof(op_threads[0]); i++)
		if ((op = ops_find(op_threads[i].name)) != NULL)
			op_thread_of[ops_index(op)] = &op_threads[i];
}

const struct op_thread *
ops_thread(const struct op *op)
{
	size_t i;

	(void)pthread_once(&op_thread_once, ops_thread_init);
	if (op_thread_of != NULL)
		return op_thread_of[ops_index(op)];
	for (i = 0; i < sizeof(op_threads) / sizeof(op_threads[0]); i++)
		if (strcmp(op_threads[i].name, op->name) == 0)
			return &op_threads[i];
	return &op_thread_none;
}
