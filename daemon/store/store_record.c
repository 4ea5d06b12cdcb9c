/*
 * store_record.c: the record layer.  A record type is the table of its
 * fields (store.h, struct store_field; the types are in store_needs.c and
 * store_offers.c); from it this file builds the statements at open and
 * drives every write and read:
 *
 *   columns	the fields' columns in their order (a window takes two), id
 *		first: parameter ?N of the writes is column N - 1
 *   insert	every column but the id; update, every one but id and created
 *   get	by id; by_ref by the owner's field and the ref field
 *   list	id > ?1, then one condition per filter (?2 street, ?3 owner,
 *		?4 category, ?5 status, ?6 in_library), LIMIT ?7
 *   binds	one walk of the object's members, each bound by its kind
 *   readers	a row as a cJSON tree with static keys, or as JSON text
 *		written straight from the row into a json_buf: the same bytes
 *		json_print writes of the tree (the store tests compare them)
 *
 * It also reads views, rows of a few columns into the matcher's C structs.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/store/store_priv.h"
#include "protocol/json_print.h"

static const struct store_record_type *const store_types[STORE_RECORDS] = {
	[STORE_NEED] = &store_needs,
	[STORE_OFFER] = &store_offers,
};

const struct store_record_type *
store_record_type(enum store_record which)
{
	assert(which < STORE_RECORDS);
	return store_types[which];
}

/* The columns a field takes. */
static int
field_width(const struct store_field *f)
{
	return f->kind == STORE_WINDOW ? 2 : 1;
}

/* ---- building the statements ------------------------------------------- */

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

	for (f = t->fields; f->key != NULL; col += field_width(f), f++) {
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
	for (f = t->fields; f->key != NULL; col += field_width(f), f++) {
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

/* ---- writes ------------------------------------------------------------ */

/* Statement which of record type w, reset and unbound. */
static sqlite3_stmt *
rec_stmt(struct store *s, enum store_record w, enum store_rec_stmt which)
{
	sqlite3_stmt *st = s->rec[w].st[which];

	assert(st != NULL);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* A member's integer value; 0 when it is absent or not a number. */
static int64_t
member_int(const cJSON *v)
{
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/*
 * The members of o that are fields of r, into m (NULL where absent), in one
 * walk of o: a record has a dozen members, and looking each up walks the
 * list again.  Keys are told apart by their first letter before strcmp.
 */
static void
record_members(const struct store_rec *r, const cJSON *o, const cJSON **m)
{
	const struct store_field	*fields = r->type->fields;
	const cJSON			*c;
	int				 i;

	memset(m, 0, (size_t)r->nfields * sizeof(*m));
	for (c = o->child; c != NULL; c = c->next)
		for (i = 0; i < r->nfields; i++)
			if (c->string != NULL &&
			    c->string[0] == fields[i].key[0] &&
			    strcmp(c->string, fields[i].key) == 0) {
				m[i] = c;
				break;
			}
}

/*
 * Bind member v of field f at parameter p.  A JSON value is printed into
 * *tmp, which the caller frees after the step.
 */
static void
bind_member(sqlite3_stmt *st, int p, const struct store_field *f,
    const cJSON *v, const char *now, char **tmp)
{
	switch (f->kind) {
	case STORE_ID:
	case STORE_INT:
		sqlite3_bind_int64(st, p, member_int(v));
		break;
	case STORE_TEXT:
		store_bind_text(st, p, cJSON_IsString(v) ? v->valuestring :
		    NULL);
		break;
	case STORE_YUAN:
		/* An amount in yuan, bound as fen. */
		sqlite3_bind_int64(st, p, cJSON_IsNumber(v) ?
		    (int64_t)llround(v->valuedouble * 100) : 0);
		break;
	case STORE_JSON:
		*tmp = v ? json_print(v, NULL) : NULL;
		store_bind_text(st, p, *tmp ? *tmp : "[]");
		break;
	case STORE_WINDOW:
		v = cJSON_IsObject(v) ? v : NULL;
		store_bind_text(st, p, args_str(v, "from", NULL));
		store_bind_text(st, p + 1, args_str(v, "to", NULL));
		break;
	case STORE_BOOL:
		sqlite3_bind_int(st, p, cJSON_IsTrue(v));
		break;
	case STORE_CREATED:
	case STORE_UPDATED:
		store_bind_text(st, p, now);
		break;
	}
}

/* Insert or update (which) record o of type w, stamped now. */
static int
record_write(struct store *s, enum store_record w,
    enum store_rec_stmt which, const cJSON *o, const char *now,
    struct error *err)
{
	struct store_rec	*r = &s->rec[w];
	sqlite3_stmt		*st = rec_stmt(s, w, which);
	const cJSON		*m[STORE_FIELDS_MAX];
	char			*tmp[STORE_FIELDS_MAX];
	int			 i, col = 0, rc;

	record_members(r, o, m);
	for (i = 0; i < r->nfields; col += field_width(&r->type->fields[i]),
	    i++) {
		tmp[i] = NULL;
		bind_member(st, col + 1, &r->type->fields[i], m[i], now,
		    &tmp[i]);
	}
	rc = store_step_done(s, st, r->what, err);
	for (i = 0; i < r->nfields; i++)
		cJSON_free(tmp[i]);
	if (rc == 0 && r->hook != NULL)
		r->hook(r->hook_arg, which == REC_INSERT ?
		    sqlite3_last_insert_rowid(s->db) : member_int(m[0]));
	return rc;
}

/*
 * What an insert adds to the record: a null ref, its id and times, so that
 * the object is what a later get answers (no read back needed).
 */
static void
record_complete(const struct store_record_type *t, cJSON *o, int64_t id,
    const char *now)
{
	const struct store_field *f;

	for (f = t->fields; f->key != NULL; f++)
		if ((f->flags & STORE_REF) && args_get(o, f->key) == NULL)
			store_add(o, f->key, cJSON_CreateNull());
	store_add_num(o, t->fields[0].key, (double)id);
	for (f = t->fields; f->key != NULL; f++)
		if (f->kind == STORE_CREATED || f->kind == STORE_UPDATED)
			store_add(o, f->key, cJSON_CreateString(now));
}

int
store_record_insert(struct store *s, enum store_record w, cJSON *o,
    int64_t *id, struct error *err)
{
	char now[21];

	store_now(now);
	if (record_write(s, w, REC_INSERT, o, now, err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	record_complete(s->rec[w].type, o, *id, now);
	return 0;
}

int
store_record_update(struct store *s, enum store_record w, const cJSON *o,
    struct error *err)
{
	char now[21];

	store_now(now);
	return record_write(s, w, REC_UPDATE, o, now, err);
}

void
store_record_set_hook(struct store *s, enum store_record w,
    store_record_hook fn, void *arg)
{
	s->rec[w].hook = fn;
	s->rec[w].hook_arg = arg;
}

/* ---- reads ------------------------------------------------------------- */

cJSON *
store_record_tree(const void *arg, sqlite3_stmt *st)
{
	const struct store_record_type	*t = arg;
	const struct store_field	*f;
	cJSON				*o = cJSON_CreateObject(), *w;
	int				 col = 0;

	if (o == NULL)
		return NULL;
	for (f = t->fields; f->key != NULL; col += field_width(f), f++)
		switch (f->kind) {
		case STORE_ID:
		case STORE_INT:
			store_add_num(o, f->key,
			    (double)sqlite3_column_int64(st, col));
			break;
		case STORE_TEXT:
		case STORE_CREATED:
		case STORE_UPDATED:
			store_add_text(o, f->key, st, col);
			break;
		case STORE_YUAN:
			store_add_yuan(o, f->key, st, col);
			break;
		case STORE_JSON:
			store_add_json(o, f->key, st, col);
			break;
		case STORE_WINDOW:
			if (sqlite3_column_type(st, col) == SQLITE_NULL)
				store_add(o, f->key, cJSON_CreateNull());
			else if ((w = cJSON_CreateObject()) != NULL) {
				store_add_text(w, "from", st, col);
				store_add_text(w, "to", st, col + 1);
				store_add(o, f->key, w);
			}
			break;
		case STORE_BOOL:
			store_add(o, f->key, cJSON_CreateBool(
			    sqlite3_column_int(st, col)));
			break;
		}
	return o;
}

static void
text_string(struct json_buf *b, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		json_buf_raw(b, "null", 4);
	else
		json_buf_string(b, (const char *)sqlite3_column_text(st, col));
}

/* A stored JSON array: "[]" as it is, anything else as add_json reads it. */
static void
text_json(struct json_buf *b, sqlite3_stmt *st, int col)
{
	const char	*t = (const char *)sqlite3_column_text(st, col);
	cJSON		*v;

	if (t != NULL && strcmp(t, "[]") == 0) {
		json_buf_raw(b, "[]", 2);
		return;
	}
	if ((v = t ? cJSON_Parse(t) : NULL) == NULL)
		v = cJSON_CreateArray();
	json_buf_value(b, v);
	cJSON_Delete(v);
}

/*
 * The text of store_record_tree's object, written straight from the row:
 * the same members in the same order, each value as json_print writes it.
 * Reads answer with it and build no tree.
 */
static void
record_text(const struct store_rec *r, sqlite3_stmt *st, struct json_buf *b)
{
	const struct store_field	*f;
	int				 i, col = 0;

	for (i = 0; i < r->nfields; col += field_width(f), i++) {
		f = &r->type->fields[i];
		json_buf_raw(b, r->key[i], r->keylen[i]);
		switch (f->kind) {
		case STORE_ID:
		case STORE_INT:
			json_buf_number(b, (double)sqlite3_column_int64(st,
			    col));
			break;
		case STORE_TEXT:
		case STORE_CREATED:
		case STORE_UPDATED:
			text_string(b, st, col);
			break;
		case STORE_YUAN:
			json_buf_number(b, (double)sqlite3_column_int64(st,
			    col) / 100.0);
			break;
		case STORE_JSON:
			text_json(b, st, col);
			break;
		case STORE_WINDOW:
			if (sqlite3_column_type(st, col) == SQLITE_NULL) {
				json_buf_raw(b, "null", 4);
				break;
			}
			json_buf_raw(b, "{\"from\":", 8);
			text_string(b, st, col);
			json_buf_raw(b, ",\"to\":", 6);
			text_string(b, st, col + 1);
			json_buf_raw(b, "}", 1);
			break;
		case STORE_BOOL:
			if (sqlite3_column_int(st, col))
				json_buf_raw(b, "true", 4);
			else
				json_buf_raw(b, "false", 5);
			break;
		}
	}
	json_buf_raw(b, "}", 1);
}

int
store_record_get(struct store *s, enum store_record w, int64_t id,
    cJSON **out, struct error *err)
{
	sqlite3_stmt *st = rec_stmt(s, w, REC_GET);

	sqlite3_bind_int64(st, 1, id);
	return store_get_one(s, st, store_record_tree, s->rec[w].type, out,
	    err);
}

int
store_record_get_text(struct store *s, enum store_record w, int64_t id,
    char **out, struct error *err)
{
	sqlite3_stmt	*st = rec_stmt(s, w, REC_GET);
	struct json_buf	 b;
	int		 rc;

	*out = NULL;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step_row(s, st, err)) != 0)
		return rc;
	json_buf_init(&b);
	record_text(&s->rec[w], st, &b);
	sqlite3_reset(st);
	if ((*out = json_buf_finish(&b, NULL)) == NULL)
		return error_set(err, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int
store_record_by_ref(struct store *s, enum store_record w, const char *owner,
    const char *ref, cJSON **out, struct error *err)
{
	sqlite3_stmt *st = rec_stmt(s, w, REC_BY_REF);

	store_bind_text(st, 1, owner);
	store_bind_text(st, 2, ref);
	return store_get_one(s, st, store_record_tree, s->rec[w].type, out,
	    err);
}

int
store_record_list(struct store *s, enum store_record w,
    const struct list_filter *f, cJSON **page, struct error *err)
{
	sqlite3_stmt *st = rec_stmt(s, w, REC_LIST);

	sqlite3_bind_int64(st, 1, f->after);
	store_bind_text(st, 1 + STORE_BY_STREET, f->street);
	store_bind_text(st, 1 + STORE_BY_OWNER, f->owner);
	store_bind_text(st, 1 + STORE_BY_CATEGORY, f->category);
	store_bind_text(st, 1 + STORE_BY_STATUS, f->status);
	if (f->in_library >= 0)
		sqlite3_bind_int(st, 1 + STORE_BY_LIBRARY, f->in_library);
	sqlite3_bind_int(st, 1 + STORE_FILTERS, f->limit + 1);
	return store_get_page(s, st, store_record_tree, s->rec[w].type,
	    f->limit, page, err);
}

/* ---- views ------------------------------------------------------------- */

/* Read the row st stands on through view v and hand it to fn. */
static int
view_call(const struct store_view *v, sqlite3_stmt *st, void *fn, void *arg,
    struct error *err)
{
	const struct store_view_col	*c;
	union store_view_row		 row;
	unsigned char			*p = (unsigned char *)&row;
	const char			*t;
	int64_t				 i64;
	int				 i, n;

	memset(&row, 0, sizeof(row));
	for (c = v->cols, i = 0; c->sql != NULL; c++, i++)
		switch (c->type) {
		case STORE_C_INT64:
			i64 = sqlite3_column_int64(st, i);
			memcpy(p + c->off, &i64, sizeof(i64));
			break;
		case STORE_C_INT:
			n = sqlite3_column_int(st, i);
			memcpy(p + c->off, &n, sizeof(n));
			break;
		case STORE_C_TEXT:
			t = store_col_text(st, i);
			memcpy(p + c->off, &t, sizeof(t));
			break;
		}
	return v->call(fn, arg, &row, err);
}

struct view_arg {
	const struct store_view	*view;
	void			*fn;
	void			*arg;
};

static int
view_row(sqlite3_stmt *st, void *p, struct error *err)
{
	struct view_arg *va = p;

	return view_call(va->view, st, va->fn, va->arg, err);
}

int
store_view_each(struct store *s, sqlite3_stmt *st,
    const struct store_view *v, void *fn, void *arg, struct error *err)
{
	struct view_arg va = { v, fn, arg };

	return store_each_row(s, st, view_row, &va, err);
}

int
store_view_one(struct store *s, sqlite3_stmt *st,
    const struct store_view *v, void *fn, void *arg, struct error *err)
{
	int rc;

	if ((rc = store_step_row(s, st, err)) != 0)
		return rc;
	rc = view_call(v, st, fn, arg, err);
	sqlite3_reset(st);
	return rc;
}
