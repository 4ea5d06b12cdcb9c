// details.js: links that open a need, offer, community or organisation in
// a dialog.

import { clear, h } from './dom.js';
import { categoryName, dateTime, fieldName, date as fmtDate, num, t, yuan } from './i18n.js';
import { api, dirNames, directory } from './api.js';
import { load } from './ui.js';

// A link-like button that opens a need, offer, community or organisation.
export function openLink(kind, key, label) {
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
