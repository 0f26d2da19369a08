// The /v1 analytics routes over a real in-memory DuckDB store: answers in JSON and CSV, and every bad
// parameter a 400 problem+json naming it (DESIGN §5).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Reading } from '../../src/domain/reading.ts';
import { generatedLoad } from '../support/generated-load.ts';
import { syntheticHome } from '../support/synthetic-home.ts';
import { assertProblem, errorAt, openApi, type TestApi } from './helpers.ts';

const Q = 900_000;
const H = 3_600_000;
const DAY = 86_400_000;
const from = Date.UTC(2024, 0, 1);
const WEEKS = 3;
const home0 = Date.UTC(2024, 5, 3);

describe('/v1 analytics routes', () => {
  let api: TestApi;
  let totalWh = 0;
  before(async () => {
    api = await openApi({ clock: () => home0 + 2 * DAY });
    await api.store.upsertSites([
      { siteId: 'flat', name: 'Flat', timezone: 'Europe/Zurich', source: 'push', metadata: {} },
      {
        siteId: 'home',
        name: 'Home',
        timezone: 'Europe/Zurich',
        source: 'push',
        metadata: { latitude: 47.37, longitude: 8.54 },
      },
    ]);
    const g = generatedLoad(from, WEEKS, 3, 0.4);
    const readings: Reading[] = g.points.map((p) => ({
      siteId: 'flat',
      channel: 'load',
      kind: 'interval-energy',
      tMs: p.tMs,
      endMs: p.tMs + Q,
      value: p.energyWh,
      receivedMs: 0,
    }));
    totalWh = g.points.reduce((a, p) => a + p.energyWh, 0);
    await api.store.ingest(readings);
    // Two days of a home whose solar reads −300 W for an hour on the second night.
    const home = syntheticHome(home0, 2, [
      { kind: 'negative-solar', fromMs: home0 + DAY + 1 * H, toMs: home0 + DAY + 2 * H },
    ]);
    const power: Reading[] = [];
    for (const [channel, buckets] of Object.entries(home.input.buckets)) {
      for (const b of buckets) {
        power.push({
          siteId: 'home',
          channel,
          kind: 'interval-energy',
          tMs: b.tMs,
          endMs: b.tMs + Q,
          value: b.energyWh,
          receivedMs: 0,
        });
      }
    }
    await api.store.ingest(power);
  });
  after(() => api.close());

  const get = (url: string, headers: Record<string, string> = {}) => api.app.inject({ url, headers });

  test('rollup by local day: every day of the window, energy conserved, full coverage', async () => {
    const res = await get('/v1/sites/flat/series/load/rollup?interval=day&tz=UTC');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      rows: { period: string; energyWh: number; coverage: number }[];
      timeZone: string;
    };
    assert.equal(body.timeZone, 'UTC');
    assert.equal(body.rows.length, 7 * WEEKS);
    assert.equal(body.rows[0]!.period, '2024-01-01');
    assert.ok(Math.abs(body.rows.reduce((a, r) => a + r.energyWh, 0) - totalWh) < 1e-6);
    for (const r of body.rows) assert.equal(r.coverage, 1);
  });

  test('rollup as CSV, by weekday in the site zone', async () => {
    const res = await get('/v1/sites/flat/series/load/rollup?interval=weekday', { accept: 'text/csv' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const lines = res.body.trim().split('\n');
    assert.equal(lines[0], 'period,start,energyWh,meanWh,minWh,maxWh,count,expected,coverage');
    assert.equal(lines.length, 8);
    assert.match(lines[1]!, /^Mon,,/);
  });

  test('profile: 96 daily slots with features; weekly has 672; CSV too', async () => {
    const daily = (await get('/v1/sites/flat/series/load/profile?tz=UTC')).json() as {
      slots: { count: number }[];
      features: { peakHours: number[]; baselinePowerW: number; weekendWeekdayRatio: number };
    };
    assert.equal(daily.slots.length, 96);
    assert.equal(daily.slots[0]!.count, 7 * WEEKS);
    assert.equal(daily.features.peakHours[0], 19);
    assert.ok(daily.features.weekendWeekdayRatio > 1);
    const weekly = (await get('/v1/sites/flat/series/load/profile?kind=weekly')).json() as {
      slots: unknown[];
    };
    assert.equal(weekly.slots.length, 672);
    const csv = await get('/v1/sites/flat/series/load/profile?format=csv');
    assert.equal(csv.body.split('\n')[0], 'slot,isoWeekday,time,meanWh,p10Wh,medianWh,p90Wh,count');
  });

  test('histogram: Freedman–Diaconis bins holding every slot', async () => {
    const body = (await get('/v1/sites/flat/series/load/histogram')).json() as {
      rule: string;
      bins: { count: number }[];
      summary: { count: number };
    };
    assert.equal(body.rule, 'freedman-diaconis');
    assert.equal(body.summary.count, WEEKS * 672);
    assert.equal(
      body.bins.reduce((a, b) => a + b.count, 0),
      WEEKS * 672,
    );
    const fixed = (await get('/v1/sites/flat/series/load/histogram?bins=10')).json() as {
      bins: unknown[];
      rule: string;
    };
    assert.equal(fixed.bins.length, 10);
    assert.equal(fixed.rule, 'fixed');
  });

  test('acf: the daily and weekly periods at lags 96 and 672', async () => {
    const body = (await get('/v1/sites/flat/series/load/acf?lag=700&tz=UTC')).json() as {
      periods: { lagSlots: number; name: string | null }[];
      lags: { lag: number; acf: number; pacf: number | null }[];
      band: number;
    };
    assert.deepEqual(
      body.periods.map((p) => p.name),
      ['day', 'week'],
    );
    assert.equal(body.lags.length, 701);
    assert.equal(body.lags[0]!.acf, 1);
    assert.ok(body.band > 0 && body.band < 0.1);
    const csv = await get('/v1/sites/flat/series/load/acf?lag=3&format=csv');
    assert.equal(csv.body.trim().split('\n').length, 5);
  });

  test('forecast: the backtest’s model, intervals, the table behind the choice; CSV', async () => {
    const res = await get(
      '/v1/sites/flat/series/load/forecast?from=2024-01-22T00:00:00Z&to=2024-01-23T00:00:00Z',
    );
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      model: string;
      chosenBy: string;
      points: { valueWh: number; lowerWh: number; upperWh: number }[];
      backtest: { chosen: string; scores: { model: string; mase: number }[] };
      total: { valueWh: number };
    };
    assert.equal(body.chosenBy, 'backtest');
    assert.equal(body.backtest.chosen, body.model);
    assert.equal(res.headers['x-forecast-model'], body.model);
    assert.equal(body.points.length, 96);
    assert.equal(body.backtest.scores.length, 5);
    for (const p of body.points) assert.ok(p.lowerWh <= p.valueWh && p.valueWh <= p.upperWh);
    const csv = await get(
      '/v1/sites/flat/series/load/forecast?from=2024-01-22T00:00:00Z&to=2024-01-22T01:00:00Z&format=csv&model=seasonal-naive-weekly',
    );
    assert.equal(csv.headers['x-forecast-model'], 'seasonal-naive-weekly');
    assert.equal(csv.body.trim().split('\n').length, 5);
  });

  test('backtest: one row per model with MASE, sMAPE and coverage', async () => {
    const res = await get('/v1/sites/flat/series/load/backtest?folds=3');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      origins: string[];
      scores: { mase: number; coverage: number }[];
      chosen: string;
    };
    assert.equal(body.origins.length, 3);
    assert.equal(body.origins[2], '2024-01-21T00:00:00Z');
    for (const s of body.scores) assert.ok(s.mase > 0 && s.coverage >= 0 && s.coverage <= 1);
    const csv = await get('/v1/sites/flat/series/load/backtest?folds=2&format=csv');
    assert.equal(csv.body.split('\n')[0], 'model,mase,smapePct,coverage,maeWh,points');
  });

  test('anomalies: the injected negative solar, with explanation and severity; filters; CSV', async () => {
    const res = await get('/v1/anomalies?site=home&from=2024-06-03T00:00:00Z&to=2024-06-05T00:00:00Z');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      anomalies: { kind: string; start: string; end: string; severity: string }[];
    };
    assert.deepEqual(
      body.anomalies.map((a) => [a.kind, a.start, a.end]),
      [['negative-solar', '2024-06-04T01:00:00Z', '2024-06-04T02:00:00Z']],
    );
    const none = (
      await get('/v1/anomalies?site=home&kind=flatline,device-down&from=2024-06-03T00:00:00Z')
    ).json() as {
      anomalies: unknown[];
    };
    assert.deepEqual(none.anomalies, []);
    // Default window: the 24 h before now (the clock), across all sites.
    const all = (await get('/v1/anomalies')).json() as { from: string; to: string; anomalies: unknown[] };
    assert.equal(all.to, '2024-06-05T00:00:00Z');
    assert.equal(all.anomalies.length, 1, JSON.stringify(all.anomalies));
    const csv = await get('/v1/anomalies?site=home&from=2024-06-03T00:00:00Z&format=csv');
    assert.match(csv.body.split('\n')[1]!, /^home,negative-solar,solar,2024-06-04T01:00:00Z/);
  });

  test('bad parameters are 400 problem+json naming the parameter; unknown sites and channels 404', async () => {
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/load/rollup?tz=Mars/Olympus'), 400, 'invalid-time-zone'),
      '/tz',
    );
    errorAt(
      assertProblem(
        await get('/v1/sites/flat/series/load/rollup?interval=fortnight'),
        400,
        'validation-failed',
      ),
      '/interval',
    );
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/load/rollup?from=yesterday'), 400, 'invalid-datetime'),
      '/from',
    );
    assertProblem(
      await get('/v1/sites/flat/series/load/rollup?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z'),
      400,
      'invalid-range',
    );
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/load/acf?lag=5000'), 400, 'validation-failed'),
      '/lag',
    );
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/load/histogram?bins=0'), 400, 'validation-failed'),
      '/bins',
    );
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/load/forecast?model=oracle'), 400, 'validation-failed'),
      '/model',
    );
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/load/forecast?level=2'), 400, 'validation-failed'),
      '/level',
    );
    assertProblem(
      await get('/v1/sites/flat/series/load/forecast?from=2024-01-22T00:00:00Z&to=2024-03-22T00:00:00Z'),
      400,
      'invalid-range',
    );
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/load/backtest?folds=0'), 400, 'validation-failed'),
      '/folds',
    );
    errorAt(assertProblem(await get('/v1/anomalies?kind=gremlins'), 400, 'invalid-parameter'), '/kind');
    errorAt(assertProblem(await get('/v1/anomalies?site=nowhere'), 404, 'site-not-found'), '/site');
    errorAt(
      assertProblem(await get('/v1/sites/flat/series/solar/profile'), 404, 'series-not-found'),
      '/channel',
    );
    errorAt(assertProblem(await get('/v1/sites/nowhere/series/load/acf'), 404, 'site-not-found'), '/siteId');
    assertProblem(
      await get('/v1/sites/flat/series/load/rollup', { accept: 'image/png' }),
      406,
      'not-acceptable',
    );
    // Too little history before the forecast start: 422 naming from.
    errorAt(
      assertProblem(
        await get('/v1/sites/flat/series/load/forecast?from=2024-01-01T06:00:00Z'),
        422,
        'insufficient-history',
      ),
      '/from',
    );
  });

  test('property: no query string makes an analytics route answer 5xx (DESIGN §5)', async () => {
    const value = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '-1',
        '1e400',
        'NaN',
        '2024-01-10T00:00:00Z',
        '2024-13-01T00:00:00Z',
        'UTC',
        'csv',
      ),
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -5, max: 5000 }).map(String),
    );
    const route = fc.constantFrom('rollup', 'profile', 'histogram', 'acf', 'backtest', 'forecast');
    const field = fc.constantFrom(
      'from',
      'to',
      'tz',
      'interval',
      'kind',
      'bins',
      'lag',
      'level',
      'model',
      'folds',
      'horizon',
      'format',
    );
    await fc.assert(
      fc.asyncProperty(route, fc.array(fc.tuple(field, value), { maxLength: 3 }), async (r, pairs) => {
        const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const res = await get(`/v1/sites/flat/series/load/${r}?${query}`);
        assert.ok(res.statusCode < 500, `${r}?${query} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      }),
      { numRuns: 60 },
    );
  });
});
