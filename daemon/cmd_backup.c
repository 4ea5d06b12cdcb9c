/*
 * cmd_backup.c: matchd backup and matchd restore (docs/protocol.md,
 * "`matchd`, the daemon's command line").
 *
 *	matchd backup [-c FILE] [-D DB] [-o S.K=V]... [--keep N] OUT
 *	matchd restore [-c FILE] [-D DB] [-o S.K=V]... [--force] IN
 *
 * backup copies the configured database while the daemon runs (the store's
 * online backup, store_backup.h), checks the copy and prints its size and
 * last audit id.  OUT a folder: the copy is OUT/matchd-YYYYMMDDTHHMMSSZ.db
 * (UTC), and --keep N then removes all but the newest N such copies there,
 * which is what the package's hourly timer runs.
 *
 * restore checks IN and puts it in place as the configured database.  It
 * refuses while any process holds that database, and refuses to replace
 * an existing one without --force.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/base/config.h"
#include "daemon/cmd_backup.h"
#include "daemon/store/store_backup.h"

#define BACKUP_PREFIX	"matchd-"
#define BACKUP_SUFFIX	".db"
#define BACKUP_STAMP	16		/* YYYYMMDDTHHMMSSZ */

struct backup_opts {
	const char	*conf_path;
	const char	*db;
	char		**overrides;
	int		 noverrides;
	long		 keep;		/* -1: keep every copy */
	int		 force;
	const char	*arg;		/* OUT or IN */
};

static void __attribute__((noreturn))
backup_usage(void)
{
	fprintf(stderr,
	    "usage: matchd backup [-c FILE] [-D DB] [-o SECTION.KEY=VALUE]..."
	    " [--keep N] OUT\n"
	    "       matchd restore [-c FILE] [-D DB] [-o SECTION.KEY=VALUE]..."
	    " [--force] IN\n");
	exit(1);
}

/*
 * Parse the options of backup (restore 0) or restore (restore 1) and load
 * the configuration into conf; exit 1 with a message on any error.  The
 * overrides array is the caller's to free.
 */
static void
backup_options(int argc, char **argv, int restore, struct backup_opts *o,
    struct config *conf)
{
	static const struct option longopts[] = {
		{ "keep", required_argument, NULL, 'k' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	char	 msg[512], *end;
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->keep = -1;
	if ((o->overrides = calloc((size_t)argc + 1, sizeof(char *))) == NULL) {
		perror("matchd");
		exit(1);
	}
	while ((ch = getopt_long(argc, argv, "c:D:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->conf_path = optarg; break;
		case 'D': o->db = optarg; break;
		case 'o': o->overrides[o->noverrides++] = optarg; break;
		case 'k':
			errno = 0;
			o->keep = strtol(optarg, &end, 10);
			if (restore || errno != 0 || end == optarg || *end ||
			    o->keep < 1 || o->keep > 100000)
				backup_usage();
			break;
		case 'f':
			if (!restore)
				backup_usage();
			o->force = 1;
			break;
		default: backup_usage();
		}
	}
	if (optind != argc - 1)
		backup_usage();
	o->arg = argv[optind];
	if (config_load(conf, o->conf_path, o->overrides, o->noverrides, msg,
	    sizeof(msg)) == -1) {
		fprintf(stderr, "matchd: %s\n", msg);
		exit(1);
	}
	if (o->db != NULL) {
		if (strlen(o->db) >= sizeof(conf->database)) {
			fprintf(stderr, "matchd: %s is too long\n", o->db);
			exit(1);
		}
		strcpy(conf->database, o->db);
	}
}

/* A name this command gave a copy in a folder: matchd-STAMP.db. */
static int
backup_is_copy(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return n == strlen(BACKUP_PREFIX) + BACKUP_STAMP +
	    strlen(BACKUP_SUFFIX) &&
	    strncmp(d->d_name, BACKUP_PREFIX, strlen(BACKUP_PREFIX)) == 0 &&
	    strcmp(d->d_name + n - strlen(BACKUP_SUFFIX), BACKUP_SUFFIX) == 0;
}

/*
 * Remove all but the newest keep copies in dir.  The names sort by time,
 * so the newest are the last.  Returns the number removed, or -1.
 */
static int
backup_prune(const char *dir, long keep)
{
	struct dirent	**names;
	char		  path[PATH_MAX];
	int		  n, i, removed = 0, rc = 0;

	if ((n = scandir(dir, &names, backup_is_copy, alphasort)) == -1) {
		fprintf(stderr, "matchd: backup: %s: %s\n", dir,
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (i < n - keep) {
			snprintf(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name);
			if (unlink(path) == -1) {
				fprintf(stderr, "matchd: backup: cannot remove "
				    "%s: %s\n", path, strerror(errno));
				rc = -1;
			} else
				removed++;
		}
		free(names[i]);
	}
	free(names);
	return rc == -1 ? -1 : removed;
}

int
cmd_backup(int argc, char **argv)
{
	struct backup_opts	 o;
	struct config		 conf;
	struct store_copy_info	 info;
	struct error		 err;
	struct stat		 sb;
	struct tm		 tm;
	time_t			 now;
	char			 out[PATH_MAX], stamp[BACKUP_STAMP + 1];
	int			 isdir, pruned = 0, rc = 1;

	backup_options(argc, argv, 0, &o, &conf);
	isdir = stat(o.arg, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (o.keep != -1 && !isdir) {
		fprintf(stderr, "matchd: backup: --keep needs OUT to be a "
		    "folder; %s is not one\n", o.arg);
		goto done;
	}
	if (isdir) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		if ((size_t)snprintf(out, sizeof(out), "%s/%s%s%s", o.arg,
		    BACKUP_PREFIX, stamp, BACKUP_SUFFIX) >= sizeof(out)) {
			fprintf(stderr, "matchd: backup: %s: path too long\n",
			    o.arg);
			goto done;
		}
	} else if ((size_t)snprintf(out, sizeof(out), "%s", o.arg) >=
	    sizeof(out)) {
		fprintf(stderr, "matchd: backup: %s: path too long\n", o.arg);
		goto done;
	}
	if (store_backup(conf.database, out, conf.busy_timeout, &info,
	    &err) == -1) {
		fprintf(stderr, "matchd: backup: %s\n", err.message);
		goto done;
	}
	if (o.keep != -1 && (pruned = backup_prune(o.arg, o.keep)) == -1)
		goto done;
	printf("backup %s: %lld bytes, schema %d, last audit id %lld, "
	    "integrity_check ok", out, (long long)info.bytes, info.schema,
	    (long long)info.last_audit);
	if (o.keep != -1)
		printf("; %d old cop%s removed, keeping %ld", pruned,
		    pruned == 1 ? "y" : "ies", o.keep);
	printf("\n");
	rc = 0;
done:
	free(o.overrides);
	return rc;
}

int
cmd_restore(int argc, char **argv)
{
	struct backup_opts	 o;
	struct config		 conf;
	struct store_copy_info	 info;
	struct error		 err;
	int			 rc = 1;

	backup_options(argc, argv, 1, &o, &conf);
	if (store_backup_check(o.arg, &info, &err) == -1) {
		fprintf(stderr, "matchd: restore: %s\n", err.message);
		goto done;
	}
	switch (store_backup_in_use(conf.database, &err)) {
	case -1:
		fprintf(stderr, "matchd: restore: %s\n", err.message);
		goto done;
	case 1:
		fprintf(stderr, "matchd: restore: %s is in use (is matchd "
		    "running?); stop it first\n", conf.database);
		goto done;
	}
	if (!o.force && access(conf.database, F_OK) == 0) {
		fprintf(stderr, "matchd: restore: %s exists; --force replaces "
		    "it\n", conf.database);
		goto done;
	}
	if (store_backup_restore(o.arg, conf.database, &info, &err) == -1) {
		fprintf(stderr, "matchd: restore: %s\n", err.message);
		goto done;
	}
	printf("restored %s into %s: %lld bytes, schema %d, last audit id "
	    "%lld, integrity_check ok\n", o.arg, conf.database,
	    (long long)info.bytes, info.schema, (long long)info.last_audit);
	rc = 0;
done:
	free(o.overrides);
	return rc;
}
