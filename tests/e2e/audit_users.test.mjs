// (b) the auditor sees the verified audit log with its entries; the admin sees the
// verification only; (c) the admin adds a user, who can then sign in, and disables them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, newPage, screenshot, serverAndBrowser } from './harness.mjs';

const ctx = serverAndBrowser();

test('auditor: the audit log is verified and lists the latest entries, newest first', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'auditor');
  await page.locator('nav.mainnav a[data-nav=audit]').click();
  const status = page.locator('[data-testid=audit-status]');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-ok'), 'true');
  assert.match(await status.textContent(), /Verified/);
  const head = page.locator('[data-testid=audit-head]');
  assert.match(await head.textContent(), /Tree size\s*\d+/);
  assert.match(await head.textContent(), /[0-9a-f]{64}/);

  const rows = page.locator('[data-testid=audit-entries] tbody tr');
  await rows.first().waitFor();
  const seqs = await page.locator('[data-testid=audit-entries] tbody th').allTextContents();
  assert.ok(seqs.length > 0);
  const numbers = seqs.map(Number);
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), 'newest first');
  // The auditor's own login is in the log.
  const text = await page.locator('[data-testid=audit-entries]').textContent();
  assert.match(text, /session\.login/);
  await screenshot(page, 'audit-auditor');

  // "Load more" pages back with before=SEQ: older entries follow, still newest first.
  const more = page.getByRole('button', { name: 'Load more' });
  const total = Number((await status.textContent()).match(/(\d+) entries/)[1]);
  assert.equal(await more.count(), total > 50 ? 1 : 0, `Load more shown when the log has more than a page (${total})`);
  if (total > 50) {
    const before = await rows.count();
    await more.click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=audit-entries] tbody tr').length > n,
      before,
    );
    const all = (await page.locator('[data-testid=audit-entries] tbody th').allTextContents()).map(Number);
    assert.deepEqual(all, [...all].sort((a, b) => b - a), 'newest first after load more');
    assert.equal(new Set(all).size, all.length, 'no entry twice');
  }
  await page.context().close();
});

test('admin: verification only, no entries', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'admin');
  await page.goto(ctx.server.url + '/#/audit');
  await page.locator('[data-testid=audit-status]').waitFor();
  assert.equal(await page.locator('[data-testid=audit-entries]').count(), 0);
  assert.match(await page.locator('main').textContent(), /may verify the log but not read its entries/);
  await page.context().close();
});

test('admin adds a user, who signs in; then disables them', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'admin');
  await page.locator('nav.mainnav a[data-nav=users]').click();
  await page.locator('[data-testid=users-table]').waitFor();
  assert.ok(await page.locator('[data-testid=users-table] tr[data-username=admin]').count());

  const password = 'a-long-e2e-passphrase-2026';
  await page.getByLabel('Username').fill('e2e_screener');
  await page.getByLabel('Initial password').fill(password);
  await page.getByLabel('Role').selectOption('screener');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.locator('[data-testid=users-table] tr[data-username=e2e_screener]').waitFor();
  await page.getByText('e2e_screener was added.').waitFor();
  await screenshot(page, 'users-added');

  // The new account works.
  const other = await newPage(ctx.browser);
  await login(other, ctx.server.url, 'e2e_screener', password);
  assert.equal(await other.locator('[data-testid=user-role]').getAttribute('data-role'), 'screener');
  await other.context().close();

  // Disable: asks first, then the row says Disabled.
  const row = page.locator('[data-testid=users-table] tr[data-username=e2e_screener]');
  await row.getByRole('button', { name: 'Disable e2e_screener' }).click();
  await row.locator('.confirm').getByRole('button', { name: 'Disable', exact: true }).click();
  await row.getByText('Disabled').waitFor();
  await page.context().close();
});
