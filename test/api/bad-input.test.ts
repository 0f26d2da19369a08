// Bad input never stores anything and never answers 500: each case is a problem+json naming the exact
// field (DESIGN §5: a batch is accepted or rejected as a whole).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../src/api/app.ts';
import {
  assertNothingStored,
  assertProblem,
  errorAt,
  fixture,
  openApi,
  postJson,
  type TestApi,
} from './helpers.ts';

const point = (datetime: string, value: unknown) => ({ datetime, value });
const valid = () => ({
  spaceship_id: 5,
  units: 'kW',
  data: [point('2018-08-24T00:00:00Z', 1), point('2018-08-24T00:15:00Z', 2)],
});

describe('POST /data rejects bad batches whole', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
  });
  afterEach(() => assertNothingStored(api));
  after(() => api.close());

  test('the README sample with a malformed datetime: 400 at /data/1/datetime, ship 42 stays unknown', async () => {
    const res = await postJson(api.app, '/data', fixture('post_readme_curl_sample_kW_irregular.json'));
    const p = assertProblem(res, 400, 'invalid-datetime');
    assert.equal(p.errors.length, 1);
    const e = errorAt(p, '/data/1/datetime');
    assert.equal(e.value, '2019-01-05T04:42:00ZZ');
    assert.match(e.message, /ISO 8601/);
    assert.match(e.message, /2018-08-24T00-00-00Z/);
    assertProblem(await api.app.inject({ url: '/data?spaceship_id=42' }), 404, 'site-not-found');
  });

  test('every bad datetime is reported, an impossible date among them', async () => {
    const body = valid();
    body.data = [point('2019-02-30T00:00:00Z', 1), point('2019-02-28T00:00:00Z', 1), point('yesterday', 2)];
    const p = assertProblem(await postJson(api.app, '/data', body), 400, 'invalid-datetime');
    assert.deepEqual(
      p.errors.map((e) => [e.path, e.value]),
      [
        ['/data/0/datetime', '2019-02-30T00:00:00Z'],
        ['/data/2/datetime', 'yesterday'],
      ],
    );
  });

  test('a body that is not JSON: 400 invalid-json', async () => {
    assertProblem(await postJson(api.app, '/data', '{"spaceship_id": 1, "units": '), 400, 'invalid-json');
    assertProblem(await postJson(api.app, '/data', 'spaceship_id=1'), 400, 'invalid-json');
  });

  test('an empty JSON body: 400 invalid-json; no body at all: 400 at the root', async () => {
    assertProblem(await postJson(api.app, '/data', ''), 400, 'invalid-json');
    const p = assertProblem(await api.app.inject({ method: 'POST', url: '/data' }), 400, 'validation-failed');
    errorAt(p, '');
  });

  test('a JSON body that is not an object: 400 at the root', async () => {
    const p = assertProblem(await postJson(api.app, '/data', '[1,2]'), 400, 'validation-failed');
    errorAt(p, '');
  });

  test('missing spaceship_id: 400 at /spaceship_id', async () => {
    const { spaceship_id: _, ...body } = valid();
    const p = assertProblem(await postJson(api.app, '/data', body), 400, 'validation-failed');
    assert.deepEqual(
      p.errors.map((e) => e.path),
      ['/spaceship_id'],
    );
  });

  test('spaceship_id as a string is not coerced: 400 with the value', async () => {
    const p = assertProblem(
      await postJson(api.app, '/data', { ...valid(), spaceship_id: '5' }),
      400,
      'validation-failed',
    );
    assert.equal(errorAt(p, '/spaceship_id').value, '5');
  });

  test('spaceship_id not an integer: 400', async () => {
    for (const id of [1.5, -1, null, true]) {
      const p = assertProblem(
        await postJson(api.app, '/data', { ...valid(), spaceship_id: id }),
        400,
        'validation-failed',
      );
      assert.equal(errorAt(p, '/spaceship_id').value, id);
    }
  });

  test('an unknown unit: 400 unknown-unit at /units', async () => {
    const p = assertProblem(
      await postJson(api.app, '/data', { ...valid(), units: 'GW' }),
      400,
      'unknown-unit',
    );
    const e = errorAt(p, '/units');
    assert.equal(e.value, 'GW');
    assert.match(e.message, /kWh/);
  });

  test('a value that is not a number is not coerced: 400 at /data/1/value', async () => {
    const body = valid();
    body.data[1] = point('2018-08-24T00:15:00Z', '2');
    const p = assertProblem(await postJson(api.app, '/data', body), 400, 'validation-failed');
    assert.equal(errorAt(p, '/data/1/value').value, '2');
  });

  test('a value that parses to Infinity (1e999): 400 invalid-value naming it', async () => {
    const raw =
      '{"spaceship_id":5,"units":"kWh","data":[{"datetime":"2018-08-24T00:00:00Z","value":1},{"datetime":"2018-08-24T00:15:00Z","value":1e999}]}';
    const p = assertProblem(await postJson(api.app, '/data', raw), 400, 'invalid-value');
    const e = errorAt(p, '/data/1/value');
    assert.equal(e.value, 'Infinity');
    assert.match(e.message, /finite/);
  });

  test('several problems are reported together, each at its field', async () => {
    const raw = '{"spaceship_id":"x","units":"GW","data":[{"datetime":5,"value":-1e999}]}';
    const p = assertProblem(await postJson(api.app, '/data', raw), 400, 'validation-failed');
    assert.deepEqual(
      p.errors.map((e) => e.path),
      ['/spaceship_id', '/units', '/data/0/datetime', '/data/0/value'],
    );
    assert.equal(errorAt(p, '/data/0/value').value, '-Infinity');
  });

  test('empty data: 400 at /data', async () => {
    const p = assertProblem(
      await postJson(api.app, '/data', { ...valid(), data: [] }),
      400,
      'validation-failed',
    );
    errorAt(p, '/data');
  });

  test('a point without a datetime: 400 at /data/0/datetime', async () => {
    const p = assertProblem(
      await postJson(api.app, '/data', { ...valid(), data: [{ value: 1 }] }),
      400,
      'validation-failed',
    );
    errorAt(p, '/data/0/datetime');
  });

  test('a content type other than JSON: 415', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/data',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify(valid()),
    });
    assertProblem(res, 415, 'unsupported-media-type');
    const form = await api.app.inject({
      method: 'POST',
      url: '/data',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'spaceship_id=5',
    });
    assertProblem(form, 415, 'unsupported-media-type');
  });

  test('a body over the default 10 MiB limit: 413', async () => {
    const filler = 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES);
    const res = await postJson(api.app, '/data', JSON.stringify({ ...valid(), pad: filler }));
    const p = assertProblem(res, 413, 'payload-too-large');
    assert.match(p.detail, new RegExp(String(DEFAULT_BODY_LIMIT_BYTES)));
  });
});

describe('the body limit is configurable', () => {
  test('a body over bodyLimitBytes is a 413; one under it is accepted', async () => {
    const api = await openApi({ bodyLimitBytes: 200 });
    try {
      const big = {
        ...valid(),
        data: Array.from({ length: 10 }, (_, i) => point(`2018-08-24T0${i}:00:00Z`, i)),
      };
      assertProblem(await postJson(api.app, '/data', big), 413, 'payload-too-large');
      await assertNothingStored(api);
      assert.equal((await postJson(api.app, '/data', valid())).statusCode, 201);
    } finally {
      await api.close();
    }
  });
});

describe('query strings', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi();
    assert.equal(
      (await postJson(api.app, '/data', fixture('post_example_3_kWh_15min.json'))).statusCode,
      201,
    );
  });
  after(() => api.close());

  test('GET /data: spaceship_id must be an integer', async () => {
    for (const q of ['spaceship_id=abc', 'spaceship_id=1.5', 'spaceship_id=', '']) {
      const p = assertProblem(await api.app.inject({ url: `/data?${q}` }), 400, 'validation-failed');
      errorAt(p, '/spaceship_id');
    }
  });

  test('GET /data: start >= end is a 400 invalid-range', async () => {
    for (const [s, e] of [
      ['2018-08-24T01:00:00Z', '2018-08-24T00:00:00Z'],
      ['2018-08-24T00-00-00Z', '2018-08-24T00:00:00Z'],
    ]) {
      const p = assertProblem(
        await api.app.inject({ url: `/data?spaceship_id=3&start=${s}&end=${e}` }),
        400,
        'invalid-range',
      );
      assert.equal(errorAt(p, '/start').value, s);
      assert.equal(errorAt(p, '/end').value, e);
    }
  });

  test('GET /data: unparseable start and end are both named', async () => {
    const p = assertProblem(
      await api.app.inject({ url: '/data?spaceship_id=3&start=2018-13-01T00:00:00Z&end=tomorrow' }),
      400,
      'invalid-datetime',
    );
    assert.equal(errorAt(p, '/start').value, '2018-13-01T00:00:00Z');
    assert.equal(errorAt(p, '/end').value, 'tomorrow');
  });

  test('GET /data: a date without a zone is rejected', async () => {
    const p = assertProblem(
      await api.app.inject({ url: '/data?spaceship_id=3&start=2018-08-24T00:00:00' }),
      400,
      'invalid-datetime',
    );
    errorAt(p, '/start');
  });

  test('GET /data: an unknown unit is a 400 at /units', async () => {
    const p = assertProblem(
      await api.app.inject({ url: '/data?spaceship_id=3&units=GWh' }),
      400,
      'unknown-unit',
    );
    assert.equal(errorAt(p, '/units').value, 'GWh');
  });

  test('GET /topusers: count 0, 1001, abc and 2.5 are 400 at /count', async () => {
    for (const c of ['0', '1001', 'abc', '2.5']) {
      const p = assertProblem(
        await api.app.inject({ url: `/topusers?count=${c}` }),
        400,
        'validation-failed',
      );
      const e = errorAt(p, '/count');
      assert.equal(String(e.value), c);
    }
  });

  test('an unknown route is a 404 route-not-found problem', async () => {
    const p = assertProblem(await api.app.inject({ url: '/nowhere' }), 404, 'route-not-found');
    assert.match(p.detail, /\/nowhere/);
    assertProblem(await api.app.inject({ method: 'DELETE', url: '/data' }), 404, 'route-not-found');
  });

  test('a malformed URL is a 400 problem, not a crash', async () => {
    assertProblem(await api.app.inject({ url: '/%ZZ' }), 400, 'validation-failed');
    errorAt(
      assertProblem(await api.app.inject({ url: '/data?spaceship_id=%ZZ' }), 400, 'validation-failed'),
      '/spaceship_id',
    );
  });
});
