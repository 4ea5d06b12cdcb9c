// live.test.mjs: the page updates itself from Server-Sent Events (web/js/live.js):
// two browser contexts, a community and its street's organizer.  The organizer
// runs the fair's match on its page; the community's inbox shows the
// publication and the proposal without reloading; the community accepts,
// and the organizer's match list and its answer counts change without
// reloading either.  The page never polls, so anything that shows here came
// by the stream.  How long the inbox took is printed (a diagnostic line,
// "inbox: N ms", a second or less on a quiet machine), not asserted: these
// machines are shared, and timings are for benchmarks (the events case of
// make bench measures delivery from commit to watcher).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, startBrowser, watchedPage, signIn } from './lib.mjs';

let d;
let bc; // the community's browser
let bo; // the organizer's browser

before(async () => {
  d = await startDaemon();
  bc = await startBrowser();
  bo = await startBrowser();
});

after(async () => {
  if (bc) await bc.close();
  if (bo) await bo.close();
  if (d) await d.stop();
});

// Long enough for a loaded machine; a page that is not live never shows it.
const LIVE_MS = 10000;

test("the organizer's run reaches the community's inbox live, and its answer the organizer's list", async (t) => {
  const admin = d.tokens.find((x) => x.role === 'admin');
  const org = d.tokens.find((x) => x.role === 'organizer' && x.street && x.street !== '-');
  const comm = d.tokens.find((x) => x.role === 'community' && x.street === org.street);
  // A fair of one need and one offer that fit each other.
  const partner = await d.api(admin.token, 'org.create', { code: '91440300MA5FLIVE01', name: '实时测试社工服务社',
    kind: 'registered', street: org.street, streets: [org.street] });
  const need = (await d.api(comm.token, 'need.post', { title: '实时推送测试：长者助餐', category: 'service.elderly',
    budget: 80000 })).need;
  const offer = (await d.api(partner.token, 'offer.post', { title: '实时推送测试：助餐配送', category: 'service.elderly',
    price: 60000 })).offer;
  const fair = (await d.api(org.token, 'fair.create', { name: '实时推送测试对接会', date: '2026-12-20' })).fair;
  await d.api(org.token, 'fair.enroll', { fair: fair.id, needs: [need.id], offers: [offer.id] });

  const cw = await watchedPage(bc.context);
  await signIn(cw.page, d.base, comm.token);
  await cw.page.locator('#inbox-btn').waitFor();
  const before = await cw.page.locator('#inbox-count').count() ? Number(await cw.page.locator('#inbox-count').innerText()) : 0;
  const ow = await watchedPage(bo.context);
  await signIn(ow.page, d.base, org.token);
  await ow.page.goto(`${d.base}/#/fairs/${fair.id}/overview`);
  await ow.page.locator('#run-match').waitFor();
  // Both streams are open before the run (EventSource connects as the page starts).
  await cw.page.waitForTimeout(300);

  await ow.page.click('#run-match');
  const t0 = Date.now();
  // The publication and its proposal.
  await cw.page.locator('#inbox-count').filter({ hasText: String(before + 2) }).waitFor({ timeout: LIVE_MS });
  t.diagnostic(`inbox: ${Date.now() - t0} ms`);
  await cw.page.click('#inbox-btn');
  const item = cw.page.locator('#inbox-panel li').first();
  assert.match(await item.innerText(), /实时推送测试对接会.*实时推送测试：长者助餐/s);
  assert.match(await cw.page.locator('#inbox-panel li').nth(1).innerText(), /实时推送测试对接会已发布匹配结果：1 对/);
  assert.equal(await cw.page.locator('#inbox-count').count(), 0, 'opened: read');

  // The community answers on its own page; the organizer's list follows.
  const m = (await d.api(org.token, 'fair.matches', { fair: fair.id })).items[0];
  await ow.page.goto(`${d.base}/#/fairs/${fair.id}/matches`);
  const orow = ow.page.locator(`#match-table tr[data-match="${m.id}"]`);
  await orow.waitFor();
  assert.equal(await orow.locator('.badge').innerText(), '待确认');
  assert.match(await ow.page.locator('#response-counts').innerText(), /待确认 1/);
  await item.locator('a').click();
  const crow = cw.page.locator(`#my-matches tr[data-match="${m.id}"]`);
  await crow.waitFor();
  await crow.getByRole('button', { name: '接受' }).click();
  await orow.locator('[data-status="accepted_by_community"]').waitFor({ timeout: LIVE_MS });
  assert.match(await ow.page.locator('#response-counts').innerText(), /一方已接受 1 · 待确认 0/);
  // The organisation confirms (through the API): the community's list shows it.
  await d.api(partner.token, 'match.respond', { match: m.id, decision: 'accept' });
  await crow.locator('[data-status="confirmed"]').waitFor({ timeout: LIVE_MS });
  await orow.locator('[data-status="confirmed"]').waitFor({ timeout: LIVE_MS });
  assert.deepEqual(cw.errors, []);
  assert.deepEqual(ow.errors, []);
});
