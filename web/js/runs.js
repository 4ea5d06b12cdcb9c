// runs.js: a fair's overview tab (the latest run's summary) and its runs
// tab (the runs compared).

import { h } from './dom.js';
import { score as fmtScore, num, t, yuan } from './i18n.js';
import { api, apiAll } from './api.js';
import { fact } from './ui.js';
import { publishButton } from './matches.js';

function runSummary(r) {
  return h('div', { class: 'summary' },
    h('h3', null, t('run_summary', r), r.algorithm ? ` · ${t('alg_' + r.algorithm)}` : ''),
    h('dl', { class: 'facts' },
      fact(t('pairs'), num(r.pairs)),
      fact(t('matched_needs'), num(r.matched_needs)),
      fact(t('unmatched_needs'), num(r.unmatched_needs)),
      fact(t('total_score'), fmtScore(r.total_score)),
      fact(t('total_amount'), yuan(r.total_amount)),
      r.exact !== undefined ? fact(t('exact'), r.exact ? t('exact_yes') : t('exact_no')) : null,
      r.gap !== undefined ? fact(t('gap'), t('gap_within', { x: (Math.ceil(r.gap * 10000) / 100).toFixed(2) })) : null,
      fact(t('capped'), r.capped && r.capped.length ? r.capped.join('、') : t('none'))));
}

export async function renderOverview(fair, st) {
  const out = h('div');
  if (st.lastRun) out.append(runSummary(st.lastRun));
  if (fair.runs > 0) {
    const m = await api('fair.matches', { fair: fair.id, limit: 1 });
    if (m.run === null) {
      out.append(h('p', { class: 'alert warn' }, t('published_none')));
      return out;
    }
    const items = await apiAll('fair.matches', { fair: fair.id });
    const unmatched = await apiAll('fair.matches', { fair: fair.id, unmatched: 'needs' });
    const total = items.reduce((s, x) => s + (x.status === 'declined' ? 0 : x.amount), 0);
    const byStatus = {};
    for (const x of items) byStatus[x.status] = (byStatus[x.status] || 0) + 1;
    out.append(h('div', { class: 'summary' }, h('h3', null, t('run_n', { run: m.run })),
      h('dl', { class: 'facts' },
        fact(t('pairs'), num(items.length)),
        fact(t('total_amount'), yuan(Math.round(total * 100) / 100)),
        fact(t('unmatched_needs'), num(unmatched.length)),
        Object.keys(byStatus).map((s) => fact(t('st_' + s), num(byStatus[s]))))));
  } else {
    out.append(h('p', { class: 'empty' }, t('matches_norun')));
  }
  return out;
}

export async function renderRuns(fair, st) {
  if (!fair.runs) return h('p', { class: 'empty' }, t('runs_none'));
  const runs = [];
  for (let r = 1; r <= fair.runs; r++) runs.push(r);
  // Each run whole: its pairs and its unmatched needs, a page at a time.
  const results = await Promise.all(runs.map(async (r) => ({
    items: await apiAll('fair.matches', { fair: fair.id, run: r }),
    unmatched: await apiAll('fair.matches', { fair: fair.id, run: r, unmatched: 'needs' }),
  })));
  const key = (x) => `${x.need}:${x.offer}`;
  const latest = new Set(results[results.length - 1].items.map(key));
  const rows = results.map((m, i) => {
    const items = m.items;
    const score = items.reduce((s, x) => s + x.score, 0);
    const amount = items.reduce((s, x) => s + x.amount, 0);
    return {
      run: runs[i], alg: st.algs[runs[i]], pairs: items.length, unmatched: m.unmatched.length,
      score: Math.round(score * 100) / 100, avg: items.length ? score / items.length : 0,
      amount: Math.round(amount * 100) / 100, confirmed: items.filter((x) => x.status === 'confirmed').length,
      same: items.filter((x) => latest.has(key(x))).length,
    };
  });
  const best = (k) => Math.max(...rows.map((r) => r[k]));
  const mark = (r, k, v) => h('td', { class: 'num' + (rows.length > 1 && r[k] === best(k) ? ' best' : '') }, v,
    rows.length > 1 && r[k] === best(k) ? h('span', { class: 'badge green' }, t('best')) : null);
  const msg = h('div', { class: 'msg' });
  return h('div', null, h('h2', null, t('runs_title')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'runs-table' },
      h('thead', null, h('tr', null,
        [t('run_label'), t('runs_alg'), t('pairs'), t('unmatched_needs'), t('total_score'), t('runs_avg'),
          t('total_amount'), t('runs_confirmed'), t('runs_same'), t('published')].map((x, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null,
        h('th', { scope: 'row' }, t('run_n', { run: r.run })),
        h('td', null, r.alg ? t('alg_' + r.alg) : t('runs_unknown')),
        mark(r, 'pairs', num(r.pairs)),
        h('td', { class: 'num' }, num(r.unmatched)),
        mark(r, 'score', fmtScore(r.score)),
        mark(r, 'avg', fmtScore(r.avg)),
        mark(r, 'amount', yuan(r.amount)),
        h('td', { class: 'num' }, num(r.confirmed)),
        h('td', { class: 'num' }, `${num(r.same)} / ${num(r.pairs)}`),
        h('td', { 'data-run': r.run }, r.run === fair.published_run ? h('span', { class: 'badge green' }, t('published'))
          : fair.status === 'open' ? publishButton(fair, r.run, msg, () => st.reload && st.reload('runs')) : null)))))), msg);
}
