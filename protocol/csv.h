/*
 * csv.h: reading CSV (RFC 4180) records.  Pure: the importer, the tests and
 * the fuzzer call it on plain bytes.
 */
#ifndef PROTOCOL_CSV_H
#define PROTOCOL_CSV_H

#include <stddef.h>

struct csv_record {
	char	**fields;	/* owned, NUL-terminated */
	size_t	  n;
};

/*
 * Read the next record of buf[0..len) from *pos.  Fields are separated by
 * commas, records by CRLF or LF; a field in double quotes may hold commas,
 * line breaks and "" for a quote.  A UTF-8 BOM at offset 0 is skipped.
 * Returns 1 with rec filled (free with csv_record_free), 0 at the end, or
 * -1 for a malformed record (*why says what; *pos moves past it).
 */
int	csv_next(const char *buf, size_t len, size_t *pos,
	    struct csv_record *rec, const char **why);
void	csv_record_free(struct csv_record *);

/*
 * The number of the record (1 for the first) that holds byte off of
 * buf[0..len): line breaks inside double quotes do not end a record.
 */
long	csv_row_at(const char *buf, size_t len, size_t off);

#endif
