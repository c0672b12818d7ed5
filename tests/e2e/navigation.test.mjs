// (a) every role sees the navigation its permissions open, and a page it may not open says
// "not permitted"; (g) logout; (h) login and navigation on a phone-sized screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, navEntries, newPage, screenshot, serverAndBrowser } from './harness.mjs';

// What each demo user's navigation shows (besides Home), from data/permissions.json; the
// placeholder (sharing) follows web/src/capabilities/<id>/index.ts; cases opens with cases.read,
// providers.read, investigations.read or dashboards.read.
const EXPECTED = {
  admin: { nav: ['screening', 'cases', 'users', 'audit'], forbidden: 'flows' },
  investigator: { nav: ['screening', 'online', 'sharing', 'cases'], forbidden: 'flows' },
  caseworker: { nav: ['screening', 'cases'], forbidden: 'audit' },
  screener: { nav: ['screening', 'cases'], forbidden: 'users' },
  analyst: { nav: ['screening', 'flows', 'cases'], forbidden: 'audit' },
  platform_analyst: { nav: ['online', 'sharing'], forbidden: 'screening' },
  inspector: { nav: ['screening', 'cases'], forbidden: 'users' },
  auditor: { nav: ['audit'], forbidden: 'screening' },
};

const ctx = serverAndBrowser();

test('the login page has labelled fields and refuses a wrong password', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(ctx.server.url + '/');
  await page.getByLabel('Username').fill('screener');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
  await screenshot(page, 'login-error');
  await page.context().close();
});

test('too many failed logins: the login page says how long to wait', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(ctx.server.url + '/');
  // Five failures for one username (src/auth LoginThrottle::kMaxFailures), then the form.
  for (let i = 0; i < 5; i++) {
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/v1/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'e2e_throttled', password: 'wrong' }),
      });
      return r.status;
    });
    assert.equal(status, 401);
  }
  await page.getByLabel('Username').fill('e2e_throttled');
  await page.getByLabel('Password').fill('wrong-again');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.filter({ hasText: 'Too many sign-in attempts' }).waitFor();
  assert.match(await alert.textContent(), /Try again in \d+ seconds/);
  assert.ok(await page.getByRole('button', { name: 'Sign in' }).isDisabled());
  await page.context().close();
});

test('keyboard only: sign in, skip to content, move through the navigation', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(ctx.server.url + '/');
  await page.locator('#login-username').waitFor();
  // The username field has focus on arrival.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-username');
  await page.keyboard.type('screener');
  await page.keyboard.press('Tab');
  await page.keyboard.type(process.env.CTIP_DEMO_PASSWORD || 'ctip-demo-2026');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=user-name]').waitFor();
  // First Tab: the skip link; Enter moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  // A navigation link is reached with Tab and followed with Enter; focus is visible.
  const link = page.locator('nav.mainnav a[data-nav=screening]');
  await link.focus();
  const outline = await link.evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none', 'visible focus');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=screening-setup]').waitFor();
  await page.context().close();
});

for (const [role, expected] of Object.entries(EXPECTED)) {
  test(`${role}: navigation follows the permissions; a forbidden page says not permitted`, async () => {
    const page = await newPage(ctx.browser);
    await login(page, ctx.server.url, role);
    assert.equal(await page.locator('[data-testid=user-name]').textContent(), role);
    assert.equal(await page.locator('[data-testid=user-role]').getAttribute('data-role'), role);
    assert.match(await page.locator('[data-testid=user-organisation]').textContent(), /\S/);
    assert.deepEqual(await navEntries(page), expected.nav);
    if (role === 'investigator') await screenshot(page, 'shell-investigator');

    // Each visible entry opens its page (no "not permitted").
    for (const id of expected.nav) {
      await page.locator(`nav.mainnav a[data-nav=${id}]`).click();
      await page.waitForFunction((h) => location.hash === h, `#/${id}`);
      await page.locator('main h1').waitFor();
      assert.equal(await page.locator('[data-testid=not-permitted]').count(), 0, `${role} may open ${id}`);
    }

    await page.goto(`${ctx.server.url}/#/${expected.forbidden}`);
    const denied = page.locator('[data-testid=not-permitted]');
    await denied.waitFor();
    assert.match(await denied.textContent(), /Not permitted/);
    assert.deepEqual(page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);
    await page.context().close();
  });
}

test('placeholders say coming', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'investigator');
  await page.locator('nav.mainnav a[data-nav=sharing]').click();
  const coming = page.locator('[data-testid=coming]');
  await coming.waitFor();
  assert.match(await coming.textContent(), /coming/i);
  await page.context().close();
});

test('logout ends the session', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'caseworker');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#login-username').waitFor();
  // The cookie is gone: a reload shows the login page again, and the API says 401.
  await page.reload();
  await page.locator('#login-username').waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(status, 401);
  await page.context().close();
});

test('phone-sized screen (390x844): login and navigation', async () => {
  const page = await newPage(ctx.browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(ctx.server.url + '/');
  await screenshot(page, 'phone-login');
  await login(page, ctx.server.url, 'investigator');
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the screen`);
  await page.locator('nav.mainnav a[data-nav=screening]').tap();
  await page.locator('[data-testid=screening-setup]').waitFor();
  await page.locator('nav.mainnav a[data-nav=online]').tap();
  await page.locator('[data-testid=online-networks]').waitFor();
  await screenshot(page, 'phone-shell');
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow2 <= 1, `page is ${overflow2}px wider than the screen`);
  await page.context().close();
});
