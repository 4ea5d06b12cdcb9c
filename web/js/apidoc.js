// apidoc.js: the API reference at /docs/api.  Reads /v1/openapi.json (the
// document the daemon makes from its operation table) with the token of
// the page's session, and shows every operation and route: who may call
// it, its arguments with their rules, and its answers.  Nothing here is
// written by hand per operation, so the page cannot drift either.

import { h, append, clear } from './dom.js';
import { session } from './api.js';

function typeText(s, doc) {
  if (!s) return '';
  if (s.$ref) {
    const name = s.$ref.split('/').pop();
    const target = doc.components.schemas[name] || {};
    return name + (target.pattern ? ' ' + target.pattern : '');
  }
  const parts = [];
  const t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (t === 'array') parts.push('array of ' + typeText(s.items, doc));
  else if (t) parts.push(t);
  if (s.enum) parts.push('one of: ' + s.enum.join(', '));
  if (s.minLength !== undefined) parts.push(s.minLength + '..' + s.maxLength + ' chars');
  if (s.minimum !== undefined) parts.push(s.minimum + '..' + s.maximum);
  if (s.maxItems !== undefined) parts.push('at most ' + s.maxItems);
  if (s.pattern) parts.push(s.pattern);
  if (s.properties) parts.push('{' + Object.keys(s.properties).join(', ') + '}');
  return parts.join('; ');
}

function argsTable(schema, doc) {
  const props = (schema && schema.properties) || {};
  const names = Object.keys(props);
  if (!names.length) return h('p', { class: 'muted' }, 'No arguments.');
  const req = new Set(schema.required || []);
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, h('th', {}, 'argument'), h('th', {}, 'required'), h('th', {}, 'rule'))),
    h('tbody', {}, ...names.map((n) => h('tr', {},
      h('td', {}, h('code', {}, n)), h('td', {}, req.has(n) ? 'yes' : ''), h('td', {}, typeText(props[n], doc))))));
}

function operation(path, method, op, doc) {
  const body = op.requestBody && op.requestBody.content['application/json'].schema;
  const codes = Object.keys(op.responses || {}).join(', ');
  return h('section', { class: 'card', id: op.operationId },
    h('h3', {}, h('code', {}, method.toUpperCase() + ' ' + path)),
    h('p', {}, op.description || ''),
    body ? argsTable(body, doc) : null,
    h('p', { class: 'muted' }, 'Answers: ' + codes));
}

function render(doc) {
  const main = document.getElementById('main');
  clear(main);
  append(main, [h('section', { class: 'card' },
    h('h2', {}, doc.info.title + ' ' + doc.info.version),
    h('p', {}, doc.info.summary || ''),
    h('p', {}, doc.info.description || ''),
    h('p', {}, h('a', { href: '/v1/openapi.json' }, 'openapi.json')))]);
  const groups = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      (groups[tag] = groups[tag] || []).push(operation(path, method, op, doc));
    }
  }
  for (const t of doc.tags || []) {
    if (!groups[t.name]) continue;
    append(main, [h('h2', {}, t.description), groups[t.name]]);
  }
}

async function load() {
  const status = document.getElementById('status');
  const res = await fetch('/v1/openapi.json', {
    headers: { Authorization: 'Bearer ' + session.token }, cache: 'no-store' });
  if (!res.ok) {
    status.textContent = '请先在首页登录，再打开本页。Sign in on the main page first, then open this page. (' + res.status + ')';
    return;
  }
  render(await res.json());
}

load();
