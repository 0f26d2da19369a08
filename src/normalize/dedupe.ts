import type { SeriesReading } from '../domain/reading.ts';

/**
 * Sorts readings by time and keeps one per instant: the later-received wins, and among equal receive
 * times the one that came later in the input (DESIGN §3.1).
 */
export function dedupeReadings<R extends SeriesReading>(readings: readonly R[]): R[] {
  // Readings nearly always come in time order, one per instant: then there is nothing to sort or drop,
  // and a linear check spares the sort and its per-reading wrappers (ingest calls this several times).
  let ascending = true;
  for (let i = 1; i < readings.length; i++) {
    if (!(readings[i]!.tMs > readings[i - 1]!.tMs)) {
      ascending = false;
      break;
    }
  }
  if (ascending) return readings.slice();
  const indexed = readings.map((r, i) => ({ r, i }));
  indexed.sort((a, b) => a.r.tMs - b.r.tMs || a.r.receivedMs - b.r.receivedMs || a.i - b.i);
  const out: R[] = [];
  for (const { r } of indexed) {
    const last = out[out.length - 1];
    if (last !== undefined && last.tMs === r.tMs) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Typical spacing of a sorted, de-duplicated series: the median of its most recent `window` intervals,
 * or `fallbackMs` when it has a single reading. Only the tail is used so that the value, and the buckets
 * that depend on it, can be recomputed from the end of the series alone.
 */
export function typicalSpacingMs(
  sorted: readonly SeriesReading[],
  window: number,
  fallbackMs: number,
): number {
  const intervals: number[] = [];
  for (let i = sorted.length - 1; i > 0 && intervals.length < window; i--) {
    intervals.push(sorted[i]!.tMs - sorted[i - 1]!.tMs);
  }
  return intervals.length === 0 ? fallbackMs : median(intervals);
}
