// money.test.mjs: the page's side of issue 13 (node --test), in zh-CN: a
// matched need has no withdraw button; a community sees its cap used and
// left; a partner community sees a shared need with its owner and agrees
// through the prompt; the organizer runs twice, publishes the earlier run and
// sees a stale schedule flagged, superseded pairs named in Chinese; refused
// posts say why in Chinese; streets are chosen from street.list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, startBrowser, watchedPage, signIn } from './lib.mjs';

let d; // the daemon
let b; // the browser, zh-CN
let org; // a street organizer
let fair; // a fair of its street, matched once and published
let match; // a pair of it, confirmed by both sides

// Latin words of three letters or more: English on a Chinese page.
const ENGLISH = /[A-Za-z]{3,}/;
const digits = (s) => String(s).replace(/[^\d]/g, '');
const amount = (x) => digits(new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(x));

// A date a month from now, as YYYY-MM-DD.
function later(days = 30) {
  const t = new Date(Date.now() + days * 86400000);
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

const token = (role, code) => d.tokens.find((x) => x.role === role && x.code === code).token;

before(async () => {
  d = await startDaemon();
  b = await startBrowser();
  org = d.tokens.find((x) => x.role === 'organizer' && x.street && x.street !== '-');
  fair = (await d.api(org.token, 'fair.create', { name: '额度测试对接会', date: later() })).fair;
  await d.api(org.token, 'fair.enroll', { fair: fair.id, all: true });
  await d.api(org.token, 'fair.match', { fair: fair.id });
  match = (await d.api(org.token, 'fair.matches', { fair: fair.id })).items[0];
  await d.api(token('community', match.community), 'match.respond', { match: match.id, decision: 'accept' });
  await d.api(token('org', match.org), 'match.respond', { match: match.id, decision: 'accept' });
});

after(async () => {
  if (b) await b.close();
  if (d) await d.stop();
});

function assertClean(w, allowed = []) {
  assert.deepEqual(w.errors.filter((e) => !allowed.some((re) => re.test(e))), [], 'console errors');
}

test('a matched need has no withdraw button, and the cap used and left are shown', async () => {
  const w = await watchedPage(b.context);
  const { page } = w;
  const code = match.community;
  await signIn(page, d.base, token('community', code));
  const row = page.locator(`#need-table tr[data-id="${match.need}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /已匹配/);
  assert.equal(await row.getByRole('button', { name: '撤回' }).count(), 0, 'no withdraw on a matched need');
  assert.equal(await row.getByRole('button', { name: '编辑' }).count(), 0, 'no edit on a matched need');
  const open = page.locator('#need-table tr[data-id]', { hasText: '待匹配' }).first();
  if (await open.count()) assert.equal(await open.getByRole('button', { name: '撤回' }).count(), 1, 'an open need can be withdrawn');

  const need = (await d.api(token('community', code), 'need.get', { id: match.need })).need;
  const c = (await d.api(token('community', code), 'community.get', { code, year: need.year })).community;
  assert.ok(c.used > 0, 'the confirmed pair counts against the cap');
  const capRow = page.locator(`#cap-table tr[data-year="${need.year}"]`);
  await capRow.waitFor();
  assert.equal(digits(await capRow.locator('[data-cap="cap"]').innerText()), amount(c.cap));
  assert.equal(digits(await capRow.locator('[data-cap="used"]').innerText()), amount(c.used));
  assert.equal(digits(await capRow.locator('[data-cap="left"]').innerText()), amount(c.left));
  assert.match(await page.locator('#cap-card').innerText(), /年度额度[\s\S]*已用[\s\S]*剩余/);
  assert.doesNotMatch(await page.locator('#cap-card').innerText(), ENGLISH);
  await page.close();
  assertClean(w);
});

test('a partner community sees the shared need with its owner and agrees through the prompt', async () => {
  const comms = d.tokens.filter((x) => x.role === 'community' && x.street === org.street);
  const [owner, partner] = comms;
  const need = (await d.api(owner.token, 'need.post', { title: '两社区共建长者食堂', category: 'service.elderly',
    budget: 20000, partners: [partner.code] })).need;
  assert.equal(need.status, 'pending_partners');

  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, partner.token);
  const row = page.locator(`#need-table tr[data-id="${need.id}"]`);
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /待合作社区同意/);
  assert.match(text, new RegExp(`发起：${owner.name}`));
  assert.equal(await row.getByRole('button', { name: '撤回' }).count(), 0, 'a partner does not withdraw the owner\'s need');
  const prompt = page.locator(`tr[data-consent="${need.id}"]`);
  assert.match(await prompt.innerText(), new RegExp(`「${owner.name}」邀请本社区共同承担这项需求`));
  await prompt.getByRole('button', { name: '同意', exact: true }).click();
  await page.locator(`tr[data-consent="${need.id}"]`).waitFor({ state: 'detached' });
  await page.locator(`#need-table tr[data-id="${need.id}"]`, { hasText: '待匹配' }).waitFor();
  assert.equal((await d.api(owner.token, 'need.get', { id: need.id })).need.status, 'open');
  await page.close();
  assertClean(w);
});

test('the organizer runs twice, publishes the earlier run, and sees the schedule flagged stale', async () => {
  const f = (await d.api(org.token, 'fair.create', { name: '发布测试对接会', date: later(40) })).fair;
  await d.api(org.token, 'fair.enroll', { fair: f.id, all: true });
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, org.token);
  await page.goto(`${d.base}/#/fairs/${f.id}`);
  await page.locator('#run-match').waitFor();
  // two runs, neither published
  await page.uncheck('#publish-now');
  await page.click('#run-match');
  await page.locator('#run-unpublished').waitFor();
  assert.match(await page.locator('#run-unpublished').innerText(), /第 1 次匹配还没有发布/);
  await page.uncheck('#publish-now');
  await page.selectOption('#algorithm', 'greedy');
  await page.click('#run-match');
  await page.locator('#run-unpublished', { hasText: '第 2 次' }).waitFor();
  assert.equal((await d.api(org.token, 'fair.get', { id: f.id })).fair.published_run, null);

  // the runs compared; publish the earlier one
  await page.click('#tab-runs');
  await page.locator('#runs-table').waitFor();
  await page.locator('#runs-table [data-publish="1"]').click();
  await page.locator('#runs-table td[data-run="1"]', { hasText: '已发布' }).waitFor();
  assert.equal((await d.api(org.token, 'fair.get', { id: f.id })).fair.published_run, 1);
  assert.match(await page.locator('dl.facts').first().innerText(), /已发布\s*第 1 次/);

  // a schedule of run 1, then run 2 published: the schedule is stale
  await page.click('#make-schedule');
  await page.locator('#schedule-grid').waitFor();
  assert.equal(await page.locator('#schedule-stale').count(), 0);
  await page.click('#tab-runs');
  await page.locator('#runs-table [data-publish="2"]').click();
  await page.locator('#runs-table td[data-run="2"]', { hasText: '已发布' }).waitFor();
  await page.click('#tab-schedule');
  const flag = page.locator('#schedule-stale');
  await flag.waitFor();
  assert.match(await flag.innerText(), /按第 1 次匹配排定[\s\S]*发布的是第 2 次[\s\S]*重新生成洽谈日程/);
  assert.doesNotMatch(await flag.innerText(), ENGLISH);

  // run 1's live pairs were superseded: named in Chinese
  await page.click('#tab-matches');
  await page.selectOption('#run-select', '1');
  await page.locator('#match-table [data-status="superseded"]').first().waitFor();
  assert.equal(await page.locator('#match-table [data-status="superseded"]').first().innerText(), '已被取代');
  // scheduling again clears the flag
  await page.click('#make-schedule');
  await page.locator('#schedule-grid').waitFor();
  assert.equal(await page.locator('#schedule-stale').count(), 0);
  await page.close();
  assertClean(w);
});

test('refused posts say why in Chinese, and streets are chosen from the registry', async () => {
  const comm = d.tokens.find((x) => x.role === 'community' && x.street === org.street);
  const c = (await d.api(comm.token, 'community.get', { code: comm.code })).community;
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, comm.token);
  await page.locator('#post-need-toggle').click();
  const form = page.locator('#post-need');
  await form.getByLabel('标题').fill('社区花园改造');
  await form.getByLabel('类别').selectOption('service.elderly');
  await form.getByLabel(/预算/).fill(String(c.cap + 1));
  await form.getByRole('button', { name: '发布需求' }).click();
  const alert = form.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.equal(await alert.getAttribute('data-reason'), 'budget_over_cap');
  assert.match(text, /预算超过了社区本年度的额度。/);
  assert.doesNotMatch(text, ENGLISH, text);
  await page.close();

  // the organizer: a street from street.list, and a date in the past refused
  const streets = (await d.api(org.token, 'street.list', {})).items.map((x) => x.name);
  const w2 = await watchedPage(b.context);
  const p2 = w2.page;
  await signIn(p2, d.base, org.token);
  const fc = p2.locator('#fair-create');
  await fc.locator('select[name="street"] option').nth(streets.length).waitFor({ state: 'attached' });
  const options = await fc.locator('select[name="street"] option').allInnerTexts();
  assert.deepEqual(options.slice(1), streets);
  assert.equal(await fc.locator('input[name="street"]').count(), 0, 'no street typed');
  await fc.getByLabel('名称').fill('去年的对接会');
  await fc.getByLabel('日期').fill('2001-01-01');
  await fc.locator('select[name="street"]').selectOption(org.street);
  await fc.getByRole('button', { name: '创建对接会' }).click();
  const a2 = fc.getByRole('alert');
  await a2.waitFor();
  assert.equal(await a2.getAttribute('data-reason'), 'date_past');
  assert.match(await a2.innerText(), /日期已经过去/);
  assert.doesNotMatch(await a2.innerText(), ENGLISH);
  await p2.close();
  assertClean(w, [/status of 400/]);
  assertClean(w2, [/status of 400/]);
});
