// projects.js: projects, from a confirmed pair to a paid project
// (docs/guide.md): a community's projects with the step it owes (the
// council's vote, with the quorum rule shown; the acceptance), an
// organisation's (start, progress, completion), and the card the bureau's
// board (board.js) shows with the organizer's and the admin's steps.

import { append, clear, h } from './dom.js';
import { dateTime, num, pct, t, yuan } from './i18n.js';
import { api, apiAll, dirNames, session } from './api.js';
import { act, amountValue, errorBox, field, intValue, load, okBox } from './ui.js';

export const STAGES = ['deliberation', 'notice', 'implementing', 'completed', 'accepted', 'settled',
  'rejected', 'cancelled'];
const STAGE_COLOR = { deliberation: 'amber', notice: 'blue', implementing: 'blue', completed: 'amber',
  accepted: 'green', settled: 'green', rejected: 'grey', cancelled: 'grey' };

export function stageBadge(stage) {
  return h('span', { class: 'badge stage ' + (STAGE_COLOR[stage] || 'grey'), 'data-stage': stage }, t('stage_' + stage));
}

// Whether the signed-in account owes p's next step.
export function owes(p, me) {
  const n = p.next;
  if (!n) return false;
  if (n.role === 'admin') return me.role === 'admin';
  if (n.role === 'organizer') return me.role === 'admin' || (me.role === 'organizer' && (!me.street || (n.by || []).includes(me.street)));
  return me.role === n.role && (n.by || []).includes(me.code);
}

// The step a project waits for, in words: who and what.
function nextLine(p, names, me) {
  const n = p.next;
  if (!n) return h('p', { class: 'next done' }, t('next_none_' + p.stage));
  const who = (n.by || []).map((c) => names.get(c) || c).join('、');
  const mine = owes(p, me);
  const text = t('next_' + n.op.replace('.', '_'), { who, after: n.after ? dateTime(n.after) : '' });
  return h('p', { class: 'next' + (mine ? ' mine' : '') },
    mine ? h('strong', null, t('next_yours')) : t('next_waiting'), ' ', text,
    n.after && n.op === 'project.start' ? h('span', { class: 'sub' }, ' ' + t('notice_until', { end: dateTime(n.after) })) : null);
}

// ---------------------------------------------------------------- the forms

function numInput(name, value, opts = {}) {
  return h('input', { name, type: 'text', inputmode: 'numeric', value: value === undefined ? '' : value, required: true, size: 6, ...opts });
}

function today() {
  const d = new Date();
  const p = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const g = (ty) => (p.find((x) => x.type === ty) || {}).value;
  return `${g('year')}-${g('month')}-${g('day')}`;
}

// The exact ceiling of quorum (a/b or a decimal) x members.
export function quorumOf(quorum, members) {
  const m = /^(\d+)\/(\d+)$/.exec(quorum || '');
  if (m) return Math.ceil((Number(m[1]) * members) / Number(m[2]) - 1e-9);
  const q = Number(quorum);
  return Math.ceil(Math.round(q * 1e6) * members / 1e6 - 1e-9);
}

// A council vote, with the rule it is held to.
function voteForm(p, onDone) {
  const n = p.next;
  const msg = h('div', { class: 'msg' });
  const need = h('span', { class: 'quorum-need', id: `quorum-${p.id}` });
  const inputs = {
    date: h('input', { name: 'date', type: 'date', value: today(), required: true }),
    members: numInput('members', 15), present: numInput('present', ''), yes: numInput('yes', ''),
    no: numInput('no', '0'), abstain: numInput('abstain', '0'),
    minutes: h('textarea', { name: 'minutes', rows: 2, maxlength: 4000 }),
  };
  const update = () => {
    const m = intValue(inputs.members.value);
    need.textContent = Number.isInteger(m) && m > 0 ? t('quorum_need', { members: m, present: quorumOf(n.quorum, m) }) : '';
  };
  inputs.members.addEventListener('input', update);
  update();
  const btn = h('button', { type: 'submit', class: 'btn primary' }, t('vote_submit'));
  const form = h('form', { class: 'step-form vote-form', id: `vote-${p.id}`, novalidate: true },
    h('h3', null, t('vote_title')),
    h('p', { class: 'rule', id: `vote-rule-${p.id}` }, t('vote_rule', { quorum: n.quorum, pass: pct(n.pass_share) }), ' ', need),
    h('div', { class: 'form-grid' },
      field(t('vote_date'), inputs.date), field(t('vote_members'), inputs.members), field(t('vote_present'), inputs.present),
      field(t('vote_yes'), inputs.yes), field(t('vote_no'), inputs.no), field(t('vote_abstain'), inputs.abstain),
      field(t('vote_minutes'), inputs.minutes, { wide: true, optional: true })),
    msg, h('div', { class: 'row' }, btn));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const args = { project: p.id, date: inputs.date.value };
    for (const k of ['members', 'present', 'yes', 'no', 'abstain']) args[k] = intValue(inputs[k].value);
    if (inputs.minutes.value.trim()) args.minutes = inputs.minutes.value.trim();
    return step(btn, msg, form, 'project.deliberate', args, onDone);
  });
  return form;
}

async function step(btn, msg, form, op, args, onDone) {
  await act(btn, null, async () => {
    clear(msg);
    try {
      const r = await api(op, args);
      onDone(r.project, r);
    } catch (e) {
      if (e.code !== 'unauthenticated') msg.append(errorBox(e, form));
    }
  });
}

// A small form: fields [name, label, input], a submit text and its op.
function smallForm(p, id, title, fields, submit, op, extra, onDone) {
  const msg = h('div', { class: 'msg' });
  const btn = h('button', { type: 'submit', class: 'btn primary' }, submit);
  const form = h('form', { class: 'step-form', id: `${id}-${p.id}`, novalidate: true }, h('h3', null, title),
    h('div', { class: 'form-grid' }, fields.map(([name, label, input, o]) => { input.name = name; return field(label, input, o || {}); })),
    msg, h('div', { class: 'row' }, btn));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const args = Object.assign({ project: p.id }, extra ? extra(form) : {});
    for (const [name, , input, o] of fields) {
      if (name === 'passed') continue;
      const v = input.value.trim();
      if (!v && o && o.optional) continue;
      args[name] = o && o.kind === 'int' ? intValue(v) : o && o.kind === 'amount' ? amountValue(v) : v;
    }
    return step(btn, msg, form, op, args, onDone);
  });
  return form;
}

function note(required) { return h('textarea', { rows: 2, maxlength: 2000, required }); }

// The forms of the step the signed-in account owes on p.
export function stepForms(p, me, onDone) {
  const n = p.next;
  if (!owes(p, me)) return null;
  if (n.op === 'project.deliberate') return voteForm(p, onDone);
  if (n.op === 'project.accept') {
    const passed = h('select', null, h('option', { value: 'yes' }, t('accept_pass')), h('option', { value: 'no' }, t('accept_fail')));
    return smallForm(p, 'accept', t('accept_title'),
      [['passed', t('accept_result'), passed], ['satisfaction', t('accept_satisfaction'), numInput('', 90), { kind: 'int' }],
        ['note', t('step_note'), note(true), { wide: true }]],
      t('accept_submit'), 'project.accept', () => ({ passed: passed.value === 'yes' }), onDone);
  }
  if (n.op === 'project.start') {
    if (n.after) return h('p', { class: 'hint' }, t('start_after', { end: dateTime(n.after) }));
    return smallForm(p, 'start', t('start_title'), [['date', t('start_date'), h('input', { type: 'date', value: today() }), { optional: true }]],
      t('start_submit'), 'project.start', null, onDone);
  }
  if (n.op === 'project.complete')
    return h('div', { class: 'two-forms' },
      smallForm(p, 'progress', t('progress_title'), [['percent', t('progress_percent'), numInput('', p.progress), { kind: 'int' }],
        ['note', t('step_note'), note(true), { wide: true }]], t('progress_submit'), 'project.progress', null, onDone),
      smallForm(p, 'complete', t('complete_title'), [['beneficiaries_served', t('complete_served'), numInput('', ''), { kind: 'int' }],
        ['note', t('step_note'), note(true), { wide: true }]], t('complete_submit'), 'project.complete', null, onDone));
  if (n.op === 'project.settle')
    return smallForm(p, 'settle', t('settle_title'), [['paid', t('settle_paid'), h('input', { type: 'text', inputmode: 'decimal', value: p.amount }),
      { kind: 'amount', hint: t('settle_hint', { amount: yuan(p.amount) }) }]], t('settle_submit'), 'project.settle', null, onDone);
  if (n.op === 'objection.resolve') return objectionForms(p, onDone);
  return null;
}

function objectionForms(p, onDone) {
  const open = (p.objections || []).filter((o) => o.status === 'open');
  return h('div', null, open.map((o) => {
    const msg = h('div', { class: 'msg' });
    const noteIn = h('textarea', { name: 'note', rows: 2, maxlength: 2000, required: true });
    const form = h('form', { class: 'step-form', id: `resolve-${o.id}`, novalidate: true },
      h('h3', null, t('objection_title', { id: o.id })), h('blockquote', null, o.text),
      field(t('objection_note'), noteIn, { wide: true }), msg);
    const run = (decision) => (ev) => step(ev.target, msg, form, 'objection.resolve',
      { objection: o.id, decision, note: noteIn.value.trim() }, onDone);
    form.append(h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn danger', onclick: run('upheld') }, t('objection_uphold')),
      h('button', { type: 'button', class: 'btn', onclick: run('dismissed') }, t('objection_dismiss'))));
    form.addEventListener('submit', (ev) => ev.preventDefault());
    return form;
  }));
}

// ---------------------------------------------------------------- the card

function historyList(p, names) {
  return h('details', { class: 'history' }, h('summary', null, t('history_title', { n: p.history.length })),
    h('ol', null, p.history.map((x) => h('li', null, h('span', { class: 'sub' }, dateTime(x.time)), ' ',
      stageBadge(x.stage), ' ', names.get(x.code) || x.code || '', ' · ', t('op_' + x.op.replace('.', '_')),
      x.note ? h('span', { class: 'sub' }, ' — ' + x.note) : null))));
}

export function projectCard(p, names, me, onChange) {
  const card = h('article', { class: 'card project' + (owes(p, me) ? ' owed' : '') + (p.overdue ? ' late' : ''),
    id: `project-${p.id}`, 'data-project': p.id, 'data-stage': p.stage });
  const draw = (x, flash) => {
    clear(card);
    card.className = 'card project' + (owes(x, me) ? ' owed' : '') + (x.overdue ? ' late' : '');
    card.setAttribute('data-stage', x.stage);
    const counterpart = me.role === 'org' ? names.get(x.community) || x.community : names.get(x.org) || x.org;
    append(card, [
      h('div', { class: 'row between' }, h('h2', null, x.title, h('span', { class: 'sub' }, ` #${x.id}`)), stageBadge(x.stage)),
      h('dl', { class: 'facts' },
        h('div', null, h('dt', null, me.role === 'org' ? t('col_community') : t('col_org')), h('dd', null, counterpart)),
        h('div', null, h('dt', null, t('col_amount')), h('dd', null, yuan(x.amount))),
        h('div', null, h('dt', null, t('col_street')), h('dd', null, x.street)),
        x.paid ? h('div', null, h('dt', null, t('col_paid')), h('dd', null, yuan(x.paid))) : null,
        x.beneficiaries_served ? h('div', null, h('dt', null, t('col_served')), h('dd', null, num(x.beneficiaries_served))) : null,
        x.satisfaction !== null ? h('div', null, h('dt', null, t('col_satisfaction')), h('dd', null, num(x.satisfaction))) : null,
        x.due ? h('div', null, h('dt', null, t('col_due')), h('dd', { class: x.overdue ? 'late' : null },
          dateTime(x.due), x.overdue ? h('span', { class: 'badge red' }, t('overdue')) : null)) : null),
      ['implementing', 'completed'].includes(x.stage) ? h('div', { class: 'progress-line' },
        h('span', { class: 'mini-bar', 'aria-hidden': 'true' }, h('span', { style: { width: x.progress + '%' } })),
        ' ', t('progress_n', { n: x.progress })) : null,
      nextLine(x, names, me), flash || null,
      stepForms(x, me, (np) => { draw(np, okBox(t('step_done'))); if (onChange) onChange(np); }),
      historyList(x, names)]);
  };
  draw(p);
  return card;
}

// Names of the communities and organisations of projects.
export async function projectNames(items) {
  const comms = items.flatMap((p) => [p.community, ...(p.partners || [])]);
  const codes = items.flatMap((p) => (p.history || []).map((x) => x.code));
  const [cn, on] = await Promise.all([dirNames('community', comms.concat(codes.filter((c) => /^[A-Z]+-\d+$/.test(c || '')))),
    dirNames('org', items.map((p) => p.org))]);
  return new Map([...cn, ...on]);
}

// ---------------------------------------------------------------- the view

const ORDER = Object.fromEntries(STAGES.map((s, i) => [s, i]));

export function viewProjects() {
  const me = session.me;
  const box = h('div');
  const sec = h('section', { class: 'projects' }, h('h1', null, t('projects_title_' + me.role)),
    h('p', { class: 'hint' }, t('projects_intro_' + me.role)),
    h('p', null, h('a', { href: '/public/', target: '_blank', rel: 'noopener', id: 'public-link' }, t('public_board_link'))), box);
  load(box, async () => {
    const items = await apiAll('project.list', me.role === 'org' ? { org: me.code } : { community: me.code });
    if (!items.length) return h('p', { class: 'empty' }, t('projects_none'));
    items.sort((a, b) => (owes(b, me) - owes(a, me)) || (ORDER[a.stage] - ORDER[b.stage]) || (a.id - b.id));
    const names = await projectNames(items);
    const mine = items.filter((p) => owes(p, me)).length;
    return h('div', null, h('p', { class: mine ? 'alert info' : 'count', id: 'owed-count' },
      mine ? t('projects_owed', { n: num(mine) }) : t('projects_count', { n: num(items.length) })),
    items.map((p) => projectCard(p, names, me)));
  });
  return sec;
}
