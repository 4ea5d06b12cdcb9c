// api.js: the session (token in sessionStorage, who is signed in), the
// public HTTP API (POST /v1/op/<op>, Authorization: Bearer <token>), every
// page of a list, downloads, and the directory of community and
// organisation names.

import { h } from './dom.js';

export const session = {
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
    this.reason = (e && e.reason) || null; // a stable key (budget_over_cap ...)
    this.status = status || 0;
  }
}

// What a refused token leads to (main.js: back to sign-in).
let expired = () => {};
export function whenExpired(fn) { expired = fn; }

export async function api(op, args, token) {
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
export async function apiAll(op, args) {
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
export const directory = { community: new Map(), org: new Map() };

export function dirGet(kind, code) {
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

export async function dirList(kind, args) {
  const items = await apiAll(kind + '.list', args || {});
  for (const x of items) directory[kind].set(x.code, Promise.resolve(x));
  return items;
}

// code -> name for the codes given (names already known are kept).
export async function dirNames(kind, codes) {
  const out = new Map();
  const list = [...new Set(codes.filter(Boolean))];
  const objs = await Promise.all(list.map((c) => dirGet(kind, c).catch(() => null)));
  list.forEach((c, i) => out.set(c, (objs[i] && objs[i].name) || c));
  return out;
}

// The registered streets' names (street.list), read once while the page is
// open: every street a form asks for is chosen from them.
let streetsP = null;
export function streetList() {
  if (!streetsP) streetsP = api('street.list', {}).then((r) => (r.items || []).map((x) => x.name)).catch((e) => { streetsP = null; throw e; });
  return streetsP;
}

// A file the HTTP API serves (a fair's exports), saved by the browser.
export async function download(url, fallbackName) {
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
