// audit.js: the administrator's audit log (audit.list): newest first, kept
// to one operation, one account code or the days since a date, a page at a
// time.

import { clear, h } from './dom.js';
import { dateTime, t } from './i18n.js';
import { api } from './api.js';
import { act, dateInput, dateValue, errorBox, filterField, load } from './ui.js';

const PAGE = 50;
const filters = { op: '', code: '', since: '' };

// An outcome ("ok", or the error code of a refusal) in the page's words.
function outcome(o) {
  if (o === 'ok') return t('audit_ok');
  const s = t('err_' + o);
  return s === 'err_' + o ? o : s;
}

function rows(items) {
  return items.map((e) => h('tr', { 'data-id': e.id, class: e.outcome === 'ok' ? null : 'refused' },
    h('td', { 'data-label': t('audit_time') }, dateTime(e.time)),
    h('td', { 'data-label': t('audit_who') }, e.role ? `${t('role_' + e.role)} ${e.code || ''}`.trim() : t('audit_nobody')),
    h('td', { 'data-label': t('audit_op'), class: 'mono' }, e.op),
    h('td', { 'data-label': t('audit_object'), class: 'mono' }, e.object || ''),
    h('td', { 'data-label': t('audit_outcome') }, outcome(e.outcome))));
}

async function renderAudit() {
  const args = { order: 'desc', limit: PAGE };
  for (const k of ['op', 'code', 'since']) if (filters[k]) args[k] = filters[k];
  const first = await api('audit.list', args);
  if (!first.items.length) return h('p', { class: 'empty', id: 'audit-none' }, t('audit_none'));
  const body = h('tbody', null, rows(first.items));
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'data cards', id: 'audit-table' },
    h('thead', null, h('tr', null, ['audit_time', 'audit_who', 'audit_op', 'audit_object', 'audit_outcome']
      .map((k) => h('th', { scope: 'col' }, t(k))))), body));
  const msg = h('div', { class: 'msg' });
  let next = first.next;
  const more = h('button', { type: 'button', class: 'btn', id: 'audit-more', hidden: next === null }, t('audit_more'));
  more.addEventListener('click', () => act(more, msg, async () => {
    const r = await api('audit.list', Object.assign({}, args, { after: next }));
    body.append(...rows(r.items));
    next = r.next;
    more.hidden = next === null;
  }));
  return h('div', null, table, msg, more);
}

export function viewAudit() {
  const box = h('div');
  const msg = h('div', { class: 'msg' });
  const op = h('input', { name: 'op', value: filters.op, placeholder: 'need.post', maxlength: 64, class: 'mono' });
  const code = h('input', { name: 'code', value: filters.code, maxlength: 64, class: 'mono' });
  const since = dateInput({ name: 'since', value: filters.since });
  const form = h('form', { class: 'filters', role: 'search', id: 'audit-filters', novalidate: true },
    filterField(t('audit_op'), op), filterField(t('audit_code'), code), filterField(t('audit_since'), since),
    h('button', { type: 'submit', class: 'btn' }, t('audit_filter')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clear(msg);
    const d = dateValue(since.value);
    if (d === null) {
      msg.append(errorBox({ code: 'client', field: 'since', message: t('err_date', { field: t('audit_since') }) }));
      return;
    }
    Object.assign(filters, { op: op.value.trim(), code: code.value.trim(), since: d });
    load(box, renderAudit);
  });
  load(box, renderAudit);
  return h('section', { class: 'audit' }, h('h1', null, t('audit_title')), h('p', { class: 'hint' }, t('audit_intro')),
    form, msg, box);
}
