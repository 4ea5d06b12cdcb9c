/*
 * store_record_sql.c: a record type's statements, built from its fields at
 * open (store_record.c runs them):
 *
 *   columns	the fields' columns in their order, a window taking two, the
 *		id first: parameter ?N of the writes is column N - 1
 *   insert	every column but the id; update every one but id and created
 *   get	by id; by_ref by the owner's field and the ref field
 *   list	id > ?1, then one condition per filter (?2 street, ?3 owner,
 *		?4 category, ?5 status, ?6 in_library, ?7 org, ?8 year),
 *		LIMIT ?9
 *
 * and the statements of other files that read whole records or views
 * (struct store_select).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/store/store_priv.h"

/* SQL text being built; a failed allocation sticks (p NULL at the end). */
struct sql {
	char	*p;
	size_t	 len, cap;
	int	 failed;
};

static void
sql_add(struct sql *q, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	size_t	 cap;
	int	 n;

	while (!q->failed) {
		va_start(ap, fmt);
		n = vsnprintf(q->p ? q->p + q->len : NULL,
		    q->p ? q->cap - q->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			q->failed = 1;
			break;
		}
		if (q->p != NULL && q->len + (size_t)n < q->cap) {
			q->len += (size_t)n;
			return;
		}
		cap = q->cap * 2 > q->len + n + 1 ? q->cap * 2 :
		    q->len + n + 256;
		if ((p = realloc(q->p, cap)) == NULL)
			q->failed = 1;
		else {
			q->p = p;
			q->cap = cap;
		}
	}
	free(q->p);
	q->p = NULL;
}

/* The SQL built, NUL-terminated (the caller frees it), or NULL. */
static char *
sql_end(struct sql *q)
{
	return q->failed ? NULL : q->p;
}

/* Every column of t, or (with params) "column = ?N" of those written. */
static void
sql_columns(struct sql *q, const struct store_record_type *t, int update)
{
	const struct store_field	*f;
	const char			*sep = "";
	int				 col = 0;

	for (f = t->fields; f->key != NULL; col += store_field_width(f), f++) {
		if (update && (f->kind == STORE_ID ||
		    f->kind == STORE_CREATED))
			continue;
		if (f->kind != STORE_WINDOW)
			sql_add(q, update ? "%s%s = ?%d" : "%s%s", sep,
			    f->column, col + 1);
		else if (update)
			sql_add(q, "%s%s_from = ?%d, %s_to = ?%d", sep,
			    f->column, col + 1, f->column, col + 2);
		else
			sql_add(q, "%s%s_from, %s_to", sep, f->column,
			    f->column);
		sep = ", ";
	}
}

static void
sql_insert(struct sql *q, const struct store_record_type *t)
{
	const struct store_field	*f;
	const char			*sep = "";
	int				 col = 0, i;

	sql_add(q, "INSERT INTO %s (", t->table);
	for (f = t->fields; f->key != NULL; col += store_field_width(f), f++) {
		if (f->kind == STORE_ID)
			continue;
		sql_add(q, f->kind == STORE_WINDOW ? "%s%s_from, %s_to" :
		    "%s%s", sep, f->column, f->column);
		sep = ", ";
	}
	sql_add(q, ") VALUES (");
	for (i = 2; i <= col; i++)
		sql_add(q, i > 2 ? ", ?%d" : "?%d", i);
	sql_add(q, ")");
}

/* The field of t with flag, or NULL. */
static const struct store_field *
field_with(const struct store_record_type *t, unsigned flag)
{
	const struct store_field *f;

	for (f = t->fields; f->key != NULL; f++)
		if (f->flags & flag)
			return f;
	return NULL;
}

/* One condition of a list: (?N IS NULL OR <each field of filter>). */
static void
sql_filter(struct sql *q, const struct store_record_type *t,
    enum store_filter filter)
{
	const struct store_field	*f;
	int				 p = 1 + (int)filter, n = 0;

	for (f = t->fields; f->key != NULL; f++) {
		if (f->filter != filter)
			continue;
		sql_add(q, n++ ? " OR " : " AND (?%d IS NULL OR ", p);
		if (f->kind == STORE_JSON)
			sql_add(q, "EXISTS (SELECT 1 FROM json_each(%s.%s)"
			    " WHERE value %s?%d%s)", t->table, f->column,
			    f->flags & STORE_STAR ? "IN (" : "= ", p,
			    f->flags & STORE_STAR ? ", '*')" : "");
		else if (filter == STORE_BY_CATEGORY)
			sql_add(q, "%s = ?%d OR substr(%s, 1, length(?%d) + 1)"
			    " = ?%d || '.'", f->column, p, f->column, p, p);
		else
			sql_add(q, "%s = ?%d", f->column, p);
	}
	if (n > 0)
		sql_add(q, ")");
}

/* The text of statement which of t (NULL when out of memory). */
static char *
record_sql(const struct store_record_type *t, enum store_rec_stmt which)
{
	struct sql	q = { NULL, 0, 0, 0 };
	int		f;

	switch (which) {
	case REC_INSERT:
		sql_insert(&q, t);
		break;
	case REC_UPDATE:
		sql_add(&q, "UPDATE %s SET ", t->table);
		sql_columns(&q, t, 1);
		sql_add(&q, " WHERE %s = ?1", t->fields[0].column);
		break;
	case REC_GET:
	case REC_BY_REF:
	case REC_LIST:
		sql_add(&q, "SELECT ");
		sql_columns(&q, t, 0);
		sql_add(&q, " FROM %s WHERE ", t->table);
		if (which == REC_GET)
			sql_add(&q, "%s = ?1", t->fields[0].column);
		else if (which == REC_BY_REF)
			sql_add(&q, "%s = ?1 AND %s = ?2",
			    field_with(t, STORE_OWNER)->column,
			    field_with(t, STORE_REF)->column);
		else {
			sql_add(&q, "%s > ?1", t->fields[0].column);
			for (f = STORE_BY_STREET; f < STORE_FILTERS; f++)
				sql_filter(&q, t, (enum store_filter)f);
			sql_add(&q, " ORDER BY %s LIMIT ?%d",
			    t->fields[0].column, 1 + STORE_FILTERS);
		}
		break;
	default:
		break;
	}
	return sql_end(&q);
}

char *
store_select_sql(const struct store_select *sel)
{
	const struct store_view_col	*c;
	struct sql			 q = { NULL, 0, 0, 0 };

	sql_add(&q, "SELECT ");
	if (sel->view == NULL)
		sql_columns(&q, store_record_type(sel->rec), 0);
	else
		for (c = sel->view->cols; c->sql != NULL; c++)
			sql_add(&q, c == sel->view->cols ? "%s" : ", %s",
			    c->sql);
	sql_add(&q, " %s", sel->tail);
	return sql_end(&q);
}

/* What the text printer writes before each member: {"id": ,"key": ... */
static int
record_keys(struct store_rec *r)
{
	const struct store_field	*f;
	size_t				 size = 0, n;
	char				*p;
	int				 i;

	for (f = r->type->fields; f->key != NULL; f++)
		size += strlen(f->key) + 5;
	if ((r->keys = p = malloc(size)) == NULL)
		return -1;
	for (i = 0; i < r->nfields; i++) {
		n = (size_t)snprintf(p, size, "%s\"%s\":", i ? "," : "{",
		    r->type->fields[i].key);
		r->key[i] = p;
		r->keylen[i] = n;
		p += n + 1;
		size -= n + 1;
	}
	return 0;
}

int
store_records_open(struct store *s, struct error *err)
{
	struct store_rec	*r;
	char			*sql;
	int			 w, i, rc;

	for (w = 0; w < STORE_RECORDS; w++) {
		r = &s->rec[w];
		r->type = store_record_type((enum store_record)w);
		snprintf(r->what, sizeof(r->what), "%s write", r->type->name);
		while (r->type->fields[r->nfields].key != NULL)
			r->nfields++;
		/* The id is the first field: updates and pages go by it. */
		assert(r->nfields <= STORE_FIELDS_MAX &&
		    r->type->fields[0].kind == STORE_ID);
		if (record_keys(r) == -1)
			return error_set(err, ERR_INTERNAL, NULL,
			    "out of memory");
		for (i = 0; i < REC_STMTS; i++) {
			/* A type without owner and ref has no by_ref. */
			if (i == REC_BY_REF && (field_with(r->type,
			    STORE_OWNER) == NULL || field_with(r->type,
			    STORE_REF) == NULL))
				continue;
			if ((sql = record_sql(r->type,
			    (enum store_rec_stmt)i)) == NULL)
				return error_set(err, ERR_INTERNAL, NULL,
				    "out of memory");
			rc = sqlite3_prepare_v3(s->db, sql, -1,
			    SQLITE_PREPARE_PERSISTENT, &r->st[i], NULL);
			free(sql);
			if (rc != SQLITE_OK)
				return error_set(err, ERR_INTERNAL, NULL,
				    "store_records_open: %s statement %d: %s",
				    r->type->name, i, sqlite3_errmsg(s->db));
		}
	}
	return 0;
}

void
store_records_close(struct store *s)
{
	int w, i;

	for (w = 0; w < STORE_RECORDS; w++) {
		for (i = 0; i < REC_STMTS; i++)
			sqlite3_finalize(s->rec[w].st[i]);
		free(s->rec[w].keys);
	}
}
