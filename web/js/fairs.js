// fairs.js: the list of fairs, creating one, a fair's page (facts, the
// organizer's actions: enroll, match, schedule, close, downloads) and its
// tabs, drawn by matches.js, runs.js, schedule.js and chart.js.

import { clear, h } from './dom.js';
import { fieldName, getLang, date as fmtDate, num, t } from './i18n.js';
import { api, apiAll, download, session, streetList } from './api.js';
import { act, clearMarks, confirmInline, dateInput, dateValue, errorBox, fact, field, intValue, load, okBox, toast } from './ui.js';
import { renderInterests, renderMatches, renderUnmatched } from './matches.js';
import { renderOverview, renderRuns } from './runs.js';
import { renderSchedule } from './schedule.js';
import { renderChart } from './chart.js';

const ALGORITHMS = ['optimal', 'greedy', 'stable'];

function fairStatus(f) {
  return h('span', { class: 'badge ' + (f.status === 'closed' ? 'grey' : 'green') }, t('fair_status_' + f.status));
}

export function viewFairs() {
  const me = session.me;
  const organizer = me.role === 'organizer' || me.role === 'admin';
  const list = h('div');
  const sec = h('section', null, h('h1', null, t('fairs_title')));
  if (organizer) sec.append(fairCreateForm(list));
  sec.append(list);
  load(list, renderFairList);
  return sec;
}

async function renderFairList() {
  const items = await apiAll('fair.list', {});
  if (!items.length) return h('p', { class: 'empty' }, t('fairs_none'));
  items.sort((a, b) => (b.date || '').localeCompare(a.date || '') || b.id - a.id);
  const tbl = h('table', { class: 'data cards' },
    h('thead', null, h('tr', null, ...['fair_name', 'fair_date', 'fair_street', 'fair_status', 'fair_needs', 'fair_offers', 'fair_runs']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, items.map((f) => h('tr', null,
      h('td', { 'data-label': t('fair_name') }, h('a', { href: `#/fairs/${f.id}` }, f.name)),
      h('td', { 'data-label': t('fair_date') }, fmtDate(f.date), ' ', f.start || ''),
      h('td', { 'data-label': t('fair_street') }, f.street || t('district')),
      h('td', { 'data-label': t('fair_status') }, fairStatus(f)),
      h('td', { 'data-label': t('fair_needs'), class: 'num' }, num(f.needs)),
      h('td', { 'data-label': t('fair_offers'), class: 'num' }, num(f.offers)),
      h('td', { 'data-label': t('fair_runs'), class: 'num' }, num(f.runs))))));
  return h('div', { class: 'table-wrap' }, tbl);
}

// A street chosen from the registry (street.list), not typed.
function streetSelect() {
  const sel = h('select', { name: 'street' }, h('option', { value: '' }, t('fair_street_none')));
  streetList().then((names) => sel.append(...names.map((n) => h('option', { value: n }, n))), () => {});
  return sel;
}

function fairCreateForm(list) {
  const me = session.me;
  const msg = h('div', { class: 'msg' });
  const btn = h('button', { type: 'submit', class: 'btn primary' }, t('fair_create'));
  const form = h('form', { class: 'card form-grid', novalidate: true, id: 'fair-create' },
    h('h2', { class: 'wide' }, t('fair_create')),
    msg,
    field(t('fair_name'), h('input', { name: 'name', required: true, maxlength: 200 }), { wide: true }),
    field(t('fair_date'), dateInput({ name: 'date', required: true }), { hint: t('date_hint') }),
    field(t('fair_start'), h('input', { name: 'start', type: 'time', placeholder: '09:00', value: '09:00' }), { optional: true }),
    field(t('fair_street'), streetSelect(), { optional: true, hint: t('fair_street_hint') }),
    field(t('fair_tables'), h('input', { name: 'tables', inputmode: 'numeric', placeholder: '10' }), { optional: true }),
    field(t('fair_slots'), h('input', { name: 'slots', inputmode: 'numeric', placeholder: '12' }), { optional: true }),
    field(t('fair_slot_minutes'), h('input', { name: 'slot_minutes', inputmode: 'numeric', placeholder: '15' }), { optional: true }),
    h('div', { class: 'row wide' }, btn));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearMarks(form);
    clear(msg);
    const v = (n) => form.elements[n].value.trim();
    const args = { name: v('name'), date: v('date') };
    for (const req of ['name', 'date']) {
      if (!args[req]) {
        msg.append(errorBox({ code: 'client', field: req, message: t('err_required', { field: fieldName(req) }) }, form));
        return;
      }
    }
    args.date = dateValue(args.date);
    if (args.date === null) {
      msg.append(errorBox({ code: 'client', field: 'date', message: t('err_date', { field: fieldName('date') }) }, form));
      return;
    }
    if (v('street')) args.street = v('street');
    if (v('start')) args.start = v('start');
    for (const n of ['tables', 'slots', 'slot_minutes']) if (v(n) !== '') args[n] = intValue(v(n));
    await act(btn, null, async () => {
      try {
        const r = await api('fair.create', args);
        form.reset();
        msg.append(okBox(t('fair_created', { name: r.fair.name })));
        load(list, renderFairList);
      } catch (e) {
        if (e.code !== 'unauthenticated') msg.append(errorBox(e, form));
      }
    });
  });
  return form;
}

// Per-fair state kept while the page is open.
const fairState = {};
function fstate(id) {
  if (!fairState[id]) {
    let algs = {};
    try { algs = JSON.parse(sessionStorage.getItem('matchd.algs.' + id) || '{}'); } catch (e) { algs = {}; }
    fairState[id] = { run: null, sort: { key: 'score', dir: -1 }, filters: {}, lastRun: null, algs, needCats: null };
  }
  return fairState[id];
}

export function viewFair(id, tab) {
  const me = session.me;
  const organizer = me.role === 'organizer' || me.role === 'admin';
  const sec = h('section', { class: 'fair' });
  const head = h('div');
  sec.append(h('p', { class: 'back' }, h('a', { href: '#/fairs' }, t('back_to_fairs'))), head);
  load(head, async () => {
    const fair = (await api('fair.get', { id })).fair;
    return renderFairPage(fair, tab, organizer);
  });
  return sec;
}

function renderFairPage(fair, tab, organizer) {
  const st = fstate(fair.id);
  const wrap = h('div');
  const facts = h('dl', { class: 'facts' },
    fact(t('fair_date'), fmtDate(fair.date) + ' ' + (fair.start || '')),
    fact(t('fair_street'), fair.street || t('district')),
    fact(t('fair_status'), fairStatus(fair)),
    fact(t('fair_layout', { tables: fair.tables, slots: fair.slots, min: fair.slot_minutes }), ''),
    fact(t('fair_needs'), num(fair.needs)),
    fact(t('fair_offers'), num(fair.offers)),
    fact(t('fair_runs'), num(fair.runs)),
    fact(t('published'), fair.published_run ? t('run_n', { run: fair.published_run }) : t('published_none')));
  wrap.append(h('h1', null, fair.name), facts);

  const panel = h('div', { class: 'panel', id: 'fair-panel' });
  const reload = st.reload = async (nextTab) => {
    try {
      const f = (await api('fair.get', { id: fair.id })).fair;
      const page = renderFairPage(f, nextTab || tab, organizer);
      wrap.replaceWith(page);
    } catch (e) { /* the panel shows its own errors */ }
  };
  if (organizer) wrap.append(fairActions(fair, st, reload));
  else if (fair.status === 'closed') wrap.append(h('p', { class: 'alert info' }, t('fair_is_closed')));

  const tabs = organizer ? ['overview', 'matches', 'unmatched', 'interests', 'schedule', 'chart', 'runs'] : ['matches', 'interests', 'schedule'];
  if (!tabs.includes(tab)) tab = tabs[0];
  const nav = h('nav', { class: 'tabs', 'aria-label': fair.name },
    tabs.map((k) => h('a', { href: `#/fairs/${fair.id}/${k}`, 'aria-current': k === tab ? 'page' : null, id: 'tab-' + k }, t('tab_' + k))));
  wrap.append(nav, panel);
  panel.setAttribute('aria-labelledby', 'tab-' + tab);
  const views = {
    overview: () => renderOverview(fair, st),
    matches: () => renderMatches(fair, st, organizer),
    unmatched: () => renderUnmatched(fair, st),
    interests: () => renderInterests(fair),
    schedule: () => renderSchedule(fair),
    chart: () => renderChart(fair, st),
    runs: () => renderRuns(fair, st),
  };
  load(panel, views[tab]);
  return wrap;
}

function fairActions(fair, st, reload) {
  const msg = h('div', { class: 'msg', 'aria-live': 'polite' });
  const closed = fair.status === 'closed';
  const box = h('div', { class: 'card actions' });
  if (closed) box.append(h('p', { class: 'alert info' }, t('fair_is_closed')));
  else box.append(h('p', { class: 'steps' }, t('steps')));

  const row1 = h('div', { class: 'action-row' });
  if (!closed) {
    const enrollBtn = h('button', { type: 'button', class: 'btn', id: 'enroll-all' }, t('enroll_all'));
    enrollBtn.addEventListener('click', () => act(enrollBtn, msg, async () => {
      const r = await api('fair.enroll', { fair: fair.id, all: true });
      toast(t('enrolled', r));
      await reload();
    }));
    const algSel = h('select', { id: 'algorithm', name: 'algorithm' },
      ALGORITHMS.map((a) => h('option', { value: a, selected: a === (st.alg || 'optimal') }, t('alg_' + a))));
    algSel.addEventListener('change', () => { st.alg = algSel.value; });
    const publish = h('input', { type: 'checkbox', id: 'publish-now', checked: true });
    const runBtn = h('button', { type: 'button', class: 'btn primary', id: 'run-match' }, t('run_match'));
    runBtn.addEventListener('click', () => act(runBtn, msg, async () => {
      const algorithm = algSel.value;
      const r = await api('fair.match', { fair: fair.id, algorithm, publish: publish.checked });
      st.lastRun = Object.assign({ algorithm }, r);
      st.algs[r.run] = algorithm;
      try { sessionStorage.setItem('matchd.algs.' + fair.id, JSON.stringify(st.algs)); } catch (e) { /* ignore */ }
      st.run = r.published ? null : r.run;
      toast(t('run_done', r));
      if (location.hash === `#/fairs/${fair.id}/matches`) await reload('matches');
      else location.hash = `#/fairs/${fair.id}/matches`;
    }, t('running')));
    row1.append(enrollBtn,
      h('span', { class: 'inline-field' }, h('label', { for: 'algorithm' }, t('algorithm')), algSel),
      h('label', { class: 'check', for: 'publish-now' }, publish, ' ', t('publish_now')), runBtn);
    const closeBtn = h('button', { type: 'button', class: 'btn danger', id: 'close-fair' }, t('close_fair'));
    const closeWrap = h('span', { class: 'close-wrap' }, closeBtn);
    closeBtn.addEventListener('click', () => {
      confirmInline(closeWrap, t('close_fair_q', { name: fair.name }), t('close_fair'), async (yesBtn) => {
        await act(yesBtn, msg, async () => {
          await api('fair.close', { fair: fair.id });
          toast(t('fair_closed'));
          await reload();
        });
      });
    });
    row1.append(closeWrap);
  }
  box.append(row1);

  const row2 = h('div', { class: 'action-row' });
  if (!closed) {
    const mpn = h('input', { id: 'mpn', name: 'meetings_per_need', inputmode: 'numeric', placeholder: '3', size: 3, class: 'short' });
    const schedBtn = h('button', { type: 'button', class: 'btn', id: 'make-schedule' }, t('make_schedule'));
    const booths = h('input', { type: 'checkbox', id: 'booths', name: 'booths' });
    schedBtn.addEventListener('click', () => act(schedBtn, msg, async () => {
      const args = { fair: fair.id };
      if (mpn.value.trim()) args.meetings_per_need = intValue(mpn.value);
      if (booths.checked) args.booths = true;
      try {
        const r = await api('fair.schedule', args);
        toast(t('scheduled', { n: r.meetings.length, slots: r.slots_used }));
      } catch (e) {
        if (e.field === 'meetings_per_need') mpn.setAttribute('aria-invalid', 'true');
        throw e;
      }
      mpn.removeAttribute('aria-invalid');
      if (location.hash === `#/fairs/${fair.id}/schedule`) await reload('schedule');
      else location.hash = `#/fairs/${fair.id}/schedule`;
    }));
    row2.append(h('span', { class: 'inline-field' }, h('label', { for: 'mpn' }, t('meetings_per_need')), mpn),
      h('span', { class: 'inline-field' }, booths, h('label', { for: 'booths' }, t('booths'))), schedBtn);
  }
  const dl = h('span', { class: 'downloads', role: 'group', 'aria-label': t('downloads') },
    h('span', { class: 'label' }, t('downloads') + '：'),
    dlButton(fair, 'matches.csv', t('dl_csv'), msg, 'dl-csv'),
    dlButton(fair, 'matches.xlsx', t('dl_xlsx'), msg, 'dl-xlsx'),
    dlButton(fair, 'agenda.html', t('dl_agenda'), msg, 'dl-agenda'));
  row2.append(dl);
  box.append(row2);

  box.append(msg);
  return box;
}

function dlButton(fair, file, label, msg, id) {
  const b = h('button', { type: 'button', class: 'btn small', id }, label);
  b.addEventListener('click', () => act(b, msg, () => download(`/v1/fairs/${fair.id}/${file}${getLang() === 'en' ? '?lang=en' : ''}`, `fair-${fair.id}-${file}`), t('downloading')));
  return b;
}
