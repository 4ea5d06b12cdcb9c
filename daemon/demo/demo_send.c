/*
 * demo_send.c: the planned district posted through the call function, as
 * any client would post it: the organizers, communities and organisations
 * (each account's token written to the tokens file), then the offers and
 * needs, their wording drawn from st->text and the templates of
 * demo_text.c.  The builders and demo_do here serve demo_story.c as well.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "daemon/demo/demo_priv.h"

/* ---- text --------------------------------------------------------------- */

struct demo_vars {
	const char	*community;	/* $C */
	const char	*street;	/* $S */
	const char	*area;		/* $A */
	const char	*title;		/* $T */
	int		 count;		/* $N */
	int		 years;		/* $Y */
};

/*
 * Expand a template into out (outlen bytes, always terminated).  $W, $P and
 * $D draw a schedule, place and duration from the text stream.  A piece that
 * does not fit is left out whole, so UTF-8 is never cut.
 */
static void
demo_expand(struct demo_state *st, char *out, size_t outlen, const char *tmpl,
    const struct demo_vars *v)
{
	size_t len = 0;
	char num[24];

	assert(outlen > 0);
	out[0] = '\0';
	for (const char *p = tmpl; *p != '\0'; ) {
		const char *piece = NULL;
		size_t plen;

		if (p[0] == '$' && p[1] != '\0') {
			switch (p[1]) {
			case 'C': piece = v->community; break;
			case 'S': piece = v->street; break;
			case 'A': piece = v->area; break;
			case 'T': piece = v->title; break;
			case 'W': piece = demo_pick(&st->text, demo_schedules); break;
			case 'P': piece = demo_pick(&st->text, demo_places); break;
			case 'D': piece = demo_pick(&st->text, demo_durations); break;
			case 'N':
				snprintf(num, sizeof(num), "%d", v->count);
				piece = num;
				break;
			case 'Y':
				snprintf(num, sizeof(num), "%d", v->years);
				piece = num;
				break;
			default:
				break;
			}
		}
		if (piece != NULL) {
			plen = strlen(piece);
			p += 2;
		} else {
			/* One literal character, whole. */
			piece = p;
			plen = 1;
			while ((p[plen] & 0xC0) == 0x80)
				plen++;
			p += plen;
		}
		if (len + plen >= outlen)
			continue;
		memcpy(out + len, piece, plen);
		len += plen;
		out[len] = '\0';
	}
}

/* Append a sentence if the text stays within DEMO_DESC_MAX characters. */
static void
demo_append(char *out, size_t outlen, const char *a, const char *b, const char *c)
{
	size_t len = strlen(out);
	size_t add = strlen(a) + strlen(b) + strlen(c);
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s%s%s", a, b, c);
	if (len + add < outlen && demo_utf8_len(out) + demo_utf8_len(tmp) <=
	    DEMO_DESC_MAX)
		memcpy(out + len, tmp, add + 1);
}

/* "罗湖区全区" or the street names joined by "、". */
static void
demo_area(unsigned streets, char *out, size_t outlen)
{
	size_t len = 0;

	if (streets & DEMO_ALL_STREETS) {
		snprintf(out, outlen, "%s全区", demo_district_name);
		return;
	}
	out[0] = '\0';
	for (int s = 0; s < DEMO_NSTREETS; s++) {
		if ((streets & (1u << s)) == 0)
			continue;
		len += (size_t)snprintf(out + len, outlen - len, "%s%s",
		    len > 0 ? "、" : "", demo_streets[s].name);
		if (len >= outlen)
			return;
	}
}

/* ---- calls -------------------------------------------------------------- */

/* Builders: each clears *ok on failure, so a batch is checked once. */
void
demo_set_str(cJSON *o, const char *k, const char *v, int *ok)
{
	if (o == NULL || cJSON_AddStringToObject(o, k, v) == NULL)
		*ok = 0;
}

void
demo_set_num(cJSON *o, const char *k, double v, int *ok)
{
	if (o == NULL || cJSON_AddNumberToObject(o, k, v) == NULL)
		*ok = 0;
}

static void
demo_set_streets(cJSON *o, unsigned streets, int *ok)
{
	cJSON *a = o == NULL ? NULL : cJSON_AddArrayToObject(o, "streets");

	if (a == NULL) {
		*ok = 0;
		return;
	}
	if (streets & DEMO_ALL_STREETS) {
		if (!cJSON_AddItemToArray(a, cJSON_CreateString("*")))
			*ok = 0;
		return;
	}
	for (int s = 0; s < DEMO_NSTREETS; s++)
		if ((streets & (1u << s)) &&
		    !cJSON_AddItemToArray(a, cJSON_CreateString(demo_streets[s].name)))
			*ok = 0;
}

/*
 * Run op with args (ownership passes to the callee; NULL args or !ok means
 * the builder ran out of memory and args is freed here).  On success *result
 * is the caller's to delete.  On failure errbuf holds "op: code: message".
 */
int
demo_do_as(struct demo_state *st, const char *role, const char *code,
    const char *op, cJSON *args, int ok, cJSON **result)
{
	char err[512];

	*result = NULL;
	if (args == NULL || !ok) {
		cJSON_Delete(args);
		snprintf(st->errbuf, st->errlen, "%s: internal: out of memory", op);
		return -1;
	}
	err[0] = '\0';
	if (st->call(st->ctx, role, code, op, args, result, err,
	    sizeof(err)) != 0) {
		cJSON_Delete(*result);
		*result = NULL;
		snprintf(st->errbuf, st->errlen, "%s: %s", op,
		    err[0] != '\0' ? err : "internal: the call failed");
		return -1;
	}
	if (*result == NULL) {
		snprintf(st->errbuf, st->errlen, "%s: internal: no result", op);
		return -1;
	}
	return 0;
}

/* Run op as the district admin. */
int
demo_do(struct demo_state *st, const char *op, cJSON *args, int ok,
    cJSON **result)
{
	return demo_do_as(st, NULL, NULL, op, args, ok, result);
}

/* The id in result[key].id (0 when there is none). */
long long
demo_result_id(const cJSON *result, const char *key)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(result, key);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");

	return cJSON_IsNumber(id) ? (long long)id->valuedouble : 0;
}

/*
 * Write the token line of an account just created.  code NULL takes the code
 * from result[obj].code (organizers get theirs from the server).
 */
static int
demo_account(struct demo_state *st, const char *op, const char *role,
    const cJSON *result, const char *obj, const char *code, const char *name,
    const char *street)
{
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(result, "token");
	char buf[64];

	if (!cJSON_IsString(tok) || tok->valuestring == NULL) {
		snprintf(st->errbuf, st->errlen, "%s: internal: no token in the result", op);
		return -1;
	}
	if (code == NULL) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(result, obj);
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "code");

		if (cJSON_IsString(c) && c->valuestring != NULL)
			code = c->valuestring;
		else if (cJSON_IsNumber(c)) {
			snprintf(buf, sizeof(buf), "%.0f", c->valuedouble);
			code = buf;
		} else
			code = "-";
	}
	if (fprintf(st->tokens, "%s\t%s\t%s\t%s\t%s\n", role, code,
	    tok->valuestring, name, street != NULL ? street : "-") < 0) {
		snprintf(st->errbuf, st->errlen, "tokens: cannot write the token file");
		return -1;
	}
	return 0;
}

static int
demo_send_organizers(struct demo_state *st)
{
	for (int s = -1; s < DEMO_NSTREETS; s++) {
		char name[128];
		const char *street = s < 0 ? NULL : demo_streets[s].name;
		const char *code;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1, rc;

		if (s < 0)
			snprintf(name, sizeof(name), "%s", demo_district_organizer);
		else
			snprintf(name, sizeof(name), "%s办事处", street);
		demo_set_str(args, "name", name, &ok);
		if (street != NULL)
			demo_set_str(args, "street", street, &ok);
		if (demo_do(st, "organizer.create", args, ok, &res) != 0)
			return -1;
		code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(res, "organizer"), "code"));
		if (s >= 0)
			snprintf(st->organizer[s], sizeof(st->organizer[s]), "%s",
			    code != NULL ? code : "");
		rc = demo_account(st, "organizer.create", "organizer", res,
		    "organizer", NULL, name, street);
		cJSON_Delete(res);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
demo_send_communities(struct demo_state *st)
{
	for (int i = 0; i < DEMO_NCOMMUNITIES; i++) {
		const struct demo_comm *c = &st->comms[i];
		const char *street = demo_streets[c->street].name;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1, rc;

		demo_set_str(args, "code", c->code, &ok);
		demo_set_str(args, "name", c->name, &ok);
		demo_set_str(args, "street", street, &ok);
		if (c->padding)		/* the planted ratio must not hang on configuration */
			demo_set_num(args, "cap", (double)(DEMO_CAP / DEMO_YUAN), &ok);
		if (demo_do(st, "community.create", args, ok, &res) != 0)
			return -1;
		rc = demo_account(st, "community.create", "community", res,
		    "community", c->code, c->name, street);
		cJSON_Delete(res);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
demo_send_orgs(struct demo_state *st)
{
	for (int i = 0; i < DEMO_NORGS; i++) {
		const struct demo_org *o = &st->orgs[i];
		const char *street = demo_streets[o->street].name;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1, rc;

		demo_set_str(args, "code", o->code, &ok);
		demo_set_str(args, "name", o->name, &ok);
		demo_set_str(args, "kind", o->registered ? "registered" : "filed", &ok);
		/* The service area defaults to the base street: send it only when wider. */
		if (o->streets != (1u << o->street))
			demo_set_streets(args, o->streets, &ok);
		demo_set_str(args, "street", street, &ok);
		if (demo_do(st, "org.create", args, ok, &res) != 0)
			return -1;
		rc = demo_account(st, "org.create", "org", res, "org", o->code,
		    o->name, street);
		cJSON_Delete(res);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* role/code agrees to the shared need or joint offer id (op, key). */
static int
demo_consent(struct demo_state *st, const char *role, const char *code,
    const char *op, const char *key, long long id)
{
	cJSON *args = cJSON_CreateObject(), *res;
	int ok = 1;

	demo_set_num(args, key, (double)id, &ok);
	demo_set_str(args, "decision", "agree", &ok);
	if (demo_do_as(st, role, code, op, args, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

/* Put offer id into the library of proven local projects. */
static int
demo_library(struct demo_state *st, long long id)
{
	cJSON *args = cJSON_CreateObject(), *res;
	int ok = 1;

	demo_set_num(args, "offer", (double)id, &ok);
	if (args != NULL && !cJSON_AddBoolToObject(args, "in_library", 1))
		ok = 0;
	if (demo_do(st, "library.set", args, ok, &res) != 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

static int
demo_send_offers(struct demo_state *st)
{
	for (size_t i = 0; i < st->noffers; i++) {
		const struct demo_offer *f = &st->offers[i];
		const struct demo_org *o = &st->orgs[f->org];
		const struct demo_category *c = &demo_categories[f->cat];
		const char *title;
		char area[128], desc[1024];
		struct demo_vars v;
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1;

		demo_area(f->streets, area, sizeof(area));
		title = demo_pick(&st->text, c->offer_titles);
		v.community = "";
		v.title = title;
		v.street = demo_streets[o->street].name;
		v.area = area;
		v.count = (int)demo_rng_range(&st->text, c->ben_min, c->ben_max);
		v.years = (int)demo_rng_range(&st->text, 2, 10);
		demo_expand(st, desc, sizeof(desc), demo_pick(&st->text,
		    c->offer_descs), &v);
		if (f->partner >= 0)
			demo_append(desc, sizeof(desc), "本项目与",
			    st->orgs[f->partner].name, "联合申报。");

		demo_set_str(args, "org", o->code, &ok);
		demo_set_str(args, "title", title, &ok);
		demo_set_str(args, "category", c->name, &ok);
		demo_set_num(args, "price", (double)f->price / 100.0, &ok);
		demo_set_num(args, "capacity", f->capacity, &ok);
		if (f->explicit_streets)
			demo_set_streets(args, f->streets, &ok);
		demo_set_str(args, "description", desc, &ok);
		if (f->partner >= 0)
			demo_set_str(args, "partner", st->orgs[f->partner].code, &ok);
		if (demo_do(st, "offer.post", args, ok, &res) != 0)
			return -1;
		st->offers[i].id = demo_result_id(res, "offer");
		cJSON_Delete(res);
		/* The registered partner agrees to the joint offer. */
		if (f->partner >= 0 && demo_consent(st, "org",
		    st->orgs[f->partner].code, "offer.consent", "offer",
		    st->offers[i].id) != 0)
			return -1;
		/* About one offer in ten is a proven local project. */
		if (i % 10 == 4 && demo_library(st, st->offers[i].id) != 0)
			return -1;
	}
	return 0;
}

/* A title base community c has not used yet in category cat (the plan leaves one). */
static const char *
demo_need_title(struct demo_state *st, struct demo_comm *c, int cat)
{
	const char *const *titles = demo_categories[cat].need_titles;
	uint32_t n = (uint32_t)demo_list_len(titles);
	uint32_t k = demo_rng_below(&st->text, n);

	for (uint32_t i = 0; i < n; i++, k = (k + 1) % n)
		if ((c->used_titles[cat] & (1u << k)) == 0) {
			c->used_titles[cat] |= 1u << k;
			return titles[k];
		}
	return NULL;
}

static int
demo_send_needs(struct demo_state *st)
{
	for (size_t i = 0; i < st->nneeds; i++) {
		struct demo_need *n = &st->needs[i];
		struct demo_comm *c = &st->comms[n->comm];
		const struct demo_category *cat = &demo_categories[n->cat];
		const char *base;
		char title[256], desc[1024];
		struct demo_vars v;
		cJSON *args, *res, *parts;
		int ok = 1;

		if (n->dropped)
			continue;
		/* Posted through the first quarter, before the spring fairs. */
		demo_day(st, 1 + (int)(i * 97 / st->nneeds));
		base = demo_need_title(st, c, n->cat);
		if (base == NULL) {
			snprintf(st->errbuf, st->errlen,
			    "need.post: internal: no title left for %s", c->code);
			return -1;
		}
		if (demo_rng_chance(&st->text, 20))
			/* "红岭社区" + "社区…" reads "红岭社区…", not "红岭社区社区…". */
			snprintf(title, sizeof(title), "%s%s", c->name,
			    strncmp(base, "社区", strlen("社区")) == 0 ?
			    base + strlen("社区") : base);
		else
			snprintf(title, sizeof(title), "%s", base);
		assert(demo_utf8_len(title) <= DEMO_TITLE_MAX);

		v.community = c->name;
		v.street = demo_streets[c->street].name;
		v.area = v.street;
		v.title = base;
		v.count = n->beneficiaries;
		v.years = 0;
		demo_expand(st, desc, sizeof(desc), demo_pick(&st->text,
		    cat->need_descs), &v);
		for (int p = 0; p < n->npartners; p++)
			demo_append(desc, sizeof(desc), p == 0 ? "跨社区项目，联合" : "、",
			    st->comms[n->partners[p]].name,
			    p + 1 == n->npartners ? "共同实施。" : "");

		args = cJSON_CreateObject();
		demo_set_str(args, "community", c->code, &ok);
		demo_set_str(args, "title", title, &ok);
		demo_set_str(args, "category", cat->name, &ok);
		demo_set_num(args, "budget", (double)n->budget / 100.0, &ok);
		demo_set_str(args, "description", desc, &ok);
		demo_set_num(args, "beneficiaries", n->beneficiaries, &ok);
		if (n->npartners > 0) {
			parts = args == NULL ? NULL :
			    cJSON_AddArrayToObject(args, "partners");
			if (parts == NULL)
				ok = 0;
			for (int p = 0; parts != NULL && p < n->npartners; p++)
				if (!cJSON_AddItemToArray(parts, cJSON_CreateString(
				    st->comms[n->partners[p]].code)))
					ok = 0;
		}
		if (c->padding) {
			/* Invented at the year's end to spend the cap: every
			 * padded need is to start in its last weeks. */
			char from[16], to[16];
			cJSON *w = args == NULL ? NULL :
			    cJSON_AddObjectToObject(args, "window");

			snprintf(from, sizeof(from), "%04d-12-10", st->year);
			snprintf(to, sizeof(to), "%04d-12-31", st->year);
			demo_set_str(w, "from", from, &ok);
			demo_set_str(w, "to", to, &ok);
		}
		if (demo_do(st, "need.post", args, ok, &res) != 0)
			return -1;
		n->id = demo_result_id(res, "need");
		snprintf(n->title, sizeof(n->title), "%s", title);
		cJSON_Delete(res);
		/* Every partner agrees to share it. */
		for (int p = 0; p < n->npartners; p++)
			if (demo_consent(st, "community",
			    st->comms[n->partners[p]].code, "need.consent",
			    "need", n->id) != 0)
				return -1;
	}
	return 0;
}

/* ---- the district ------------------------------------------------------- */

/* The ten streets, registered before anyone is based in them. */
static int
demo_send_streets(struct demo_state *st)
{
	for (int s = 0; s < DEMO_NSTREETS; s++) {
		cJSON *args = cJSON_CreateObject(), *res;
		int ok = 1;

		demo_set_str(args, "name", demo_streets[s].name, &ok);
		demo_set_str(args, "code", demo_streets[s].abbr, &ok);
		if (demo_do(st, "street.create", args, ok, &res) != 0)
			return -1;
		cJSON_Delete(res);
	}
	return 0;
}

int
demo_send(struct demo_state *st)
{
	/* The district is set up on 2 January. */
	demo_day(st, 1);
	if (demo_send_streets(st) != 0 ||
	    demo_send_organizers(st) != 0 || demo_send_communities(st) != 0 ||
	    demo_send_orgs(st) != 0 || demo_send_offers(st) != 0 ||
	    demo_send_needs(st) != 0)
		return -1;
	return 0;
}
