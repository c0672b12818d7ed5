// Issue #11, done when: a caseworker runs a case end to end in the browser — a screening result
// that opened a case → the case page → consent (services, law enforcement) → a referral to a
// shelter with a free place and to an interpreter through the matching → a permit application
// not tied to an employer → a proceeding with a court hearing → closure; then an investigator
// sees only the cases shared with law enforcement, and a platform analyst sees no case. A second
// test: the dashboards draw the demo data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, navEntries, newPage, screenshot, serverAndBrowser } from './harness.mjs';

const ctx = serverAndBrowser();

// Screener answers that open a case (deceptive recruitment, exploitation, coercion).
const YES = ['s_job_different', 's_long_hours', 's_little_or_no_pay', 's_documents_kept', 's_not_free_to_leave', 's_hurt'];

/** A JSON call from inside the signed-in page, with its CSRF token. */
async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const r = await fetch('/api/v1' + path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, path, body },
  );
}

async function caseFile(page) {
  const file = page.locator('[data-testid=case-file]');
  await file.waitFor();
  return file;
}

/** Submits one of the case page's forms and waits for the timeline to show `kind` `count` times. */
async function submitAndWait(page, form, kind, count) {
  await form.locator('button[type=submit]').click();
  await page.locator(`[data-testid=case-timeline] li[data-kind=${kind}]`).nth(count - 1).waitFor();
}

let caseId;
let sharedId;

test('a caseworker runs a case from the screening result to closure', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'caseworker');
  assert.ok((await navEntries(page)).includes('cases'));

  // The police unit the case will be shared with: the investigator's organisation.
  const police = await newPage(ctx.browser);
  await login(police, ctx.server.url, 'investigator');
  const policeOrg = (await apiCall(police, 'GET', '/me')).body.user.organisation.id;
  const before = (await apiCall(police, 'GET', '/cases?limit=1000')).body.cases.map((c) => c.id);

  // A screening at the caseworker's service that refers: it opens a case.
  const screener = (await apiCall(page, 'GET', '/screen/screener?lang=en')).body;
  const answers = Object.fromEntries(screener.questions.map((q) => [q.id, YES.includes(q.id) ? 'yes' : 'no']));
  const created = await apiCall(page, 'POST', '/screenings', {
    person: { reference: 'E2E-CASE-1', nationality: 'RO' },
    encounter: { source: 'domestic_violence_service', date: new Date(Date.now() - 86400000).toISOString().slice(0, 10) },
    language: 'en',
    interpreter_used: true,
    instrument: 'screener',
    age: 29,
    may_be_minor: false,
    answers,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  caseId = created.body.case.id;
  const screeningId = created.body.id ?? created.body.screening?.id;

  // The result page offers the case it opened; the link leads to the case page.
  await page.goto(`${ctx.server.url}/#/screening?screening=${screeningId}`);
  const link = page.locator('[data-testid=result-case-link]');
  await link.waitFor();
  await link.click();
  let file = await caseFile(page);
  assert.equal(Number(await file.getAttribute('data-case')), caseId);
  assert.match(page.url(), new RegExp(`#/cases\\?case=${caseId}$`));
  const timeline = page.locator('[data-testid=case-timeline]');
  assert.equal(await timeline.locator('li[data-kind=screening]').count(), 1, 'the screening is on the timeline');
  assert.ok((await timeline.locator('li[data-kind=status]').count()) >= 1, 'the status history is on the timeline');

  // The person: a woman of 29 who speaks Romanian, in Noord-Holland (the matching reads it).
  const person = page.locator('[data-testid=form-person]');
  await person.locator('select[name=sex]').selectOption('female');
  await person.locator('input[name=age]').fill('29');
  await person.locator('input[name=languages]').fill('ro');
  await person.locator('input[name=region]').fill('Noord-Holland');
  await person.locator('button[type=submit]').click();
  await page.locator('[data-testid=case-file] p', { hasText: 'Noord-Holland' }).first().waitFor();

  // A referral before the person consented to services is refused, with the reason.
  const referral = page.locator('[data-testid=form-referral]');
  await referral.locator('select[name=service]').selectOption('shelter');
  await referral.locator('button[type=submit]').click();
  const firstMatch = page.locator('[data-testid=match-row]').first();
  await firstMatch.waitFor();
  await firstMatch.locator('[data-testid=refer]').click();
  await page.locator('[data-testid=form-referral-title] ~ [role=alert], .card:has([data-testid=form-referral]) [role=alert]').first().waitFor();
  assert.match(await page.locator('.card:has([data-testid=form-referral]) [role=alert]').first().textContent(), /consent/i);

  // Consent: services, and sharing with law enforcement.
  const consent = page.locator('[data-testid=form-consent]');
  for (const purpose of ['services', 'law_enforcement']) {
    await consent.locator('select[name=purpose]').selectOption(purpose);
    await consent.locator('input[name=granted]').check();
    await consent.locator('button[type=submit]').click();
    await page.locator(`[data-testid=case-consents] [data-consent=${purpose}][data-granted=true]`).waitFor();
  }
  assert.equal(await page.locator('[data-testid=case-consents] [data-consent=statistics]').getAttribute('data-granted'), 'false');

  // Referral matching: a shelter with a free place, each rank explained; the person's shelter
  // (Safe Harbour Shelter, for women) comes with its free places.
  await referral.locator('select[name=service]').selectOption('shelter');
  await referral.locator('input[name=interpreter]').check();
  await referral.locator('button[type=submit]').click();
  const shelter = page.locator('[data-testid=match-row]', { hasText: 'Safe Harbour Shelter' });
  await shelter.waitFor();
  const free = (await shelter.locator('[data-testid=match-free]').textContent()).match(/(\d+) of (\d+)/);
  assert.ok(Number(free[1]) > 0, `a free place (${free[0]})`);
  assert.ok((await shelter.locator('[data-testid=match-reasons] li').count()) >= 2, 'the rank is explained');
  assert.equal(await page.locator('[data-testid=match-row]', { hasText: "Men's House" }).count(), 0, 'a men-only shelter is not offered');
  await screenshot(page, 'cases-matching');
  await shelter.locator('[data-testid=refer]').click();
  await page.locator('[data-testid=referral-sent]').waitFor();
  await page.locator('[data-testid=case-referrals] li[data-service=shelter][data-status=sent]').waitFor();

  // The shelter is run by the caseworker's own organisation: it accepts, and its place is taken.
  await page.locator('[data-testid=case-referrals] li[data-service=shelter] [data-testid=referral-accept]').click();
  await page.locator('[data-testid=case-referrals] li[data-service=shelter][data-status=accepted]').waitFor();
  const provider = (await apiCall(page, 'GET', '/providers')).body.providers.find((p) => p.name === 'Safe Harbour Shelter');
  assert.equal(provider.free_places, Number(free[1]) - 1, 'the accepted referral takes one place');

  // An interpreter: a translation provider that speaks Romanian.
  await referral.locator('select[name=service]').selectOption('translation');
  await referral.locator('button[type=submit]').click();
  const interpreter = page.locator('[data-testid=match-row]').first();
  await interpreter.waitFor();
  assert.match(await interpreter.textContent(), /Interpreters Without Borders|Utrecht Legal Desk/);
  await interpreter.locator('[data-testid=refer]').click();
  await page.locator('[data-testid=case-referrals] li[data-service=translation][data-status=sent]').waitFor();
  assert.equal(await timeline.locator('li[data-kind=referral]').count(), 2);

  // A permit tied to an employer is refused with the reason; one not tied to an employer is recorded.
  const permit = page.locator('[data-testid=form-permit]');
  await permit.locator('select[name=kind]').selectOption('work_permit');
  await permit.locator('input[name=tied]').check();
  await permit.locator('button[type=submit]').click();
  const refusal = permit.locator('[role=alert]');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /employer/i);
  assert.equal(await timeline.locator('li[data-kind=permit]').count(), 0, 'nothing half-written');
  await permit.locator('select[name=kind]').selectOption('temporary_residence');
  await permit.locator('input[name=tied]').uncheck();
  await permit.locator('input[name=reference]').fill('IND-2026-0001');
  await submitAndWait(page, permit, 'permit', 1);
  assert.match(await timeline.locator('li[data-kind=permit]').textContent(), /not tied to an employer/);

  // Share with the police unit (the person consented), then a trial with a court hearing that
  // needs a Romanian interpreter.
  const share = page.locator('[data-testid=form-share]');
  await share.locator('input[name=org]').fill(String(policeOrg));
  await share.locator('button[type=submit]').click();
  await page.locator('[data-testid=case-shares]', { hasText: 'law enforcement' }).waitFor();
  const proceeding = page.locator('[data-testid=form-proceeding]');
  await proceeding.locator('select[name=kind]').selectOption('trial');
  await proceeding.locator('input[name=court]').fill('Rechtbank Amsterdam');
  await submitAndWait(page, proceeding, 'proceeding', 1);
  const hearing = page.locator('[data-testid=form-hearing]').first();
  await hearing.locator('input[name=interpreter]').check();
  await hearing.locator('input[name=interpreter_language]').fill('ro');
  await submitAndWait(page, hearing, 'hearing', 1);
  assert.match(await timeline.locator('li[data-kind=hearing]').textContent(), /Rechtbank Amsterdam.*interpreter \(ro\)/);

  // A note and a follow-up task.
  const note = page.locator('[data-testid=form-note]');
  await note.locator('textarea[name=body]').fill('Placed at the shelter; interpreter booked for the hearing.');
  await submitAndWait(page, note, 'note', 1);
  const task = page.locator('[data-testid=form-task]');
  await task.locator('select[name=kind]').selectOption('hearing_preparation');
  await task.locator('input[name=title]').fill('Prepare the hearing with the interpreter');
  await submitAndWait(page, task, 'task', 1);
  await page.locator('[data-testid=case-tasks] li[data-done=false] [data-testid=task-toggle]').click();
  await page.locator('[data-testid=case-tasks] li[data-done=true]').waitFor();
  assert.match(await timeline.locator('li[data-kind=task]').textContent(), /\(done\)/);

  // Closure.
  const close = page.locator('[data-testid=form-close]');
  await close.locator('input[name=reason]').fill('Recovered; the trial goes on with legal aid.');
  await close.locator('button[type=submit]').click();
  await page.locator('[data-testid=case-file][data-closed=true]').waitFor();
  file = await caseFile(page);
  assert.match(await page.locator('[data-testid=case-closed]').textContent(), /Recovered/);
  for (const kind of ['screening', 'status', 'referral', 'permit', 'proceeding', 'hearing', 'note', 'task', 'closed'])
    assert.ok((await timeline.locator(`li[data-kind=${kind}]`).count()) >= 1, `${kind} on the timeline`);
  await screenshot(page, 'cases-closed');

  // The case list shows it, closed.
  await page.goto(`${ctx.server.url}/#/cases`);
  await page.locator(`[data-testid=cases-list] tr[data-case="${caseId}"]`, { hasText: 'closed' }).waitFor();
  // Above it, the alerts of the organisation's cases: the demo's permits pending for months.
  await page.locator('[data-testid=cases-alerts] summary').click();
  assert.ok((await page.locator('[data-testid=cases-alerts] li[data-alert=permit_pending]').count()) > 0, 'pending permits are alerted');
  // The refusals above (409, 400) and the session check before login are answers, not errors.
  assert.deepEqual(page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);

  // What the investigator sees now: the cases they saw before, and this one, shared.
  const after = (await apiCall(police, 'GET', '/cases?limit=1000')).body.cases.map((c) => c.id);
  assert.deepEqual(after.filter((id) => !before.includes(id)), [caseId]);
  sharedId = caseId;
  await page.context().close();
  await police.context().close();
});

test('an investigator sees only the cases shared with law enforcement, and the queue explains each rank', async () => {
  assert.ok(sharedId, 'the caseworker test shared a case');
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'investigator');
  await page.goto(`${ctx.server.url}/#/cases`);
  const rows = page.locator('[data-testid=cases-list] tr[data-case]');
  await rows.first().waitFor();
  const listed = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.case)));
  assert.ok(listed.includes(sharedId), 'the shared case is listed');
  // Every case listed is the police unit's own or shared with it for law enforcement; none of
  // the shelter's other cases.
  const visible = (await apiCall(page, 'GET', '/cases?limit=1000')).body.cases;
  const me = (await apiCall(page, 'GET', '/me')).body;
  for (const c of visible) {
    if (c.org_id === me.user.organisation.id) continue;
    const view = (await apiCall(page, 'GET', `/cases/${c.id}`)).body.case;
    assert.equal(view.access, 'shared', `case ${c.id} is shared with the unit`);
  }
  const shelterCases = visible.filter((c) => c.organisation === 'Safe Harbour Shelter').map((c) => c.id);
  assert.deepEqual(shelterCases, [sharedId], 'of the shelter, only the case shared with law enforcement');

  // The shared case opens; the investigator sees no consents and no shares, and cannot refer.
  await page.locator(`[data-testid=cases-list] tr[data-case="${sharedId}"] a`).click();
  const file = await caseFile(page);
  assert.equal(await file.locator('[data-testid=case-consents]').count(), 0);
  assert.equal(await file.locator('[data-testid=form-referral]').count(), 0);
  // Another of the shelter's cases is not found.
  const other = (await apiCall(page, 'GET', `/cases/${sharedId - 1}`)).status;
  assert.equal(other, 404);

  // The investigation queue: each rank explained.
  await page.goto(`${ctx.server.url}/#/cases?view=investigations`);
  const items = page.locator('[data-testid=queue-items] tbody tr');
  await items.first().waitFor();
  const n = await items.count();
  assert.ok(n > 0);
  for (let i = 0; i < Math.min(n, 5); i++) assert.ok((await items.nth(i).locator('[data-testid=queue-explanation] li').count()) > 0, `rank ${i + 1} explained`);
  await screenshot(page, 'cases-queue');
  await page.context().close();
});

test('a platform analyst has no case data: no menu entry, 403 from the API, not permitted on the page', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'platform_analyst');
  assert.ok(!(await navEntries(page)).includes('cases'));
  for (const path of ['/cases', `/cases/${sharedId ?? 1}`, '/providers', '/dashboards/capacity', '/investigations'])
    assert.equal((await apiCall(page, 'GET', path)).status, 403, path);
  await page.goto(`${ctx.server.url}/#/cases`);
  await page.locator('[data-testid=cases-page]').waitFor({ state: 'detached', timeout: 2000 }).catch(() => {});
  assert.equal(await page.locator('[data-testid=cases-list]').count(), 0);
  await page.context().close();
});

test('the provider directory shows free capacity', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'caseworker');
  await page.goto(`${ctx.server.url}/#/cases?view=providers`);
  const rows = page.locator('[data-testid=providers-list] tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 10);
  await page.locator('#providers-free').check();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=provider-free]')].every((td) => Number(td.textContent) > 0));
  const free = await page.locator('[data-testid=provider-free]').allTextContents();
  assert.ok(free.length > 0 && free.every((f) => Number(f) > 0), `only providers with a free place (${free})`);
  await page.context().close();
});

test('the dashboards draw the demo data', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'analyst');
  await page.goto(`${ctx.server.url}/#/cases?view=dashboards`);
  for (const chart of ['capacity', 'funding', 'documentation', 'justice', 'investigations']) {
    const el = page.locator(`[data-testid=chart-${chart}][data-rendered=true]`);
    await el.waitFor({ timeout: 15_000 });
    // Bars or lines drawn: SVG paths beyond the axes.
    const paths = await el.locator('svg path').count();
    assert.ok(paths > 5, `${chart}: the chart has data (${paths} paths)`);
  }
  await screenshot(page, 'cases-dashboards');
  assert.deepEqual(page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);
  await page.context().close();
});
