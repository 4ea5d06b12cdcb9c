/*
 * schedule.c: meetings into tables x slots by bipartite edge colouring.
 *
 * Communities and orgs are the two sides of a multigraph whose edges are
 * the meetings; a slot is a colour.  König: a bipartite multigraph of
 * maximum degree D has a proper edge colouring with any L >= D colours,
 * found edge by edge by swapping two colours along an alternating path.
 * Two colour classes a, b with |a| > |b| + 1 can be evened out: the edges
 * coloured a or b form paths and even cycles, one path has one more a-edge
 * than b-edges, and swapping its colours moves one edge from a to b.
 * Balanced classes hold floor(E / L) or ceil(E / L) <= tables meetings.
 *
 * With booths (docs/protocol.md, "fair.interest", "fair.schedule") each org sits at its own table all the fair,
 * so a proper colouring is already a schedule: no slot can hold more
 * meetings than there are orgs, hence tables.  L = D colours then, no
 * balancing.  Which meetings are left out is trim.c's.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/trim.h"

#define SCHEDULE_RELABEL_MAX	1024	/* largest L for the slot hint */
#define SCHEDULE_ASSIGN_MAX	300	/* largest L relabelled exactly */

struct sched {
	const struct schedule_meeting *m;
	size_t		 n;
	int		 L;
	size_t		 nv;		/* vertices: communities, then orgs */
	int32_t		*at;		/* nv x L: meeting at (v, colour) */
	int		*col;		/* per meeting: colour or -1 */
	int32_t		*u;		/* per meeting: community vertex */
	int32_t		*v;		/* per meeting: org vertex */
	int32_t		*path;		/* scratch, n */
	unsigned char	*seen;		/* scratch, nv */
};

static int	 sched_int_cmp(const void *, const void *);
static int	 sched_vertices(struct sched *, const unsigned char *);
static int	 sched_free_colour(const struct sched *, int32_t);
static size_t	 sched_trace(struct sched *, int32_t, int, int);
static void	 sched_swap(struct sched *, size_t, int, int);
static void	 sched_colour(struct sched *, int32_t);
static void	 sched_balance(struct sched *, size_t *);
static int	 sched_assign(const int64_t *, size_t, int *);
static int	 sched_relabel(const struct sched *, const unsigned char *,
		    int *);
static void	 sched_free(struct sched *);
static int	 sched_booths(const struct schedule_meeting *, size_t, int *);
static int	 sched_tables(const struct sched *, const int *, int,
		    struct schedule_result *);

static int
sched_int_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;

	return (a > b) - (a < b);
}

/*
 * Number the parties of the active meetings compactly: u[i] is meeting i's
 * community vertex, v[i] its org vertex.  Returns 0 or -1.
 */
static int
sched_vertices(struct sched *st, const unsigned char *active)
{
	int *cs, *os, *p;
	size_t i, nc = 0, no = 0, k;

	cs = malloc((st->n + 1) * sizeof(*cs));
	os = malloc((st->n + 1) * sizeof(*os));
	if (cs == NULL || os == NULL) {
		free(cs);
		free(os);
		return -1;
	}
	for (i = 0; i < st->n; i++)
		if (active[i]) {
			cs[nc++] = st->m[i].community;
			os[no++] = st->m[i].org;
		}
	qsort(cs, nc, sizeof(*cs), sched_int_cmp);
	qsort(os, no, sizeof(*os), sched_int_cmp);
	for (i = 0, k = 0; i < nc; i++)
		if (k == 0 || cs[k - 1] != cs[i])
			cs[k++] = cs[i];
	nc = k;
	for (i = 0, k = 0; i < no; i++)
		if (k == 0 || os[k - 1] != os[i])
			os[k++] = os[i];
	no = k;
	st->nv = nc + no;
	for (i = 0; i < st->n; i++) {
		st->u[i] = st->v[i] = -1;
		if (!active[i])
			continue;
		p = bsearch(&st->m[i].community, cs, nc, sizeof(*cs),
		    sched_int_cmp);
		st->u[i] = (int32_t)(p - cs);
		p = bsearch(&st->m[i].org, os, no, sizeof(*os), sched_int_cmp);
		st->v[i] = (int32_t)(nc + (size_t)(p - os));
	}
	free(cs);
	free(os);
	return 0;
}

/* The lowest colour free at vertex x; one exists since deg(x) <= L. */
static int
sched_free_colour(const struct sched *st, int32_t x)
{
	const int32_t *row = st->at + (size_t)x * (size_t)st->L;
	int c;

	for (c = 0; c < st->L; c++)
		if (row[c] < 0)
			return c;
	return -1;
}

/*
 * Follow the path from vertex x that starts with colour c1 and alternates
 * with c2; store its edges in st->path and return how many.
 */
static size_t
sched_trace(struct sched *st, int32_t x, int c1, int c2)
{
	size_t len = 0;
	int32_t f;
	int c = c1;

	while ((f = st->at[(size_t)x * (size_t)st->L + (size_t)c]) >= 0) {
		st->path[len++] = f;
		x = st->u[f] == x ? st->v[f] : st->u[f];
		c = c == c1 ? c2 : c1;
	}
	return len;
}

/* Exchange colours a and b on the first len edges of st->path. */
static void
sched_swap(struct sched *st, size_t len, int a, int b)
{
	size_t k, L = (size_t)st->L;
	int32_t f;

	for (k = 0; k < len; k++) {
		f = st->path[k];
		st->at[(size_t)st->u[f] * L + (size_t)st->col[f]] = -1;
		st->at[(size_t)st->v[f] * L + (size_t)st->col[f]] = -1;
	}
	for (k = 0; k < len; k++) {
		f = st->path[k];
		st->col[f] = st->col[f] == a ? b : a;
		st->at[(size_t)st->u[f] * L + (size_t)st->col[f]] = f;
		st->at[(size_t)st->v[f] * L + (size_t)st->col[f]] = f;
	}
}

/*
 * Colour meeting e.  With alpha free at its community and beta free at its
 * org: if alpha is free at the org too, use it; else swap alpha and beta on
 * the alternating path from the org (it cannot reach the community, which
 * lacks alpha, in a bipartite graph) and then use alpha.
 */
static void
sched_colour(struct sched *st, int32_t e)
{
	size_t L = (size_t)st->L, len;
	int alpha = sched_free_colour(st, st->u[e]);
	int beta = sched_free_colour(st, st->v[e]);

	if (st->at[(size_t)st->v[e] * L + (size_t)alpha] >= 0) {
		len = sched_trace(st, st->v[e], alpha, beta);
		sched_swap(st, len, alpha, beta);
	}
	st->col[e] = alpha;
	st->at[(size_t)st->u[e] * L + (size_t)alpha] = e;
	st->at[(size_t)st->v[e] * L + (size_t)alpha] = e;
}

/*
 * Even out the colour classes (cnt holds their sizes) until they differ
 * by at most one.
 */
static void
sched_balance(struct sched *st, size_t *cnt)
{
	size_t L = (size_t)st->L, x, len, k;
	int a, b, c, nodd;

	for (;;) {
		a = b = 0;
		for (c = 1; c < st->L; c++) {
			if (cnt[c] > cnt[a])
				a = c;
			if (cnt[c] < cnt[b])
				b = c;
		}
		if (cnt[a] <= cnt[b] + 1)
			return;
		memset(st->seen, 0, st->nv);
		for (x = 0; x < st->nv; x++) {
			int32_t end;

			if (st->seen[x] || st->at[x * L + (size_t)a] < 0 ||
			    st->at[x * L + (size_t)b] >= 0)
				continue;
			len = sched_trace(st, (int32_t)x, a, b);
			/* Odd length: one more a-edge than b-edges. */
			if (len % 2 == 1) {
				sched_swap(st, len, a, b);
				cnt[a]--;
				cnt[b]++;
				break;
			}
			/* Do not walk this path again from its other end. */
			end = (int32_t)x;
			for (k = 0; k < len; k++) {
				int32_t f = st->path[k];

				end = st->u[f] == end ? st->v[f] : st->u[f];
			}
			st->seen[end] = 1;
		}
		nodd = x < st->nv;
		if (!nodd)
			return;		/* cannot happen: see the file comment */
	}
}

/*
 * The assignment of L colour classes to L slots of largest total weight
 * w[c * L + s] (the Hungarian method with potentials, O(L^3)): perm[c] is
 * the slot of class c.  Returns 0 or -1 when out of memory.
 */
static int
sched_assign(const int64_t *w, size_t L, int *perm)
{
	int64_t	*u, *v, *minv, cur, delta;
	size_t	*p, *way, row, r, j, j0, j1 = 0;
	char	*used;
	int	 rc = -1;

	u = calloc(L + 1, sizeof(*u));
	v = calloc(L + 1, sizeof(*v));
	minv = calloc(L + 1, sizeof(*minv));
	p = calloc(L + 1, sizeof(*p));
	way = calloc(L + 1, sizeof(*way));
	used = calloc(L + 1, 1);
	if (u == NULL || v == NULL || minv == NULL || p == NULL ||
	    way == NULL || used == NULL)
		goto out;
	/* Rows are classes 1..L, columns slots 1..L; cost = -weight. */
	for (row = 1; row <= L; row++) {
		p[0] = row;
		j0 = 0;
		for (j = 0; j <= L; j++) {
			minv[j] = INT64_MAX;
			used[j] = 0;
		}
		do {
			used[j0] = 1;
			r = p[j0];
			delta = INT64_MAX;
			for (j = 1; j <= L; j++) {
				if (used[j])
					continue;
				cur = -w[(r - 1) * L + (j - 1)] - u[r] - v[j];
				if (cur < minv[j]) {
					minv[j] = cur;
					way[j] = j0;
				}
				if (minv[j] < delta) {
					delta = minv[j];
					j1 = j;
				}
			}
			for (j = 0; j <= L; j++) {
				if (used[j]) {
					u[p[j]] += delta;
					v[j] -= delta;
				} else
					minv[j] -= delta;
			}
			j0 = j1;
		} while (p[j0] != 0);
		do {
			j1 = way[j0];
			p[j0] = p[j1];
			j0 = j1;
		} while (j0 != 0);
	}
	for (j = 1; j <= L; j++)
		perm[p[j] - 1] = (int)(j - 1);
	rc = 0;
out:
	free(u);
	free(v);
	free(minv);
	free(p);
	free(way);
	free(used);
	return rc;
}

/*
 * Name colour classes after slots: perm[colour] = slot - 1, so that as many
 * meetings as possible keep the slot they had, matched meetings first (a
 * matched meeting weighs more than all others together).  Exact for up to
 * SCHEDULE_ASSIGN_MAX slots (an assignment problem), greedy above.
 * Returns 0 or -1.
 */
static int
sched_relabel(const struct sched *st, const unsigned char *active, int *perm)
{
	size_t	 L = (size_t)st->L, i, k, nz = 0;
	int64_t	*cnt, best, heavy = (int64_t)st->n + 1;
	int	*used, c, s, bc, bs, rc = 0;

	for (c = 0; c < st->L; c++)
		perm[c] = c;
	if (L > SCHEDULE_RELABEL_MAX)
		return 0;
	cnt = calloc(L * L + 1, sizeof(*cnt));
	used = calloc(L + 1, sizeof(*used));
	if (cnt == NULL || used == NULL) {
		free(cnt);
		free(used);
		return -1;
	}
	for (i = 0; i < st->n; i++)
		if (active[i] && st->m[i].prev_slot >= 1 &&
		    st->m[i].prev_slot <= st->L) {
			cnt[(size_t)st->col[i] * L + (size_t)st->m[i].prev_slot
			    - 1] += st->m[i].matched ? heavy : 1;
			nz++;
		}
	if (nz > 0 && L <= SCHEDULE_ASSIGN_MAX)
		rc = sched_assign(cnt, L, perm);
	else if (nz > 0) {
		for (c = 0; c < st->L; c++)
			perm[c] = -1;
		for (k = 0; k < L; k++) {
			best = 0;
			bc = bs = -1;
			for (c = 0; c < st->L; c++) {
				if (perm[c] >= 0)
					continue;
				for (s = 0; s < st->L; s++)
					if (!used[s] && cnt[(size_t)c * L +
					    (size_t)s] > best) {
						best = cnt[(size_t)c * L +
						    (size_t)s];
						bc = c;
						bs = s;
					}
			}
			if (bc < 0)
				break;
			perm[bc] = bs;
			used[bs] = 1;
		}
		for (c = 0, s = 0; c < st->L; c++) {
			if (perm[c] >= 0)
				continue;
			while (used[s])
				s++;
			perm[c] = s;
			used[s] = 1;
		}
	}
	free(cnt);
	free(used);
	return rc;
}

static void
sched_free(struct sched *st)
{
	free(st->at);
	free(st->col);
	free(st->u);
	free(st->v);
	free(st->path);
	free(st->seen);
}

/*
 * Booths: each org with a meeting in m gets a table, 1..k in ascending
 * org index; booth[i] is meeting i's.  Returns k, or -1 when out of
 * memory.
 */
static int
sched_booths(const struct schedule_meeting *m, size_t n, int *booth)
{
	int *os, *p;
	size_t i, k;

	os = malloc((n + 1) * sizeof(*os));
	if (os == NULL)
		return -1;
	for (i = 0; i < n; i++)
		os[i] = m[i].org;
	qsort(os, n, sizeof(*os), sched_int_cmp);
	for (i = 0, k = 0; i < n; i++)
		if (k == 0 || os[k - 1] != os[i])
			os[k++] = os[i];
	for (i = 0; i < n; i++) {
		p = bsearch(&m[i].org, os, k, sizeof(*os), sched_int_cmp);
		booth[i] = (int)(p - os) + 1;
	}
	free(os);
	return (int)k;
}

/*
 * Tables without booths, slot by slot: a meeting keeps its earlier table
 * when free, the others take the lowest free.  Returns 0 or -1.
 */
static int
sched_tables(const struct sched *st, const int *perm, int tables,
    struct schedule_result *out)
{
	const struct schedule_meeting *m = st->m;
	size_t L = (size_t)st->L, c, i;
	unsigned char *taken;
	int32_t f;
	int t, k, next;

	taken = calloc((size_t)tables + 1, 1);
	if (taken == NULL)
		return -1;
	for (t = 0; t < st->L; t++) {
		c = 0;
		while (c < L && perm[c] != t)
			c++;
		memset(taken, 0, (size_t)tables + 1);
		for (k = 0, next = 1; k < 2; k++)
			for (i = 0; i < st->nv; i++) {
				f = st->at[i * L + c];
				if (f < 0 || (size_t)st->u[f] != i)
					continue;
				if (k == 0) {
					if (m[f].prev_table >= 1 &&
					    m[f].prev_table <= tables &&
					    !taken[m[f].prev_table]) {
						out->place[f].table =
						    m[f].prev_table;
						taken[m[f].prev_table] = 1;
					}
					continue;
				}
				if (out->place[f].table != 0)
					continue;
				while (taken[next])
					next++;
				out->place[f].table = next;
				taken[next] = 1;
			}
	}
	free(taken);
	return 0;
}

int
schedule_build(const struct schedule_meeting *m, size_t n, int tables,
    int slots, struct schedule_result *out)
{
	return schedule_build_with(m, n, tables, slots, NULL, out);
}

int
schedule_build_with(const struct schedule_meeting *m, size_t n, int tables,
    int slots, const struct schedule_options *opt,
    struct schedule_result *out)
{
	struct sched st;
	unsigned char *active = NULL;
	size_t *cnt = NULL, i, e = 0, D = 0, *deg = NULL, L;
	int *perm = NULL, *booth = NULL, rc = -1, booths;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	if (tables < 1 || slots < 0 || (n > 0 && m == NULL) ||
	    n >= (size_t)INT32_MAX || (opt != NULL && (opt->max_per_org < 0 ||
	    opt->max_per_community < 0)))
		return -1;
	for (i = 0; i < n; i++)
		if (m[i].community < 0 || m[i].org < 0)
			return -1;
	booths = opt != NULL && opt->booths;
	if (booths) {
		if ((booth = malloc((n + 1) * sizeof(*booth))) == NULL)
			return -1;
		rc = sched_booths(m, n, booth);
		if (rc == -1 || rc > tables) {
			free(booth);
			return rc == -1 ? -1 : SCHEDULE_TOO_FEW_TABLES;
		}
		rc = -1;
	}
	st.m = m;
	st.n = n;
	out->n = n;
	out->place = calloc(n + 1, sizeof(*out->place));
	out->unscheduled = calloc(n + 1, sizeof(*out->unscheduled));
	active = calloc(n + 1, 1);
	st.col = malloc((n + 1) * sizeof(*st.col));
	st.u = malloc((n + 1) * sizeof(*st.u));
	st.v = malloc((n + 1) * sizeof(*st.v));
	st.path = malloc((n + 1) * sizeof(*st.path));
	if (out->place == NULL || out->unscheduled == NULL || active == NULL ||
	    st.col == NULL || st.u == NULL || st.v == NULL || st.path == NULL)
		goto out;
	if (trim_meetings(m, n, tables, slots, opt, active, out->unscheduled,
	    &out->nunscheduled) == -1 || sched_vertices(&st, active) == -1)
		goto out;
	deg = calloc(st.nv + 1, sizeof(*deg));
	st.seen = calloc(st.nv + 1, 1);
	if (deg == NULL || st.seen == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (active[i]) {
			e++;
			if (++deg[st.u[i]] > D)
				D = deg[st.u[i]];
			if (++deg[st.v[i]] > D)
				D = deg[st.v[i]];
		}
	/* With booths no slot is bound by the tables: L = D. */
	L = booths ? D : (e + (size_t)tables - 1) / (size_t)tables;
	if (D > L)
		L = D;
	/* Truncation guarantees L <= slots <= INT_MAX. */
	st.L = (int)L;
	out->nslots = st.L;
	if (e == 0) {
		rc = 0;
		goto out;
	}
	st.at = malloc(st.nv * L * sizeof(*st.at));
	cnt = calloc(L + 1, sizeof(*cnt));
	perm = calloc(L + 1, sizeof(*perm));
	if (st.at == NULL || cnt == NULL || perm == NULL)
		goto out;
	memset(st.at, 0xff, st.nv * L * sizeof(*st.at));
	for (i = 0; i < n; i++) {
		st.col[i] = -1;
		if (active[i])
			sched_colour(&st, (int32_t)i);
	}
	for (i = 0; i < n; i++)
		if (active[i])
			cnt[st.col[i]]++;
	if (!booths)
		sched_balance(&st, cnt);
	if (sched_relabel(&st, active, perm) == -1)
		goto out;
	for (i = 0; i < n; i++)
		if (active[i]) {
			out->place[i].slot = perm[st.col[i]] + 1;
			if (booths)
				out->place[i].table = booth[i];
		}
	if (!booths && sched_tables(&st, perm, tables, out) == -1)
		goto out;
	rc = 0;
 out:
	if (rc == -1)
		schedule_result_free(out);
	sched_free(&st);
	free(active);
	free(booth);
	free(cnt);
	free(perm);
	free(deg);
	return rc;
}

void
schedule_result_free(struct schedule_result *r)
{
	if (r == NULL)
		return;
	free(r->place);
	free(r->unscheduled);
	memset(r, 0, sizeof(*r));
}
