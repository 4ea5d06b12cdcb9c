/*
 * cmd_backup.h: `matchd backup` and `matchd restore` (docs/protocol.md, "`matchd`"),
 * each run from main() with the arguments after the subcommand's name.
 */
#ifndef DAEMON_CMD_BACKUP_H
#define DAEMON_CMD_BACKUP_H

/* matchd backup [-c FILE] [-D DB] [-o S.K=V]... [--keep N] OUT */
int	cmd_backup(int argc, char **argv);

/* matchd restore [-c FILE] [-D DB] [-o S.K=V]... [--force] IN */
int	cmd_restore(int argc, char **argv);

#endif
