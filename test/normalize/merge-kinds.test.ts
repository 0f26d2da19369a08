// DESIGN §3.5: where several kinds of reading cover one bucket of a series, counter energy wins over interval
// energy, which wins over integrated power.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Bucket } from '../../src/domain/bucket.ts';
import type { ReadingKind, SeriesReading } from '../../src/domain/reading.ts';
import { mergeKinds, normalizeKind, normalizeSeries } from '../../src/normalize/normalize-series.ts';
import { permutationOf } from '../support/arbitraries.ts';

const at = (hhmm: string): number => Date.parse(`2024-01-15T${hhmm}:00Z`);

function bucket(hhmm: string, energyWh: number): Bucket {
  return {
    bucketStartMs: at(hhmm),
    energyWh,
    positiveWh: Math.max(energyWh, 0),
    negativeWh: Math.max(-energyWh, 0),
    coverage: 1,
    samples: 1,
    minPowerW: energyWh * 4,
    maxPowerW: energyWh * 4,
    quality: 'measured',
  };
}

function reading(kind: ReadingKind, hhmm: string, value: number, end: string | null = null): SeriesReading {
  return { kind, tMs: at(hhmm), endMs: end === null ? null : at(end), value, receivedMs: 0 };
}

describe('§3.5 mergeKinds precedence', () => {
  const perKind: { kind: ReadingKind; buckets: Bucket[] }[] = [
    {
      kind: 'power',
      buckets: [bucket('00:00', 1), bucket('00:15', 1), bucket('00:30', 1), bucket('00:45', 1)],
    },
    { kind: 'interval-energy', buckets: [bucket('00:15', 2), bucket('00:30', 2)] },
    { kind: 'counter', buckets: [bucket('00:30', 3), bucket('01:00', 3)] },
  ];

  it('§3.5 counter > interval-energy > power, bucket by bucket; buckets of any kind alone are kept', () => {
    assert.deepEqual(
      mergeKinds(perKind).map((b) => [new Date(b.bucketStartMs).toISOString().slice(11, 16), b.energyWh]),
      [
        ['00:00', 1],
        ['00:15', 2],
        ['00:30', 3],
        ['00:45', 1],
        ['01:00', 3],
      ],
    );
  });

  it('§3.5 precedence does not depend on the order the kinds are given in', () => {
    fc.assert(
      fc.property(permutationOf(perKind), (kinds) => {
        assert.deepEqual(mergeKinds(kinds), mergeKinds(perKind));
      }),
    );
  });

  it('§3.5 the winning bucket is passed through whole, not blended', () => {
    const merged = mergeKinds(perKind);
    assert.equal(merged[2], perKind[2]!.buckets[0]);
  });
});

describe('§3.5 normalizeSeries with mixed kinds', () => {
  const readings: SeriesReading[] = [
    // Power every 5 min, 4 kW, 00:00 to 00:55: 1000 Wh in each bucket from 00:00 to 00:45.
    ...Array.from({ length: 12 }, (_, i) => reading('power', `00:${String(i * 5).padStart(2, '0')}`, 4000)),
    reading('interval-energy', '00:15', 700, '00:45'),
    reading('counter', '00:30', 10_000),
    reading('counter', '00:45', 10_300),
  ];

  it('§3.5 counter energy wins over interval energy, which wins over integrated power', () => {
    assert.deepEqual(
      normalizeSeries(readings).map((b) => [
        new Date(b.bucketStartMs).toISOString().slice(11, 16),
        b.energyWh,
      ]),
      [
        ['00:00', 1000],
        ['00:15', 350],
        ['00:30', 300],
        ['00:45', 1000],
      ],
    );
  });

  it('§3.1 the mix is order independent too', () => {
    fc.assert(
      fc.property(permutationOf(readings), (shuffled) => {
        assert.deepEqual(normalizeSeries(shuffled), normalizeSeries(readings));
      }),
      { numRuns: 50 },
    );
  });

  it('§3.5 a series of one kind gives that kind’s buckets', () => {
    const power = readings.filter((r) => r.kind === 'power');
    assert.deepEqual(normalizeSeries(power), normalizeKind('power', power).buckets);
    assert.deepEqual(normalizeSeries([]), []);
  });

  it('§3.5 options reach every kind', () => {
    const merged = normalizeSeries(
      [reading('power', '00:00', 4000), reading('power', '02:00', 4000), reading('counter', '03:00', 0)],
      { maxGapMs: 2 * 3_600_000 },
    );
    assert.equal(merged.length, 16);
  });
});
