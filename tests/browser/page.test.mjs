// page.test.mjs: the organizers' page in Debian's chromium against a real
// matchd with the demo district (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDaemon, startBrowser, watchedPage, signIn } from './lib.mjs';

let d; // the daemon
let b; // the browser
let org; // a street organizer's account
let fairId;
const pages = [];

before(async () => {
  d = await startDaemon();
  b = await startBrowser();
  org = d.tokens.find((x) => x.role === 'organizer' && x.street && x.street !== '-');
});

after(async () => {
  if (b) await b.close();
  if (d) await d.stop();
});

async function newPage() {
  const w = await watchedPage(b.context);
  pages.push(w);
  return w;
}

// No console error, uncaught exception or failed request, except the
// browser's own network line for an answer it was told to expect.
function assertClean(w, allowed = []) {
  const left = w.errors.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(left, [], 'console errors');
}

test('a bad token shows a clear message in place, and an empty one too', async () => {
  const w = await newPage();
  const { page } = w;
  await page.goto(d.base + '/');
  const input = page.getByLabel('访问令牌');
  await input.waitFor();
  // keyboard: the token field has focus; Enter submits.
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: '请先填写访问令牌' }).waitFor();
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await input.fill('0'.repeat(64));
  await input.press('Enter');
  const alert = page.getByRole('alert').filter({ hasText: '令牌无效' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /请核对后重新粘贴/);
  assert.equal(await input.inputValue(), '0'.repeat(64), 'the typed token is kept');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('matchd.token')), null);
  // The 401 answer itself is logged by the browser as a failed resource.
  assertClean(w, [/status of 401/]);
});

test('an organizer creates a fair, enrols all, runs the match and sees every row', async () => {
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, org.token);
  await page.getByRole('heading', { name: '对接会', level: 1 }).waitFor();
  assert.match(await page.locator('#who').innerText(), new RegExp(org.name));
  assert.equal(await page.evaluate(() => sessionStorage.getItem('matchd.token')), org.token);
  assert.equal(await page.evaluate(() => localStorage.getItem('matchd.token')), null);

  const form = page.locator('#fair-create');
  await form.getByLabel('名称').fill('浏览器测试对接会');
  await form.getByLabel('日期').fill('2026-12-05');
  await form.getByLabel(/洽谈桌数/).fill('8');
  await form.getByRole('button', { name: '创建对接会' }).click();
  await page.getByText('已创建对接会「浏览器测试对接会」').waitFor();
  await page.getByRole('link', { name: '浏览器测试对接会' }).click();
  await page.getByRole('heading', { name: '浏览器测试对接会', level: 1 }).waitFor();
  fairId = Number(/#\/fairs\/(\d+)/.exec(page.url())[1]);

  await page.click('#enroll-all');
  await page.locator('.facts').getByText(/报名需求\s*\d+/).waitFor();
  const fair = (await d.api(org.token, 'fair.get', { id: fairId })).fair;
  assert.ok(fair.needs > 0 && fair.offers > 0, 'enrolled');

  await page.selectOption('#algorithm', 'optimal');
  await page.click('#run-match');
  await page.locator('#match-table tbody tr').first().waitFor();
  const m = await d.api(org.token, 'fair.matches', { fair: fairId });
  assert.ok(m.items.length > 0);
  assert.equal(await page.locator('#match-table tbody tr').count(), m.items.length);
  assert.match(await page.locator('.count').innerText(), new RegExp(`${m.items.length.toLocaleString('zh-CN')} / ${m.items.length.toLocaleString('zh-CN')}`));
  // each score carries its five-part bar
  assert.equal(await page.locator('#match-table tbody tr').first().locator('.bar .seg').count(), 5);
  // amounts in yuan with zh-CN thousands separators
  const big = m.items.find((x) => x.amount >= 1000);
  const cell = await page.locator(`tr[data-match="${big.id}"] td`).nth(6).innerText();
  assert.equal(cell, new Intl.NumberFormat('zh-CN', Number.isInteger(big.amount) ? {} : { minimumFractionDigits: 2 }).format(big.amount) + ' 元');
  assertClean(w);
});

test('the match list sorts and filters by community, organisation and category', async () => {
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, org.token);
  await page.goto(`${d.base}/#/fairs/${fairId}/matches`);
  await page.locator('#match-table tbody tr').first().waitFor();
  const m = await d.api(org.token, 'fair.matches', { fair: fairId });

  // score descending by default; one click on the header turns it ascending
  const scores = async () => page.locator('#match-table tbody tr .score-num').allInnerTexts();
  const desc = (await scores()).map(Number);
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
  await page.getByRole('button', { name: /^得分/ }).click();
  assert.equal(await page.locator('th[aria-sort]').getAttribute('aria-sort'), 'ascending');
  const asc = (await scores()).map(Number);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));

  const comm = m.items[0].community;
  await page.selectOption('#f-community', comm);
  assert.equal(await page.locator('#match-table tbody tr').count(), m.items.filter((x) => x.community === comm).length);
  await page.selectOption('#f-community', '');
  const orgCode = m.items[0].org;
  await page.selectOption('#f-org', orgCode);
  assert.equal(await page.locator('#match-table tbody tr').count(), m.items.filter((x) => x.org === orgCode).length);
  await page.selectOption('#f-org', '');
  await page.selectOption('#f-category', 'service');
  const needs = new Map((await d.api(org.token, 'need.list', { street: org.street, limit: 1000 })).items.map((n) => [n.id, n.category]));
  assert.equal(await page.locator('#match-table tbody tr').count(),
    m.items.filter((x) => (needs.get(x.need) || '').startsWith('service.')).length);
  await page.selectOption('#f-category', '');

  await page.click('#tab-unmatched');
  await page.locator('#fair-panel h2').first().waitFor();
  assert.equal(await page.locator('#unmatched-needs tbody tr').count(), m.unmatched.needs.length);
  assertClean(w);
});

test('the schedule grid shows every meeting and the CSV downloads', async () => {
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, org.token);
  await page.goto(`${d.base}/#/fairs/${fairId}`);
  await page.click('#make-schedule');
  await page.locator('#schedule-grid').waitFor();
  const s = await d.api(org.token, 'fair.meetings', { fair: fairId });
  assert.ok(s.meetings.length > 0);
  assert.equal(await page.locator('#schedule-grid td.m-matched, #schedule-grid td.m-alt').count(), s.meetings.length);
  assert.equal(await page.locator('#schedule-grid thead th').count(), 8 + 1, '8 tables and the time column');
  assert.match(await page.locator('#schedule-grid tbody th').first().innerText(), /09:00/);

  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
  assert.match(dl.suggestedFilename(), new RegExp(`^fair-${fairId}.*\\.csv$`));
  const csv = readFileSync(await dl.path(), 'utf8');
  assert.equal(csv.charCodeAt(0), 0xfeff, 'UTF-8 BOM');
  const m = await d.api(org.token, 'fair.matches', { fair: fairId });
  assert.ok(csv.includes(m.items[0].need_title));

  const [x] = await Promise.all([page.waitForEvent('download'), page.click('#dl-xlsx')]);
  assert.match(x.suggestedFilename(), new RegExp(`^fair-${fairId}.*\\.xlsx$`));
  assert.equal(readFileSync(await x.path()).subarray(0, 2).toString(), 'PK');

  await page.click('#tab-chart');
  await page.locator('#cap-chart .chart-row').first().waitFor();
  assert.equal(await page.locator('#cap-chart .chart-row').count(), new Set(m.items.map((i) => i.community)).size);
  assertClean(w);
});

test('a community accepts a match, which then shows as accepted for the organizer', async () => {
  const m = await d.api(org.token, 'fair.matches', { fair: fairId });
  const target = m.items.find((x) => x.status === 'proposed');
  const comm = d.tokens.find((x) => x.role === 'community' && x.code === target.community);
  const cw = await newPage();
  await signIn(cw.page, d.base, comm.token);
  await cw.page.getByRole('heading', { name: '我的需求', level: 1 }).waitFor();
  await cw.page.getByRole('link', { name: '我的匹配' }).click();
  const row = cw.page.locator(`#my-matches tr[data-match="${target.id}"]`);
  await row.waitFor();
  await row.getByRole('button', { name: '接受' }).click();
  await row.locator('[data-status="accepted_by_community"]').waitFor();
  assert.equal(await row.getByRole('button', { name: '接受' }).count(), 0, 'answered once');
  assertClean(cw);

  const after = await d.api(org.token, 'fair.matches', { fair: fairId });
  assert.equal(after.items.find((x) => x.id === target.id).status, 'accepted_by_community');

  const ow = await newPage();
  await signIn(ow.page, d.base, org.token);
  await ow.page.goto(`${d.base}/#/fairs/${fairId}/matches`);
  const orow = ow.page.locator(`#match-table tr[data-match="${target.id}"]`);
  await orow.waitFor();
  assert.equal(await orow.locator('.badge').innerText(), '社区已接受');
  assertClean(ow);
});

test('a refused post is explained in place, the field marked, and nothing typed is lost', async () => {
  const comm = d.tokens.find((x) => x.role === 'community');
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, comm.token);
  await page.locator('#post-need-toggle').click();
  const form = page.locator('#post-need');
  await form.waitFor();
  await form.getByLabel('标题').fill('楼道照明改造');
  await form.getByLabel('类别').selectOption('service.elderly');
  await form.getByLabel(/预算/).fill('1.005');
  await form.getByLabel(/说明/).fill('为长者出行安全');
  await form.getByRole('button', { name: '发布需求' }).click();
  const alert = form.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /填写的内容不符合要求/);
  assert.match(await alert.innerText(), /预算/);
  assert.equal(await form.getByLabel(/预算/).getAttribute('aria-invalid'), 'true');
  assert.equal(await form.getByLabel('标题').inputValue(), '楼道照明改造');
  assert.equal(await form.getByLabel(/说明/).inputValue(), '为长者出行安全');

  // corrected, it posts once and shows in the list
  await form.getByLabel(/预算/).fill('80,000');
  await form.getByRole('button', { name: '发布需求' }).click();
  await form.getByText('已发布「楼道照明改造」').waitFor();
  await page.locator('#need-table tr[data-id]', { hasText: '楼道照明改造' }).waitFor();
  const mine = await d.api(comm.token, 'need.list', { community: comm.code, limit: 1000 });
  const posted = mine.items.filter((n) => n.title === '楼道照明改造');
  assert.equal(posted.length, 1);
  assert.equal(posted[0].budget, 80000);

  // withdraw it, with the inline confirmation
  const row = page.locator(`#need-table tr[data-id="${posted[0].id}"]`);
  await row.getByRole('button', { name: '撤回' }).click();
  await row.getByRole('button', { name: '撤回' }).click();
  await page.locator(`#need-table tr[data-id="${posted[0].id}"] .badge`, { hasText: '已撤回' }).waitFor();
  assertClean(w, [/status of 400/]);
});

test('an organisation sees its offers and the English switch', async () => {
  const o = d.tokens.find((x) => x.role === 'org');
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, o.token);
  await page.getByRole('heading', { name: '我的项目', level: 1 }).waitFor();
  const offers = await d.api(o.token, 'offer.list', { org: o.code, limit: 1000 });
  await page.locator('#offer-table tr[data-id]').first().waitFor();
  assert.equal(await page.locator('#offer-table tr[data-id]').count(), offers.items.length);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'My offers', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '我的项目', level: 1 }).waitFor();
  assertClean(w);
});

test('on a phone the match list fits the screen', async () => {
  const phone = await startBrowser({ viewport: { width: 390, height: 844 }, isMobile: true });
  try {
    const w = await watchedPage(phone.context);
    await signIn(w.page, d.base, org.token);
    await w.page.goto(`${d.base}/#/fairs/${fairId}/matches`);
    await w.page.locator('#match-table tbody tr').first().waitFor();
    const over = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `page is ${over}px wider than the phone`);
    assert.equal(await w.page.locator('#match-table thead').isVisible(), false, 'rows shown as cards');
    assertClean(w);
  } finally {
    await phone.close();
  }
});
