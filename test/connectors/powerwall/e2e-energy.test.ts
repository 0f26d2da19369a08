// End to end, energy: the HTTPS simulator, the connector and a DuckDB store. Counter energy wins over
// integrated power per bucket and is conserved across outages (DESIGN §3.2, §3.5): a stopped system gives
// the right energy with no zeros and no double counting; a counter reset gives no negative or huge energy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketSumWh, MIN, SITE, startRig } from './rig.ts';

const COUNTER_CHANNELS = [
  'solar',
  'load',
  'grid-import',
  'grid-export',
  'battery-charge',
  'battery-discharge',
];

describe('powerwall end to end: energy', () => {
  it('through a stopped period: counters give the right energy, no zeros, no double counting (§3.2, §3.5)', async () => {
    const rig = await startRig({ store: true });
    try {
      const truthStart = rig.sim.household.truth();
      const before = await rig.run(20 * 6, 10_000); // 20 min running
      assert.ok(before.every((o) => o.state === 'ok' && o.readings.length === 10));
      rig.sim.setFault({ kind: 'stopped', on: true });
      const stopped = await rig.run(50 * 2, 30_000); // 50 min stopped
      assert.ok(
        stopped.every((o) => o.state === 'stopped' && o.readings.length === 0),
        'no readings, not zeros',
      );
      assert.match(stopped[0]!.detail ?? '', /stopped/);
      const stopFromMs = stopped[0]!.askedMs;
      const stopToMs = stopped.at(-1)!.askedMs;
      rig.sim.setFault({ kind: 'stopped', on: false });
      const after = await rig.run(20 * 6, 10_000);
      assert.equal(after.at(-1)!.state, 'ok');
      const store = rig.store!;

      // The first poll only seeds; the energy is what the household used between the first and last poll.
      const first = await store.readings({ siteId: SITE, channel: 'load' });
      const counters = first.filter((r) => r.kind === 'counter');
      const meterWh = counters.at(-1)!.value - counters[0]!.value;
      // The run ends on a bucket boundary: the last power sample holds a few seconds into the next bucket
      // (DESIGN §3.3), time no counter covers. Up to there, the buckets are the counters' energy exactly.
      const lastCounterMs = counters.at(-1)!.tMs;
      const loadWh = await bucketSumWh(store, 'load', lastCounterMs);
      assert.ok(Math.abs(loadWh - meterWh) < 1e-6, `load ${loadWh} Wh vs counter ${meterWh} Wh`);
      // ... which is the simulated truth (independent of the gateway's counters), to within one poll.
      const truthEnd = rig.sim.household.truth();
      const truthLoadWh = truthEnd.load.importedWh - truthStart.load.importedWh;
      assert.ok(loadWh < truthLoadWh && truthLoadWh - loadWh < 10, `${loadWh} vs truth ${truthLoadWh}`);

      const gridImportWh = await bucketSumWh(store, 'grid-import', lastCounterMs);
      const gi = (await store.readings({ siteId: SITE, channel: 'grid-import' })).filter(
        (r) => r.kind === 'counter',
      );
      assert.ok(Math.abs(gridImportWh - (gi.at(-1)!.value - gi[0]!.value)) < 1e-6);

      // The stopped period: covered by the counters' delta spread evenly (estimated), every bucket > 0.
      // Buckets wholly inside the outage.
      const buckets = await store.buckets({
        siteId: SITE,
        channel: 'load',
        fromMs: stopFromMs,
        toMs: stopToMs - 15 * MIN,
      });
      assert.ok(buckets.length >= 2, `${buckets.length} buckets inside the outage`);
      for (const b of buckets) {
        assert.equal(b.quality, 'estimated');
        assert.ok(b.energyWh > 50, `bucket ${new Date(b.bucketStartMs).toISOString()} has ${b.energyWh} Wh`);
      }
    } finally {
      await rig.close();
    }
  });

  it('a counter reset creates no negative and no huge energy; totals still match the truth (§3.5)', async () => {
    const rig = await startRig({ store: true });
    try {
      const truthStart = rig.sim.household.truth();
      await rig.run(20 * 6, 10_000);
      rig.sim.setFault({ kind: 'counter-reset' });
      const afterReset = await rig.run(20 * 6, 10_000);
      assert.ok(afterReset.every((o) => o.state === 'ok'));
      const truthEnd = rig.sim.household.truth();
      const store = rig.store!;
      for (const channel of COUNTER_CHANNELS) {
        const buckets = await store.buckets({ siteId: SITE, channel });
        for (const b of buckets) {
          assert.ok(b.energyWh >= 0, `${channel} ${b.energyWh} Wh`);
          // 15 min at the largest power in this house (solar peak 6 kW) is 1.5 kWh.
          assert.ok(b.energyWh <= 1_600, `${channel} ${b.energyWh} Wh in one bucket`);
        }
      }
      const loadWh = await bucketSumWh(store, 'load');
      const truthLoadWh = truthEnd.load.importedWh - truthStart.load.importedWh;
      assert.ok(Math.abs(loadWh - truthLoadWh) < 0.01 * truthLoadWh, `${loadWh} vs truth ${truthLoadWh}`);
      const solarWh = await bucketSumWh(store, 'solar');
      const truthSolarWh = truthEnd.solar.exportedWh - truthStart.solar.exportedWh;
      assert.ok(
        Math.abs(solarWh - truthSolarWh) < 0.01 * truthSolarWh,
        `${solarWh} vs truth ${truthSolarWh}`,
      );
    } finally {
      await rig.close();
    }
  });

  it('reports counter/power drift, small for a healthy gateway, and balances load = grid + battery + solar', async () => {
    const rig = await startRig();
    try {
      const outcomes = await rig.run(6 * 30, 10_000);
      for (const o of outcomes.slice(0, 50)) {
        const p = (ch: string) => o.readings.find((r) => r.channel === ch && r.kind === 'power')!.value;
        assert.ok(Math.abs(p('load') - (p('grid') + p('battery') + p('solar'))) < 1e-6);
      }
      const drift = rig.connector.driftReport()[SITE]!;
      assert.deepEqual(drift.map((d) => d.channel).sort(), ['battery', 'grid', 'load', 'solar']);
      for (const d of drift) {
        assert.ok(d.coveredMs >= 29 * MIN);
        if (d.driftPercent !== null)
          assert.ok(Math.abs(d.driftPercent) < 1, `${d.channel} drift ${d.driftPercent}%`);
      }
    } finally {
      await rig.close();
    }
  });

  it('skips a stale meter instead of storing its frozen values, and says so', async () => {
    const rig = await startRig();
    try {
      await rig.run(2);
      rig.sim.setFault({ kind: 'stale', on: true });
      const stale = await rig.run(24);
      assert.ok(stale.every((o) => o.readings.length === 0 && o.state === 'ok'));
      assert.match(stale.at(-1)!.detail ?? '', /stale: last communication/);
      rig.sim.setFault({ kind: 'stale', on: false });
      const back = await rig.run(1);
      assert.equal(back[0]!.readings.length, 10);
    } finally {
      await rig.close();
    }
  });

  it('keeps slightly negative night solar as measured (power), while the solar counter does not go down', async () => {
    const rig = await startRig({ startMs: Date.parse('2024-06-21T08:00:00Z'), store: true }); // 01:00 in California
    try {
      rig.sim.setFault({ kind: 'negative-night-solar', on: true });
      const out = await rig.run(60);
      const solar = out.map(
        (o) => o.readings.find((r) => r.channel === 'solar' && r.kind === 'power')!.value,
      );
      assert.ok(solar.every((w) => w < 0 && w > -10));
      const buckets = await rig.store!.buckets({ siteId: SITE, channel: 'solar' });
      assert.ok(
        buckets.every((b) => b.energyWh === 0),
        'counter precedence: no negative solar energy',
      );
    } finally {
      await rig.close();
    }
  });
});
