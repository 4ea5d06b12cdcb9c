// zh.test.mjs: the page in the language of its readers (node --test): why a
// request was refused in Chinese (the error's reason), dates typed as
// YYYY-MM-DD in a browser set to the United States, category names from
// taxonomy.get, exports in the page's language, and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDaemon, startBrowser, watchedPage, signIn } from './lib.mjs';

let d; // the daemon
let b; // the browser, zh-CN
let admin, org, comm;

before(async () => {
  d = await startDaemon();
  b = await startBrowser();
  admin = d.tokens.find((x) => x.role === 'admin');
  org = d.tokens.find((x) => x.role === 'organizer' && x.street && x.street !== '-');
  comm = d.tokens.find((x) => x.role === 'community');
});

after(async () => {
  if (b) await b.close();
  if (d) await d.stop();
});

function assertClean(w, allowed = []) {
  assert.deepEqual(w.errors.filter((e) => !allowed.some((re) => re.test(e))), [], 'console errors');
}

// Latin words of three letters or more: English on a Chinese page.
const ENGLISH = /[A-Za-z]{3,}/;

// need.post answered by a refusal with this reason (and an English message).
function refuse(page, reason, code = 'invalid_argument', field = 'budget') {
  return page.route('**/v1/op/need.post', (route) => route.fulfill({
    status: code === 'conflict' ? 409 : 400, contentType: 'application/json',
    body: JSON.stringify({ id: null, ok: false, error: { code, field, reason,
      message: 'budget 900000 is over the cap of community C1 (2000000 a year)' } }),
  }));
}

async function postNeed(page) {
  await page.locator('#post-need-toggle').click();
  const form = page.locator('#post-need');
  await form.getByLabel('标题').fill('长者助餐');
  await form.getByLabel('类别').selectOption('service.elderly');
  await form.getByLabel(/预算/).fill('900000');
  await form.getByRole('button', { name: '发布需求' }).click();
  const alert = form.getByRole('alert');
  await alert.waitFor();
  return { form, alert };
}

test('a refusal says why in Chinese from its reason, and no English sentence shows', async () => {
  const w = await watchedPage(b.context);
  const { page } = w;
  await refuse(page, 'budget_over_cap');
  await signIn(page, d.base, comm.token);
  const { form, alert } = await postNeed(page);
  const text = await alert.innerText();
  assert.match(text, /填写的内容不符合要求/);
  assert.match(text, /请检查「预算」/);
  assert.match(text, /预算超过了社区本年度的额度。/);
  assert.doesNotMatch(text, ENGLISH, text);
  assert.equal(await alert.getAttribute('data-reason'), 'budget_over_cap');
  assert.match(await alert.getAttribute('data-message'), /over the cap/, 'the server message is kept, not shown');
  assert.equal(await form.locator('.field.invalid .field-error').innerText(), '预算超过了社区本年度的额度。');

  // a reason the page does not know: the code's Chinese, still no English
  await page.unroute('**/v1/op/need.post');
  await refuse(page, 'some_rule_added_later');
  await form.getByRole('button', { name: '发布需求' }).click();
  await form.locator('[data-reason="some_rule_added_later"]').waitFor();
  const t2 = await form.getByRole('alert').innerText();
  assert.match(t2, /填写的内容不符合要求/);
  assert.doesNotMatch(t2, ENGLISH, t2);

  // a project's stage, named in Chinese
  await page.unroute('**/v1/op/need.post');
  await refuse(page, 'stage_notice', 'conflict', null);
  await form.getByRole('button', { name: '发布需求' }).click();
  await form.locator('[data-reason="stage_notice"]').waitFor();
  assert.match(await form.getByRole('alert').innerText(), /当前状态不允许这样做。[\s\S]*项目当前处于「公示中?」阶段/);

  // the same refusal on the English page: English, with the server's own words when unknown
  await page.getByRole('button', { name: 'English' }).click();
  await page.unroute('**/v1/op/need.post');
  await refuse(page, 'some_rule_added_later');
  await page.locator('#post-need-toggle').click();
  const f2 = page.locator('#post-need');
  await f2.getByLabel('Title').fill('Meals');
  await f2.getByLabel('Category').selectOption('service.elderly');
  await f2.getByLabel(/Budget/).fill('900000');
  await f2.getByRole('button', { name: 'Post a need' }).click();
  await f2.getByRole('alert').waitFor();
  assert.match(await f2.getByRole('alert').innerText(), /Server: budget 900000 is over the cap/);
  await page.getByRole('button', { name: '中文' }).click();
  assertClean(w, [/status of 40[09]/]);
});

test('a refusal the daemon sends today (no reason yet) shows no English on the Chinese page', async () => {
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, comm.token);
  await page.locator('#post-need-toggle').click();
  const form = page.locator('#post-need');
  await form.getByLabel('标题').fill('楼道照明');
  await form.getByLabel('类别').selectOption('service.elderly');
  await form.getByLabel(/预算/).fill('1.005');
  await form.getByRole('button', { name: '发布需求' }).click();
  const alert = form.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /填写的内容不符合要求[\s\S]*预算/);
  assert.doesNotMatch(text, ENGLISH, text);
  assert.doesNotMatch(await form.locator('.field.invalid .field-error').innerText(), ENGLISH);
  assertClean(w, [/status of 400/]);
});

test('dates are typed as YYYY-MM-DD in a browser set to English (United States)', async () => {
  const us = await startBrowser({ locale: 'en-US' });
  try {
    const w = await watchedPage(us.context);
    const { page } = w;
    await signIn(page, d.base, org.token);
    const form = page.locator('#fair-create');
    const input = form.getByLabel('日期');
    assert.equal(await input.getAttribute('type'), 'text');
    assert.equal(await input.getAttribute('placeholder'), 'YYYY-MM-DD');
    await form.getByLabel('名称').fill('日期测试对接会');
    await input.fill('March 9');
    await form.getByRole('button', { name: '创建对接会' }).click();
    assert.match(await form.getByRole('alert').innerText(), /「日期」请按 年-月-日 填写/);
    await input.fill('2027/3/9');
    await form.getByRole('button', { name: '创建对接会' }).click();
    await page.getByText('已创建对接会「日期测试对接会」').waitFor();
    const fairs = (await d.api(org.token, 'fair.list', { limit: 1000 })).items;
    assert.equal(fairs.find((f) => f.name === '日期测试对接会').date, '2027-03-09');

    // a community's need: the window as typed in Chinese or with slashes
    const w2 = await watchedPage(us.context);
    await signIn(w2.page, d.base, comm.token);
    await w2.page.locator('#post-need-toggle').click();
    const nf = w2.page.locator('#post-need');
    await nf.getByLabel('标题').fill('日期测试需求');
    await nf.getByLabel('类别').selectOption('service.elderly');
    await nf.getByLabel(/预算/).fill('1000');
    await nf.locator('input[name="window_from"]').fill('2027-1-2');
    await nf.locator('input[name="window_to"]').fill('2027年2月3日');
    await nf.getByRole('button', { name: '发布需求' }).click();
    await nf.getByText('已发布「日期测试需求」').waitFor();
    const mine = (await d.api(comm.token, 'need.list', { community: comm.code, limit: 1000 })).items;
    assert.deepEqual(mine.find((n) => n.title === '日期测试需求').window, { from: '2027-01-02', to: '2027-02-03' });
    assertClean(w);
    assertClean(w2);
  } finally {
    await us.close();
  }
});

test('category names come from taxonomy.get, and a category it does not name shows its code', async () => {
  const w = await watchedPage(b.context);
  await w.page.route('**/v1/op/taxonomy.get', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ id: null, ok: true, result: {
      families: [{ name: 'service', positive_list: false, subs: ['elderly', 'pilot'] }],
      names: { service: { zh: '服务类', en: 'Services' }, 'service.pilot': { zh: '试点', en: 'Pilot' } } } }),
  }));
  await signIn(w.page, d.base, comm.token);
  await w.page.locator('#post-need-toggle').click();
  const opts = await w.page.locator('#post-need select[name="category"] option').allInnerTexts();
  assert.ok(opts.includes('服务类·试点') && opts.includes('服务类·elderly'), opts.join(' | '));
  assertClean(w);
});

test("a fair's CSV downloads in the page's language", async () => {
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, org.token);
  const fair = (await d.api(org.token, 'fair.list', { limit: 1000 })).items[0];
  await page.goto(`${d.base}/#/fairs/${fair.id}`);
  const get = async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
    return readFileSync(await dl.path(), 'utf8');
  };
  assert.ok((await get()).startsWith('\ufeff社区,社区编号,需求编号,需求,需求说明,类别,预算,'));
  await page.getByRole('button', { name: 'English' }).click();
  await page.locator('#dl-csv').waitFor();
  assert.ok((await get()).startsWith('\ufeffCommunity,Community code,Need no.,Need,'));
  await page.getByRole('button', { name: '中文' }).click();
  assertClean(w);
});

test('the audit log lists newest first and filters by operation, account and date', async () => {
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, admin.token);
  await page.getByRole('link', { name: '操作记录' }).click();
  await page.getByRole('heading', { name: '操作记录', level: 1 }).waitFor();
  const rows = page.locator('#audit-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 50);
  const ids = (await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.id))));
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
  await page.click('#audit-more');
  await page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length > 50);
  const more = await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)));
  assert.ok(more[50] < ids[49], 'the next page goes on backwards');

  const form = page.locator('#audit-filters');
  const apply = async () => {
    await Promise.all([page.waitForResponse('**/v1/op/audit.list'), form.getByRole('button', { name: '筛选' }).click()]);
    await page.waitForFunction(() => !document.querySelector('.audit .loading'));
  };
  const opCells = () => page.locator('#audit-table tbody td:nth-child(3)').allInnerTexts();
  await form.getByLabel('操作').fill('fair.create');
  await apply();
  const want = (await d.api(admin.token, 'audit.list', { order: 'desc', op: 'fair.create', limit: 50 })).items;
  assert.ok(want.length > 0);
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.id))), want.map((e) => e.id));
  assert.ok((await opCells()).every((x) => x === 'fair.create'));

  await form.getByLabel('账户编号').fill(org.code);
  await apply();
  const his = (await d.api(admin.token, 'audit.list', { order: 'desc', op: 'fair.create', code: org.code })).items;
  assert.equal(his.length > 0 ? await rows.count() : 0, his.length);
  await form.getByLabel('起始日期').fill('2999-01-01');
  await apply();
  await page.getByText('没有符合条件的记录。').waitFor();
  await form.getByLabel('起始日期').fill('昨天');
  await form.getByRole('button', { name: '筛选' }).click();
  assert.match(await page.locator('.audit .msg [role="alert"]').innerText(), /「起始日期」请按 年-月-日 填写/);
  assertClean(w);
});
