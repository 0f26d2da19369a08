// GET /v1/sites/{siteId}/gauges and /gauges/latest: the gauge log over HTTP (JSON and CSV), exact 400s
// for bad windows, 404 for unknown sites, and no query string that makes the route answer a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type GaugeEntry, hasGaugeLog } from '../../src/store/gauge-log.ts';
import { assertProblem, openApi, type TestApi } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 1); // the app clock in openApi
const T0 = NOW - 10 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function gauge(name: string, tMs: number, value: number, receivedMs = tMs): GaugeEntry {
  return { siteId: 'home', name, tMs, value, receivedMs };
}

describe('GET /v1/sites/{siteId}/gauges', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
    const site = { timezone: 'America/Los_Angeles', source: 'powerwall', metadata: {} };
    await api.store.upsertSites([
      { siteId: 'home', name: 'Home', ...site },
      { siteId: 'quiet', name: 'No gauges', ...site },
    ]);
    assert.ok(hasGaugeLog(api.store));
    await api.store.appendGauges([
      gauge('soc', T0, 60),
      gauge('grid-connected', T0, 1),
      gauge('soc', T0 + 60_000, 61),
      // Read twice at one instant: the later-received value wins (DESIGN §3.1, as for readings).
      gauge('soc', T0 + 120_000, 61.5, T0 + 120_000),
      gauge('soc', T0 + 120_000, 62, T0 + 121_000),
      gauge('grid-connected', T0 + 120_000, 0),
    ]);
  });
  after(() => api.close());

  it('/latest answers the newest value of each gauge with its instant', async () => {
    const res = await api.app.inject({ url: '/v1/sites/home/gauges/latest' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      siteId: 'home',
      gauges: {
        soc: { t: iso(T0 + 120_000), value: 62 },
        'grid-connected': { t: iso(T0 + 120_000), value: 0 },
      },
    });
    const quiet = await api.app.inject({ url: '/v1/sites/quiet/gauges/latest' });
    assert.deepEqual(quiet.json(), { siteId: 'quiet', gauges: {} });
  });

  it('history: one column pair per gauge within [from, to), the later-received value at an instant', async () => {
    const res = await api.app.inject({
      url: `/v1/sites/home/gauges?from=${iso(T0)}&to=${iso(T0 + 120_000)}`,
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      siteId: 'home',
      from: iso(T0),
      to: iso(T0 + 120_000),
      truncated: false,
      series: [
        { name: 'grid-connected', tMs: [T0], values: [1] },
        { name: 'soc', tMs: [T0, T0 + 60_000], values: [60, 61] },
      ],
    });
    const soc = await api.app.inject({ url: '/v1/sites/home/gauges?name=soc' });
    assert.deepEqual(soc.json().series, [
      { name: 'soc', tMs: [T0, T0 + 60_000, T0 + 120_000], values: [60, 61, 62] },
    ]);
  });

  it('CSV with format=csv or Accept: text/csv', async () => {
    const res = await api.app.inject({
      url: '/v1/sites/home/gauges?name=soc',
      headers: { accept: 'text/csv' },
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.equal(
      res.body,
      `site,name,t,value\nhome,soc,${iso(T0)},60\nhome,soc,${iso(T0 + 60_000)},61\nhome,soc,${iso(T0 + 120_000)},62\n`,
    );
  });

  it('a bad or reversed window is a 400 naming the field and its value; an unknown site is a 404', async () => {
    const bad = assertProblem(
      await api.app.inject({ url: '/v1/sites/home/gauges?from=yesterday' }),
      400,
      'invalid-datetime',
    );
    assert.deepEqual(
      bad.errors.map((e) => [e.path, e.value]),
      [['/from', 'yesterday']],
    );
    const reversed = assertProblem(
      await api.app.inject({ url: `/v1/sites/home/gauges?from=${iso(T0)}&to=${iso(T0 - 1000)}` }),
      400,
      'invalid-range',
    );
    assert.ok(reversed.errors.some((e) => e.path === '/from' && e.value === iso(T0)));
    assertProblem(await api.app.inject({ url: '/v1/sites/nope/gauges' }), 404, 'site-not-found');
    assertProblem(await api.app.inject({ url: '/v1/sites/nope/gauges/latest' }), 404, 'site-not-found');
  });

  it('no query string produces a 500: any from, to, name or format is a 200 or a 4xx problem', async () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom(iso(T0), '2025-12-31T12-00-00Z', '2026-02-30T00:00:00Z', '', 'now'),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        text,
        fc.constantFrom('json', 'csv', 'x', ''),
        async (from, to, name, format) => {
          const q = new URLSearchParams({ from, to, name, format }).toString();
          const res = await api.app.inject({ url: `/v1/sites/home/gauges?${q}` });
          assert.ok(
            res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500),
            `${q}: ${res.statusCode}`,
          );
          if (res.statusCode !== 200)
            assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        },
      ),
      { numRuns: 100 },
    );
  });
});
