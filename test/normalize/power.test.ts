// Worked examples of DESIGN §3.3: power is a left step held until the next sample, never longer than maxGapMs;
// the last sample holds the typical spacing; trapezoid integration is an option.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../src/domain/bucket.ts';
import type { SeriesReading } from '../../src/domain/reading.ts';
import { normalizeKind } from '../../src/normalize/normalize-series.ts';
import type { NormalizeOptions } from '../../src/normalize/options.ts';
import { assertClose, HOUR_MS, MINUTE_MS, QUARTER_MS, sumEnergyWh } from '../support/arbitraries.ts';

/** Instant `hh:mm[:ss]` on 2024-01-15 UTC. */
const at = (hhmm: string): number => Date.parse(`2024-01-15T${hhmm.length === 5 ? `${hhmm}:00` : hhmm}Z`);

function power(samples: [string | number, number][]): SeriesReading[] {
  return samples.map(([t, value]) => ({
    kind: 'power',
    tMs: typeof t === 'number' ? t : at(t),
    endMs: null,
    value,
    receivedMs: 0,
  }));
}

function buckets(samples: [string | number, number][], options: Partial<NormalizeOptions> = {}): Bucket[] {
  return normalizeKind('power', power(samples), options).buckets;
}

/** The fields a reader sees, with energy rounded to µWh so that examples read as written. */
function brief(
  bs: readonly Bucket[],
): { start: string; energyWh: number; coverage: number; quality: string }[] {
  return bs.map((b) => ({
    start: new Date(b.bucketStartMs).toISOString().slice(11, 16),
    energyWh: Math.round(b.energyWh * 1e6) / 1e6,
    coverage: Math.round(b.coverage * 1e9) / 1e9,
    quality: b.quality,
  }));
}

describe('§3.3 power: left-step hold', () => {
  it('§3.3 a sample holds its value until the next sample', () => {
    const bs = buckets([
      ['00:00', 1000],
      ['00:05', 2000],
      ['00:10', 3000],
      ['00:15', 4000],
      ['00:20', 0],
    ]);
    assert.deepEqual(brief(bs), [
      { start: '00:00', energyWh: 500, coverage: 1, quality: 'measured' },
      // 4000 W for 5 min, 0 W for 5 min (zero is data, not a gap), then the last holds the 5-min spacing.
      { start: '00:15', energyWh: 333.333333, coverage: 0.666666667, quality: 'partial' },
    ]);
    assert.equal(bs[0]!.samples, 3);
    assert.equal(bs[0]!.minPowerW, 1000);
    assert.equal(bs[0]!.maxPowerW, 3000);
    assert.equal(bs[1]!.samples, 2);
  });

  it('§3.3 a hold that crosses a bucket boundary is split in proportion to the time on each side', () => {
    const bs = buckets([
      ['00:07', 6000],
      ['00:22', 0],
    ]);
    assert.deepEqual(brief(bs).slice(0, 2), [
      { start: '00:00', energyWh: 800, coverage: 0.533333333, quality: 'partial' },
      { start: '00:15', energyWh: 700, coverage: 1, quality: 'measured' },
    ]);
  });

  it('§3.3 positive and negative power are kept apart (battery charge and discharge)', () => {
    const bs = buckets([
      ['00:00', 3000],
      ['00:05', -6000],
      ['00:10', 1200],
      ['00:15', 0],
    ]);
    assert.equal(bs[0]!.positiveWh, 250 + 100);
    assert.equal(bs[0]!.negativeWh, 500);
    assertClose(bs[0]!.energyWh, -150);
  });

  it('§3.3 minPowerW and maxPowerW of a bucket are the held sample values exactly', () => {
    const bs = buckets([
      ['00:00', -26660.285],
      ['00:05', 31007.515],
      ['00:10', -3207.398],
      ['00:15', 0],
    ]);
    assert.equal(bs[0]!.maxPowerW, 31007.515);
    assert.equal(bs[0]!.minPowerW, -26660.285);
  });
});

describe('§3.3 power: gaps', () => {
  it('§3.3 a gap beyond maxGapMs leaves no bucket at all, never zeros', () => {
    const bs = buckets([
      ['00:00', 1000],
      ['00:05', 1000],
      ['02:00', 1000],
    ]);
    assert.deepEqual(brief(bs), [
      // 00:05 holds 15 min (maxGapMs) out of its 115-min interval: up to 00:20.
      { start: '00:00', energyWh: 250, coverage: 1, quality: 'measured' },
      { start: '00:15', energyWh: 83.333333, coverage: 0.333333333, quality: 'partial' },
      // The last holds the median spacing (60 min) capped at 15 min.
      { start: '02:00', energyWh: 250, coverage: 1, quality: 'measured' },
    ]);
  });

  it('§3.3 maxGapMs is configurable per source: a longer one covers the gap', () => {
    const bs = buckets(
      [
        ['00:00', 1000],
        ['01:00', 2000],
      ],
      { maxGapMs: HOUR_MS },
    );
    assert.deepEqual(
      brief(bs).map((b) => [b.start, b.energyWh, b.quality]),
      [
        ['00:00', 250, 'measured'],
        ['00:15', 250, 'measured'],
        ['00:30', 250, 'measured'],
        ['00:45', 250, 'measured'],
        ['01:00', 500, 'measured'],
        ['01:15', 500, 'measured'],
        ['01:30', 500, 'measured'],
        ['01:45', 500, 'measured'],
      ],
    );
  });

  it('§3.3 a gap of exactly maxGapMs is covered; one millisecond more leaves one millisecond uncovered', () => {
    const exact = buckets([
      ['00:00', 3600],
      ['00:15', 3600],
      ['00:30', 3600],
    ]);
    assert.deepEqual(
      exact.map((b) => b.coverage),
      [1, 1, 1],
    );
    const over = buckets([
      [at('00:00'), 3600],
      [at('00:15') + 1, 3600],
    ]);
    assert.equal(over[0]!.coverage, 1);
    assert.equal(over[0]!.energyWh, 900);
    assert.equal(over[1]!.coverage, (QUARTER_MS - 1) / QUARTER_MS);
  });
});

describe('§3.3 power: the last sample', () => {
  it('§3.3 the last sample holds the median spacing of the series', () => {
    const bs = buckets([
      ['00:00', 600],
      ['00:01', 600],
      ['00:02', 600],
      ['00:12', 6000],
    ]);
    // Spacings 1, 1, 10 min: median 1 min, so the last 6 kW holds one minute (100 Wh).
    assert.equal(bs.length, 1);
    assertClose(bs[0]!.energyWh, 600 * (12 / 60) + 100);
    assert.equal(bs[0]!.coverage, 13 / 15);
  });

  it('§3.3 the median of an even number of spacings is the mean of the middle two', () => {
    const bs = buckets([
      ['00:00', 0],
      ['00:02', 0],
      ['00:06', 0],
      ['00:10', 60_000],
    ]);
    // Spacings 2, 4, 4 → 4 min; with spacings 2, 4 the median is 3 min.
    assertClose(sumEnergyWh(bs), 4000);
    const even = buckets([
      ['00:00', 0],
      ['00:02', 0],
      ['00:06', 60_000],
    ]);
    assertClose(sumEnergyWh(even), 3000);
  });

  it('§3.3 the last hold is capped at maxGapMs', () => {
    const bs = buckets([
      ['00:00', 1000],
      ['01:00', 1000],
      ['02:00', 1000],
    ]);
    assert.deepEqual(
      bs.map((b) => new Date(b.bucketStartMs).toISOString().slice(11, 16)),
      ['00:00', '01:00', '02:00'],
    );
    assert.ok(bs.every((b) => b.energyWh === 250 && b.coverage === 1));
  });

  it('§3.3 the typical spacing is the median of the most recent spacingWindow (16) intervals only', () => {
    // 16 one-minute intervals, then 9 five-minute ones: over all 25 the median is 1 min, over the last 16 it
    // is 5 min.
    const ts: number[] = [at('00:00')];
    for (let i = 0; i < 16; i++) ts.push(ts[ts.length - 1]! + MINUTE_MS);
    for (let i = 0; i < 9; i++) ts.push(ts[ts.length - 1]! + 5 * MINUTE_MS);
    const readings = power(ts.map((t, i) => [t, i === ts.length - 1 ? 12_000 : 0]));
    const result = normalizeKind('power', readings);
    assert.equal(result.tailSpacingMs, 5 * MINUTE_MS);
    assertClose(sumEnergyWh(result.buckets), 1000);
    const wide = normalizeKind('power', readings, { spacingWindow: 25 });
    assert.equal(wide.tailSpacingMs, MINUTE_MS);
    assertClose(sumEnergyWh(wide.buckets), 200);
  });

  it('§3.3 a single reading holds defaultSpacingMs, capped at maxGapMs', () => {
    assert.deepEqual(brief(buckets([['00:00', 4000]])), [
      { start: '00:00', energyWh: 1000, coverage: 1, quality: 'measured' },
    ]);
    assert.deepEqual(brief(buckets([['00:00', 4000]], { defaultSpacingMs: 5 * MINUTE_MS })), [
      { start: '00:00', energyWh: 333.333333, coverage: 0.333333333, quality: 'partial' },
    ]);
    assert.equal(sumEnergyWh(buckets([['00:00', 4000]], { defaultSpacingMs: HOUR_MS })), 1000);
  });

  it('§3.3 when later data arrives, the buckets of the former last sample are recomputed', () => {
    const before = buckets([
      ['00:00', 1000],
      ['00:05', 1000],
      ['00:10', 2000],
    ]);
    assertClose(sumEnergyWh(before), 1000 / 12 + 1000 / 12 + 2000 / 12);
    const after = buckets([
      ['00:00', 1000],
      ['00:05', 1000],
      ['00:10', 2000],
      ['00:12', 2000],
    ]);
    // The former last now holds 2 min up to 00:12, which holds the new median spacing (5 min) itself.
    assertClose(sumEnergyWh(after), 1000 / 12 + 1000 / 12 + 2000 / 30 + 2000 / 12);
  });
});

describe('§3.3 power: trapezoid integration (option)', () => {
  const ramp = (wattsPerHour: number, everyMs: number, untilMs: number): [number, number][] => {
    const out: [number, number][] = [];
    for (let d = 0; d <= untilMs; d += everyMs) out.push([at('00:00') + d, (wattsPerHour * d) / HOUR_MS]);
    return out;
  };

  it('§3.3 a linear ramp integrates exactly, bucket by bucket', () => {
    // P(t) = 12 kW × t / 1 h, sampled every 5 min; bucket k holds P at its middle × 15 min.
    const bs = buckets(ramp(12_000, 5 * MINUTE_MS, HOUR_MS), { integration: 'trapezoid' });
    const expected = [0, 1, 2, 3].map((k) => ((12_000 * (15 * k + 7.5)) / 60) * 0.25);
    for (const [k, b] of bs.slice(0, 4).entries()) assertClose(b.energyWh, expected[k]!, expected[k]!, 1e-12);
    // The last sample still holds as a step: 12 kW for the 5-min spacing.
    assertClose(bs[4]!.energyWh, 1000);
    // Whereas a left step underestimates a rising ramp.
    const step = buckets(ramp(12_000, 5 * MINUTE_MS, HOUR_MS));
    assert.ok(step[0]!.energyWh < expected[0]!);
  });

  it('§3.3 a ramp through zero is split into positiveWh and negativeWh where it crosses', () => {
    const [b0] = buckets(
      [
        ['00:00', -1000],
        ['00:15', 2000],
      ],
      { integration: 'trapezoid' },
    );
    // Crosses zero at 00:05: −1 kW × 5 min / 2 and +2 kW × 10 min / 2.
    assertClose(b0!.negativeWh, 1000 / 24, 1, 1e-12);
    assertClose(b0!.positiveWh, 2000 / 12, 1, 1e-12);
    assertClose(b0!.energyWh, 2000 / 12 - 1000 / 24, 1, 1e-12);
    assert.equal(b0!.minPowerW, -1000);
    assert.equal(b0!.maxPowerW, 2000);
  });

  it('§3.2 the zero-crossing split is exact at real epoch instants, not only near 1970', () => {
    // Regression: the crossing instant used to be computed in absolute epoch ms, losing ~1e-4 ms of precision
    // and with it ~1e-7 Wh of the split, so positiveWh − negativeWh no longer matched energyWh.
    const t0 = Date.parse('2024-03-28T22:36:19.905Z');
    const t1 = t0 + 194_495;
    const [b] = buckets(
      [
        [t0, 0.002],
        [t1, -15696.314],
      ],
      { integration: 'trapezoid' },
    );
    const span = (t1 - t0) / HOUR_MS;
    const rise = 15696.314 + 0.002;
    const pos = ((0.002 * 0.002) / (2 * rise)) * span;
    const negRamp = ((15696.314 * 15696.314) / (2 * rise)) * span;
    // The last sample holds the one measured spacing, still inside the bucket.
    const negHold = 15696.314 * span;
    assertClose(b!.positiveWh, pos, pos, 1e-9);
    assertClose(b!.negativeWh, negRamp + negHold, negRamp + negHold, 1e-12);
    assertClose(b!.positiveWh - b!.negativeWh, b!.energyWh, b!.negativeWh, 1e-12);
  });

  it('§3.3 trapezoid min/max power are the sample values at the ends of a segment', () => {
    const bs = buckets(
      [
        ['00:00', 0.015],
        ['00:15', 0],
        ['00:30', 0],
      ],
      { integration: 'trapezoid' },
    );
    assert.equal(bs[0]!.minPowerW, 0);
    assert.equal(bs[0]!.maxPowerW, 0.015);
  });

  it('§3.3 between samples farther apart than maxGapMs, trapezoid falls back to a capped step hold', () => {
    const bs = buckets(
      [
        ['00:00', 0],
        ['01:00', 4000],
      ],
      { integration: 'trapezoid' },
    );
    assert.deepEqual(brief(bs), [
      { start: '00:00', energyWh: 0, coverage: 1, quality: 'measured' },
      { start: '01:00', energyWh: 1000, coverage: 1, quality: 'measured' },
    ]);
  });
});
