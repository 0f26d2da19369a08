// The generic API under /v1: push of raw readings, sites, and paged buckets in JSON or CSV.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { assertNothingStored, assertProblem, errorAt, openApi, postJson, type TestApi } from './helpers.ts';

const reading = (over: Record<string, unknown> = {}) => ({
  siteId: 'home-1',
  channel: 'load',
  kind: 'power',
  t: '2018-08-24T00:00:00Z',
  value: 1,
  unit: 'kW',
  ...over,
});

interface BucketOut {
  channel: string;
  bucketStart: string;
  energyWh: number;
  coverage: number;
  samples: number;
  minPowerW: number | null;
  maxPowerW: number | null;
  quality: string;
}

describe('/v1 reads', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
    const readings = [];
    for (let i = 0; i < 8; i++) {
      const t = new Date(Date.UTC(2018, 7, 24, 0, i * 15)).toISOString();
      readings.push(reading({ t, value: 1 + i, unit: 'kW' }));
      readings.push(reading({ channel: 'solar', t, value: 400, unit: 'Wh', kind: 'interval-energy' }));
    }
    readings.push(reading({ siteId: 'home-2', t: '2018-08-24T00:00:00Z' }));
    const res = await postJson(api.app, '/v1/readings', { readings });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.accepted, 17);
    assert.equal(body.firstBucket, '2018-08-24T00:00:00Z');
  });
  after(() => api.close());

  test('GET /v1/sites lists the sites created by the push', async () => {
    const res = await api.app.inject({ url: '/v1/sites' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res
        .json()
        .map((s: { siteId: string; source: string; timezone: string }) => [s.siteId, s.source, s.timezone]),
      [
        ['home-1', 'push', 'UTC'],
        ['home-2', 'push', 'UTC'],
      ],
    );
  });

  test('GET /v1/sites pages with limit and a Link cursor', async () => {
    const first = await api.app.inject({ url: '/v1/sites?limit=1' });
    assert.deepEqual(
      first.json().map((s: { siteId: string }) => s.siteId),
      ['home-1'],
    );
    const link = String(first.headers['link']);
    const next = /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
    assert.ok(next, link);
    const second = await api.app.inject({ url: next });
    assert.deepEqual(
      second.json().map((s: { siteId: string }) => s.siteId),
      ['home-2'],
    );
    assert.equal(second.headers['link'], undefined);
  });

  test('GET /v1/sites/{siteId} answers the site, or a 404 problem', async () => {
    const res = await api.app.inject({ url: '/v1/sites/home-1' });
    const { health, ...site } = res.json() as { health: { pollerState: unknown } };
    assert.equal(health.pollerState, null); // pushed data: no poller (device health, issue 4 §5)
    assert.deepEqual(site, {
      siteId: 'home-1',
      name: 'home-1',
      timezone: 'UTC',
      source: 'push',
      metadata: {},
    });
    const p = assertProblem(await api.app.inject({ url: '/v1/sites/nope' }), 404, 'site-not-found');
    assert.equal(errorAt(p, '/siteId').value, 'nope');
  });

  test('buckets carry every field, by channel then time', async () => {
    const res = await api.app.inject({
      url: '/v1/sites/home-1/buckets?from=2018-08-24T00:15:00Z&to=2018-08-24T00:45:00Z',
    });
    assert.equal(res.statusCode, 200);
    const buckets = res.json() as BucketOut[];
    assert.deepEqual(
      buckets.map((b) => [b.channel, b.bucketStart, b.energyWh]),
      [
        ['load', '2018-08-24T00:15:00Z', 500],
        ['load', '2018-08-24T00:30:00Z', 750],
        ['solar', '2018-08-24T00:15:00Z', 400],
        ['solar', '2018-08-24T00:30:00Z', 400],
      ],
    );
    const b = buckets[0]!;
    assert.deepEqual(Object.keys(b).sort(), [
      'bucketStart',
      'channel',
      'coverage',
      'energyWh',
      'maxPowerW',
      'minPowerW',
      'negativeWh',
      'positiveWh',
      'quality',
      'samples',
    ]);
    assert.equal(b.coverage, 1);
    assert.equal(b.maxPowerW, 2000);
  });

  test('buckets page through every channel with limit and cursor, nothing twice or lost', async () => {
    const all = (await api.app.inject({ url: '/v1/sites/home-1/buckets' })).json() as BucketOut[];
    assert.equal(all.length, 16);
    const seen: BucketOut[] = [];
    let url: string | undefined = '/v1/sites/home-1/buckets?limit=3';
    let pages = 0;
    while (url !== undefined) {
      const res: LightMyRequestResponse = await api.app.inject({ url });
      seen.push(...(res.json() as BucketOut[]));
      url = /^<([^>]+)>; rel="next"$/.exec(String(res.headers['link'] ?? ''))?.[1];
      pages++;
    }
    assert.equal(pages, 6);
    assert.deepEqual(seen, all);
    const oneChannel = await api.app.inject({ url: '/v1/sites/home-1/buckets?channel=solar&limit=5' });
    const next = /^<([^>]+)>/.exec(String(oneChannel.headers['link']))?.[1];
    assert.ok(next);
    const rest = (await api.app.inject({ url: next })).json() as BucketOut[];
    assert.deepEqual(
      rest.map((b) => b.bucketStart),
      ['2018-08-24T01:15:00Z', '2018-08-24T01:30:00Z', '2018-08-24T01:45:00Z'],
    );
  });

  test('buckets as CSV have a header with every field', async () => {
    const res = await api.app.inject({ url: '/v1/sites/home-1/buckets?channel=solar&format=csv&limit=2' });
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const [header, first] = res.body.split('\n');
    assert.equal(
      header,
      'channel,bucketStart,energyWh,positiveWh,negativeWh,coverage,samples,minPowerW,maxPowerW,quality',
    );
    assert.match(first!, /^solar,2018-08-24T00:00:00Z,400,400,0,1,/);
    const viaAccept = await api.app.inject({
      url: '/v1/sites/home-1/buckets',
      headers: { accept: 'text/csv' },
    });
    assert.match(String(viaAccept.headers['content-type']), /^text\/csv/);
  });

  test('a bad cursor, a bad time and an unknown site are problems', async () => {
    errorAt(
      assertProblem(
        await api.app.inject({ url: '/v1/sites/home-1/buckets?cursor=zz' }),
        400,
        'validation-failed',
      ),
      '/cursor',
    );
    errorAt(
      assertProblem(
        await api.app.inject({ url: '/v1/sites/home-1/buckets?from=soon' }),
        400,
        'invalid-datetime',
      ),
      '/from',
    );
    assertProblem(await api.app.inject({ url: '/v1/sites/nope/buckets' }), 404, 'site-not-found');
    errorAt(
      assertProblem(await api.app.inject({ url: '/v1/sites?limit=0' }), 400, 'validation-failed'),
      '/limit',
    );
  });
});

describe('POST /v1/readings validates the whole batch', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
  });
  afterEach(() => assertNothingStored(api));
  after(() => api.close());

  test('bad times, units and ends are all reported, and nothing is stored', async () => {
    const res = await postJson(api.app, '/v1/readings', {
      readings: [
        reading(),
        reading({ t: '2018-08-24T00:00:00ZZ' }),
        reading({ unit: 'kWh' }),
        reading({ kind: 'interval-energy', unit: 'kWh', end: '2018-08-23T00:00:00Z' }),
        reading({ end: '2018-08-25T00:00:00Z' }),
      ],
    });
    const p = assertProblem(res, 400, 'validation-failed');
    assert.deepEqual(
      p.errors.map((e) => e.path),
      ['/readings/1/t', '/readings/2/unit', '/readings/3/end', '/readings/4/end'],
    );
  });

  test('schema problems name their fields; unknown fields are refused', async () => {
    const res = await postJson(api.app, '/v1/readings', {
      readings: [reading({ kind: 'voltage', value: '3', extra: true, siteId: '' })],
    });
    const p = assertProblem(res, 400, 'validation-failed');
    for (const path of ['/readings/0/kind', '/readings/0/value', '/readings/0/extra', '/readings/0/siteId'])
      errorAt(p, path);
  });

  test('an unknown unit is an unknown-unit problem', async () => {
    const p = assertProblem(
      await postJson(api.app, '/v1/readings', { readings: [reading({ unit: 'hp' })] }),
      400,
      'unknown-unit',
    );
    errorAt(p, '/readings/0/unit');
  });
});

describe('POST /v1/readings with explicit ends', () => {
  test('interval energy with an end is spread over [t, end)', async () => {
    const api = await openApi();
    try {
      const res = await postJson(api.app, '/v1/readings', {
        readings: [
          reading({
            kind: 'interval-energy',
            unit: 'kWh',
            value: 1,
            end: '2018-08-24T01:00:00Z',
            channel: 'import',
          }),
        ],
      });
      assert.equal(res.statusCode, 201, res.body);
      const buckets = (await api.app.inject({ url: '/v1/sites/home-1/buckets' })).json() as BucketOut[];
      assert.deepEqual(
        buckets.map((b) => b.energyWh),
        [250, 250, 250, 250],
      );
    } finally {
      await api.close();
    }
  });
});
