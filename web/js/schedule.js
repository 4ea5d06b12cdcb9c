// schedule.js: a fair's meeting schedule, slots by tables.

import { h } from './dom.js';
import { score as fmtScore, num, t } from './i18n.js';
import { api } from './api.js';

function addMinutes(hhmm, min) {
  const [hh, mm] = (hhmm || '09:00').split(':').map(Number);
  const total = hh * 60 + mm + min;
  return `${String(Math.floor(total / 60) % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export async function renderSchedule(fair) {
  const r = await api('fair.meetings', { fair: fair.id });
  const meetings = r.meetings || [];
  // built from a run that is no longer the published one: flag it
  const stale = r.stale ? h('p', { class: 'alert warn', id: 'schedule-stale', role: 'alert' },
    t('schedule_stale', { run: r.run, published: fair.published_run || '—' })) : null;
  if (!meetings.length) return h('div', null, stale, h('p', { class: 'empty' }, t('schedule_none')));
  const cell = new Map(meetings.map((m) => [`${m.slot}:${m.table}`, m]));
  const maxSlot = Math.max(fair.slots, ...meetings.map((m) => m.slot));
  const maxTable = Math.max(fair.tables, ...meetings.map((m) => m.table));
  const out = h('div', null, stale);
  out.append(h('div', { class: 'row between' },
    h('p', { class: 'count' }, t('slots_used', { used: num(r.slots_used), slots: num(fair.slots) }), ' · ', num(meetings.length),
      r.run ? ` · ${t('schedule_run', { run: r.run })}` : ''),
    h('div', { class: 'legend' }, h('span', null, h('i', { class: 'm-matched' }), t('schedule_matched')),
      h('span', null, h('i', { class: 'm-alt' }), t('schedule_alt')))));
  const head = h('tr', null, h('th', { scope: 'col', class: 'sticky-col' }, t('schedule_slot')));
  for (let tb = 1; tb <= maxTable; tb++) head.append(h('th', { scope: 'col' }, t('schedule_table', { n: tb })));
  const body = h('tbody');
  for (let s = 1; s <= maxSlot; s++) {
    const tr = h('tr', null, h('th', { scope: 'row', class: 'sticky-col' },
      h('span', { class: 'time' }, addMinutes(fair.start, (s - 1) * fair.slot_minutes)), h('span', { class: 'sub' }, `#${s}`)));
    for (let tb = 1; tb <= maxTable; tb++) {
      const m = cell.get(`${s}:${tb}`);
      if (!m) { tr.append(h('td', { class: 'free' })); continue; }
      tr.append(h('td', { class: m.matched ? 'm-matched' : 'm-alt',
        title: `${m.start} · ${t('schedule_table', { n: m.table })}\n${m.community_name}：${m.need_title}\n${m.org_name}：${m.offer_title}\n${t('col_score')} ${fmtScore(m.score)}` },
      h('div', { class: 'who-c' }, m.community_name || m.community),
      h('div', { class: 'who-o' }, m.org_name || m.org),
      h('div', { class: 'sub' }, m.need_title)));
    }
    body.append(tr);
  }
  out.append(h('div', { class: 'table-wrap grid-wrap', tabindex: '0', role: 'region', 'aria-label': t('tab_schedule') },
    h('table', { class: 'grid', id: 'schedule-grid' }, h('thead', null, head), body)));
  const un = r.unscheduled || [];
  if (un.length) {
    out.append(h('h2', null, t('unscheduled_title', { n: num(un.length) })),
      h('ul', { class: 'plain' }, un.map((m) => h('li', null,
        `${m.community_name || m.community}：${m.need_title || m.need} — ${m.org_name || m.org}：${m.offer_title || m.offer}`))));
  }
  return out;
}
