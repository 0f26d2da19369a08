import type { Bucket } from '../domain/bucket.ts';
import { KIND_PRECEDENCE, type ReadingKind, type SeriesReading } from '../domain/reading.ts';
import { type CounterJump, counterDeltas } from './counter-deltas.ts';
import { sortedUnique, typicalSpacingMs } from './dedupe.ts';
import { integratePower } from './integrate-power.ts';
import { type NormalizeOptions, resolveOptions } from './options.ts';
import { spreadIntervals } from './spread-intervals.ts';

export interface NormalizedKind {
  kind: ReadingKind;
  buckets: Bucket[];
  resetsMs: number[];
  jumps: CounterJump[];
  /** The spacing the last reading was held for (ms). */
  tailSpacingMs: number;
}

/**
 * Buckets of one kind of one series: a pure function of its de-duplicated readings (DESIGN §3.1).
 * `tailSpacingMs` overrides the typical spacing measured from `readings`, for callers that pass only a
 * window of a longer series.
 */
export function normalizeKind(
  kind: ReadingKind,
  readings: readonly SeriesReading[],
  options: Partial<NormalizeOptions> = {},
  tailSpacingMs?: number,
): NormalizedKind {
  const opts = resolveOptions(options);
  // Ingest passes one kind only, sorted and de-duplicated: no filtered copy then, and no sorted one.
  const ofKind = allOfKind(readings, kind) ? readings : readings.filter((r) => r.kind === kind);
  const sorted = sortedUnique(ofKind);
  const spacing = tailSpacingMs ?? typicalSpacingMs(sorted, opts.spacingWindow, opts.defaultSpacingMs);
  if (kind === 'counter') {
    const { acc, resetsMs, jumps } = counterDeltas(sorted, opts);
    return { kind, buckets: acc.buckets(), resetsMs, jumps, tailSpacingMs: spacing };
  }
  const acc =
    kind === 'power'
      ? integratePower(sorted, opts, spacing)
      : spreadIntervals(sorted, spacing, opts.maxSpreadMs);
  return { kind, buckets: acc.buckets(), resetsMs: [], jumps: [], tailSpacingMs: spacing };
}

function allOfKind(readings: readonly SeriesReading[], kind: ReadingKind): boolean {
  for (let i = 0; i < readings.length; i++) if (readings[i]!.kind !== kind) return false;
  return true;
}

/**
 * Merges the buckets of several kinds of one series: where more than one kind covers a bucket, counter
 * energy wins over interval energy, which wins over integrated power (DESIGN §3.5).
 */
export function mergeKinds(perKind: readonly { kind: ReadingKind; buckets: readonly Bucket[] }[]): Bucket[] {
  const chosen = new Map<number, { rank: number; bucket: Bucket }>();
  for (const { kind, buckets } of perKind) {
    const rank = KIND_PRECEDENCE[kind];
    for (const b of buckets) {
      const cur = chosen.get(b.bucketStartMs);
      if (cur === undefined || rank < cur.rank) chosen.set(b.bucketStartMs, { rank, bucket: b });
    }
  }
  return [...chosen.values()].map((c) => c.bucket).sort((a, b) => a.bucketStartMs - b.bucketStartMs);
}

/** All buckets of a series whose readings may mix kinds. */
export function normalizeSeries(
  readings: readonly SeriesReading[],
  options: Partial<NormalizeOptions> = {},
): Bucket[] {
  const kinds = [...new Set(readings.map((r) => r.kind))];
  return mergeKinds(kinds.map((k) => normalizeKind(k, readings, options)));
}
