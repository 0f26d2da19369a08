// Worked examples of DESIGN §3.4: interval energy is spread over the buckets it overlaps in proportion to
// overlap; a value at t with no explicit end covers [t, next t), the last one the typical spacing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../src/domain/bucket.ts';
import type { SeriesReading } from '../../src/domain/reading.ts';
import { normalizeKind } from '../../src/normalize/normalize-series.ts';
import type { NormalizeOptions } from '../../src/normalize/options.ts';
import { assertClose, briefBuckets, MINUTE_MS, sumEnergyWh } from '../support/arbitraries.ts';

const at = (hhmm: string): number => Date.parse(`2024-01-15T${hhmm}:00Z`);

/** [start, end or null, Wh] */
type Row = [string, string | null, number];

function intervals(rows: Row[], options: Partial<NormalizeOptions> = {}): Bucket[] {
  const readings: SeriesReading[] = rows.map(([start, end, value]) => ({
    kind: 'interval-energy',
    tMs: at(start),
    endMs: end === null ? null : at(end),
    value,
    receivedMs: 0,
  }));
  return normalizeKind('interval-energy', readings, options).buckets;
}

describe('§3.4 interval energy with an explicit end', () => {
  it('§3.4 an interval spanning several buckets is spread in proportion to overlap', () => {
    // 450 Wh over 45 min: 10 Wh per minute.
    assert.deepEqual(briefBuckets(intervals([['00:10', '00:55', 450]])), [
      ['00:00', 50, 0.333333333, 'partial'],
      ['00:15', 150, 1, 'measured'],
      ['00:30', 150, 1, 'measured'],
      ['00:45', 100, 0.666666667, 'partial'],
    ]);
  });

  it('§3.4 a bucket-aligned interval round-trips bit for bit', () => {
    const [b] = intervals([['00:15', '00:30', 0.1 + 0.2]]);
    assert.equal(b!.energyWh, 0.1 + 0.2);
    assert.equal(b!.quality, 'measured');
  });

  it('§3.4 an hourly interval is spread evenly over its four quarter hours', () => {
    const bs = intervals([['01:00', '02:00', 1000]]);
    assert.deepEqual(
      bs.map((b) => b.energyWh),
      [250, 250, 250, 250],
    );
    assert.ok(bs.every((b) => b.quality === 'measured' && b.minPowerW === 1000 && b.maxPowerW === 1000));
  });

  it('§3.4 intervals with room between them leave that time uncovered', () => {
    assert.deepEqual(
      briefBuckets(
        intervals([
          ['00:00', '00:05', 100],
          ['00:10', '00:15', 100],
          ['01:00', '01:15', 100],
        ]),
      ),
      [
        ['00:00', 200, 0.666666667, 'partial'],
        ['01:00', 100, 1, 'measured'],
      ],
    );
  });

  it('§3.4 an exported interval (negative energy) counts as negativeWh', () => {
    const [b] = intervals([['00:00', '00:15', -300]]);
    assert.equal(b!.energyWh, -300);
    assert.equal(b!.positiveWh, 0);
    assert.equal(b!.negativeWh, 300);
  });

  it('§3.4 coverage is the share of the bucket backed by data: overlapping intervals do not count twice', () => {
    // [00:00, 00:10) and [00:02, 00:07) overlap; only 10 of the 15 minutes have data.
    const [b] = intervals([
      ['00:00', '00:10', 100],
      ['00:02', '00:07', 50],
    ]);
    assert.equal(b!.energyWh, 150);
    assert.equal(b!.coverage, 10 / 15);
    assert.equal(b!.quality, 'partial');
  });
});

describe('§3.4 interval energy as a value at t', () => {
  it('§3.4 a value at t covers [t, next t)', () => {
    assert.deepEqual(
      briefBuckets(
        intervals([
          ['00:00', null, 100],
          ['00:10', null, 200],
          ['00:30', null, 300],
        ]),
      ),
      [
        // 100 Wh over [00:00, 00:10), 200 Wh over [00:10, 00:30): a quarter of it before 00:15.
        ['00:00', 150, 1, 'measured'],
        ['00:15', 150, 1, 'measured'],
        // The last covers the median spacing of 10 and 20 min: 15 min.
        ['00:30', 300, 1, 'measured'],
      ],
    );
  });

  it('§3.4 a value at t covers up to the next t even across a long gap (it is energy, not a sample)', () => {
    const bs = intervals([
      ['00:00', null, 800],
      ['02:00', null, 100],
    ]);
    assert.equal(bs.length, 8 + 8);
    assert.ok(bs.slice(0, 8).every((b) => b.energyWh === 100 && b.quality === 'measured'));
    assertClose(sumEnergyWh(bs), 900);
  });

  it('§3.4 the last value covers the typical spacing; a single one covers defaultSpacingMs', () => {
    const seed = intervals([
      ['00:00', null, 22_000],
      ['00:05', null, 24_000],
      ['00:10', null, 23_000],
    ]);
    assert.deepEqual(briefBuckets(seed), [['00:00', 69_000, 1, 'measured']]);
    assert.deepEqual(briefBuckets(intervals([['00:00', null, 500]])), [['00:00', 500, 1, 'measured']]);
    assert.deepEqual(briefBuckets(intervals([['00:00', null, 500]], { defaultSpacingMs: 5 * MINUTE_MS })), [
      ['00:00', 500, 0.333333333, 'partial'],
    ]);
  });

  it('§3.4 explicit and open readings mix: an open one ends where the next one starts', () => {
    assert.deepEqual(
      briefBuckets(
        intervals([
          ['00:00', null, 150],
          ['00:05', '00:15', 300],
          ['00:20', null, 50],
          ['00:25', null, 50],
        ]),
      ),
      [
        ['00:00', 450, 1, 'measured'],
        // 00:20 ends at 00:25; 00:25 covers the median of the spacings 5, 15, 5 min.
        ['00:15', 100, 0.666666667, 'partial'],
      ],
    );
  });
});

describe('maxSpreadMs bounds how far one reading is spread', () => {
  const DAY = 86_400_000;
  const T = Date.UTC(2024, 0, 1);
  it('a value-at-t energy whose next reading is years away covers only the typical spacing', () => {
    const readings = [T, T + 15 * 60_000, T + 30 * 60_000, T + 10 * 365 * DAY].map((tMs, i) => ({
      kind: 'interval-energy' as const,
      tMs,
      endMs: null,
      value: 100,
      receivedMs: i,
    }));
    const buckets = normalizeKind('interval-energy', readings).buckets;
    assert.equal(buckets.length, 4);
    assert.deepEqual(
      buckets.map((b) => b.energyWh),
      [100, 100, 100, 100],
    );
  });

  it('a counter delta across an outage longer than maxSpreadMs is flagged, not spread', () => {
    const readings = [0, 15 * 60_000, 400 * DAY].map((dt, i) => ({
      kind: 'counter' as const,
      tMs: T + dt,
      endMs: null,
      value: 1000 + i * 10,
      receivedMs: 0,
    }));
    const r = normalizeKind('counter', readings);
    assert.equal(r.buckets.length, 1);
    assert.equal(r.jumps.length, 1);
    assert.equal(r.jumps[0]!.fromMs, T + 15 * 60_000);
  });
});
