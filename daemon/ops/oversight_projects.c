/*
 * oversight_projects.c: the projects as the oversight ops see them
 * (docs/oversight.md, "Projects"): read once per call into plain arrays,
 * with each project's stage as at the end of the period asked for.
 *
 * The stage as at a past time T is read from the histories without
 * replaying them: a history row keeps the stage it left and since when
 * the project had been there, so the first row after T of a project
 * holds its stage (and since) at T; a project with no row after T is
 * where it is now.  A project created after T did not exist.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/base/clock.h"
#include "daemon/domain/programme.h"
#include "daemon/ops/oversight.h"

static int
ov_project_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov		*ov = arg;
	struct ov_project	*p;

	if ((p = OV_PUSH(ov, projects, nprojects, aprojects)) == NULL)
		return ops_oom(err);
	p->id = r->num[0];
	p->org = intern_find(ov->orgs, r->text[2]);
	p->amount = r->num[3];
	p->paid = r->num[4];
	p->stage = programme_stage(r->text[5]);
	p->year = (int)r->num[6];
	p->street = intern_find(ov->streets, r->text[7]);
	p->comm = intern_find(ov->comms, r->text[8]);
	if (clock_parse(r->text[9], &p->created) == -1)
		p->created = 0;
	if (clock_parse(r->text[10], &p->since) == -1)
		p->since = p->created;
	p->served = r->num[11];
	if ((p->title = strdup(r->text[12])) == NULL)
		return ops_oom(err);
	p->at_stage = p->stage;
	p->at_since = p->since;
	/* A project holding its amount is a confirmed match of its date. */
	if (programme_holds_cap(p->stage))
		return ov_match_add(ov, r->num[1], r->text[2], r->num[3],
		    r->text[13], err);
	return 0;
}

/* The index of project id (read in id order), or -1. */
static long
ov_project_index(const struct ov *ov, int64_t id)
{
	size_t lo = 0, hi = ov->nprojects, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ov->projects[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ov->nprojects && ov->projects[lo].id == id ? (long)lo : -1;
}

static int
ov_failed_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov		*ov = arg;
	struct ov_failed	*f;

	if ((f = OV_PUSH(ov, failed, nfailed, afailed)) == NULL)
		return ops_oom(err);
	f->org = intern_find(ov->orgs, r->text[0]);
	f->year = atoi(r->text[1]);
	f->street = intern_find(ov->streets, r->text[2]);
	f->project = r->num[3];
	return 0;
}

int
ov_load_projects(struct op_ctx *ctx, struct ov *ov, const char *year,
    struct error *err)
{
	if (store_oversight_each_at(ctx->store, STORE_OV_PROJECTS, year,
	    ov_project_row, ov, err) == -1 ||
	    store_oversight_each_at(ctx->store, STORE_OV_FAILED, year,
	    ov_failed_row, ov, err) == -1)
		return -1;
	return 0;
}

void
ov_free_projects(struct ov *ov)
{
	size_t i;

	for (i = 0; i < ov->nprojects; i++)
		free(ov->projects[i].title);
	free(ov->projects);
	free(ov->failed);
	ov->projects = NULL;
	ov->failed = NULL;
	ov->nprojects = ov->nfailed = 0;
}

struct ov_at_arg {
	struct ov	*ov;
	unsigned char	*seen;		/* a row after T already read */
};

static int
ov_at_row(void *arg, const struct store_row *r, struct error *err)
{
	struct ov_at_arg	*a = arg;
	struct ov_project	*p;
	long			 i = ov_project_index(a->ov, r->num[0]);

	(void)err;
	if (i < 0 || a->seen[i])
		return 0;
	a->seen[i] = 1;
	p = &a->ov->projects[i];
	/* The first step after T: where the project was before it. */
	p->at_stage = r->text[1][0] ? programme_stage(r->text[1]) : -1;
	if (clock_parse(r->text[2], &p->at_since) == -1)
		p->at_since = p->created;
	return 0;
}

int
ov_at(struct op_ctx *ctx, struct ov *ov, const struct ov_period *per,
    struct error *err)
{
	struct ov_at_arg	 a = { ov, NULL };
	char			 t[CLOCK_TEXT_LEN];
	size_t			 i;
	int			 rc;

	for (i = 0; i < ov->nprojects; i++) {
		ov->projects[i].at_stage = ov->projects[i].created >
		    per->as_of ? -1 : ov->projects[i].stage;
		ov->projects[i].at_since = ov->projects[i].since;
	}
	/* Now: the projects are where they are. */
	if (per->now || ov->nprojects == 0)
		return 0;
	if ((a.seen = calloc(ov->nprojects, 1)) == NULL)
		return ops_oom(err);
	clock_format(per->as_of, t);
	rc = store_oversight_each_at(ctx->store, STORE_OV_HISTORY_AFTER, t,
	    ov_at_row, &a, err);
	/* Created after T: not there, whatever the history says. */
	for (i = 0; i < ov->nprojects; i++)
		if (ov->projects[i].created > per->as_of)
			ov->projects[i].at_stage = -1;
	free(a.seen);
	return rc;
}

int
ov_project_overdue(const struct config *conf, const struct ov_project *pr,
    const struct ov_period *per)
{
	return pr->at_stage >= 0 && programme_overdue(conf, pr->at_stage,
	    pr->at_since, per->as_of);
}
