// mymatches.js: a community's or organisation's matches over all fairs,
// to accept or decline, and their meetings.

import { clear, h } from './dom.js';
import { date as fmtDate, t, yuan } from './i18n.js';
import { api, apiAll, session } from './api.js';
import { load } from './ui.js';
import { legend, respondButtons, scoreBar, statusBadge } from './matches.js';
import { onLive } from './live.js';

export function viewMyMatches() {
  const sec = h('section', null, h('h1', null, t('my_matches_title')));
  const a = h('div');
  const b = h('div');
  sec.append(a, h('h2', null, t('my_meetings_title')), b);
  // A proposal, an answer, a publication or a schedule: read the list again
  // (once a burst).
  let again = null;
  onLive(sec, (ev) => {
    if (ev.object.type !== 'match' && ev.kind !== 'fair.scheduled' && ev.kind !== 'fair.published') return;
    clearTimeout(again);
    // In place, without a loading state in between.
    again = setTimeout(() => fill().then((node) => { clear(a).append(node); }, () => {}), 150);
  });
  load(a, fill);
  return sec;

  async function fill() {
    const fairs = await apiAll('fair.list', {});
    const results = await Promise.all(fairs.map((f) => api('fair.matches', { fair: f.id }).then((m) => ({ f, m })).catch(() => null)));
    const rows = [];
    for (const r of results) if (r && r.m.items) for (const x of r.m.items) rows.push(Object.assign({ fair_name: r.f.name, fair_date: r.f.date, fair_status: r.f.status }, x));
    // open fairs first, then the latest; within a fair the best score first
    rows.sort((p, q) => (p.fair_status === 'closed') - (q.fair_status === 'closed') ||
      String(q.fair_date).localeCompare(String(p.fair_date)) || q.fair - p.fair || q.score - p.score);
    // meetings load beside
    load(b, async () => {
      const ms = await Promise.all(fairs.map((f) => api('fair.meetings', { fair: f.id }).then((m) => ({ f, m })).catch(() => null)));
      const list = [];
      for (const r of ms) if (r) for (const x of r.m.meetings || []) list.push(Object.assign({ fair: r.f }, x));
      if (!list.length) return h('p', { class: 'empty' }, t('my_meetings_none'));
      list.sort((p, q) => (p.fair.date + p.start).localeCompare(q.fair.date + q.start));
      const comm = session.me.role === 'community';
      return h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', id: 'my-meetings' },
        h('thead', null, h('tr', null, ['col_fair', 'col_time', 'col_table', comm ? 'col_need' : 'col_offer', 'counterpart'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, list.map((m) => h('tr', { class: m.matched ? 'is-matched' : '' },
          h('td', { 'data-label': t('col_fair') }, m.fair.name),
          h('td', { 'data-label': t('col_time') }, `${fmtDate(m.fair.date)} ${m.start}`),
          h('td', { 'data-label': t('col_table') }, t('schedule_table', { n: m.table })),
          h('td', { 'data-label': t(comm ? 'col_need' : 'col_offer') }, comm ? m.need_title : m.offer_title),
          h('td', { 'data-label': t('counterpart') }, comm ? `${m.org_name}：${m.offer_title}` : `${m.community_name}：${m.need_title}`))))));
    });
    if (!rows.length) return h('p', { class: 'empty' }, t('my_matches_none'));
    const comm = session.me.role === 'community';
    const tbody = h('tbody');
    const draw = () => {
      clear(tbody);
      for (const x of rows) {
        tbody.append(h('tr', { 'data-match': x.id },
          h('td', { 'data-label': t('col_fair') }, x.fair_name, h('div', { class: 'sub' }, fmtDate(x.fair_date),
            x.fair_status === 'closed' ? ` · ${t('fair_status_closed')}` : '')),
          h('td', { 'data-label': t(comm ? 'col_need' : 'col_offer') }, comm ? x.need_title : x.offer_title),
          h('td', { 'data-label': t('counterpart') }, comm ? x.org_name : x.community_name,
            h('div', { class: 'sub' }, comm ? x.offer_title : x.need_title)),
          h('td', { 'data-label': t('col_score'), class: 'num' }, scoreBar(x.breakdown, x.score)),
          h('td', { 'data-label': t('col_amount'), class: 'num' }, yuan(x.amount)),
          h('td', { 'data-label': t('col_status'), class: 'status' }, statusBadge(x.status)),
          h('td', { 'data-label': t('actions') }, respondButtons(x, draw))));
      }
    };
    draw();
    return h('div', null, legend(), h('div', { class: 'table-wrap' }, h('table', { class: 'data cards matches', id: 'my-matches' },
      h('thead', null, h('tr', null, ['col_fair', comm ? 'col_need' : 'col_offer', 'counterpart', 'col_score', 'col_amount', 'col_status', 'actions']
        .map((k) => h('th', { scope: 'col', class: k === 'col_score' || k === 'col_amount' ? 'num' : null }, t(k))))),
      tbody)));
  }
}
