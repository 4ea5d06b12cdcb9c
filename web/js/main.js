// main.js: the organizers' page of matchd, started by index.html as a
// module.  One page, hash routes (#/fairs/<id>/<tab>, #/needs, ...): the
// header (navigation, who is signed in, language), sign-out, and which view
// a route shows.  The modules, each a view or what views share, are named in
// web/README.md.

import { $main, clear, h } from './dom.js';
import { getLang, hasTaxonomy, setLang, setTaxonomy, t } from './i18n.js';
import { api, directory, session, whenExpired } from './api.js';
import { errorBox, loading } from './ui.js';
import { signin, viewSignIn } from './signin.js';
import { viewFair, viewFairs } from './fairs.js';
import { viewOversight } from './oversight.js';
import { NEED, OFFER, viewItems } from './items.js';
import { viewMyMatches } from './mymatches.js';
import { viewAudit } from './audit.js';
import { drawInbox, startLive, stopLive } from './live.js';
import { viewProjects } from './projects.js';
import { viewBoard, viewReport } from './board.js';

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
  if (role === 'community') return [['#/needs', 'nav_needs'], ['#/matches', 'nav_matches'], ['#/projects', 'nav_projects'], ['#/fairs', 'nav_fairs']];
  if (role === 'org') return [['#/offers', 'nav_offers'], ['#/matches', 'nav_matches'], ['#/projects', 'nav_projects'], ['#/fairs', 'nav_fairs']];
  if (role === 'admin') return [['#/fairs', 'nav_fairs'], ['#/board', 'nav_board'], ['#/report', 'nav_report'], ['#/oversight', 'nav_oversight'], ['#/audit', 'nav_audit']];
  return [['#/fairs', 'nav_fairs'], ['#/board', 'nav_board'], ['#/report', 'nav_report'], ['#/oversight', 'nav_oversight']];
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
  drawInbox();
  if (!me) return;
  const cur = '#/' + (route()[0] || '');
  for (const [href, key] of navItems(me.role))
    nav.append(h('a', { href, 'aria-current': cur === href ? 'page' : null }, t(key)));
  who.append(h('span', { class: 'who-name' }, me.name || me.code),
    h('span', { class: 'who-role' }, t('role_' + me.role) + (me.street ? ' · ' + me.street : '')),
    h('button', { type: 'button', class: 'link', onclick: signOut }, t('signout')));
}

// After a sign-in: the role's home page.
function enter(me) {
  if (location.hash === homeFor(me.role)) render(true);
  else location.hash = homeFor(me.role);
}

function signOut() {
  session.token = '';
  session.me = null;
  stopLive();
  signin.message = '';
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
    clear(main).append(viewSignIn(enter));
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
        signin.message = t('token_expired');
        renderChrome();
        clear(main).append(viewSignIn(enter));
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
      setTaxonomy(await api('taxonomy.get', {}));
    } catch (e) {
      if (seq !== renderSeq || e.code === 'unauthenticated') return;
      renderChrome();
      clear(main).append(errorBox(e), h('button', { type: 'button', class: 'btn', onclick: () => render() }, t('retry')));
      return;
    }
    if (seq !== renderSeq) return;
  }
  const me = session.me;
  startLive();
  const r = route();
  if (!r.length || r[0] === 'signin') { location.replace(homeFor(me.role)); return; }
  renderChrome();
  clear(main);
  const organizer = me.role === 'organizer' || me.role === 'admin';
  let view;
  if (r[0] === 'fairs' && r[1]) view = viewFair(Number(r[1]), r[2] || 'overview');
  else if (r[0] === 'fairs') view = viewFairs();
  else if (r[0] === 'oversight' && organizer) view = viewOversight();
  else if (r[0] === 'audit' && me.role === 'admin') view = viewAudit();
  else if (r[0] === 'needs' && me.role === 'community') view = viewItems(NEED);
  else if (r[0] === 'offers' && me.role === 'org') view = viewItems(OFFER);
  else if (r[0] === 'matches' && !organizer) view = viewMyMatches();
  else if (r[0] === 'projects' && !organizer) view = viewProjects();
  else if (r[0] === 'board' && organizer) view = viewBoard();
  else if (r[0] === 'report' && organizer) view = viewReport();
  else { location.replace(homeFor(me.role)); return; }
  main.append(view);
  if (focus) {
    const hd = main.querySelector('h1');
    if (hd) { hd.setAttribute('tabindex', '-1'); hd.focus({ preventScroll: false }); }
  }
}

function expired() {
  session.token = '';
  session.me = null;
  stopLive();
  signin.message = t('token_expired');
  if (location.hash !== '#/signin') location.hash = '#/signin';
  else render();
}

function start() {
  setLang(getLang());
  document.getElementById('lang').addEventListener('click', () => {
    setLang(getLang() === 'zh' ? 'en' : 'zh');
    render();
  });
  whenExpired(expired);
  window.addEventListener('hashchange', () => render(true));
  render();
}

start();
