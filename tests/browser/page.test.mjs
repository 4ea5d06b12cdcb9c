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
  await form.getByLabel('日期').fill(`${new Date().getFullYear() + 1}-12-05`);
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
  // each score carries its six-part bar (a fair run's sixth part: interest)
  assert.equal(await page.locator('#match-table tbody tr').first().locator('.bar .seg').count(), 6);
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
  // The need's category comes with the match (from need.get where a daemon
  // still leaves it out, to check the page against the truth either way).
  const cat = async (x) => (typeof x.category === 'string' ? x.category : (await d.api(org.token, 'need.get', { id: x.need })).need.category);
  const cats = await Promise.all(m.items.map(cat));
  await page.selectOption('#f-category', 'service');
  assert.equal(await page.locator('#match-table tbody tr').count(), cats.filter((c) => c.startsWith('service.')).length);
  const sub = cats.find((c) => c.startsWith('service.'));
  await page.selectOption('#f-category', sub);
  assert.equal(await page.locator('#match-table tbody tr').count(), cats.filter((c) => c === sub).length);
  await page.selectOption('#f-category', '');

  await page.click('#tab-unmatched');
  await page.locator('#fair-panel h2').first().waitFor();
  // fair.matches answers the unmatched as pages of their own (unmatched: needs | offers)
  const unm = async (kind) => (await d.api(org.token, 'fair.matches', { fair: fairId, unmatched: kind })).items;
  m.unmatched = { needs: await unm('needs'), offers: await unm('offers') };
  assert.equal(await page.locator('#unmatched-needs tbody tr').count(), m.unmatched.needs.length);
  // unmatched offers carry org codes only: the page shows the directory's names
  if (m.unmatched.offers.length) {
    const o = m.unmatched.offers[0];
    const name = (await d.api(org.token, 'org.get', { code: o.org })).org.name;
    assert.equal(await page.locator('#unmatched-offers tbody tr').count(), m.unmatched.offers.length);
    assert.equal(await page.locator('#unmatched-offers tbody tr').first().locator('td').nth(1).innerText(), name);
  }
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
  assert.equal(x.suggestedFilename(), `fair-${fairId}-matches.xlsx`);
  assert.equal(readFileSync(await x.path()).subarray(0, 2).toString(), 'PK');

  assertClean(w);
});

test("the cap chart shows each community's confirmed amount and cap from community.list, and this fair's pending amounts", async () => {
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, org.token);
  const m = await d.api(org.token, 'fair.matches', { fair: fairId });
  const comms = (await d.api(org.token, 'community.list', { street: org.street, limit: 1000 })).items;
  await page.goto(`${d.base}/#/fairs/${fairId}/chart`);
  await page.locator('#cap-chart .chart-row').first().waitFor();
  // a street fair: every community of the street
  assert.equal(await page.locator('#cap-chart .chart-row').count(), comms.length);
  for (const c of comms) {
    const row = page.locator(`#cap-chart .chart-row[data-code="${c.code}"]`);
    assert.equal(Number(await row.getAttribute('data-cap')), c.cap, c.code);
    assert.equal(Number(await row.getAttribute('data-used')), c.used, c.code);
    const pending = m.items.filter((x) => x.community === c.code && x.status !== 'confirmed' && x.status !== 'declined')
      .reduce((s, x) => s + x.amount, 0);
    assert.equal(Number(await row.getAttribute('data-pending')), Math.round(pending * 100) / 100, c.code);
    assert.match(await row.locator('.chart-track').getAttribute('aria-label'), new RegExp(c.name));
  }
  assert.ok(await page.locator('#cap-chart .chart-pending').count() > 0, 'pending amounts drawn');

  // The caps are community.list's: another cap answered shows as that cap.
  const w2 = await newPage();
  await w2.page.route('**/v1/op/community.list', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.result.items = body.result.items.map((c, i) => (i === 0 ? Object.assign({}, c, { cap: 123456, used: 100000, left: 23456 }) : c));
    await route.fulfill({ response: res, json: body });
  });
  await signIn(w2.page, d.base, org.token);
  await w2.page.goto(`${d.base}/#/fairs/${fairId}/chart`);
  const first = w2.page.locator(`#cap-chart .chart-row[data-code="${comms[0].code}"]`);
  await first.waitFor();
  assert.match(await first.locator('.chart-value').innerText(), /123,456 元/);
  assert.match(await first.locator('.chart-value').innerText(), /100,000 元/);
  assertClean(w);
  assertClean(w2);
});

test('categories come from taxonomy.get', async () => {
  const comm = d.tokens.find((x) => x.role === 'community');
  const tax = await d.api(comm.token, 'taxonomy.get', {});
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, comm.token);
  await page.locator('#post-need-toggle').click();
  const sel = page.locator('#post-need select[name="category"]');
  const values = (await sel.locator('option').evaluateAll((os) => os.map((o) => o.value))).filter(Boolean);
  assert.deepEqual(values, tax.families.flatMap((f) => f.subs.map((x) => `${f.name}.${x}`)));
  assert.equal(await sel.locator('optgroup').count(), tax.families.length);
  assertClean(w);

  // Another taxonomy answered: the form offers exactly that one.
  const w2 = await newPage();
  await w2.page.route('**/v1/op/taxonomy.get', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ id: null, ok: true, result: { families: [
      { name: 'service', positive_list: false, subs: ['elderly', 'pilot'] },
      { name: 'engineering', positive_list: true, subs: ['facility'] },
    ] } }),
  }));
  await signIn(w2.page, d.base, comm.token);
  await w2.page.locator('#post-need-toggle').click();
  const sel2 = w2.page.locator('#post-need select[name="category"]');
  assert.deepEqual((await sel2.locator('option').evaluateAll((os) => os.map((o) => o.value))).filter(Boolean),
    ['service.elderly', 'service.pilot', 'engineering.facility']);
  assert.match(await sel2.locator('optgroup').nth(1).getAttribute('label'), /正面清单/);
  assertClean(w2);
});

const FLAG_WORDS = { padding: '疑似年末突击申报凑额度', inflated_price: '报价明显高于同类',
  concentration: '资金集中于一家机构', duplicate_need: '疑似重复申报', split_project: '疑似拆分项目',
  stalled: '项目逾期', failed_acceptance: '多次验收不通过' };

test('the bureau view ranks every street, charts cap used, and lists every risk flag with links to its objects', async () => {
  const admin = d.tokens.find((x) => x.role === 'admin');
  const year = new Date().getUTCFullYear();
  const streets = await d.api(admin.token, 'stats.streets', { year });
  const flags = await d.api(admin.token, 'risk.flags', { year });
  // the demo plants five risks; its projects' story adds a split project, the
  // laggard's overdue project, and the laggard's one organisation
  // (concentration); the spring fairs' pairs add split projects of their own
  // (one organisation twice for one community: tests/e2e/test_oversight.py)
  const others = flags.items.filter((f) => f.kind !== 'split_project');
  assert.equal(others.length, 7, 'the demo flags seven risks besides split projects');
  assert.ok(flags.items.some((f) => f.kind === 'split_project' && f.street === '桂园街道'),
    'the planted split project');
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, admin.token);
  await page.getByRole('link', { name: '区级总览' }).click();
  await page.getByRole('heading', { level: 1, name: /街道排名/ }).waitFor();
  await page.locator('#rank-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#rank-table tbody tr').count(), streets.items.length);
  const first = page.locator('#rank-table tbody tr').first();
  const s0 = streets.items[0];
  assert.equal(await first.getAttribute('data-street'), s0.street);
  const cells = await first.locator('td, th').allInnerTexts();
  assert.equal(cells[0].trim(), String(s0.rank));
  assert.match(cells[1], new RegExp(s0.street));
  assert.match(cells[3], new RegExp(`${s0.needs_matched} / ${s0.needs_posted}`));
  assert.equal(cells[4].trim(), String(s0.projects_accepted));
  assert.match(cells[7], new RegExp(new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(s0.confirmed_amount)));
  assert.equal(await page.locator('#street-chart .chart-row[data-street]').count(), streets.items.length);
  for (const s of streets.items)
    assert.equal(Number(await page.locator(`#street-chart .chart-row[data-street="${s.street}"]`).getAttribute('data-pct')), s.cap_used_pct);

  await page.locator('#risk-list li').first().waitFor();
  assert.equal(await page.locator('#risk-list > li').count(), flags.items.length);
  for (let i = 0; i < flags.items.length; i++) {
    const f = flags.items[i];
    const li = page.locator('#risk-list > li').nth(i);
    assert.equal(await li.getAttribute('data-kind'), f.kind);
    const text = await li.innerText();
    assert.match(text, new RegExp(FLAG_WORDS[f.kind]));
    assert.doesNotMatch(text, /\{\w+\}/, 'every number filled in');
    if (f.kind === 'padding') {
      assert.match(text, new RegExp(`${f.detail.open_needs} 个待匹配需求`));
      assert.match(text, new RegExp(`${Math.round(f.detail.share * 100)}%`));
      assert.equal(await li.locator('button[data-open^="need:"]').count(), f.needs.length);
    }
    if (f.kind === 'inflated_price') assert.match(text, new RegExp(`${f.detail.ratio.toFixed(2)} 倍`));
    if (f.kind === 'concentration') assert.match(text, new RegExp(`${Math.round(f.detail.share * 10000) / 100}%`));
    if (f.kind === 'duplicate_need') assert.match(text, new RegExp(f.detail.duplicate_of_title.replace(/[()（）]/g, '.')));
    if (f.kind === 'stalled') assert.match(text, new RegExp(`已逾期 ${f.detail.days_over} 天`));
    if (f.kind === 'split_project') assert.match(text, new RegExp(`${f.detail.total.toLocaleString('zh-CN')} 元`));
    // the admin resolves a flag in place
    assert.equal(await li.locator('.resolve button').count(), 1);
  }
  assert.equal(await page.locator('#cat-table tbody tr').count(), (await d.api(admin.token, 'stats.categories', { year })).items.length);
  assert.ok(await page.locator('#orgs-table tbody tr').count() > 0);

  // A need link opens the need (need.get) in a dialog.
  const pad = flags.items.find((f) => f.kind === 'padding');
  const need = (await d.api(admin.token, 'need.get', { id: pad.needs[0] })).need;
  await page.locator(`#risk-list button[data-open="need:${need.id}"]`).first().click();
  const dlg = page.getByRole('dialog');
  await dlg.locator('.detail-title').filter({ hasText: need.title }).waitFor();
  assert.match(await dlg.innerText(), new RegExp(`需求 #${need.id}`));
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'hidden' });

  // An offer link opens the offer; an organisation its directory entry.
  const inf = flags.items.find((f) => f.kind === 'inflated_price');
  const offer = (await d.api(admin.token, 'offer.get', { id: inf.offer })).offer;
  await page.locator(`#risk-list button[data-open="offer:${offer.id}"]`).click();
  await dlg.locator('.detail-title').filter({ hasText: offer.title }).waitFor();
  await page.locator('#detail-close').click();
  await dlg.waitFor({ state: 'hidden' });
  const conc = flags.items.find((f) => f.kind === 'concentration');
  const o = (await d.api(admin.token, 'org.get', { code: conc.org })).org;
  await page.locator(`#risk-list li[data-kind="concentration"] button[data-open="org:${conc.org}"]`).click();
  await dlg.locator('.detail-title').filter({ hasText: o.name }).waitFor();
  assert.match(await dlg.innerText(), new RegExp(conc.org));
  await page.keyboard.press('Escape');
  // A community link: its name, street and cap from community.get.
  const c = (await d.api(admin.token, 'community.get', { code: pad.community })).community;
  await page.locator(`#risk-list button[data-open="community:${pad.community}"]`).first().click();
  await dlg.locator('.detail-title').filter({ hasText: c.name }).waitFor();
  assert.match(await dlg.innerText(), new RegExp(c.street));
  assert.match(await dlg.innerText(), /2,000,000 元/);
  await page.keyboard.press('Escape');
  assertClean(w);
});

test("a street organizer's bureau view shows its own street and its flags", async () => {
  const year = new Date().getUTCFullYear();
  const streets = await d.api(org.token, 'stats.streets', { year });
  const flags = await d.api(org.token, 'risk.flags', { year });
  const w = await newPage();
  const { page } = w;
  await signIn(page, d.base, org.token);
  await page.goto(`${d.base}/#/oversight`);
  await page.locator('#rank-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#rank-table tbody tr').count(), streets.items.length);
  assert.equal(streets.items.length, 1);
  assert.equal(await page.locator('#rank-table tbody tr.mine').getAttribute('data-street'), org.street);
  assert.match(await page.locator('#rank-mine').innerText(), new RegExp(`第 ${streets.items[0].rank} 名`));
  await page.locator('#risk-list, #risk-none').first().waitFor();
  assert.equal(await page.locator('#risk-list > li').count(), flags.items.length);
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

test('on a phone the match list and the bureau view fit the screen', async () => {
  const phone = await startBrowser({ viewport: { width: 390, height: 844 }, isMobile: true });
  try {
    const w = await watchedPage(phone.context);
    await signIn(w.page, d.base, org.token);
    await w.page.goto(`${d.base}/#/fairs/${fairId}/matches`);
    await w.page.locator('#match-table tbody tr').first().waitFor();
    const over = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `page is ${over}px wider than the phone`);
    assert.equal(await w.page.locator('#match-table thead').isVisible(), false, 'rows shown as cards');
    await w.page.goto(`${d.base}/#/oversight`);
    await w.page.locator('#rank-table tbody tr').first().waitFor();
    await w.page.locator('#risk-list, #risk-none').first().waitFor();
    await w.page.locator('#orgs-table, #cat-table').first().waitFor();
    const over2 = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over2 <= 0, `the bureau view is ${over2}px wider than the phone`);
    assertClean(w);
  } finally {
    await phone.close();
  }
});
