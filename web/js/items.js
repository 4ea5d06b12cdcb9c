// items.js: a community's needs and an organisation's offers: posting,
// editing, withdrawing, and the suggestions for one.

import { clear, h } from './dom.js';
import { categoryName, dateTime, fieldName, num, t, yuan } from './i18n.js';
import { api, apiAll, dirNames, session, streetList } from './api.js';
import { act, amountValue, categorySelect, clearMarks, confirmInline, dateInput, dateValue, errorBox, field, intValue, listValue, load, okBox, toast } from './ui.js';
import { legend, scoreBar } from './matches.js';

export const NEED = {
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

export const OFFER = {
  kind: 'offer', title: 'offers_title', post: 'offer_post', editTitle: 'offer_edit', none: 'offers_none',
  list: 'offer.list', owner: 'org', amount: 'price', amountLabel: 'col_price', statusPrefix: 'os_',
  fields: [
    ['title', 'f_title', 'text', { required: true, maxlength: 200, wide: true }],
    ['category', 'f_category', 'category', { required: true }],
    ['price', 'f_price', 'amount', { required: true }],
    ['capacity', 'f_capacity', 'int', { placeholder: '1' }],
    ['streets', 'f_streets', 'streets', { hint: 'f_streets_hint' }],
    ['partner', 'f_partner', 'text', { hint: 'f_partner_hint', maxlength: 64 }],
    ['description', 'f_description', 'textarea', { maxlength: 4000, wide: true }],
  ],
  counterpart: 'need',
};

function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
}

// Streets to tick, from the registry (street.list): '*' is the whole district.
function streetChecks(name, chosen) {
  const box = h('div', { class: 'checks', role: 'group', 'data-field': name });
  const tick = (v, label) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), ' ', label);
  box.append(tick('*', t('streets_all')));
  streetList().then((names) => box.append(...names.map((n) => tick(n, n))), () => {
    for (const c of chosen) if (c !== '*') box.append(tick(c, c));
  });
  return box;
}

const checked = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((x) => x.value);

function itemForm(cfg, item, onSaved, onCancel) {
  const editing = !!item;
  const msg = h('div', { class: 'msg' });
  const btn = h('button', { type: 'submit', class: 'btn primary' }, editing ? t('save') : t(cfg.post));
  const form = h('form', { class: 'card form-grid', novalidate: true, id: editing ? `edit-${cfg.kind}-${item.id}` : `post-${cfg.kind}` },
    h('h2', { class: 'wide' }, editing ? t(cfg.editTitle) : t(cfg.post)), msg);
  const original = {};
  for (const [name, label, type, o] of cfg.fields) {
    let v = item ? getPath(item, name) : undefined;
    const list = Array.isArray(v) ? v : [];
    if (Array.isArray(v)) v = type === 'streets' ? [...v].sort().join(',') : v.join(', ');
    if (v === null || v === undefined) v = '';
    original[name] = String(v);
    let input;
    const nameAttr = name.includes('.') ? name.replace('.', '_') : name;
    if (type === 'streets') input = streetChecks(nameAttr, list);
    else if (type === 'category') input = categorySelect(nameAttr, v, o.required);
    else if (type === 'textarea') input = h('textarea', { name: nameAttr, rows: 3, maxlength: o.maxlength, value: v });
    else if (type === 'date') input = dateInput({ name: nameAttr, value: v });
    else input = h('input', {
      name: nameAttr, value: v, required: o.required, maxlength: o.maxlength, placeholder: o.placeholder,
      type: 'text', inputmode: type === 'amount' ? 'decimal' : type === 'int' ? 'numeric' : null,
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
    const val = (name) => (name === 'streets' ? [...checked(form, name)].sort().join(',') : form.elements[name.replace('.', '_')].value);
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
      else if (type === 'streets') v = raw.split(',').includes('*') ? ['*'] : raw.split(',').filter(Boolean);
      else v = raw.trim();
      if (!editing && (v === undefined || v === '' || (Array.isArray(v) && !v.length))) continue;
      if (editing && name === 'partner' && v === '') v = null;
      if (editing && v === undefined) continue;
      args[name] = v;
    }
    if (cfg.kind === 'need') {
      const from = dateValue(val('window.from')); const to = dateValue(val('window.to'));
      if (from === null || to === null) {
        msg.append(errorBox({ code: 'client', field: 'window', message: t('err_date', { field: fieldName('window') }) }, form));
        return;
      }
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

export function viewItems(cfg) {
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
  const out = h('div');
  if (cfg.kind === 'need' && me.role === 'community') out.append(await capCard(me.code, items));
  if (!items.length) return append(out, h('p', { class: 'empty' }, t(cfg.none)));
  items.sort((a, b) => b.id - a.id);
  // whose each item is, and its partners, by name
  const kind = cfg.owner;
  const names = await dirNames(kind, items.flatMap((it) => [it[cfg.owner]].concat(cfg.kind === 'need' ? it.partners || [] : [])))
    .catch(() => new Map());
  const partnerNames = cfg.kind === 'offer' ? await dirNames('org', items.map((it) => it.partner)).catch(() => new Map()) : names;
  const name = (c, m) => m.get(c) || c;
  const tbody = h('tbody');
  const cols = ['col_title', 'col_category', cfg.amountLabel, cfg.kind === 'need' ? 'col_beneficiaries' : 'col_remaining', 'col_status', 'actions'];
  for (const it of items) tbody.append(...itemRows(cfg, it, refresh, cols.length, (c) => name(c, names), (c) => name(c, partnerNames)));
  return append(out, h('div', { class: 'table-wrap' }, h('table', { class: 'data cards items', id: `${cfg.kind}-table` },
    h('thead', null, h('tr', null, cols.map((k, i) => h('th', { scope: 'col', class: i === 2 || i === 3 ? 'num' : null }, t(k))))),
    tbody)));
}

function append(parent, node) { parent.append(node); return parent; }

// The community's yearly cap, used and left: this year's, and those of the
// years its needs belong to.
async function capCard(code, items) {
  const now = (await api('community.get', { code })).community;
  const years = [...new Set(items.filter((x) => x.status !== 'withdrawn').map((x) => x.year))]
    .filter((y) => y && y !== now.year).sort();
  const rest = await Promise.all(years.map((year) => api('community.get', { code, year }).then((r) => r.community)));
  const rows = [now, ...rest].sort((a, b) => a.year - b.year);
  return h('div', { class: 'card cap', id: 'cap-card' }, h('h2', null, t('cap_title')),
    h('table', { class: 'data', id: 'cap-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('cap_year_col')), ['cap_cap', 'cap_used', 'cap_left']
        .map((k) => h('th', { scope: 'col', class: 'num' }, t(k))), h('th', { scope: 'col' }, ''))),
      h('tbody', null, rows.map((c) => h('tr', { 'data-year': c.year },
        h('th', { scope: 'row' }, t('cap_year', { year: c.year })),
        h('td', { class: 'num', 'data-cap': 'cap' }, yuan(c.cap)),
        h('td', { class: 'num', 'data-cap': 'used' }, yuan(c.used)),
        h('td', { class: 'num', 'data-cap': 'left' }, yuan(c.left)),
        h('td', null, h('span', { class: 'meter', role: 'img', 'aria-label': `${t('cap_used')} ${yuan(c.used)} / ${yuan(c.cap)}` },
          h('span', { style: { width: (c.cap > 0 ? Math.min(100, (100 * c.used) / c.cap) : 0) + '%' } }))))))),
    h('p', { class: 'hint' }, t('cap_note')));
}

// A partner's answer to a shared need or a joint offer: agree or refuse.
function consentRow(cfg, it, owner, refresh, ncols) {
  const msg = h('div', { class: 'msg' });
  const yes = h('button', { type: 'button', class: 'btn small primary', 'data-action': 'agree' }, t('consent_agree'));
  const no = h('button', { type: 'button', class: 'btn small', 'data-action': 'refuse' }, t('consent_refuse'));
  const row = h('div', { class: 'row' }, yes, no);
  const send = (decision, btn) => act(btn, msg, async () => {
    await api(`${cfg.kind}.consent`, { [cfg.kind]: it.id, decision });
    toast(t(decision === 'agree' ? 'consent_agreed' : cfg.kind === 'need' ? 'consent_refused' : 'consent_refused_offer'));
    refresh();
  });
  yes.addEventListener('click', () => send('agree', yes));
  no.addEventListener('click', () => confirmInline(row, '', t('consent_refuse'), (b) => send('refuse', b)));
  return h('tr', { class: 'consent', 'data-consent': it.id }, h('td', { colspan: ncols },
    h('div', { class: 'alert info', role: 'group', 'aria-label': t('consent_' + cfg.kind + '_q', { owner }) },
      h('p', null, t('consent_' + cfg.kind + '_q', { owner })), row, msg)));
}

function itemRows(cfg, it, refresh, ncols, ownerName, partnerName) {
  const me = session.me.code;
  const mine = it[cfg.owner] === me;
  const need = cfg.kind === 'need';
  // what may still change: a need not matched, an offer that serves no confirmed match
  const changeable = need ? it.status === 'open' || it.status === 'pending_partners'
    : it.status !== 'withdrawn' && it.remaining === it.capacity;
  const asked = it.status === 'pending_partners' && !mine && (need ? (it.partners || []).includes(me) : it.partner === me);
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
  if (mine && changeable) {
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
  if (mine && changeable) {
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
    h('td', { 'data-label': t('col_title') }, it.title, h('div', { class: 'sub' }, `#${it.id} · ${dateTime(it.created)}`),
      mine ? null : h('div', { class: 'sub owner' }, t('owner_by', { name: ownerName(it[cfg.owner]) })),
      need && (it.partners || []).length ? h('div', { class: 'sub' }, t('partners_with', { names: it.partners.map(ownerName).join('、') })) : null,
      !need && it.partner ? h('div', { class: 'sub' }, t('partner_of', { name: partnerName(it.partner) })) : null),
    h('td', { 'data-label': t('col_category') }, categoryName(it.category)),
    h('td', { 'data-label': t(cfg.amountLabel), class: 'num' }, yuan(it[cfg.amount])),
    h('td', { 'data-label': t(cfg.kind === 'need' ? 'col_beneficiaries' : 'col_remaining'), class: 'num' },
      cfg.kind === 'need' ? num(it.beneficiaries) : `${num(it.remaining)} / ${num(it.capacity)}`),
    h('td', { 'data-label': t('col_status') }, h('span', { class: 'badge ' + ({ open: 'green', matched: 'blue', full: 'blue', pending_partners: 'amber' }[it.status] || 'grey') },
      t(cfg.statusPrefix + it.status))),
    h('td', { 'data-label': t('actions') }, actions, msg));
  return asked ? [main, consentRow(cfg, it, ownerName(it[cfg.owner]), refresh, ncols), extra] : [main, extra];
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
