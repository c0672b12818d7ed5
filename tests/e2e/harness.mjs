// Shared by the browser tests: starts the real ctip server on a fresh demo store and a headless
// Debian Chromium (playwright-core, no downloaded browser), and small helpers for the pages.
//
//   CTIP_BINARY          the server binary (default: build/ctip of this checkout)
//   CTIP_DEMO_PASSWORD   the demo users' password (default: ctip-demo-2026)
//   CHROMIUM             the browser (default: /usr/bin/chromium)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const BINARY = process.env.CTIP_BINARY || path.join(ROOT, 'build', 'ctip');
export const WEB_DIST = process.env.CTIP_WEB_DIST || path.join(ROOT, 'web', 'dist');
export const PASSWORD = process.env.CTIP_DEMO_PASSWORD || 'ctip-demo-2026';
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(here, '.tmp');

export const ROLES = ['admin', 'investigator', 'caseworker', 'screener', 'analyst', 'platform_analyst', 'inspector', 'auditor'];

/** The UI text of the workbench, to assert what a person reads in each language: the shell's
 * catalogue and every capability's (web/src/capabilities/<id>/i18n/). */
export function messages(lang) {
  const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
  const all = read(path.join(ROOT, 'web', 'src', 'i18n', `${lang}.json`));
  const capabilities = path.join(ROOT, 'web', 'src', 'capabilities');
  for (const id of readdirSync(capabilities)) {
    const file = path.join(capabilities, id, 'i18n', `${lang}.json`);
    if (existsSync(file)) Object.assign(all, read(file));
  }
  return all;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let serversStarted = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `ctip demo --no-serve` into a temp data dir, then `ctip serve` on a free port; resolves when
 * GET /api/v1/health answers. stop() ends the server and removes the data dir. */
export async function startServer() {
  if (!existsSync(BINARY)) throw new Error(`no server binary at ${BINARY}: build it first (make build)`);
  if (!existsSync(path.join(WEB_DIST, 'index.html')))
    throw new Error(`no front end at ${WEB_DIST}: run 'npm run build' in web/ first`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ctip-e2e-'));
  const env = { ...process.env, CTIP_DEMO_PASSWORD: PASSWORD };
  // `make openapi-check` validates what the servers answered: each server records into its own
  // file (test files run in parallel, and a record file belongs to one process).
  if (process.env.CTIP_API_RECORD_DIR) {
    env.CTIP_API_RECORD = path.join(process.env.CTIP_API_RECORD_DIR, `e2e-${process.pid}-${++serversStarted}.jsonl`);
  }
  const demo = spawnSync(BINARY, ['demo', '--data', dataDir, '--no-serve'], { env, encoding: 'utf8', timeout: 120_000 });
  if (demo.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`ctip demo failed (${demo.status}): ${demo.stderr || demo.stdout}`);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    BINARY,
    ['serve', '--data', dataDir, '--port', String(port), '--bind', '127.0.0.1', '--web', WEB_DIST, '--log-level', 'warn'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`ctip serve exited (${JSON.stringify(exited)}): ${output}`);
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`ctip serve did not answer /api/v1/health within 30 s: ${output}`);
    }
    await sleep(100);
  }

  async function stop() {
    if (!exited) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { url, dataDir, stop, output: () => output };
}

/** Debian's Chromium, headless, with a fresh temporary profile (Playwright's launch()). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new context (its own cookies and storage) and page; console errors are collected. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', ...options });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
  return page;
}

export async function login(page, baseUrl, username, password = PASSWORD) {
  await page.goto(`${baseUrl}/`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('[data-testid=user-name]').waitFor();
}

export async function navEntries(page) {
  return page.locator('nav.mainnav a[data-nav]:not([data-nav=home])').evaluateAll((links) => links.map((a) => a.dataset.nav));
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// One real server and one browser for the tests of a file: started before them, stopped after.
// The returned object's `server` and `browser` are set once the tests run.
export function serverAndBrowser() {
  const ctx = { server: undefined, browser: undefined };
  before(async () => {
    ctx.server = await startServer();
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
  });
  return ctx;
}
