/*
 * demo_run.c: matchd --demo: the demo district seeded (demo.c) into an
 * empty database, each operation run through the daemon's own dispatch as
 * the district admin (or, to answer matches, as a community or
 * organisation), in one transaction, with every account's token written to
 * DB.tokens.  The one file of daemon/demo/ that knows the daemon: the seeder
 * itself reaches it only through demo_call.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "daemon/base/clock.h"
#include "daemon/base/log.h"
#include "daemon/core/dispatch.h"
#include "daemon/core/server.h"
#include "daemon/demo/demo.h"
#include "daemon/domain/auth.h"
#include "daemon/store/store.h"

#define DEMO_SEED	2017u

struct demo_ctx {
	struct server		*srv;
	struct principal	 admin;
	long			 offset;	/* the clock's when seeding began */
};

/*
 * demo.clock {days}: the story's clock, days from the real now
 * (demo_projects.c tells its projects' months in a few calls); answers
 * {"today": "YYYY-MM-DD"}.
 */
static int
demo_clock_op(struct demo_ctx *d, cJSON *args, cJSON **result)
{
	char now[CLOCK_TEXT_LEN];

	clock_set_offset(d->offset + (long)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(args, "days")) * 86400);
	clock_format(clock_now(), now);
	now[10] = '\0';
	cJSON_Delete(args);
	if ((*result = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(*result, "today", now) == NULL)
		return -1;
	return 0;
}

/*
 * Run op as the demo admin, or (role non-NULL) as the account role/code:
 * a community or organisation answering its matches.
 */
static int
demo_call(void *arg, const char *role, const char *code, const char *op,
    cJSON *args, cJSON **result, char *errbuf, size_t errlen)
{
	struct demo_ctx		*d = arg;
	struct principal	 who;
	struct answer		 a;
	struct error		 err;

	*result = NULL;
	if (strcmp(op, "demo.clock") == 0)
		return demo_clock_op(d, args, result);
	if (role != NULL) {
		memset(&who, 0, sizeof(who));
		if (store_account_by_code(d->srv->store, role, code, &who.acct,
		    &err) != 0 || (who.role = auth_role_bit(role)) == 0) {
			cJSON_Delete(args);
			snprintf(errbuf, errlen, "not_found: no %s account %s",
			    role, code);
			return -1;
		}
	}
	dispatch_as(d->srv, role != NULL ? &who : &d->admin, op, args, &a);
	cJSON_Delete(args);
	*result = a.result;
	if (a.err.code != ERR_NONE) {
		snprintf(errbuf, errlen, "%s: %s", error_name(a.err.code),
		    a.err.message);
		return -1;
	}
	return 0;
}

/* The seeder's day: the daemon's calendar pretends it (clock.h). */
static void
demo_date(void *arg, const char *date)
{
	(void)arg;
	clock_pretend(date);
}

/*
 * Seed an empty database with the demo district and write every account's
 * token to DB.tokens (mode 0600).  A database that has accounts already is
 * left as it is.
 */
int
demo_run(struct server *srv)
{
	struct demo_ctx	 d;
	struct error	 err;
	char		 path[300], token[TOKEN_HEX_LEN + 1], msg[512];
	FILE		*fp;
	int		 fd, rc;

	if (store_account_next_id(srv->store) > 1) {
		log_info("demo_run: %s already holds accounts; not seeding "
		    "(tokens are in %s.tokens)", srv->conf.database,
		    srv->conf.database);
		return 0;
	}
	snprintf(path, sizeof(path), "%s.tokens", srv->conf.database);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		log_warn("demo_run: %s", path);
		return -1;
	}
	fchmod(fd, 0600);
	memset(&d, 0, sizeof(d));
	d.srv = srv;
	d.offset = clock_offset();
	if (store_begin(srv->store, &err) == -1 ||
	    auth_account_create(srv->store, "admin", "admin-1",
	    "区民政局", NULL, token, &d.admin.acct.id,
	    &err) == -1) {
		log_warnx("demo_run: %s", err.message);
		goto fail;
	}
	strcpy(d.admin.acct.role, "admin");
	strcpy(d.admin.acct.code, "admin-1");
	d.admin.role = ROLE_ADMIN;
	fprintf(fp, "admin\tadmin-1\t%s\t区民政局\t-\n", token);
	sodium_memzero(token, sizeof(token));
	rc = demo_seed(demo_call, demo_date, &d, fp, DEMO_SEED, msg,
	    sizeof(msg));
	clock_set_offset(d.offset);
	if (rc == -1) {
		log_warnx("demo_run: %s", msg);
		goto fail;
	}
	if (fflush(fp) == EOF || fsync(fd) == -1 ||
	    store_commit(srv->store, &err) == -1) {
		log_warnx("demo_run: cannot commit the demo district");
		goto fail;
	}
	fclose(fp);
	log_info("demo_run: demo district seeded; tokens in %s", path);
	return 0;
fail:
	store_rollback(srv->store);
	fclose(fp);
	unlink(path);
	return -1;
}
