// The HTTP API over every store backend: the seed examples and the /v1 routes answer the same on DuckDB
// and PostgreSQL (and the seed README's example holds on each). Bodies are equal except for numbers the
// database sums (top users), which may differ in the last bits: each backend adds in its own order.
// STORES narrows the list locally as in the store conformance suite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { simulateShip } from '../../src/connectors/spaceship/simulator.ts';
import type { Store } from '../../src/store/store.ts';
import { near } from '../support/bucket-asserts.ts';
import { type BackendHarness, selectedBackends } from '../support/store-backends.ts';
import { fixture, postJson } from './helpers.ts';

const DAY = 86_400_000;
const HISTORY0 = Date.UTC(2018, 6, 1);

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** The requests every backend must answer alike, in order (writes first). */
const SCRIPT: { method: 'GET' | 'POST'; url: string; body?: unknown }[] = [
  { method: 'POST', url: '/data', body: fixture('post_example_1_kWh_hourly.json') },
  { method: 'POST', url: '/data', body: fixture('post_example_2_kW_5min.json') },
  { method: 'POST', url: '/data', body: fixture('post_example_3_kWh_15min.json') },
  { method: 'POST', url: '/data', body: fixture('post_readme_curl_sample_kW_irregular.json') },
  // A repeat changes nothing; a late correction recomputes its buckets.
  { method: 'POST', url: '/data', body: fixture('post_example_2_kW_5min.json') },
  {
    method: 'POST',
    url: '/data',
    body: { spaceship_id: 3, units: 'kWh', data: [{ datetime: '2018-08-24T00:15:00Z', value: 9 }] },
  },
  {
    method: 'POST',
    url: '/v1/readings',
    body: {
      readings: [
        {
          siteId: 'meter-1',
          channel: 'import',
          kind: 'counter',
          t: '2018-08-24T00:00:00Z',
          value: 1000,
          unit: 'Wh',
        },
        {
          siteId: 'meter-1',
          channel: 'import',
          kind: 'counter',
          t: '2018-08-24T00:30:00Z',
          value: 1600,
          unit: 'Wh',
        },
      ],
    },
  },
  { method: 'GET', url: '/data?spaceship_id=1&start=2018-08-24T00-00-00Z&end=2018-08-24T01-00-00Z' },
  { method: 'GET', url: '/data?spaceship_id=2' },
  { method: 'GET', url: '/data?spaceship_id=2&units=kW' },
  { method: 'GET', url: '/data?spaceship_id=3&format=csv' },
  { method: 'GET', url: '/data?spaceship_id=999' },
  { method: 'GET', url: '/topusers?count=3' },
  { method: 'GET', url: '/topusers?count=2&start=2018-07-10T00:00:00Z&end=2018-07-20T00:00:00Z' },
  { method: 'GET', url: '/forecast?spaceship_id=9&start=2018-08-20T00:00:00Z&end=2018-08-21T00:00:00Z' },
  { method: 'GET', url: '/v1/sites' },
  { method: 'GET', url: '/v1/sites/meter-1' },
  { method: 'GET', url: '/v1/sites/1/buckets?limit=2' },
  { method: 'GET', url: '/v1/sites/meter-1/buckets?channel=import&format=csv' },
  { method: 'GET', url: '/readyz' },
];

async function play(app: FastifyInstance): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const step of SCRIPT) {
    const res =
      step.method === 'POST'
        ? await postJson(app, step.url, step.body)
        : await app.inject({ method: 'GET', url: step.url });
    out.push({ status: res.statusCode, contentType: String(res.headers['content-type']), body: res.body });
  }
  return out;
}

/** Six weeks of one-minute power for ship 9, so that the forecast has history. */
async function loadHistory(store: Store): Promise<void> {
  await store.ingest(simulateShip(9, HISTORY0, HISTORY0 + 50 * DAY, 60_000, HISTORY0 + 50 * DAY), {
    source: 'spaceship',
    name: 'spaceship 9',
  });
}

/** Equal JSON values, numbers to floating-point error; anything else (CSV) equal as text. */
function sameBody(got: string, want: string, contentType: string): boolean {
  if (!contentType.includes('json')) return got === want;
  const same = (a: unknown, b: unknown): boolean => {
    if (typeof a === 'number' && typeof b === 'number') return near(a, b);
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  };
  return same(JSON.parse(got), JSON.parse(want));
}

describe('the API on every store backend', () => {
  const answers = new Map<string, Answer[]>();
  const harnesses: BackendHarness[] = [];
  const backends = selectedBackends();

  before(async () => {
    for (const backend of backends) {
      const h = await backend.setup();
      harnesses.push(h);
      const store = await h.open(await h.freshLocation());
      const app = buildApp({ store, clock: () => Date.UTC(2026, 0, 1) });
      try {
        await loadHistory(store);
        answers.set(backend.name, await play(app));
      } finally {
        await app.close();
        await store.close();
      }
    }
  });
  after(async () => {
    for (const h of harnesses) await h.teardown();
  });

  for (const backend of backends) {
    test(`${backend.name}: the seed examples hold`, () => {
      const got = answers.get(backend.name)!;
      assert.deepEqual(
        got.slice(0, 7).map((a) => a.status),
        [201, 201, 201, 400, 201, 201, 201],
      );
      assert.deepEqual(JSON.parse(got[7]!.body), fixture('get_data_response_example.json'));
      assert.match(got[10]!.body, /^datetime,value\n2018-08-24T00:00:00Z,2\n2018-08-24T00:15:00Z,9\n/);
      assert.equal(got[11]!.status, 404);
      assert.equal(got[14]!.status, 200, got[14]!.body);
      assert.equal(JSON.parse(got[16]!.body).siteId, 'meter-1');
    });
  }

  test('every backend answers every request as the first one does', () => {
    const [first, ...others] = backends.map((b) => b.name);
    for (const name of others) {
      const want = answers.get(first!)!;
      const got = answers.get(name)!;
      for (const [i, step] of SCRIPT.entries()) {
        const what = `${step.method} ${step.url}: ${name} differs from ${first}`;
        assert.equal(got[i]!.status, want[i]!.status, what);
        assert.equal(got[i]!.contentType, want[i]!.contentType, what);
        assert.ok(
          sameBody(got[i]!.body, want[i]!.body, want[i]!.contentType),
          `${what}\n${got[i]!.body}\n${want[i]!.body}`,
        );
      }
    }
  });
});
