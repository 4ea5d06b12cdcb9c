// screenshots.mjs: write docs/screenshots/*.png of the main views, on a
// real matchd with the demo district (node tests/browser/screenshots.mjs).
// Prints every console error it saw and exits 1 if there was one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startDaemon, startBrowser, watchedPage, signIn } from './lib.mjs';

const out = process.env.SHOTS || join(ROOT, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

// Fairs are dated today or later (fair.create refuses the past).
function later(days) {
  const t = new Date(Date.now() + days * 86400000);
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

const d = await startDaemon();
const all = [];
// The toast fades by itself; in a still picture it only covers the view.
// (Through the CSSOM: the page's policy refuses an inline <style>.)
const quiet = (ctx) => ctx.addInitScript(() => {
  document.addEventListener('DOMContentLoaded', () => {
    // (through the CSSOM: the page's Content-Security-Policy refuses <style>)
    const el = document.getElementById('toast');
    if (el) el.style.setProperty('display', 'none', 'important');
  });
});
try {
  const org = d.tokens.find((x) => x.role === 'organizer' && x.street && x.street !== '-');
  // Two runs give the comparison something to compare.
  const fair = (await d.api(org.token, 'fair.create', { name: `${org.street}民生微实事对接会`, date: later(60), start: '09:00', tables: 8, slots: 12 })).fair;
  await d.api(org.token, 'fair.create', { name: `${org.street}年中补充对接会`, date: later(20), tables: 6, slots: 8 });
  await d.api(org.token, 'fair.enroll', { fair: fair.id, all: true });
  await d.api(org.token, 'fair.match', { fair: fair.id, algorithm: 'greedy' });

  const b = await startBrowser();
  await quiet(b.context);
  try {
    const { page, errors } = await watchedPage(b.context);
    all.push(errors);
    await page.goto(d.base + '/');
    await page.getByLabel('访问令牌').waitFor();
    await page.screenshot({ path: join(out, 'signin.png') });

    await signIn(page, d.base, org.token);
    await page.locator('table tbody tr').first().waitFor();
    await page.screenshot({ path: join(out, 'fairs.png') });

    await page.goto(`${d.base}/#/fairs/${fair.id}`);
    await page.locator('#run-match').waitFor();
    await page.selectOption('#algorithm', 'optimal');
    await page.click('#run-match');
    await page.locator('#match-table tbody tr').first().waitFor();
    await page.screenshot({ path: join(out, 'matches.png') });

    await page.click('#make-schedule');
    await page.locator('#schedule-grid').waitFor();
    await page.screenshot({ path: join(out, 'schedule.png') });

    await page.click('#tab-chart');
    await page.locator('#cap-chart').waitFor();
    await page.screenshot({ path: join(out, 'chart.png'), fullPage: true });

    await page.click('#tab-runs');
    await page.locator('#runs-table').waitFor();
    await page.screenshot({ path: join(out, 'runs.png') });

    const { page: ap, errors: ae } = await watchedPage(b.context);
    all.push(ae);
    const admin = d.tokens.find((x) => x.role === 'admin');
    await signIn(ap, d.base, admin.token);
    await ap.goto(`${d.base}/#/oversight`);
    await ap.locator('#risk-list li').first().waitFor();
    await ap.locator('#orgs-table').waitFor();
    await ap.locator('#cat-table').waitFor();
    await ap.mouse.move(0, 0); // no row under the pointer
    await ap.screenshot({ path: join(out, 'bureau.png'), fullPage: true });
    await ap.close();

    const { page: cp, errors: ce } = await watchedPage(b.context);
    all.push(ce);
    const m = await d.api(org.token, 'fair.matches', { fair: fair.id });
    const code = m.items[0].community;
    const comm = d.tokens.find((x) => x.role === 'community' && x.code === code);
    await signIn(cp, d.base, comm.token);
    await cp.locator('#need-table tbody tr').first().waitFor();
    await cp.locator('#need-table tbody tr[data-id] >> text=推荐').first().click();
    await cp.locator('.suggest ol, .suggest .empty').first().waitFor();
    await cp.screenshot({ path: join(out, 'community-needs.png') });
    await cp.goto(`${d.base}/#/matches`);
    await cp.locator('#my-matches tbody tr').first().waitFor();
    const row = cp.locator(`#my-matches tr[data-match="${m.items[0].id}"]`);
    await row.locator('[data-action="accept"]').click();
    await row.locator('[data-status="accepted_by_community"]').waitFor();
    await cp.screenshot({ path: join(out, 'community-matches.png') });

    // Projects: a community's vote owed (the quorum rule), an organisation's
    // work, the bureau's stage board and monthly report, the public board.
    const delib = (await d.api(admin.token, 'project.list', { stage: 'deliberation', limit: 1000 })).items
      .find((p) => !p.overdue);
    const voter = d.tokens.find((x) => x.role === 'community' && x.code === delib.community);
    const { page: vp, errors: ve } = await watchedPage(b.context);
    all.push(ve);
    await signIn(vp, d.base, voter.token);
    await vp.goto(`${d.base}/#/projects`);
    await vp.locator(`#vote-${delib.id}`).waitFor();
    await vp.locator(`#project-${delib.id}`).scrollIntoViewIfNeeded();
    await vp.screenshot({ path: join(out, 'projects-vote.png') });
    await vp.close();
    const impl = (await d.api(admin.token, 'project.list', { stage: 'implementing', limit: 1000 })).items[0];
    const doer = d.tokens.find((x) => x.role === 'org' && x.code === impl.org);
    const { page: op, errors: oe } = await watchedPage(b.context);
    all.push(oe);
    await signIn(op, d.base, doer.token);
    await op.goto(`${d.base}/#/projects`);
    await op.locator(`#complete-${impl.id}`).waitFor();
    await op.screenshot({ path: join(out, 'projects-org.png') });
    await op.close();
    const { page: bp, errors: be } = await watchedPage(b.context);
    all.push(be);
    await signIn(bp, d.base, admin.token);
    await bp.goto(`${d.base}/#/board`);
    await bp.locator('#stage-board').waitFor();
    await bp.locator('tr[data-street="清水河街道"] td.late button').click();
    await bp.locator('#board-projects article.project').first().waitFor();
    await bp.waitForTimeout(600);
    await bp.evaluate(() => window.scrollTo(0, 0));
    await bp.mouse.move(0, 0);
    await bp.screenshot({ path: join(out, 'board.png'), fullPage: true });
    await bp.goto(`${d.base}/#/report`);
    await bp.locator('#report-rank').waitFor();
    await bp.screenshot({ path: join(out, 'report.png'), fullPage: true });
    await bp.goto(`${d.base}/public/`);
    await bp.getByRole('heading', { name: '民生微实事项目公示' }).waitFor();
    await bp.screenshot({ path: join(out, 'public-board.png'), fullPage: true });
    await bp.close();
    // the organisation accepts too: the pair is confirmed and counts against
    // the cap; a neighbour asks this community to share a need
    const orgAcct = d.tokens.find((x) => x.role === 'org' && x.code === m.items[0].org);
    await d.api(orgAcct.token, 'match.respond', { match: m.items[0].id, decision: 'accept' });
    const owner = d.tokens.find((x) => x.role === 'community' && x.street === comm.street && x.code !== comm.code);
    const shared = (await d.api(owner.token, 'need.post', { title: '两社区共建长者食堂', category: 'service.elderly',
      budget: 60000, partners: [comm.code], description: '两个社区的长者共用一处食堂，预算平均分摊。' })).need;
    await cp.goto(`${d.base}/#/needs`);
    await cp.locator('#cap-table tbody tr').first().waitFor();
    await cp.locator(`tr[data-consent="${shared.id}"]`).waitFor();
    await cp.screenshot({ path: join(out, 'cap.png') });
    await cp.locator(`tr[data-consent="${shared.id}"]`).scrollIntoViewIfNeeded();
    await cp.screenshot({ path: join(out, 'consent.png') });

    // the organizer publishes the earlier run: the schedule of run 2 is stale
    await page.click('#tab-runs');
    await page.locator('#runs-table [data-publish="1"]').click();
    await page.locator('#runs-table td[data-run="1"] .badge').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(out, 'publish.png') });
    await page.click('#tab-schedule');
    await page.locator('#schedule-stale').waitFor();
    await page.screenshot({ path: join(out, 'stale.png') });
  } finally {
    await b.close();
  }

  const phone = await startBrowser({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
  await quiet(phone.context);
  try {
    const { page, errors } = await watchedPage(phone.context);
    all.push(errors);
    await signIn(page, d.base, org.token);
    await page.goto(`${d.base}/#/fairs/${fair.id}/matches`);
    await page.locator('#match-table tbody tr').first().waitFor();
    await page.evaluate(() => document.querySelector('.tabs').scrollIntoView());
    await page.screenshot({ path: join(out, 'phone-matches.png') });
  } finally {
    await phone.close();
  }
} finally {
  await d.stop();
}
const errs = all.flat();
for (const e of errs) console.error(e);
console.log(`screenshots in ${out}; ${errs.length} console errors`);
process.exit(errs.length ? 1 : 0);
