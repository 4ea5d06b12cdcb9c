/*
 * store_record.c: the record layer.  A record type is the table of its
 * fields (store.h, struct store_field; the types are in store_needs.c and
 * store_offers.c); store_record_sql.c builds its statements at open, and
 * this file drives every write and read through them:
 *
 *   binds	one walk of the object's members, each bound by its kind at
 *		parameter column + 1 (the id is ?1)
 *   insert	completes the object with what a get would add (id, times,
 *		a null ref), so that it is the answer without a read back
 *   readers	a row as a cJSON tree with static keys, or as JSON text
 *		written straight from the row into a json_buf: the same bytes
 *		json_print writes of the tree (the store tests compare them)
 *
 * It also reads views, rows of a few columns into the matcher's C structs.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/json_strings.h"
#include "daemon/store/store_priv.h"
#include "protocol/json_print.h"

static const struct store_record_type *const store_types[STORE_RECORDS] = {
	[STORE_NEED] = &store_needs,
	[STORE_OFFER] = &store_offers,
	[STORE_PROJECT] = &store_projects,
};

const struct store_record_type *
store_record_type(enum store_record which)
{
	assert(which < STORE_RECORDS);
	return store_types[which];
}

int
store_field_width(const struct store_field *f)
{
	return f->kind == STORE_WINDOW ? 2 : 1;
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
		if ((f->flags & STORE_NULL) && !cJSON_IsNumber(v))
			sqlite3_bind_null(st, p);
		else
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
	const struct store_field *f;
	const cJSON		*m[STORE_FIELDS_MAX];
	char			*tmp[STORE_FIELDS_MAX];
	int			 i, col = 0, rc;

	record_members(r, o, m);
	for (i = 0; i < r->nfields; i++) {
		f = &r->type->fields[i];
		tmp[i] = NULL;
		bind_member(st, col + 1, f, m[i], now, &tmp[i]);
		col += store_field_width(f);
	}
	rc = store_step_done(s, st, r->what, err);
	for (i = 0; i < r->nfields; i++)
		cJSON_free(tmp[i]);
	if (rc == 0 && r->hook != NULL)
		r->hook(r->hook_arg, which == REC_INSERT ?
		    sqlite3_last_insert_rowid(s->db) : member_int(m[0]),
		    which == REC_INSERT);
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
	for (f = t->fields; f->key != NULL; col += store_field_width(f), f++)
		switch (f->kind) {
		case STORE_ID:
		case STORE_INT:
			if ((f->flags & STORE_NULL) &&
			    sqlite3_column_type(st, col) == SQLITE_NULL)
				store_add(o, f->key, cJSON_CreateNull());
			else
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
	if ((v = t ? json_strings_parse(t) : NULL) == NULL)
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

	for (i = 0; i < r->nfields; col += store_field_width(f), i++) {
		f = &r->type->fields[i];
		json_buf_raw(b, r->key[i], r->keylen[i]);
		switch (f->kind) {
		case STORE_ID:
		case STORE_INT:
			if ((f->flags & STORE_NULL) &&
			    sqlite3_column_type(st, col) == SQLITE_NULL)
				json_buf_raw(b, "null", 4);
			else
				json_buf_number(b, (double)
				    sqlite3_column_int64(st, col));
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
	store_bind_text(st, 1 + STORE_BY_ORG, f->org);
	if (f->year > 0)
		sqlite3_bind_int(st, 1 + STORE_BY_YEAR, f->year);
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
