/*
 * store_schema.h: the schema as a list of forward migrations.
 */
#ifndef DAEMON_STORE_SCHEMA_H
#define DAEMON_STORE_SCHEMA_H

/* The SQL that takes the schema from version v to v + 1, or NULL. */
const char	*schema_migration(int v);

/* The version this build writes: the number of migrations. */
int		 schema_version(void);

#endif
