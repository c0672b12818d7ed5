// Issue #9, the flows page on the demo store's generated flows dataset (CTDC format, 2015-2023,
// a domestic share that rises from 2020): the analyst sees the world flow map drawn, the
// corridor table with what it rests on, the domestic-share trend and the forms of exploitation
// over time, the shifts with their explanations; filters narrow every panel and stay in the
// address; a k = 11 preview marks suppressed cells, and a published release downloads as CSV;
// an epsilon release spends the privacy budget and one past it is refused; a GLOTIP file
// imported as a job shows UNODC's country data with "<5" as a range. A caseworker neither sees
// the page nor reads the API (403).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, login, messages, newPage, screenshot, serverAndBrowser } from './harness.mjs';

const ctx = serverAndBrowser();
const en = messages('en');

/** GET /api/v1/... with the page's session; the JSON body and the status. */
async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch('/api/v1' + p, { headers: { Accept: 'application/json' } });
    return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
  }, path);
}

/** The number after "Rests on" in a basis line ("Rests on 29,876 records; ..."). */
function restsOn(text) {
  const m = text.match(/Rests on ([\d,]+) record/);
  assert.ok(m, `a basis line: ${text}`);
  return Number(m[1].replace(/,/g, ''));
}

/** Opens the flows page as the analyst and waits for the overview. */
async function openFlows(page, query = '') {
  await login(page, ctx.server.url, 'analyst');
  await page.goto(ctx.server.url + '/#/flows' + query);
  await page.locator('[data-testid=flows-dataset]').waitFor();
}

function unexpectedErrors(page) {
  // The 401 of GET /me before signing in and a refused release (409) are answers the page
  // shows, not errors of the page.
  return page.consoleErrors.filter((e) => !/^Failed to load resource: the server responded with a status of (401|409)/.test(e));
}

test('analyst: map, corridors, domestic trend, forms of exploitation and shifts on the demo data', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'analyst');
  await page.locator('nav.mainnav a[data-nav=flows]').click();
  await page.locator('[data-testid=flows-page]').waitFor();
  assert.equal((await page.locator('main h1').textContent()).trim(), en['flows.title']);
  assert.equal(await page.locator('[data-testid=flows-empty]').count(), 0, 'the demo store has flows data');
  const overview = await apiGet(page, '/flows');
  assert.equal(overview.status, 200);
  assert.ok(overview.body.records > 10_000, `demo records: ${overview.body.records}`);
  assert.match(await page.locator('[data-testid=flows-dataset]').textContent(), /case records/);

  // The corridor table: rows, largest first, and what they rest on.
  const rows = page.locator('[data-testid=flows-corridors] tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) > 0, 'corridor rows');
  const counts = (await page.locator('[data-testid=flows-corridors] tbody td.num:nth-of-type(2)').allTextContents()).map(
    (s) => Number(s.replace(/,/g, '')),
  );
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'largest corridor first');
  const basis = await page.locator('[data-testid=flows-corridors-basis]').textContent();
  assert.equal(restsOn(basis), overview.body.records, 'unfiltered, the corridors rest on every record');
  assert.match(basis, /with a country unknown/);

  // The map: world-atlas drawn on a canvas, with the corridors as arrows.
  const map = page.locator('[data-testid=flows-map]');
  await map.locator('canvas').first().waitFor();
  assert.match(await map.getAttribute('aria-label'), /World map of trafficking flows: [1-9]\d* corridors? drawn/);
  await page.waitForFunction(() => {
    // Painted: the countries cover a good part of one of the map's canvases, in more than two
    // colours over all of them (land, the domestic shading, the arrows).
    const canvases = [...document.querySelectorAll('[data-testid=flows-map] canvas')];
    let best = 0;
    const colours = new Set();
    for (const c of canvases) {
      if (!c.width || !c.height) continue;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 0; i < data.length; i += 4 * 7) {
        if (data[i + 3] === 0) continue;
        painted += 7;
        if (colours.size < 50) colours.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
      }
      best = Math.max(best, painted / (data.length / 4));
    }
    return best > 0.1 && colours.size > 2;
  }, null, { timeout: 15_000 });

  // The domestic-share trend: a line over the years; the demo's share rises from 2020.
  const trend = page.locator('[data-testid=flows-domestic]');
  // The line in its colour (DomesticTrend.tsx), with a point per year.
  await trend.locator('svg path[stroke="#b5651d"]').first().waitFor({ state: 'attached' });
  assert.match(await trend.getAttribute('aria-label'), /share of domestic cases/);
  const domestic = (await apiGet(page, '/flows/domestic?by=year')).body;
  const mean = (rs) => rs.reduce((s, r) => s + r.share, 0) / rs.length;
  const before = domestic.rows.filter((r) => r.year < 2020 && r.total_known > 0);
  const after = domestic.rows.filter((r) => r.year >= 2020 && r.total_known > 0);
  assert.ok(before.length && after.length, 'years on both sides of 2020');
  assert.ok(mean(after) > mean(before), `domestic share rises from 2020 (${mean(before)} -> ${mean(after)})`);

  // Forms of exploitation over time: stacked bars; another group redraws with its own title.
  const bars = page.locator('[data-testid=flows-categories]');
  // Bars in the first colour of the palette (CategoriesChart.tsx).
  await bars.locator('svg path[fill="#1f6f8b"]').first().waitFor({ state: 'attached' });
  assert.match(await bars.getAttribute('aria-label'), /Forms of exploitation/);
  assert.match(await bars.textContent(), /Forced labour|Sexual exploitation/, 'category names in the legend');
  await page.locator('#flows-group').selectOption('labour');
  await page.getByRole('heading', { name: en['flows.group.title.labour'] }).waitFor();
  await page.waitForFunction(() => /Types of labour/.test(document.querySelector('[data-testid=flows-categories]')?.getAttribute('aria-label') ?? ''));

  // The shifts: flagged ones first, each with its one-sentence explanation.
  const shifts = page.locator('[data-testid=flows-shifts]');
  await shifts.locator('[data-testid=flows-shifts-summary]').waitFor();
  const flagged = shifts.locator('[data-testid=flows-shifts-flagged] > li');
  assert.ok((await flagged.count()) >= 1, 'the demo data has at least one shift');
  assert.equal(await flagged.first().getAttribute('data-verdict'), 'shift');
  const sentence = (await flagged.first().locator('[data-testid=shift-explanation]').textContent()).trim();
  assert.match(sentence, /^\S.*\d.*[.)]?$/, `an explanation sentence with figures: ${sentence}`);
  assert.ok(sentence.length > 30, sentence);
  // A series with too few records says so, and is never called "no shift".
  for (const li of await shifts.locator('li[data-verdict=too_few_records]').all())
    assert.match(await li.locator('.badge').textContent(), /Too few records/);

  await screenshot(page, 'flows-analyst');
  assert.deepEqual(unexpectedErrors(page), []);
  await page.context().close();
});

test('analyst: filters narrow every panel and stay in the address', async () => {
  const page = await newPage(ctx.browser);
  await openFlows(page);
  const basis = page.locator('[data-testid=flows-corridors-basis]');
  await basis.waitFor();
  const all = restsOn(await basis.textContent());

  await page.locator('#flows-filter-from').selectOption('2020');
  await page.locator('#flows-filter-sex').selectOption('female');
  await page.getByRole('button', { name: en['flows.filter.apply'] }).click();
  await page.waitForFunction(
    (n) => {
      const m = document.querySelector('[data-testid=flows-corridors-basis]')?.textContent.match(/Rests on ([\d,]+)/);
      return m && Number(m[1].replace(/,/g, '')) < n;
    },
    all,
  );
  const narrowed = restsOn(await basis.textContent());
  const expected = (await apiGet(page, '/flows/corridors?from=2020&sex=female')).body.records;
  assert.equal(narrowed, expected, 'the table rests on the filtered records');
  assert.match(page.url(), /#\/flows\?from=2020&sex=female$/);

  // A reload (or a shared link) opens the same view.
  await page.reload();
  await page.locator('[data-testid=flows-corridors-basis]').waitFor();
  assert.equal(restsOn(await page.locator('[data-testid=flows-corridors-basis]').textContent()), expected);
  assert.equal(await page.locator('#flows-filter-from').inputValue(), '2020');
  assert.equal(await page.locator('#flows-filter-sex').inputValue(), 'female');
  assert.deepEqual(unexpectedErrors(page), []);
  await page.context().close();
});

test('analyst: a k = 11 preview marks suppressed cells; the published release downloads as CSV', async () => {
  const page = await newPage(ctx.browser, { acceptDownloads: true });
  await openFlows(page);
  const release = page.locator('[data-testid=flows-release]');
  await release.waitFor();
  assert.equal(await page.locator('#flows-k').inputValue(), '11');
  await release.getByRole('button', { name: en['flows.release.preview'] }).click();
  const preview = page.locator('[data-testid=flows-preview]');
  await preview.locator('[data-testid=flows-release-table]').waitFor();
  const suppressed = preview.locator('td.flows-suppressed');
  assert.ok((await suppressed.count()) > 0, 'cells below 11 are suppressed');
  const statuses = new Set(await suppressed.evaluateAll((tds) => tds.map((td) => td.dataset.status)));
  assert.ok(statuses.has('primary'), 'a primary suppression');
  for (const s of statuses) assert.ok(['primary', 'secondary'].includes(s), s);
  assert.equal((await suppressed.first().textContent()).trim().charAt(0), '×');
  assert.match(await preview.locator('td.flows-suppressed[data-status=primary]').first().getAttribute('title'), /below k/);
  // No published cell is below k.
  const published = (await preview.locator('tbody td.num:not(.flows-suppressed)').allTextContents()).map((s) => Number(s.replace(/,/g, '')));
  assert.ok(published.every((n) => n === 0 || n >= 11), 'published cells are 0 or at least k');
  await screenshot(page, 'flows-preview');

  await release.getByRole('button', { name: en['flows.release.publish'] }).click();
  const done = page.locator('[data-testid=flows-published]');
  await done.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), done.locator('[data-testid=flows-release-csv]').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines[0], 'citizenship,exploitation,count,status');
  assert.ok(lines.some((l) => /^[A-Z]{3},[A-Z]{3},,suppressed$/.test(l)), 'a suppressed cell has an empty count');
  assert.ok(lines.some((l) => /^[A-Z]{3},TOTAL,/.test(l)) && lines.some((l) => /^TOTAL,[A-Z]{3},/.test(l)), 'the margins');
  for (const l of lines.slice(1)) {
    const [, , count, status] = l.split(',');
    if (status === 'suppressed') assert.equal(count, '');
    else assert.ok(count === '0' || Number(count) >= 11, `published count below k: ${l}`);
  }
  // The release is listed with its parameters.
  const list = (await apiGet(page, '/flows/releases')).body.releases;
  assert.equal(list[0].method, 'k');
  assert.equal(list[0].parameters.k, 11);
  await release.locator('[data-testid=flows-releases] tbody tr').first().waitFor();
  assert.deepEqual(unexpectedErrors(page), []);
  await page.context().close();
});

test('analyst: an epsilon release spends the privacy budget; one past it is refused with the reason', async () => {
  const page = await newPage(ctx.browser);
  await openFlows(page);
  const release = page.locator('[data-testid=flows-release]');
  await release.locator('input[name=flows-release-method][value=epsilon]').check();
  const budget = release.locator('[data-testid=flows-budget]');
  assert.match(await budget.textContent(), /Privacy budget remaining: ε = [\d.]+/);
  const imports = (await apiGet(page, '/flows')).body.imports.filter((i) => i.format !== 'glotip');
  const remaining = Math.min(...imports.map((i) => i.epsilon_budget - i.epsilon_spent));

  if (remaining > 0) {
    const spend = Math.round((remaining / 4) * 1000) / 1000 || remaining;
    await page.locator('#flows-epsilon').fill(String(spend));
    await release.getByRole('button', { name: en['flows.release.publish'] }).click();
    await release.locator('[data-testid=flows-published]').waitFor();
    const latest = (await apiGet(page, '/flows/releases')).body.releases[0];
    assert.equal(latest.method, 'epsilon');
    assert.equal(latest.parameters.epsilon, spend);
    // Spent from every case-record import's budget, and the page shows what is left.
    const left = Math.min(
      ...(await apiGet(page, '/flows')).body.imports.filter((i) => i.format !== 'glotip').map((i) => i.epsilon_budget - i.epsilon_spent),
    );
    assert.ok(Math.abs(remaining - spend - left) < 1e-6, `budget spent: ${remaining} - ${spend} -> ${left}`);
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid=flows-budget]')?.textContent.includes(text),
      `ε = ${left.toLocaleString('en')} `,
    );
  }

  // More than what is left: refused (409), and the page says why.
  await page.locator('#flows-epsilon').fill(String(Math.ceil(remaining + 1) * 10));
  await release.getByRole('button', { name: en['flows.release.publish'] }).click();
  const refusal = release.locator('[data-testid=flows-over-budget]');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /Refused: the privacy budget would be exceeded/);
  await screenshot(page, 'flows-over-budget');
  assert.deepEqual(unexpectedErrors(page), []);
  await page.context().close();
});

test('analyst: the page in Arabic, right to left', async () => {
  const page = await newPage(ctx.browser);
  await openFlows(page);
  await page.locator('#shell-language').selectOption('ar');
  const ar = messages('ar');
  await page.getByRole('heading', { name: ar['flows.title'], level: 1 }).waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.getByRole('heading', { name: ar['flows.corridors.title'] }).waitFor();
  await page.locator('[data-testid=flows-map] canvas').first().waitFor();
  await screenshot(page, 'flows-ar');
  assert.deepEqual(unexpectedErrors(page), []);
  await page.context().close();
});

test('analyst: a GLOTIP file imported as a job shows UNODC country data, "<5" as a range', async () => {
  const page = await newPage(ctx.browser);
  await openFlows(page);
  assert.equal(await page.locator('[data-testid=flows-glotip]').count(), 0, 'no GLOTIP data in the demo store');
  const csv = readFileSync(path.join(ROOT, 'src/flows/testdata/glotip_sample.csv'), 'utf8');
  const job = await page.evaluate(async (body) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1/jobs?kind=flows.import.glotip', {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': me.csrf_token },
      body,
    });
    return { status: r.status, body: await r.json() };
  }, csv);
  assert.equal(job.status, 201, JSON.stringify(job.body));
  let status;
  for (let i = 0; i < 100; i++) {
    status = (await apiGet(page, `/jobs/${job.body.id}`)).body;
    if (['succeeded', 'failed', 'cancelled'].includes(status.status)) break;
    await page.waitForTimeout(200);
  }
  assert.equal(status.status, 'succeeded', JSON.stringify(status));

  await page.reload();
  const panel = page.locator('[data-testid=flows-glotip]');
  await panel.waitFor();
  await panel.locator('[data-testid=flows-glotip-chart] svg path').first().waitFor({ state: 'attached' });
  await panel.locator('summary').click();
  const argentina = panel.locator('[data-testid=flows-glotip-table] tbody tr').filter({ hasText: 'Argentina' });
  await argentina.waitFor();
  // Chile "<5": the foreign nationals are a range, and so is the share.
  const cells = await argentina.locator('td').allTextContents();
  assert.ok(cells.some((c) => /\d–\d/.test(c)), `a range in ${cells}`);
  await screenshot(page, 'flows-glotip');
  assert.deepEqual(unexpectedErrors(page), []);
  await page.context().close();
});

test('caseworker: no flows page, and the API answers 403', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'caseworker');
  assert.equal(await page.locator('nav.mainnav a[data-nav=flows]').count(), 0);
  for (const path of ['/flows', '/flows/corridors', '/flows/shifts', '/flows/releases']) {
    const answer = await apiGet(page, path);
    assert.equal(answer.status, 403, `GET ${path}`);
    assert.equal(answer.body.error.code, 'permission_denied');
  }
  await page.goto(ctx.server.url + '/#/flows');
  await page.locator('[data-testid=not-permitted]').waitFor();
  await page.context().close();
});
