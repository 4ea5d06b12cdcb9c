// ui.js: messages in place (errors naming the field, toasts), busy buttons,
// loading with a retry, inline confirmation, and the pieces of forms: fields,
// the category select, amounts and lists as people type them.

import { append, clear, h, nextId } from './dom.js';
import { categoryList, categoryName, categoryTree, fieldName, getLang, t } from './i18n.js';

// ---------------------------------------------------------------- messages in place

// What an error's reason (a stable key the daemon sends with every error)
// says in the page's language, or null when the page does not know it.
export function reasonText(reason) {
  if (!reason) return null;
  const st = /^stage_(\w+)$/.exec(reason);
  if (st) return t('reason_stage', { stage: t('stage_' + st[1]) === 'stage_' + st[1] ? st[1] : t('stage_' + st[1]) });
  const s = t('reason_' + reason);
  return s === 'reason_' + reason ? null : s;
}

// An error's headline: the code in our words.
export function errorHead(err) {
  const code = err && err.code ? err.code : 'internal';
  const head = code === 'unauthenticated' ? t('token_bad') : t('err_' + code);
  return head === 'err_' + code ? t('err_title') : head;
}

// The sentence under the headline: the reason's, else on the English page
// the server's own (English) message; the Chinese page shows no English.
export function errorDetail(err) {
  if (!err) return null;
  if (err.code === 'client') return err.message || null;
  const r = reasonText(err.reason);
  if (r) return r;
  return getLang() === 'en' && err.message ? err.message : null;
}

// An error as a block a person can act on: what went wrong in our words,
// which field, and why.  The server's message stays in data-message.
export function errorBox(err, form) {
  const box = h('div', { class: 'alert error', role: 'alert', 'data-code': (err && err.code) || 'internal',
    'data-reason': (err && err.reason) || null, 'data-message': (err && err.message) || null },
  h('strong', null, errorHead(err)));
  const detail = errorDetail(err);
  if (err && err.field) box.append(' ', h('span', { class: 'field-name' }, t('err_field', { field: fieldName(err.field) })));
  // the server's own words (English page only) are marked as such
  const own = detail && err.code !== 'client' && !reasonText(err.reason);
  if (detail) box.append(own ? h('div', { class: 'server-msg' }, t('server_says'), detail) : h('div', { class: 'reason' }, detail));
  if (form && err && err.field) markField(form, err.field, detail || t('err_field', { field: fieldName(err.field) }));
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
    else toast([errorHead(e), errorDetail(e)].filter(Boolean).join(' '));
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

// A date typed as YYYY-MM-DD whatever the browser's locale (a type="date"
// input shows the locale's order, 12/05/2026 in the United States).
export function dateInput(attrs) {
  return h('input', Object.assign({ type: 'text', inputmode: 'numeric', maxlength: 10, autocomplete: 'off',
    placeholder: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}', 'data-date': 'true' }, attrs));
}

// "2026-12-05", also as typed "2026/12/5", "2026.12.5" or "2026年12月5日";
// '' when empty, null when it is not a date written that way.
export function dateValue(s) {
  const v = String(s).trim();
  if (v === '') return '';
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(v);
  if (!m) return null;
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
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
