// GET /v1/sites/{siteId}/readings: columns per channel, CSV that `wattline import` takes back, and bad
// input as 400 naming the field (DESIGN §5).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { Reading } from '../../src/domain/reading.ts';
import { assertProblem, errorAt, openApi, type TestApi } from './helpers.ts';

const T0 = Date.UTC(2025, 11, 31, 12); // the app clock is 2026-01-01T00:00Z

function power(channel: string, tMs: number, value: number): Reading {
  return { siteId: 'home', channel, kind: 'power', tMs, endMs: null, value, receivedMs: tMs };
}

describe('GET /v1/sites/{siteId}/readings', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
    await api.store.ingest([
      power('grid', T0, 100),
      power('grid', T0 + 5000, 150),
      power('solar', T0, 2000),
      power('solar', T0 + 5000, 2100),
      // A later-received value at the same instant wins (DESIGN §3.1).
      { ...power('grid', T0 + 5000, 175), receivedMs: T0 + 9000 },
      { siteId: 'home', channel: 'grid', kind: 'counter', tMs: T0, endMs: null, value: 5000, receivedMs: T0 },
    ]);
  });
  after(() => api.close());

  it('answers the power readings of the last 24 h as columns per channel, de-duplicated', async () => {
    const res = await api.app.inject({ url: '/v1/sites/home/readings' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      siteId: 'home',
      kind: 'power',
      unit: 'W',
      from: '2025-12-31T00:00:00Z',
      to: '2026-01-01T00:00:00Z',
      truncated: false,
      series: [
        { channel: 'grid', tMs: [T0, T0 + 5000], values: [100, 175] },
        { channel: 'solar', tMs: [T0, T0 + 5000], values: [2000, 2100] },
      ],
    });
  });

  it('filters by channel, kind and a half-open window', async () => {
    const one = await api.app.inject({
      url: `/v1/sites/home/readings?channel=solar&from=${new Date(T0).toISOString()}&to=${new Date(T0 + 5000).toISOString()}`,
    });
    assert.deepEqual(one.json().series, [{ channel: 'solar', tMs: [T0], values: [2000] }]);
    const counters = await api.app.inject({ url: '/v1/sites/home/readings?kind=counter' });
    assert.equal(counters.json().unit, 'Wh');
    assert.deepEqual(counters.json().series, [{ channel: 'grid', tMs: [T0], values: [5000] }]);
  });

  it('answers CSV rows in the import format', async () => {
    const res = await api.app.inject({ url: '/v1/sites/home/readings?channel=grid&format=csv' });
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.deepEqual(parse(res.body, { columns: true }), [
      { site: 'home', channel: 'grid', t: '2025-12-31T12:00:00Z', value: '100', unit: 'W', kind: 'power' },
      { site: 'home', channel: 'grid', t: '2025-12-31T12:00:05Z', value: '175', unit: 'W', kind: 'power' },
    ]);
  });

  it('404 for an unknown site, 400 naming a bad date-time, a reversed or overlong window', async () => {
    assertProblem(await api.app.inject({ url: '/v1/sites/nope/readings' }), 404, 'site-not-found');
    const bad = assertProblem(
      await api.app.inject({ url: '/v1/sites/home/readings?from=yesterday' }),
      400,
      'invalid-datetime',
    );
    assert.equal(errorAt(bad, '/from').value, 'yesterday');
    const reversed = assertProblem(
      await api.app.inject({
        url: '/v1/sites/home/readings?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      }),
      400,
      'invalid-range',
    );
    errorAt(reversed, '/to');
    const long = assertProblem(
      await api.app.inject({ url: '/v1/sites/home/readings?from=2025-01-01T00:00:00Z' }),
      400,
      'invalid-range',
    );
    assert.equal(errorAt(long, '/from').value, '2025-01-01T00:00:00Z');
    const kind = assertProblem(
      await api.app.inject({ url: '/v1/sites/home/readings?kind=volts' }),
      400,
      'validation-failed',
    );
    assert.ok(
      kind.errors.some((e) => e.path === '/kind'),
      JSON.stringify(kind.errors),
    );
  });

  it('no query string produces a 500: any from, to, channel or kind is a 200 or a 4xx problem', async () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('2025-12-31T12:00:00Z', '2025-12-31T12-00-00Z', '2026-02-30T00:00:00Z', '', 'now'),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        text,
        fc.constantFrom('power', 'counter', 'x', ''),
        async (from, to, ch, kind) => {
          const q = new URLSearchParams({ from, to, channel: ch, kind }).toString();
          const res = await api.app.inject({ url: `/v1/sites/home/readings?${q}` });
          assert.ok(
            res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500),
            `${q}: ${res.statusCode}`,
          );
          if (res.statusCode !== 200)
            assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        },
      ),
      { numRuns: 150 },
    );
  });
});
