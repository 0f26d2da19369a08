// Incremental recomputation (DESIGN §3.1: late data recomputes only the buckets it touches). Buckets in a
// window [fromMs, toMs) depend only on the readings inside it, the last reading before it (whose interval
// may reach in) and the first after it (which ends the last interval inside); when the window runs to the
// end of the series they also depend on its typical spacing, measured over the last `spacingWindow`
// intervals. These helpers let a store fetch exactly that neighbourhood and keep a small in-memory tail.
import type { Bucket } from '../domain/bucket.ts';
import type { ReadingKind, SeriesReading } from '../domain/reading.ts';
import { BUCKET_MS, bucketFloor } from '../domain/time.ts';
import type { CounterJump } from './counter-deltas.ts';
import { dedupeReadings } from './dedupe.ts';
import { type NormalizedKind, normalizeKind } from './normalize-series.ts';
import type { NormalizeOptions } from './options.ts';

/** Stands for "to the end of the series" in a window. */
export const OPEN_END_MS = Number.MAX_SAFE_INTEGER;

/**
 * Buckets, resets and jumps of `kind` inside [fromMs, toMs), from readings that hold every reading of the
 * series inside the window plus its neighbours (and, for an open end, at least the last spacingWindow + 1).
 */
export function normalizeWindow(
  kind: ReadingKind,
  readings: readonly SeriesReading[],
  fromMs: number,
  toMs: number,
  options: Partial<NormalizeOptions>,
): NormalizedKind {
  const all = normalizeKind(kind, readings, options);
  // Loops rather than filters with a closure: this runs for every series of every batch.
  const buckets: Bucket[] = [];
  for (const b of all.buckets) if (b.bucketStartMs >= fromMs && b.bucketStartMs < toMs) buckets.push(b);
  const resetsMs: number[] = [];
  for (const ms of all.resetsMs) if (ms >= fromMs && ms < toMs) resetsMs.push(ms);
  const jumps: CounterJump[] = [];
  for (const j of all.jumps) if (j.toMs >= fromMs && j.toMs < toMs) jumps.push(j);
  return { kind: all.kind, buckets, resetsMs, jumps, tailSpacingMs: all.tailSpacingMs };
}

/**
 * The retained end of a series: every reading at or after `fromMs` (bucket-aligned, at or before the
 * (spacingWindow + 1)-th last reading) plus the one reading just before it. Appending after the last
 * reading only changes buckets at or after `fromMs`, and they can be recomputed from this alone.
 */
export interface SeriesTail {
  fromMs: number;
  /** Sorted, de-duplicated. */
  readings: SeriesReading[];
  /** The series' stored buckets at or after fromMs, in order, when known exactly. */
  buckets?: readonly Bucket[];
}

/** An empty series' tail. */
export const EMPTY_TAIL: SeriesTail = { fromMs: OPEN_END_MS, readings: [] };

/** Cuts the tail out of sorted readings that end at the end of the series. */
export function tailOf(sorted: readonly SeriesReading[], spacingWindow: number): SeriesTail {
  if (sorted.length === 0) return EMPTY_TAIL;
  const anchor = sorted[Math.max(0, sorted.length - spacingWindow - 1)]!;
  const fromMs = bucketFloor(anchor.tMs);
  let first = sorted.findIndex((r) => r.tMs >= fromMs);
  if (first > 0) first -= 1;
  return { fromMs, readings: sorted.slice(first) };
}

/** The tail of `sorted` with the buckets stored at and after its start, given those stored from `fromMs`. */
export function tailWithBuckets(
  sorted: readonly SeriesReading[],
  spacingWindow: number,
  storedFromMs: number,
  stored: readonly Bucket[],
): SeriesTail {
  const tail = tailOf(sorted, spacingWindow);
  if (tail === EMPTY_TAIL || tail.fromMs < storedFromMs) return tail;
  return { ...tail, buckets: stored.filter((b) => b.bucketStartMs >= tail.fromMs) };
}

function sameBucket(a: Bucket, b: Bucket): boolean {
  return (
    a.energyWh === b.energyWh &&
    a.positiveWh === b.positiveWh &&
    a.negativeWh === b.negativeWh &&
    a.coverage === b.coverage &&
    a.samples === b.samples &&
    a.minPowerW === b.minPowerW &&
    a.maxPowerW === b.maxPowerW &&
    a.quality === b.quality
  );
}

/**
 * An extension that leaves the stored buckets as they are. `stored` are all stored buckets of the window
 * (sorted), `recomputed` the window's buckets after the new readings (sorted). When every stored bucket
 * comes out unchanged, the store need not delete and rewrite them: it only adds the buckets after them.
 * Returns those and where they start, or undefined when some stored bucket changed (then the whole window
 * is replaced).
 */
export function extensionOf(
  windowFromMs: number,
  stored: readonly Bucket[],
  recomputed: readonly Bucket[],
): { fromMs: number; buckets: Bucket[] } | undefined {
  const last = stored[stored.length - 1];
  const fromMs = last === undefined ? windowFromMs : last.bucketStartMs + BUCKET_MS;
  // The recomputed buckets before fromMs must be the stored ones, one for one: none changed, none added.
  let kept = 0;
  while (kept < recomputed.length && recomputed[kept]!.bucketStartMs < fromMs) kept++;
  if (kept !== stored.length) return undefined;
  for (let i = 0; i < kept; i++) {
    const s = stored[i]!;
    const r = recomputed[i]!;
    if (r.bucketStartMs !== s.bucketStartMs || !sameBucket(s, r)) return undefined;
  }
  return { fromMs, buckets: recomputed.slice(kept) };
}

/**
 * Readings of a batch that would change nothing: equal in value and end to the stored winner at the same
 * instant. Dropping them keeps repeated payloads from growing the raw log (DESIGN §3.1 idempotence).
 */
export function withoutUnchanged<R extends SeriesReading>(
  incoming: readonly R[],
  existing: readonly SeriesReading[],
): R[] {
  if (existing.length === 0) return [...incoming];
  const deduped = dedupeReadings(incoming);
  // Readings all later than every stored one (a series being extended) cannot equal any of them.
  let lastExistingMs = Number.NEGATIVE_INFINITY;
  for (const r of existing) if (r.tMs > lastExistingMs) lastExistingMs = r.tMs;
  if (deduped.length === 0 || deduped[0]!.tMs > lastExistingMs) return deduped;
  const byT = new Map<number, SeriesReading>();
  for (const r of existing) byT.set(r.tMs, r);
  return deduped.filter((r) => {
    const e = byT.get(r.tMs);
    return e === undefined || e.value !== r.value || e.endMs !== r.endMs;
  });
}
