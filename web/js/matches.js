// matches.js: a fair's matches tab (filters, sorting, answering) and its
// unmatched tab; the score bar, status badge and answer buttons that
// mymatches.js and items.js show too.

import { clear, h } from './dom.js';
import { categoryList, categoryName, categoryTree, score as fmtScore, num, t, yuan } from './i18n.js';
import { api, apiAll, dirNames, session } from './api.js';
import { act, confirmInline, filterField, load, toast } from './ui.js';
import { onLive } from './live.js';

const PARTS = ['category', 'budget', 'text', 'library', 'locality', 'interest'];
const LEVELS = ['none', 'must', 'want', 'no'];

export function scoreBar(bd, total) {
  const title = t('breakdown_of', Object.assign({ score: fmtScore(total) },
    Object.fromEntries(PARTS.map((p) => [p, fmtScore(bd ? bd[p] : 0)]))));
  return h('span', { class: 'score' },
    h('span', { class: 'score-num' }, fmtScore(total)),
    h('span', { class: 'bar', role: 'img', 'aria-label': title, title },
      PARTS.map((p) => h('span', { class: 'seg seg-' + p, style: { width: Math.max(0, Math.min(100, bd ? bd[p] : 0)) + '%' } }))));
}

export function legend() {
  return h('div', { class: 'legend', 'aria-hidden': 'true' },
    PARTS.map((p) => h('span', null, h('i', { class: 'seg-' + p }), t('bd_' + p))));
}

// Match objects carry their need's category.  A daemon that leaves it out
// (matchd at 8e7ad91 selects it but does not write it) gets the categories
// from need.list, once per fair; drop this when every daemon sends it.
async function withCategories(items, fair, st) {
  if (items.every((x) => typeof x.category === 'string')) return items;
  if (!st.needCats) {
    const needs = await apiAll('need.list', fair.street ? { street: fair.street } : {});
    st.needCats = new Map(needs.map((n) => [n.id, n.category]));
  }
  return items.map((x) => (typeof x.category === 'string' ? x : Object.assign({}, x, { category: st.needCats.get(x.need) || '' })));
}

export function statusBadge(s) {
  const cls = { confirmed: 'green', declined: 'grey', superseded: 'grey', expired: 'grey', proposed: 'amber',
    accepted_by_community: 'blue', accepted_by_org: 'blue' }[s] || '';
  return h('span', { class: 'badge ' + cls, 'data-status': s }, t('st_' + s));
}

// What the signed-in community or organisation may still answer.
function canRespond(m) {
  const role = session.me.role;
  if (m.fair_status === 'closed') return false;
  if (role === 'community') return m.status === 'proposed' || m.status === 'accepted_by_org';
  if (role === 'org') return m.status === 'proposed' || m.status === 'accepted_by_community';
  return false;
}

export function respondButtons(m, onDone) {
  if (!canRespond(m)) return null;
  const msg = h('div', { class: 'msg' });
  const acc = h('button', { type: 'button', class: 'btn small primary', 'data-action': 'accept' }, t('accept'));
  const dec = h('button', { type: 'button', class: 'btn small', 'data-action': 'decline' }, t('decline'));
  const row = h('span', { class: 'respond' }, acc, dec);
  const send = (decision, btn) => act(btn, msg, async () => {
    const r = await api('match.respond', { match: m.id, decision });
    Object.assign(m, r.match);
    toast(t('responded', { status: t('st_' + m.status) }));
    onDone(m);
  });
  acc.addEventListener('click', () => send('accept', acc));
  dec.addEventListener('click', () => confirmInline(row, '', t('decline'), (yes) => send('decline', yes)));
  return h('div', null, row, msg);
}

// The organizer publishes a run: the one parties see, answer and are scheduled by.
export function publishButton(fair, run, msg, done) {
  const b = h('button', { type: 'button', class: 'btn small primary', 'data-publish': run }, t('publish_run'));
  b.addEventListener('click', () => act(b, msg, async () => {
    const r = await api('fair.publish', { fair: fair.id, run });
    toast(t('published_done', { run, n: num((r.superseded || []).length) }));
    await done();
  }));
  return b;
}

const MATCH_COLS = [
  ['community_name', 'col_community'], ['need_title', 'col_need'], ['org_name', 'col_org'],
  ['offer_title', 'col_offer'], ['category', 'col_category'], ['score', 'col_score'],
  ['amount', 'col_amount'], ['status', 'col_status'],
];

export async function renderMatches(fair, st, organizer) {
  const args = { fair: fair.id };
  if (st.run) args.run = st.run;
  // nothing published yet: the organizer sees the latest run
  else if (organizer && fair.runs && !fair.published_run) args.run = fair.runs;
  const m = await api('fair.matches', args);
  if (m.run === null) return h('p', { class: 'empty' }, t('matches_norun'));
  const items = (await withCategories(m.items, fair, st).catch(() => m.items))
    .map((x) => Object.assign({ category: '', fair_status: fair.status }, x));
  const out = h('div');

  const controls = h('div', { class: 'filters', role: 'search' });
  if (organizer && fair.runs > 1) {
    // '' is the published run (or the latest while none is)
    const def = m.published_run || fair.runs;
    const sel = h('select', { id: 'run-select' });
    for (let r = fair.runs; r >= 1; r--) {
      const alg = st.algs[r] ? ` · ${t('alg_' + st.algs[r])}` : '';
      sel.append(h('option', { value: r === def ? '' : r, selected: m.run === r },
        (r === fair.runs ? t('run_latest', { run: r }) : t('run_n', { run: r })) + alg + (r === m.published_run ? ` · ${t('published')}` : '')));
    }
    sel.addEventListener('change', () => {
      st.run = sel.value ? Number(sel.value) : null;
      const panel = document.getElementById('fair-panel');
      load(panel, () => renderMatches(fair, st, organizer));
    });
    controls.append(filterField(t('run_label'), sel));
  }
  const uniq = (k, lbl) => [...new Map(items.map((x) => [x[k], x[lbl] || x[k]])).entries()]
    .sort((a, b) => String(a[1]).localeCompare(String(b[1]), 'zh-CN'));
  const mkSel = (id, key, opts) => {
    const s = h('select', { id }, h('option', { value: '' }, t('all')),
      opts.map(([v, l]) => h('option', { value: v, selected: st.filters[key] === v }, l)));
    s.addEventListener('change', () => { st.filters[key] = s.value; draw(); });
    return s;
  };
  if (organizer) {
    controls.append(filterField(t('filter_community'), mkSel('f-community', 'community', uniq('community', 'community_name'))));
    controls.append(filterField(t('filter_org'), mkSel('f-org', 'org', uniq('org', 'org_name'))));
    const catOpts = [];
    const present = new Set(items.map((x) => x.category).filter(Boolean));
    const known = new Set(categoryList());
    for (const fam of categoryTree()) {
      const subs = fam.subs.map((x) => `${fam.name}.${x}`).filter((c) => present.has(c));
      // a category no longer in the taxonomy, still on older needs
      for (const c of [...present].sort()) if (!known.has(c) && c.startsWith(fam.name + '.')) subs.push(c);
      if (!subs.length) continue;
      catOpts.push([fam.name, categoryName(fam.name)]);
      for (const c of subs) catOpts.push([c, '　' + categoryName(c)]);
    }
    controls.append(filterField(t('filter_category'), mkSel('f-category', 'category', catOpts)));
  }
  controls.append(filterField(t('filter_status'), mkSel('f-status', 'status',
    [...new Set(items.map((x) => x.status))].map((s) => [s, t('st_' + s)]))));
  const q = h('input', { id: 'f-text', type: 'search', placeholder: t('filter_text_ph'), value: st.filters.text || '' });
  q.addEventListener('input', () => { st.filters.text = q.value; draw(); });
  controls.append(filterField(t('filter_text'), q));
  if (organizer && m.run !== m.published_run) {
    const pmsg = h('div', { class: 'msg' });
    out.append(h('div', { class: 'alert warn', id: 'run-unpublished' }, t('run_unpublished', { run: m.run }), ' ',
      fair.status === 'open' ? publishButton(fair, m.run, pmsg, () => { st.run = null; return st.reload && st.reload('matches'); }) : null, pmsg));
  }
  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' });
  const answers = h('p', { class: 'answers', id: 'response-counts' });
  out.append(controls, h('div', { class: 'row between' }, count, legend()), answers);
  liveMatches(out, fair, st, m.run, items, () => draw());

  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data cards matches', id: 'match-table' }, thead, tbody);
  out.append(h('div', { class: 'table-wrap' }, table));
  if (!items.length) out.append(h('p', { class: 'empty' }, t('matches_none')));

  function draw() {
    const f = st.filters;
    const text = (f.text || '').trim().toLowerCase();
    let rows = items.filter((x) =>
      (!f.community || x.community === f.community) &&
      (!f.org || x.org === f.org) &&
      (!f.status || x.status === f.status) &&
      (!f.category || x.category === f.category || x.category.startsWith(f.category + '.')) &&
      (!text || [x.need_title, x.offer_title, x.community_name, x.org_name].some((s) => String(s || '').toLowerCase().includes(text))));
    const { key, dir } = st.sort;
    rows = rows.slice().sort((a, b) => {
      const va = a[key]; const vb = b[key];
      const c = typeof va === 'number' ? va - vb : String(va).localeCompare(String(vb), 'zh-CN');
      return c * dir || a.id - b.id;
    });
    count.textContent = t('shown_of', { shown: num(rows.length), total: num(items.length) });
    const by = (s) => num(items.filter((x) => x.status === s).length);
    answers.textContent = t('answer_counts', { confirmed: by('confirmed'),
      half: num(items.filter((x) => x.status.startsWith('accepted_by_')).length),
      proposed: by('proposed'), declined: by('declined') });
    clear(thead).append(h('tr', null, MATCH_COLS.map(([k, lbl]) => {
      const sorted = key === k;
      const b = h('button', { type: 'button', class: 'sort', title: t('sort_by', { col: t(lbl) }) },
        t(lbl), h('span', { class: 'arrow', 'aria-hidden': 'true' }, sorted ? (dir > 0 ? '▲' : '▼') : '↕'));
      b.addEventListener('click', () => {
        st.sort = { key: k, dir: sorted ? -dir : (k === 'score' || k === 'amount' ? -1 : 1) };
        draw();
        const again = thead.querySelectorAll('button.sort')[MATCH_COLS.findIndex((c) => c[0] === k)];
        if (again) again.focus();
      });
      return h('th', { scope: 'col', 'aria-sort': sorted ? (dir > 0 ? 'ascending' : 'descending') : null,
        class: k === 'score' || k === 'amount' ? 'num' : null }, b);
    }), organizer ? null : h('th', { scope: 'col' }, t('actions'))));
    clear(tbody).append(...rows.map((x) => matchRow(x, organizer, () => draw())));
  }
  draw();
  return out;
}

// Answers, supersessions and new runs as they happen: the run on show is
// read again (once a burst) and its statuses and counts drawn anew; a newer
// run of the fair, or one published, shows as a new page when the latest
// was on show.
function liveMatches(out, fair, st, run, items, redraw) {
  let again = null;
  onLive(out, (ev) => {
    if ((ev.object.type !== 'match' && ev.kind !== 'fair.published') ||
      ev.object.fair !== fair.id) return;
    clearTimeout(again);
    again = setTimeout(async () => {
      if ((ev.object.run > run || (ev.kind === 'fair.published' && ev.object.run !== run)) && !st.run) {
        const panel = document.getElementById('fair-panel');
        if (panel && out.isConnected) load(panel, () => renderMatches(fair, st, !respondable()));
        return;
      }
      try {
        const fresh = await api('fair.matches', { fair: fair.id, run });
        const byId = new Map(fresh.items.map((x) => [x.id, x]));
        for (const x of items) if (byId.has(x.id)) x.status = byId.get(x.id).status;
        if (out.isConnected) redraw();
      } catch (e) { /* the next event tries again */ }
    }, 150);
  });
}

function respondable() {
  return session.me && (session.me.role === 'community' || session.me.role === 'org');
}

function matchRow(x, organizer, redraw) {
  return h('tr', { 'data-match': x.id },
    h('td', { 'data-label': t('col_community') }, x.community_name || x.community),
    h('td', { 'data-label': t('col_need') }, x.need_title),
    h('td', { 'data-label': t('col_org') }, x.org_name || x.org),
    h('td', { 'data-label': t('col_offer') }, x.offer_title),
    h('td', { 'data-label': t('col_category') }, categoryName(x.category)),
    h('td', { 'data-label': t('col_score'), class: 'num' }, scoreBar(x.breakdown, x.score)),
    h('td', { 'data-label': t('col_amount'), class: 'num' }, yuan(x.amount)),
    h('td', { 'data-label': t('col_status'), class: 'status' }, statusBadge(x.status)),
    organizer ? null : h('td', { 'data-label': t('actions') }, respondButtons(x, redraw),
      x.fair_status === 'open' ? interestSelect(x) : null));
}

// A party's interest in the pair of a row (fair.interest): must, want, no or
// none; it counts in the next run and schedule.
function interestSelect(x) {
  const community = session.me.role === 'community';
  const sel = h('select', { class: 'interest', 'aria-label': t('interest_label') },
    LEVELS.map((l) => h('option', { value: l }, t('lvl_' + l))));
  sel.addEventListener('change', async () => {
    try {
      await api('fair.interest', { fair: x.fair, need: x.need, offer: x.offer, level: sel.value });
      toast(t('interest_saved'));
    } catch (e) { toast(e.message); }
  });
  return community || session.me.role === 'org' ? sel : null;
}

// What the parties said before the runs (fair.interests): the organizer sees
// all of them, a party its own and those about it; mutual ones first.
export async function renderInterests(fair) {
  const r = await api('fair.interests', { fair: fair.id });
  if (!r.items.length) return h('p', { class: 'empty' }, t('interests_none'));
  const key = (x) => `${x.need || '*'}/${x.offer || '*'}`;
  const sides = new Map();
  for (const x of r.items) sides.set(key(x), (sides.get(key(x)) || 0) + 1);
  const items = r.items.slice().sort((a, b) => sides.get(key(b)) - sides.get(key(a)));
  return h('table', { class: 'list interests' },
    h('thead', null, h('tr', null, ['col_party', 'col_need', 'col_offer', 'interest_label', 'interest_mutual']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, items.map((x) => h('tr', null,
      h('td', null, x.party), h('td', null, x.need ? '#' + x.need : t('interest_all')),
      h('td', null, x.offer ? '#' + x.offer : t('interest_all')), h('td', null, t('lvl_' + x.level)),
      h('td', null, sides.get(key(x)) > 1 ? '✓' : '')))));
}

export async function renderUnmatched(fair, st) {
  const base = st.run ? { fair: fair.id, run: st.run } : { fair: fair.id };
  const m = await api('fair.matches', Object.assign({ limit: 1 }, base));
  if (m.run === null) return h('p', { class: 'empty' }, t('matches_norun'));
  // fair.matches is read a page at a time; unmatched needs and offers are pages too.
  const [needs, offers] = await Promise.all([
    apiAll('fair.matches', Object.assign({ unmatched: 'needs' }, base)),
    apiAll('fair.matches', Object.assign({ unmatched: 'offers' }, base)),
  ]);
  // Unmatched items carry codes only: names from the directory.
  const [cnames, onames] = await Promise.all([
    dirNames('community', needs.map((n) => n.community)),
    dirNames('org', offers.map((o) => o.org)),
  ]);
  return h('div', { class: 'two-col' },
    h('section', null, h('h2', null, t('unmatched_needs_title', { n: num(needs.length) })),
      needs.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', id: 'unmatched-needs' },
        h('thead', null, h('tr', null, ['col_title', 'col_community', 'col_category', 'col_budget'].map((k) =>
          h('th', { scope: 'col', class: k === 'col_budget' ? 'num' : null }, t(k))))),
        h('tbody', null, needs.map((n) => h('tr', null,
          h('td', { 'data-label': t('col_title') }, n.title, n.description ? h('div', { class: 'sub' }, n.description) : null),
          h('td', { 'data-label': t('col_community'), class: 'nowrap' }, cnames.get(n.community) || n.community),
          h('td', { 'data-label': t('col_category') }, categoryName(n.category)),
          h('td', { 'data-label': t('col_budget'), class: 'num' }, yuan(n.budget))))))) :
        h('p', { class: 'empty' }, t('empty'))),
    h('section', null, h('h2', null, t('unmatched_offers_title', { n: num(offers.length) })),
      offers.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', id: 'unmatched-offers' },
        h('thead', null, h('tr', null, ['col_title', 'col_org', 'col_category', 'col_price', 'col_remaining'].map((k) =>
          h('th', { scope: 'col', class: k === 'col_price' || k === 'col_remaining' ? 'num' : null }, t(k))))),
        h('tbody', null, offers.map((o) => h('tr', null,
          h('td', { 'data-label': t('col_title') }, o.title),
          h('td', { 'data-label': t('col_org'), title: o.org }, onames.get(o.org) || o.org),
          h('td', { 'data-label': t('col_category') }, categoryName(o.category)),
          h('td', { 'data-label': t('col_price'), class: 'num' }, yuan(o.price)),
          h('td', { 'data-label': t('col_remaining'), class: 'num' }, `${num(o.remaining)} / ${num(o.capacity)}`)))))) :
        h('p', { class: 'empty' }, t('empty'))));
}
