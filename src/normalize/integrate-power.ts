import type { SeriesReading } from '../domain/reading.ts';
import { BucketAccumulator } from './bucket-accumulator.ts';
import type { NormalizeOptions } from './options.ts';

/**
 * Integrates sorted, de-duplicated power samples (W) into buckets (DESIGN §3.3). A sample holds until the
 * next one but never longer than maxGapMs; the last holds for the typical spacing, capped the same way.
 * Time beyond a hold is uncovered: a gap, never zeros.
 */
export function integratePower(
  samples: readonly SeriesReading[],
  opts: NormalizeOptions,
  tailSpacingMs: number,
): BucketAccumulator {
  const acc = new BucketAccumulator();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    acc.countSample(s.tMs);
    const next = samples[i + 1];
    if (next === undefined) {
      const holdMs = Math.min(tailSpacingMs, opts.maxGapMs);
      acc.addEnergy(s.tMs, s.tMs + holdMs, (s.value * holdMs) / 3_600_000, false, s.value);
      continue;
    }
    const gapMs = next.tMs - s.tMs;
    if (opts.integration === 'trapezoid' && gapMs <= opts.maxGapMs) {
      acc.addLinearPower(s.tMs, next.tMs, s.value, next.value);
    } else {
      const holdMs = Math.min(gapMs, opts.maxGapMs);
      acc.addEnergy(s.tMs, s.tMs + holdMs, (s.value * holdMs) / 3_600_000, false, s.value);
    }
  }
  return acc;
}
