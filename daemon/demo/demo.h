/*
 * demo.h: the demo-district seeder (matchd --demo).
 *
 * Seeds an empty store with a district sized like the reference one (罗湖区,
 * Shenzhen): 10 streets, 83 communities, about 200 organisations, about 260
 * offers and about 1,400 needs.  The seeder knows nothing of the store or the
 * transports: it goes through the same operations a client would, by way of a
 * caller-supplied function that runs one operation as the district admin (or,
 * to answer matches, as a community or organisation).  demo_run
 * (demo_run.c) is that function's owner: it runs the seeder inside the
 * daemon, through core's dispatch, in one transaction.
 */
#ifndef MATCHD_DEMO_H
#define MATCHD_DEMO_H

#include <stdio.h>
#include <cjson/cJSON.h>

/* Call one operation as the district admin (role NULL), or as the account
 * role/code (a community or organisation answering its matches).  Takes
 * ownership of args (it is deleted by the callee).
 * On success returns 0 and sets *result to the op's result object (the seeder, which calls it, must cJSON_Delete it).
 * On failure returns -1, *result is NULL, and errbuf (errlen bytes) holds "code: message". */
typedef int (*demo_call_fn)(void *ctx, const char *role, const char *code,
    const char *op, cJSON *args, cJSON **result, char *errbuf, size_t errlen);

/* Set the day the operations that follow happen on (YYYY-MM-DD), or with
 * NULL go back to the clock: the seeder replays the district's year as it
 * happened, so that fairs are dated after the day they are made and needs
 * are posted through the year. */
typedef void (*demo_date_fn)(void *ctx, const char *date);

/* Seed the demo district through `call` (and `date`). Write one line per account created to `tokens`:
 * "ROLE\tCODE\tTOKEN\tNAME\tSTREET\n" (STREET "-" for none). Deterministic for a given seed.
 * Returns 0, or -1 after writing the reason to errbuf. */
int demo_seed(demo_call_fn call, demo_date_fn date, void *ctx, FILE *tokens, unsigned int seed, char *errbuf, size_t errlen);

struct server;

/*
 * Seed an empty database with the demo district and write every account's
 * token to DB.tokens (mode 0600), all in one transaction.  A database that
 * has accounts already is left as it is.  Returns 0, or -1 (logged; nothing
 * is kept, not even the tokens file).
 */
int demo_run(struct server *srv);

#endif /* MATCHD_DEMO_H */
