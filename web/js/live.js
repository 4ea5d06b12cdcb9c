// live.js: events as they happen, from GET /v1/events (Server-Sent Events),
// one stream while someone is signed in, held by a shared worker for every
// tab of the page (live_worker.js; where a browser has no shared workers,
// each tab holds its own).  It reconnects by itself: the browser's
// EventSource after a dropped connection (sending Last-Event-ID), and after
// the daemon refused or closed the stream, from the last event seen.
// Views listen with onLive(node, fn): fn(event) for each event
// while node is on the page.  For a community or an organisation it keeps
// the inbox in the header: published results, proposals and reminders, with
// a badge of the unread ones.

import { clear, h } from './dom.js';
import { t } from './i18n.js';
import { session } from './api.js';

const INBOX_KINDS = ['fair.published', 'match.proposed', 'match.reminder'];
const PARTY_KINDS = INBOX_KINDS.concat(['match.answered', 'match.confirmed', 'match.superseded',
  'fair.scheduled']);
const INBOX_MAX = 30;
const RETRY_MS = 2000;

const ALL_KINDS = PARTY_KINDS.concat(['need.posted', 'offer.posted', 'project.stage',
  'objection.lodged', 'risk.flagged']);

const listeners = new Set();
let worker = null;
let stream = null;
let retry = null;
let last = 0;
let who = '';
const inbox = { items: [], unread: 0, open: false };

export function onLive(node, fn) {
  listeners.add({ node, fn });
}

function seenKey() { return `matchd.seen.${who}`; }
function seen() { try { return Number(localStorage.getItem(seenKey())) || 0; } catch (e) { return 0; } }
function setSeen(id) { try { localStorage.setItem(seenKey(), String(id)); } catch (e) { /* ignore */ } }

function dispatch(ev) {
  if (ev.id <= last) return;
  last = ev.id;
  if (INBOX_KINDS.includes(ev.kind)) {
    inbox.items.unshift(ev);
    inbox.items.length = Math.min(inbox.items.length, INBOX_MAX);
    if (ev.id > seen()) inbox.unread++;
    drawInbox();
  }
  for (const l of [...listeners]) {
    if (!l.node.isConnected) { listeners.delete(l); continue; }
    try { l.fn(ev); } catch (e) { console.warn('live listener', e); }
  }
}

function open() {
  const party = session.me.role === 'community' || session.me.role === 'org';
  if (typeof SharedWorker === 'function') {
    try {
      if (!worker) {
        worker = new SharedWorker('/js/live_worker.js', { name: 'matchd-live' });
        worker.port.onmessage = (m) => { if (m.data && m.data.event) dispatch(m.data.event); };
        worker.port.start();
        window.addEventListener('pagehide', () => worker.port.postMessage({ op: 'close' }));
      }
      worker.port.postMessage({ op: 'open', token: session.token, kinds: party ? PARTY_KINDS : ALL_KINDS,
        filter: party, after: last });
      return;
    } catch (e) { worker = null; /* a stream of this tab's own */ }
  }
  const q = new URLSearchParams({ access_token: session.token });
  if (party) q.set('kinds', PARTY_KINDS.join(','));
  if (last > 0) q.set('after', String(last));
  stream = new EventSource('/v1/events?' + q.toString());
  const onFrame = (m) => { try { dispatch(JSON.parse(m.data)); } catch (e) { /* not an event */ } };
  for (const k of ALL_KINDS) stream.addEventListener(k, onFrame);
  stream.onerror = () => {
    // CLOSED: the daemon answered other than a stream (restarting, or the
    // token is gone); try again a little later from the last event.
    if (stream && stream.readyState === EventSource.CLOSED) {
      stream.close();
      stream = null;
      if (!retry) retry = setTimeout(() => { retry = null; if (session.me) open(); }, RETRY_MS);
    }
  };
}

// Proposals the inbox starts with: those since the last time it was opened,
// read as JSON pages; the stream goes on from the newest event then.
async function loadInbox() {
  const q = new URLSearchParams({ kinds: INBOX_KINDS.join(','), after: '0', limit: '1000' });
  for (let page = 0; page < 10; page++) {
    const r = await fetch('/v1/events?' + q.toString(), { headers: { Authorization: 'Bearer ' + session.token }, cache: 'no-store' });
    if (!r.ok) return;
    const body = await r.json();
    for (const ev of body.items) {
      inbox.items.unshift(ev);
      if (ev.id > seen()) inbox.unread++;
    }
    if (typeof body.last === 'number' && body.last > last) last = body.last;
    if (body.next === null || body.next === undefined) break;
    q.set('after', String(body.next));
  }
  inbox.items.length = Math.min(inbox.items.length, INBOX_MAX);
}

// Start (or restart, for another account) the stream; stop when signed out.
export async function startLive() {
  const me = session.me;
  const id = me ? `${me.role}.${me.code}` : '';
  if (id === who && (stream || retry || worker)) { drawInbox(); return; }
  stopLive();
  if (!me) return;
  who = id;
  if (me.role === 'community' || me.role === 'org') {
    try { await loadInbox(); } catch (e) { /* the stream still runs */ }
    if (who !== id) return;
  }
  drawInbox();
  open();
}

export function stopLive() {
  if (worker) worker.port.postMessage({ op: 'close' });
  if (stream) stream.close();
  stream = null;
  clearTimeout(retry);
  retry = null;
  last = 0;
  who = '';
  inbox.items = [];
  inbox.unread = 0;
  inbox.open = false;
  drawInbox();
}

// The inbox in the header: a button with the unread count, and its list.
export function drawInbox() {
  const box = document.getElementById('inbox');
  if (!box) return;
  clear(box);
  const me = session.me;
  if (!me || (me.role !== 'community' && me.role !== 'org')) return;
  const btn = h('button', { type: 'button', class: 'inbox-btn', id: 'inbox-btn', 'aria-expanded': String(inbox.open),
    'aria-controls': 'inbox-panel' }, t('inbox'),
  inbox.unread ? h('span', { class: 'badge red', id: 'inbox-count', 'aria-label': t('inbox_unread', { n: inbox.unread }) },
    String(inbox.unread)) : null);
  btn.addEventListener('click', () => {
    inbox.open = !inbox.open;
    if (inbox.open && inbox.items.length) {
      setSeen(Math.max(seen(), inbox.items[0].id));
      inbox.unread = 0;
    }
    drawInbox();
    if (inbox.open) document.getElementById('inbox-btn').focus();
  });
  box.append(btn);
  if (!inbox.open) return;
  const panel = h('div', { class: 'inbox-panel', id: 'inbox-panel', role: 'region', 'aria-label': t('inbox') });
  if (!inbox.items.length) panel.append(h('p', { class: 'empty' }, t('inbox_empty')));
  else panel.append(h('ul', null, inbox.items.map((ev) => h('li', { 'data-event': ev.id },
    h('a', { href: '#/matches' }, ev.summary),
    h('span', { class: 'sub' }, new Date(ev.time).toLocaleString(document.documentElement.lang || 'zh-CN'))))));
  box.append(panel);
}
