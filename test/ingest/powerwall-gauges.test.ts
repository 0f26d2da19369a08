// Gauges are stored, never integrated: the poll scheduler polls the real HTTPS Powerwall simulator
// through the real connector, writes the state of charge and grid status into the gauge log with the
// poll, and no gauge ever reaches the readings or the 15-minute energy buckets. Also a property of the
// gauge log itself: latest and history agree with a reference (the later-received wins at one instant).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createPowerwallConnector } from '../../src/connectors/powerwall/index.ts';
import { startPowerwallSimulator } from '../../src/connectors/powerwall/simulator.ts';
import { DeviceHealth } from '../../src/ingest/device-health.ts';
import { PollScheduler } from '../../src/ingest/poll-scheduler.ts';
import { openDuckDbStore } from '../../src/store/duckdb-store.ts';
import type { GaugeEntry } from '../../src/store/gauge-log.ts';

const MORNING_MS = Date.parse('2024-06-21T15:00:00Z');

describe('gauges through the poll scheduler', () => {
  it('Powerwall state of charge and grid status land in the gauge log, never in readings or buckets', async () => {
    let t = MORNING_MS;
    const clock = () => t;
    const sim = await startPowerwallSimulator({ clock });
    const connector = createPowerwallConnector(
      {
        statusIntervalMs: 60_000,
        gateways: [{ siteId: 'home', url: sim.url, password: 'ABCDE', fingerprint256: sim.fingerprint256 }],
      },
      { clock },
    );
    const store = await openDuckDbStore({ path: ':memory:' });
    const scheduler = new PollScheduler([connector], {
      store,
      gaugeLog: store,
      health: new DeviceHealth(),
      clock,
    });
    try {
      const polled: number[] = [];
      // 3 minutes of 5-second polls: the status routes are due at the first poll and each minute after.
      for (let i = 0; i < 36; i++) {
        const batch = await scheduler.pollOnce(connector);
        assert.equal(batch.outcomes[0]?.state, 'ok', batch.outcomes[0]?.detail);
        if ((batch.outcomes[0]?.gauges ?? []).length > 0) polled.push(t);
        t += 5_000;
      }
      assert.ok(polled.length >= 3, `status read ${polled.length} times`);
      const soc = await store.gauges({ siteId: 'home', name: 'soc' });
      const raw = await store.gauges({ siteId: 'home', name: 'soe-raw' });
      assert.deepEqual(
        soc.map((g) => g.tMs),
        polled,
      );
      // Stored raw and on the app's scale: soc = (raw − 5) / 0.95.
      for (const [i, g] of soc.entries()) assert.ok(Math.abs(g.value - (raw[i]!.value - 5) / 0.95) < 1e-9);
      const latest = Object.fromEntries((await store.latestGauges('home')).map((g) => [g.name, g.value]));
      assert.deepEqual(Object.keys(latest).sort(), ['grid-connected', 'running', 'soc', 'soe-raw']);
      assert.equal(latest['grid-connected'], 1);
      assert.ok(Math.abs(latest['soe-raw']! - sim.household.soePercent()) < 1, 'the gateway’s own figure');
      // A percentage never becomes energy: no gauge name is a channel of the raw log or of a bucket.
      const channels = new Set((await store.readings({ siteId: 'home' })).map((r) => r.channel));
      const bucketChannels = new Set((await store.buckets({ siteId: 'home' })).map((b) => b.channel));
      assert.ok(channels.has('battery') && bucketChannels.has('battery'));
      for (const name of Object.keys(latest)) {
        assert.ok(!channels.has(name), `${name} in readings`);
        assert.ok(!bucketChannels.has(name), `${name} in buckets`);
      }
    } finally {
      await scheduler.stop();
      await sim.close();
      await store.close();
    }
  });

  it('gauge log: latest and history match a reference for any appends (later-received wins)', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    let run = 0;
    try {
      const entry = fc.record({
        name: fc.constantFrom('soc', 'grid-connected'),
        tMs: fc.integer({ min: 0, max: 20 }),
        // -0 reads back as 0 (the same gauge reading); deepEqual would tell them apart.
        value: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
        receivedMs: fc.integer({ min: 0, max: 1000 }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(entry, { selector: (e) => `${e.name}|${e.tMs}|${e.receivedMs}` }),
          async (list) => {
            const siteId = `s${run++}`;
            const entries: GaugeEntry[] = list.map((e) => ({ siteId, ...e }));
            await store.appendGauges(entries);
            const winner = new Map<string, GaugeEntry>();
            for (const e of entries) {
              const key = `${e.name}|${e.tMs}`;
              const w = winner.get(key);
              if (w === undefined || e.receivedMs > w.receivedMs) winner.set(key, e);
            }
            const expected = [...winner.values()].sort(
              (a, b) => a.tMs - b.tMs || a.name.localeCompare(b.name),
            );
            assert.deepEqual(
              (await store.gauges({ siteId })).map((g) => [g.name, g.tMs, g.value]),
              expected.map((g) => [g.name, g.tMs, g.value]),
            );
            const latestByName = new Map<string, GaugeEntry>();
            for (const g of expected) latestByName.set(g.name, g);
            assert.deepEqual(
              (await store.latestGauges(siteId)).map((g) => [g.name, g.tMs, g.value]),
              [...latestByName.values()]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((g) => [g.name, g.tMs, g.value]),
            );
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      await store.close();
    }
  });
});
