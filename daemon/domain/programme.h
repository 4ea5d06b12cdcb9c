/*
 * programme.h: the rules of the project lifecycle (docs/protocol.md,
 * "Projects"; docs/design.md, "The project lifecycle"), apart from the
 * store: the stages, when a council vote is valid and when it passes, and
 * the deadline of each stage.  The thresholds come from [programme] of the
 * configuration.
 *
 *                 confirmation / project.create
 *                              |
 *                              v
 *   rejected <--- a vote fails --- deliberation <--- project.create
 *                                     |               (a rejected one)
 *                  every paying council approved
 *                                     v
 *                                  notice --- objection upheld ---+
 *                                     |                           |
 *        project.start (notice over, no objection open)           |
 *                                     v                           v
 *         +-- acceptance fails -- implementing ---------------> cancelled
 *         |                           |    project.cancel (admin) ^
 *         |               project.complete                        |
 *         |                           v                           |
 *         +------------------------ completed --------------------+
 *                                     |
 *                  every paying community accepted
 *                                     v
 *                                  accepted --- project.settle ---> settled
 */
#ifndef DAEMON_PROGRAMME_H
#define DAEMON_PROGRAMME_H

#include <time.h>

#include "daemon/base/config.h"

enum programme_stage {
	PS_DELIBERATION, PS_NOTICE, PS_IMPLEMENTING, PS_COMPLETED,
	PS_ACCEPTED, PS_SETTLED, PS_REJECTED, PS_CANCELLED, PS_STAGES
};

/* The stages' names, in the order above, then NULL. */
extern const char *const programme_stages[PS_STAGES + 1];

/* The stage named, or -1. */
int	programme_stage(const char *name);
/* Whether a project in stage s still holds its amount against the caps. */
int	programme_holds_cap(int s);

/* The fewest members present for a quorum: ceil(quorum x members). */
long	programme_quorum(const struct config *, long members);

/*
 * Check a council vote: 0 when valid, else -1 with *field (the argument at
 * fault) and *reason (docs/protocol.md, "Errors") set.
 */
int	programme_vote_valid(const struct config *, long members,
	    long present, long yes, long no, long abstain,
	    const char **field, const char **reason);
/* Whether a valid vote passes: yes > pass_share x present. */
int	programme_vote_passes(const struct config *, long present, long yes);

/*
 * The deadline of stage s entered at `since`: 1 with *due set, or 0 when
 * the stage has none (notice, accepted and the final stages).  A project
 * is overdue at `at` when at > *due.
 */
int	programme_due(const struct config *, int s, time_t since, time_t *due);
int	programme_overdue(const struct config *, int s, time_t since,
	    time_t at);

#endif
