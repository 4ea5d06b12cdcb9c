// oversight.js: the bureau's view: streets ranked, cap used by street, risk
// flags, categories and organisations of the year.

import { clear, h } from './dom.js';
import { categoryName, dateTime, fieldName, date as fmtDate, num, pct, pct100, t, yuan } from './i18n.js';
import { api, dirNames, session } from './api.js';
import { act, errorBox, filterField, load, okBox } from './ui.js';
import { openLink } from './details.js';

// A sentence of i18n with {name} holes filled by text or nodes.
function tNodes(key, vars) {
  const out = [];
  const s = t(key);
  let last = 0;
  for (const m of s.matchAll(/\{(\w+)\}/g)) {
    out.push(s.slice(last, m.index));
    const v = vars[m[1]];
    out.push(v === undefined || v === null ? m[0] : v);
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

const bureau = { year: null, month: '' };

export function viewOversight() {
  const me = session.me;
  const thisYear = new Date().getUTCFullYear();
  if (!bureau.year) bureau.year = thisYear;
  const yearSel = h('select', { id: 'b-year' }, [thisYear, thisYear - 1, thisYear - 2].map((y) =>
    h('option', { value: y, selected: y === bureau.year }, String(y))));
  const monthSel = h('select', { id: 'b-month' }, h('option', { value: '' }, t('bureau_month_all')),
    Array.from({ length: 12 }, (_, i) => h('option', { value: i + 1, selected: String(i + 1) === String(bureau.month) }, t('bureau_month_n', { m: i + 1 }))));
  const rankBox = h('div');
  const chartBox = h('div');
  const catBox = h('div');
  const orgBox = h('div');
  const riskBox = h('div');
  const sec = h('section', { class: 'bureau' },
    h('h1', null, t('bureau_title')),
    h('p', { class: 'hint' }, t('bureau_intro')),
    h('div', { class: 'filters', role: 'search' }, filterField(t('bureau_year'), yearSel), filterField(t('bureau_month'), monthSel)),
    h('h2', { id: 'rank-h' }, t('rank_title')), rankBox,
    h('h2', { id: 'street-chart-h' }, t('street_chart_title')), chartBox,
    h('h2', { id: 'risk-h' }, t('risk_title')), riskBox,
    h('div', { class: 'two-col' },
      h('section', null, h('h2', null, t('cats_title')), catBox),
      h('section', null, h('h2', null, t('orgs_title')), orgBox)));
  const refresh = () => {
    const year = bureau.year;
    const streets = api('stats.streets', bureau.month ? { year, month: Number(bureau.month) } : { year });
    load(rankBox, async () => renderRanking(await streets, me));
    load(chartBox, async () => renderStreetChart(await streets));
    load(riskBox, () => renderFlags(year));
    load(catBox, () => renderCategoryStats(year));
    load(orgBox, () => renderOrgStats(year));
  };
  yearSel.addEventListener('change', () => { bureau.year = Number(yearSel.value); refresh(); });
  monthSel.addEventListener('change', () => { bureau.month = monthSel.value; refresh(); });
  refresh();
  return sec;
}

function progressBar(p) {
  return h('span', { class: 'mini-bar', 'aria-hidden': 'true' }, h('span', { style: { width: Math.min(100, p * 100) + '%' } }));
}

function renderRanking(r, me) {
  const items = r.items || [];
  if (!items.length) return h('p', { class: 'empty' }, t('empty'));
  const mine = me.street && me.street !== '-' ? me.street : null;
  const cols = [['col_rank', 'num'], ['col_street'], ['col_progress', 'num'], ['col_needs_pm', 'num'], ['col_accepted', 'num'],
    ['col_served', 'num'], ['col_offers_active', 'num'], ['col_confirmed', 'num'], ['col_cap_used', 'num'], ['col_fairs_held', 'num']];
  const out = h('div');
  if (mine && items.length === 1 && items[0].street === mine)
    out.append(h('p', { class: 'alert info', id: 'rank-mine' }, t('rank_mine', { rank: items[0].rank })));
  out.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', id: 'rank-table', 'aria-labelledby': 'rank-h' },
    h('thead', null, h('tr', null, cols.map(([k, c]) => h('th', { scope: 'col', class: c || null }, t(k))))),
    h('tbody', null, items.map((x) => h('tr', { 'data-street': x.street, class: x.street === mine ? 'mine' : null },
      h('td', { 'data-label': t('col_rank'), class: 'num rank' }, h('span', { class: 'rank-n rank-' + Math.min(x.rank, 4) }, String(x.rank))),
      h('th', { scope: 'row', 'data-label': t('col_street') }, x.street,
        x.street === mine ? h('span', { class: 'badge blue' }, t('rank_mine_short')) : null,
        h('div', { class: 'sub' }, `${t('col_communities')} ${num(x.communities)}`)),
      h('td', { 'data-label': t('col_progress'), class: 'num' }, progressBar(x.progress), ' ', pct(x.progress)),
      h('td', { 'data-label': t('col_needs_pm'), class: 'num' }, `${num(x.needs_matched)} / ${num(x.needs_posted)}`),
      h('td', { 'data-label': t('col_accepted'), class: 'num' }, num(x.projects_accepted)),
      h('td', { 'data-label': t('col_served'), class: 'num' }, num(x.beneficiaries_served)),
      h('td', { 'data-label': t('col_offers_active'), class: 'num' }, num(x.offers_active)),
      h('td', { 'data-label': t('col_confirmed'), class: 'num' }, yuan(x.confirmed_amount)),
      h('td', { 'data-label': t('col_cap_used'), class: 'num' }, pct100(x.cap_used_pct),
        h('div', { class: 'sub' }, t('of_caps', { cap: yuan(x.cap_total) }))),
      h('td', { 'data-label': t('col_fairs_held'), class: 'num' }, num(x.fairs_held))))))));
  return out;
}

function renderStreetChart(r) {
  const items = r.items || [];
  if (!items.length) return h('p', { class: 'empty' }, t('empty'));
  const top = Math.max(...items.map((x) => x.cap_used_pct || 0));
  // The axis ends at the next 10% above the largest value (100% at most needed).
  const scale = Math.max(10, Math.ceil(top / 10) * 10);
  const chart = h('div', { class: 'chart street-chart', id: 'street-chart', role: 'list', 'aria-labelledby': 'street-chart-h' });
  chart.append(h('div', { class: 'chart-row axis', 'aria-hidden': 'true' }, h('div'),
    h('div', { class: 'chart-axis' }, [0, scale / 2, scale].map((v, i) => h('span', { style: { left: (i * 50) + '%' } }, num(v) + '%'))), h('div')));
  for (const x of items) {
    const value = t('street_chart_value', { amount: yuan(x.confirmed_amount), cap: yuan(x.cap_total), pct: pct100(x.cap_used_pct) });
    chart.append(h('div', { class: 'chart-row', role: 'listitem', 'data-street': x.street, 'data-pct': x.cap_used_pct },
      h('div', { class: 'chart-label' }, h('span', { class: 'rank-n small rank-' + Math.min(x.rank, 4) }, String(x.rank)), ' ', x.street),
      h('div', { class: 'chart-track', role: 'img', 'aria-label': `${x.street}: ${value}` },
        h('div', { class: 'chart-fill', style: { width: Math.min(100, (x.cap_used_pct / scale) * 100) + '%' } })),
      h('div', { class: 'chart-value' }, pct100(x.cap_used_pct), h('span', { class: 'sub' }, ` · ${yuan(x.confirmed_amount)} / ${yuan(x.cap_total)}`))));
  }
  return h('div', null, h('p', { class: 'hint' }, t('street_chart_note')), chart);
}

async function renderCategoryStats(year) {
  const r = await api('stats.categories', { year });
  const items = r.items || [];
  if (!items.length) return h('p', { class: 'empty' }, t('empty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', id: 'cat-table' },
    h('thead', null, h('tr', null, [['col_category'], ['col_needs_pm', 'num'], ['col_matched_share', 'num'], ['col_budget_posted', 'num'], ['col_confirmed', 'num']]
      .map(([k, c]) => h('th', { scope: 'col', class: c || null }, t(k))))),
    h('tbody', null, items.map((x) => h('tr', { 'data-category': x.category },
      h('td', { 'data-label': t('col_category') }, categoryName(x.category)),
      h('td', { 'data-label': t('col_needs_pm'), class: 'num' }, `${num(x.needs_matched)} / ${num(x.needs_posted)}`),
      h('td', { 'data-label': t('col_matched_share'), class: 'num' }, progressBar(x.matched_share), ' ', pct(x.matched_share)),
      h('td', { 'data-label': t('col_budget_posted'), class: 'num' }, yuan(x.budget_posted)),
      h('td', { 'data-label': t('col_confirmed'), class: 'num' }, yuan(x.confirmed_amount)))))));
}

async function renderOrgStats(year) {
  const r = await api('stats.orgs', { year });
  const items = r.items || [];
  if (!items.length) return h('p', { class: 'empty' }, t('empty'));
  const FIRST = 10;
  const tbody = h('tbody');
  const draw = (all) => {
    clear(tbody).append(...(all ? items : items.slice(0, FIRST)).map((x, i) => h('tr', { 'data-org': x.org },
      h('td', { 'data-label': '#', class: 'num' }, String(i + 1)),
      h('td', { 'data-label': t('col_org') }, openLink('org', x.org, x.name || x.org)),
      h('td', { 'data-label': t('col_org_matches'), class: 'num' }, num(x.matches)),
      h('td', { 'data-label': t('col_amount'), class: 'num' }, yuan(x.amount)),
      h('td', { 'data-label': t('col_share'), class: 'num' }, pct(x.share)))));
  };
  draw(false);
  const more = items.length > FIRST ? h('button', { type: 'button', class: 'btn small', id: 'orgs-all' }, t('show_all', { n: num(items.length) })) : null;
  if (more) more.addEventListener('click', () => { draw(true); more.remove(); });
  return h('div', null, h('p', { class: 'count' }, t('orgs_total', { amount: yuan(r.total_amount) })),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', id: 'orgs-table' },
      h('thead', null, h('tr', null, [['#', 'num'], ['col_org'], ['col_org_matches', 'num'], ['col_amount', 'num'], ['col_share', 'num']]
        .map(([k, c]) => h('th', { scope: 'col', class: c || null }, k === '#' ? '#' : t(k))))),
      tbody)), more);
}

async function renderFlags(year) {
  const r = await api('risk.flags', { year });
  const items = r.items || [];
  if (!items.length) return h('p', { class: 'empty', id: 'risk-none' }, t('risk_none'));
  // Names of what the flags name, and the inflated offers' titles.
  const comms = items.map((f) => f.community).filter(Boolean);
  const orgs = items.map((f) => f.org).filter(Boolean);
  const offerIds = [...new Set(items.filter((f) => f.offer).map((f) => f.offer))];
  const [cn, on, offers] = await Promise.all([
    dirNames('community', comms), dirNames('org', orgs),
    Promise.all(offerIds.map((id) => api('offer.get', { id }).then((x) => x.offer).catch(() => null))),
  ]);
  const offerTitle = new Map(offerIds.map((id, i) => [id, offers[i] && offers[i].title]));
  const list = h('ol', { class: 'flags', id: 'risk-list', 'aria-labelledby': 'risk-h' });
  for (const f of items) list.append(flagItem(f, cn, on, offerTitle));
  return h('div', null, h('p', { class: 'count', id: 'risk-count' }, t('risk_count', { n: num(items.length) })), list);
}

function flagItem(f, cn, on, offerTitle) {
  const d = f.detail || {};
  const comm = f.community ? openLink('community', f.community, cn.get(f.community) || f.community) : null;
  const org = f.org ? openLink('org', f.org, on.get(f.org) || f.org) : null;
  let text;
  let extra = null;
  if (f.kind === 'padding') {
    text = tNodes(d.share === null || d.share === undefined ? 'flag_padding_text_full' : 'flag_padding_text', {
      year: d.year, open_needs: num(d.open_needs), open_amount: yuan(d.open_amount), cap_left: yuan(d.cap_left),
      cap: yuan(d.cap), confirmed: yuan(d.confirmed), share: pct(d.share), padding_share: pct(d.padding_share),
      late_needs: num(d.late_needs), late_share: pct(d.late_share), late_from: fmtDate(d.late_from),
      padding_late_share: pct(d.padding_late_share),
    });
    if (f.needs && f.needs.length)
      extra = h('p', { class: 'flag-needs' }, t('flag_needs'), f.needs.map((id) => [openLink('need', id, `#${id}`), ' ']));
  } else if (f.kind === 'inflated_price') {
    text = tNodes('flag_inflated_price_text', {
      offer: openLink('offer', f.offer, offerTitle.get(f.offer) ? `「${offerTitle.get(f.offer)}」` : `#${f.offer}`),
      org: org || '', price: yuan(d.price), category: categoryName(d.category), offers: num(d.offers),
      median: yuan(d.median), ratio: t('times', { x: num(d.ratio) }), inflated_factor: t('times', { x: num(d.inflated_factor) }),
    });
  } else if (f.kind === 'concentration') {
    text = tNodes('flag_concentration_text', {
      street: f.street, year: d.year, street_amount: yuan(d.street_amount), org_amount: yuan(d.org_amount),
      share: pct(d.share), matches: num(d.matches), org: org || '', concentration_share: pct(d.concentration_share),
    });
  } else if (f.kind === 'duplicate_need') {
    text = tNodes('flag_duplicate_need_text', {
      community: comm || '', year: d.year,
      need: openLink('need', f.need, d.title ? `「${d.title}」` : `#${f.need}`),
      duplicate_of: openLink('need', f.duplicate_of, d.duplicate_of_title ? `「${d.duplicate_of_title}」` : `#${f.duplicate_of}`),
      similarity: num(d.similarity), duplicate_similarity: num(d.duplicate_similarity),
    });
  } else if (f.kind === 'split_project') {
    text = tNodes('flag_split_project_text', {
      org: org || '', community: comm || '', count: num(d.count), first: dateTime(d.first), days: num(d.days),
      threshold: yuan(d.split_threshold), total: yuan(d.total),
    });
  } else if (f.kind === 'stalled') {
    text = tNodes('flag_stalled_text', {
      title: d.title, stage: t('stage_' + d.stage), since: dateTime(d.since), due: dateTime(d.due), days: num(d.days_over),
    });
  } else if (f.kind === 'failed_acceptance') {
    text = tNodes('flag_failed_acceptance_text', { org: org || '', year: d.year, n: num(d.failures) });
  } else {
    text = [Object.entries(d).map(([k, v]) => `${fieldName(k)}：${typeof v === 'object' ? JSON.stringify(v) : v}`).join('；')];
  }
  const who = [];
  if (comm && f.kind !== 'duplicate_need') who.push(comm);
  if (f.street) who.push(h('span', { class: 'badge' }, f.street));
  const kindWords = t('flag_' + f.kind) === 'flag_' + f.kind ? f.kind : t('flag_' + f.kind);
  const li = h('li', { class: 'flag flag-' + f.kind, 'data-kind': f.kind, 'data-key': f.key },
    h('div', { class: 'flag-head' }, h('span', { class: 'badge red flag-kind' }, kindWords), ' ', who.map((x) => [x, ' '])),
    h('p', { class: 'flag-text' }, text), extra);
  if (session.me && session.me.role === 'admin' && f.key) li.append(resolveForm(f));
  return li;
}

// The admin records that a flag was looked into (risk.resolve): it leaves
// the list of open flags.
function resolveForm(f) {
  const msg = h('div', { class: 'msg' });
  const note = h('input', { type: 'text', maxlength: 2000, 'aria-label': t('risk_resolve_note'), placeholder: t('risk_resolve_note') });
  const btn = h('button', { type: 'button', class: 'btn small' }, t('risk_resolve'));
  const form = h('div', { class: 'row resolve' }, note, btn, msg);
  btn.addEventListener('click', () => act(btn, msg, async () => {
    try {
      await api('risk.resolve', { key: f.key, note: note.value.trim() || t('risk_resolved') });
      form.replaceWith(okBox(t('risk_resolved')));
    } catch (e) {
      msg.append(errorBox(e));
    }
  }));
  return form;
}
