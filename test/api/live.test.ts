// GET /v1/sites/{siteId}/live over a real socket: the first event carries the latest values, each later
// one the power samples stored since, with state of charge; streams close with the app.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Reading } from '../../src/domain/reading.ts';
import { hasGaugeLog } from '../../src/store/gauge-log.ts';
import { assertProblem, openApi, type TestApi } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 1); // the app clock in openApi
const T0 = NOW - 10 * 60_000;

function power(channel: string, tMs: number, value: number): Reading {
  return { siteId: 'home', channel, kind: 'power', tMs, endMs: null, value, receivedMs: tMs };
}

interface LiveEvent {
  siteId: string;
  latest: string | null;
  latestPowerW: Record<string, number>;
  socPercent: number | null;
  gauges: Record<string, number>;
  points: { channel: string; tMs: number; powerW: number }[];
}

/** Reads `event: power` messages from an SSE response body. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<LiveEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = message.split('\n');
      if (lines.includes('event: power')) {
        const data = lines.find((l) => l.startsWith('data: '));
        assert.ok(data, message);
        yield JSON.parse(data.slice(6)) as LiveEvent;
      }
      end = buffer.indexOf('\n\n');
    }
  }
}

describe('GET /v1/sites/{siteId}/live (server-sent events)', () => {
  let api: TestApi;
  let url: string;
  before(async () => {
    api = await openApi({ livePollMs: 50 });
    await api.store.ingest([power('grid', T0, 400), power('solar', T0, 1500), power('soc', T0, 62.5)]);
    url = `${await api.app.listen({ host: '127.0.0.1', port: 0 })}/v1/sites/home/live`;
  });
  after(() => api.close());

  it('streams the latest values, then every new power sample with state of charge', async () => {
    const abort = new AbortController();
    const res = await fetch(url, { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^text\/event-stream/);
    const stream = events(res.body!);
    const first = (await stream.next()).value as LiveEvent;
    assert.deepEqual(first, {
      siteId: 'home',
      latest: new Date(T0).toISOString().replace('.000Z', 'Z'),
      latestPowerW: { grid: 400, solar: 1500 },
      socPercent: 62.5,
      gauges: {},
      points: [],
    });
    // Two batches, one per channel, the second at an instant the first already passed: both arrive.
    await api.store.ingest([power('grid', T0 + 5000, 450), power('soc', T0 + 5000, 62)]);
    await api.store.ingest([power('solar', T0 + 5000, 1400)]);
    const seen: LiveEvent['points'] = [];
    let last: LiveEvent | undefined;
    while (seen.length < 2) {
      last = (await stream.next()).value as LiveEvent;
      seen.push(...last.points);
    }
    assert.deepEqual(
      seen.sort((a, b) => a.channel.localeCompare(b.channel)),
      [
        { channel: 'grid', tMs: T0 + 5000, powerW: 450 },
        { channel: 'solar', tMs: T0 + 5000, powerW: 1400 },
      ],
    );
    assert.deepEqual(last?.latestPowerW, { grid: 450, solar: 1400 });
    assert.equal(last?.socPercent, 62);
    abort.abort();
  });

  it('carries the latest gauges: state of charge and grid status, as the dashboard shows them', async () => {
    assert.ok(hasGaugeLog(api.store));
    const gauge = (name: string, tMs: number, value: number) => ({
      siteId: 'home',
      name,
      tMs,
      value,
      receivedMs: tMs,
    });
    await api.store.appendGauges([gauge('soc', T0, 71.5), gauge('grid-connected', T0, 1)]);
    const abort = new AbortController();
    const stream = events((await fetch(url, { signal: abort.signal })).body!);
    const first = (await stream.next()).value as LiveEvent;
    assert.deepEqual(first.gauges, { soc: 71.5, 'grid-connected': 1 });
    // The grid goes down: the next event says so without any new power sample.
    await api.store.appendGauges([gauge('grid-connected', T0 + 15_000, 0), gauge('soc', T0 + 15_000, 71)]);
    const next = (await stream.next()).value as LiveEvent;
    assert.deepEqual(next.gauges, { soc: 71, 'grid-connected': 0 });
    assert.deepEqual(next.points, []);
    abort.abort();
  });

  it('404 problem for an unknown site, before any stream starts', async () => {
    assertProblem(await api.app.inject({ url: '/v1/sites/nope/live' }), 404, 'site-not-found');
  });

  it('app.close() ends open streams instead of waiting for the clients', async () => {
    const other = await openApi({ livePollMs: 50 });
    await other.store.ingest([power('grid', T0, 1)]);
    const base = await other.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${base}/v1/sites/home/live`);
    const stream = events(res.body!);
    await stream.next();
    await other.close();
    assert.equal((await stream.next()).done, true, 'the stream ended');
  });
});
