// The seed's POST /data and GET /data: the README examples hold exactly (DESIGN §3.3 power held until the
// next sample, §3.4 interval energy spread over [t, next t)).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, errorAt, fixture, openApi, postJson, type TestApi } from './helpers.ts';

interface DataBody {
  spaceship_id: number;
  units: string;
  data: { datetime: string; value: number }[];
}

describe('seed POST /data then GET /data', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
    for (const f of [
      'post_example_1_kWh_hourly.json',
      'post_example_2_kW_5min.json',
      'post_example_3_kWh_15min.json',
    ]) {
      const res = await postJson(api.app, '/data', fixture(f));
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  after(() => api.close());

  test('example 1: hourly kWh is spread over the hour, four buckets of 3 kWh (§3.4)', async () => {
    const res = await api.app.inject({
      url: '/data?spaceship_id=1&start=2018-08-24T00-00-00Z&end=2018-08-24T01-00-00Z',
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json(), fixture('get_data_response_example.json'));
  });

  test('example 2: 5-minute kW samples integrate to 5.75 and 5.25 kWh (§3.3)', async () => {
    const body = (await api.app.inject({ url: '/data?spaceship_id=2' })).json() as DataBody;
    assert.equal(body.units, 'kWh');
    assert.deepEqual(
      body.data.map((d) => d.datetime),
      ['2018-08-24T00:00:00Z', '2018-08-24T00:15:00Z', '2018-08-24T00:30:00Z'],
    );
    assert.equal(body.data[0]!.value, 5.75);
    assert.equal(body.data[1]!.value, 5.25);
    // The last sample holds for the series' typical spacing, 5 minutes: 8 kW × 5 min.
    assert.ok(Math.abs(body.data[2]!.value - 8 / 12) < 1e-12);
  });

  test('example 3: 15-minute kWh come back unchanged', async () => {
    const body = (await api.app.inject({ url: '/data?spaceship_id=3' })).json() as DataBody;
    assert.deepEqual(body, {
      spaceship_id: 3,
      units: 'kWh',
      data: [
        { datetime: '2018-08-24T00:00:00Z', value: 2 },
        { datetime: '2018-08-24T00:15:00Z', value: 5 },
        { datetime: '2018-08-24T00:30:00Z', value: 2 },
        { datetime: '2018-08-24T00:45:00Z', value: 6 },
      ],
    });
  });

  test('the window is half-open and accepts ISO with offsets', async () => {
    const body = (
      await api.app.inject({
        url: `/data?spaceship_id=3&start=${encodeURIComponent('2018-08-24T02:15:00+02:00')}&end=2018-08-24T00:45:00Z`,
      })
    ).json() as DataBody;
    assert.deepEqual(
      body.data.map((d) => [d.datetime, d.value]),
      [
        ['2018-08-24T00:15:00Z', 5],
        ['2018-08-24T00:30:00Z', 2],
      ],
    );
  });

  test('units=kW answers the mean power over the covered part of each bucket', async () => {
    const body = (await api.app.inject({ url: '/data?spaceship_id=2&units=kW' })).json() as DataBody;
    assert.equal(body.units, 'kW');
    // 5.75 kWh in 0.25 h; 5.25 kWh in 0.25 h; the last bucket is covered 5 minutes at 8 kW.
    assert.deepEqual(
      body.data.map((d) => Math.round(d.value * 1e9) / 1e9),
      [23, 21, 8],
    );
    const hourly = (await api.app.inject({ url: '/data?spaceship_id=1&units=kW' })).json() as DataBody;
    assert.deepEqual(
      hourly.data.map((d) => d.value),
      [12, 12, 12, 12, 26, 26, 26, 26, 18, 18, 18, 18],
    );
  });

  test('the other units convert from kWh and kW', async () => {
    const wh = (await api.app.inject({ url: '/data?spaceship_id=3&units=Wh' })).json() as DataBody;
    assert.equal(wh.units, 'Wh');
    assert.deepEqual(
      wh.data.map((d) => d.value),
      [2000, 5000, 2000, 6000],
    );
    const mw = (await api.app.inject({ url: '/data?spaceship_id=2&units=MW' })).json() as DataBody;
    assert.ok(Math.abs(mw.data[0]!.value - 0.023) < 1e-12);
  });

  test('format=csv answers text/csv with a datetime,value header', async () => {
    const res = await api.app.inject({ url: '/data?spaceship_id=3&format=csv' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.equal(
      res.body,
      'datetime,value\n2018-08-24T00:00:00Z,2\n2018-08-24T00:15:00Z,5\n2018-08-24T00:30:00Z,2\n2018-08-24T00:45:00Z,6\n',
    );
  });

  test('Accept: text/csv answers CSV; format=json overrides it', async () => {
    const csv = await api.app.inject({
      url: '/data?spaceship_id=2&units=kW',
      headers: { accept: 'text/csv' },
    });
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines[0], 'datetime,value');
    assert.equal(lines.length, 4);
    assert.equal(lines[1], '2018-08-24T00:00:00Z,23');
    const json = await api.app.inject({
      url: '/data?spaceship_id=2&format=json',
      headers: { accept: 'text/csv' },
    });
    assert.match(String(json.headers['content-type']), /^application\/json/);
    const browser = await api.app.inject({
      url: '/data?spaceship_id=2',
      headers: { accept: 'text/html,*/*;q=0.8' },
    });
    assert.match(String(browser.headers['content-type']), /^application\/json/);
  });

  test('an Accept header that admits neither JSON nor CSV is a 406 problem', async () => {
    const res = await api.app.inject({ url: '/data?spaceship_id=2', headers: { accept: 'application/xml' } });
    assertProblem(res, 406, 'not-acceptable');
  });

  test('repeating a POST changes nothing (§3.1)', async () => {
    const before = (await api.app.inject({ url: '/data?spaceship_id=2' })).json();
    const res = await postJson(api.app, '/data', fixture('post_example_2_kW_5min.json'));
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().points_accepted, 7);
    assert.deepEqual((await api.app.inject({ url: '/data?spaceship_id=2' })).json(), before);
  });

  test('an unknown ship is a 404 site-not-found problem', async () => {
    const res = await api.app.inject({ url: '/data?spaceship_id=999' });
    const p = assertProblem(res, 404, 'site-not-found');
    assert.equal(errorAt(p, '/spaceship_id').value, 999);
  });

  test('a window without data answers an empty list', async () => {
    const res = await api.app.inject({
      url: '/data?spaceship_id=1&start=2019-01-01T00:00:00Z&end=2019-01-02T00:00:00Z',
    });
    assert.deepEqual(res.json(), { spaceship_id: 1, units: 'kWh', data: [] });
  });
});

describe('seed POST /data answers', () => {
  test('201 with the points accepted and the buckets touched', async () => {
    const api = await openApi();
    try {
      const res = await postJson(api.app, '/data', fixture('post_example_1_kWh_hourly.json'));
      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.equal(body.spaceship_id, 1);
      assert.equal(body.units, 'kWh');
      assert.equal(body.points_accepted, 3);
      assert.equal(body.first_bucket, '2018-08-24T00:00:00Z');
      assert.equal(body.last_bucket, '2018-08-24T02:45:00Z');
      assert.equal(body.buckets_touched, 12);
      const site = await api.store.getSite('1');
      assert.deepEqual(site, {
        siteId: '1',
        name: 'spaceship 1',
        timezone: 'UTC',
        source: 'spaceship',
        metadata: {},
      });
    } finally {
      await api.close();
    }
  });

  test('MW and Wh are converted at the edge', async () => {
    const api = await openApi();
    try {
      await postJson(api.app, '/data', {
        spaceship_id: 7,
        units: 'Wh',
        data: [
          { datetime: '2018-08-24T00:00:00Z', value: 500 },
          { datetime: '2018-08-24T00:15:00Z', value: 250 },
        ],
      });
      await postJson(api.app, '/data', {
        spaceship_id: 8,
        units: 'MW',
        data: [
          { datetime: '2018-08-24T00:00:00Z', value: 0.004 },
          { datetime: '2018-08-24T00:15:00Z', value: 0.004 },
        ],
      });
      const wh = (await api.app.inject({ url: '/data?spaceship_id=7' })).json() as DataBody;
      assert.deepEqual(
        wh.data.map((d) => d.value),
        [0.5, 0.25],
      );
      const mw = (await api.app.inject({ url: '/data?spaceship_id=8' })).json() as DataBody;
      assert.deepEqual(
        mw.data.map((d) => d.value),
        [1, 1],
      );
    } finally {
      await api.close();
    }
  });
});
