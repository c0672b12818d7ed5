// (d) a screener completes the short screening in Arabic (right-to-left) and sees the result,
// its explanation and the referral buttons; (e) the same in English, Spanish and French;
// (f) the coverage chart renders with the screenings recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, messages, newPage, screenshot, serverAndBrowser } from './harness.mjs';

const ctx = serverAndBrowser();

/** Fills the setup step of the short screener and starts the questions. */
async function setUp(page, lang, reference) {
  await page.goto(ctx.server.url + '/#/screening');
  await page.locator('[data-testid=screening-setup]').waitFor();
  await page.locator('#screening-language').selectOption(lang);
  await page.locator('input[name=instrument-kind][value=screener]').check();
  await page.locator('#screening-age').fill('34');
  await page.locator('#screening-source').selectOption('labour_inspection');
  await page.locator('#screening-interpreter').check();
  await page.locator('#screening-interpreter-language').fill(lang);
  await page.locator('#screening-nationality').fill('NG');
  await page.locator('#screening-person-ref').fill(reference);
  await page.locator('[data-testid=screening-setup] button[type=submit]').click();
  // Consent with the confidentiality limits read out and the right to stop, then the danger
  // check (issue #8); screening_workflow.test.mjs tests both steps.
  await page.locator('#consent-confidentiality').check();
  await page.locator('#consent-right-to-stop').check();
  await page.locator('input[name=consent-given][value=yes]').check();
  await page.locator('[data-testid=screening-consent] button.button-primary').click();
  await page.locator('input[name=safety-someone-waiting][value=no]').check();
  await page.locator('input[name=safety-family-at-risk][value=no]').check();
  await page.locator('[data-testid=screening-safety] button.button-primary').click();
  await page.locator('[data-testid=screening-questions] fieldset.question').first().waitFor();
}

/** Answers every question: `pick(index)` gives yes, no or unknown. */
async function answerGrouped(page, pick) {
  await page.locator('input[name=question-mode][value=grouped]').check();
  const questions = page.locator('[data-testid=screening-questions] fieldset.question');
  const count = await questions.count();
  assert.ok(count > 0, 'the screener has questions');
  for (let i = 0; i < count; i++) await questions.nth(i).locator(`input[value=${pick(i)}]`).check();
  return count;
}

async function finish(page) {
  await page.locator('[data-testid=screening-questions] .form-actions button.button-primary').last().click();
  const result = page.locator('[data-testid=screening-result]');
  await result.waitFor();
  return result;
}

test('screener: short screening in Arabic, right to left, with result, explanation and referrals', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'screener');
  await setUp(page, 'ar', 'E2E-AR-001');
  const html = page.locator('html');
  assert.equal(await html.getAttribute('dir'), 'rtl');
  assert.equal(await html.getAttribute('lang'), 'ar');
  const ar = messages('ar');
  // The interface and the questions are in Arabic.
  assert.equal((await page.locator('main h1').textContent()).trim(), ar['screening.title']);
  const firstQuestion = await page.locator('fieldset.question legend').first().textContent();
  assert.match(firstQuestion, /[\u0600-\u06FF]/, 'question text in Arabic script');
  await screenshot(page, 'screening-ar-questions');

  // One question per screen: next moves on, and the answer is kept.
  await page.locator('input[name=question-mode][value=one]').check();
  await page.locator('fieldset.question input[value=yes]').check();
  await page.getByRole('button', { name: ar['screening.next'] }).click();
  assert.match(await page.locator('.step-label').textContent(), /2/);

  await answerGrouped(page, () => 'yes');
  const result = await finish(page);
  assert.equal(await html.getAttribute('dir'), 'rtl');
  const outcome = result.locator('[data-testid=result-outcome]');
  const outcomeId = await outcome.getAttribute('data-outcome');
  assert.ok(outcomeId && outcomeId !== 'unknown', `an outcome (${outcomeId})`);
  const outcomeText = await outcome.locator('.outcome-value').textContent();
  assert.match(outcomeText, /[\u0600-\u06FF]/, 'outcome in Arabic');
  if (ar['outcome.' + outcomeId]) assert.equal(outcomeText, ar['outcome.' + outcomeId]);
  await result.locator('[data-testid=result-explanation]').waitFor();
  assert.ok((await result.locator('[data-testid=result-explanation] li.dimension').count()) > 0, 'per-dimension explanation');

  const referrals = result.locator('[data-testid=result-referrals] button[data-referral]');
  assert.ok((await referrals.count()) > 0, 'referral buttons');
  const first = referrals.first();
  await first.click();
  await result.locator('[data-testid=result-referrals] button.is-done').first().waitFor();
  await screenshot(page, 'screening-ar-result');
  assert.deepEqual(page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);
  await page.context().close();
});

for (const lang of ['en', 'es', 'fr']) {
  test(`screener: short screening in ${lang} shows the outcome`, async () => {
    const page = await newPage(ctx.browser);
    await login(page, ctx.server.url, 'screener');
    await setUp(page, lang, `E2E-${lang.toUpperCase()}-001`);
    const m = messages(lang);
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    assert.equal((await page.locator('main h1').textContent()).trim(), m['screening.title']);
    // A mix of answers: yes, no, don't know.
    await answerGrouped(page, (i) => ['yes', 'no', 'unknown'][i % 3]);
    const result = await finish(page);
    const outcome = result.locator('[data-testid=result-outcome]');
    const outcomeId = await outcome.getAttribute('data-outcome');
    assert.ok(outcomeId && outcomeId !== 'unknown', `an outcome (${outcomeId})`);
    assert.equal((await outcome.locator('.outcome-label').textContent()).trim(), m['result.outcome']);
    if (m['outcome.' + outcomeId]) assert.equal(await outcome.locator('.outcome-value').textContent(), m['outcome.' + outcomeId]);
    await screenshot(page, `screening-${lang}-result`);
    await page.context().close();
  });
}

test('analyst: the coverage chart renders with the recorded screenings', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'analyst');
  await page.locator('nav.mainnav a[data-nav=screening]').click();
  const coverage = page.locator('[data-testid=coverage]');
  await coverage.waitFor();
  // An analyst may not screen: only the coverage is shown.
  assert.equal(await page.locator('[data-testid=screening-setup]').count(), 0);
  await coverage.locator('[data-testid=coverage-chart] svg, [data-testid=coverage-chart] canvas').first().waitFor();
  await coverage.locator('[data-testid=outcomes-chart] svg, [data-testid=outcomes-chart] canvas').first().waitFor();
  // The same figures as a table, for screen readers.
  const rows = coverage.locator('[data-testid=coverage-table] tbody tr');
  assert.ok((await rows.count()) > 0);
  const table = await coverage.locator('[data-testid=coverage-table]').textContent();
  assert.match(table, /Labour inspection/);
  await coverage.locator('details.data-table summary').click();
  await screenshot(page, 'coverage-analyst');
  await page.context().close();
});
