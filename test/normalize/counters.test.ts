// Worked examples of DESIGN §3.5: the first counter reading only seeds; a drop is a reset; an impossible jump
// is flagged and not counted; a delta across a gap longer than maxGapMs is spread evenly and marked estimated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SeriesReading } from '../../src/domain/reading.ts';
import { type NormalizedKind, normalizeKind } from '../../src/normalize/normalize-series.ts';
import type { NormalizeOptions } from '../../src/normalize/options.ts';
import { briefBuckets, HOUR_MS, sumEnergyWh } from '../support/arbitraries.ts';

const at = (hhmm: string): number => Date.parse(`2024-01-15T${hhmm}:00Z`);

function counter(rows: [string, number][], options: Partial<NormalizeOptions> = {}): NormalizedKind {
  const readings: SeriesReading[] = rows.map(([t, value]) => ({
    kind: 'counter',
    tMs: at(t),
    endMs: null,
    value,
    receivedMs: 0,
  }));
  return normalizeKind('counter', readings, options);
}

describe('§3.5 counters', () => {
  it('§3.5 the first reading only seeds: a single reading gives no energy and no bucket', () => {
    const r = counter([['00:00', 1_234_567]]);
    assert.deepEqual(r.buckets, []);
    assert.deepEqual(r.resetsMs, []);
  });

  it('§3.5 deltas between readings become energy over the time between them', () => {
    const r = counter([
      ['00:00', 1000],
      ['00:15', 1100],
      ['00:30', 1150],
      ['00:35', 1160],
    ]);
    // The last reading does not hold: a counter says nothing about the time after it.
    assert.deepEqual(briefBuckets(r.buckets), [
      ['00:00', 100, 1, 'measured'],
      ['00:15', 50, 1, 'measured'],
      ['00:30', 10, 0.333333333, 'partial'],
    ]);
    assert.equal(r.buckets[0]!.minPowerW, 400);
    assert.equal(r.buckets[0]!.samples, 1);
  });

  it('§3.5 a delta straddling buckets is spread in proportion to overlap', () => {
    const r = counter([
      ['00:05', 0],
      ['00:20', 150],
    ]);
    assert.deepEqual(briefBuckets(r.buckets), [
      ['00:00', 100, 0.666666667, 'partial'],
      ['00:15', 50, 0.333333333, 'partial'],
    ]);
  });

  it('§3.5 a drop is a reset: the new value is the energy since the reset', () => {
    const r = counter([
      ['00:00', 5000],
      ['00:15', 5100],
      ['00:30', 30],
      ['00:45', 80],
    ]);
    assert.deepEqual(briefBuckets(r.buckets), [
      ['00:00', 100, 1, 'measured'],
      ['00:15', 30, 1, 'measured'],
      ['00:30', 50, 1, 'measured'],
    ]);
    assert.deepEqual(r.resetsMs, [at('00:30')]);
  });

  it('§3.5 a reset to zero counts nothing for its interval and is still listed', () => {
    const r = counter([
      ['00:00', 5000],
      ['00:15', 0],
    ]);
    assert.deepEqual(briefBuckets(r.buckets), [['00:00', 0, 1, 'measured']]);
    assert.deepEqual(r.resetsMs, [at('00:15')]);
  });

  it('§3.5 a delta across a gap longer than maxGapMs is spread evenly and marked estimated', () => {
    const r = counter([
      ['00:00', 1000],
      ['00:15', 1100],
      ['02:15', 2700],
      ['02:30', 2750],
    ]);
    const b = briefBuckets(r.buckets);
    assert.deepEqual(b[0], ['00:00', 100, 1, 'measured']);
    assert.equal(b.length, 1 + 8 + 1);
    for (const e of b.slice(1, 9)) assert.deepEqual(e.slice(1), [200, 1, 'estimated']);
    assert.deepEqual(b[9], ['02:15', 50, 1, 'measured']);
    // Energy is conserved across the outage: the buckets add up to the meter.
    assert.equal(sumEnergyWh(r.buckets), 2750 - 1000);
  });

  it('§3.5 a gap of exactly maxGapMs is measured; maxGapMs is configurable', () => {
    const rows: [string, number][] = [
      ['00:00', 0],
      ['00:15', 100],
      ['01:15', 500],
    ];
    assert.deepEqual(
      counter(rows).buckets.map((b) => b.quality),
      ['measured', 'estimated', 'estimated', 'estimated', 'estimated'],
    );
    assert.ok(counter(rows, { maxGapMs: HOUR_MS }).buckets.every((b) => b.quality === 'measured'));
  });

  it('§3.5 a bucket mixing an estimated and a measured delta is estimated', () => {
    const r = counter([
      ['00:00', 0],
      ['00:20', 100],
      ['00:25', 110],
    ]);
    assert.deepEqual(briefBuckets(r.buckets), [
      ['00:00', 75, 1, 'estimated'],
      ['00:15', 35, 0.666666667, 'estimated'],
    ]);
  });

  it('§3.5 a jump implying more than maxPowerW is flagged and not counted', () => {
    const r = counter(
      [
        ['00:00', 1000],
        ['00:15', 2000],
        ['00:30', 102_000],
        ['00:45', 103_000],
      ],
      { maxPowerW: 50_000 },
    );
    // 100 kWh in 15 min is 400 kW: flagged; the counter then continues from the jumped value.
    assert.deepEqual(r.jumps, [
      { fromMs: at('00:15'), toMs: at('00:30'), deltaWh: 100_000, impliedPowerW: 400_000 },
    ]);
    assert.deepEqual(briefBuckets(r.buckets), [
      ['00:00', 1000, 1, 'measured'],
      ['00:30', 1000, 1, 'measured'],
    ]);
  });

  it('§3.5 a jump is only flagged beyond maxPowerW, which is unlimited by default', () => {
    const rows: [string, number][] = [
      ['00:00', 0],
      ['00:15', 12_500],
    ];
    assert.deepEqual(counter(rows, { maxPowerW: 50_000 }).jumps, []);
    assert.equal(counter(rows, { maxPowerW: 49_999 }).jumps.length, 1);
    assert.deepEqual(counter(rows).jumps, []);
    assert.equal(sumEnergyWh(counter(rows).buckets), 12_500);
  });

  it('§3.5 a reset whose post-reset value implies an impossible power is flagged as a jump too', () => {
    const r = counter(
      [
        ['00:00', 9_000_000],
        ['00:15', 8_000_000],
      ],
      { maxPowerW: 100_000 },
    );
    assert.deepEqual(r.resetsMs, [at('00:15')]);
    assert.equal(r.jumps.length, 1);
    assert.deepEqual(r.buckets, []);
  });
});
