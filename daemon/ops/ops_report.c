/*
 * ops_report.c: report.monthly (stub).
 */
#include "daemon/ops/ops.h"

int
op_report_monthly(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	(void)ctx; (void)args; (void)result;
	return error_set(err, ERR_INTERNAL, NULL, "not yet");
}

int
op_risk_resolve(struct op_ctx *ctx, const cJSON *args, cJSON **result,
    struct error *err)
{
	(void)ctx; (void)args; (void)result;
	return error_set(err, ERR_INTERNAL, NULL, "not yet");
}
