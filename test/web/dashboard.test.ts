// The dashboard in a real browser (Debian's Chromium through playwright-core) over the real simulators,
// connectors and scheduler (test/web/harness.ts): the fleet page's devices-up count matches GET /v1/status,
// a Powerwall site's live chart advances from polled data, the CSV download matches the buckets API, the
// explore page draws the analytics routes, the page works at 375 px and in dark mode, and no page ever
// logs a console error or throws. Screenshots of every page go to test-artifacts/dashboard/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { type Browser, chromium, type Page } from 'playwright-core';
import { localParts } from '../../src/domain/time-zone.ts';
import { localMidnightMs } from '../../src/web/energy.ts';
import { type DashboardHarness, HOME, startDashboardHarness } from './harness.ts';

const CHROMIUM = process.env['WATTLINE_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts/dashboard';
// Waits go through selectors, never text evaluated in the page: the dashboard's content security policy
// forbids eval, and the tests keep it on.
const CHART_HAS_POINTS = '[data-testid=power-chart][data-points]:not([data-points="0"])';

describe('web dashboard in Chromium', () => {
  let harness: DashboardHarness;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    // No skip: without the browser this suite fails (CI installs it with apt-get in .ci/run).
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}; install it with apt-get install -y chromium`,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    harness = await startDashboardHarness();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // No runtime network beyond the wattline API.
    page.on('request', (r) => {
      if (!r.url().startsWith(harness.url) && !r.url().startsWith('data:'))
        problems.push(`request off-origin: ${r.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('fleet page: the devices-up count equals GET /v1/status, solar evidence shows on focus', async () => {
    // Every device polled, and the same answer twice: faults are steady, so the count cannot move now.
    const status = await harness.settled();
    assert.ok(status.devicesUp > 0 && status.devicesUp < status.devicesTotal, 'some devices up, some down');
    await page.goto(`${harness.url}/`);
    const up = page.getByTestId('devices-up');
    await up.waitFor();
    assert.equal(Number(await up.textContent()), status.devicesUp);
    assert.equal(await page.locator('table.devices tbody tr').count(), status.devicesTotal);
    assert.equal((await harness.status()).devicesUp, status.devicesUp, 'still the same after the page read');
    const tile = page.locator('.solar-tile[data-condition="missing"]').first();
    await tile.focus();
    assert.ok(await tile.locator('.tile-evidence').isVisible(), 'the evidence shows on keyboard focus');
    assert.match((await tile.locator('.tile-evidence').textContent()) ?? '', /0 samples/);
    // The anomalies scan every site's past day: screenshot once it has answered.
    await page.locator('#fleet-anomalies:not(:has-text("Loading…"))').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ARTIFACTS}/fleet.png`, fullPage: true });
    assert.deepEqual(problems, []);
  });

  it('site page: the live chart and power flow advance as the connector polls the gateway', async () => {
    await page.locator('table.devices a[href="#/site/home"]').click();
    const chart = page.getByTestId('power-chart');
    await page.locator(CHART_HAS_POINTS).waitFor();
    const before = Number(await chart.getAttribute('data-last-sample-ms'));
    assert.ok(before > 0);
    assert.equal((await page.locator('canvas').count()) >= 1, true);
    // Nothing is written by the test: the next sample comes from the Powerwall connector's poll (1 s).
    await page.locator(`[data-testid=power-chart]:not([data-last-sample-ms="${before}"])`).waitFor({
      timeout: 30_000,
    });
    const after = Number(await chart.getAttribute('data-last-sample-ms'));
    assert.ok(after > before, `the chart advanced (${before} → ${after})`);
    await page.getByTestId('flow-updated').filter({ hasText: 'as of' }).waitFor();
    // State of charge and grid status come from stored gauges only: shown where the API has them, "—"
    // where it does not (never read from a power channel).
    const openapi = (await (await fetch(`${harness.url}/openapi.json`)).json()) as { paths: object };
    if ('/v1/sites/{siteId}/gauges/latest' in openapi.paths) {
      await page.getByTestId('soc').filter({ hasText: '%' }).waitFor();
      await page.getByTestId('grid-status').filter({ hasText: 'connected' }).waitFor();
    } else {
      assert.equal(await page.getByTestId('soc').textContent(), '—');
      assert.equal(await page.getByTestId('grid-status').textContent(), 'Grid: —');
    }
    await page.screenshot({ path: `${ARTIFACTS}/site.png`, fullPage: true });
    assert.deepEqual(problems, []);
  });

  it('site page: the CSV download of a date range has exactly the rows of the buckets API', async () => {
    // A whole local day two days back: far from the live edge, so polling cannot change it in between.
    const today = localParts(Date.now(), HOME.timezone).date;
    const day = localParts(localMidnightMs(today, HOME.timezone) - 36 * 3_600_000, HOME.timezone).date;
    await page.locator('#table-from').fill(day);
    await page.locator('#table-to').fill(day);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('energy-table').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-download').click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    const from = new Date(localMidnightMs(day, HOME.timezone)).toISOString();
    // The page's window ends at the next local midnight (23 or 25 h later on a DST day).
    const next = localParts(localMidnightMs(day, HOME.timezone) + 36 * 3_600_000, HOME.timezone).date;
    const nextMidnight = new Date(localMidnightMs(next, HOME.timezone)).toISOString();
    const api = (await (
      await fetch(`${harness.url}/v1/sites/home/buckets?from=${from}&to=${nextMidnight}&limit=50000`)
    ).json()) as { channel: string; bucketStart: string; energyWh: number; quality: string }[];
    assert.ok(api.length >= 92 * 4, `a local day of grid, solar, battery, load (${api.length} buckets)`);
    assert.equal(rows.length, api.length);
    rows.forEach((r, i) => {
      const b = api[i]!;
      assert.equal(r['channel'], b.channel);
      assert.equal(r['bucketStart'], b.bucketStart);
      assert.equal(Number(r['energyWh']), b.energyWh);
      assert.equal(r['quality'], b.quality);
    });
    const starts = new Set(api.map((b) => b.bucketStart));
    assert.equal(await page.locator('[data-testid=energy-table] tbody tr').count(), starts.size);
    assert.deepEqual(problems, []);
  });

  it('explore page: rollups, histogram, ACF with its band, forecast against actuals with the backtest', async () => {
    await page.goto(`${harness.url}/#/explore/home?channel=load&days=7&interval=day`);
    await page.getByTestId('rollup-table').waitFor({ timeout: 30_000 });
    assert.ok(
      (await page.locator('[data-testid=rollup-table] tbody tr').count()) >= 7,
      'a row per local day',
    );
    await page.locator('[data-testid=rollup-chart] canvas').waitFor();
    await page.locator('[data-testid=histogram-chart] canvas').waitFor({ timeout: 30_000 });
    assert.match(
      (await page.getByTestId('histogram-summary').textContent()) ?? '',
      /quarter hours in \d+ bins/,
    );
    await page.locator('[data-testid=acf-chart] canvas').waitFor({ timeout: 30_000 });
    assert.match((await page.getByTestId('acf-band').textContent()) ?? '', /95 % band ±0\.\d+/);
    // Nineteen days of history: enough for a backtest of a few origins, whose chosen model the forecast uses.
    await page.getByTestId('backtest-table').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=forecast-chart] canvas').waitFor();
    const model = (await page.getByTestId('forecast-model').textContent()) ?? '';
    assert.ok(model.length > 0);
    assert.equal(
      await page.locator('[data-testid=backtest-table] tbody th', { hasText: `${model} (chosen)` }).count(),
      1,
      `the backtest table names ${model} as chosen`,
    );
    await page.screenshot({ path: `${ARTIFACTS}/explore.png`, fullPage: true });
    await page.goto(`${harness.url}/#/explore/home?channel=load&days=28&interval=weekday`);
    await page.locator('[data-testid=rollup-table] tbody tr >> nth=6').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-testid=rollup-table] tbody tr').count(), 7, 'one row per weekday');
    assert.deepEqual(problems, []);
  });

  it('works at 375 px, by keyboard, and in dark mode', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${harness.url}/?width=375#/site/home`);
    await page.locator(CHART_HAS_POINTS).waitFor();
    for (const card of await page.locator('main > *, header').all()) {
      const box = await card.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `fits in 375 px: ${JSON.stringify(box)}`);
    }
    await page.screenshot({ path: `${ARTIFACTS}/site-375.png`, fullPage: true });
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').textContent(), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').textContent(), 'Fleet');
    await page.keyboard.press('Enter');
    await page.getByTestId('devices-up').waitFor();
    const light = await page
      .locator('body')
      .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page
      .locator('body')
      .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor);
    assert.notEqual(dark, light);
    await page.screenshot({ path: `${ARTIFACTS}/fleet-375-dark.png`, fullPage: true });
    assert.deepEqual(problems, []);
  });
});
