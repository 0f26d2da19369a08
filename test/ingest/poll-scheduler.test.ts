// The poll scheduler: stop() waits for an in-flight poll and its write (acknowledged = durable), and
// one connector never has two polls at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connector, PollOutcome } from '../../src/connectors/connector.ts';
import { DeviceHealth } from '../../src/ingest/device-health.ts';
import { PollScheduler } from '../../src/ingest/poll-scheduler.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';

/** A connector whose polls finish only when the test releases them. */
function gatedConnector(intervalMs: number) {
  const waiting: (() => void)[] = [];
  let started = 0;
  let active = 0;
  let maxActive = 0;
  const connector: Connector = {
    source: 'site-signal',
    name: 'gated',
    intervalMs,
    sites: async () => [],
    async poll(nowMs): Promise<PollOutcome[]> {
      started += 1;
      active += 1;
      maxActive = Math.max(maxActive, active);
      const n = started;
      await new Promise<void>((r) => waiting.push(r));
      active -= 1;
      return [
        {
          siteId: 's',
          askedMs: nowMs,
          state: 'ok',
          readings: [
            {
              siteId: 's',
              channel: 'grid',
              kind: 'power',
              tMs: n * 60_000,
              endMs: null,
              value: n,
              receivedMs: nowMs,
            },
          ],
        },
      ];
    },
    close: async () => undefined,
  };
  const nextPoll = async () => {
    while (waiting.length === 0) await new Promise((r) => setImmediate(r));
    return waiting.shift()!;
  };
  return { connector, nextPoll, stats: () => ({ started, maxActive }) };
}

describe('poll scheduler', () => {
  it('stop() flushes the in-flight poll: its readings are stored and acknowledged before stop resolves', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    const health = new DeviceHealth();
    const acked: number[] = [];
    const g = gatedConnector(1);
    const scheduler = new PollScheduler([g.connector], {
      store,
      health,
      onAck: (b) => acked.push(b.readings.length),
    });
    scheduler.start();
    (await g.nextPoll())(); // first round completes
    const release = await g.nextPoll(); // second round is in flight...
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'stop waits for the in-flight poll');
    release();
    await stopping;
    assert.deepEqual(acked, [1, 1]);
    assert.equal((await store.readings({ siteId: 's' })).length, 2);
    assert.equal(health.poller('s')?.state, 'ok');
    assert.equal(g.stats().started, 2, 'nothing is polled after stop');
    assert.equal(g.stats().maxActive, 1, 'never two polls of one connector at once');
    await store.close();
  });
});
