// app.js: the organizers' page of matchd.  One page, hash routes, the
// public HTTP API only (POST /v1/op/<op>, Authorization: Bearer <token>).
import {
  t, getLang, setLang, fieldName, categoryName, categoryList, categoryTree, setTaxonomy, hasTaxonomy,
  num, yuan, score as fmtScore, date as fmtDate, dateTime,
} from './i18n.js';

const PARTS = ['category', 'budget', 'text', 'library', 'locality'];
const ALGORITHMS = ['optimal', 'greedy', 'stable'];

// ---------------------------------------------------------------- DOM

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, kids);
  return el;
}

function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }

const $main = () => document.getElementById('main');

let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

// ---------------------------------------------------------------- session and API

const session = {
  get token() { try { return sessionStorage.getItem('matchd.token') || ''; } catch (e) { return ''; } },
  set token(v) {
    try { if (v) sessionStorage.setItem('matchd.token', v); else sessionStorage.removeItem('matchd.token'); } catch (e) { /* ignore */ }
  },
  me: null,
};

class ApiError extends Error {
  constructor(e, status) {
    super((e && e.message) || 'error');
    this.code = (e && e.code) || 'internal';
    this.field = (e && e.field) || null;
    this.status = status || 0;
  }
}

async function api(op, args, token) {
  let res;
  try {
    res = await fetch('/v1/op/' + op, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + (token || session.token), 'Content-Type': 'application/json' },
      body: JSON.stringify(args || {}),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError({ code: 'network', message: String(e.message || e) });
  }
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!body || typeof body !== 'object') throw new ApiError({ code: res.status >= 500 ? 'internal' : 'bad_request', message: `HTTP ${res.status}` }, res.status);
  if (!body.ok) {
    const err = new ApiError(body.error, res.status);
    if (err.code === 'unauthenticated' && !token) expired();
    throw err;
  }
  return body.result;
}

// Every page of a list op.
async function apiAll(op, args) {
  const out = [];
  let after = null;
  for (let i = 0; i < 100; i++) {
    const r = await api(op, Object.assign({}, args, { limit: 1000 }, after ? { after } : {}));
    out.push(...(r.items || []));
    if (r.next === null || r.next === undefined) break;
    after = r.next;
  }
  return out;
}

// Names of communities and organisations (community.get/list, org.get/list),
// kept while the page is open.  A code that is not found resolves to null.
const directory = { community: new Map(), org: new Map() };

function dirGet(kind, code) {
  const m = directory[kind];
  if (!m.has(code)) {
    m.set(code, api(kind + '.get', { code }).then((r) => r[kind]).catch((e) => {
      if (e.code === 'not_found') return null;
      m.delete(code);
      throw e;
    }));
  }
  return m.get(code);
}

async function dirList(kind, args) {
  const items = await apiAll(kind + '.list', args || {});
  for (const x of items) directory[kind].set(x.code, Promise.resolve(x));
  return items;
}

// code -> name for the codes given (names already known are kept).
async function dirNames(kind, codes) {
  const out = new Map();
  const list = [...new Set(codes.filter(Boolean))];
  const objs = await Promise.all(list.map((c) => dirGet(kind, c).catch(() => null)));
  list.forEach((c, i) => out.set(c, (objs[i] && objs[i].name) || c));
  return out;
}

function expired() {
  session.token = '';
  session.me = null;
  signInMessage = t('token_expired');
  if (location.hash !== '#/signin') location.hash = '#/signin';
  else render();
}

// ---------------------------------------------------------------- messages in place

// An error as a block a person can act on: what went wrong in our words,
// which field, and the server's own sentence.
function errorBox(err, form) {
  const code = err && err.code ? err.code : 'internal';
  const head = code === 'unauthenticated' ? t('token_bad') : t('err_' + code);
  const box = h('div', { class: 'alert error', role: 'alert' },
    h('strong', null, head === 'err_' + code ? t('err_title') : head));
  if (err && err.field) box.append(' ', h('span', { class: 'field-name' }, t('err_field', { field: fieldName(err.field) })));
  if (err && err.message && err.code !== 'client') box.append(h('div', { class: 'server-msg' }, t('server_says'), err.message));
  else if (err && err.message) box.append(h('div', null, err.message));
  if (form && err && err.field) markField(form, err.field, err.message);
  return box;
}

function markField(form, field, message) {
  const base = String(field).split(/[.[]/)[0];
  let input = form.querySelector(`[name="${base}"]`) || form.querySelector(`[data-field="${base}"]`);
  if (!input) return;
  input.setAttribute('aria-invalid', 'true');
  const wrap = input.closest('.field');
  if (wrap) {
    wrap.classList.add('invalid');
    const m = wrap.querySelector('.field-error');
    if (m) {
      m.textContent = message || '';
      input.setAttribute('aria-describedby', m.id);
    }
  }
  input.focus();
}

function clearMarks(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
}

function okBox(text) { return h('div', { class: 'alert ok', role: 'status' }, text); }

function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('show'), 3500);
}

// Run an action from a button: busy while it runs, errors shown in msg.
async function act(btn, msg, fn, busyText) {
  const label = btn ? btn.textContent : '';
  if (btn) { btn.disabled = true; if (busyText) btn.textContent = busyText; btn.setAttribute('aria-busy', 'true'); }
  if (msg) clear(msg);
  try {
    return await fn();
  } catch (e) {
    if (msg) msg.append(errorBox(e));
    else toast(t('err_' + (e.code || 'internal')) + ' ' + (e.message || ''));
    return undefined;
  } finally {
    if (btn) { btn.disabled = false; btn.textContent = label; btn.removeAttribute('aria-busy'); }
  }
}

function loading() { return h('p', { class: 'loading', role: 'status' }, t('loading')); }

// Load into a container; on failure an error with a retry button.
async function load(container, fn) {
  clear(container).append(loading());
  try {
    const node = await fn();
    clear(container);
    if (node) append(container, [node]);
  } catch (e) {
    if (e.code === 'unauthenticated') return;
    clear(container).append(errorBox(e),
      h('button', { type: 'button', class: 'btn', onclick: () => load(container, fn) }, t('retry')));
  }
}

// ---------------------------------------------------------------- form pieces

function field(label, input, opts = {}) {
  const id = input.id || (input.id = nextId('f'));
  const err = h('div', { class: 'field-error', id: id + '-err', 'aria-live': 'polite' });
  const hint = opts.hint ? h('div', { class: 'hint', id: id + '-hint' }, opts.hint) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  return h('div', { class: 'field' + (opts.wide ? ' wide' : '') },
    h('label', { for: id }, label, opts.optional ? h('span', { class: 'opt' }, ` (${t('optional')})`) : null),
    input, hint, err);
}

function categorySelect(name, value, required) {
  const sel = h('select', { name, required });
  sel.append(h('option', { value: '' }, t('choose')));
  for (const fam of categoryTree()) {
    const g = h('optgroup', { label: categoryName(fam.name) + (fam.positive_list ? `（${t('positive_list')}）` : '') });
    for (const sub of fam.subs) {
      const c = `${fam.name}.${sub}`;
      g.append(h('option', { value: c, selected: c === value }, categoryName(c)));
    }
    sel.append(g);
  }
  if (value && !categoryList().includes(value)) sel.append(h('option', { value, selected: true }, value));
  return sel;
}

// "80,000" and "8万" are what people type; the API wants a number.
function amountValue(s) {
  const v = String(s).trim().replace(/[,，\s]/g, '');
  if (v === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const w = /^(\d+(\.\d+)?)万$/.exec(v);
  if (w) return Math.round(Number(w[1]) * 10000 * 100) / 100;
  return String(s).trim();
}

function intValue(s) {
  const v = String(s).trim().replace(/[,，\s]/g, '');
  if (v === '') return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : String(s).trim();
}

function listValue(s) {
  return String(s).split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);
}

// ---------------------------------------------------------------- chrome and routes

let signInMessage = '';

function route() {
  const parts = (location.hash || '').replace(/^#\/?/, '').split('/').filter(Boolean);
  return parts;
}

function homeFor(role) {
  if (role === 'community') return '#/needs';
  if (role === 'org') return '#/offers';
  return '#/fairs';
}

function navItems(role) {
  if (role === 'community') return [['#/needs', 'nav_needs'], ['#/matches', 'nav_matches'], ['#/fairs', 'nav_fairs']];
  if (role === 'org') return [['#/offers', 'nav_offers'], ['#/matches', 'nav_matches'], ['#/fairs', 'nav_fairs']];
  return [['#/fairs', 'nav_fairs'], ['#/oversight', 'nav_oversight']];
}

function renderChrome() {
  document.title = `${t('app')} · matchd`;
  document.getElementById('brand-name').textContent = t('app');
  document.querySelector('.skip').textContent = t('skip');
  const langBtn = document.getElementById('lang');
  langBtn.textContent = t('lang_other');
  langBtn.setAttribute('lang', t('lang_other_code'));
  const nav = clear(document.getElementById('nav'));
  nav.setAttribute('aria-label', t('nav_label'));
  const who = clear(document.getElementById('who'));
  const me = session.me;
  if (!me) return;
  const cur = '#/' + (route()[0] || '');
  for (const [href, key] of navItems(me.role))
    nav.append(h('a', { href, 'aria-current': cur === href ? 'page' : null }, t(key)));
  who.append(h('span', { class: 'who-name' }, me.name || me.code),
    h('span', { class: 'who-role' }, t('role_' + me.role) + (me.street ? ' · ' + me.street : '')),
    h('button', { type: 'button', class: 'link', onclick: signOut }, t('signout')));
}

function signOut() {
  session.token = '';
  session.me = null;
  signInMessage = '';
  directory.community.clear();
  directory.org.clear();
  location.hash = '#/signin';
}

let renderSeq = 0;

async function render(focus) {
  const seq = ++renderSeq;
  const main = $main();
  if (!session.token) {
    session.me = null;
    renderChrome();
    clear(main).append(viewSignIn());
    return;
  }
  if (!session.me) {
    clear(main).append(loading());
    try {
      session.me = await api('whoami', {}, session.token);
    } catch (e) {
      if (seq !== renderSeq) return;
      if (e.code === 'unauthenticated') {
        session.token = '';
        signInMessage = t('token_expired');
        renderChrome();
        clear(main).append(viewSignIn());
        return;
      }
      renderChrome();
      clear(main).append(errorBox(e), h('button', { type: 'button', class: 'btn', onclick: () => render() }, t('retry')));
      return;
    }
    if (seq !== renderSeq) return;
  }
  if (!hasTaxonomy()) {
    try {
      setTaxonomy((await api('taxonomy.get', {})).families);
    } catch (e) {
      if (seq !== renderSeq || e.code === 'unauthenticated') return;
      renderChrome();
      clear(main).append(errorBox(e), h('button', { type: 'button', class: 'btn', onclick: () => render() }, t('retry')));
      return;
    }
    if (seq !== renderSeq) return;
  }
  const me = session.me;
  const r = route();
  if (!r.length || r[0] === 'signin') { location.replace(homeFor(me.role)); return; }
  renderChrome();
  clear(main);
  const organizer = me.role === 'organizer' || me.role === 'admin';
  let view;
  if (r[0] === 'fairs' && r[1]) view = viewFair(Number(r[1]), r[2] || 'overview');
  else if (r[0] === 'fairs') view = viewFairs();
  else if (r[0] === 'oversight' && organizer) view = viewOversight();
  else if (r[0] === 'needs' && me.role === 'community') view = viewItems(NEED);
  else if (r[0] === 'offers' && me.role === 'org') view = viewItems(OFFER);
  else if (r[0] === 'matches' && !organizer) view = viewMyMatches();
  else { location.replace(homeFor(me.role)); return; }
  main.append(view);
  if (focus) {
    const hd = main.querySelector('h1');
    if (hd) { hd.setAttribute('tabindex', '-1'); hd.focus({ preventScroll: false }); }
  }
}

// ---------------------------------------------------------------- sign-in

function viewSignIn() {
  const input = h('input', {
    name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    required: true, class: 'mono', placeholder: '0123abcd…',
  });
  const msg = h('div', { class: 'msg' });
  if (signInMessage) msg.append(h('div', { class: 'alert error', role: 'alert' }, signInMessage));
  const btn = h('button', { type: 'submit', class: 'btn primary' }, t('signin'));
  const form = h('form', { class: 'card signin', novalidate: true, 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h' }, t('signin_title')),
    h('p', null, t('signin_intro')),
    msg,
    field(t('token'), input, { hint: t('token_hint') }),
    h('div', { class: 'row' }, btn));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearMarks(form);
    clear(msg);
    const tok = input.value.trim();
    if (!tok) {
      msg.append(h('div', { class: 'alert error', role: 'alert' }, t('token_empty')));
      markField(form, 'token', t('token_empty'));
      return;
    }
    await act(btn, null, async () => {
      try {
        const me = await api('whoami', {}, tok);
        session.token = tok;
        session.me = me;
        signInMessage = '';
        if (location.hash === homeFor(me.role)) render(true);
        else location.hash = homeFor(me.role);
      } catch (e) {
        if (e.code === 'unauthenticated') {
          msg.append(h('div', { class: 'alert error', role: 'alert' }, h('strong', null, t('token_bad')),
            e.message ? h('div', { class: 'server-msg' }, t('server_says'), e.message) : null));
          markField(form, 'token', '');
        } else {
          msg.append(errorBox(e, form));
        }
      }
    }, t('signing_in'));
  });
  setTimeout(() => input.focus(), 0);
  return h('section', { class: 'narrow' }, form);
}

// ---------------------------------------------------------------- fairs

function fairStatus(f) {
  return h('span', { class: 'badge ' + (f.status === 'closed' ? 'grey' : 'green') }, t('fair_status_' + f.status));
}

function viewFairs() {
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

function fairCreateForm(list) {
  const me = session.me;
  const msg = h('div', { class: 'msg' });
  const btn = h('button', { type: 'submit', class: 'btn primary' }, t('fair_create'));
  const today = new Date();
  const form = h('form', { class: 'card form-grid', novalidate: true, id: 'fair-create' },
    h('h2', { class: 'wide' }, t('fair_create')),
    msg,
    field(t('fair_name'), h('input', { name: 'name', required: true, maxlength: 200 }), { wide: true }),
    field(t('fair_date'), h('input', { name: 'date', type: 'date', required: true,
      min: `${today.getFullYear()}-01-01` })),
    field(t('fair_start'), h('input', { name: 'start', type: 'time', placeholder: '09:00', value: '09:00' }), { optional: true }),
    field(t('fair_street'), h('input', { name: 'street', placeholder: me.street || '', maxlength: 64 }),
      { optional: true, hint: t('fair_street_hint') }),
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

function viewFair(id, tab) {
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
    fact(t('fair_runs'), num(fair.runs)));
  wrap.append(h('h1', null, fair.name), facts);

  const panel = h('div', { class: 'panel', id: 'fair-panel' });
  const reload = async (nextTab) => {
    try {
      const f = (await api('fair.get', { id: fair.id })).fair;
      const page = renderFairPage(f, nextTab || tab, organizer);
      wrap.replaceWith(page);
    } catch (e) { /* the panel shows its own errors */ }
  };
  if (organizer) wrap.append(fairActions(fair, st, reload));
  else if (fair.status === 'closed') wrap.append(h('p', { class: 'alert info' }, t('fair_is_closed')));

  const tabs = organizer ? ['overview', 'matches', 'unmatched', 'schedule', 'chart', 'runs'] : ['matches', 'schedule'];
  if (!tabs.includes(tab)) tab = tabs[0];
  const nav = h('nav', { class: 'tabs', 'aria-label': fair.name },
    tabs.map((k) => h('a', { href: `#/fairs/${fair.id}/${k}`, 'aria-current': k === tab ? 'page' : null, id: 'tab-' + k }, t('tab_' + k))));
  wrap.append(nav, panel);
  panel.setAttribute('aria-labelledby', 'tab-' + tab);
  const views = {
    overview: () => renderOverview(fair, st),
    matches: () => renderMatches(fair, st, organizer),
    unmatched: () => renderUnmatched(fair, st),
    schedule: () => renderSchedule(fair),
    chart: () => renderChart(fair, st),
    runs: () => renderRuns(fair, st),
  };
  load(panel, views[tab]);
  return wrap;
}

function fact(k, v) { return h('div', null, h('dt', null, k), h('dd', null, v)); }

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
    const runBtn = h('button', { type: 'button', class: 'btn primary', id: 'run-match' }, t('run_match'));
    runBtn.addEventListener('click', () => act(runBtn, msg, async () => {
      const algorithm = algSel.value;
      const r = await api('fair.match', { fair: fair.id, algorithm });
      st.lastRun = Object.assign({ algorithm }, r);
      st.algs[r.run] = algorithm;
      try { sessionStorage.setItem('matchd.algs.' + fair.id, JSON.stringify(st.algs)); } catch (e) { /* ignore */ }
      st.run = null;
      toast(t('run_done', r));
      if (location.hash === `#/fairs/${fair.id}/matches`) await reload('matches');
      else location.hash = `#/fairs/${fair.id}/matches`;
    }, t('running')));
    row1.append(enrollBtn,
      h('span', { class: 'inline-field' }, h('label', { for: 'algorithm' }, t('algorithm')), algSel), runBtn);
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
    schedBtn.addEventListener('click', () => act(schedBtn, msg, async () => {
      const args = { fair: fair.id };
      if (mpn.value.trim()) args.meetings_per_need = intValue(mpn.value);
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
    row2.append(h('span', { class: 'inline-field' }, h('label', { for: 'mpn' }, t('meetings_per_need')), mpn), schedBtn);
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

// Replace a row's content with a question and two buttons, until answered.
function confirmInline(row, question, yesText, onYes) {
  const saved = [...row.childNodes];
  const restore = () => { clear(row); append(row, saved); saved[0] && saved[0].focus && saved[0].focus(); };
  const yes = h('button', { type: 'button', class: 'btn danger' }, yesText);
  const no = h('button', { type: 'button', class: 'btn' }, t('cancel'));
  no.addEventListener('click', restore);
  yes.addEventListener('click', async () => { await onYes(yes); if (row.isConnected) restore(); });
  clear(row).append(h('span', { class: 'question', role: 'alert' }, question), yes, no);
  no.focus();
}

function dlButton(fair, file, label, msg, id) {
  const b = h('button', { type: 'button', class: 'btn small', id }, label);
  b.addEventListener('click', () => act(b, msg, () => download(`/v1/fairs/${fair.id}/${file}`, `fair-${fair.id}-${file}`), t('downloading')));
  return b;
}

async function download(url, fallbackName) {
  let res;
  try {
    res = await fetch(url, { headers: { Authorization: 'Bearer ' + session.token }, cache: 'no-store' });
  } catch (e) {
    throw new ApiError({ code: 'network', message: String(e.message || e) });
  }
  if (!res.ok) {
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    const err = new ApiError(body && body.error ? body.error : { code: 'internal', message: `HTTP ${res.status}` }, res.status);
    if (err.code === 'unauthenticated') expired();
    throw err;
  }
  const blob = await res.blob();
  let name = fallbackName;
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  if (m) name = m[1];
  const href = URL.createObjectURL(blob);
  const a = h('a', { href, download: name, style: { display: 'none' } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

// ---------------------------------------------------------------- fair tabs

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
      fact(t('capped'), r.capped && r.capped.length ? r.capped.join('、') : t('none'))));
}

async function renderOverview(fair, st) {
  const out = h('div');
  if (st.lastRun) out.append(runSummary(st.lastRun));
  if (fair.runs > 0) {
    const m = await api('fair.matches', { fair: fair.id });
    const items = m.items || [];
    const total = items.reduce((s, x) => s + (x.status === 'declined' ? 0 : x.amount), 0);
    const byStatus = {};
    for (const x of items) byStatus[x.status] = (byStatus[x.status] || 0) + 1;
    out.append(h('div', { class: 'summary' }, h('h3', null, t('run_n', { run: m.run })),
      h('dl', { class: 'facts' },
        fact(t('pairs'), num(items.length)),
        fact(t('total_amount'), yuan(Math.round(total * 100) / 100)),
        fact(t('unmatched_needs'), num(m.unmatched.needs.length)),
        Object.keys(byStatus).map((s) => fact(t('st_' + s), num(byStatus[s]))))));
  } else {
    out.append(h('p', { class: 'empty' }, t('matches_norun')));
  }
  return out;
}

function scoreBar(bd, total) {
  const title = t('breakdown_of', Object.assign({ score: fmtScore(total) },
    Object.fromEntries(PARTS.map((p) => [p, fmtScore(bd ? bd[p] : 0)]))));
  return h('span', { class: 'score' },
    h('span', { class: 'score-num' }, fmtScore(total)),
    h('span', { class: 'bar', role: 'img', 'aria-label': title, title },
      PARTS.map((p) => h('span', { class: 'seg seg-' + p, style: { width: Math.max(0, Math.min(100, bd ? bd[p] : 0)) + '%' } }))));
}

function legend() {
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

function statusBadge(s) {
  const cls = { confirmed: 'green', declined: 'grey', proposed: 'amber', accepted_by_community: 'blue', accepted_by_org: 'blue' }[s] || '';
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

function respondButtons(m, onDone) {
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

const MATCH_COLS = [
  ['community_name', 'col_community'], ['need_title', 'col_need'], ['org_name', 'col_org'],
  ['offer_title', 'col_offer'], ['category', 'col_category'], ['score', 'col_score'],
  ['amount', 'col_amount'], ['status', 'col_status'],
];

async function renderMatches(fair, st, organizer) {
  const args = { fair: fair.id };
  if (st.run) args.run = st.run;
  const m = await api('fair.matches', args);
  if (m.run === null) return h('p', { class: 'empty' }, t('matches_norun'));
  const items = (await withCategories(m.items, fair, st).catch(() => m.items))
    .map((x) => Object.assign({ category: '', fair_status: fair.status }, x));
  const out = h('div');

  const controls = h('div', { class: 'filters', role: 'search' });
  if (organizer && fair.runs > 1) {
    const sel = h('select', { id: 'run-select' });
    for (let r = fair.runs; r >= 1; r--) {
      const alg = st.algs[r] ? ` · ${t('alg_' + st.algs[r])}` : '';
      sel.append(h('option', { value: r === fair.runs ? '' : r, selected: (st.run || fair.runs) === r },
        (r === fair.runs ? t('run_latest', { run: r }) : t('run_n', { run: r })) + alg));
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
  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' });
  out.append(controls, h('div', { class: 'row between' }, count, legend()));

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
    organizer ? null : h('td', { 'data-label': t('actions') }, respondButtons(x, redraw)));
}

function filterField(label, input) {
  const id = input.id || (input.id = nextId('flt'));
  return h('div', { class: 'filter' }, h('label', { for: id }, label), input);
}

async function renderUnmatched(fair, st) {
  const m = await api('fair.matches', st.run ? { fair: fair.id, run: st.run } : { fair: fair.id });
  if (m.run === null) return h('p', { class: 'empty' }, t('matches_norun'));
  const needs = m.unmatched.needs || [];
  const offers = m.unmatched.offers || [];
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

function addMinutes(hhmm, min) {
  const [hh, mm] = (hhmm || '09:00').split(':').map(Number);
  const total = hh * 60 + mm + min;
  return `${String(Math.floor(total / 60) % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

async function renderSchedule(fair) {
  const r = await api('fair.meetings', { fair: fair.id });
  const meetings = r.meetings || [];
  if (!meetings.length) return h('p', { class: 'empty' }, t('schedule_none'));
  const cell = new Map(meetings.map((m) => [`${m.slot}:${m.table}`, m]));
  const maxSlot = Math.max(fair.slots, ...meetings.map((m) => m.slot));
  const maxTable = Math.max(fair.tables, ...meetings.map((m) => m.table));
  const out = h('div');
  out.append(h('div', { class: 'row between' },
    h('p', { class: 'count' }, t('slots_used', { used: num(r.slots_used), slots: num(fair.slots) }), ' · ', num(meetings.length)),
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

// A share 0-1 as a percentage; a percentage as itself.
const pct = (x) => (x === null || x === undefined ? '' : num(Math.round(x * 10000) / 100) + '%');
const pct100 = (x) => (x === null || x === undefined ? '' : num(Math.round(x * 100) / 100) + '%');
const round2 = (x) => Math.round(x * 100) / 100;

// Each community's cap (community.list: cap, used = confirmed this year,
// left) with what the latest run of this fair proposes on top of it.
async function renderChart(fair, st) {
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

async function renderRuns(fair, st) {
  if (!fair.runs) return h('p', { class: 'empty' }, t('runs_none'));
  const runs = [];
  for (let r = 1; r <= fair.runs; r++) runs.push(r);
  const results = await Promise.all(runs.map((r) => api('fair.matches', { fair: fair.id, run: r })));
  const key = (x) => `${x.need}:${x.offer}`;
  const latest = new Set(results[results.length - 1].items.map(key));
  const rows = results.map((m, i) => {
    const items = m.items;
    const score = items.reduce((s, x) => s + x.score, 0);
    const amount = items.reduce((s, x) => s + x.amount, 0);
    return {
      run: runs[i], alg: st.algs[runs[i]], pairs: items.length, unmatched: m.unmatched.needs.length,
      score: Math.round(score * 100) / 100, avg: items.length ? score / items.length : 0,
      amount: Math.round(amount * 100) / 100, confirmed: items.filter((x) => x.status === 'confirmed').length,
      same: items.filter((x) => latest.has(key(x))).length,
    };
  });
  const best = (k) => Math.max(...rows.map((r) => r[k]));
  const mark = (r, k, v) => h('td', { class: 'num' + (rows.length > 1 && r[k] === best(k) ? ' best' : '') }, v,
    rows.length > 1 && r[k] === best(k) ? h('span', { class: 'badge green' }, t('best')) : null);
  return h('div', null, h('h2', null, t('runs_title')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'runs-table' },
      h('thead', null, h('tr', null,
        [t('run_label'), t('runs_alg'), t('pairs'), t('unmatched_needs'), t('total_score'), t('runs_avg'),
          t('total_amount'), t('runs_confirmed'), t('runs_same')].map((x, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null,
        h('th', { scope: 'row' }, t('run_n', { run: r.run })),
        h('td', null, r.alg ? t('alg_' + r.alg) : t('runs_unknown')),
        mark(r, 'pairs', num(r.pairs)),
        h('td', { class: 'num' }, num(r.unmatched)),
        mark(r, 'score', fmtScore(r.score)),
        mark(r, 'avg', fmtScore(r.avg)),
        mark(r, 'amount', yuan(r.amount)),
        h('td', { class: 'num' }, num(r.confirmed)),
        h('td', { class: 'num' }, `${num(r.same)} / ${num(r.pairs)}`)))))));
}

// ---------------------------------------------------------------- bureau view (oversight)

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

function viewOversight() {
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
  const cols = [['col_rank', 'num'], ['col_street'], ['col_progress', 'num'], ['col_needs_pm', 'num'], ['col_offers_active', 'num'],
    ['col_confirmed', 'num'], ['col_cap_used', 'num'], ['col_fairs_held', 'num']];
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
  } else {
    text = [Object.entries(d).map(([k, v]) => `${fieldName(k)}：${typeof v === 'object' ? JSON.stringify(v) : v}`).join('；')];
  }
  const who = [];
  if (comm && f.kind !== 'duplicate_need') who.push(comm);
  if (f.street) who.push(h('span', { class: 'badge' }, f.street));
  const kindWords = t('flag_' + f.kind) === 'flag_' + f.kind ? f.kind : t('flag_' + f.kind);
  return h('li', { class: 'flag flag-' + f.kind, 'data-kind': f.kind },
    h('div', { class: 'flag-head' }, h('span', { class: 'badge red flag-kind' }, kindWords), ' ', who.map((x) => [x, ' '])),
    h('p', { class: 'flag-text' }, text), extra);
}

// A link-like button that opens a need, offer, community or organisation.
function openLink(kind, key, label) {
  const b = h('button', { type: 'button', class: 'link inline', 'data-open': `${kind}:${key}` }, label);
  b.addEventListener('click', () => openDetails(kind, key, b));
  return b;
}

function detailDialog() {
  let dlg = document.getElementById('detail-dialog');
  if (!dlg) {
    dlg = h('dialog', { id: 'detail-dialog', class: 'detail', 'aria-labelledby': 'detail-h' });
    dlg.addEventListener('click', (ev) => { if (ev.target === dlg) dlg.close(); });
    document.body.append(dlg);
  }
  return dlg;
}

function openDetails(kind, key, opener) {
  const dlg = detailDialog();
  const title = {
    need: t('d_need', { id: key }), offer: t('d_offer', { id: key }),
    community: t('d_community', { code: key }), org: t('d_org', { code: key }),
  }[kind];
  const body = h('div', { class: 'detail-body' });
  const closeBtn = h('button', { type: 'button', class: 'btn small', id: 'detail-close' }, t('close'));
  closeBtn.addEventListener('click', () => dlg.close());
  clear(dlg).append(h('div', { class: 'row between' }, h('h2', { id: 'detail-h' }, title), closeBtn), body);
  if (!dlg.open) dlg.showModal();
  closeBtn.focus();
  dlg.onclose = () => { if (opener && opener.isConnected) opener.focus(); };
  load(body, () => detailBody(kind, key));
}

async function detailBody(kind, key) {
  const dl = (pairs) => h('dl', { class: 'detail-list' }, pairs.filter((p) => p && p[1] !== undefined && p[1] !== null && p[1] !== '')
    .map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
  if (kind === 'need') {
    const n = (await api('need.get', { id: Number(key) })).need;
    const names = await dirNames('community', [n.community, ...(n.partners || [])]);
    return h('div', { 'data-need': n.id },
      h('h3', { class: 'detail-title' }, n.title),
      dl([
        [t('col_community'), openLink('community', n.community, names.get(n.community))],
        [fieldName('partners'), (n.partners || []).length ? n.partners.map((c) => [openLink('community', c, names.get(c)), ' ']) : null],
        [t('col_street'), n.street],
        [t('col_category'), categoryName(n.category)],
        [t('col_budget'), yuan(n.budget)],
        [t('col_beneficiaries'), num(n.beneficiaries)],
        [fieldName('window'), n.window ? `${fmtDate(n.window.from)} – ${fmtDate(n.window.to)}` : null],
        [t('col_status'), t('ns_' + n.status)],
        [t('d_created'), dateTime(n.created)],
        [fieldName('description'), n.description],
      ]));
  }
  if (kind === 'offer') {
    const o = (await api('offer.get', { id: Number(key) })).offer;
    const names = await dirNames('org', [o.org, o.partner].filter(Boolean));
    return h('div', { 'data-offer': o.id },
      h('h3', { class: 'detail-title' }, o.title),
      dl([
        [t('col_org'), openLink('org', o.org, names.get(o.org))],
        [fieldName('partner'), o.partner ? openLink('org', o.partner, names.get(o.partner)) : null],
        [t('col_category'), categoryName(o.category)],
        [t('col_price'), yuan(o.price)],
        [t('col_remaining'), `${num(o.remaining)} / ${num(o.capacity)}`],
        [t('d_streets'), (o.streets || []).map((x) => (x === '*' ? t('district') : x)).join('、')],
        [t('d_in_library'), o.in_library ? t('yes') : t('no')],
        [t('col_status'), t('os_' + o.status)],
        [t('d_created'), dateTime(o.created)],
        [fieldName('description'), o.description],
      ]));
  }
  if (kind === 'community') {
    const c = (await api('community.get', { code: key })).community;
    directory.community.set(c.code, Promise.resolve(c));
    return h('div', { 'data-community': c.code },
      h('h3', { class: 'detail-title' }, c.name),
      dl([
        [t('d_code'), h('span', { class: 'mono' }, c.code)],
        [t('col_street'), c.street],
        [t('chart_cap'), yuan(c.cap)],
        [t('d_used', { year: c.year }), yuan(c.used)],
        [t('d_left'), yuan(c.left)],
      ]),
      c.cap > 0 ? h('div', { class: 'chart-track detail-track', role: 'img', 'aria-label': `${yuan(c.used)} / ${yuan(c.cap)}` },
        h('div', { class: 'chart-fill', style: { width: Math.min(100, (c.used / c.cap) * 100) + '%' } })) : null);
  }
  const o = (await api('org.get', { code: key })).org;
  directory.org.set(o.code, Promise.resolve(o));
  return h('div', { 'data-org': o.code },
    h('h3', { class: 'detail-title' }, o.name),
    dl([
      [t('d_code'), h('span', { class: 'mono' }, o.code)],
      [t('d_kind'), o.kind ? (t('d_kind_' + o.kind) === 'd_kind_' + o.kind ? o.kind : t('d_kind_' + o.kind)) : null],
      [t('d_street'), o.street],
      [t('d_streets'), (o.streets || []).map((x) => (x === '*' ? t('district') : x)).join('、')],
    ]));
}

// ---------------------------------------------------------------- needs and offers

const NEED = {
  kind: 'need', title: 'needs_title', post: 'need_post', editTitle: 'need_edit', none: 'needs_none',
  list: 'need.list', owner: 'community', amount: 'budget', amountLabel: 'col_budget', statusPrefix: 'ns_',
  fields: [
    ['title', 'f_title', 'text', { required: true, maxlength: 200, wide: true }],
    ['category', 'f_category', 'category', { required: true }],
    ['budget', 'f_budget', 'amount', { required: true }],
    ['beneficiaries', 'f_beneficiaries', 'int', {}],
    ['window.from', 'f_window_from', 'date', {}],
    ['window.to', 'f_window_to', 'date', {}],
    ['partners', 'f_partners', 'list', { hint: 'f_partners_hint' }],
    ['description', 'f_description', 'textarea', { maxlength: 4000, wide: true }],
  ],
  counterpart: 'offer',
};

const OFFER = {
  kind: 'offer', title: 'offers_title', post: 'offer_post', editTitle: 'offer_edit', none: 'offers_none',
  list: 'offer.list', owner: 'org', amount: 'price', amountLabel: 'col_price', statusPrefix: 'os_',
  fields: [
    ['title', 'f_title', 'text', { required: true, maxlength: 200, wide: true }],
    ['category', 'f_category', 'category', { required: true }],
    ['price', 'f_price', 'amount', { required: true }],
    ['capacity', 'f_capacity', 'int', { placeholder: '1' }],
    ['streets', 'f_streets', 'list', { hint: 'f_streets_hint' }],
    ['partner', 'f_partner', 'text', { hint: 'f_partner_hint', maxlength: 64 }],
    ['description', 'f_description', 'textarea', { maxlength: 4000, wide: true }],
  ],
  counterpart: 'need',
};

function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
}

function itemForm(cfg, item, onSaved, onCancel) {
  const editing = !!item;
  const msg = h('div', { class: 'msg' });
  const btn = h('button', { type: 'submit', class: 'btn primary' }, editing ? t('save') : t(cfg.post));
  const form = h('form', { class: 'card form-grid', novalidate: true, id: editing ? `edit-${cfg.kind}-${item.id}` : `post-${cfg.kind}` },
    h('h2', { class: 'wide' }, editing ? t(cfg.editTitle) : t(cfg.post)), msg);
  const original = {};
  for (const [name, label, type, o] of cfg.fields) {
    let v = item ? getPath(item, name) : undefined;
    if (Array.isArray(v)) v = v.join(', ');
    if (v === null || v === undefined) v = '';
    original[name] = String(v);
    let input;
    const nameAttr = name.includes('.') ? name.replace('.', '_') : name;
    if (type === 'category') input = categorySelect(nameAttr, v, o.required);
    else if (type === 'textarea') input = h('textarea', { name: nameAttr, rows: 3, maxlength: o.maxlength, value: v });
    else input = h('input', {
      name: nameAttr, value: v, required: o.required, maxlength: o.maxlength, placeholder: o.placeholder,
      type: type === 'date' ? 'date' : 'text', inputmode: type === 'amount' ? 'decimal' : type === 'int' ? 'numeric' : null,
    });
    if (name.startsWith('window.')) input.setAttribute('data-field', 'window');
    form.append(field(t(label), input, { wide: o.wide, optional: !o.required, hint: o.hint ? t(o.hint) : null }));
  }
  const row = h('div', { class: 'row wide' }, btn);
  if (onCancel) row.append(h('button', { type: 'button', class: 'btn', onclick: onCancel }, t('cancel')));
  form.append(row);
  // A post keeps one ref until it succeeds: a retry never posts twice.
  let ref = editing ? null : `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearMarks(form);
    clear(msg);
    const val = (name) => form.elements[name.replace('.', '_')].value;
    const args = editing ? { id: item.id } : {};
    for (const [name, , type, o] of cfg.fields) {
      const raw = val(name);
      if (name.startsWith('window.')) continue;
      if (editing && raw.trim() === original[name].trim()) continue;
      if (o.required && !raw.trim()) {
        msg.append(errorBox({ code: 'client', field: name, message: t('err_required', { field: fieldName(name) }) }, form));
        return;
      }
      let v;
      if (type === 'amount') v = amountValue(raw);
      else if (type === 'int') v = intValue(raw);
      else if (type === 'list') v = listValue(raw);
      else v = raw.trim();
      if (!editing && (v === undefined || v === '' || (Array.isArray(v) && !v.length))) continue;
      if (editing && name === 'partner' && v === '') v = null;
      if (editing && v === undefined) continue;
      args[name] = v;
    }
    if (cfg.kind === 'need') {
      const from = val('window.from').trim(); const to = val('window.to').trim();
      const changed = !editing || from !== original['window.from'] || to !== original['window.to'];
      if (changed) {
        if (from || to) args.window = { from: from || to, to: to || from };
        else if (editing) args.window = null;
      }
    }
    if (!editing) args.ref = ref;
    await act(btn, null, async () => {
      try {
        const r = await api(editing ? `${cfg.kind}.update` : `${cfg.kind}.post`, args);
        const saved = r[cfg.kind];
        if (!editing) {
          ref = `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
          form.reset();
          msg.append(okBox(t('posted', { title: saved.title })));
        }
        onSaved(saved);
      } catch (e) {
        if (e.code !== 'unauthenticated') msg.append(errorBox(e, form));
      }
    });
  });
  return form;
}

function viewItems(cfg) {
  const me = session.me;
  const list = h('div');
  const refresh = () => load(list, () => renderItemList(cfg, refresh));
  const sec = h('section', null, h('h1', null, t(cfg.title)),
    h('details', { class: 'post' }, h('summary', { id: `post-${cfg.kind}-toggle` }, t(cfg.post)), itemForm(cfg, null, () => refresh())),
    list);
  refresh();
  void me;
  return sec;
}

async function renderItemList(cfg, refresh) {
  const me = session.me;
  const items = await apiAll(cfg.list, { [cfg.owner]: me.code });
  if (!items.length) return h('p', { class: 'empty' }, t(cfg.none));
  items.sort((a, b) => b.id - a.id);
  const tbody = h('tbody');
  const cols = ['col_title', 'col_category', cfg.amountLabel, cfg.kind === 'need' ? 'col_beneficiaries' : 'col_remaining', 'col_status', 'actions'];
  for (const it of items) tbody.append(...itemRows(cfg, it, refresh, cols.length));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data cards items', id: `${cfg.kind}-table` },
    h('thead', null, h('tr', null, cols.map((k, i) => h('th', { scope: 'col', class: i === 2 || i === 3 ? 'num' : null }, t(k))))),
    tbody));
}

function itemRows(cfg, it, refresh, ncols) {
  const mine = it[cfg.owner] === session.me.code;
  const extra = h('tr', { class: 'extra', hidden: true }, h('td', { colspan: ncols }));
  const actions = h('div', { class: 'row-actions' });
  const msg = h('div', { class: 'msg' });
  const showExtra = (node) => {
    const td = clear(extra.firstChild);
    td.append(node);
    extra.hidden = false;
  };
  const sugBtn = h('button', { type: 'button', class: 'btn small', 'aria-expanded': 'false' }, t('suggestions'));
  sugBtn.addEventListener('click', () => {
    if (sugBtn.getAttribute('aria-expanded') === 'true') { extra.hidden = true; sugBtn.setAttribute('aria-expanded', 'false'); return; }
    sugBtn.setAttribute('aria-expanded', 'true');
    const box = h('div', { class: 'suggest' });
    showExtra(box);
    load(box, () => renderSuggestions(cfg, it));
  });
  if (it.status !== 'withdrawn') actions.append(sugBtn);
  if (mine && it.status === 'open' || (mine && cfg.kind === 'offer' && it.status === 'full')) {
    const editBtn = h('button', { type: 'button', class: 'btn small' }, t('edit'));
    editBtn.addEventListener('click', () => {
      sugBtn.setAttribute('aria-expanded', 'false');
      const f = itemForm(cfg, it, () => { toast(t('saved')); refresh(); }, () => { extra.hidden = true; editBtn.focus(); });
      showExtra(f);
      const first = f.querySelector('input, select, textarea');
      if (first) first.focus();
    });
    actions.append(editBtn);
  }
  if (mine && it.status !== 'withdrawn') {
    const wBtn = h('button', { type: 'button', class: 'btn small danger' }, t('withdraw'));
    wBtn.addEventListener('click', () => confirmInline(actions, t('withdraw_q', { title: it.title }), t('withdraw'), (yes) =>
      act(yes, msg, async () => {
        await api(`${cfg.kind}.withdraw`, { id: it.id });
        toast(t('withdrawn'));
        refresh();
      })));
    actions.append(wBtn);
  }
  const main = h('tr', { 'data-id': it.id },
    h('td', { 'data-label': t('col_title') }, it.title, h('div', { class: 'sub' }, `#${it.id} · ${dateTime(it.created)}`)),
    h('td', { 'data-label': t('col_category') }, categoryName(it.category)),
    h('td', { 'data-label': t(cfg.amountLabel), class: 'num' }, yuan(it[cfg.amount])),
    h('td', { 'data-label': t(cfg.kind === 'need' ? 'col_beneficiaries' : 'col_remaining'), class: 'num' },
      cfg.kind === 'need' ? num(it.beneficiaries) : `${num(it.remaining)} / ${num(it.capacity)}`),
    h('td', { 'data-label': t('col_status') }, h('span', { class: 'badge ' + ({ open: 'green', matched: 'blue', full: 'blue' }[it.status] || 'grey') },
      t(cfg.statusPrefix + it.status))),
    h('td', { 'data-label': t('actions') }, actions, msg));
  return [main, extra];
}

async function renderSuggestions(cfg, it) {
  const r = await api('match.suggest', { [cfg.kind]: it.id });
  const items = r.items || [];
  if (!items.length) return h('p', { class: 'empty' }, t('suggestions_none'));
  const other = cfg.counterpart;
  const objs = await Promise.all(items.map((s) => api(`${other}.get`, { id: s[other] }).then((x) => x[other]).catch(() => null)));
  const names = await dirNames(other === 'offer' ? 'org' : 'community',
    objs.map((o) => o && (other === 'offer' ? o.org : o.community)));
  return h('div', null, h('h3', null, t('suggestions_title', { title: it.title })),
    h('ol', { class: 'suggestions' }, items.map((s, i) => {
      const o = objs[i] || {};
      return h('li', null,
        h('div', { class: 'sug-title' }, o.title || `#${s[other]}`),
        h('div', { class: 'sub' }, other === 'offer' ? `${names.get(o.org) || o.org || ''} · ${categoryName(o.category)} · ${yuan(o.price)}` :
          `${names.get(o.community) || o.community || ''} · ${categoryName(o.category)} · ${yuan(o.budget)}`),
        scoreBar(s.breakdown, s.score));
    })), legend());
}

// ---------------------------------------------------------------- my matches (community, org)

function viewMyMatches() {
  const sec = h('section', null, h('h1', null, t('my_matches_title')));
  const a = h('div');
  const b = h('div');
  sec.append(a, h('h2', null, t('my_meetings_title')), b);
  load(a, async () => {
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
  });
  return sec;
}

// ---------------------------------------------------------------- start

function start() {
  setLang(getLang());
  document.getElementById('lang').addEventListener('click', () => {
    setLang(getLang() === 'zh' ? 'en' : 'zh');
    render();
  });
  window.addEventListener('hashchange', () => render(true));
  render();
}

start();
