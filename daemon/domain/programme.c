/*
 * programme.c: the rules of the project lifecycle (programme.h).  Every
 * comparison is exact: the quorum on whole numbers, the pass share read
 * to six decimals as parts per million.
 */
#include <math.h>
#include <string.h>

#include "daemon/domain/programme.h"

const char *const programme_stages[PS_STAGES + 1] = {
	"deliberation", "notice", "implementing", "completed", "accepted",
	"settled", "rejected", "cancelled", NULL
};

int
programme_stage(const char *name)
{
	int s;

	for (s = 0; name != NULL && s < PS_STAGES; s++)
		if (strcmp(programme_stages[s], name) == 0)
			return s;
	return -1;
}

int
programme_holds_cap(int s)
{
	return s >= 0 && s != PS_REJECTED && s != PS_CANCELLED;
}

long
programme_quorum(const struct config *conf, long members)
{
	long long num = (long long)conf->quorum.num * members;

	/* The exact ceiling of num / den. */
	return (long)((num + conf->quorum.den - 1) / conf->quorum.den);
}

int
programme_vote_valid(const struct config *conf, long members, long present,
    long yes, long no, long abstain, const char **field, const char **reason)
{
	if (present > members) {
		*field = "present";
		*reason = "present_over_members";
		return -1;
	}
	if (present < programme_quorum(conf, members)) {
		*field = "present";
		*reason = "quorum_not_met";
		return -1;
	}
	if (yes + no + abstain != present) {
		*field = "yes";
		*reason = "counts_mismatch";
		return -1;
	}
	return 0;
}

int
programme_vote_passes(const struct config *conf, long present, long yes)
{
	long long ppm = llround(conf->pass_share * 1000000.0);

	return (long long)yes * 1000000 > ppm * present;
}

int
programme_due(const struct config *conf, int s, time_t since, time_t *due)
{
	long days;

	switch (s) {
	case PS_DELIBERATION:
		days = conf->deliberation_days;
		break;
	case PS_IMPLEMENTING:
		days = conf->implementation_days;
		break;
	case PS_COMPLETED:
		days = conf->acceptance_days;
		break;
	default:
		return 0;
	}
	*due = since + (time_t)days * 86400;
	return 1;
}

int
programme_overdue(const struct config *conf, int s, time_t since, time_t at)
{
	time_t due;

	return programme_due(conf, s, since, &due) && at > due;
}
