// projects.test.mjs: projects on the page (docs/guide.md): a community's
// projects with the step it owes and the council's vote (the quorum rule
// shown, a vote without quorum refused in Chinese), an organisation's
// progress and completion, the bureau's stage board with the overdue in
// red, the monthly report and its files, and the public notice board
// without a token; in Debian's chromium against matchd --demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDaemon, startBrowser, watchedPage, signIn } from './lib.mjs';

let d;
let b;
let admin;

before(async () => {
  d = await startDaemon();
  b = await startBrowser();
  admin = d.tokens.find((x) => x.role === 'admin');
});

after(async () => {
  if (b) await b.close();
  if (d) await d.stop();
});

const tokenOf = (role, code) => d.tokens.find((x) => x.role === role && x.code === code);

function assertClean(w, allowed = []) {
  assert.deepEqual(w.errors.filter((e) => !allowed.some((re) => re.test(e))), [], 'console errors');
}

test('a community sees the vote it owes, the quorum rule, and a vote without quorum refused', async () => {
  // 东湖's project came back before its council (the demo's story).
  const delib = (await d.api(admin.token, 'project.list', { stage: 'deliberation', limit: 1000 })).items
    .find((p) => !p.overdue);
  assert.ok(delib, 'the demo has a project before its council');
  const comm = tokenOf('community', delib.community);
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, comm.token);
  await page.getByRole('link', { name: '项目进度' }).click();
  await page.getByRole('heading', { name: '本社区的项目', level: 1 }).waitFor();
  const card = page.locator(`#project-${delib.id}`);
  await card.waitFor();
  assert.match(await page.locator('#owed-count').innerText(), /需要您办理/);
  assert.match(await card.locator('.next.mine').innerText(), /需要您.*居民议事会表决/);
  const rule = card.locator(`#vote-rule-${delib.id}`);
  assert.match(await rule.innerText(), /不少于成员总数的 2\/3/);
  assert.match(await rule.innerText(), /成员 15 人时至少须 10 人出席/);
  const form = card.locator(`#vote-${delib.id}`);
  await form.getByLabel('成员数').fill('15');
  assert.match(await rule.innerText(), /至少须 10 人出席/);
  await form.getByLabel('出席人数').fill('9');
  await form.getByLabel('赞成').fill('9');
  await form.getByLabel('反对').fill('0');
  await form.getByLabel('弃权').fill('0');
  await form.getByRole('button', { name: '提交表决结果' }).click();
  const alert = card.getByRole('alert').filter({ hasText: '出席人数不足法定人数' });
  await alert.waitFor();
  assert.equal(await form.getByLabel('出席人数').getAttribute('aria-invalid'), 'true');
  assert.equal((await d.api(admin.token, 'project.get', { id: delib.id })).project.stage, 'deliberation');
  await form.getByLabel('出席人数').fill('12');
  await form.getByLabel('赞成').fill('10');
  await form.getByLabel('反对').fill('1');
  await form.getByLabel('弃权').fill('1');
  await form.getByRole('button', { name: '提交表决结果' }).click();
  await card.locator('[data-stage="notice"]').first().waitFor();
  assert.match(await card.innerText(), /公示中/);
  assert.equal((await d.api(admin.token, 'project.get', { id: delib.id })).project.stage, 'notice');
  assertClean(w, [/status of 400/]);
  await page.close();
});

test('an organisation reports progress and completion', async () => {
  const impl = (await d.api(admin.token, 'project.list', { stage: 'implementing', limit: 1000 })).items[0];
  const org = tokenOf('org', impl.org);
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, org.token);
  await page.getByRole('link', { name: '项目进度' }).click();
  await page.getByRole('heading', { name: '我承接的项目', level: 1 }).waitFor();
  const card = page.locator(`#project-${impl.id}`);
  await card.waitFor();
  const progress = card.locator(`#progress-${impl.id}`);
  await progress.getByLabel('完成比例（%）').fill('80');
  await progress.getByLabel('说明').fill('主体工程完成');
  await progress.getByRole('button', { name: '报告进度' }).click();
  await card.getByText('完成 80%').waitFor();
  const done = card.locator(`#complete-${impl.id}`);
  await done.getByLabel('服务人次').fill('260');
  await done.getByLabel('说明').fill('服务全部完成');
  await done.getByRole('button', { name: '报告完工' }).click();
  await card.locator('.row.between .badge.stage[data-stage="completed"]').waitFor();
  const p = (await d.api(admin.token, 'project.get', { id: impl.id })).project;
  assert.equal(p.stage, 'completed');
  assert.equal(p.beneficiaries_served, 260);
  assertClean(w);
  await page.close();
});

test('the bureau\'s board shows stages per street and the overdue in red', async () => {
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, admin.token);
  await page.getByRole('link', { name: '项目看板' }).click();
  const table = page.locator('#stage-board');
  await table.waitFor();
  const late = table.locator('tr[data-street="清水河街道"] td.late');
  assert.equal(await late.getAttribute('data-overdue'), '1');
  const color = await late.evaluate((el) => getComputedStyle(el).color);
  assert.equal(color, 'rgb(179, 38, 30)', 'overdue in red');
  await late.getByRole('button').click();
  const list = page.locator('#board-projects');
  await list.locator('article.project.late').first().waitFor();
  assert.match(await list.innerText(), /已逾期/);
  // a cell of settled projects: the admin sees no step left to do
  await table.locator('tr[data-street="翠竹街道"] button[data-stage="accepted"]').click();
  const card = list.locator('article.project').first();
  await card.waitFor();
  assert.match(await card.innerText(), /需要您.*结算拨付/);
  assertClean(w);
  await page.close();
});

test('the monthly report on the page, as a printable page and a workbook', async () => {
  const w = await watchedPage(b.context);
  const { page } = w;
  await signIn(page, d.base, admin.token);
  await page.getByRole('link', { name: '月度通报' }).click();
  await page.locator('#report-rank').waitFor();
  assert.match(await page.locator('#report-overdue').innerText(), /清水河街道/);
  assert.match(await page.locator('#report-risks').innerText(), /疑似拆分项目/);
  const [html] = await Promise.all([page.waitForEvent('download'), page.click('#report-html')]);
  const text = readFileSync(await html.path(), 'utf8');
  assert.match(text, /民生微实事项目 \d{4} 年 \d+ 月通报/);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#report-xlsx')]);
  assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK');
  assertClean(w);
  await page.close();
});

test('the public notice board needs no sign-in and is printable', async () => {
  // A new tab holds no session: the board is read without a token.
  const w = await watchedPage(b.context);
  const { page } = w;
  await page.goto(d.base + '/public/');
  await page.getByRole('heading', { name: '民生微实事项目公示' }).waitFor();
  const rows = await page.locator('table tr').count();
  const notices = (await (await fetch(d.base + '/v1/public/notices')).json()).items;
  assert.equal(rows - 1, notices.length);
  assert.ok(notices.length > 0);
  const body = await page.content();
  for (const x of d.tokens) assert.ok(!body.includes(x.token), 'a token on the public board');
  await page.emulateMedia({ media: 'print' });
  assert.match(await page.locator('body').innerText(), /异议/);
  assertClean(w);
  await page.close();
});
