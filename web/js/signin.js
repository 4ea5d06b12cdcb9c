// signin.js: the sign-in view (a token, checked with whoami).

import { clear, h } from './dom.js';
import { t } from './i18n.js';
import { api, session } from './api.js';
import { act, clearMarks, errorBox, errorDetail, field, markField } from './ui.js';

export const signin = { message: '' };

export function viewSignIn(done) {
  const input = h('input', {
    name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    required: true, class: 'mono', placeholder: '0123abcd…',
  });
  const msg = h('div', { class: 'msg' });
  if (signin.message) msg.append(h('div', { class: 'alert error', role: 'alert' }, signin.message));
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
        signin.message = '';
        done(me);
      } catch (e) {
        if (e.code === 'unauthenticated') {
          const detail = errorDetail(e);
          msg.append(h('div', { class: 'alert error', role: 'alert' }, h('strong', null, t('token_bad')),
            detail ? h('div', { class: 'server-msg' }, t('server_says'), detail) : null));
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
