// ui.js: messages in place (errors naming the field, toasts), busy buttons,
// loading with a retry, inline confirmation, and the pieces of forms: fields,
// the category select, amounts and lists as people type them.

import { append, clear, h, nextId } from './dom.js';
import { categoryList, categoryName, categoryTree, fieldName, t } from './i18n.js';

// ---------------------------------------------------------------- messages in place

// An error as a block a person can act on: what went wrong in our words,
// which field, and the server's own sentence.
export function errorBox(err, form) {
  const code = err && err.code ? err.code : 'internal';
  // The reason (a stable key) says it best, when the page knows it.
  const why = err && err.reason ? t('reason_' + err.reason) : null;
  const head = code === 'unauthenticated' ? t('token_bad') :
    why && why !== 'reason_' + err.reason ? why : t('err_' + code);
  const box = h('div', { class: 'alert error', role: 'alert' },
    h('strong', null, head === 'err_' + code ? t('err_title') : head));
  if (err && err.field) box.append(' ', h('span', { class: 'field-name' }, t('err_field', { field: fieldName(err.field) })));
  if (err && err.message && err.code !== 'client') box.append(h('div', { class: 'server-msg' }, t('server_says'), err.message));
  else if (err && err.message) box.append(h('div', null, err.message));
  if (form && err && err.field) markField(form, err.field, err.message);
  return box;
}

export function markField(form, field, message) {
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

export function clearMarks(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
}

export function okBox(text) { return h('div', { class: 'alert ok', role: 'status' }, text); }

export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('show'), 3500);
}

// Run an action from a button: busy while it runs, errors shown in msg.
export async function act(btn, msg, fn, busyText) {
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

export function loading() { return h('p', { class: 'loading', role: 'status' }, t('loading')); }

// Load into a container; on failure an error with a retry button.
export async function load(container, fn) {
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

// Replace a row's content with a question and two buttons, until answered.
export function confirmInline(row, question, yesText, onYes) {
  const saved = [...row.childNodes];
  const restore = () => { clear(row); append(row, saved); saved[0] && saved[0].focus && saved[0].focus(); };
  const yes = h('button', { type: 'button', class: 'btn danger' }, yesText);
  const no = h('button', { type: 'button', class: 'btn' }, t('cancel'));
  no.addEventListener('click', restore);
  yes.addEventListener('click', async () => { await onYes(yes); if (row.isConnected) restore(); });
  clear(row).append(h('span', { class: 'question', role: 'alert' }, question), yes, no);
  no.focus();
}

// ---------------------------------------------------------------- form pieces

export function field(label, input, opts = {}) {
  const id = input.id || (input.id = nextId('f'));
  const err = h('div', { class: 'field-error', id: id + '-err', 'aria-live': 'polite' });
  const hint = opts.hint ? h('div', { class: 'hint', id: id + '-hint' }, opts.hint) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  return h('div', { class: 'field' + (opts.wide ? ' wide' : '') },
    h('label', { for: id }, label, opts.optional ? h('span', { class: 'opt' }, ` (${t('optional')})`) : null),
    input, hint, err);
}

export function categorySelect(name, value, required) {
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
export function amountValue(s) {
  const v = String(s).trim().replace(/[,，\s]/g, '');
  if (v === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const w = /^(\d+(\.\d+)?)万$/.exec(v);
  if (w) return Math.round(Number(w[1]) * 10000 * 100) / 100;
  return String(s).trim();
}

export function intValue(s) {
  const v = String(s).trim().replace(/[,，\s]/g, '');
  if (v === '') return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : String(s).trim();
}

export function listValue(s) {
  return String(s).split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);
}

// A term and its value in a list of facts (<dl class="facts">).
export function fact(k, v) { return h('div', null, h('dt', null, k), h('dd', null, v)); }

// A filter above a list: a label and its control.
export function filterField(label, input) {
  const id = input.id || (input.id = nextId('flt'));
  return h('div', { class: 'filter' }, h('label', { for: id }, label), input);
}
