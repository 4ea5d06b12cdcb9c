/*
 * csv.c: an RFC 4180 record reader.
 */
#include <stdlib.h>
#include <string.h>

#include "protocol/csv.h"

struct field {
	char	*p;
	size_t	 len, cap;
};

static int
field_add(struct field *f, char c)
{
	char *np;

	if (f->len + 2 > f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		if ((np = realloc(f->p, f->cap)) == NULL)
			return -1;
		f->p = np;
	}
	f->p[f->len++] = c;
	f->p[f->len] = '\0';
	return 0;
}

static int
record_push(struct csv_record *rec, struct field *f)
{
	char **nf;

	if ((nf = realloc(rec->fields, (rec->n + 1) * sizeof(*nf))) == NULL)
		return -1;
	rec->fields = nf;
	if (f->p == NULL && (f->p = strdup("")) == NULL)
		return -1;
	rec->fields[rec->n++] = f->p;
	memset(f, 0, sizeof(*f));
	return 0;
}

void
csv_record_free(struct csv_record *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		free(rec->fields[i]);
	free(rec->fields);
	memset(rec, 0, sizeof(*rec));
}

/* Skip to the start of the next line after a malformed record. */
static void
csv_skip_line(const char *buf, size_t len, size_t *pos)
{
	while (*pos < len && buf[*pos] != '\n')
		(*pos)++;
	if (*pos < len)
		(*pos)++;
}

int
csv_next(const char *buf, size_t len, size_t *pos, struct csv_record *rec,
    const char **why)
{
	struct field	 f = { NULL, 0, 0 };
	size_t		 i = *pos;
	int		 quoted;

	memset(rec, 0, sizeof(*rec));
	if (i == 0 && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (i >= len) {
		*pos = i;
		return 0;
	}
	for (;;) {
		quoted = i < len && buf[i] == '"';
		if (quoted) {
			for (i++;; i++) {
				if (i >= len) {
					*why = "a quoted field is not closed";
					goto bad;
				}
				if (buf[i] == '"') {
					if (i + 1 < len && buf[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (field_add(&f, buf[i]) == -1)
					goto oom;
			}
			if (i < len && buf[i] != ',' && buf[i] != '\n' &&
			    !(buf[i] == '\r' && i + 1 < len &&
			    buf[i + 1] == '\n') && !(buf[i] == '\r' &&
			    i + 1 == len)) {
				*why = "text follows a closing quote";
				goto bad;
			}
		} else {
			for (; i < len && buf[i] != ',' && buf[i] != '\n';
			    i++) {
				if (buf[i] == '\r' && (i + 1 == len ||
				    buf[i + 1] == '\n'))
					continue;
				if (buf[i] == '"') {
					*why = "a quote inside an unquoted "
					    "field";
					goto bad;
				}
				if (field_add(&f, buf[i]) == -1)
					goto oom;
			}
		}
		if (record_push(rec, &f) == -1)
			goto oom;
		if (i < len && buf[i] == '\r')
			i++;
		if (i >= len || buf[i] == '\n') {
			if (i < len)
				i++;
			*pos = i;
			return 1;
		}
		i++;	/* the comma */
	}
oom:
	*why = "out of memory";
bad:
	free(f.p);
	csv_record_free(rec);
	*pos = i;
	csv_skip_line(buf, len, pos);
	return -1;
}

long
csv_row_at(const char *buf, size_t len, size_t off)
{
	size_t	i;
	long	row = 1;
	int	quoted = 0;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '"')
			quoted = !quoted;	/* "" inside quotes: twice */
		else if (buf[i] == '\n' && !quoted)
			row++;
	}
	return row;
}
