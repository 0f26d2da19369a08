// GET /forecast over real stored data: the model sees only what lies before start.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MODEL_NAMES } from '../../src/analytics/forecast/models.ts';
import { assertProblem, errorAt, openApi, postJson, type TestApi } from './helpers.ts';

const Q = 900_000;
const DAY = 86_400_000;
const Z80 = 1.2815515655446004;

interface ForecastBody {
  datetime: string;
  expected_consumption: number;
  method: string;
  units: string;
  interval: { level: number; lower: number; upper: number };
  data: { datetime: string; value: number; lower: number; upper: number }[];
}

/** kWh of ship 1 in the bucket starting at t: a daily shape, a weekday level and a week-to-week trend. */
function usage(t: number): number {
  const d = new Date(t);
  const slot = d.getUTCHours() * 4 + d.getUTCMinutes() / 15;
  const week = Math.floor((t - Date.UTC(2018, 7, 1)) / (7 * DAY));
  return 1 + (slot % 8) / 4 + d.getUTCDay() * 0.5 + week * 0.3;
}

async function postRange(api: TestApi, ship: number, fromMs: number, toMs: number, f: (t: number) => number) {
  const data = [];
  for (let t = fromMs; t < toMs; t += Q) data.push({ datetime: new Date(t).toISOString(), value: f(t) });
  const res = await postJson(api.app, '/data', { spaceship_id: ship, units: 'kWh', data });
  assert.equal(res.statusCode, 201, res.body);
}

function close(a: number, b: number, what: string) {
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);
}

describe('GET /forecast', () => {
  let api: TestApi;
  const history0 = Date.UTC(2018, 7, 1);
  const start = Date.UTC(2018, 7, 22);
  before(async () => {
    api = await openApi();
    await postRange(api, 1, history0, start, usage);
    // Data after start must not change the forecast.
    await postRange(api, 1, start, start + DAY, () => 1000);
    await postRange(api, 2, start - 2 * DAY, start, (t) => (new Date(t).getUTCDate() === 20 ? 2 : 4));
    await postRange(api, 3, start - 3 * 3_600_000, start, () => 1);
  });
  after(() => api.close());

  test('with three weeks of history: the model its backtest chose, named in method and x-forecast-model', async () => {
    const res = await api.app.inject({
      url: '/forecast?spaceship_id=1&start=2018-08-22T00-00-00Z&end=2018-08-22T06-00-00Z',
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as ForecastBody;
    assert.equal(body.datetime, '2018-08-22T00:00:00Z');
    assert.ok((MODEL_NAMES as readonly string[]).includes(body.method), body.method);
    assert.equal(res.headers['x-forecast-model'], body.method);
    assert.equal(body.units, 'kWh');
    assert.equal(body.data.length, 24);
    let total = 0;
    body.data.forEach((d, i) => {
      const t = start + i * Q;
      assert.equal(d.datetime, new Date(t).toISOString().replace('.000Z', 'Z'));
      assert.ok(d.lower <= d.value && d.value <= d.upper, JSON.stringify(d));
      // The data after start (1000 kWh per slot) is not seen: the forecast stays near the history's range.
      assert.ok(d.value > 0.5 && d.value < 10, JSON.stringify(d));
      total += d.value;
    });
    close(body.expected_consumption, total, 'total');
    assert.equal(body.interval.level, 0.8);
    assert.ok(
      body.interval.lower <= total + 1e-9 && total <= body.interval.upper + 1e-9,
      JSON.stringify(body.interval),
    );
    // The interval of the total is narrower than the sum of the slots' intervals.
    assert.ok(
      body.interval.upper - body.interval.lower <= body.data.reduce((a, d) => a + d.upper - d.lower, 0),
    );
    // The same model and numbers as the /v1 forecast of the ship's consumption series (in Wh there).
    const v1 = await api.app.inject({
      url: '/v1/sites/1/series/consumption/forecast?from=2018-08-22T00:00:00Z&to=2018-08-22T06:00:00Z',
    });
    assert.equal(v1.statusCode, 200, v1.body);
    const v1body = v1.json() as { model: string; points: { valueWh: number }[] };
    assert.equal(v1body.model, body.method);
    body.data.forEach((d, i) => {
      close(d.value, v1body.points[i]!.valueWh / 1000, `slot ${i}`);
    });
  });

  test('with two days of history: the mean of the same time of day', async () => {
    const body = (
      await api.app.inject({
        url: '/forecast?spaceship_id=2&start=2018-08-22T00:00:00Z&end=2018-08-22T01:00:00Z',
      })
    ).json() as ForecastBody;
    assert.equal(body.method, 'seasonal-profile-daily');
    assert.deepEqual(
      body.data.map((d) => d.value),
      [3, 3, 3, 3],
    );
    assert.equal(body.expected_consumption, 12);
    close(body.data[0]!.upper, 3 + Z80 * Math.SQRT2, 'upper');
  });

  test('with 3 hours of history: 422 insufficient-history saying what is needed and found', async () => {
    const res = await api.app.inject({
      url: '/forecast?spaceship_id=3&start=2018-08-22T00:00:00Z&end=2018-08-23T00:00:00Z',
    });
    const p = assertProblem(res, 422, 'insufficient-history');
    assert.match(p.detail, /at least 1 day of data before start/);
    assert.match(p.detail, /found 3 h/);
  });

  test('data only after start is no history', async () => {
    const res = await api.app.inject({
      url: '/forecast?spaceship_id=1&start=2018-08-01T00:00:00Z&end=2018-08-02T00:00:00Z',
    });
    const p = assertProblem(res, 422, 'insufficient-history');
    assert.match(p.detail, /found none/);
  });

  test('start and end are required, ordered, and at most 31 days apart', async () => {
    errorAt(
      assertProblem(
        await api.app.inject({ url: '/forecast?spaceship_id=1&end=2018-08-23T00:00:00Z' }),
        400,
        'validation-failed',
      ),
      '/start',
    );
    errorAt(
      assertProblem(
        await api.app.inject({ url: '/forecast?spaceship_id=1&start=2018-08-23T00:00:00Z' }),
        400,
        'validation-failed',
      ),
      '/end',
    );
    assertProblem(
      await api.app.inject({
        url: '/forecast?spaceship_id=1&start=2018-08-23T00:00:00Z&end=2018-08-22T00:00:00Z',
      }),
      400,
      'invalid-range',
    );
    assertProblem(
      await api.app.inject({
        url: '/forecast?spaceship_id=1&start=2018-08-22T00:00:00Z&end=2018-09-23T00:00:00Z',
      }),
      400,
      'invalid-range',
    );
  });

  test('an unknown ship is a 404', async () => {
    const res = await api.app.inject({
      url: '/forecast?spaceship_id=77&start=2018-08-22T00:00:00Z&end=2018-08-23T00:00:00Z',
    });
    assertProblem(res, 404, 'site-not-found');
  });
});
