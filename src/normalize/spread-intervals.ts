import type { SeriesReading } from '../domain/reading.ts';
import { BucketAccumulator } from './bucket-accumulator.ts';

/**
 * Spreads sorted, de-duplicated interval-energy readings (Wh) over the buckets they overlap, in proportion
 * to overlap (DESIGN §3.4). A reading with an explicit end covers [t, end); one without covers [t, next t),
 * and the last one the typical spacing.
 */
export function spreadIntervals(
  readings: readonly SeriesReading[],
  tailSpacingMs: number,
): BucketAccumulator {
  const acc = new BucketAccumulator();
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    acc.countSample(r.tMs);
    const endMs = r.endMs ?? readings[i + 1]?.tMs ?? r.tMs + tailSpacingMs;
    acc.addEnergy(r.tMs, endMs, r.value);
  }
  return acc;
}
