// The dashboard's pure arithmetic: local days (DESIGN §3.6, DST-correct), DESIGN §2 signs for import,
// export, solar and home, rollups, and aligning channels into chart columns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { localParts } from '../../src/domain/time-zone.ts';
import {
  alignSamples,
  type BucketWire,
  dailyEnergy,
  energyTable,
  localMidnightMs,
  rollup,
} from '../../src/web/energy.ts';

const Q = 900_000;

function bucket(channel: string, tMs: number, energyWh: number): BucketWire {
  return {
    channel,
    bucketStart: new Date(tMs).toISOString(),
    energyWh,
    positiveWh: Math.max(0, energyWh),
    negativeWh: Math.max(0, -energyWh),
    coverage: 1,
    samples: 3,
    minPowerW: null,
    maxPowerW: null,
    quality: 'measured',
  };
}

describe('dashboard energy arithmetic', () => {
  it('§3.6 a local day across the spring DST change has 92 quarter hours and ends at local midnight', () => {
    const tz = 'Europe/Zurich';
    const start = localMidnightMs('2026-03-29', tz);
    const end = localMidnightMs('2026-03-30', tz);
    assert.equal(start, Date.UTC(2026, 2, 28, 23));
    assert.equal((end - start) / Q, 92);
    const buckets: BucketWire[] = [];
    for (let t = start - 4 * Q; t < end + 4 * Q; t += Q) buckets.push(bucket('load', t, 100));
    const days = dailyEnergy(buckets, tz);
    assert.deepEqual(
      days.map((d) => [d.date, d.homeWh]),
      [
        ['2026-03-28', 400],
        ['2026-03-29', 9200],
        ['2026-03-30', 400],
      ],
    );
  });

  it('§2 signs: grid + is import and − export, solar + production, load + home consumption', () => {
    const t = Date.UTC(2026, 5, 1, 10);
    const [day] = dailyEnergy(
      [
        bucket('grid', t, 300),
        bucket('grid', t + Q, -120),
        bucket('solar', t, 900),
        bucket('battery', t, 50),
        bucket('load', t, 700),
      ],
      'UTC',
    );
    assert.deepEqual(day, { date: '2026-06-01', importWh: 300, exportWh: 120, solarWh: 900, homeWh: 700 });
  });

  it('local midnight: for any day and zone, the instant is 00:00 local of that date (or the first instant after a gap)', () => {
    const zones = [
      'UTC',
      'Europe/Zurich',
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Apia',
      'Asia/Kolkata',
      'America/Santiago',
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 12 }), fc.constantFrom(...zones), (dayIndex, tz) => {
        const date = new Date(Date.UTC(2018, 0, 1) + dayIndex * 86_400_000).toISOString().slice(0, 10);
        const ms = localMidnightMs(date, tz);
        const p = localParts(ms, tz);
        assert.equal(p.date, date);
        // Midnight itself, or (where a DST jump skips 00:00) within the first hour of the day.
        assert.ok(
          p.hour === 0 || localParts(ms - 60_000, tz).date < date,
          `${tz} ${date}: ${p.hour}:${p.minute}`,
        );
        assert.notEqual(localParts(ms - 60_000, tz).date, date);
      }),
      { numRuns: 300 },
    );
  });

  it('rollups by local hour, day, ISO week (by its Monday) and weekday', () => {
    const mon = Date.UTC(2026, 0, 5); // a Monday
    const buckets = [0, 1, 4, 96, 96 * 7].map((i) => bucket('load', mon + i * Q, 10 + i));
    assert.deepEqual(
      rollup(buckets, 'UTC', 'hour').map((r) => [r.key, r.energyWh]),
      [
        ['2026-01-05 00h', 21],
        ['2026-01-05 01h', 14],
        ['2026-01-06 00h', 106],
        ['2026-01-12 00h', 682],
      ],
    );
    assert.deepEqual(
      rollup(buckets, 'UTC', 'week').map((r) => [r.key, r.energyWh, r.buckets]),
      [
        ['2026-01-05', 141, 4],
        ['2026-01-12', 682, 1],
      ],
    );
    assert.deepEqual(
      rollup(buckets, 'UTC', 'weekday').map((r) => r.key),
      ['Mon', 'Tue'],
    );
    assert.equal(rollup(buckets, 'UTC', 'day').length, 3);
  });

  it('energy table: one row per bucket start, a column per channel, gaps left empty', () => {
    const t = Date.UTC(2026, 0, 1);
    const { channels, rows } = energyTable([
      bucket('solar', t + Q, 5),
      bucket('grid', t, 1),
      bucket('grid', t + Q, 2),
    ]);
    assert.deepEqual(channels, ['grid', 'solar']);
    assert.deepEqual(rows, [
      { bucketStartMs: t, energyWh: { grid: 1 } },
      { bucketStartMs: t + Q, energyWh: { grid: 2, solar: 5 } },
    ]);
  });

  it('aligns channels on the union of their instants, null where a channel has no sample', () => {
    const cols = alignSamples(
      ['grid', 'solar'],
      [
        { channel: 'solar', tMs: 2000, value: 5 },
        { channel: 'grid', tMs: 1000, value: 1 },
        { channel: 'grid', tMs: 2000, value: 2 },
        { channel: 'other', tMs: 3000, value: 9 },
      ],
    );
    assert.deepEqual(cols, {
      xSec: [1, 2],
      ys: [
        [1, 2],
        [null, 5],
      ],
    });
  });

  it('alignment equals a plain lookup for any samples, in any order (the later of two at one instant wins)', () => {
    const sample = fc.record({
      channel: fc.constantFrom('grid', 'solar', 'load'),
      tMs: fc.integer({ min: 0, max: 40 }).map((i) => i * 5000),
      value: fc.integer({ min: -5000, max: 5000 }),
    });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 60 }), (samples) => {
        const channels = ['grid', 'solar'];
        const cols = alignSamples(channels, samples);
        const kept = samples.filter((s) => channels.includes(s.channel));
        const instants = [...new Set(kept.map((s) => s.tMs))].sort((a, b) => a - b);
        assert.deepEqual(
          cols.xSec,
          instants.map((t) => t / 1000),
        );
        channels.forEach((c, i) => {
          const expected = instants.map(
            (t) => kept.findLast((s) => s.channel === c && s.tMs === t)?.value ?? null,
          );
          assert.deepEqual(cols.ys[i], expected);
        });
      }),
    );
  });
});
