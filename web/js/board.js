// board.js: the organizer's and the bureau's stage board (projects per
// stage per street, overdue in red; a cell opens its projects with the
// steps the organizer or the admin owes) and the monthly report (通报):
// ranking, stages, overdue projects and open risk flags, as the page shows
// it and as the printable page and workbook the bureau sends.

import { clear, h } from './dom.js';
import { dateTime, num, pct, t, yuan } from './i18n.js';
import { api, apiAll, download, session } from './api.js';
import { act, filterField, load } from './ui.js';
import { STAGES, projectCard, projectNames, stageBadge } from './projects.js';

const board = { year: null };

function yearSelect(state, onChange) {
  const y0 = new Date().getUTCFullYear();
  if (!state.year) state.year = y0;
  const sel = h('select', { id: 'board-year' }, [y0, y0 - 1, y0 - 2].map((y) =>
    h('option', { value: y, selected: y === state.year }, String(y))));
  sel.addEventListener('change', () => { state.year = Number(sel.value); onChange(); });
  return sel;
}

export function viewBoard() {
  const grid = h('div');
  const list = h('div', { id: 'board-projects' });
  const refresh = () => { clear(list); load(grid, () => renderGrid(list)); };
  const sec = h('section', { class: 'board' }, h('h1', null, t('board_title')),
    h('p', { class: 'hint' }, t('board_intro')),
    h('p', null, h('a', { href: '/public/', target: '_blank', rel: 'noopener', id: 'public-link' }, t('public_board_link'))),
    h('div', { class: 'filters', role: 'search' }, filterField(t('bureau_year'), yearSelect(board, refresh))),
    grid, list);
  refresh();
  return sec;
}

async function renderGrid(list) {
  const r = await api('stats.streets', { year: board.year });
  const items = r.items || [];
  if (!items.length) return h('p', { class: 'empty' }, t('empty'));
  const total = Object.fromEntries(STAGES.map((s) => [s, 0]));
  let late = 0;
  const cell = (street, stage, n) => h('td', { class: 'num' }, n ? h('button', {
    type: 'button', class: 'link', 'data-street': street, 'data-stage': stage,
    onclick: () => openCell(list, street, stage),
  }, num(n)) : '0');
  const rows = items.map((x) => {
    for (const s of STAGES) total[s] += x.projects[s] || 0;
    late += x.overdue;
    return h('tr', { 'data-street': x.street },
      h('th', { scope: 'row' }, x.street, h('div', { class: 'sub' }, t('board_rank', { rank: x.rank, p: pct(x.progress) }))),
      STAGES.map((s) => cell(x.street, s, x.projects[s] || 0)),
      h('td', { class: 'num' + (x.overdue ? ' late' : ''), 'data-overdue': x.overdue }, x.overdue ? h('button', {
        type: 'button', class: 'link late', onclick: () => openCell(list, x.street, null),
      }, num(x.overdue)) : '0'),
      h('td', { class: 'num' }, num(x.beneficiaries_served)),
      h('td', { class: 'num' }, yuan(x.accepted_amount)), h('td', { class: 'num' }, yuan(x.paid_amount)));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stage-board', id: 'stage-board' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col_street')),
      STAGES.map((s) => h('th', { scope: 'col', class: 'num' }, t('stage_' + s))),
      h('th', { scope: 'col', class: 'num' }, t('col_overdue')), h('th', { scope: 'col', class: 'num' }, t('col_served')),
      h('th', { scope: 'col', class: 'num' }, t('col_accepted_amount')), h('th', { scope: 'col', class: 'num' }, t('col_paid')))),
    h('tbody', null, rows),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, t('board_total')), STAGES.map((s) => h('td', { class: 'num' }, num(total[s]))),
      h('td', { class: 'num' + (late ? ' late' : '') }, num(late)), h('td'), h('td'), h('td')))));
}

// The projects of a cell (stage null: the street's overdue ones).
function openCell(list, street, stage) {
  const me = session.me;
  load(list, async () => {
    let items = await apiAll('project.list', Object.assign({ street, year: board.year }, stage ? { stage } : {}));
    if (!stage) items = items.filter((p) => p.overdue);
    const names = await projectNames(items);
    return h('section', { 'aria-live': 'polite' },
      h('h2', { id: 'cell-title' }, street, ' · ', stage ? stageBadge(stage) : h('span', { class: 'badge red' }, t('overdue')),
        h('span', { class: 'sub' }, ' ' + t('projects_count', { n: num(items.length) }))),
      items.map((p) => projectCard(p, names, me)));
  });
  list.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// ---------------------------------------------------------------- the report

const report = { year: null, month: null };

export function viewReport() {
  const now = new Date();
  if (!report.month) report.month = now.getUTCMonth() + 1;
  const box = h('div');
  const msg = h('div', { class: 'msg' });
  const monthSel = h('select', { id: 'report-month' }, Array.from({ length: 12 }, (_, i) =>
    h('option', { value: i + 1, selected: i + 1 === report.month }, t('report_month_n', { m: i + 1 }))));
  const refresh = () => load(box, renderReport);
  monthSel.addEventListener('change', () => { report.month = Number(monthSel.value); refresh(); });
  const file = (ext) => async (ev) => act(ev.target, msg, () => download(
    `/v1/reports/${report.year}-${String(report.month).padStart(2, '0')}.${ext}`, `report.${ext}`));
  const sec = h('section', { class: 'report' }, h('h1', null, t('report_title')), h('p', { class: 'hint' }, t('report_intro')),
    h('div', { class: 'filters', role: 'search' }, filterField(t('bureau_year'), yearSelect(report, refresh)),
      filterField(t('bureau_month'), monthSel),
      h('button', { type: 'button', class: 'btn', id: 'report-html', onclick: file('html') }, t('report_html')),
      h('button', { type: 'button', class: 'btn', id: 'report-xlsx', onclick: file('xlsx') }, t('report_xlsx'))),
    msg, box);
  refresh();
  return sec;
}

async function renderReport() {
  const r = await api('report.monthly', { year: report.year, month: report.month });
  const stages = h('dl', { class: 'facts stage-facts', id: 'report-stages' }, STAGES.map((s) =>
    h('div', null, h('dt', null, stageBadge(s)), h('dd', null, num(r.stages[s])))));
  const rank = h('table', { class: 'data cards', id: 'report-rank' },
    h('thead', null, h('tr', null, ['col_rank', 'col_street', 'col_progress', 'col_accepted', 'col_served', 'col_overdue',
      'col_accepted_amount', 'col_paid'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, r.streets.map((x) => h('tr', { 'data-street': x.street },
      h('td', { class: 'num' }, String(x.rank)), h('th', { scope: 'row' }, x.street),
      h('td', { class: 'num' }, pct(x.progress)), h('td', { class: 'num' }, num(x.projects_accepted)),
      h('td', { class: 'num' }, num(x.beneficiaries_served)),
      h('td', { class: 'num' + (x.overdue ? ' late' : '') }, num(x.overdue)),
      h('td', { class: 'num' }, yuan(x.accepted_amount)), h('td', { class: 'num' }, yuan(x.paid_amount))))));
  const late = r.overdue.length ? h('table', { class: 'data', id: 'report-overdue' },
    h('thead', null, h('tr', null, ['col_project', 'col_street', 'col_community', 'col_org', 'col_stage', 'col_due', 'col_days_over']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, r.overdue.map((x) => h('tr', { 'data-project': x.project },
      h('td', null, `#${x.project} ${x.title}`), h('td', null, x.street), h('td', null, x.community_name),
      h('td', null, x.org_name), h('td', null, stageBadge(x.stage)), h('td', null, dateTime(x.due)),
      h('td', { class: 'num late' }, num(x.days_over))))))
    : h('p', { class: 'empty' }, t('report_no_overdue'));
  const risks = r.risks.length ? h('ul', { class: 'flags', id: 'report-risks' }, r.risks.map((f) =>
    h('li', { 'data-kind': f.kind }, h('span', { class: 'badge red' }, t('flag_' + f.kind)), ' ',
      [f.street, f.community, f.org, f.project ? `#${f.project}` : null].filter(Boolean).join(' · '),
      h('span', { class: 'sub' }, ` ${f.key}`))))
    : h('p', { class: 'empty' }, t('risk_none'));
  return h('div', null, h('p', { class: 'count' }, t('report_as_of', { t: dateTime(r.as_of) })),
    h('h2', null, t('report_rank')), h('p', { class: 'hint' }, t('report_rank_note')), h('div', { class: 'table-wrap' }, rank),
    h('h2', null, t('report_stages')), stages,
    h('h2', null, t('report_overdue')), h('div', { class: 'table-wrap' }, late),
    h('h2', null, t('report_risks')), risks);
}
