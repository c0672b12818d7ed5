// Issue #8, the screening workflow at the front line, in Arabic on a 390×844 phone: consent →
// danger check → screener → result that leads with "refer now" and offers the referrals; a
// reload in the middle of the questions resumes the draft saved on the server; the printed
// summary (print stylesheet) and the PDF export; the urgent path straight from the danger check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PASSWORD, SHOTS, login, messages, newPage, screenshot, serverAndBrowser } from './harness.mjs';

const ctx = serverAndBrowser();
const ar = messages('ar');
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'ar', hasTouch: true, isMobile: true };

// Answers that give possible or presumed trafficking under the ILO rule (deceptive recruitment,
// exploitation, coercion at destination), so "refer now" holds with or without the engine's
// action field.
const YES = ['s_job_different', 's_long_hours', 's_little_or_no_pay', 's_documents_kept', 's_not_free_to_leave', 's_hurt'];

async function arabicPage() {
  const page = await newPage(ctx.browser, PHONE);
  // The interface in Arabic from the first paint, on every load (reloads included).
  await page.addInitScript(() => localStorage.setItem('ctip.lang', 'ar'));
  await login(page, ctx.server.url, 'screener');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  return page;
}

async function setUp(page, reference, { age = '29', interviewLang = 'ar', sex = 'female' } = {}) {
  await page.goto(ctx.server.url + '/#/screening');
  const setup = page.locator('[data-testid=screening-setup]');
  await setup.waitFor();
  await page.locator('#screening-interview-language').selectOption(interviewLang);
  await page.locator('input[name=instrument-kind][value=screener]').check();
  await page.locator('#screening-age').fill(age);
  await page.locator('#screening-source').selectOption('border');
  await page.locator('#screening-place').fill('معبر الحدود');
  await page.locator('#screening-sex').selectOption(sex);
  await page.locator('#screening-interpreter').check();
  await page.locator('#screening-interpreter-language').fill('ar');
  await page.locator('#screening-person-ref').fill(reference);
  await setup.locator('button[type=submit]').click();
}

/** The screener's questions as the API serves them in `lang`, by id (text, text_feminine,
 * text_child, text_child_feminine). */
async function screenerTexts(page, lang) {
  const doc = await (await page.request.get(`${ctx.server.url}/api/v1/screen/screener?lang=${lang}`)).json();
  return Object.fromEntries(doc.questions.map((q) => [q.id, q]));
}

async function legendOf(page, id) {
  return (await page.locator(`fieldset[data-question-id=${id}] legend > span`).first().textContent()).trim();
}

async function consent(page, ui = ar) {
  const step = page.locator('[data-testid=screening-consent]');
  await step.waitFor();
  assert.equal((await step.locator('h2').textContent()).trim(), ui['consent.title']);
  // The script is read out in the interview's language (Arabic, as setUp chooses).
  assert.equal((await step.locator('.script-main').textContent()).trim(), ar['consent.script']);
  // Consent cannot be recorded before both points are read out.
  assert.equal(await step.locator('input[name=consent-given][value=yes]').isDisabled(), true);
  await page.locator('#consent-confidentiality').check();
  await page.locator('#consent-right-to-stop').check();
  await step.locator('input[name=consent-given][value=yes]').check();
  await step.locator('button.button-primary').click();
}

async function dangerCheck(page, someoneWaiting, familyAtRisk, interview = ar) {
  const step = page.locator('[data-testid=screening-safety]');
  await step.waitFor();
  assert.match(await step.textContent(), new RegExp(interview['safety.someone_waiting'].slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await step.locator(`input[name=safety-someone-waiting][value=${someoneWaiting}]`).check();
  await step.locator(`input[name=safety-family-at-risk][value=${familyAtRisk}]`).check();
  await step.locator('button.button-primary').click();
}

async function answer(page, id, value) {
  await page.locator(`fieldset[data-question-id=${id}] input[value=${value}]`).check();
}

/** Waits until the draft in the address holds `expected` answers on the server. */
async function waitSaved(page, expected) {
  await page.locator('[data-testid=draft-status][data-status=saved]').waitFor();
  const id = Number(page.url().match(/draft=(\d+)/)?.[1]);
  assert.ok(id > 0, `a draft in the address (${page.url()})`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { draft } = await (await page.request.get(`${ctx.server.url}/api/v1/screenings/drafts/${id}`)).json();
    const answers = draft.state.answers ?? {};
    if (Object.entries(expected).every(([q, a]) => answers[q] === a)) return draft;
    if (Date.now() > deadline) assert.fail(`the draft holds ${JSON.stringify(answers)}, not ${JSON.stringify(expected)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function noSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the page fits 390 px (scrollWidth ${width})`);
}

function pdfText(bytes) {
  if (!existsSync('/usr/bin/pdftotext')) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'ctip-pdf-'));
  try {
    const file = path.join(dir, 'summary.pdf');
    writeFileSync(file, bytes);
    const r = spawnSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Arabic, 390×844: consent → danger check → screener (reload in the middle) → refer now, printed and exported', async () => {
  const page = await arabicPage();
  const reference = 'E2E-AR-FLOW-1';
  await setUp(page, reference);
  await consent(page);
  await dangerCheck(page, 'no', 'no');

  const questions = page.locator('[data-testid=screening-questions]');
  await questions.locator('fieldset.question').first().waitFor();
  await page.locator('input[name=question-mode][value=grouped]').check();
  // The questions are in Arabic; sensitive ones come last, with the note to the interviewer.
  assert.match(await questions.locator('fieldset.question legend').first().textContent(), /[\u0600-\u06FF]/);
  const ids = await questions.locator('fieldset.question').evaluateAll((f) => f.map((e) => e.dataset.questionId));
  assert.ok(ids.length >= 10, `the screener's questions (${ids.length})`);
  const sensitive = ['s_hurt', 's_sexual'].filter((id) => ids.includes(id));
  assert.ok(sensitive.length > 0, 'the screener has sensitive questions');
  for (const id of sensitive) assert.ok(ids.indexOf(id) >= ids.length - sensitive.length, `${id} is asked last`);
  const lastGroup = questions.locator('section.question-group').last();
  assert.equal((await lastGroup.locator('h3').textContent()).trim(), ar['sensitive.title']);
  assert.equal((await lastGroup.locator('.interviewer-note').textContent()).trim(), ar['sensitive.note']);
  // Asked of a woman: the Arabic feminine wording (تُحبسين, not تُحبس), and the page says so.
  const texts = await screenerTexts(page, 'ar');
  assert.match(texts.s_not_free_to_leave.text_feminine, /تُحبسين/);
  assert.equal(await legendOf(page, 's_not_free_to_leave'), texts.s_not_free_to_leave.text_feminine);
  assert.equal(await legendOf(page, 's_long_hours'), texts.s_long_hours.text_feminine);
  assert.equal((await questions.locator('[data-testid=question-wording]').textContent()).trim(), ar['screening.wording.female']);
  await noSidewaysScroll(page);

  // Half of the answers, each saved on the server as it is given.
  const half = ids.slice(0, Math.ceil(ids.length / 2));
  const given = {};
  for (const id of half) {
    given[id] = YES.includes(id) ? 'yes' : 'no';
    await answer(page, id, given[id]);
  }
  const saved = await waitSaved(page, given);
  assert.equal(saved.status, 'open');
  assert.equal(saved.state.step, 'questions');
  const draftUrl = page.url();
  assert.match(draftUrl, /#\/screening\?draft=\d+$/);
  await screenshot(page, 'workflow-ar-before-reload');

  // A reload (or a session that ended) loses nothing: the draft is resumed where it was.
  await page.reload();
  await questions.locator('fieldset.question').first().waitFor();
  assert.equal(page.url(), draftUrl);
  for (const id of half)
    assert.equal(
      await page.locator(`fieldset[data-question-id=${id}] input[value=${YES.includes(id) ? 'yes' : 'no'}]`).isChecked(),
      true,
      `${id} kept after the reload`,
    );
  for (const id of ids.slice(half.length)) {
    given[id] = YES.includes(id) ? 'yes' : 'no';
    await answer(page, id, given[id]);
  }
  await waitSaved(page, given);
  await questions.locator('.form-actions button.button-primary').last().click();

  // The result leads with what to do now: refer, with the referrals right there.
  const result = page.locator('[data-testid=screening-result]');
  await result.waitFor();
  const action = result.locator('[data-testid=result-action]');
  assert.equal(await action.getAttribute('data-action'), 'refer_now');
  assert.equal((await action.locator('.action-value').textContent()).trim(), ar['action.refer_now']);
  const outcome = await result.locator('[data-testid=result-outcome]').getAttribute('data-outcome');
  assert.ok(['possible_trafficking', 'presumed_trafficking'].includes(outcome), outcome);
  assert.match(await action.locator('.action-case').textContent(), /\d/, 'the case is offered with the action');
  // Not green: only "no further action" is.
  assert.equal(await result.locator('.outcome-calm, .action-no_further_action').count(), 0);
  // The referrals come right after the action, before the explanation.
  const order = await result.evaluate((el) =>
    ['result-action', 'result-referrals', 'result-outcome', 'result-explanation'].map((id) =>
      [...el.querySelectorAll('[data-testid]')].findIndex((e) => e.dataset.testid === id),
    ),
  );
  assert.ok(order[0] < order[1] && order[1] < order[2], `action, referrals, outcome in that order (${order})`);
  const referral = result.locator('[data-testid=result-referrals] button[data-referral=shelter]');
  await referral.click();
  await result.locator('[data-testid=result-referrals] button[data-referral=shelter].is-done').waitFor();
  assert.match(page.url(), /#\/screening\?screening=\d+$/);
  const screeningId = Number(page.url().match(/screening=(\d+)/)[1]);
  await noSidewaysScroll(page);
  await screenshot(page, 'workflow-ar-result');

  // The draft was completed by the screening: no longer listed as unfinished.
  const drafts = await page.request.get(ctx.server.url + '/api/v1/screenings/drafts');
  assert.equal(drafts.status(), 200);
  assert.equal((await drafts.json()).drafts.filter((d) => d.reference === reference).length, 0);
  // The screening recorded the interview setup: Arabic interview, Arabic interface, interpreter.
  const view = await (await page.request.get(`${ctx.server.url}/api/v1/screenings/${screeningId}`)).json();
  assert.equal(view.screening.language, 'ar');
  assert.equal(view.screening.interview.interface_language, 'ar');
  assert.equal(view.screening.interview.interpreter_language, 'ar');
  assert.equal(view.screening.interview.consent.kind, 'consent');
  assert.equal(view.screening.interview.sex, 'female');
  assert.equal(view.screening.answers.s_job_different, 'yes');

  // The printed summary: only it is printed, with what was recorded and a signature line.
  await page.emulateMedia({ media: 'print' });
  const summary = page.locator('[data-testid=print-summary]');
  assert.equal(await summary.isVisible(), true, 'the summary is printed');
  assert.equal(await page.locator('nav.mainnav').isVisible(), false, 'the navigation is not printed');
  assert.equal(await result.locator('[data-testid=result-action]').isVisible(), false, 'the screen view is not printed');
  const printed = await summary.textContent();
  for (const expected of [reference, 'screener', ar['print.title'], ar['action.refer_now'], ar['print.signature_interviewer'], ar['print.answers']])
    assert.ok(printed.includes(expected), `the printed summary says ${expected}`);
  assert.equal(await summary.locator('[data-print=interpreter]').textContent(), `${ar['answer.yes']} (ar)`);
  assert.ok((await summary.locator('.print-answers tr').count()) >= ids.length, 'every answer is printed');
  await screenshot(page, 'workflow-ar-print');
  await page.emulateMedia({ media: 'screen' });

  // The PDF summary, through the audited export.
  const href = await result.locator('[data-testid=export-pdf]').getAttribute('href');
  const pdf = await page.request.get(ctx.server.url + href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  writeFileSync(path.join(SHOTS, 'workflow-ar-summary.pdf'), bytes);
  const text = pdfText(bytes);
  if (text !== null) {
    assert.ok(text.includes(reference), 'the PDF names the person reference');
    assert.ok(text.includes('screener'), 'the PDF names the interviewer');
  }

  // Reopened after a reload: the result again, from the server.
  await page.reload();
  await result.waitFor();
  assert.equal(await result.locator('[data-testid=result-action]').getAttribute('data-action'), 'refer_now');
  assert.deepEqual(page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);
  await page.context().close();
});

test('Arabic, 390×844: the danger check goes straight to an urgent referral', async () => {
  const page = await arabicPage();
  await setUp(page, 'E2E-AR-URGENT-1');
  await consent(page);
  await dangerCheck(page, 'yes', 'declined');
  const urgent = page.locator('[data-testid=screening-urgent]');
  await urgent.waitFor();
  assert.equal((await urgent.locator('h2').textContent()).trim(), ar['urgent.title']);
  await urgent.locator('[data-testid=urgent-refer]').click();
  const result = page.locator('[data-testid=screening-result]');
  await result.waitFor();
  assert.equal(await result.locator('[data-testid=result-action]').getAttribute('data-action'), 'refer_now');
  await result.locator('[data-testid=result-urgent]').waitFor();
  // The case is offered right there (schema 0011: an urgent danger check opens one).
  await result.locator('[data-testid=result-action] .action-case').waitFor();
  const kinds = await result.locator('[data-testid=result-referrals] button[data-referral]').evaluateAll((b) => b.map((e) => e.dataset.referral));
  for (const kind of ['shelter', 'medical_care', 'legal_aid']) assert.ok(kinds.includes(kind), `${kind} offered at once`);
  await noSidewaysScroll(page);
  await screenshot(page, 'workflow-ar-urgent');
  await page.context().close();
});

test('the interview in Arabic, the interface in French: the screener sees both', async () => {
  const fr = messages('fr');
  const page = await newPage(ctx.browser, { locale: 'fr' });
  await page.addInitScript(() => localStorage.setItem('ctip.lang', 'fr'));
  await login(page, ctx.server.url, 'screener');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await setUp(page, 'E2E-FR-AR-1');
  const step = page.locator('[data-testid=screening-consent]');
  await step.waitFor();
  // The script in Arabic (read out), and in French below it for the screener.
  assert.equal((await step.locator('.script-main').textContent()).trim(), ar['consent.script']);
  assert.equal(await step.locator('.script-main').getAttribute('lang'), 'ar');
  assert.equal((await step.locator('.script-secondary').textContent()).trim(), fr['consent.script']);
  await page.locator('#consent-confidentiality').check();
  await page.locator('#consent-right-to-stop').check();
  await step.locator('input[name=consent-given][value=yes]').check();
  await step.locator('button.button-primary').click();
  await dangerCheck(page, 'no', 'no');
  const first = page.locator('[data-testid=screening-questions] fieldset.question').first();
  await first.waitFor();
  assert.match(await first.locator('legend span[lang=ar]').textContent(), /[\u0600-\u06FF]/, 'asked in Arabic');
  await first.locator('.question-secondary').waitFor();
  assert.doesNotMatch(await first.locator('.question-secondary').textContent(), /[\u0600-\u06FF]/, 'shown in French too');
  // Both in the feminine, the person being a woman: Arabic تُحبسين, French « enfermée ».
  await page.locator('input[name=question-mode][value=grouped]').check();
  const [arTexts, frTexts] = [await screenerTexts(page, 'ar'), await screenerTexts(page, 'fr')];
  const locked = page.locator('fieldset[data-question-id=s_not_free_to_leave]');
  assert.equal((await locked.locator('legend > span').first().textContent()).trim(), arTexts.s_not_free_to_leave.text_feminine);
  assert.match(frTexts.s_not_free_to_leave.text_feminine, /enfermée/);
  assert.equal((await locked.locator('.question-secondary').textContent()).trim(), frTexts.s_not_free_to_leave.text_feminine);
  await page.context().close();
});

test('a girl of 15, interviewed in French: the screener in its child wording, in the feminine, with the English below', async () => {
  const en = messages('en');
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'screener');
  await setUp(page, 'E2E-FR-CHILD-1', { age: '15', interviewLang: 'fr' });
  const step = page.locator('[data-testid=screening-consent]');
  await step.waitFor();
  await page.locator('#consent-confidentiality').check();
  await page.locator('#consent-right-to-stop').check();
  await step.locator('input[name=consent-given][value=yes]').check();
  await step.locator('button.button-primary').click();
  await dangerCheck(page, 'no', 'no', messages('fr'));
  const questions = page.locator('[data-testid=screening-questions]');
  await questions.locator('fieldset.question').first().waitFor();
  await page.locator('input[name=question-mode][value=grouped]').check();
  const [frTexts, enTexts] = [await screenerTexts(page, 'fr'), await screenerTexts(page, 'en')];
  const ids = await questions.locator('fieldset.question').evaluateAll((f) => f.map((e) => e.dataset.questionId));
  assert.equal(ids.length, Object.keys(frTexts).length);
  for (const id of ids) {
    const q = frTexts[id];
    const legend = await legendOf(page, id);
    assert.equal(legend, q.text_child_feminine ?? q.text_child, `${id} in the child wording`);
    assert.doesNotMatch(legend, /\bvous\b|contrat/i, `${id}: informal, no adult terms`);
    const secondary = page.locator(`fieldset[data-question-id=${id}] .question-secondary`);
    assert.equal((await secondary.textContent()).trim(), enTexts[id].text_child, `${id} in English below`);
  }
  // A girl: « frappée », not « frappé(e) ».
  assert.match(await legendOf(page, 's_hurt'), /t'a frappée/);
  const wording = (await questions.locator('[data-testid=question-wording]').textContent()).trim();
  assert.ok(wording.includes(en['screening.wording.child']) && wording.includes(en['screening.wording.female']), wording);
  await screenshot(page, 'workflow-fr-child');
  assert.deepEqual(page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);
  await page.context().close();
});

test('Arabic, 390×844: an answer given after the session expired is kept and saved after signing in again', async () => {
  const page = await arabicPage();
  await setUp(page, 'E2E-AR-EXPIRED-1');
  await consent(page);
  await dangerCheck(page, 'no', 'no');
  const questions = page.locator('[data-testid=screening-questions]');
  await questions.locator('fieldset.question').first().waitFor();
  await page.locator('input[name=question-mode][value=grouped]').check();
  await answer(page, 's_job_different', 'yes');
  await waitSaved(page, { s_job_different: 'yes' });
  const draftUrl = page.url();

  // The session ends (expired, or signed out elsewhere); the next answer cannot be saved.
  // Clicked, not check()ed: the refused save brings up the sign-in form at once, and check()'s
  // wait for the radio to read as checked could then outlast its timeout (a flaky failure in
  // make test). That the answer was kept is asserted after signing in again.
  await page.context().clearCookies();
  await page.locator('fieldset[data-question-id=s_long_hours] input[value=yes]').click();
  await page.locator('#login-username').waitFor();
  assert.equal(page.url(), draftUrl, 'the address still names the draft');

  // Signing in again on the same page resumes the draft with the answer given meanwhile.
  await page.locator('#login-username').fill('screener');
  await page.locator('#login-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await questions.locator('fieldset.question').first().waitFor();
  assert.equal(await page.locator('fieldset[data-question-id=s_long_hours] input[value=yes]').isChecked(), true);
  await waitSaved(page, { s_job_different: 'yes', s_long_hours: 'yes' });
  await page.context().close();
});

test('reopened from the list: an answer corrected with its history, then the full interview on the same encounter', async () => {
  const en = messages('en');
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'screener');
  const reference = 'E2E-EN-CORRECT-1';
  await setUp(page, reference);
  await consent(page, en);
  await dangerCheck(page, 'no', 'no');
  const questions = page.locator('[data-testid=screening-questions]');
  await questions.locator('fieldset.question').first().waitFor();
  await page.locator('input[name=question-mode][value=grouped]').check();
  const ids = await questions.locator('fieldset.question').evaluateAll((f) => f.map((e) => e.dataset.questionId));
  for (const id of ids) await answer(page, id, id === 's_job_different' ? 'yes' : 'no');
  await questions.locator('.form-actions button.button-primary').last().click();
  const result = page.locator('[data-testid=screening-result]');
  await result.waitFor();
  const firstId = Number(page.url().match(/screening=(\d+)/)[1]);

  // Reopened from the organisation's list (on the first step, after "new screening").
  await result.getByRole('button', { name: en['result.new'] }).click();
  await page.locator(`[data-testid=screening-list] button[data-screening="${firstId}"]`).click();
  await result.waitFor();
  assert.equal(page.url(), `${ctx.server.url}/#/screening?screening=${firstId}`);

  // Corrected: the answer changes, the reason and the previous outcome are kept.
  await result.locator('[data-testid=result-correction] summary').click();
  await page.locator('#correct-s_long_hours').selectOption('yes');
  await page.locator('#correct-reason').fill('said later that the days are longer');
  await result.locator('[data-testid=result-correction] button[type=submit]').click();
  const history = result.locator('[data-testid=correction-history] li');
  await history.first().waitFor();
  assert.equal(await history.count(), 1);
  assert.match(await history.first().textContent(), /said later that the days are longer/);
  const view = await (await page.request.get(`${ctx.server.url}/api/v1/screenings/${firstId}`)).json();
  assert.equal(view.screening.answers.s_long_hours, 'yes');
  assert.equal(view.corrections.length, 1);

  // Completed: the full interview of the routed profile, the screener's answers carried over.
  await result.getByRole('button', { name: en['result.start_full'] }).first().click();
  await questions.locator('fieldset.question').first().waitFor();
  assert.match(await questions.locator('.notice-info').first().textContent(), /\d/);
  await questions.locator('.form-actions button.button-primary').last().click();
  await result.waitFor();
  const secondId = Number(page.url().match(/screening=(\d+)/)[1]);
  assert.notEqual(secondId, firstId);
  const second = await (await page.request.get(`${ctx.server.url}/api/v1/screenings/${secondId}`)).json();
  assert.equal(second.screening.follows, firstId);
  assert.equal(second.screening.instrument, 'full');
  assert.equal(second.screening.person.reference, reference);
  await page.context().close();
});
