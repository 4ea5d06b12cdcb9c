/*
 * projects.h: what the project ops share (ops_projects.c: creating,
 * reading, settling and cancelling projects; ops_project_steps.c: the
 * steps in between).  The stages and their rules are in
 * daemon/domain/programme.h, with the drawing of the lifecycle.  Not for
 * use outside these files and ops_respond.c.
 */
#ifndef DAEMON_OPS_PROJECTS_H
#define DAEMON_OPS_PROJECTS_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "daemon/domain/programme.h"
#include "daemon/ops/ops.h"

/*
 * Open a project for need and offer, which the caller has already taken
 * (the need matched, the offer's capacity used, the caps checked): the
 * rejected project of the same pair returns to deliberation, else a new
 * one begins there.  match is the confirmed match or 0; amount in fen.
 * Returns 0 with *id, or -1.
 */
int	project_open(struct op_ctx *, int64_t need, int64_t offer,
	    int64_t match, int64_t amount, int64_t *id, struct error *);

/*
 * Take need and offer for a project (both checked by the caller: open,
 * capacity, the caps): the need is matched, the offer serves one fewer
 * (full at none left); both are saved.  0 or -1.
 */
int	project_take(struct op_ctx *, cJSON *need, cJSON *offer,
	    struct error *);

/* Load args[key] (not_found naming key); the caller owns *p. */
int	project_load(struct op_ctx *, const cJSON *args, const char *key,
	    cJSON **p, struct error *);
/* The project as its ops answer it: the record, its votes, objections,
 * acceptances and history, its deadline and the step it waits for. */
int	project_object(struct op_ctx *, int64_t id, cJSON **out,
	    struct error *);
/* {"project": ...} of id, added to *result (made when NULL). */
int	project_answer(struct op_ctx *, int64_t id, cJSON **result,
	    struct error *);

/* Whether community pays for p (its community or one of its partners). */
int	project_pays(const cJSON *p, const char *community);
/* The stage of p (programme.h). */
int	project_stage(const cJSON *p);

/*
 * Refuse a step p's stage does not allow: conflict, reason stage_<stage>,
 * and a message naming the step it waits for and who owes it.
 */
int	project_refuse_stage(struct op_ctx *, const cJSON *p, const char *op,
	    struct error *);

/*
 * Record a step of p: with stage >= 0 it enters that stage (since now,
 * and what entering it means: the notice's end, the amount released);
 * p is saved and the step kept in its history.  p stays the caller's.
 */
int	project_step(struct op_ctx *, cJSON *p, int stage, const char *date,
	    const char *note, struct error *);

#endif
