// lib.mjs: what the browser tests share: a real bin/matchd on free ports
// with the demo district in a temporary database, the API over HTTP, and
// Debian's chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MATCHD = process.env.MATCHD || join(ROOT, 'bin', 'matchd');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Start matchd --demo; resolves to { base, tokens, api, stop }.
export async function startDaemon() {
  const dir = mkdtempSync(join(tmpdir(), 'matchd-browser-'));
  const db = join(dir, 'demo.db');
  const native = await freePort();
  const http = await freePort();
  const log = [];
  const proc = spawn(MATCHD, ['-c', '/dev/null', '-D', db, '-l', `127.0.0.1:${native}`,
    '-H', `127.0.0.1:${http}`, '-o', 'limits.rate_per_token=0', '--demo'], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (d) => log.push(String(d)));
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  const base = `http://127.0.0.1:${http}`;
  for (let i = 0; ; i++) {
    if (exited !== null) throw new Error(`matchd exited ${exited}: ${log.join('')}`);
    if (i > 300) { proc.kill('SIGKILL'); throw new Error(`matchd did not answer on ${base}: ${log.join('')}`); }
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok && existsSync(db + '.tokens')) break;
    } catch (e) { /* not yet */ }
    await sleep(100);
  }
  const tokens = readFileSync(db + '.tokens', 'utf8').split('\n').filter(Boolean).map((l) => {
    const [role, code, token, name, street] = l.split('\t');
    return { role, code, token, name, street };
  });
  async function api(token, op, args) {
    const r = await fetch(`${base}/v1/op/${op}`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(args || {}),
    });
    const body = await r.json();
    if (!body.ok) throw new Error(`${op}: ${body.error.code}: ${body.error.message}`);
    return body.result;
  }
  async function stop() {
    if (exited === null) {
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([done, sleep(5000)]);
      if (exited === null) proc.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return { base, tokens, api, stop, log };
}

// Debian's chromium with a fresh profile.
export async function startBrowser(opts = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'matchd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', `--lang=${opts.locale || 'zh-CN'}`],
    viewport: opts.viewport || { width: 1280, height: 900 },
    deviceScaleFactor: opts.deviceScaleFactor || 1,
    isMobile: !!opts.isMobile,
    hasTouch: !!opts.isMobile,
    locale: opts.locale || 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    // date and time inputs follow the system locale: 2026/12/05, 24 hours
    env: Object.assign({}, process.env, opts.locale === 'en-US' ? { LANG: 'en_US.UTF-8', LANGUAGE: 'en_US:en' }
      : { LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN:zh' }),
  });
  async function close() {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { context, close };
}

// A new page whose console errors and uncaught exceptions are collected.
export async function watchedPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} ${JSON.stringify(m.location())}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    const f = r.failure();
    // A download's blob: URL is revoked after use; that is not a failure.
    if (!r.url().startsWith('blob:')) errors.push(`requestfailed: ${r.url()} ${f && f.errorText}`);
  });
  return { page, errors };
}

export async function signIn(page, base, token, opts = {}) {
  await page.goto(base + '/');
  await page.getByLabel(/访问令牌|Access token/).fill(token);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  if (opts.expectOk !== false) await page.locator('#nav a').first().waitFor();
}
