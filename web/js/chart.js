// chart.js: a fair's chart tab: each community's yearly cap, what is used
// and what the latest run proposes.

import { h } from './dom.js';
import { pct, t, yuan } from './i18n.js';
import { api, dirGet, dirList } from './api.js';

const round2 = (x) => Math.round(x * 100) / 100;

// Each community's cap (community.list: cap, used = confirmed this year,
// left) with what the latest run of this fair proposes on top of it.
export async function renderChart(fair, st) {
  const [m, comms] = await Promise.all([
    api('fair.matches', { fair: fair.id }),
    dirList('community', fair.street ? { street: fair.street } : {}),
  ]);
  const byCode = new Map(comms.map((c) => [c.code, c]));
  const pending = new Map();
  const inRun = new Set();
  for (const x of m.items || []) {
    if (x.status === 'declined') continue;
    inRun.add(x.community);
    // a closed fair's unconfirmed pairs can no longer be confirmed
    if (x.status !== 'confirmed' && fair.status !== 'closed') pending.set(x.community, (pending.get(x.community) || 0) + x.amount);
  }
  // A street fair: every community of the street; a district fair: those of the run.
  let codes = fair.street ? comms.map((c) => c.code) : [...inRun];
  for (const c of inRun) if (!codes.includes(c)) codes.push(c);
  const missing = codes.filter((c) => !byCode.has(c));
  await Promise.all(missing.map((c) => dirGet('community', c).then((o) => { if (o) byCode.set(c, o); }).catch(() => null)));
  codes = codes.filter((c) => byCode.has(c));
  if (!codes.length) return h('p', { class: 'empty' }, t('chart_none'));
  const rows = codes.map((c) => {
    const o = byCode.get(c);
    return { code: c, name: o.name || c, cap: o.cap, used: o.used, year: o.year, pending: round2(pending.get(c) || 0) };
  }).sort((a, b) => (b.used + b.pending) / (b.cap || 1) - (a.used + a.pending) / (a.cap || 1) || a.code.localeCompare(b.code));
  const capped = new Set((st.lastRun && st.lastRun.capped) || []);
  const scale = Math.max(1, ...rows.map((r) => Math.max(r.cap, r.used + r.pending)));
  const year = rows[0].year;
  const fyear = Number(String(fair.date || '').slice(0, 4));
  const chart = h('div', { class: 'chart', id: 'cap-chart', role: 'list' });
  for (const r of rows) {
    const total = round2(r.used + r.pending);
    const share = r.cap > 0 ? total / r.cap : 0;
    const over = total > r.cap;
    const value = t('chart_value', { used: yuan(r.used), pending: yuan(r.pending), cap: yuan(r.cap), pct: pct(share) });
    chart.append(h('div', {
      class: 'chart-row' + (over ? ' over' : ''), role: 'listitem',
      'data-code': r.code, 'data-cap': r.cap, 'data-used': r.used, 'data-pending': r.pending,
    },
    h('div', { class: 'chart-label', title: `${r.name} · ${r.code}` }, r.name),
    h('div', { class: 'chart-track', role: 'img', 'aria-label': `${r.name}: ${value}` },
      h('div', { class: 'chart-fill', style: { width: (r.used / scale) * 100 + '%' } }),
      h('div', { class: 'chart-pending', style: { left: (r.used / scale) * 100 + '%', width: (r.pending / scale) * 100 + '%' } }),
      h('div', { class: 'chart-cap', style: { left: (r.cap / scale) * 100 + '%' }, title: `${t('chart_cap')} ${yuan(r.cap)}` })),
    h('div', { class: 'chart-value' },
      h('span', { class: 'v-used' }, yuan(r.used)),
      r.pending ? h('span', { class: 'v-pending' }, ` + ${yuan(r.pending)}`) : null,
      h('span', { class: 'sub' }, ` / ${yuan(r.cap)} · ${pct(share)}`),
      over ? h('span', { class: 'badge red' }, t('chart_over')) : capped.has(r.code) ? h('span', { class: 'badge red' }, t('chart_capped')) : null)));
  }
  return h('div', null, h('h2', null, t('chart_title')),
    h('p', { class: 'hint' }, t('chart_note', { year })),
    fyear && fyear !== year ? h('p', { class: 'alert info' }, t('chart_year_note', { year, fyear })) : null,
    m.run === null ? h('p', { class: 'alert info' }, t('chart_norun')) : null,
    m.run !== null && fair.status === 'closed' ? h('p', { class: 'alert info' }, t('chart_closed')) : null,
    h('div', { class: 'legend chart-legend', 'aria-hidden': 'true' },
      h('span', null, h('i', { class: 'l-used' }), t('chart_used')),
      h('span', null, h('i', { class: 'l-pending' }), t('chart_pending')),
      h('span', null, h('i', { class: 'l-cap' }), t('chart_cap'))),
    chart);
}
