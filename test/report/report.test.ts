// `wattline report` end to end: the real binary writes one HTML file from a DuckDB file, and Debian's
// Chromium (headless, through playwright-core) opens it with the network cut off: every chart draws,
// no script fails, and nothing is fetched.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { Reading } from '../../src/domain/reading.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import { generatedLoad } from '../support/generated-load.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wattline.js');
const Q = 900_000;

describe('wattline report', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wattline-report-'));
  const db = join(tmp, 'w.duckdb');
  const out = join(tmp, 'report.html');
  let stderr = '';
  before(async () => {
    const store = await openDuckDbStore({ path: db });
    await store.upsertSites([
      { siteId: 'flat', name: 'Flat <3 & "home"', timezone: 'Europe/Zurich', source: 'push', metadata: {} },
    ]);
    const g = generatedLoad(Date.UTC(2024, 0, 1), 4, 21, 0.4);
    const readings: Reading[] = g.points.map((p) => ({
      siteId: 'flat',
      channel: 'load',
      kind: 'interval-energy',
      tMs: p.tMs,
      endMs: p.tMs + Q,
      value: p.energyWh,
      receivedMs: 0,
    }));
    // A five-hour outage on day 20: the anomaly table must list it.
    const outage = [Date.UTC(2024, 0, 20, 3), Date.UTC(2024, 0, 20, 8)];
    await store.ingest(readings.filter((r) => r.tMs < outage[0]! || r.tMs >= outage[1]!));
    await store.close();
    ({ stderr } = await run(process.execPath, [BIN, 'report', '--site', 'flat', '--db', db, '--out', out], {
      env: { ...process.env, WATTLINE_DB: '' },
    }));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('the command says what it wrote; the file is self-contained', () => {
    assert.match(stderr, /wrote .*report\.html \(\d+ KiB\): 10 charts, 1 anomalies, site flat load/);
    const html = readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
    // The site name is escaped, not markup.
    assert.match(html, /Flat &#60;3 &#38; &#34;home&#34;/);
    assert.match(html, /Hypothesis: household load/);
  });

  test('Chromium draws every chart with no script error and no request beyond the file', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(out).href;
      await page.goto(url, { waitUntil: 'load' });
      const charts = await page.$$eval('[data-chart]', (els) =>
        els.map((el) => {
          const canvas = el.querySelector('canvas');
          let inked = 0;
          if (canvas !== null) {
            const ctx = canvas.getContext('2d');
            const img = ctx?.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; img !== undefined && i < img.length; i += 4) if (img[i]! > 0) inked++;
          }
          return {
            id: el.getAttribute('data-chart'),
            drawn: el.querySelector('.plot')?.getAttribute('data-drawn') ?? null,
            width: canvas?.width ?? 0,
            inked,
          };
        }),
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [url]);
      assert.deepEqual(
        charts.map((c) => c.id),
        [
          'series',
          'rollup-hour',
          'rollup-day',
          'rollup-week',
          'rollup-weekday',
          'histogram',
          'acf',
          'profile-daily',
          'profile-weekly',
          'forecast',
        ],
      );
      for (const c of charts) {
        assert.equal(c.drawn, '1', `${c.id} was not drawn`);
        assert.ok(c.width > 300, `${c.id} width ${c.width}`);
        // Axes alone ink a few thousand pixels; data ink more.
        assert.ok(c.inked > 2000, `${c.id} has only ${c.inked} inked pixels`);
      }
      const anomalies = await page.$$eval('#anomalies tbody tr', (rows) =>
        rows.map((r) => r.textContent ?? ''),
      );
      assert.equal(anomalies.length, 1);
      assert.match(anomalies[0]!, /device-down/);
    } finally {
      await browser.close();
    }
  });
});
