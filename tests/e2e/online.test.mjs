// Issue #10, the online page on the demo store's generated ads (`ctip demo`: 3,000 ads for the
// platform's organisation): the platform analyst sees the ranked networks with their reasons and
// the values too common to link, opens the top network and sees its link graph drawn (an ad per
// node, a link per edge), the movement path, the template with its slots highlighted and the
// ads with their selectors highlighted; records an indicator verdict and sees the measured
// precision; exports the evidence package (audited: the service test checks the entry). A caseworker has no menu entry and the API
// answers 403.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, messages, newPage, screenshot, serverAndBrowser } from './harness.mjs';

const ctx = serverAndBrowser();
const en = messages('en');

async function apiCall(page, method, path) {
  return page.evaluate(
    async ([m, p]) => {
      const r = await fetch('/api/v1' + p, { method: m, headers: { Accept: 'application/json' } });
      return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
    },
    [method, path],
  );
}

test('platform analyst: ranked networks, graph, movement, template, feedback and export', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'platform_analyst');
  await page.locator('nav.mainnav a[data-nav=online]').click();
  await page.locator('[data-testid=online-page]').waitFor();
  assert.equal((await page.locator('main h1').textContent()).trim(), en['online.title']);
  await page.locator('[data-testid=online-analysis]').waitFor();
  assert.match(await page.locator('[data-testid=online-analysis]').textContent(), /3,?000 ads analysed/);
  const rows = page.locator('[data-testid=online-networks] tbody tr');
  assert.ok((await rows.count()) > 5, 'ranked networks');
  const list = await apiCall(page, 'GET', '/ads/networks');
  assert.equal(list.status, 200);
  const risks = list.body.networks.map((n) => n.risk);
  assert.deepEqual(risks, [...risks].sort((a, b) => b - a), 'ranked by risk');
  await page.locator('[data-testid=online-too-common] li').first().waitFor();
  assert.match(await page.locator('[data-testid=online-too-common]').textContent(), /\+18005550199/);

  // The top network.
  await rows.first().locator('a').click();
  await page.locator('[data-testid=online-network-title]').waitFor();
  const top = list.body.networks[0];
  assert.equal((await page.locator('[data-testid=online-network-title]').textContent()).trim(), `Network ${top.id}`);
  const graph = page.locator('[data-testid=online-graph]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=online-graph]')?.dataset.nodes) > 0);
  assert.equal(Number(await graph.getAttribute('data-nodes')), top.ads, 'one node per ad');
  assert.ok(Number(await graph.getAttribute('data-edges')) >= top.ads - 1, 'connected: at least ads - 1 edges');
  assert.ok((await graph.locator('canvas').count()) > 0, 'cytoscape drew on its canvas');
  // The movement chart: ECharts' SVG with the axes and the step line (a path per segment).
  await page.locator('[data-testid=online-movement] svg path').first().waitFor({ state: 'attached' });
  assert.ok((await page.locator('[data-testid=online-movement] svg path').count()) > 3, 'the movement line drawn');
  assert.ok((await page.locator('.online-stays li').count()) === top.cities.length || (await page.locator('.online-stays li').count()) > 0);
  const template = page.locator('[data-testid=online-template]').first();
  await template.waitFor();
  assert.ok((await template.locator('.online-slot').count()) > 0, 'the template shows its slots');
  const ad = page.locator('[data-testid=online-ad]').first();
  assert.ok((await ad.locator('mark.selector').count()) > 0, 'the phone is highlighted');
  assert.ok((await page.locator('[data-testid=online-ad] mark.shared').count()) > 0, 'shared words highlighted');

  // Indicator feedback: two true positives and a false positive on one indicator of one ad.
  const withIndicator = page.locator('[data-testid=online-ad]:has(.online-indicators)').first();
  const item = withIndicator.locator('.online-indicators li').first();
  const indicator = await item.getAttribute('data-indicator');
  const precisionShows = (fraction) =>
    page.waitForFunction(
      ([id, f]) => document.querySelector(`[data-indicator="${id}"] [data-testid=online-precision]`)?.textContent.includes(f),
      [indicator, fraction],
    );
  await item.locator('[data-testid=online-feedback-true]').click();
  await withIndicator.locator('[data-testid=online-feedback-done]').waitFor();
  await precisionShows('(1/1)');
  await item.locator('[data-testid=online-feedback-true]').click();
  await precisionShows('(2/2)');
  await item.locator('[data-testid=online-feedback-false]').click();
  await precisionShows('(2/3)');
  const indicators = await apiCall(page, 'GET', '/ads/indicators');
  const measured = indicators.body.indicators.find((i) => i.id === indicator);
  assert.equal(measured.true_positive, 2);
  assert.equal(measured.false_positive, 1);

  // The evidence export.
  await page.locator('[data-testid=online-export]').click();
  await page.locator('[data-testid=online-export-done]').waitFor();
  await screenshot(page, 'online-network');
  assert.match(await page.locator('[data-testid=online-export-done]').textContent(), /manifest\.json/);
  assert.equal(await page.locator('[data-testid=online-export-done] a[download]').count(), 1);
  await page.context().close();
});

test('caseworker: no online menu entry, and the API answers 403', async () => {
  const page = await newPage(ctx.browser);
  await login(page, ctx.server.url, 'caseworker');
  assert.equal(await page.locator('nav.mainnav a[data-nav=online]').count(), 0);
  for (const path of ['/ads/networks', '/ads/indicators']) {
    const answer = await apiCall(page, 'GET', path);
    assert.equal(answer.status, 403, `GET ${path}`);
  }
  await page.context().close();
});
