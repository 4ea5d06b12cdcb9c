/*
 * ops_oversight.c: programme oversight (stats.streets, risk.flags).
 * Placeholder: the oversight issue fills these in.
 */
#include "daemon/ops.h"

int
op_stats_streets(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	(void)ctx;
	(void)args;
	if ((*result = cJSON_CreateObject()) == NULL ||
	    cJSON_AddArrayToObject(*result, "items") == NULL)
		return ops_oom(err);
	return 0;
}

int
op_risk_flags(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	(void)ctx;
	(void)args;
	if ((*result = cJSON_CreateObject()) == NULL ||
	    cJSON_AddArrayToObject(*result, "items") == NULL)
		return ops_oom(err);
	return 0;
}
