// GET /topusers: the ships with the most energy in a window, ties by number ascending.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, openApi, postJson, type TestApi } from './helpers.ts';

/** Posts one kWh value per 15-minute bucket from 2018-08-24T00:00Z. */
async function postShip(api: TestApi, ship: number, kwh: number[], startHour = 0): Promise<void> {
  const data = kwh.map((value, i) => ({
    datetime: new Date(Date.UTC(2018, 7, 24, startHour, i * 15)).toISOString(),
    value,
  }));
  const res = await postJson(api.app, '/data', { spaceship_id: ship, units: 'kWh', data });
  assert.equal(res.statusCode, 201, res.body);
}

describe('GET /topusers', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
    await postShip(api, 34, [2000, 3002]); // 5002
    await postShip(api, 74, [70, 4]); // 74
    await postShip(api, 525, [1, 2]); // 3
    await postShip(api, 10, [5, 5]); // 10, tied with 9
    await postShip(api, 9, [4, 6]); // 10
    await postShip(api, 2, [1, 1], 1); // 2, later in the day
    // Sites that are not ships share the channel, or are ships on another channel: both are left out.
    const res = await postJson(api.app, '/v1/readings', {
      readings: [
        {
          siteId: 'home-a',
          channel: 'consumption',
          kind: 'interval-energy',
          t: '2018-08-24T00:00:00Z',
          value: 9e6,
          unit: 'kWh',
        },
        {
          siteId: '11',
          channel: 'grid',
          kind: 'interval-energy',
          t: '2018-08-24T00:00:00Z',
          value: 8e6,
          unit: 'kWh',
        },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
  });
  after(() => api.close());

  test('count defaults to 3; datetime is the first stored bucket when no start is given', async () => {
    const res = await api.app.inject({ url: '/topusers' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      datetime: '2018-08-24T00:00:00Z',
      ships: [
        { spaceship_id: 34, consumption: 5002 },
        { spaceship_id: 74, consumption: 74 },
        { spaceship_id: 9, consumption: 10 },
      ],
    });
  });

  test('ties are ordered by number ascending, numerically (9 before 10)', async () => {
    const body = (await api.app.inject({ url: '/topusers?count=5' })).json();
    assert.deepEqual(
      body.ships.map((s: { spaceship_id: number }) => s.spaceship_id),
      [34, 74, 9, 10, 525],
    );
  });

  test('a count above the number of ships answers all ships', async () => {
    const body = (await api.app.inject({ url: '/topusers?count=1000' })).json();
    assert.deepEqual(
      body.ships.map((s: { spaceship_id: number }) => s.spaceship_id),
      [34, 74, 9, 10, 525, 2],
    );
  });

  test('the window [start, end) limits the energy counted, and datetime echoes start', async () => {
    const res = await api.app.inject({
      url: '/topusers?count=3&start=2018-08-24T00-15-00Z&end=2018-08-24T01-15-00Z',
    });
    assert.deepEqual(res.json(), {
      datetime: '2018-08-24T00:15:00Z',
      ships: [
        { spaceship_id: 34, consumption: 3002 },
        { spaceship_id: 9, consumption: 6 },
        { spaceship_id: 10, consumption: 5 },
      ],
    });
  });

  test('a window without data answers no ships', async () => {
    const res = await api.app.inject({
      url: '/topusers?start=2019-01-01T00:00:00Z&end=2019-01-02T00:00:00Z',
    });
    assert.deepEqual(res.json(), { datetime: '2019-01-01T00:00:00Z', ships: [] });
  });

  test('start after end is a 400 invalid-range', async () => {
    const res = await api.app.inject({
      url: '/topusers?start=2018-08-25T00:00:00Z&end=2018-08-24T00:00:00Z',
    });
    assertProblem(res, 400, 'invalid-range');
  });
});

describe('GET /topusers on an empty store', () => {
  test('answers no ships and a null datetime', async () => {
    const api = await openApi();
    try {
      assert.deepEqual((await api.app.inject({ url: '/topusers' })).json(), { datetime: null, ships: [] });
    } finally {
      await api.close();
    }
  });
});
