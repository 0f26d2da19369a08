import type { SeriesReading } from '../domain/reading.ts';
import { BucketAccumulator } from './bucket-accumulator.ts';

/**
 * Spreads sorted, de-duplicated interval-energy readings (Wh) over the buckets they overlap, in proportion
 * to overlap (DESIGN §3.4). A reading with an explicit end covers [t, end); one without covers [t, next t),
 * and the last one (or one whose next reading is more than maxSpreadMs away) the typical spacing.
 */
export function spreadIntervals(
  readings: readonly SeriesReading[],
  tailSpacingMs: number,
  maxSpreadMs: number,
): BucketAccumulator {
  const holdMs = Math.min(tailSpacingMs, maxSpreadMs);
  const acc = new BucketAccumulator();
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    acc.countSample(r.tMs);
    // Longer explicit intervals are refused at input; one that got here anyway is not spread.
    if (r.endMs !== null && r.endMs - r.tMs > maxSpreadMs) continue;
    const nextMs = readings[i + 1]?.tMs;
    const endMs =
      r.endMs ?? (nextMs !== undefined && nextMs - r.tMs <= maxSpreadMs ? nextMs : r.tMs + holdMs);
    acc.addEnergy(r.tMs, endMs, r.value);
  }
  return acc;
}
